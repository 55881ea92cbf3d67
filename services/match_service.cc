#include "services/match_service.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "model/status.h"
#include "services/convert.h"
#include "services/grpc_status.h"

namespace carvematch {
namespace {

constexpr int kMaxLimit = 500;

absl::StatusOr<int> Limit(int requested) {
  if (requested == 0) return 20;
  if (requested < 0 || requested > kMaxLimit) {
    return InvalidField("limit", absl::StrCat(requested, " is outside 1..", kMaxLimit));
  }
  return requested;
}

// Family situation is a protected ground: an employer's card says that a personal
// schedule constraint exists and what fixes it, never that it is childcare.
void ItemsToProto(const std::vector<ExplanationItem>& items, bool for_employer,
                  google::protobuf::RepeatedPtrField<v1::ExplanationItem>* out) {
  for (const ExplanationItem& item : items) {
    v1::ExplanationItem* p = out->Add();
    bool private_item = for_employer && item.criterion == "childcare";
    p->set_criterion(private_item ? "schedule" : item.criterion);
    p->set_status(static_cast<v1::ExplanationItem::Status>(static_cast<int>(item.status)));
    p->set_message(private_item ? "personal schedule constraint around the shift times"
                                : item.message);
    p->set_accommodation(static_cast<v1::Accommodation>(static_cast<int>(item.accommodation)));
  }
}

v1::Tier TierToProto(Tier tier) { return static_cast<v1::Tier>(static_cast<int>(tier)); }

void CommonToProto(const MatchResult& r, v1::TransportMode* mode, int32_t* minutes) {
  *mode = r.commute_mode ? static_cast<v1::TransportMode>(static_cast<int>(*r.commute_mode))
                         : v1::TRANSPORT_MODE_UNSPECIFIED;
  *minutes = r.commute_minutes > 0 ? r.commute_minutes : 0;
}

}  // namespace

MatchServiceImpl::MatchServiceImpl(ServiceContext services) : services_(services) {
  unsigned char salt[16];
  RAND_bytes(salt, sizeof(salt));
  card_salt_.assign(reinterpret_cast<const char*>(salt), sizeof(salt));
}

grpc::Status MatchServiceImpl::RankVacancies(grpc::ServerContext* context,
                                             const v1::RankVacanciesRequest* request,
                                             v1::RankVacanciesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    if (!caller.is_admin() && !caller.coaches()) {
      return absl::PermissionDeniedError(
          "only coaches, agencies and admins rank vacancies for a participant");
    }
    if (request->participant_id().empty()) {
      return InvalidField("participant_id", "participant_id is required");
    }
    ASSIGN_OR_RETURN(int limit, Limit(request->limit()));
    ASSIGN_OR_RETURN(Participant participant,
                     services_.repository->GetParticipant(request->participant_id()));
    if (!caller.SameOrganisation(participant.organisation_id)) {
      return absl::NotFoundError(
          absl::StrCat("participant \"", request->participant_id(), "\" not found"));
    }
    Repository& repo = *services_.repository;
    VacancyListQuery open;
    open.status = VacancyStatus::kOpen;
    ASSIGN_OR_RETURN(std::vector<Vacancy> vacancies, ListAllVacancies(repo, open));
    ASSIGN_OR_RETURN(std::vector<Employer> employers, ListAllEmployers(repo, ""));
    RETURN_IF_ERROR(CheckAlive(*context));
    std::map<std::string, const Employer*> by_id;
    for (const Employer& e : employers) by_id[e.id] = &e;
    std::vector<VacancyContext> candidates;
    for (const Vacancy& v : vacancies) {
      auto it = by_id.find(v.employer_id);
      if (it == by_id.end()) continue;
      const Site* site = it->second->FindSite(v.site_id);
      if (site == nullptr) continue;
      candidates.push_back({&v, it->second, site});
    }
    MatchOptions options;
    options.limit = limit;
    options.include_blocked = request->include_blocked();
    ASSIGN_OR_RETURN(std::vector<MatchResult> results,
                     services_.matcher->RankVacancies(participant, candidates, options));
    std::map<std::string, const VacancyContext*> context_of;
    for (const VacancyContext& c : candidates) context_of[c.vacancy->id] = &c;
    for (const MatchResult& r : results) {
      v1::Match* m = response->add_matches();
      m->set_participant_id(r.participant_id);
      m->set_vacancy_id(r.vacancy_id);
      m->set_tier(TierToProto(r.tier));
      m->set_score(r.score);
      v1::TransportMode mode;
      int32_t minutes;
      CommonToProto(r, &mode, &minutes);
      m->set_commute_mode(mode);
      m->set_commute_minutes(minutes);
      ItemsToProto(r.items, /*for_employer=*/false, m->mutable_items());
      for (Accommodation a : r.accommodations) {
        m->add_accommodations(static_cast<v1::Accommodation>(static_cast<int>(a)));
      }
      const VacancyContext* c = context_of[r.vacancy_id];
      m->set_vacancy_title(c->vacancy->title);
      m->set_employer_name(c->employer->display_name);
      m->set_municipality(c->site->location.municipality);
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status MatchServiceImpl::RankParticipants(grpc::ServerContext* context,
                                                const v1::RankParticipantsRequest* request,
                                                v1::RankParticipantsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    if (request->vacancy_id().empty()) {
      return InvalidField("vacancy_id", "vacancy_id is required");
    }
    ASSIGN_OR_RETURN(int limit, Limit(request->limit()));
    Repository& repo = *services_.repository;
    ASSIGN_OR_RETURN(Vacancy vacancy, repo.GetVacancy(request->vacancy_id()));
    ASSIGN_OR_RETURN(Employer employer, repo.GetEmployer(vacancy.employer_id));
    const Site* site = employer.FindSite(vacancy.site_id);
    if (site == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("vacancy \"", vacancy.id, "\" names a site its employer no longer has"));
    }
    // Employers see candidates for their own vacancies only; coaches and agencies rank
    // their own participants for any vacancy; admins see everyone.
    std::string scope;  // organisation whose participants are ranked; "" = all
    if (caller.role == Role::kEmployer) {
      if (employer.organisation_id != caller.organisation_id) {
        return absl::PermissionDeniedError(
            absl::StrCat("vacancy \"", vacancy.id, "\" is not one of your organisation's"));
      }
    } else if (!caller.is_admin()) {
      scope = caller.organisation_id;
    }
    ASSIGN_OR_RETURN(std::vector<Participant> pool, ListAllParticipants(repo, scope));
    RETURN_IF_ERROR(CheckAlive(*context));
    std::vector<const Participant*> eligible;
    std::map<std::string, const Participant*> by_id;
    for (const Participant& p : pool) {
      // Employers only ever see people who agreed to share an anonymous card.
      if (caller.role == Role::kEmployer && !p.consent.share_anonymous_card) continue;
      eligible.push_back(&p);
      by_id[p.id] = &p;
    }
    MatchOptions options;
    options.limit = limit;
    options.include_blocked = request->include_blocked();
    ASSIGN_OR_RETURN(
        std::vector<MatchResult> results,
        services_.matcher->RankParticipants({&vacancy, &employer, site}, eligible, options));
    for (const MatchResult& r : results) {
      const Participant& p = *by_id[r.participant_id];
      v1::CandidateCard* card = response->add_candidates();
      unsigned char digest[SHA256_DIGEST_LENGTH];
      std::string material = absl::StrCat(card_salt_, vacancy.id, "\n", p.id);
      SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), digest);
      card->set_card_id(absl::StrCat("cand-", absl::BytesToHexString(absl::string_view(
                                                  reinterpret_cast<const char*>(digest), 6))));
      card->set_tier(TierToProto(r.tier));
      card->set_score(r.score);
      for (const SkillClaim& s : p.skills) {
        v1::SkillClaim* c = card->add_skills();
        c->set_skill_uri(s.skill_uri);
        c->set_level(s.level);
        c->set_source(static_cast<v1::EvidenceSource>(static_cast<int>(s.source)));
      }
      *card->mutable_dutch() = LanguageToProto(p.dutch);
      v1::TransportMode mode;
      int32_t minutes;
      CommonToProto(r, &mode, &minutes);
      card->set_commute_mode(mode);
      card->set_commute_minutes(minutes);
      ItemsToProto(r.items, caller.role == Role::kEmployer, card->mutable_items());
      for (Accommodation a : r.accommodations) {
        card->add_accommodations(static_cast<v1::Accommodation>(static_cast<int>(a)));
      }
      card->set_min_hours_per_week(p.min_hours_per_week);
      card->set_max_hours_per_week(p.max_hours_per_week);
      if (caller.role != Role::kEmployer && caller.SameOrganisation(p.organisation_id)) {
        card->set_participant_id(p.id);
      }
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
