#include "jobcarving/pool_fit.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "matcher/pair_core.h"
#include "matcher/skill_coverage.h"

namespace carvematch {

FitCounts CountFit(const std::vector<Fit>& fits) {
  FitCounts c;
  for (Fit f : fits) {
    if (f == Fit::kNow) ++c.now;
    if (f == Fit::kWithAccommodations) ++c.with_accommodations;
  }
  return c;
}

bool HoursAcceptable(double min_hours, double max_hours, double hours, double blocker_fraction) {
  if (hours <= 0) return true;
  if (hours >= min_hours && hours <= max_hours) return true;
  const double off = hours < min_hours ? (min_hours - hours) / min_hours
                                       : (hours - max_hours) / std::max(max_hours, 1.0);
  return off <= blocker_fraction;
}

PoolFit::PoolFit(const Matcher& matcher, std::vector<const Participant*> pool, FitRule rule)
    : matcher_(matcher), pool_(std::move(pool)), rule_(rule) {}

absl::StatusOr<std::vector<std::vector<Tier>>> PoolFit::Tiers(
    const std::vector<VacancyContext>& vacancies) const {
  std::vector<const Site*> sites;
  sites.reserve(vacancies.size());
  for (size_t i = 0; i < vacancies.size(); ++i) {
    const VacancyContext& c = vacancies[i];
    if (c.vacancy == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("vacancies[", i, "].vacancy is missing"));
    }
    if (c.employer == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("vacancies[", i, "].employer is missing"));
    }
    const Site* site = c.site != nullptr ? c.site : c.employer->FindSite(c.vacancy->site_id);
    if (site == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat("vacancy ", c.vacancy->id, " names site \"",
                                                        c.vacancy->site_id, "\", which employer ",
                                                        c.employer->id, " does not have"));
    }
    sites.push_back(site);
  }
  // All vacancies enter the dictionary before any participant is resolved against it.
  FeatureDictionary dict;
  std::vector<VacancyFeatures> features;
  features.reserve(vacancies.size());
  for (size_t i = 0; i < vacancies.size(); ++i) {
    features.push_back(
        BuildVacancyFeatures(*vacancies[i].vacancy, *vacancies[i].employer, *sites[i], &dict));
  }
  std::vector<std::vector<Tier>> tiers(vacancies.size(), std::vector<Tier>(pool_.size()));
  for (size_t p = 0; p < pool_.size(); ++p) {
    const ParticipantFeatures pf = BuildParticipantFeatures(*pool_[p], dict);
    for (size_t v = 0; v < vacancies.size(); ++v) {
      // The tier does not depend on the skill coverage (skills never block).
      tiers[v][p] =
          EvaluatePair(pf, features[v], 1.0f, 1.0f, matcher_.travel(), matcher_.params()).tier;
    }
  }
  return tiers;
}

std::vector<std::vector<bool>> PoolFit::SkillReady(
    const std::vector<const Vacancy*>& vacancies) const {
  NeedSpace space(matcher_.credit());
  // Per vacancy, the columns of its tasks' essential requirements (each task at its level).
  std::vector<std::vector<int>> columns(vacancies.size());
  for (size_t v = 0; v < vacancies.size(); ++v) {
    for (const Task& t : vacancies[v]->tasks) {
      for (const SkillRequirement& s : t.skills) {
        if (s.essential) columns[v].push_back(space.Add(s.skill_uri, s.level));
      }
    }
    std::sort(columns[v].begin(), columns[v].end());
    columns[v].erase(std::unique(columns[v].begin(), columns[v].end()), columns[v].end());
  }
  std::vector<std::vector<bool>> ready(vacancies.size(), std::vector<bool>(pool_.size(), true));
  if (space.size() == 0) return ready;
  for (size_t p = 0; p < pool_.size(); ++p) {
    const BestCredit best = ComputeBestCredit(*pool_[p], space, matcher_.credit());
    for (size_t v = 0; v < vacancies.size(); ++v) {
      for (int col : columns[v]) {
        if (best.amount(col) < rule_.skill_credit_floor) {
          ready[v][p] = false;
          break;
        }
      }
    }
  }
  return ready;
}

absl::StatusOr<std::vector<std::vector<Fit>>> PoolFit::Evaluate(
    const std::vector<VacancyContext>& vacancies) const {
  absl::StatusOr<std::vector<std::vector<Tier>>> tiers = Tiers(vacancies);
  if (!tiers.ok()) return tiers.status();
  std::vector<const Vacancy*> rows;
  rows.reserve(vacancies.size());
  for (const VacancyContext& c : vacancies) rows.push_back(c.vacancy);
  const std::vector<std::vector<bool>> ready = SkillReady(rows);
  std::vector<std::vector<Fit>> fits(vacancies.size(), std::vector<Fit>(pool_.size(), Fit::kNo));
  for (size_t v = 0; v < vacancies.size(); ++v) {
    for (size_t p = 0; p < pool_.size(); ++p) {
      if (!ready[v][p]) continue;
      const Tier t = (*tiers)[v][p];
      if (t == Tier::kFits) fits[v][p] = Fit::kNow;
      if (t == Tier::kFitsWithAccommodations) fits[v][p] = Fit::kWithAccommodations;
    }
  }
  return fits;
}

}  // namespace carvematch
