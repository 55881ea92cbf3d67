// MatchService.BulkRank: many participants x many vacancies for agencies, streamed.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
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

struct Ranked {
  int participant = 0;  // index into the job's participants
  int vacancy = 0;      // index into the job's vacancies
  Tier tier = Tier::kUnspecified;
  double score = 0;
};

// The matcher's order: tier (fits first), score descending, then the id given.
bool Better(const Ranked& a, const Ranked& b, const std::string& a_id, const std::string& b_id) {
  if (a.tier != b.tier) return a.tier < b.tier;
  if (a.score != b.score) return a.score > b.score;
  return a_id < b_id;
}

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
    std::vector<int> context_vacancy;  // job vacancy index of each context
    std::map<std::string, int> context_of_id;
    for (size_t v = 0; v < job.vacancies.size(); ++v) {
      const Site* site = job.employers[v]->FindSite(job.vacancies[v]->site_id);
      if (site == nullptr) continue;
      context_of_id[job.vacancies[v]->id] = static_cast<int>(contexts.size());
      contexts.push_back({job.vacancies[v].get(), job.employers[v].get(), site});
      context_vacancy.push_back(static_cast<int>(v));
    }

    const int64_t total = static_cast<int64_t>(job.participants.size()) * contexts.size();
    int64_t done = 0;
    int64_t next_progress = 0;
    auto send_progress = [&]() -> absl::Status {
      v1::BulkRankResponse message;
      message.mutable_progress()->set_pairs_done(done);
      message.mutable_progress()->set_pairs_total(total);
      if (!writer->Write(message)) return absl::CancelledError("the client went away");
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(send_progress());

    // Per vacancy, a bounded heap of its best participants (worst on top).
    std::vector<std::vector<Ranked>> vacancy_top(contexts.size());
    auto worse_first = [&](const Ranked& a, const Ranked& b) {
      return Better(a, b, job.participants[a.participant]->id, job.participants[b.participant]->id);
    };
    MatchOptions options;
    options.limit = 0;
    options.include_blocked = request->include_blocked();
    for (size_t p = 0; p < job.participants.size(); ++p) {
      RETURN_IF_ERROR(CheckAlive(*context));
      ASSIGN_OR_RETURN(std::vector<MatchResult> results,
                       services_.matcher->RankVacancies(*job.participants[p], contexts, options));
      v1::BulkRankResponse message;
      auto* top = message.mutable_participant();
      top->set_participant_id(job.participants[p]->id);
      for (const MatchResult& r : results) {
        Ranked ranked{static_cast<int>(p), context_of_id[r.vacancy_id], r.tier, r.score};
        if (top->vacancies_size() < top_k) {
          v1::RankedPair* pair = top->add_vacancies();
          pair->set_participant_id(r.participant_id);
          pair->set_vacancy_id(r.vacancy_id);
          pair->set_tier(static_cast<v1::Tier>(static_cast<int>(r.tier)));
          pair->set_score(r.score);
        }
        std::vector<Ranked>& heap = vacancy_top[ranked.vacancy];
        if (static_cast<int>(heap.size()) < top_k) {
          heap.push_back(ranked);
          std::push_heap(heap.begin(), heap.end(), worse_first);
        } else if (worse_first(ranked, heap.front())) {
          std::pop_heap(heap.begin(), heap.end(), worse_first);
          heap.back() = ranked;
          std::push_heap(heap.begin(), heap.end(), worse_first);
        }
      }
      if (!writer->Write(message)) return absl::CancelledError("the client went away");
      done += static_cast<int64_t>(contexts.size());
      if (done >= next_progress) {
        RETURN_IF_ERROR(send_progress());
        next_progress = done + kProgressEveryPairs;
      }
    }
    for (size_t v = 0; v < contexts.size(); ++v) {
      std::vector<Ranked>& heap = vacancy_top[v];
      std::sort_heap(heap.begin(), heap.end(), worse_first);
      v1::BulkRankResponse message;
      auto* top = message.mutable_vacancy();
      top->set_vacancy_id(contexts[v].vacancy->id);
      for (const Ranked& r : heap) {
        v1::RankedPair* pair = top->add_participants();
        pair->set_participant_id(job.participants[r.participant]->id);
        pair->set_vacancy_id(contexts[v].vacancy->id);
        pair->set_tier(static_cast<v1::Tier>(static_cast<int>(r.tier)));
        pair->set_score(r.score);
      }
      if (!writer->Write(message)) return absl::CancelledError("the client went away");
    }
    return send_progress();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
