// The numeric core of matching one participant x vacancy pair: tier, score, the
// accommodations relied on and the commute, computed from precomputed features without
// building a single string. Matcher::RankVacancies / RankParticipants and the batch
// kernel (matcher/batch_ranker.h) rank with it; the explanation renderer
// (Matcher::Explain) is the straightforward reference it must agree with, pair for pair
// (tests/matcher/batch_ranker_test.cc checks that on random instances).
//
// Evaluation is split in two so the batch kernel can skip pairs cheaply:
//   - CheckStatic: everything that needs no travel time (skills, Dutch, licences,
//     capacities, exclusions, hours, preferences, sustainability, availability without
//     childcare). It gives the score without the commute part, a certain BLOCKED, and
//     accommodations certainly relied on: a lower bound on the tier and an upper bound
//     on the score (commute adds 0..15).
//   - CompletePair: the commute (TravelTimeEstimator calls) and the childcare timing.
//
// Example usage:
//   FeatureDictionary dict;
//   VacancyFeatures vf = BuildVacancyFeatures(vacancy, employer, site, &dict);  // all first
//   ParticipantFeatures pf = BuildParticipantFeatures(participant, dict);
//   PairNumbers n = EvaluatePair(pf, vf, cov_essential, cov_optional, travel, params);
#ifndef CARVEMATCH_MATCHER_PAIR_CORE_H_
#define CARVEMATCH_MATCHER_PAIR_CORE_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "matcher/matcher.h"
#include "mobility/travel.h"
#include "model/week.h"

namespace carvematch {

// Bit of an Accommodation in a mask.
inline constexpr uint32_t AccommodationBit(Accommodation a) {
  return uint32_t{1} << static_cast<int>(a);
}
// The accommodations of a mask, in enum order.
std::vector<Accommodation> AccommodationsOfMask(uint32_t mask);

// The score formula shared by the core and the renderer (same operations in the same
// order, so both give bit-identical scores).
// (The matcher library is compiled with -ffp-contract=off, so no FMA contraction can
// make an inlined copy differ from another.)
inline double SkillsPart(float coverage_essential, float coverage_optional) {
  return 50.0 * (0.8 * coverage_essential + 0.2 * coverage_optional);
}
inline double TotalScore(const ScoreParts& s) {  // clamped to 0..100
  return std::clamp(
      s.skills + s.commute + s.language + s.hours + s.preferences - s.penalty + s.sustainability,
      0.0, 100.0);
}
// True when the span touches 22:00-06:00 of any night.
bool OverlapsNight(const WeeklySpan& s);
// Walking always, the listed modes, a car only with licence B, a moped only with AM or
// B; enum order.
std::vector<TransportMode> UsableModes(const Participant& p);
// The highest level among the participant's skills with diploma, work or foreign
// diploma evidence; 0 when none ("aim not too low", docs/matching.md).
int DemonstratedLevel(const Participant& p);
// Points for contract type and schedule predictability (docs/matching.md).
double SustainabilityPoints(ContractType contract, bool predictable_schedule);
// True when the vacancy's skill needs are far below the participant's demonstrated
// level: demonstrated >= 3 and demonstrated - mean need level >= 2 (over all
// requirements; a vacancy without requirements is never flagged).
bool AimsTooLow(int demonstrated_level, int need_level_sum, int need_count);

// Interned strings of the vacancies in one call: sectors, occupations, licence
// categories and work settings. Vacancies are added first, then participants are
// resolved against it.
class FeatureDictionary {
 public:
  int AddSector(const std::string& s) { return Add(&sectors_, &sector_ids_, s); }
  int AddOccupation(const std::string& s) { return Add(&occupations_, &occupation_ids_, s); }
  int AddLicence(const std::string& s) { return Add(&licences_, &licence_ids_, s); }
  int AddSetting(const std::string& s) { return Add(&settings_, &setting_ids_, s); }
  int FindOccupation(const std::string& s) const { return Find(occupation_ids_, s); }
  int FindLicence(const std::string& s) const { return Find(licence_ids_, s); }
  int FindSetting(const std::string& s) const { return Find(setting_ids_, s); }
  const std::vector<std::string>& sectors() const { return sectors_; }

 private:
  using Ids = std::unordered_map<std::string, int>;
  static int Add(std::vector<std::string>* names, Ids* ids, const std::string& s);
  static int Find(const Ids& ids, const std::string& s);
  std::vector<std::string> sectors_, occupations_, licences_, settings_;
  Ids sector_ids_, occupation_ids_, licence_ids_, setting_ids_;
};

// A set of small ids: a 64-bit mask for ids < 64, a sorted list for the rest.
struct IdSet {
  uint64_t mask = 0;
  std::vector<int> rest;
  void Insert(int id);
  bool Contains(int id) const;
  bool Intersects(const IdSet& o) const;
  bool IsSubsetOf(const IdSet& o) const;
};

// Capacity/demand flags.
inline constexpr uint32_t kFlagStanding = 1u << 0;
inline constexpr uint32_t kFlagNight = 1u << 1;
inline constexpr uint32_t kFlagCustomerContact = 1u << 2;
inline constexpr uint32_t kFlagWorkingAlone = 1u << 3;

struct VacancyFeatures {
  GeoPoint site;
  const std::vector<WeeklySpan>* shifts = nullptr;       // the vacancy's shifts (not owned)
  std::vector<WeeklySpan> commute_shifts;                // the shifts, or Monday 09:00-17:00
  std::vector<WeekMask> shift_masks;                     // one per shift
  WeekMask all_shifts;                                   // their union
  uint8_t shift_days = 0;                                // bit DayIndex per shift day
  std::array<int8_t, kLanguageSkillCount> dutch_need{};  // max over tasks
  IdSet licences;                                        // needed by a task
  int max_lift_kg = 0;
  uint32_t demands = 0;  // kFlag*: a task needs it (night: a night task or night shift)
  int digital_tools = 0;
  IdSet settings;
  double hours = 0;  // hours_per_week, else the sum of task hours
  int sector = -1;
  int occupation = -1;  // -1 when the vacancy names none
  TargetOutcome outcome = TargetOutcome::kPaidJob;
  uint32_t offers = 0;        // AccommodationBit of each offered accommodation
  double sustainability = 0;  // SustainabilityPoints of the vacancy
  int need_level_sum = 0;     // over VacancyRequirements
  int need_count = 0;
};

struct ParticipantFeatures {
  const Participant* participant = nullptr;
  GeoPoint home;
  std::vector<TransportMode> modes;  // UsableModes
  int max_commute = 1;               // max(1, max_commute_minutes)
  bool always_available = true;      // empty availability
  WeekMask availability;
  // The availability as maximal runs of quarters [begin, end), ascending.
  std::vector<std::pair<int, int>> availability_runs;
  std::array<int8_t, kLanguageSkillCount> dutch{};
  IdSet licences;           // categories the vacancies of the dictionary need
  int max_lift_kg = -1;     // -1: no limit
  uint32_t capacities = 0;  // kFlag*: the participant can
  int digital_tools = 0;
  IdSet exclusions;
  double min_hours = 0, max_hours = 0;
  std::vector<uint8_t> sector_pref;  // per dictionary sector: 0, kWanted | kAvoided bits
  IdSet wanted_occupations, avoided_occupations;
  bool states_wishes = false;
  uint32_t targets = 0;  // bit per TargetOutcome; 0 = no targets
  bool has_childcare = false;
  uint8_t care_days = 0;  // bit DayIndex of days some arrangement is open
  int demonstrated_level = 0;
};
inline constexpr uint8_t kSectorWanted = 1;
inline constexpr uint8_t kSectorAvoided = 2;

VacancyFeatures BuildVacancyFeatures(const Vacancy& v, const Employer& e, const Site& site,
                                     FeatureDictionary* dict);
ParticipantFeatures BuildParticipantFeatures(const Participant& p, const FeatureDictionary& dict);

// What needs no travel time.
struct StaticPart {
  bool blocked = false;         // certainly BLOCKED
  uint32_t accommodations = 0;  // relied on for sure (AccommodationBit)
  ScoreParts parts;             // all but commute
  bool schedule_fits = true;    // every shift lies within the availability
  // A shift outside the availability relies on a flexible start (or blocks).
  bool at_least_with_accommodations = false;
};
// With `parts_only` (for a pair already known to be BLOCKED) only `parts` is complete:
// the licence, capacity, exclusion and schedule checks are left out.
StaticPart CheckStatic(const ParticipantFeatures& p, const VacancyFeatures& v,
                       float coverage_essential, float coverage_optional,
                       const MatcherParams& params, bool parts_only = false);
// The static blockers of CheckStatic in a compact form, for rejecting pairs before
// any other work: CertainlyBlocked(HardNeedsOf(v), HardAbilitiesOf(p), params) is true
// only when CheckStatic(p, v, ...).blocked is (and is the same answer whenever the
// licence, setting and exclusion ids are all below 64, which the dictionary assigns
// first). The week masks are referenced, not copied: the features must outlive them.
struct HardNeeds {
  std::array<int8_t, kLanguageSkillCount> dutch_need{};
  uint8_t shift_days = 0;
  uint32_t offers = 0;
  uint32_t demands = 0;
  int max_lift_kg = 0;
  int digital_tools = 0;
  uint64_t licence_mask = 0;  // IdSet::mask of the licences
  uint64_t setting_mask = 0;
  double hours = 0;
  const WeekMask* all_shifts = nullptr;
};
struct HardAbilities {
  std::array<int8_t, kLanguageSkillCount> dutch{};
  bool always_available = true;
  bool has_childcare = false;
  uint8_t care_days = 0;
  uint32_t capacities = 0;
  int max_lift_kg = -1;
  int digital_tools = 0;
  uint64_t licence_mask = 0;
  uint64_t exclusion_mask = 0;
  double min_hours = 0, max_hours = 0;
  const WeekMask* availability = nullptr;
};
HardNeeds HardNeedsOf(const VacancyFeatures& v);
HardAbilities HardAbilitiesOf(const ParticipantFeatures& p);
// The same conditions as CheckStatic's, cheapest first (inline: the batch kernel calls
// it for every pair within reach).
inline bool CertainlyBlocked(const HardNeeds& v, const HardAbilities& p,
                             const MatcherParams& params) {
  auto offers = [&](Accommodation a) { return (v.offers & AccommodationBit(a)) != 0; };
  if (v.licence_mask & ~p.licence_mask) return true;
  if (v.demands & ~p.capacities) return true;
  if (v.setting_mask & p.exclusion_mask) return true;
  if (v.max_lift_kg > 0 && p.max_lift_kg >= 0 && v.max_lift_kg > p.max_lift_kg) return true;
  for (int li = 0; li < kLanguageSkillCount; ++li) {
    if (v.dutch_need[li] == 0) continue;
    const int gap = v.dutch_need[li] - p.dutch[li];
    if (gap > 1 || (gap == 1 && !offers(Accommodation::kLanguageCoaching))) return true;
  }
  if (v.digital_tools > 0) {
    const int gap = v.digital_tools - p.digital_tools;
    if (gap > 1 || (gap == 1 && !offers(Accommodation::kWorkplaceLearning))) return true;
  }
  if (!(v.hours <= 0 || (v.hours >= p.min_hours && v.hours <= p.max_hours))) {
    const double lo = p.min_hours, hi = p.max_hours, hours = v.hours;
    const double off = hours < lo ? (lo - hours) / lo : (hours - hi) / std::max(hi, 1.0);
    if (!(off <= params.hours_blocker_fraction)) return true;
  }
  if (p.has_childcare && (v.shift_days & ~p.care_days) &&
      !offers(Accommodation::kChildcareSupport)) {
    return true;
  }
  if (!p.always_available && !offers(Accommodation::kFlexibleStart) &&
      !v.all_shifts->Within(*p.availability)) {
    return true;
  }
  return false;
}

// A packed, branch-free subset of CertainlyBlocked for the first rejection of pairs
// in bulk (one 64-byte record per vacancy, compared with one per participant):
// SurelyBlocked(PackedNeedsOf(v), PackedAbilitiesOf(p), params) implies
// CertainlyBlocked(HardNeedsOf(v), HardAbilitiesOf(p), params), and misses only pairs
// whose shifts leave the availability inside an hour of the week in which the
// participant is available part of the time (hour bits instead of quarters; callers
// ask CertainlyBlocked for the pairs it lets through).
struct alignas(64) PackedNeeds {
  uint64_t licences = 0;  // IdSet::mask
  uint64_t settings = 0;  // IdSet::mask
  // Hour h of the week (bit h % 64 of word h / 64) is set when a shift touches one of
  // its quarters; all 0 when the vacancy offers a flexible start.
  std::array<uint64_t, 3> shift_hours{};
  double hours = 0;
  uint32_t demands = 0;
  int32_t max_lift_kg = 0;
  // Per language skill, the lowest participant level that does not block (need - 1
  // with language coaching on the floor); -128 when nothing is needed.
  std::array<int8_t, kLanguageSkillCount> dutch_floor{};
  int16_t digital_floor = -32768;  // the same for digital tools
  uint8_t care_days = 0;           // shift days; 0 when childcare support is offered
};
struct PackedAbilities {
  uint64_t licences = 0;
  uint64_t exclusions = 0;
  std::array<uint64_t, 3> unavailable_hours{};  // hours without any available quarter
  double min_hours = 0, max_hours = 0;
  uint32_t capacities = 0;
  int32_t max_lift_kg = 0;  // INT32_MAX when there is no limit
  std::array<int8_t, kLanguageSkillCount> dutch{};
  int16_t digital_tools = 0;
  uint8_t no_care_days = 0;  // days without childcare, when the participant has any
};
// Bit h of 168 for every hour of the week with at least one quarter set in `m`.
std::array<uint64_t, 3> HoursTouched(const WeekMask& m);
PackedNeeds PackedNeedsOf(const VacancyFeatures& v);
PackedAbilities PackedAbilitiesOf(const ParticipantFeatures& p);
inline bool HoursBlock(double hours, double lo, double hi, const MatcherParams& params) {
  if (hours <= 0 || (hours >= lo && hours <= hi)) return false;
  const double off = hours < lo ? (lo - hours) / lo : (hours - hi) / std::max(hi, 1.0);
  return !(off <= params.hours_blocker_fraction);
}
inline bool SurelyBlocked(const PackedNeeds& v, const PackedAbilities& p,
                          const MatcherParams& params) {
  const uint64_t bits = (v.licences & ~p.licences) | (v.settings & p.exclusions) |
                        (v.shift_hours[0] & p.unavailable_hours[0]) |
                        (v.shift_hours[1] & p.unavailable_hours[1]) |
                        (v.shift_hours[2] & p.unavailable_hours[2]) | (v.demands & ~p.capacities) |
                        (v.care_days & p.no_care_days);
  bool blocked =
      (bits != 0) | (v.max_lift_kg > p.max_lift_kg) | (p.digital_tools < v.digital_floor);
  for (int li = 0; li < kLanguageSkillCount; ++li) blocked |= p.dutch[li] < v.dutch_floor[li];
  return blocked || HoursBlock(v.hours, p.min_hours, p.max_hours, params);
}

// Lower bound of the tier and upper bound of the score of a pair from its static part.
Tier TierLowerBound(const StaticPart& s);
double ScoreUpperBound(const StaticPart& s);

struct PairNumbers {
  Tier tier = Tier::kUnspecified;
  double score = 0;
  ScoreParts parts;
  uint32_t accommodations = 0;  // AccommodationBit of each one relied on
  std::optional<TransportMode> commute_mode;
  int commute_minutes = -1;
};
// Per TransportMode (index static_cast<int>(mode)): a lower bound of the minutes the
// estimator can answer for this pair, any shift and leg.
using ModeMinutesBound = std::array<double, kTransportModeCount + 1>;

// The answers of the flexible-start search for shifts without childcare timing, for
// one participant (one ParticipantFeatures) and one MatcherParams: whether some move
// of the shift within the limits lies within the availability. That depends on the
// shift alone (not on the vacancy or the site), so a ranking of one participant
// against many vacancies, which share a few shift patterns, searches each once.
// Holds up to kCapacity shifts (further ones are searched every time). Not
// thread-safe: one per participant and thread.
class FlexibleStartMemo {
 public:
  static constexpr int kCapacity = 256;
  // The stored answer for `s`, or -1 when it is not stored.
  int Find(const WeeklySpan& s) const {
    for (int i = Slot(s), probes = 0; probes < kCapacity; i = (i + 1) % kCapacity, ++probes) {
      const Entry& e = entries_[static_cast<size_t>(i)];
      if (e.fits < 0) return -1;
      if (e.day == s.day && e.start == s.start_minute && e.end == s.end_minute) return e.fits;
    }
    return -1;
  }
  void Put(const WeeklySpan& s, bool fits) {
    if (size_ >= kCapacity / 2) return;  // keep probe sequences short
    for (int i = Slot(s);; i = (i + 1) % kCapacity) {
      Entry& e = entries_[static_cast<size_t>(i)];
      if (e.fits < 0) {
        e = {s.day, s.start_minute, s.end_minute, fits ? 1 : 0};
        ++size_;
        return;
      }
      if (e.day == s.day && e.start == s.start_minute && e.end == s.end_minute) return;
    }
  }

 private:
  struct Entry {
    Weekday day = Weekday::kUnspecified;
    int start = 0, end = 0;
    int fits = -1;  // -1: empty slot
  };
  static int Slot(const WeeklySpan& s) {
    const uint32_t h = static_cast<uint32_t>(static_cast<int>(s.day)) * 0x9E3779B1u ^
                       static_cast<uint32_t>(s.start_minute) * 0x85EBCA77u ^
                       static_cast<uint32_t>(s.end_minute) * 0xC2B2AE3Du;
    return static_cast<int>((h ^ (h >> 15)) % kCapacity);
  }
  std::array<Entry, kCapacity> entries_{};
  int size_ = 0;
};

// Completes a pair from its static part. With `score_only` (the caller knows the pair is
// blocked and needs no accommodation set) the schedule and childcare are not checked.
// `mode_bounds`, when given, lets it skip modes that cannot be the fastest (the
// result is the same, with fewer estimator calls).
// - `stop_when_blocked` (for callers that drop BLOCKED pairs): returns as soon as the
//   pair is certainly BLOCKED, with tier kBlocked and the other numbers incomplete;
//   without childcare the schedule is then checked before the commute. A pair that is
//   not BLOCKED gets the same numbers as without it.
// - `flexible_memo`, when given, answers the flexible-start search of shifts without
//   childcare timing from earlier pairs of the same participant (FlexibleStartMemo);
//   the numbers are the same as without it.
PairNumbers CompletePair(const ParticipantFeatures& p, const VacancyFeatures& v,
                         const StaticPart& s, const TravelTimeEstimator& travel,
                         const MatcherParams& params, bool score_only = false,
                         const ModeMinutesBound* mode_bounds = nullptr,
                         bool stop_when_blocked = false,
                         FlexibleStartMemo* flexible_memo = nullptr);
inline PairNumbers EvaluatePair(const ParticipantFeatures& p, const VacancyFeatures& v,
                                float coverage_essential, float coverage_optional,
                                const TravelTimeEstimator& travel, const MatcherParams& params) {
  return CompletePair(p, v, CheckStatic(p, v, coverage_essential, coverage_optional, params),
                      travel, params);
}

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_PAIR_CORE_H_
