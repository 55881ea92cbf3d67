// Which participants and vacancies take part in an assignment when the caller selects
// them by a filter instead of by ids (AssignmentService.Assign's participant_filter and
// vacancy_filter), and the waiting time of each participant for the anti-creaming
// objective (months since Participant::job_seeker_since).
//
// Every given criterion must hold; an empty list or unset value keeps everyone. The
// filters are plain predicates on the stored records: they run before the ranking, so
// filtered-out records cost nothing.
//
// Example usage:
//   ParticipantSelection who;
//   who.home.municipalities = {"Aalst"};
//   who.min_waiting_months = 12;
//   const CalendarDay today = CalendarDayOf(std::chrono::system_clock::now());
//   for (const Participant* p : visible) {
//     if (Selects(who, *p, today)) chosen.push_back(p);
//   }
//   problem.waiting_months = WaitingMonthsOf(chosen, today);
#ifndef CARVEMATCH_ASSIGNMENT_SELECTION_H_
#define CARVEMATCH_ASSIGNMENT_SELECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "model/common.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

// Places by location. A location matches when each non-empty list has an entry that
// matches: municipality equal ignoring ASCII case, postal code starting with the prefix.
struct AreaSelection {
  std::vector<std::string> municipalities;
  std::vector<std::string> postal_code_prefixes;

  bool Matches(const Location& location) const;
};

struct ParticipantSelection {
  std::string organisation_id;  // "" = any organisation
  AreaSelection home;           // Participant::home
  // Participants aiming at any of these; a participant without target outcomes is open
  // to all and passes.
  std::vector<TargetOutcome> target_outcomes;
  std::optional<int> max_barriers;  // CountBarriers (assignment/barriers.h) at most this
  // Waiting at least this many whole months (WaitingMonths); when > 0, a participant
  // without job_seeker_since does not pass.
  int min_waiting_months = 0;
};

struct VacancySelection {
  std::vector<std::string> sector_prefixes;  // Employer::sector starts with one of them
  std::vector<std::string> employer_ids;
  AreaSelection site;  // the location of the vacancy's site
  std::vector<ContractType> contract_types;
  std::vector<TargetOutcome> outcomes;  // Vacancy::outcome
  bool carved_only = false;             // Vacancy::carved_from not empty
  int min_places = 0;                   // Vacancy::capacity at least this
};

// Whole months from p.job_seeker_since to `today` (WholeMonthsBetween, 0 when the day is
// today or later); nullopt when the participant has no job_seeker_since.
std::optional<int> WaitingMonths(const Participant& p, const CalendarDay& today);

// AssignmentProblem::waiting_months for these participants (same order): unknown
// waiting time counts as 0 months.
std::vector<int> WaitingMonthsOf(const std::vector<const Participant*>& participants,
                                 const CalendarDay& today);

// Whether the participant passes the selection on `today` (for min_waiting_months).
bool Selects(const ParticipantSelection& selection, const Participant& p, const CalendarDay& today);

// Whether the vacancy, of `employer`, at `site`, passes the selection. Its status is not
// looked at: the caller passes open vacancies.
bool Selects(const VacancySelection& selection, const Vacancy& v, const Employer& employer,
             const Site& site);

}  // namespace carvematch

#endif  // CARVEMATCH_ASSIGNMENT_SELECTION_H_
