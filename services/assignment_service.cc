// AssignmentService.Assign: rank (RankAll top-k per participant; with a timetable over
// the zone-to-site matrix, then re-scored exactly), then solve
// (Assign / CompareObjectives / DeferredAcceptance), streamed.
#include "services/assignment_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "assignment/assignment.h"
#include "assignment/selection.h"
#include "assignment/stable_matching.h"
#include "matcher/batch_ranker.h"
#include "matcher/recheck.h"
#include "model/status.h"
#include "services/grpc_status.h"

namespace carvematch {
namespace {

constexpr int kDefaultCandidates = 50;
constexpr int kMaxCandidates = 500;
constexpr int kMaxProposals = 100;
// A progress message after this many ranked pairs (and at the end of each phase).
constexpr int64_t kProgressEveryPairs = 200000;
// Placements and unassigned participants go out in messages of at most this many bytes
// (the serialized AssignResponse), far below the server's message limit (16 MiB by
// default).
constexpr size_t kChunkBytes = 256 * 1024;
// The AssignResponse wrapper around a chunk: the oneof field's tag and length (at most
// 1 + 3 bytes below 2 MiB).
constexpr size_t kChunkWrapperBytes = 4;

// Bytes of one element of a repeated message field: tag, length, body.
size_t RepeatedEntryBytes(size_t body) {
  size_t varint = 1;
  for (size_t v = body; v >= 0x80; v >>= 7) ++varint;
  return 1 + varint + body;
}

// Enum values of TargetOutcome and ContractType (common.proto) that name something.
bool KnownOutcome(int o) { return o >= 1 && o <= 8; }
bool KnownContractType(int t) { return t >= 1 && t <= 4; }

void ReadArea(const v1::AreaFilter& in, const std::string& field, ViolationCollector& c,
              AreaSelection* out) {
  for (int i = 0; i < in.municipalities_size(); ++i) {
    if (in.municipalities(i).empty()) {
      c.Add(absl::StrCat(field, ".municipalities[", i, "]"), "must not be empty");
    }
    out->municipalities.push_back(in.municipalities(i));
  }
  for (int i = 0; i < in.postal_code_prefixes_size(); ++i) {
    if (in.postal_code_prefixes(i).empty()) {
      c.Add(absl::StrCat(field, ".postal_code_prefixes[", i, "]"), "must not be empty");
    }
    out->postal_code_prefixes.push_back(in.postal_code_prefixes(i));
  }
}

ParticipantSelection ReadParticipantFilter(const v1::ParticipantFilter& in, ViolationCollector& c) {
  ParticipantSelection out;
  out.organisation_id = in.organisation_id();
  ReadArea(in.home(), "participant_filter.home", c, &out.home);
  for (int i = 0; i < in.target_outcomes_size(); ++i) {
    if (!KnownOutcome(in.target_outcomes(i))) {
      c.Add(absl::StrCat("participant_filter.target_outcomes[", i, "]"), "unknown outcome");
    }
    out.target_outcomes.push_back(static_cast<TargetOutcome>(in.target_outcomes(i)));
  }
  if (in.has_max_barriers()) {
    if (in.max_barriers() < 0) c.Add("participant_filter.max_barriers", "must be >= 0");
    out.max_barriers = in.max_barriers();
  }
  if (in.min_waiting_months() < 0) {
    c.Add("participant_filter.min_waiting_months", "must be >= 0");
  }
  out.min_waiting_months = in.min_waiting_months();
  return out;
}

VacancySelection ReadVacancyFilter(const v1::VacancyFilter& in, ViolationCollector& c) {
  VacancySelection out;
  for (int i = 0; i < in.sectors_size(); ++i) {
    if (in.sectors(i).empty()) {
      c.Add(absl::StrCat("vacancy_filter.sectors[", i, "]"), "must not be empty");
    }
    out.sector_prefixes.push_back(in.sectors(i));
  }
  for (int i = 0; i < in.employer_ids_size(); ++i) {
    if (in.employer_ids(i).empty()) {
      c.Add(absl::StrCat("vacancy_filter.employer_ids[", i, "]"), "must not be empty");
    }
    out.employer_ids.push_back(in.employer_ids(i));
  }
  ReadArea(in.site(), "vacancy_filter.site", c, &out.site);
  for (int i = 0; i < in.contract_types_size(); ++i) {
    if (!KnownContractType(in.contract_types(i))) {
      c.Add(absl::StrCat("vacancy_filter.contract_types[", i, "]"), "unknown contract type");
    }
    out.contract_types.push_back(static_cast<ContractType>(in.contract_types(i)));
  }
  for (int i = 0; i < in.outcomes_size(); ++i) {
    if (!KnownOutcome(in.outcomes(i))) {
      c.Add(absl::StrCat("vacancy_filter.outcomes[", i, "]"), "unknown outcome");
    }
    out.outcomes.push_back(static_cast<TargetOutcome>(in.outcomes(i)));
  }
  out.carved_only = in.carved_only();
  if (in.min_places() < 0) c.Add("vacancy_filter.min_places", "must be >= 0");
  out.min_places = in.min_places();
  return out;
}

v1::AssignmentObjective ToProto(Objective o) {
  return o == Objective::kAntiCreaming ? v1::ANTI_CREAMING : v1::MATCH_QUALITY;
}

void FillFairness(const FairnessReport& in, v1::FairnessReport* out) {
  for (const FairnessGroup& g : in.groups) {
    v1::FairnessGroup* o = out->add_groups();
    o->set_barriers(g.barriers);
    o->set_pool(g.pool);
    o->set_with_eligible_vacancy(g.with_eligible_vacancy);
    o->set_assigned(g.assigned);
    o->set_assigned_share(g.assigned_share);
    o->set_pool_share(g.pool_share);
    o->set_share_of_assigned(g.share_of_assigned);
    o->set_representation(g.representation);
  }
  out->set_pool(in.pool);
  out->set_assigned(in.assigned);
  out->set_assigned_share(in.assigned_share);
}

void FillTotals(v1::AssignmentObjective objective, const AssignmentResult& r,
                v1::ObjectiveTotals* out) {
  out->set_objective(objective);
  out->set_objective_value(r.objective);
  out->set_total_score(r.total_score);
  out->set_placements(static_cast<int32_t>(r.placements.size()));
  out->set_assigned_participants(r.assigned_participants);
  FillFairness(r.fairness, out->mutable_fairness());
}

v1::Unassigned::Reason ToProto(UnassignedReason r) {
  switch (r) {
    case UnassignedReason::kNoFeasibleVacancy:
      return v1::Unassigned::NO_FEASIBLE_VACANCY;
    case UnassignedReason::kOutcompeted:
      return v1::Unassigned::OUTCOMPETED;
    case UnassignedReason::kUnspecified:
      break;
  }
  return v1::Unassigned::REASON_UNSPECIFIED;
}

}  // namespace

grpc::Status AssignmentServiceImpl::Assign(grpc::ServerContext* context,
                                           const v1::AssignRequest* request,
                                           grpc::ServerWriter<v1::AssignResponse>* writer) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    if (!caller.is_admin() && !caller.coaches()) {
      return absl::PermissionDeniedError("Assign is for agencies, coaches and admins");
    }
    const std::string scope = caller.is_admin() ? "" : caller.organisation_id;

    // Options.
    ViolationCollector c;
    AssignmentOptions options;
    options.allow_accommodations =
        !request->has_allow_accommodations() || request->allow_accommodations();
    if (request->has_proposals_per_participant()) {
      const int n = request->proposals_per_participant();
      if (n < 1 || n > kMaxProposals) {
        c.Add("proposals_per_participant", absl::StrCat(n, " is outside 1..", kMaxProposals));
      }
      options.proposals_per_participant = n;
    }
    const int candidates = request->candidates_per_participant() == 0
                               ? kDefaultCandidates
                               : request->candidates_per_participant();
    if (candidates < 1 || candidates > kMaxCandidates) {
      c.Add("candidates_per_participant",
            absl::StrCat(request->candidates_per_participant(), " is outside 1..", kMaxCandidates));
    }
    const bool stable = request->objective() == v1::STABLE;
    switch (request->objective()) {
      case v1::ASSIGNMENT_OBJECTIVE_UNSPECIFIED:
      case v1::MATCH_QUALITY:
      case v1::STABLE:
        options.objective = Objective::kMatchQuality;
        break;
      case v1::ANTI_CREAMING:
        options.objective = Objective::kAntiCreaming;
        break;
      default:
        c.Add("objective", absl::StrCat("unknown objective ", request->objective()));
    }
    if (stable && request->compare_objectives()) {
      c.Add("compare_objectives", "compares MATCH_QUALITY and ANTI_CREAMING, not STABLE");
    }
    if (request->has_anti_creaming()) {
      const v1::AntiCreamingWeights& w = request->anti_creaming();
      options.anti_creaming.per_barrier = w.per_barrier();
      options.anti_creaming.max_barriers = w.max_barriers();
      options.anti_creaming.per_waiting_month = w.per_waiting_month();
      options.anti_creaming.max_waiting_months = w.max_waiting_months();
      if (!(w.per_barrier() >= 0)) c.Add("anti_creaming.per_barrier", "must be >= 0");
      if (w.max_barriers() < 0) c.Add("anti_creaming.max_barriers", "must be >= 0");
      if (!(w.per_waiting_month() >= 0)) {
        c.Add("anti_creaming.per_waiting_month", "must be >= 0");
      }
      if (w.max_waiting_months() < 0) c.Add("anti_creaming.max_waiting_months", "must be >= 0");
    }

    // The job: stored records by id, by a filter, or everything visible.
    if (request->participant_ids_size() > 0 && request->has_participant_filter()) {
      c.Add("participant_filter", "give participant_ids or participant_filter, not both");
    }
    if (request->vacancy_ids_size() > 0 && request->has_vacancy_filter()) {
      c.Add("vacancy_filter", "give vacancy_ids or vacancy_filter, not both");
    }
    const ParticipantSelection participant_selection =
        ReadParticipantFilter(request->participant_filter(), c);
    const VacancySelection vacancy_selection = ReadVacancyFilter(request->vacancy_filter(), c);
    if (!caller.is_admin() && !participant_selection.organisation_id.empty() &&
        participant_selection.organisation_id != caller.organisation_id) {
      return absl::PermissionDeniedError(
          absl::StrCat("participant_filter.organisation_id: you may assign only participants of \"",
                       caller.organisation_id, "\""));
    }
    std::vector<std::shared_ptr<const Participant>> participant_records;
    for (int i = 0; i < request->participant_ids_size(); ++i) {
      auto p = services_.index->FindParticipant(request->participant_ids(i));
      if (p == nullptr || !caller.SameOrganisation(p->organisation_id)) {
        c.Add(absl::StrCat("participant_ids[", i, "]"),
              absl::StrCat("no participant \"", request->participant_ids(i), "\""));
      } else {
        participant_records.push_back(p);
      }
    }
    std::vector<MatchIndex::OpenVacancy> vacancy_records;
    for (int i = 0; i < request->vacancy_ids_size(); ++i) {
      MatchIndex::OpenVacancy v = services_.index->FindVacancy(request->vacancy_ids(i));
      if (v.vacancy == nullptr || v.employer == nullptr) {
        c.Add(absl::StrCat("vacancy_ids[", i, "]"),
              absl::StrCat("no vacancy \"", request->vacancy_ids(i), "\""));
      } else if (v.vacancy->status == VacancyStatus::kClosed) {
        c.Add(absl::StrCat("vacancy_ids[", i, "]"),
              absl::StrCat("vacancy \"", request->vacancy_ids(i), "\" is closed"));
      } else {
        vacancy_records.push_back(v);
      }
    }
    RETURN_IF_ERROR(c.Finish("invalid Assign request"));

    const CalendarDay today = CalendarDayOf(now_());
    std::vector<std::shared_ptr<const Participant>> visible = services_.index->Participants(scope);
    std::vector<MatchIndex::OpenVacancy> open = services_.index->OpenVacancies();
    if (request->participant_ids().empty()) {
      for (std::shared_ptr<const Participant>& p : visible) {
        if (Selects(participant_selection, *p, today)) participant_records.push_back(p);
      }
    }
    std::vector<VacancyContext> contexts;
    for (const MatchIndex::OpenVacancy& v :
         request->vacancy_ids().empty() ? open : vacancy_records) {
      const Site* site = v.employer->FindSite(v.vacancy->site_id);
      if (site == nullptr) continue;
      if (request->vacancy_ids().empty() &&
          !Selects(vacancy_selection, *v.vacancy, *v.employer, *site)) {
        continue;
      }
      contexts.push_back({v.vacancy.get(), v.employer.get(), site});
    }
    std::vector<const Participant*> participants;
    for (const auto& p : participant_records) participants.push_back(p.get());

    v1::AssignResponse summary_message;
    v1::AssignSummary* summary = summary_message.mutable_summary();
    v1::Selection* selection = summary->mutable_selection();
    selection->set_participants_visible(static_cast<int32_t>(visible.size()));
    selection->set_participants_selected(static_cast<int32_t>(participants.size()));
    selection->set_vacancies_open(static_cast<int32_t>(open.size()));
    selection->set_vacancies_selected(static_cast<int32_t>(contexts.size()));
    const v1::AssignmentObjective objective = stable ? v1::STABLE : ToProto(options.objective);
    if (participants.empty() || contexts.empty()) {
      // Nothing to rank: the summary alone, its selection says which side is empty.
      summary->mutable_result()->set_objective(objective);
      summary->set_participants(static_cast<int32_t>(participants.size()));
      summary->set_vacancies(static_cast<int32_t>(contexts.size()));
      int64_t places = 0;
      for (const VacancyContext& v : contexts) places += v.vacancy->capacity;
      summary->set_places(places);
      if (!writer->Write(summary_message)) return absl::CancelledError("the client went away");
      return absl::OkStatus();
    }

    bool client_gone = false;
    auto send_progress = [&](v1::AssignResponse::Progress::Phase phase, int64_t done,
                             int64_t total) -> bool {
      v1::AssignResponse message;
      message.mutable_progress()->set_phase(phase);
      message.mutable_progress()->set_done(done);
      message.mutable_progress()->set_total(total);
      if (!writer->Write(message)) client_gone = true;
      return !client_gone;
    };
    // A cancelled core call: the deadline or the client, whichever stopped it.
    auto stopped = [&](const absl::Status& s) -> absl::Status {
      if (absl::IsCancelled(s)) {
        RETURN_IF_ERROR(CheckAlive(*context));
        if (client_gone) return absl::CancelledError("the client went away");
      }
      return s;
    };

    // Phase 1: each participant's best candidate vacancies.
    const int64_t pairs = static_cast<int64_t>(participants.size()) * contexts.size();
    if (!send_progress(v1::AssignResponse::Progress::RANKING, 0, pairs)) {
      return absl::CancelledError("the client went away");
    }
    // With a timetable: the zone-to-site matrix proposes twice the candidates, the exact
    // matcher re-scores them and keeps `candidates` (as BulkRank, matcher/recheck.h).
    const std::shared_ptr<const Matcher> fast =
        services_.bulk_matcher ? services_.bulk_matcher() : nullptr;
    const bool two_pass = fast != nullptr;
    BatchRankOptions rank_options;
    rank_options.top_k_per_participant = two_pass ? 2 * candidates : candidates;
    rank_options.top_k_per_vacancy = 0;
    rank_options.include_blocked = false;
    int64_t next_progress = kProgressEveryPairs;
    rank_options.progress = [&](int64_t done, int64_t) {
      if (!CheckAlive(*context).ok()) return false;
      if (done >= next_progress && done < pairs) {
        next_progress = done + kProgressEveryPairs;
        if (!send_progress(v1::AssignResponse::Progress::RANKING, done, pairs)) return false;
      }
      return true;
    };
    absl::StatusOr<BatchRankResult> ranked =
        RankAll(two_pass ? *fast : *services_.matcher, participants, contexts, rank_options);
    if (ranked.ok() && two_pass) {
      RecheckOptions recheck;
      recheck.top_k_per_participant = candidates;
      recheck.top_k_per_vacancy = 0;
      recheck.include_blocked = false;
      recheck.progress = [&](int64_t, int64_t) { return CheckAlive(*context).ok(); };
      ranked = RecheckRanking(*services_.matcher, participants, contexts, *ranked, recheck);
    }
    RETURN_IF_ERROR(stopped(ranked.status()));
    if (!send_progress(v1::AssignResponse::Progress::RANKING, pairs, pairs)) {
      return absl::CancelledError("the client went away");
    }
    ASSIGN_OR_RETURN(AssignmentProblem problem,
                     ProblemFromRanking(*ranked, participants, contexts));
    problem.waiting_months = WaitingMonthsOf(participants, today);

    // Phase 2: solve.
    int64_t last_done = -1;
    options.progress = [&](int64_t done, int64_t total) {
      if (!CheckAlive(*context).ok()) return false;
      if (done == last_done) return true;
      last_done = done;
      return send_progress(v1::AssignResponse::Progress::SOLVING, done, total);
    };
    std::vector<Placement> placements;
    std::vector<UnassignedParticipant> unassigned;
    if (stable) {
      ASSIGN_OR_RETURN(Preferences preferences, DerivePreferences(problem, options));
      absl::StatusOr<StableResult> r = DeferredAcceptance(problem, preferences, options);
      RETURN_IF_ERROR(stopped(r.status()));
      v1::ObjectiveTotals* totals = summary->mutable_result();
      totals->set_objective(v1::STABLE);
      double total_score = 0;
      for (const Placement& p : r->placements) total_score += p.score;
      totals->set_total_score(total_score);
      totals->set_placements(static_cast<int32_t>(r->placements.size()));
      totals->set_assigned_participants(r->assigned_participants);
      FillFairness(r->fairness, totals->mutable_fairness());
      summary->set_blocking_pairs(r->blocking_pairs);
      placements = std::move(r->placements);
      unassigned = std::move(r->unassigned);
    } else if (request->compare_objectives()) {
      absl::StatusOr<ObjectiveComparison> r = CompareObjectives(problem, options);
      RETURN_IF_ERROR(stopped(r.status()));
      const bool anti = options.objective == Objective::kAntiCreaming;
      AssignmentResult& chosen = anti ? r->anti_creaming : r->quality;
      const AssignmentResult& other = anti ? r->quality : r->anti_creaming;
      FillTotals(ToProto(options.objective), chosen, summary->mutable_result());
      FillTotals(anti ? v1::MATCH_QUALITY : v1::ANTI_CREAMING, other, summary->mutable_other());
      for (const GroupComparison& g : r->groups) {
        v1::GroupComparison* o = summary->add_comparison();
        o->set_barriers(g.barriers);
        o->set_pool(g.pool);
        o->set_assigned_quality(g.assigned_quality);
        o->set_assigned_anti_creaming(g.assigned_anti_creaming);
        o->set_share_quality(g.share_quality);
        o->set_share_anti_creaming(g.share_anti_creaming);
      }
      summary->set_score_cost(r->score_cost);
      placements = std::move(chosen.placements);
      unassigned = std::move(chosen.unassigned);
    } else {
      absl::StatusOr<AssignmentResult> r = carvematch::Assign(problem, options);
      RETURN_IF_ERROR(stopped(r.status()));
      FillTotals(ToProto(options.objective), *r, summary->mutable_result());
      placements = std::move(r->placements);
      unassigned = std::move(r->unassigned);
    }

    // Placements and unassigned participants, chunked: no message above kChunkBytes.
    v1::AssignResponse chunk;
    size_t chunk_bytes = kChunkWrapperBytes;
    auto flush = [&]() -> bool {
      if (chunk_bytes == kChunkWrapperBytes) return true;
      bool ok = writer->Write(chunk);
      chunk.Clear();
      chunk_bytes = kChunkWrapperBytes;
      return ok;
    };
    // Adds one element of `bytes` body bytes to the chunk, after sending the chunk first
    // when the element would not fit.
    auto make_room = [&](size_t bytes) -> bool {
      const size_t entry = RepeatedEntryBytes(bytes);
      if (chunk_bytes + entry > kChunkBytes && !flush()) return false;
      chunk_bytes += entry;
      return true;
    };
    for (const Placement& p : placements) {
      v1::Placement o;
      o.set_participant_id(participants[p.participant]->id);
      o.set_vacancy_id(contexts[p.vacancy].vacancy->id);
      o.set_score(p.score);
      o.set_tier(static_cast<v1::Tier>(static_cast<int>(p.tier)));
      if (!make_room(o.ByteSizeLong())) return absl::CancelledError("the client went away");
      *chunk.mutable_placements()->add_placements() = std::move(o);
    }
    if (!flush()) return absl::CancelledError("the client went away");
    for (const UnassignedParticipant& u : unassigned) {
      v1::Unassigned o;
      o.set_participant_id(participants[u.participant]->id);
      o.set_reason(ToProto(u.reason));
      o.set_eligible_vacancies(u.eligible_vacancies);
      if (!make_room(o.ByteSizeLong())) return absl::CancelledError("the client went away");
      *chunk.mutable_unassigned()->add_unassigned() = std::move(o);
    }
    if (!flush()) return absl::CancelledError("the client went away");

    int64_t places = 0;
    for (int cap : problem.capacity) places += cap;
    summary->set_participants(problem.participants);
    summary->set_vacancies(problem.vacancies());
    summary->set_places(places);
    summary->set_candidate_edges(static_cast<int64_t>(problem.edges.size()));
    summary->set_unassigned(static_cast<int32_t>(unassigned.size()));
    if (!writer->Write(summary_message)) return absl::CancelledError("the client went away");
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
