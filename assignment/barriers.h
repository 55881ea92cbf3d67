// Barriers to work, counted from the matching-relevant fields of a participant, for the
// fairness report and the anti-creaming objective of the assignment
// (assignment/assignment.h, docs/assignment.md).
//
// A barrier is a constraint of a person's life that makes fewer vacancies fit. Only
// fields the matcher uses count; the participant model holds no protected attributes
// (no nationality, gender, age, health or diagnosis), and none is inferred. The six
// barriers, each counting 1:
//   kChildcare         at least one childcare arrangement to fit the shifts around;
//   kNoCar             no car among the transport modes, or no driving licence "B";
//   kDutch             Dutch listening or speaking below A2 (Flemish level 1.2);
//   kShortCommute      max_commute_minutes < 30;
//   kCapacityLimits    any functional capacity limit: a lifting limit, no prolonged
//                      standing, no night work, no customer contact, no working alone;
//   kNoDigitalTools    digital_tools == 0.
// Waiting time (months since Participant::job_seeker_since) is not a barrier: it has its
// own weight in the anti-creaming objective (AssignmentProblem::waiting_months, filled
// by WaitingMonthsOf in assignment/selection.h).
//
// Example usage:
//   BarrierProfile b = CountBarriers(participant);
//   if (b.Has(Barrier::kDutch)) { ... }  b.count is 0..6
#ifndef CARVEMATCH_ASSIGNMENT_BARRIERS_H_
#define CARVEMATCH_ASSIGNMENT_BARRIERS_H_

#include <cstdint>
#include <string_view>

#include "model/participant.h"

namespace carvematch {

enum class Barrier : int {
  kChildcare = 0,
  kNoCar,
  kDutch,
  kShortCommute,
  kCapacityLimits,
  kNoDigitalTools
};
inline constexpr int kBarrierKinds = 6;
// Stable snake_case key: "childcare", "no_car", "dutch_below_a2", "short_commute",
// "capacity_limits", "no_digital_tools".
std::string_view BarrierName(Barrier b);

struct BarrierProfile {
  uint32_t bits = 0;  // bit static_cast<int>(b) set when barrier b applies
  int count = 0;      // number of bits set, 0..kBarrierKinds
  bool Has(Barrier b) const { return (bits >> static_cast<int>(b)) & 1u; }
};

// Deterministic and cheap; reads only the fields listed above.
BarrierProfile CountBarriers(const Participant& participant);

}  // namespace carvematch

#endif  // CARVEMATCH_ASSIGNMENT_BARRIERS_H_
