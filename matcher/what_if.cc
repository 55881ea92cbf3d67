#include "matcher/what_if.h"

#include <algorithm>

#include "model/status.h"

namespace carvematch {
namespace {

constexpr Accommodation kAllAccommodations[] = {
    Accommodation::kLanguageCoaching, Accommodation::kMentor,
    Accommodation::kFlexibleStart,    Accommodation::kCompanyTransport,
    Accommodation::kCarpool,          Accommodation::kBikeLease,
    Accommodation::kChildcareSupport, Accommodation::kWorkplaceLearning};

template <typename T>
void AddMissing(const std::vector<T>& extra, std::vector<T>* to) {
  for (const T& x : extra) {
    if (std::find(to->begin(), to->end(), x) == to->end()) to->push_back(x);
  }
}

absl::StatusOr<Tier> TierWith(const Matcher& matcher, const Participant& p,
                              const VacancyContext& context,
                              const std::vector<Accommodation>& extra) {
  Vacancy v = *context.vacancy;
  AddMissing(extra, &v.accommodations);
  ASSIGN_OR_RETURN(MatchResult r, matcher.Explain(p, {&v, context.employer, context.site}));
  return r.tier;
}

}  // namespace

bool Hypothesis::empty() const {
  return add_transport_modes.empty() && add_licences.empty() && !dutch.any() &&
         max_commute_minutes == 0 && add_accommodations.empty();
}

Participant ApplyHypothesis(const Participant& p, const Hypothesis& h) {
  Participant out = p;
  AddMissing(h.add_transport_modes, &out.transport_modes);
  AddMissing(h.add_licences, &out.licences);
  for (int s = 0; s < kLanguageSkillCount; ++s) {
    if (h.dutch.levels[s] != CefrLevel::kNone) out.dutch.levels[s] = h.dutch.levels[s];
  }
  if (h.max_commute_minutes > 0) out.max_commute_minutes = h.max_commute_minutes;
  return out;
}

Vacancy ApplyHypothesis(const Vacancy& v, const Hypothesis& h) {
  Vacancy out = v;
  AddMissing(h.add_accommodations, &out.accommodations);
  return out;
}

absl::StatusOr<MatchResult> ExplainWhatIf(const Matcher& matcher, const Participant& p,
                                          const VacancyContext& context, const Hypothesis& h) {
  if (context.vacancy == nullptr) return absl::InvalidArgumentError("vacancy is missing");
  Participant changed_p = ApplyHypothesis(p, h);
  Vacancy changed_v = ApplyHypothesis(*context.vacancy, h);
  return matcher.Explain(changed_p, {&changed_v, context.employer, context.site});
}

absl::StatusOr<std::optional<std::vector<Accommodation>>> SmallestUnblockingSet(
    const Matcher& matcher, const Participant& p, const VacancyContext& context) {
  if (context.vacancy == nullptr) return absl::InvalidArgumentError("vacancy is missing");
  std::vector<Accommodation> candidates;
  for (Accommodation a : kAllAccommodations) {
    if (!context.vacancy->Offers(a)) candidates.push_back(a);
  }
  ASSIGN_OR_RETURN(Tier now, TierWith(matcher, p, context, {}));
  if (now != Tier::kBlocked) return std::nullopt;
  ASSIGN_OR_RETURN(Tier with_all, TierWith(matcher, p, context, candidates));
  if (with_all == Tier::kBlocked) return std::nullopt;
  const int n = static_cast<int>(candidates.size());
  for (int size = 1; size <= n; ++size) {
    // Subsets of `size` in lexicographic order of candidate positions.
    std::vector<int> pick(size);
    for (int i = 0; i < size; ++i) pick[i] = i;
    while (true) {
      std::vector<Accommodation> set;
      for (int i : pick) set.push_back(candidates[i]);
      ASSIGN_OR_RETURN(Tier tier, TierWith(matcher, p, context, set));
      if (tier != Tier::kBlocked) return set;
      int i = size - 1;
      while (i >= 0 && pick[i] == n - size + i) --i;
      if (i < 0) break;
      ++pick[i];
      for (int j = i + 1; j < size; ++j) pick[j] = pick[j - 1] + 1;
    }
  }
  return std::nullopt;  // unreachable when offering more never hurts
}

}  // namespace carvematch
