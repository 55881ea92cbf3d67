#include "assignment/barriers.h"

#include <algorithm>

namespace carvematch {

std::string_view BarrierName(Barrier b) {
  switch (b) {
    case Barrier::kChildcare:
      return "childcare";
    case Barrier::kNoCar:
      return "no_car";
    case Barrier::kDutch:
      return "dutch_below_a2";
    case Barrier::kShortCommute:
      return "short_commute";
    case Barrier::kCapacityLimits:
      return "capacity_limits";
    case Barrier::kNoDigitalTools:
      return "no_digital_tools";
  }
  return "unknown";
}

BarrierProfile CountBarriers(const Participant& p) {
  BarrierProfile profile;
  auto set = [&profile](Barrier b) { profile.bits |= 1u << static_cast<int>(b); };
  if (!p.childcare.empty()) set(Barrier::kChildcare);
  if (!p.HasMode(TransportMode::kCar) || !p.HasLicence("B")) set(Barrier::kNoCar);
  const CefrLevel oral =
      std::min(p.dutch.get(LanguageSkill::kListening), p.dutch.get(LanguageSkill::kSpeaking));
  if (oral < CefrLevel::kA2) set(Barrier::kDutch);
  if (p.max_commute_minutes < 30) set(Barrier::kShortCommute);
  const FunctionalCapacities& c = p.capacities;
  if (c.max_lift_kg.has_value() || !c.prolonged_standing || !c.night_work || !c.customer_contact ||
      !c.working_alone) {
    set(Barrier::kCapacityLimits);
  }
  if (c.digital_tools == 0) set(Barrier::kNoDigitalTools);
  for (uint32_t bits = profile.bits; bits != 0; bits &= bits - 1) ++profile.count;
  return profile;
}

}  // namespace carvematch
