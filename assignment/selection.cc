#include "assignment/selection.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "assignment/barriers.h"

namespace carvematch {
namespace {

template <typename T>
bool Contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool AreaSelection::Matches(const Location& location) const {
  if (!municipalities.empty() &&
      std::none_of(municipalities.begin(), municipalities.end(), [&](const std::string& m) {
        return absl::EqualsIgnoreCase(absl::string_view(m),
                                      absl::string_view(location.municipality));
      })) {
    return false;
  }
  if (!postal_code_prefixes.empty() &&
      std::none_of(postal_code_prefixes.begin(), postal_code_prefixes.end(),
                   [&](const std::string& prefix) {
                     return absl::StartsWith(absl::string_view(location.postal_code),
                                             absl::string_view(prefix));
                   })) {
    return false;
  }
  return true;
}

std::optional<int> WaitingMonths(const Participant& p, const CalendarDay& today) {
  if (!p.job_seeker_since) return std::nullopt;
  return WholeMonthsBetween(*p.job_seeker_since, today);
}

std::vector<int> WaitingMonthsOf(const std::vector<const Participant*>& participants,
                                 const CalendarDay& today) {
  std::vector<int> months;
  months.reserve(participants.size());
  for (const Participant* p : participants) months.push_back(WaitingMonths(*p, today).value_or(0));
  return months;
}

bool Selects(const ParticipantSelection& s, const Participant& p, const CalendarDay& today) {
  if (!s.organisation_id.empty() && p.organisation_id != s.organisation_id) return false;
  if (!s.home.Matches(p.home)) return false;
  if (!s.target_outcomes.empty() && !p.target_outcomes.empty() &&
      std::none_of(p.target_outcomes.begin(), p.target_outcomes.end(),
                   [&](TargetOutcome t) { return Contains(s.target_outcomes, t); })) {
    return false;
  }
  if (s.max_barriers && CountBarriers(p).count > *s.max_barriers) return false;
  if (s.min_waiting_months > 0) {
    const std::optional<int> waiting = WaitingMonths(p, today);
    if (!waiting || *waiting < s.min_waiting_months) return false;
  }
  return true;
}

bool Selects(const VacancySelection& s, const Vacancy& v, const Employer& employer,
             const Site& site) {
  if (!s.sector_prefixes.empty() &&
      std::none_of(
          s.sector_prefixes.begin(), s.sector_prefixes.end(), [&](const std::string& prefix) {
            return absl::StartsWith(absl::string_view(employer.sector), absl::string_view(prefix));
          })) {
    return false;
  }
  if (!s.employer_ids.empty() && !Contains(s.employer_ids, v.employer_id)) return false;
  if (!s.site.Matches(site.location)) return false;
  if (!s.contract_types.empty() && !Contains(s.contract_types, v.contract_type)) return false;
  if (!s.outcomes.empty() && !Contains(s.outcomes, v.outcome)) return false;
  if (s.carved_only && v.carved_from.empty()) return false;
  return v.capacity >= s.min_places;
}

}  // namespace carvematch
