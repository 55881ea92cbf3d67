#include "services/match_service.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "matcher/vacancy_catalog.h"
#include "matcher/what_if.h"
#include "model/status.h"
#include "services/candidate_card.h"
#include "services/convert.h"
#include "services/grpc_status.h"
#include "services/ranking_gate.h"

namespace carvematch {
namespace {

constexpr int kMaxLimit = 500;
constexpr char kPageTokenPrefix[] = "rank1:";
constexpr int64_t kMaxPageEnd = std::numeric_limits<int>::max();

absl::StatusOr<int> Limit(int requested) {
  if (requested == 0) return 20;
  if (requested < 0 || requested > kMaxLimit) {
    return InvalidField("limit", absl::StrCat(requested, " is outside 1..", kMaxLimit));
  }
  return requested;
}

// Ranking page tokens carry the offset into the filtered ranking.
absl::StatusOr<int> PageOffset(const std::string& token) {
  if (token.empty()) return 0;
  int offset = -1;
  if (!absl::StartsWith(token, kPageTokenPrefix) ||
      !absl::SimpleAtoi(token.substr(sizeof(kPageTokenPrefix) - 1), &offset) || offset < 0) {
    return InvalidField("page_token", "not a token returned by this method");
  }
  return offset;
}

// One past the last position of the page (no overflow for a huge offset).
int PageEnd(int offset, int limit) {
  return static_cast<int>(std::min<int64_t>(int64_t{offset} + limit, kMaxPageEnd));
}

std::string NextPageToken(int offset, int limit, size_t total) {
  const int end = PageEnd(offset, limit);
  return static_cast<size_t>(end) < total ? absl::StrCat(kPageTokenPrefix, end) : "";
}

v1::Tier TierToProto(Tier tier) { return static_cast<v1::Tier>(static_cast<int>(tier)); }

v1::TransportMode ModeToProto(const MatchResult& r) {
  return r.commute_mode ? static_cast<v1::TransportMode>(static_cast<int>(*r.commute_mode))
                        : v1::TRANSPORT_MODE_UNSPECIFIED;
}

void AccommodationsToProto(const std::vector<Accommodation>& list,
                           google::protobuf::RepeatedField<int>* out) {
  for (Accommodation a : list) out->Add(static_cast<int>(a));
}

// The filter of a request, checked. Tiers: BLOCKED only with include_blocked.
struct Filter {
  std::vector<Tier> tiers;
  std::vector<std::string> sectors;
  int max_commute_minutes = 0;
  std::vector<TargetOutcome> outcomes;

  // The same conditions for the numeric ranking (matcher/vacancy_catalog.h).
  CatalogFilter ForCatalog(bool include_blocked) const {
    CatalogFilter f;
    f.include_blocked = include_blocked;
    f.tiers = tiers;
    f.sector_prefixes = sectors;
    f.max_commute_minutes = max_commute_minutes;
    f.outcomes = outcomes;
    return f;
  }
};

absl::StatusOr<Filter> FilterFromProto(const v1::MatchFilter& f, bool include_blocked) {
  ViolationCollector c("filter");
  Filter out;
  for (int i = 0; i < f.tiers_size(); ++i) {
    int t = f.tiers(i);
    if (t < 1 || t > 3) {
      c.Add(absl::StrCat("tiers[", i, "]"), "unknown tier");
    } else if (t == v1::BLOCKED && !include_blocked) {
      c.Add(absl::StrCat("tiers[", i, "]"), "BLOCKED needs include_blocked");
    } else {
      out.tiers.push_back(static_cast<Tier>(t));
    }
  }
  if (out.tiers.empty() && f.tiers().empty()) {
    out.tiers = {Tier::kFits, Tier::kFitsWithAccommodations};
    if (include_blocked) out.tiers.push_back(Tier::kBlocked);
  }
  out.sectors.assign(f.sectors().begin(), f.sectors().end());
  if (f.max_commute_minutes() < 0) c.Add("max_commute_minutes", "must not be negative");
  out.max_commute_minutes = f.max_commute_minutes();
  for (int i = 0; i < f.outcomes_size(); ++i) {
    int o = f.outcomes(i);
    if (o < 1 || o > 8) c.Add(absl::StrCat("outcomes[", i, "]"), "unknown outcome");
    out.outcomes.push_back(static_cast<TargetOutcome>(o));
  }
  RETURN_IF_ERROR(c.Finish("invalid filter"));
  return out;
}

absl::StatusOr<Hypothesis> HypothesisFromProto(const v1::Hypothesis& h) {
  Hypothesis out;
  for (int m : h.add_transport_modes())
    out.add_transport_modes.push_back(static_cast<TransportMode>(m));
  out.add_licences.assign(h.add_licences().begin(), h.add_licences().end());
  std::vector<FieldViolation> unparsed;
  v1::Participant carrier;  // reuse the participant conversion for the language texts
  *carrier.mutable_dutch() = h.dutch();
  out.dutch = ParticipantFromProto(carrier, &unparsed, "what_if").dutch;
  out.max_commute_minutes = h.max_commute_minutes();
  for (int a : h.add_accommodations())
    out.add_accommodations.push_back(static_cast<Accommodation>(a));
  ViolationCollector c("what_if");
  for (size_t i = 0; i < out.add_transport_modes.size(); ++i) {
    int m = static_cast<int>(out.add_transport_modes[i]);
    if (m < 1 || m > kTransportModeCount) {
      c.Add(absl::StrCat("add_transport_modes[", i, "]"), "unknown transport mode");
    }
  }
  for (size_t i = 0; i < out.add_accommodations.size(); ++i) {
    int a = static_cast<int>(out.add_accommodations[i]);
    if (a < 1 || a > 8) c.Add(absl::StrCat("add_accommodations[", i, "]"), "unknown accommodation");
  }
  if (out.max_commute_minutes < 0 || out.max_commute_minutes > 240) {
    c.Add("max_commute_minutes", "outside 0..240");
  }
  RETURN_IF_ERROR(MergeViolations(unparsed, c.Finish("invalid what_if"), "invalid what_if"));
  return out;
}

}  // namespace

MatchServiceImpl::MatchServiceImpl(ServiceContext services) : services_(services) {
  // Prepare the vacancy side of the online ranking now rather than on the first call.
  if (services_.index != nullptr && services_.matcher != nullptr) {
    services_.index->PrepareCatalog(services_.matcher->credit());
  }
}

absl::StatusOr<std::shared_ptr<const Participant>> MatchServiceImpl::OwnParticipant(
    const Caller& caller, const std::string& id) const {
  if (!caller.is_admin() && !caller.coaches()) {
    return absl::PermissionDeniedError(
        "only coaches, agencies and admins rank vacancies for a participant");
  }
  if (id.empty()) return InvalidField("participant_id", "participant_id is required");
  std::shared_ptr<const Participant> p = services_.index->FindParticipant(id);
  if (p == nullptr || !caller.SameOrganisation(p->organisation_id)) {
    return absl::NotFoundError(absl::StrCat("participant \"", id, "\" not found"));
  }
  return p;
}

void MatchServiceImpl::FillMatch(const MatchResult& r, const Vacancy& v, const Employer& e,
                                 const Site& site, v1::Match* m) const {
  m->set_participant_id(r.participant_id);
  m->set_vacancy_id(r.vacancy_id);
  m->set_tier(TierToProto(r.tier));
  m->set_score(r.score);
  v1::ScoreParts* parts = m->mutable_score_parts();
  parts->set_skills(r.parts.skills);
  parts->set_commute(r.parts.commute);
  parts->set_language(r.parts.language);
  parts->set_hours(r.parts.hours);
  parts->set_preferences(r.parts.preferences);
  parts->set_sustainability(r.parts.sustainability);
  parts->set_penalty(r.parts.penalty);
  m->set_commute_mode(ModeToProto(r));
  m->set_commute_minutes(std::max(0, r.commute_minutes));
  ExplanationItemsToProto(r.items, /*anonymous=*/false, m->mutable_items());
  AccommodationsToProto(r.accommodations, m->mutable_accommodations());
  m->set_vacancy_title(v.title);
  m->set_employer_name(e.display_name);
  m->set_municipality(site.location.municipality);
  m->set_sector(e.sector);
  m->set_outcome(static_cast<v1::TargetOutcome>(static_cast<int>(v.outcome)));
}

grpc::Status MatchServiceImpl::RankVacancies(grpc::ServerContext* context,
                                             const v1::RankVacanciesRequest* request,
                                             v1::RankVacanciesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    ASSIGN_OR_RETURN(std::shared_ptr<const Participant> participant,
                     OwnParticipant(caller, request->participant_id()));
    ASSIGN_OR_RETURN(int limit, Limit(request->limit()));
    ASSIGN_OR_RETURN(int offset, PageOffset(request->page_token()));
    ASSIGN_OR_RETURN(Filter filter, FilterFromProto(request->filter(), request->include_blocked()));

    std::shared_ptr<const VacancyCatalog::Snapshot> open = services_.index->VacancySnapshot();
    if (open == nullptr) {
      services_.index->PrepareCatalog(services_.matcher->credit());
      open = services_.index->VacancySnapshot();
    }
    RETURN_IF_ERROR(CheckAlive(*context));
    RankingSlot slot(services_.ranking_gate);
    RETURN_IF_ERROR(slot.Enter(*context));
    // Numbers for every pair that passes the filter (total and paging; only the best
    // up to the page's end are kept), explanations only for the page.
    const CatalogPage ranked =
        RankVacanciesTop(*services_.matcher, *participant, *open,
                         filter.ForCatalog(request->include_blocked()), PageEnd(offset, limit));
    response->set_total_size(static_cast<int>(ranked.total));
    response->set_next_page_token(NextPageToken(offset, limit, ranked.total));
    // The page's explanations in one Matcher::RankVacancies call (one need space and
    // one best-credit pass for the page, not one per pair): each result is the one
    // Matcher::Explain gives for its pair (tests/matcher/vacancy_catalog_test.cc).
    std::vector<VacancyContext> page;
    for (size_t i = offset; i < ranked.best.size(); ++i) {
      page.push_back(ranked.best[i].entry->context());
    }
    MatchOptions all;
    all.limit = 0;
    all.include_blocked = true;
    ASSIGN_OR_RETURN(std::vector<MatchResult> explained,
                     services_.matcher->RankVacancies(*participant, page, all));
    std::unordered_map<std::string, MatchResult*> by_id;
    for (MatchResult& r : explained) by_id[r.vacancy_id] = &r;
    for (const VacancyContext& c : page) {
      auto found = by_id.find(c.vacancy->id);
      if (found == by_id.end()) {
        return absl::InternalError(absl::StrCat("no explanation for ", c.vacancy->id));
      }
      const MatchResult& r = *found->second;
      v1::Match* m = response->add_matches();
      FillMatch(r, *c.vacancy, *c.employer, *c.site, m);
      if (r.tier == Tier::kBlocked) {
        RETURN_IF_ERROR(CheckAlive(*context));
        ASSIGN_OR_RETURN(std::optional<std::vector<Accommodation>> unblock,
                         SmallestUnblockingSet(*services_.matcher, *participant, c));
        if (unblock) AccommodationsToProto(*unblock, m->mutable_unblock_with());
      }
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
    ASSIGN_OR_RETURN(int offset, PageOffset(request->page_token()));
    ASSIGN_OR_RETURN(Filter filter, FilterFromProto(request->filter(), request->include_blocked()));
    MatchIndex::OpenVacancy found = services_.index->FindVacancy(request->vacancy_id());
    if (found.vacancy == nullptr || found.employer == nullptr) {
      return absl::NotFoundError(absl::StrCat("vacancy \"", request->vacancy_id(), "\" not found"));
    }
    const Vacancy& vacancy = *found.vacancy;
    const Employer& employer = *found.employer;
    const Site* site = employer.FindSite(vacancy.site_id);
    if (site == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("vacancy \"", vacancy.id, "\" names a site its employer no longer has"));
    }
    // Employers see candidates for their own vacancies only; coaches and agencies rank
    // their own participants for any vacancy; admins see everyone.
    std::string scope;
    const bool for_employer = caller.role == Role::kEmployer;
    if (for_employer) {
      if (employer.organisation_id != caller.organisation_id) {
        return absl::PermissionDeniedError(
            absl::StrCat("vacancy \"", vacancy.id, "\" is not one of your organisation's"));
      }
    } else if (!caller.is_admin()) {
      scope = caller.organisation_id;
    }
    std::vector<std::shared_ptr<const Participant>> pool = services_.index->Participants(scope);
    std::vector<const Participant*> eligible;
    for (const auto& p : pool) {
      // Employers only ever see people who agreed to share an anonymous card.
      if (for_employer && !p->consent.share_anonymous_card) continue;
      eligible.push_back(p.get());
    }
    RETURN_IF_ERROR(CheckAlive(*context));
    RankingSlot slot(services_.ranking_gate);
    RETURN_IF_ERROR(slot.Enter(*context));
    VacancyContext vacancy_context{&vacancy, &employer, site};
    ASSIGN_OR_RETURN(std::vector<ParticipantMatch> ranked,
                     RankParticipantsNumeric(*services_.matcher, vacancy_context, eligible,
                                             filter.ForCatalog(request->include_blocked()),
                                             PageEnd(offset, limit)));
    response->set_total_size(static_cast<int>(ranked.size()));
    response->set_next_page_token(NextPageToken(offset, limit, ranked.size()));
    // The page's explanations in one Matcher::RankParticipants call (one need space for
    // the vacancy, not one per candidate): each result is the one Matcher::Explain
    // gives for its pair (tests/matcher/vacancy_catalog_test.cc).
    std::vector<const Participant*> page;
    for (size_t i = offset; i < ranked.size() && i < static_cast<size_t>(PageEnd(offset, limit));
         ++i) {
      page.push_back(eligible[static_cast<size_t>(ranked[i].index)]);
    }
    MatchOptions all;
    all.limit = 0;
    all.include_blocked = true;
    ASSIGN_OR_RETURN(std::vector<MatchResult> explained,
                     services_.matcher->RankParticipants(vacancy_context, page, all));
    std::unordered_map<std::string, MatchResult*> by_id;
    for (MatchResult& r : explained) by_id[r.participant_id] = &r;
    for (const Participant* candidate : page) {
      const Participant& p = *candidate;
      auto explanation = by_id.find(p.id);
      if (explanation == by_id.end()) {
        return absl::InternalError(absl::StrCat("no explanation for ", p.id));
      }
      const MatchResult& r = *explanation->second;
      v1::CandidateCard* card = response->add_candidates();
      cards_.Fill(p, vacancy.id, r, for_employer, caller, card);
      if (r.tier == Tier::kBlocked) {
        RETURN_IF_ERROR(CheckAlive(*context));
        ASSIGN_OR_RETURN(std::optional<std::vector<Accommodation>> unblock,
                         SmallestUnblockingSet(*services_.matcher, p, vacancy_context));
        if (unblock) AccommodationsToProto(*unblock, card->mutable_unblock_with());
      }
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status MatchServiceImpl::ExplainMatch(grpc::ServerContext* context,
                                            const v1::ExplainMatchRequest* request,
                                            v1::ExplainMatchResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    ASSIGN_OR_RETURN(std::shared_ptr<const Participant> participant,
                     OwnParticipant(caller, request->participant_id()));
    if (request->vacancy_id().empty()) {
      return InvalidField("vacancy_id", "vacancy_id is required");
    }
    ASSIGN_OR_RETURN(Hypothesis what_if, HypothesisFromProto(request->what_if()));
    MatchIndex::OpenVacancy found = services_.index->FindVacancy(request->vacancy_id());
    if (found.vacancy == nullptr || found.employer == nullptr) {
      return absl::NotFoundError(absl::StrCat("vacancy \"", request->vacancy_id(), "\" not found"));
    }
    const Site* site = found.employer->FindSite(found.vacancy->site_id);
    if (site == nullptr) {
      return absl::FailedPreconditionError("the vacancy names a site its employer no longer has");
    }
    VacancyContext c{found.vacancy.get(), found.employer.get(), site};
    ASSIGN_OR_RETURN(MatchResult current, services_.matcher->Explain(*participant, c));
    FillMatch(current, *c.vacancy, *c.employer, *site, response->mutable_current());
    ASSIGN_OR_RETURN(std::optional<std::vector<Accommodation>> unblock,
                     SmallestUnblockingSet(*services_.matcher, *participant, c));
    if (unblock)
      AccommodationsToProto(*unblock, response->mutable_current()->mutable_unblock_with());
    if (!what_if.empty()) {
      ASSIGN_OR_RETURN(MatchResult changed,
                       ExplainWhatIf(*services_.matcher, *participant, c, what_if));
      FillMatch(changed, *c.vacancy, *c.employer, *site, response->mutable_hypothetical());
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
