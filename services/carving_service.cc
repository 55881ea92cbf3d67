#include "services/carving_service.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "jobcarving/carving.h"
#include "jobcarving/requirement_review.h"
#include "matcher/what_if.h"
#include "model/status.h"
#include "model/validation.h"
#include "services/convert.h"
#include "services/grpc_status.h"

namespace carvematch {
namespace {

constexpr int kMaxVacanciesPerCarve = 50;
constexpr int kMaxTopCandidates = 20;
constexpr int kMaxProposals = 10;
constexpr int kMaxHeuristicSeeds = 1000;

template <typename P, typename D>
P ToProtoEnum(D value) {
  return static_cast<P>(static_cast<int>(value));
}

// FailedPrecondition carrying one field violation (a BadRequest detail at the edge):
// the request was well formed, but the stored state no longer matches it.
absl::Status StaleField(const std::string& field, const std::string& why) {
  const absl::Status with_field = InvalidField(field, why);
  absl::Status out = absl::FailedPreconditionError(
      absl::StrCat("the proposal no longer matches the stored vacancies: ", field, ": ", why));
  with_field.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

// A vacancy's weekly hours as the carving counts them (the sum of its tasks' hours
// when it states none).
double VacancyHours(const Vacancy& v) {
  if (v.hours_per_week > 0) return v.hours_per_week;
  double sum = 0;
  for (const Task& t : v.tasks) sum += t.hours_per_week;
  return sum;
}

bool SameSkills(const std::vector<SkillRequirement>& a, const std::vector<SkillRequirement>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].skill_uri != b[i].skill_uri || a[i].level != b[i].level ||
        a[i].essential != b[i].essential) {
      return false;
    }
  }
  return true;
}

// Everything but the id (a carved job may rename a task to keep ids unique).
bool SameTaskContent(const Task& a, const Task& b) {
  return a.description == b.description && a.hours_per_week == b.hours_per_week &&
         SameSkills(a.skills, b.skills) && a.dutch == b.dutch && a.lift_kg == b.lift_kg &&
         a.prolonged_standing == b.prolonged_standing && a.licence == b.licence &&
         a.reserved_to_qualification == b.reserved_to_qualification &&
         a.time_of_day == b.time_of_day && a.alongside_colleagues == b.alongside_colleagues &&
         a.customer_contact == b.customer_contact && a.digital_tools == b.digital_tools;
}

// --- options -------------------------------------------------------------------

absl::StatusOr<ReviewOptions> ReviewOptionsFromProto(const v1::ReviewOptions& p) {
  ReviewOptions o;
  if (p.alternative_max_share() != 0) o.alternative_max_share = p.alternative_max_share();
  if (p.dutch_months_per_level() != 0) o.dutch_months_per_level = p.dutch_months_per_level();
  if (p.skill_months_per_level() != 0) o.skill_months_per_level = p.skill_months_per_level();
  if (p.digital_months_per_level() != 0) o.digital_months_per_level = p.digital_months_per_level();
  if (p.has_max_learnable_skill_level())
    o.max_learnable_skill_level = p.max_learnable_skill_level();
  if (p.has_early_start_minute()) o.early_start_minute = p.early_start_minute();
  if (p.has_skill_credit_floor()) {
    if (!(p.skill_credit_floor() >= 0 && p.skill_credit_floor() <= 1)) {
      return InvalidField("options.skill_credit_floor", "must be in [0, 1]");
    }
    o.fit.skill_credit_floor = static_cast<float>(p.skill_credit_floor());
  }
  return o;
}

absl::StatusOr<CarveOptions> CarveOptionsFromProto(const v1::CarveOptions& p) {
  CarveOptions o;
  ViolationCollector c("options");
  if (p.full_time_hours() != 0) o.full_time_hours = p.full_time_hours();
  o.min_bundle_hours = p.min_bundle_hours();
  if (p.max_new_jobs() != 0) o.max_new_jobs = p.max_new_jobs();
  o.qualified_hourly_cost_eur = p.qualified_hourly_cost_eur();
  if (p.has_elementary_hourly_cost_eur())
    o.elementary_hourly_cost_eur = p.elementary_hourly_cost_eur();
  if (p.weeks_per_year() != 0) o.weeks_per_year = p.weeks_per_year();
  if (p.has_max_learnable_skill_level())
    o.max_learnable_skill_level = p.max_learnable_skill_level();
  if (p.has_min_colleague_share()) o.min_colleague_share = p.min_colleague_share();
  if (p.proposals() != 0) o.proposals = p.proposals();
  if (o.proposals > kMaxProposals) c.Add("proposals", absl::StrCat("at most ", kMaxProposals));
  if (p.has_top_candidates()) o.top_candidates = p.top_candidates();
  if (o.top_candidates > kMaxTopCandidates) {
    c.Add("top_candidates", absl::StrCat("at most ", kMaxTopCandidates));
  }
  if (p.has_exact_max_tasks()) o.exact_max_tasks = p.exact_max_tasks();
  if (p.heuristic_seeds() != 0) o.heuristic_seeds = p.heuristic_seeds();
  if (o.heuristic_seeds > kMaxHeuristicSeeds) {
    c.Add("heuristic_seeds", absl::StrCat("at most ", kMaxHeuristicSeeds));
  }
  for (int i = 0; i < p.offered_accommodations_size(); ++i) {
    const int a = p.offered_accommodations(i);
    if (a < 1 || a > 8) c.Add(absl::StrCat("offered_accommodations[", i, "]"), "unknown");
    o.offered_accommodations.push_back(static_cast<Accommodation>(a));
  }
  const v1::CarveObjectiveWeights& w = p.weights();
  if (w.has_fit_now()) o.weights.fit_now = w.fit_now();
  if (w.has_fit_with_accommodations())
    o.weights.fit_with_accommodations = w.fit_with_accommodations();
  if (w.has_freed_qualified_hour()) o.weights.freed_qualified_hour = w.freed_qualified_hour();
  if (w.has_yearly_saving_per_keur()) o.weights.yearly_saving_per_keur = w.yearly_saving_per_keur();
  const std::pair<const char*, double> weights[] = {
      {"weights.fit_now", o.weights.fit_now},
      {"weights.fit_with_accommodations", o.weights.fit_with_accommodations},
      {"weights.freed_qualified_hour", o.weights.freed_qualified_hour},
      {"weights.yearly_saving_per_keur", o.weights.yearly_saving_per_keur}};
  for (const auto& [name, value] : weights) {
    if (!(value >= 0) || !std::isfinite(value)) c.Add(name, "must be a finite number >= 0");
  }
  if (p.has_skill_credit_floor()) {
    if (!(p.skill_credit_floor() >= 0 && p.skill_credit_floor() <= 1)) {
      c.Add("skill_credit_floor", "must be in [0, 1]");
    }
    o.fit.skill_credit_floor = static_cast<float>(p.skill_credit_floor());
  }
  RETURN_IF_ERROR(c.Finish("invalid carving options"));
  return o;
}

// --- results -------------------------------------------------------------------

v1::RequirementLevels LevelsToProto(const RequirementLevels& l) {
  v1::RequirementLevels out;
  *out.mutable_dutch() = LanguageToProto(l.dutch);
  for (const std::string& s : l.licences) out.add_licences(s);
  for (const std::string& s : l.qualifications) out.add_qualifications(s);
  out.set_max_skill_level(l.max_skill_level);
  out.set_digital_tools(l.digital_tools);
  out.set_lift_kg(l.lift_kg);
  out.set_prolonged_standing(l.prolonged_standing);
  out.set_customer_contact(l.customer_contact);
  for (TimeOfDay t : l.times_of_day) out.add_times_of_day(ToProtoEnum<v1::TimeOfDay>(t));
  return out;
}

void ReviewToProto(const RequirementReview& r, v1::ReviewRequirementsResponse* out) {
  out->set_vacancy_id(r.vacancy_id);
  out->set_pool_size(r.pool_size);
  out->set_fit_as_stated(r.fit_as_stated);
  out->set_fit_as_needed(r.fit_as_needed);
  for (const RequirementReviewItem& item : r.items) {
    v1::RequirementReviewItem* p = out->add_items();
    p->set_kind(ToProtoEnum<v1::RequirementKind>(item.kind));
    p->set_key(item.key);
    p->set_label(item.label);
    p->set_stated(item.stated);
    p->set_needed(item.needed);
    p->set_stated_level(item.stated_level);
    p->set_needed_level(item.needed_level);
    p->set_lowered_level(item.lowered_level);
    p->set_classification(ToProtoEnum<v1::RequirementClass>(item.classification));
    for (const std::string& id : item.task_ids) p->add_task_ids(id);
    p->set_task_hours(item.task_hours);
    p->set_total_hours(item.total_hours);
    p->set_training_months(item.training_months);
    p->set_support(ToProtoEnum<v1::Accommodation>(item.support));
    v1::PoolCounts* pool = p->mutable_pool();
    pool->set_counts_known(item.pool.counts_known);
    pool->set_pool_size(item.pool.pool_size);
    pool->set_fit_as_stated(item.pool.fit_as_stated);
    pool->set_excluded(item.pool.excluded);
    pool->set_fit_if_lowered(item.pool.fit_if_lowered);
    pool->set_more_if_lowered(item.pool.more_if_lowered);
    p->set_sentence(item.sentence);
  }
}

}  // namespace

CarvingServiceImpl::CarvingServiceImpl(ServiceContext services) : services_(services) {}

absl::StatusOr<MatchIndex::OpenVacancy> CarvingServiceImpl::VacancyFor(
    const Caller& caller, const std::string& id, const std::string& field) const {
  if (id.empty()) return InvalidField(field, "a vacancy id is required");
  MatchIndex::OpenVacancy found = services_.index->FindVacancy(id);
  if (found.vacancy == nullptr || found.employer == nullptr) {
    return absl::NotFoundError(absl::StrCat("vacancy \"", id, "\" not found"));
  }
  const bool own =
      caller.manages_vacancies() && found.employer->organisation_id == caller.organisation_id;
  if (caller.role == Role::kEmployer && !own) {
    return absl::PermissionDeniedError(
        absl::StrCat("vacancy \"", id, "\" is not one of your organisation's"));
  }
  if (!own && !caller.is_admin() && found.vacancy->status != VacancyStatus::kOpen) {
    return absl::FailedPreconditionError(absl::StrCat("vacancy \"", id, "\" is closed"));
  }
  if (found.employer->FindSite(found.vacancy->site_id) == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("vacancy \"", id, "\" names a site its employer no longer has"));
  }
  return found;
}

CarvingServiceImpl::Pool CarvingServiceImpl::PoolFor(const Caller& caller) const {
  Pool pool;
  pool.anonymous = caller.role == Role::kEmployer;
  const std::string scope = caller.coaches() ? caller.organisation_id : "";
  for (std::shared_ptr<const Participant>& p : services_.index->Participants(scope)) {
    // Employers only ever count and see people who agreed to an anonymous card.
    if (pool.anonymous && !p->consent.share_anonymous_card) continue;
    pool.participants.push_back(p.get());
    pool.owned.push_back(std::move(p));
  }
  return pool;
}

absl::Status CarvingServiceImpl::FillCard(const Participant& p, const VacancyContext& vacancy,
                                          bool anonymous, const Caller& caller,
                                          v1::CandidateCard* card) const {
  ASSIGN_OR_RETURN(MatchResult r, services_.matcher->Explain(p, vacancy));
  cards_.Fill(p, vacancy.vacancy->id, r, anonymous, caller, card);
  return absl::OkStatus();
}

grpc::Status CarvingServiceImpl::ReviewRequirements(grpc::ServerContext* context,
                                                    const v1::ReviewRequirementsRequest* request,
                                                    v1::ReviewRequirementsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    ASSIGN_OR_RETURN(ReviewOptions options, ReviewOptionsFromProto(request->options()));
    ASSIGN_OR_RETURN(MatchIndex::OpenVacancy found,
                     VacancyFor(caller, request->vacancy_id(), "vacancy_id"));
    const Pool pool = PoolFor(caller);
    RETURN_IF_ERROR(CheckAlive(*context));
    const VacancyContext vacancy{found.vacancy.get(), found.employer.get(),
                                 found.employer->FindSite(found.vacancy->site_id)};
    ASSIGN_OR_RETURN(
        RequirementReview review,
        carvematch::ReviewRequirements(*services_.matcher, vacancy, pool.participants, options));
    ReviewToProto(review, response);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status CarvingServiceImpl::Carve(grpc::ServerContext* context,
                                       const v1::CarveRequest* request,
                                       v1::CarveResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    if (request->vacancy_ids().empty()) {
      return InvalidField("vacancy_ids", "at least one vacancy id is required");
    }
    if (request->vacancy_ids_size() > kMaxVacanciesPerCarve) {
      return InvalidField("vacancy_ids", absl::StrCat("at most ", kMaxVacanciesPerCarve));
    }
    ASSIGN_OR_RETURN(CarveOptions options, CarveOptionsFromProto(request->options()));
    std::vector<MatchIndex::OpenVacancy> found;
    std::set<std::string> seen;
    for (int i = 0; i < request->vacancy_ids_size(); ++i) {
      const std::string field = absl::StrCat("vacancy_ids[", i, "]");
      const std::string& id = request->vacancy_ids(i);
      if (!seen.insert(id).second) return InvalidField(field, "appears twice");
      ASSIGN_OR_RETURN(MatchIndex::OpenVacancy v, VacancyFor(caller, id, field));
      if (!found.empty() && v.vacancy->employer_id != found.front().vacancy->employer_id) {
        return InvalidField(field, absl::StrCat("belongs to another employer than \"",
                                                found.front().vacancy->id, "\""));
      }
      if (!found.empty() && v.vacancy->site_id != found.front().vacancy->site_id) {
        return InvalidField(
            field, absl::StrCat("is at another site than \"", found.front().vacancy->id, "\""));
      }
      found.push_back(std::move(v));
    }
    const Pool pool = PoolFor(caller);
    RETURN_IF_ERROR(CheckAlive(*context));
    CarveRequest carve;
    carve.employer = found.front().employer.get();
    for (const MatchIndex::OpenVacancy& v : found) carve.vacancies.push_back(v.vacancy.get());
    carve.pool = pool.participants;
    carve.options = options;
    ASSIGN_OR_RETURN(CarvingResult result, carvematch::Carve(*services_.matcher, carve));
    RETURN_IF_ERROR(CheckAlive(*context));

    std::map<std::string, const Participant*> by_id;
    for (const Participant* p : pool.participants) by_id.emplace(p->id, p);
    const Site* site = carve.employer->FindSite(carve.vacancies.front()->site_id);
    for (const TaskClassification& t : result.tasks) {
      v1::TaskClassification* p = response->add_tasks();
      p->set_vacancy_id(t.vacancy_id);
      p->set_task_id(t.task_id);
      p->set_disposition(ToProtoEnum<v1::TaskDisposition>(t.disposition));
      p->set_reason(t.reason);
    }
    response->set_movable_tasks(result.movable_tasks);
    response->set_pool_size(result.pool_size);
    response->set_exact(result.exact);
    response->set_bundles_evaluated(result.bundles_evaluated);
    for (const CarvingProposal& proposal : result.proposals) {
      v1::CarvingProposal* pp = response->add_proposals();
      pp->set_objective(proposal.objective);
      pp->set_freed_qualified_hours(proposal.freed_qualified_hours);
      pp->set_yearly_cost_difference_eur(proposal.yearly_cost_difference_eur);
      for (const std::string& w : proposal.warnings) pp->add_warnings(w);
      for (const BundleProposal& b : proposal.bundles) {
        v1::BundleProposal* pb = pp->add_bundles();
        for (const MovedTask& t : b.tasks) {
          v1::MovedTask* pt = pb->add_tasks();
          pt->set_vacancy_id(t.vacancy_id);
          pt->set_task_id(t.task_id);
          pt->set_description(t.description);
          pt->set_hours_per_week(t.hours_per_week);
        }
        pb->set_hours_per_week(b.hours_per_week);
        pb->set_freed_qualified_hours(b.freed_qualified_hours);
        pb->set_yearly_cost_difference_eur(b.yearly_cost_difference_eur);
        *pb->mutable_before() = LevelsToProto(b.before);
        *pb->mutable_after() = LevelsToProto(b.after);
        pb->set_colleague_share(b.colleague_share);
        pb->set_fits_now(b.fits_now);
        pb->set_fits_with_accommodations(b.fits_with_accommodations);
        pb->set_fits_new(b.fits_new);
        pb->set_objective(b.objective);
        for (const std::string& w : b.warnings) pb->add_warnings(w);
        *pb->mutable_vacancy() = VacancyToProto(b.vacancy);
        const VacancyContext job{&b.vacancy, carve.employer, site};
        for (const std::string& id : b.top_candidate_ids) {
          auto it = by_id.find(id);
          if (it == by_id.end()) continue;
          RETURN_IF_ERROR(
              FillCard(*it->second, job, pool.anonymous, caller, pb->add_top_candidates()));
        }
      }
      for (const RoleChange& r : proposal.roles) {
        v1::RoleChange* pr = pp->add_roles();
        pr->set_vacancy_id(r.vacancy_id);
        pr->set_hours_before(r.hours_before);
        pr->set_hours_after(r.hours_after);
        for (const std::string& id : r.moved_task_ids) pr->add_moved_task_ids(id);
        *pr->mutable_before() = LevelsToProto(r.before);
        *pr->mutable_after() = LevelsToProto(r.after);
        *pr->mutable_after_vacancy() = VacancyToProto(r.after_vacancy);
      }
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status CarvingServiceImpl::PublishBundle(grpc::ServerContext* context,
                                               const v1::PublishBundleRequest* request,
                                               v1::PublishBundleResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    if (!caller.is_admin() && !caller.manages_vacancies()) {
      return absl::PermissionDeniedError("only employers, agencies and admins publish vacancies");
    }
    const v1::BundleProposal& bundle = request->bundle();
    // The shape of the request: every moved task has its role change.
    ViolationCollector c;
    std::map<std::string, int> role_of;  // origin vacancy id -> index in roles
    for (int j = 0; j < request->roles_size(); ++j) {
      if (!role_of.emplace(request->roles(j).vacancy_id(), j).second) {
        c.Add(absl::StrCat("roles[", j, "].vacancy_id"), "appears twice");
      }
    }
    if (bundle.tasks().empty()) c.Add("bundle.tasks", "a bundle has at least one task");
    if (bundle.vacancy().tasks_size() != bundle.tasks_size()) {
      c.Add("bundle.vacancy.tasks", absl::StrCat("has ", bundle.vacancy().tasks_size(),
                                                 " tasks; bundle.tasks has ", bundle.tasks_size()));
    }
    std::vector<std::string> origins;  // in order of first appearance
    std::set<std::pair<std::string, std::string>> moved;
    for (int i = 0; i < bundle.tasks_size(); ++i) {
      const v1::MovedTask& t = bundle.tasks(i);
      const std::string path = absl::StrCat("bundle.tasks[", i, "]");
      auto role = role_of.find(t.vacancy_id());
      if (role == role_of.end()) {
        c.Add(path + ".vacancy_id", "no entry in roles for this vacancy");
        continue;
      }
      const auto& ids = request->roles(role->second).moved_task_ids();
      if (std::find(ids.begin(), ids.end(), t.task_id()) == ids.end()) {
        c.Add(path + ".task_id",
              absl::StrCat("not among roles[", role->second, "].moved_task_ids"));
      }
      if (!moved.emplace(t.vacancy_id(), t.task_id()).second) c.Add(path, "appears twice");
      if (std::find(origins.begin(), origins.end(), t.vacancy_id()) == origins.end()) {
        origins.push_back(t.vacancy_id());
      }
    }
    RETURN_IF_ERROR(c.Finish("invalid bundle"));

    std::vector<FieldViolation> unparsed;
    Vacancy job = VacancyFromProto(bundle.vacancy(), &unparsed, "bundle.vacancy");
    job.carved_from = origins;
    std::shared_ptr<const Employer> employer = services_.index->FindEmployer(job.employer_id);
    if (employer == nullptr) {
      return InvalidField("bundle.vacancy.employer_id",
                          absl::StrCat("unknown employer \"", job.employer_id, "\""));
    }
    if (!caller.SameOrganisation(employer->organisation_id)) {
      return absl::PermissionDeniedError(
          absl::StrCat("employer \"", employer->id, "\" is not one of your organisation's"));
    }
    RETURN_IF_ERROR(MergeViolations(
        unparsed, ValidateVacancy(job, *employer, *services_.taxonomy, "bundle.vacancy"),
        "invalid bundle vacancy"));
    // The new job belongs to the employer of its origins (the store checks this again
    // inside the transaction).
    for (size_t k = 0; k < origins.size(); ++k) {
      MatchIndex::OpenVacancy origin = services_.index->FindVacancy(origins[k]);
      if (origin.vacancy != nullptr && origin.vacancy->employer_id != job.employer_id) {
        return InvalidField("bundle.vacancy.employer_id",
                            absl::StrCat("the tasks come from vacancy \"", origins[k],
                                         "\" of employer \"", origin.vacancy->employer_id, "\""));
      }
    }

    // Checked against each origin as stored, inside the write transaction.
    auto update_origin = [&](Vacancy& origin) -> absl::Status {
      const int j = role_of.at(origin.id);
      const v1::RoleChange& role = request->roles(j);
      const std::string role_path = absl::StrCat("roles[", j, "]");
      if (origin.status != VacancyStatus::kOpen) {
        return StaleField(role_path + ".vacancy_id", "the vacancy is closed");
      }
      if (origin.site_id != job.site_id) {
        return StaleField(
            "bundle.vacancy.site_id",
            absl::StrCat("vacancy \"", origin.id, "\" is at site \"", origin.site_id, "\""));
      }
      if (std::abs(VacancyHours(origin) - role.hours_before()) > 1e-6) {
        return StaleField(role_path + ".hours_before",
                          absl::StrCat("the vacancy has ", VacancyHours(origin), " h/week now"));
      }
      std::vector<std::string> remaining;
      for (const Task& t : origin.tasks) {
        const auto& ids = role.moved_task_ids();
        if (std::find(ids.begin(), ids.end(), t.id) == ids.end()) remaining.push_back(t.id);
      }
      std::vector<std::string> expected;
      for (const v1::Task& t : role.after_vacancy().tasks()) expected.push_back(t.id());
      if (remaining != expected) {
        return StaleField(role_path + ".after_vacancy.tasks",
                          "the vacancy's other tasks are not those of the proposal");
      }
      double moved_hours = 0;
      std::set<std::string> take;
      for (int i = 0; i < bundle.tasks_size(); ++i) {
        if (bundle.tasks(i).vacancy_id() != origin.id) continue;
        const std::string& task_id = bundle.tasks(i).task_id();
        auto it = std::find_if(origin.tasks.begin(), origin.tasks.end(),
                               [&](const Task& t) { return t.id == task_id; });
        if (it == origin.tasks.end()) {
          return StaleField(
              absl::StrCat("bundle.tasks[", i, "].task_id"),
              absl::StrCat("vacancy \"", origin.id, "\" has no task \"", task_id, "\" now"));
        }
        if (!SameTaskContent(*it, job.tasks[static_cast<size_t>(i)])) {
          return StaleField(absl::StrCat("bundle.vacancy.tasks[", i, "]"),
                            absl::StrCat("differs from task \"", task_id, "\" of vacancy \"",
                                         origin.id, "\" as stored"));
        }
        moved_hours += it->hours_per_week;
        take.insert(task_id);
      }
      origin.tasks.erase(std::remove_if(origin.tasks.begin(), origin.tasks.end(),
                                        [&](const Task& t) { return take.count(t.id) > 0; }),
                         origin.tasks.end());
      if (origin.tasks.empty()) {
        origin.status = VacancyStatus::kClosed;  // nothing left to do in this role
      } else if (origin.hours_per_week > 0) {
        origin.hours_per_week = std::max(0.0, origin.hours_per_week - moved_hours);
        double left = 0;
        for (const Task& t : origin.tasks) left += t.hours_per_week;
        origin.hours_per_week = std::max(origin.hours_per_week, left);
      }
      return absl::OkStatus();
    };
    absl::StatusOr<CarvedVacancy> stored =
        services_.repository->CreateCarvedVacancy(job, update_origin);
    if (absl::IsAlreadyExists(stored.status())) {
      return absl::AlreadyExistsError(absl::StrCat("bundle.vacancy.id: vacancy \"", job.id,
                                                   "\" exists; publish under another id"));
    }
    if (absl::IsFailedPrecondition(stored.status()) && ViolationsOf(stored.status()).empty()) {
      // An origin is gone or moved to another employer since the proposal was made.
      return StaleField("roles", std::string(stored.status().message()));
    }
    RETURN_IF_ERROR(stored.status());
    // Matching sees the new job and the reduced origins at once.
    Reindex(services_.index->RefreshVacancy(*services_.repository, stored->vacancy.id),
            stored->vacancy.id);
    for (const Vacancy& origin : stored->origins) {
      Reindex(services_.index->RefreshVacancy(*services_.repository, origin.id), origin.id);
    }
    *response->mutable_vacancy() = VacancyToProto(stored->vacancy);
    for (const Vacancy& origin : stored->origins) {
      *response->add_origins() = VacancyToProto(origin);
    }
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
