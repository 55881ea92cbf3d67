// MatchService.BulkRank: many participants x many vacancies for agencies, streamed.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "matcher/batch_ranker.h"
#include "matcher/recheck.h"
#include "model/status.h"
#include "model/validation.h"
#include "services/convert.h"
#include "services/grpc_status.h"
#include "services/match_service.h"

namespace carvematch {
namespace {

constexpr int kMaxTopK = 100;
// A progress message after this many pairs (and at the end).
constexpr int64_t kProgressEveryPairs = 200000;

struct Job {
  std::vector<std::shared_ptr<const Participant>> participants;
  std::vector<std::shared_ptr<const Vacancy>> vacancies;
  std::vector<std::shared_ptr<const Employer>> employers;  // per vacancy
};

}  // namespace

grpc::Status MatchServiceImpl::BulkRank(grpc::ServerContext* context,
                                        const v1::BulkRankRequest* request,
                                        grpc::ServerWriter<v1::BulkRankResponse>* writer) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    if (!caller.is_admin() && !caller.coaches()) {
      return absl::PermissionDeniedError("BulkRank is for agencies, coaches and admins");
    }
    int top_k = request->top_k() == 0 ? 10 : request->top_k();
    if (top_k < 1 || top_k > kMaxTopK) {
      return InvalidField("top_k", absl::StrCat(request->top_k(), " is outside 1..", kMaxTopK));
    }
    const std::string scope = caller.is_admin() ? "" : caller.organisation_id;

    // The job: stored records by id, inline records validated, or everything visible.
    Job job;
    ViolationCollector c;
    for (int i = 0; i < request->participant_ids_size(); ++i) {
      auto p = services_.index->FindParticipant(request->participant_ids(i));
      if (p == nullptr || !caller.SameOrganisation(p->organisation_id)) {
        c.Add(absl::StrCat("participant_ids[", i, "]"),
              absl::StrCat("no participant \"", request->participant_ids(i), "\""));
      } else {
        job.participants.push_back(p);
      }
    }
    std::vector<FieldViolation> unparsed;
    for (int i = 0; i < request->participants_size(); ++i) {
      std::string root = absl::StrCat("participants[", i, "]");
      Participant p = ParticipantFromProto(request->participants(i), &unparsed, root);
      if (p.organisation_id.empty()) p.organisation_id = caller.organisation_id;
      if (!caller.SameOrganisation(p.organisation_id)) {
        c.Add(root + ".organisation_id", "must be your organisation");
      }
      for (const FieldViolation& v :
           ViolationsOf(ValidateParticipant(p, *services_.taxonomy, root))) {
        c.Add(v.field, v.description);
      }
      job.participants.push_back(std::make_shared<const Participant>(std::move(p)));
    }
    for (int i = 0; i < request->vacancy_ids_size(); ++i) {
      MatchIndex::OpenVacancy v = services_.index->FindVacancy(request->vacancy_ids(i));
      if (v.vacancy == nullptr || v.employer == nullptr) {
        c.Add(absl::StrCat("vacancy_ids[", i, "]"),
              absl::StrCat("no vacancy \"", request->vacancy_ids(i), "\""));
      } else {
        job.vacancies.push_back(v.vacancy);
        job.employers.push_back(v.employer);
      }
    }
    for (int i = 0; i < request->vacancies_size(); ++i) {
      std::string root = absl::StrCat("vacancies[", i, "]");
      Vacancy v = VacancyFromProto(request->vacancies(i), &unparsed, root);
      auto employer = services_.index->FindEmployer(v.employer_id);
      if (employer == nullptr) {
        c.Add(root + ".employer_id", absl::StrCat("no employer \"", v.employer_id, "\""));
        continue;
      }
      for (const FieldViolation& fv :
           ViolationsOf(ValidateVacancy(v, *employer, *services_.taxonomy, root))) {
        c.Add(fv.field, fv.description);
      }
      job.vacancies.push_back(std::make_shared<const Vacancy>(std::move(v)));
      job.employers.push_back(employer);
    }
    RETURN_IF_ERROR(MergeViolations(unparsed, c.Finish("invalid BulkRank request"),
                                    "invalid BulkRank request"));
    if (request->participant_ids().empty() && request->participants().empty()) {
      job.participants = services_.index->Participants(scope);
    }
    if (request->vacancy_ids().empty() && request->vacancies().empty()) {
      for (const MatchIndex::OpenVacancy& o : services_.index->OpenVacancies()) {
        job.vacancies.push_back(o.vacancy);
        job.employers.push_back(o.employer);
      }
    }

    std::vector<VacancyContext> contexts;
    for (size_t v = 0; v < job.vacancies.size(); ++v) {
      const Site* site = job.employers[v]->FindSite(job.vacancies[v]->site_id);
      if (site == nullptr) continue;
      contexts.push_back({job.vacancies[v].get(), job.employers[v].get(), site});
    }

    std::vector<const Participant*> participants;
    for (const auto& p : job.participants) participants.push_back(p.get());
    const int64_t total = static_cast<int64_t>(participants.size()) * contexts.size();
    int64_t last_reported = -1;
    auto send_progress = [&](int64_t done) -> bool {
      if (done == last_reported) return true;
      last_reported = done;
      v1::BulkRankResponse message;
      message.mutable_progress()->set_pairs_done(done);
      message.mutable_progress()->set_pairs_total(total);
      message.mutable_progress()->set_phase(v1::BulkRankResponse::Progress::RANKING);
      return writer->Write(message);
    };
    if (!send_progress(0)) return absl::CancelledError("the client went away");

    // The fused batch kernel (matcher/batch_ranker.h): top-k both ways in one pass. With
    // a timetable the pass runs over the zone-to-site matrix and proposes twice the
    // pairs; the exact matcher then re-scores those and keeps the best top_k
    // (matcher/recheck.h).
    const std::shared_ptr<const Matcher> fast =
        services_.bulk_matcher ? services_.bulk_matcher() : nullptr;
    const bool two_pass = fast != nullptr;
    const Matcher& first_pass = two_pass ? *fast : *services_.matcher;
    BatchRankOptions options;
    options.top_k_per_participant = two_pass ? 2 * top_k : top_k;
    options.top_k_per_vacancy = two_pass ? 2 * top_k : top_k;
    options.include_blocked = request->include_blocked();
    int64_t next_progress = kProgressEveryPairs;
    bool client_gone = false;
    options.progress = [&](int64_t done, int64_t) {
      if (!CheckAlive(*context).ok()) return false;
      if (done >= next_progress && done < total) {
        next_progress = done + kProgressEveryPairs;
        if (!send_progress(done)) {
          client_gone = true;
          return false;
        }
      }
      return true;
    };
    absl::StatusOr<BatchRankResult> ranked = RankAll(first_pass, participants, contexts, options);
    if (ranked.ok() && two_pass) {
      RecheckOptions recheck;
      recheck.top_k_per_participant = top_k;
      recheck.top_k_per_vacancy = top_k;
      recheck.include_blocked = request->include_blocked();
      // Progress of the re-check: after its first site, then every kProgressEveryPairs /
      // 10 pairs (each costs more than a first-pass pair), and at its end.
      int64_t next_recheck = 0;
      recheck.progress = [&](int64_t done, int64_t pairs) {
        if (!CheckAlive(*context).ok()) return false;
        if (done < next_recheck && done < pairs) return true;
        next_recheck = done + kProgressEveryPairs / 10;
        v1::BulkRankResponse message;
        message.mutable_progress()->set_pairs_done(done);
        message.mutable_progress()->set_pairs_total(pairs);
        message.mutable_progress()->set_phase(v1::BulkRankResponse::Progress::RECHECKING);
        if (!writer->Write(message)) {
          client_gone = true;
          return false;
        }
        return true;
      };
      ranked = RecheckRanking(*services_.matcher, participants, contexts, *ranked, recheck);
    }
    if (absl::IsCancelled(ranked.status())) {
      RETURN_IF_ERROR(CheckAlive(*context));
      if (client_gone) return absl::CancelledError("the client went away");
    }
    RETURN_IF_ERROR(ranked.status());

    auto add_pair = [](const std::string& participant_id, const std::string& vacancy_id, Tier tier,
                       double score, google::protobuf::RepeatedPtrField<v1::RankedPair>* out) {
      v1::RankedPair* pair = out->Add();
      pair->set_participant_id(participant_id);
      pair->set_vacancy_id(vacancy_id);
      pair->set_tier(static_cast<v1::Tier>(static_cast<int>(tier)));
      pair->set_score(score);
    };
    for (size_t p = 0; p < participants.size(); ++p) {
      v1::BulkRankResponse message;
      auto* top = message.mutable_participant();
      top->set_participant_id(participants[p]->id);
      for (const RankedVacancy& r : ranked->for_participant[p]) {
        add_pair(participants[p]->id, contexts[r.vacancy].vacancy->id, r.tier, r.score,
                 top->mutable_vacancies());
      }
      if (!writer->Write(message)) return absl::CancelledError("the client went away");
    }
    for (size_t v = 0; v < contexts.size(); ++v) {
      v1::BulkRankResponse message;
      auto* top = message.mutable_vacancy();
      top->set_vacancy_id(contexts[v].vacancy->id);
      for (const RankedParticipant& r : ranked->for_vacancy[v]) {
        add_pair(participants[r.participant]->id, contexts[v].vacancy->id, r.tier, r.score,
                 top->mutable_participants());
      }
      if (!writer->Write(message)) return absl::CancelledError("the client went away");
    }
    if (!send_progress(total)) return absl::CancelledError("the client went away");
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
