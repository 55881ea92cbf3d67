#include "jobcarving/carving.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "jobcarving/bundle_optimizer.h"
#include "model/status.h"

namespace carvematch {
namespace {

double VacancyHours(const Vacancy& v) {
  if (v.hours_per_week > 0) return v.hours_per_week;
  double h = 0;
  for (const Task& t : v.tasks) h += t.hours_per_week;
  return h;
}

std::string Hours(double h) { return absl::StrFormat("%g", std::round(h * 100) / 100); }

// A movable task: where it comes from.
struct Movable {
  int vacancy = 0;
  int task = 0;
};

std::vector<Accommodation> SiteAccommodations(const CarveRequest& r) {
  std::set<Accommodation> all(r.options.offered_accommodations.begin(),
                              r.options.offered_accommodations.end());
  for (const Vacancy* v : r.vacancies)
    all.insert(v->accommodations.begin(), v->accommodations.end());
  all.erase(Accommodation::kUnspecified);
  return {all.begin(), all.end()};
}

std::vector<WeeklySpan> UnionShifts(const std::vector<const Vacancy*>& origins) {
  std::vector<std::tuple<int, int, int>> keys;
  for (const Vacancy* v : origins) {
    for (const WeeklySpan& s : v->shifts) {
      keys.emplace_back(static_cast<int>(s.day), s.start_minute, s.end_minute);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<WeeklySpan> shifts;
  for (const auto& [day, start, end] : keys) {
    shifts.push_back({static_cast<Weekday>(day), start, end});
  }
  return shifts;
}

bool SameShifts(const std::vector<WeeklySpan>& a, const std::vector<WeeklySpan>& b) {
  return std::equal(
      a.begin(), a.end(), b.begin(), b.end(), [](const WeeklySpan& x, const WeeklySpan& y) {
        return x.day == y.day && x.start_minute == y.start_minute && x.end_minute == y.end_minute;
      });
}

std::string ClassifyTask(const Task& t, int max_learnable, TaskDisposition* disposition) {
  if (!t.reserved_to_qualification.empty()) {
    *disposition = TaskDisposition::kStays;
    return absl::StrCat("legally reserved to ", t.reserved_to_qualification);
  }
  for (const SkillRequirement& s : t.skills) {
    if (s.essential && s.level > max_learnable) {
      *disposition = TaskDisposition::kStays;
      return absl::StrCat("needs skill level ", s.level, " (", s.skill_uri,
                          "), above what can be learned on the job (", max_learnable, ")");
    }
  }
  *disposition = TaskDisposition::kMovable;
  return "elementary: no legal reservation, skills learnable on the job";
}

struct Plan {
  double value = 0;
  std::vector<std::vector<int>> bundles;
};

}  // namespace

RequirementLevels LevelsOf(const std::vector<const Task*>& tasks) {
  RequirementLevels r;
  std::set<std::string> licences, quals;
  std::set<TimeOfDay> times;
  for (const Task* t : tasks) {
    for (int li = 0; li < kLanguageSkillCount; ++li) {
      const LanguageSkill s = static_cast<LanguageSkill>(li);
      r.dutch.at(s) = std::max(r.dutch.get(s), t->dutch.get(s));
    }
    if (!t->licence.empty()) licences.insert(t->licence);
    if (!t->reserved_to_qualification.empty()) quals.insert(t->reserved_to_qualification);
    for (const SkillRequirement& s : t->skills) {
      if (s.essential) r.max_skill_level = std::max(r.max_skill_level, s.level);
    }
    r.digital_tools = std::max(r.digital_tools, t->digital_tools);
    r.lift_kg = std::max(r.lift_kg, t->lift_kg);
    r.prolonged_standing = r.prolonged_standing || t->prolonged_standing;
    r.customer_contact = r.customer_contact || t->customer_contact;
    times.insert(t->time_of_day == TimeOfDay::kUnspecified ? TimeOfDay::kDay : t->time_of_day);
  }
  r.licences.assign(licences.begin(), licences.end());
  r.qualifications.assign(quals.begin(), quals.end());
  r.times_of_day.assign(times.begin(), times.end());
  return r;
}

absl::Status ValidateCarveRequest(const CarveRequest& request) {
  ViolationCollector c;
  const CarveOptions& o = request.options;
  if (!(o.full_time_hours > 0 && o.full_time_hours <= 60)) {
    c.Add("options.full_time_hours", "must be in (0, 60]");
  }
  if (!(o.min_bundle_hours >= 0 && o.min_bundle_hours <= o.full_time_hours)) {
    c.Add("options.min_bundle_hours", "must be in [0, full_time_hours] (0 = one third)");
  }
  if (o.max_new_jobs < 1 || o.max_new_jobs > 10) c.Add("options.max_new_jobs", "must be 1..10");
  if (!(o.qualified_hourly_cost_eur >= 0)) {
    c.Add("options.qualified_hourly_cost_eur", "must be >= 0 (0 = the vacancy's own)");
  }
  if (!(o.elementary_hourly_cost_eur >= 0)) {
    c.Add("options.elementary_hourly_cost_eur", "must be >= 0");
  }
  if (!(o.weeks_per_year > 0 && o.weeks_per_year <= 53)) {
    c.Add("options.weeks_per_year", "must be in (0, 53]");
  }
  if (o.max_learnable_skill_level < 0 || o.max_learnable_skill_level > 4) {
    c.Add("options.max_learnable_skill_level", "must be 0..4");
  }
  if (!(o.min_colleague_share >= 0 && o.min_colleague_share <= 1)) {
    c.Add("options.min_colleague_share", "must be in [0, 1]");
  }
  if (o.proposals < 1) c.Add("options.proposals", "must be >= 1");
  if (o.top_candidates < 0) c.Add("options.top_candidates", "must be >= 0");
  if (o.exact_max_tasks < 0 || o.exact_max_tasks > kMaxExactTasks) {
    c.Add("options.exact_max_tasks", absl::StrCat("must be 0..", kMaxExactTasks));
  }
  if (o.heuristic_seeds < 1) c.Add("options.heuristic_seeds", "must be >= 1");
  const std::pair<const char*, double> weights[] = {
      {"options.weights.fit_now", o.weights.fit_now},
      {"options.weights.fit_with_accommodations", o.weights.fit_with_accommodations},
      {"options.weights.freed_qualified_hour", o.weights.freed_qualified_hour},
      {"options.weights.yearly_saving_per_keur", o.weights.yearly_saving_per_keur}};
  for (const auto& [field, w] : weights) {
    if (!(w >= 0 && std::isfinite(w))) c.Add(field, "must be a finite number >= 0");
  }
  if (!(o.fit.skill_credit_floor >= 0 && o.fit.skill_credit_floor <= 1)) {
    c.Add("options.fit.skill_credit_floor", "must be in [0, 1]");
  }
  if (request.employer == nullptr) c.Add("employer", "is missing");
  if (request.vacancies.empty()) c.Add("vacancies", "at least one vacancy is needed");
  std::set<std::string> vacancy_ids;
  for (size_t i = 0; i < request.vacancies.size(); ++i) {
    const Vacancy* v = request.vacancies[i];
    const std::string path = absl::StrCat("vacancies[", i, "]");
    if (v == nullptr) {
      c.Add(path, "is missing");
      continue;
    }
    if (!vacancy_ids.insert(v->id).second) c.Add(path + ".id", "appears twice");
    if (request.employer != nullptr && v->employer_id != request.employer->id) {
      c.Add(path + ".employer_id", "must be the request's employer");
    }
    const Vacancy* first = request.vacancies[0];
    if (first != nullptr && v->site_id != first->site_id) {
      c.Add(path + ".site_id", "all vacancies must be at one site");
    }
    if (o.qualified_hourly_cost_eur <= 0 && !(v->hourly_cost_eur >= 0)) {
      c.Add(path + ".hourly_cost_eur", "must be >= 0");
    }
    std::set<std::string> task_ids;
    for (size_t t = 0; t < v->tasks.size(); ++t) {
      const std::string tp = absl::StrCat(path, ".tasks[", t, "]");
      if (!task_ids.insert(v->tasks[t].id).second) c.Add(tp + ".id", "appears twice");
      if (!(v->tasks[t].hours_per_week >= 0 && v->tasks[t].hours_per_week <= 168)) {
        c.Add(tp + ".hours_per_week", "must be in [0, 168]");
      }
    }
  }
  for (size_t i = 0; i < request.pool.size(); ++i) {
    if (request.pool[i] == nullptr) c.Add(absl::StrCat("pool[", i, "]"), "is missing");
  }
  return c.Finish("invalid carving request");
}

absl::StatusOr<CarvingResult> Carve(const Matcher& matcher, const CarveRequest& request) {
  RETURN_IF_ERROR(ValidateCarveRequest(request));
  const CarveOptions& o = request.options;
  const Employer& employer = *request.employer;
  const Site* site = employer.FindSite(request.vacancies[0]->site_id);
  if (site == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "site \"", request.vacancies[0]->site_id, "\" is not a site of employer ", employer.id));
  }
  const std::vector<Accommodation> site_acc = SiteAccommodations(request);
  const double min_hours = o.min_bundle_hours > 0 ? o.min_bundle_hours : o.full_time_hours / 3;
  const size_t nv = request.vacancies.size();

  CarvingResult result;
  result.pool_size = static_cast<int>(request.pool.size());

  // 1. Classify.
  std::vector<Movable> movable;
  for (size_t vi = 0; vi < nv; ++vi) {
    const Vacancy& v = *request.vacancies[vi];
    for (size_t ti = 0; ti < v.tasks.size(); ++ti) {
      TaskClassification tc;
      tc.vacancy_id = v.id;
      tc.task_id = v.tasks[ti].id;
      tc.reason = ClassifyTask(v.tasks[ti], o.max_learnable_skill_level, &tc.disposition);
      if (tc.disposition == TaskDisposition::kMovable && v.tasks[ti].hours_per_week > 0) {
        movable.push_back({static_cast<int>(vi), static_cast<int>(ti)});
      }
      result.tasks.push_back(std::move(tc));
    }
  }
  result.movable_tasks = static_cast<int>(movable.size());
  if (movable.empty()) return result;

  // 2. Who fits each movable task (derived one-task vacancies) and each origin.
  PoolFit pool_fit(matcher, request.pool, o.fit);
  std::vector<Vacancy> derived;
  derived.reserve(movable.size());
  for (const Movable& m : movable) {
    const Vacancy& origin = *request.vacancies[static_cast<size_t>(m.vacancy)];
    Vacancy d = origin;
    Task t = origin.tasks[static_cast<size_t>(m.task)];
    t.hours_per_week = 0;  // hours are judged on the whole bundle
    d.tasks = {t};
    d.hours_per_week = 0;
    d.accommodations = site_acc;
    d.stated = StatedRequirements{};
    derived.push_back(std::move(d));
  }
  std::vector<VacancyContext> contexts;
  for (const Vacancy& d : derived) contexts.push_back({&d, &employer, site});
  for (const Vacancy* v : request.vacancies) contexts.push_back({v, &employer, site});
  ASSIGN_OR_RETURN(std::vector<std::vector<Fit>> fits, pool_fit.Evaluate(contexts));
  const size_t np = request.pool.size();
  std::vector<bool> fits_some_origin(np, false);
  for (size_t vi = 0; vi < nv; ++vi) {
    for (size_t p = 0; p < np; ++p) {
      if (fits[movable.size() + vi][p] != Fit::kNo) fits_some_origin[p] = true;
    }
  }

  // 3. The optimiser's instance.
  auto qualified_cost = [&](int vi) {
    return o.qualified_hourly_cost_eur > 0
               ? o.qualified_hourly_cost_eur
               : request.vacancies[static_cast<size_t>(vi)]->hourly_cost_eur;
  };
  OptInstance inst;
  inst.pool_size = static_cast<int>(np);
  const size_t words = (np + 63) / 64;
  for (size_t i = 0; i < movable.size(); ++i) {
    const Task& t = request.vacancies[static_cast<size_t>(movable[i].vacancy)]
                        ->tasks[static_cast<size_t>(movable[i].task)];
    OptTask ot;
    ot.hours = t.hours_per_week;
    ot.time_of_day = t.time_of_day;
    ot.alongside_colleagues = t.alongside_colleagues;
    const double saving = t.hours_per_week *
                          (qualified_cost(movable[i].vacancy) - o.elementary_hourly_cost_eur) *
                          o.weeks_per_year;
    ot.value = o.weights.freed_qualified_hour * t.hours_per_week +
               o.weights.yearly_saving_per_keur * saving / 1000.0;
    ot.fit_now.assign(words, 0);
    ot.fit_any.assign(words, 0);
    for (size_t p = 0; p < np; ++p) {
      const uint64_t bit = uint64_t{1} << (p % 64);
      if (fits[i][p] == Fit::kNow) ot.fit_now[p / 64] |= bit;
      if (fits[i][p] != Fit::kNo) ot.fit_any[p / 64] |= bit;
    }
    inst.tasks.push_back(std::move(ot));
  }
  for (const Participant* p : request.pool) {
    inst.hours.push_back({p->min_hours_per_week, p->max_hours_per_week});
  }
  inst.rules.min_hours = min_hours;
  inst.rules.max_hours = o.full_time_hours;
  inst.rules.max_bundles = o.max_new_jobs;
  inst.rules.weight_now = o.weights.fit_now;
  inst.rules.weight_with_accommodations = o.weights.fit_with_accommodations;
  inst.rules.hours_blocker_fraction = matcher.params().hours_blocker_fraction;

  // 4. The best plan, then the best plan without each of its bundles.
  result.exact = static_cast<int>(movable.size()) <= o.exact_max_tasks;
  std::vector<Plan> plans;
  for (OptSolution& s : SolvePlans(inst, o.proposals, result.exact, o.heuristic_seeds)) {
    result.bundles_evaluated += s.bundles_evaluated;
    if (!s.bundles.empty()) plans.push_back(Plan{s.value, std::move(s.bundles)});
  }
  if (plans.empty()) return result;

  // 5. Proposals.
  MatchOptions rank_all;
  rank_all.limit = 0;
  rank_all.include_blocked = false;
  for (const Plan& plan : plans) {
    CarvingProposal proposal;
    proposal.objective = plan.value;
    std::map<int, std::vector<int>> moved_by_vacancy;  // vacancy -> task indexes
    for (size_t bi = 0; bi < plan.bundles.size(); ++bi) {
      const std::vector<int>& bundle = plan.bundles[bi];
      BundleProposal bp;
      std::vector<const Task*> bundle_tasks;
      std::set<int> origin_set;
      double colleague_hours = 0;
      for (int idx : bundle) {
        const Movable& m = movable[static_cast<size_t>(idx)];
        const Vacancy& v = *request.vacancies[static_cast<size_t>(m.vacancy)];
        const Task& t = v.tasks[static_cast<size_t>(m.task)];
        bp.tasks.push_back({v.id, t.id, t.description, t.hours_per_week});
        bp.hours_per_week += t.hours_per_week;
        bp.yearly_cost_difference_eur +=
            t.hours_per_week * (qualified_cost(m.vacancy) - o.elementary_hourly_cost_eur) *
            o.weeks_per_year;
        if (t.alongside_colleagues) colleague_hours += t.hours_per_week;
        bundle_tasks.push_back(&t);
        origin_set.insert(m.vacancy);
        moved_by_vacancy[m.vacancy].push_back(m.task);
      }
      bp.freed_qualified_hours = bp.hours_per_week;
      bp.colleague_share = bp.hours_per_week > 0 ? colleague_hours / bp.hours_per_week : 0;
      std::vector<const Vacancy*> origins;
      std::vector<const Task*> origin_tasks;
      for (int vi : origin_set) {
        origins.push_back(request.vacancies[static_cast<size_t>(vi)]);
        for (const Task& t : origins.back()->tasks) origin_tasks.push_back(&t);
      }
      bp.before = LevelsOf(origin_tasks);
      bp.after = LevelsOf(bundle_tasks);
      bp.objective = EvaluateBundle(inst, bundle).score;

      // The bundle as a vacancy.
      Vacancy& job = bp.vacancy;
      const Vacancy& first = *origins.front();
      job.id = absl::StrCat(first.id, "-carve-", bi + 1).substr(0, 63);
      job.employer_id = first.employer_id;
      job.site_id = first.site_id;
      std::vector<std::string> names;
      for (const Task* t : bundle_tasks) names.push_back(t->id);
      job.title = absl::StrCat("Carved job: ", absl::StrJoin(names, ", "));
      job.shifts = UnionShifts(origins);
      job.hours_per_week = bp.hours_per_week;
      job.contract_type = first.contract_type;
      job.outcome = TargetOutcome::kPaidJob;
      job.predictable_schedule = std::all_of(
          origins.begin(), origins.end(), [](const Vacancy* v) { return v->predictable_schedule; });
      std::set<std::string> ids;
      std::set<std::string> settings;
      for (const Vacancy* v : origins)
        settings.insert(v->work_settings.begin(), v->work_settings.end());
      job.work_settings.assign(settings.begin(), settings.end());
      for (const Task* t : bundle_tasks) {
        Task copy = *t;
        for (int k = 2; !ids.insert(copy.id).second; ++k) copy.id = absl::StrCat(t->id, "-", k);
        job.tasks.push_back(std::move(copy));
      }
      job.stated.dutch = bp.after.dutch;
      job.stated.licences = bp.after.licences;
      std::map<std::string, SkillRequirement> skills;
      for (const Task* t : bundle_tasks) {
        for (const SkillRequirement& s : t->skills) {
          if (!s.essential) continue;
          auto it = skills.find(s.skill_uri);
          if (it == skills.end() || it->second.level < s.level) skills[s.skill_uri] = s;
        }
      }
      for (const auto& [uri, s] : skills) job.stated.skills.push_back(s);
      job.accommodations = site_acc;
      job.capacity = 1;
      job.hourly_cost_eur = o.elementary_hourly_cost_eur;
      job.status = VacancyStatus::kOpen;

      // Who fits it, by the matcher on the bundle vacancy.
      ASSIGN_OR_RETURN(std::vector<MatchResult> ranked,
                       matcher.RankParticipants({&job, &employer, site}, request.pool, rank_all));
      const std::vector<std::vector<bool>> ready = pool_fit.SkillReady({&job});
      std::map<std::string, size_t> index_of;
      for (size_t p = 0; p < np; ++p) index_of.emplace(request.pool[p]->id, p);
      for (const MatchResult& r : ranked) {
        const size_t p = index_of.at(r.participant_id);
        if (!ready[0][p]) continue;
        if (r.tier == Tier::kFits) ++bp.fits_now;
        if (r.tier == Tier::kFitsWithAccommodations) ++bp.fits_with_accommodations;
        if (!fits_some_origin[p]) ++bp.fits_new;
        if (static_cast<int>(bp.top_candidate_ids.size()) < o.top_candidates) {
          bp.top_candidate_ids.push_back(r.participant_id);
        }
      }
      if (bp.colleague_share < o.min_colleague_share) {
        bp.warnings.push_back(absl::StrFormat(
            "little colleague contact: only %.0f%% of the hours are done alongside colleagues",
            100 * bp.colleague_share));
      }
      if (origins.size() > 1 && !SameShifts(UnionShifts({origins.front()}), job.shifts)) {
        bp.warnings.push_back(absl::StrCat(
            "the tasks come from ", origins.size(),
            " vacancies with different shifts; the new job is listed with all of them (",
            job.shifts.size(), " shifts) until the employer sets its roster"));
      }
      proposal.freed_qualified_hours += bp.freed_qualified_hours;
      proposal.yearly_cost_difference_eur += bp.yearly_cost_difference_eur;
      proposal.bundles.push_back(std::move(bp));
    }
    for (const auto& [vi, task_indexes] : moved_by_vacancy) {
      const Vacancy& v = *request.vacancies[static_cast<size_t>(vi)];
      RoleChange rc;
      rc.vacancy_id = v.id;
      rc.hours_before = VacancyHours(v);
      std::vector<const Task*> before, after;
      Vacancy av = v;
      av.tasks.clear();
      double moved = 0;
      for (size_t ti = 0; ti < v.tasks.size(); ++ti) {
        before.push_back(&v.tasks[ti]);
        if (std::find(task_indexes.begin(), task_indexes.end(), static_cast<int>(ti)) !=
            task_indexes.end()) {
          rc.moved_task_ids.push_back(v.tasks[ti].id);
          moved += v.tasks[ti].hours_per_week;
        } else {
          after.push_back(&v.tasks[ti]);
          av.tasks.push_back(v.tasks[ti]);
        }
      }
      rc.hours_after = std::max(0.0, rc.hours_before - moved);
      if (av.hours_per_week > 0) av.hours_per_week = rc.hours_after;
      rc.before = LevelsOf(before);
      rc.after = LevelsOf(after);
      rc.after_vacancy = std::move(av);
      if (rc.hours_after < min_hours - 1e-9) {
        proposal.warnings.push_back(absl::StrCat("'", v.title, "' keeps ", Hours(rc.hours_after),
                                                 " h/week, below the minimum of ", Hours(min_hours),
                                                 " h for a job"));
      }
      proposal.roles.push_back(std::move(rc));
    }
    result.proposals.push_back(std::move(proposal));
  }
  return result;
}

}  // namespace carvematch
