#include "matcher/pair_core.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <set>

#include "matcher/skill_coverage.h"

namespace carvematch {

std::vector<Accommodation> AccommodationsOfMask(uint32_t mask) {
  std::vector<Accommodation> out;
  for (int a = 1; a < 32; ++a) {
    if (mask & (uint32_t{1} << a)) out.push_back(static_cast<Accommodation>(a));
  }
  return out;
}

bool OverlapsNight(const WeeklySpan& s) {
  for (int k = 0; k <= 2; ++k) {
    int lo = k * 1440 - 120;
    int hi = k * 1440 + 360;
    if (s.start_minute < hi && s.end_minute > lo) return true;
  }
  return false;
}

std::vector<TransportMode> UsableModes(const Participant& p) {
  std::set<TransportMode> modes = {TransportMode::kWalk};
  for (TransportMode m : p.transport_modes) {
    if (m == TransportMode::kUnspecified) continue;
    if (m == TransportMode::kCar && !p.HasLicence("B")) continue;
    if (m == TransportMode::kMoped && !p.HasLicence("AM") && !p.HasLicence("B")) continue;
    modes.insert(m);
  }
  return {modes.begin(), modes.end()};
}

int DemonstratedLevel(const Participant& p) {
  int best = 0;
  for (const SkillClaim& s : p.skills) {
    if (s.source == EvidenceSource::kDiploma || s.source == EvidenceSource::kWork ||
        s.source == EvidenceSource::kForeignDiploma) {
      best = std::max(best, s.level);
    }
  }
  return best;
}

double SustainabilityPoints(ContractType contract, bool predictable_schedule) {
  double points = 0;
  switch (contract) {
    case ContractType::kOpenEnded:
      points = 3;
      break;
    case ContractType::kFixedTerm:
      points = 1;
      break;
    case ContractType::kTemp:
      points = -2;
      break;
    case ContractType::kDay:
      points = -4;
      break;
    case ContractType::kUnspecified:
      break;
  }
  if (!predictable_schedule) points -= 3;
  return points;
}

bool AimsTooLow(int demonstrated_level, int need_level_sum, int need_count) {
  // demonstrated - sum / count >= 2, in integers.
  return demonstrated_level >= 3 && need_count > 0 &&
         demonstrated_level * need_count - need_level_sum >= 2 * need_count;
}

int FeatureDictionary::Add(std::vector<std::string>* names, Ids* ids, const std::string& s) {
  auto [it, inserted] = ids->try_emplace(s, static_cast<int>(names->size()));
  if (inserted) names->push_back(s);
  return it->second;
}

int FeatureDictionary::Find(const Ids& ids, const std::string& s) {
  auto it = ids.find(s);
  return it == ids.end() ? -1 : it->second;
}

void IdSet::Insert(int id) {
  if (id < 0) return;
  if (id < 64) {
    mask |= uint64_t{1} << id;
  } else if (!Contains(id)) {
    rest.insert(std::lower_bound(rest.begin(), rest.end(), id), id);
  }
}

bool IdSet::Contains(int id) const {
  if (id < 0) return false;
  if (id < 64) return (mask >> id) & 1;
  return std::binary_search(rest.begin(), rest.end(), id);
}

bool IdSet::Intersects(const IdSet& o) const {
  if (mask & o.mask) return true;
  for (int id : rest) {
    if (o.Contains(id)) return true;
  }
  return false;
}

bool IdSet::IsSubsetOf(const IdSet& o) const {
  if (mask & ~o.mask) return false;
  for (int id : rest) {
    if (!o.Contains(id)) return false;
  }
  return true;
}

VacancyFeatures BuildVacancyFeatures(const Vacancy& v, const Employer& e, const Site& site,
                                     FeatureDictionary* dict) {
  VacancyFeatures f;
  f.site = site.location.point;
  f.shifts = &v.shifts;
  f.commute_shifts = v.shifts;
  if (f.commute_shifts.empty()) f.commute_shifts.push_back({Weekday::kMonday, 9 * 60, 17 * 60});
  for (const WeeklySpan& s : v.shifts) {
    f.shift_masks.push_back(WeekMask::FromSpan(s));
    f.all_shifts = f.all_shifts | f.shift_masks.back();
    if (s.day != Weekday::kUnspecified) f.shift_days |= uint8_t(1u << DayIndex(s.day));
    if (OverlapsNight(s)) f.demands |= kFlagNight;
  }
  for (const Task& t : v.tasks) {
    for (int li = 0; li < kLanguageSkillCount; ++li) {
      f.dutch_need[li] =
          std::max<int8_t>(f.dutch_need[li], static_cast<int8_t>(t.dutch.levels[li]));
    }
    if (!t.licence.empty()) f.licences.Insert(dict->AddLicence(t.licence));
    f.max_lift_kg = std::max(f.max_lift_kg, t.lift_kg);
    if (t.prolonged_standing) f.demands |= kFlagStanding;
    if (t.customer_contact) f.demands |= kFlagCustomerContact;
    if (!t.alongside_colleagues) f.demands |= kFlagWorkingAlone;
    if (t.time_of_day == TimeOfDay::kNight) f.demands |= kFlagNight;
    f.digital_tools = std::max(f.digital_tools, t.digital_tools);
  }
  for (const std::string& s : v.work_settings) f.settings.Insert(dict->AddSetting(s));
  f.hours = v.hours_per_week;
  if (f.hours <= 0) {
    for (const Task& t : v.tasks) f.hours += t.hours_per_week;
  }
  f.sector = dict->AddSector(e.sector);
  f.occupation = v.occupation_uri.empty() ? -1 : dict->AddOccupation(v.occupation_uri);
  f.outcome = v.outcome;
  for (Accommodation a : v.accommodations) f.offers |= AccommodationBit(a);
  f.sustainability = SustainabilityPoints(v.contract_type, v.predictable_schedule);
  for (const Requirement& r : VacancyRequirements(v)) {
    f.need_level_sum += r.level;
    ++f.need_count;
  }
  return f;
}

ParticipantFeatures BuildParticipantFeatures(const Participant& p, const FeatureDictionary& dict) {
  ParticipantFeatures f;
  f.participant = &p;
  f.home = p.home.point;
  f.modes = UsableModes(p);
  f.max_commute = std::max(1, p.max_commute_minutes);
  f.always_available = p.availability.empty();
  f.availability = WeekMask::FromSpans(p.availability);
  for (int q = 0; q < kQuartersPerWeek;) {
    if (!f.availability.Test(q)) {
      ++q;
      continue;
    }
    int end = q;
    while (end < kQuartersPerWeek && f.availability.Test(end)) ++end;
    f.availability_runs.emplace_back(q, end);
    q = end;
  }
  for (int li = 0; li < kLanguageSkillCount; ++li) {
    f.dutch[li] = static_cast<int8_t>(p.dutch.levels[li]);
  }
  for (const std::string& l : p.licences) f.licences.Insert(dict.FindLicence(l));
  f.max_lift_kg = p.capacities.max_lift_kg ? *p.capacities.max_lift_kg : -1;
  const FunctionalCapacities& c = p.capacities;
  f.capacities = (c.prolonged_standing ? kFlagStanding : 0) | (c.night_work ? kFlagNight : 0) |
                 (c.customer_contact ? kFlagCustomerContact : 0) |
                 (c.working_alone ? kFlagWorkingAlone : 0);
  f.digital_tools = c.digital_tools;
  for (const std::string& x : p.exclusions) f.exclusions.Insert(dict.FindSetting(x));
  f.min_hours = p.min_hours_per_week;
  f.max_hours = p.max_hours_per_week;
  auto prefix_of = [](const std::string& prefix, const std::string& s) {
    return !prefix.empty() && s.compare(0, prefix.size(), prefix) == 0;
  };
  f.sector_pref.assign(dict.sectors().size(), 0);
  for (size_t i = 0; i < dict.sectors().size(); ++i) {
    const std::string& sector = dict.sectors()[i];
    for (const std::string& w : p.wanted_sectors) {
      if (prefix_of(w, sector)) f.sector_pref[i] |= kSectorWanted;
    }
    for (const std::string& a : p.avoided_sectors) {
      if (prefix_of(a, sector)) f.sector_pref[i] |= kSectorAvoided;
    }
  }
  for (const std::string& o : p.wanted_occupations) {
    if (!o.empty()) f.wanted_occupations.Insert(dict.FindOccupation(o));
  }
  for (const std::string& o : p.avoided_occupations) {
    if (!o.empty()) f.avoided_occupations.Insert(dict.FindOccupation(o));
  }
  f.states_wishes = !p.wanted_sectors.empty() || !p.wanted_occupations.empty();
  for (TargetOutcome t : p.target_outcomes) f.targets |= uint32_t{1} << static_cast<int>(t);
  f.has_childcare = !p.childcare.empty();
  for (const Childcare& care : p.childcare) {
    for (const WeeklySpan& o : care.opening_hours) {
      if (o.day != Weekday::kUnspecified) f.care_days |= uint8_t(1u << DayIndex(o.day));
    }
  }
  f.demonstrated_level = DemonstratedLevel(p);
  return f;
}

namespace {

WeeklySpan Shifted(const WeeklySpan& s, int delta) {
  return {s.day, s.start_minute + delta, s.end_minute + delta};
}

// True when quarters [a, b) (0 <= a < b <= kQuartersPerWeek) lie in one run.
bool RunContains(const std::vector<std::pair<int, int>>& runs, int a, int b) {
  for (const auto& [lo, hi] : runs) {
    if (lo <= a) {
      if (b <= hi) return true;
    } else {
      break;
    }
  }
  return false;
}

// WeekMask::FromSpan(s).Within(p.availability), without building the mask: the span's
// quarters [first, last) (modulo the week) must lie within the availability's runs.
bool Available(const ParticipantFeatures& p, const WeeklySpan& s) {
  if (p.always_available) return true;
  if (s.day == Weekday::kUnspecified || s.end_minute <= s.start_minute) return true;  // empty
  const int start = DayIndex(s.day) * 1440 + s.start_minute;
  const int end = DayIndex(s.day) * 1440 + s.end_minute;
  if (start < 0) return WeekMask::FromSpan(s).Within(p.availability);
  const int first = start / 15;
  const int last = (end + 14) / 15;
  const int len = last - first;
  if (len >= kQuartersPerWeek) return RunContains(p.availability_runs, 0, kQuartersPerWeek);
  const int f = first % kQuartersPerWeek;
  if (f + len <= kQuartersPerWeek) return RunContains(p.availability_runs, f, f + len);
  return RunContains(p.availability_runs, f, kQuartersPerWeek) &&
         RunContains(p.availability_runs, 0, f + len - kQuartersPerWeek);
}

bool DayBit(uint8_t days, Weekday d) {
  return d != Weekday::kUnspecified && ((days >> DayIndex(d)) & 1);
}

// The travel minutes between the participant's childcare arrangements and one
// workplace with one mode, for CareProblem. When the estimator answers the same for
// every shift and leg (SameAtAllTimes), each arrangement's minutes are asked once per
// pair instead of twice per shift and per moved shift of the flexible-start search.
class CareMinutes {
 public:
  CareMinutes(const Participant& p, GeoPoint work, TransportMode mode,
              const TravelTimeEstimator& travel)
      : p_(p), work_(work), mode_(mode), travel_(travel), same_(travel.SameAtAllTimes(mode)) {}

  // Minutes from arrangement `care` (an index into p.childcare) to the workplace for
  // the shift, and back after it.
  std::optional<int> To(size_t care, const WeeklySpan& s) {
    if (same_ && care < kCached) return Cached(care);
    return travel_.Minutes(mode_, Point(care), work_, s, TripLeg::kToShift);
  }
  std::optional<int> Back(size_t care, const WeeklySpan& s) {
    if (same_ && care < kCached) return Cached(care);
    return travel_.Minutes(mode_, work_, Point(care), s, TripLeg::kFromShift);
  }

 private:
  static constexpr size_t kCached = 8;
  GeoPoint Point(size_t care) const { return p_.childcare[care].location.point; }
  // SameAtAllTimes: one answer for every shift and both legs (and both directions).
  std::optional<int> Cached(size_t care) {
    if (!known_[care]) {
      known_[care] = true;
      minutes_[care] =
          travel_.Minutes(mode_, Point(care), work_, WeeklySpan{Weekday::kMonday, 9 * 60, 17 * 60},
                          TripLeg::kToShift);
    }
    return minutes_[care];
  }

  const Participant& p_;
  const GeoPoint work_;
  const TransportMode mode_;
  const TravelTimeEstimator& travel_;
  const bool same_;
  std::array<bool, kCached> known_{};
  std::array<std::optional<int>, kCached> minutes_{};
};

// Mirrors the renderer's childcare timing check; true when there is a problem.
bool CareProblem(const Participant& p, const WeeklySpan& s, CareMinutes& minutes) {
  struct Open {
    size_t care;
    const WeeklySpan* span;
  };
  Open open[16];
  std::vector<Open> more;
  int n = 0;
  for (size_t ci = 0; ci < p.childcare.size(); ++ci) {
    for (const WeeklySpan& o : p.childcare[ci].opening_hours) {
      if (o.day != s.day) continue;
      if (n < 16) {
        open[n++] = {ci, &o};
      } else {
        more.push_back({ci, &o});
      }
    }
  }
  if (n == 0) return false;
  auto for_each = [&](auto&& fn) {
    for (int i = 0; i < n; ++i) fn(open[i]);
    for (const Open& o : more) fn(o);
  };
  std::optional<int> drop_off, pick_up;
  const Open* earliest = nullptr;
  const Open* latest = nullptr;
  std::optional<int> earliest_to, latest_back;
  for_each([&](const Open& o) {
    std::optional<int> to = minutes.To(o.care, s);
    std::optional<int> back = minutes.Back(o.care, s);
    if (!earliest || o.span->start_minute < earliest->span->start_minute) {
      earliest = &o;
      earliest_to = to;
    }
    if (!latest || o.span->end_minute > latest->span->end_minute) {
      latest = &o;
      latest_back = back;
    }
    if (to && o.span->start_minute + *to <= s.start_minute &&
        o.span->end_minute > s.start_minute - *to) {
      drop_off = std::min(drop_off.value_or(s.start_minute - *to), s.start_minute - *to);
    }
    if (back && s.end_minute + *back <= o.span->end_minute &&
        o.span->start_minute < s.end_minute + *back) {
      pick_up = std::max(pick_up.value_or(s.end_minute + *back), s.end_minute + *back);
    }
  });
  if (!earliest_to || !latest_back || !drop_off || !pick_up) return true;
  int covered_until = *drop_off;
  bool extended = true;
  while (extended && covered_until < *pick_up) {
    extended = false;
    for_each([&](const Open& o) {
      if (o.span->start_minute <= covered_until && o.span->end_minute > covered_until) {
        covered_until = o.span->end_minute;
        extended = true;
      }
    });
  }
  return covered_until < *pick_up;
}

}  // namespace

StaticPart CheckStatic(const ParticipantFeatures& p, const VacancyFeatures& v,
                       float coverage_essential, float coverage_optional,
                       const MatcherParams& params, bool parts_only) {
  StaticPart s;
  s.parts.skills = SkillsPart(coverage_essential, coverage_optional);
  auto offers = [&](Accommodation a) { return (v.offers & AccommodationBit(a)) != 0; };

  // Dutch.
  double language_sum = 0;
  for (int li = 0; li < kLanguageSkillCount; ++li) {
    if (v.dutch_need[li] == 0) {
      language_sum += 1;
      continue;
    }
    const int gap = v.dutch_need[li] - p.dutch[li];
    if (gap <= 0) {
      language_sum += 1;
    } else if (gap == 1 && offers(Accommodation::kLanguageCoaching)) {
      language_sum += 0.5;
      s.accommodations |= AccommodationBit(Accommodation::kLanguageCoaching);
    } else {
      s.blocked = true;
    }
  }
  s.parts.language = 15.0 * language_sum / kLanguageSkillCount;

  // Hours.
  if (v.hours <= 0 || (v.hours >= p.min_hours && v.hours <= p.max_hours)) {
    s.parts.hours = 10;
  } else {
    const double lo = p.min_hours, hi = p.max_hours, hours = v.hours;
    const double off = hours < lo ? (lo - hours) / lo : (hours - hi) / std::max(hi, 1.0);
    const double limit = params.hours_blocker_fraction;
    if (off <= limit) {
      s.parts.hours = 10.0 * (1.0 - off / limit);
    } else {
      s.blocked = true;
    }
  }

  // Preferences and outcome.
  const uint8_t sector = v.sector >= 0 && static_cast<size_t>(v.sector) < p.sector_pref.size()
                             ? p.sector_pref[static_cast<size_t>(v.sector)]
                             : 0;
  const bool outcome_ok =
      p.targets == 0 || (p.targets & (uint32_t{1} << static_cast<int>(v.outcome))) != 0;
  double pref = outcome_ok ? 4 : 0;
  if ((sector & kSectorAvoided) || p.avoided_occupations.Contains(v.occupation)) {
    pref = 0;
    s.parts.penalty = params.avoided_penalty;
  } else if ((sector & kSectorWanted) || p.wanted_occupations.Contains(v.occupation)) {
    pref += 6;
  } else if (!p.states_wishes) {
    pref += 3;
  }
  s.parts.preferences = pref;

  // Sustainability.
  s.parts.sustainability = v.sustainability;
  if (AimsTooLow(p.demonstrated_level, v.need_level_sum, v.need_count)) {
    s.parts.sustainability -= params.aim_too_low_penalty;
  }

  if (parts_only) return s;

  // Licences, capacities.
  if (!v.licences.IsSubsetOf(p.licences)) s.blocked = true;
  if (v.max_lift_kg > 0 && p.max_lift_kg >= 0 && v.max_lift_kg > p.max_lift_kg) s.blocked = true;
  if (v.demands & ~p.capacities) s.blocked = true;
  if (v.digital_tools > 0) {
    const int gap = v.digital_tools - p.digital_tools;
    if (gap == 1 && offers(Accommodation::kWorkplaceLearning)) {
      s.accommodations |= AccommodationBit(Accommodation::kWorkplaceLearning);
    } else if (gap > 0) {
      s.blocked = true;
    }
  }
  if (v.settings.Intersects(p.exclusions)) s.blocked = true;

  // Schedule without childcare timing (that needs travel).
  const bool flexible = offers(Accommodation::kFlexibleStart);
  if (p.has_childcare && (v.shift_days & ~p.care_days)) {
    if (offers(Accommodation::kChildcareSupport)) {
      s.accommodations |= AccommodationBit(Accommodation::kChildcareSupport);
    } else {
      s.blocked = true;
    }
  }
  s.schedule_fits = p.always_available || v.all_shifts.Within(p.availability);
  if (!s.schedule_fits) {
    // Without a flexible start the shift blocks; with one it relies on it, or blocks
    // when no move fits (searched in CompletePair).
    if (!flexible) {
      s.blocked = true;
    } else {
      s.at_least_with_accommodations = true;
    }
  }
  return s;
}

HardNeeds HardNeedsOf(const VacancyFeatures& v) {
  HardNeeds h;
  h.dutch_need = v.dutch_need;
  h.shift_days = v.shift_days;
  h.offers = v.offers;
  h.demands = v.demands;
  h.max_lift_kg = v.max_lift_kg;
  h.digital_tools = v.digital_tools;
  h.licence_mask = v.licences.mask;
  h.setting_mask = v.settings.mask;
  h.hours = v.hours;
  h.all_shifts = &v.all_shifts;
  return h;
}

HardAbilities HardAbilitiesOf(const ParticipantFeatures& p) {
  HardAbilities h;
  h.dutch = p.dutch;
  h.always_available = p.always_available;
  h.has_childcare = p.has_childcare;
  h.care_days = p.care_days;
  h.capacities = p.capacities;
  h.max_lift_kg = p.max_lift_kg;
  h.digital_tools = p.digital_tools;
  h.licence_mask = p.licences.mask;
  h.exclusion_mask = p.exclusions.mask;
  h.min_hours = p.min_hours;
  h.max_hours = p.max_hours;
  h.availability = &p.availability;
  return h;
}

std::array<uint64_t, 3> HoursTouched(const WeekMask& m) {
  // Quarter q is bit q % 64 of word q / 64, so the four quarters of an hour are one
  // nibble of one word.
  static_assert(kQuartersPerWeek == 4 * 168, "four quarters per hour");
  const auto& words = m.words();
  std::array<uint64_t, 3> out{};
  for (int h = 0; h < 168; ++h) {
    const int q = 4 * h;
    if ((words[static_cast<size_t>(q / 64)] >> (q % 64)) & 0xF) {
      out[static_cast<size_t>(h / 64)] |= uint64_t{1} << (h % 64);
    }
  }
  return out;
}

PackedNeeds PackedNeedsOf(const VacancyFeatures& v) {
  auto offers = [&](Accommodation a) { return (v.offers & AccommodationBit(a)) != 0; };
  PackedNeeds n;
  n.licences = v.licences.mask;
  n.settings = v.settings.mask;
  if (!offers(Accommodation::kFlexibleStart)) n.shift_hours = HoursTouched(v.all_shifts);
  n.hours = v.hours;
  n.demands = v.demands;
  n.max_lift_kg = v.max_lift_kg;
  const bool coaching = offers(Accommodation::kLanguageCoaching);
  for (int li = 0; li < kLanguageSkillCount; ++li) {
    const int need = v.dutch_need[li];
    n.dutch_floor[li] = static_cast<int8_t>(need == 0 ? -128 : coaching ? need - 1 : need);
  }
  if (v.digital_tools > 0) {
    n.digital_floor = static_cast<int16_t>(std::clamp(
        offers(Accommodation::kWorkplaceLearning) ? v.digital_tools - 1 : v.digital_tools, -32767,
        32767));
  }
  n.care_days = offers(Accommodation::kChildcareSupport) ? 0 : v.shift_days;
  return n;
}

PackedAbilities PackedAbilitiesOf(const ParticipantFeatures& p) {
  PackedAbilities a;
  a.licences = p.licences.mask;
  a.exclusions = p.exclusions.mask;
  if (!p.always_available) {
    const std::array<uint64_t, 3> available = HoursTouched(p.availability);
    for (size_t w = 0; w < 3; ++w) a.unavailable_hours[w] = ~available[w];
  }
  a.min_hours = p.min_hours;
  a.max_hours = p.max_hours;
  a.capacities = p.capacities;
  a.max_lift_kg = p.max_lift_kg >= 0 ? p.max_lift_kg : std::numeric_limits<int32_t>::max();
  a.dutch = p.dutch;
  a.digital_tools = static_cast<int16_t>(std::clamp(p.digital_tools, -32767, 32767));
  if (p.has_childcare) a.no_care_days = static_cast<uint8_t>(~p.care_days);
  return a;
}

Tier TierLowerBound(const StaticPart& s) {
  if (s.blocked) return Tier::kBlocked;
  return (s.accommodations != 0 || s.at_least_with_accommodations) ? Tier::kFitsWithAccommodations
                                                                   : Tier::kFits;
}

double ScoreUpperBound(const StaticPart& s) {
  ScoreParts parts = s.parts;
  parts.commute = 15;
  return TotalScore(parts);
}

PairNumbers CompletePair(const ParticipantFeatures& pf, const VacancyFeatures& v,
                         const StaticPart& s, const TravelTimeEstimator& travel,
                         const MatcherParams& params, bool score_only,
                         const ModeMinutesBound* mode_bounds, bool stop_when_blocked,
                         FlexibleStartMemo* flexible_memo) {
  PairNumbers out;
  out.parts = s.parts;
  bool blocked = s.blocked;
  uint32_t acc = s.accommodations;
  auto offers = [&](Accommodation a) { return (v.offers & AccommodationBit(a)) != 0; };
  auto blocked_early = [&]() {
    PairNumbers b;
    b.tier = Tier::kBlocked;
    return b;
  };
  if (stop_when_blocked && blocked) return blocked_early();

  // ---- Schedule and childcare timing, with the flexible-start search (travel_mode:
  // the mode of the commute, for the childcare timing).
  auto check_schedule = [&](TransportMode travel_mode) {
    const Participant& p = *pf.participant;
    const bool flexible = offers(Accommodation::kFlexibleStart);
    const int step = std::max(1, params.flexible_start_step_minutes);
    // The vacancy's shifts are the first shift_masks.size() commute shifts (those add a
    // default shift only when the vacancy has none): the features' own copy, without
    // reading the vacancy record.
    const size_t num_shifts = v.shift_masks.size();
    CareMinutes care_minutes(p, v.site, travel_mode, travel);
    for (size_t i = 0; i < num_shifts && !(stop_when_blocked && blocked); ++i) {
      const WeeklySpan& sh = v.commute_shifts[i];
      const bool avail_ok = pf.always_available || v.shift_masks[i].Within(pf.availability);
      const bool care_open = pf.has_childcare && DayBit(pf.care_days, sh.day);
      const bool care_ok = !care_open || !CareProblem(p, sh, care_minutes);
      if (avail_ok && care_ok) continue;
      if (!flexible) {
        // Only a flexible start could fix the shift: the search cannot change the tier.
        blocked = true;
        continue;
      }
      // Whether some move fits does not depend on the order of the moves tried.
      int memo = -1;
      if (!care_open && flexible_memo != nullptr) memo = flexible_memo->Find(sh);
      bool found = memo == 1;
      if (memo < 0) {
        for (int d = step; d <= params.max_flexible_start_minutes && !found; d += step) {
          for (int signed_d : {d, -d}) {
            WeeklySpan moved = Shifted(sh, signed_d);
            if (moved.start_minute < 0) continue;
            if (Available(pf, moved) && (!care_open || !CareProblem(p, moved, care_minutes))) {
              found = true;
              break;
            }
          }
        }
        if (!care_open && flexible_memo != nullptr) flexible_memo->Put(sh, found);
      }
      if (found) {
        acc |= AccommodationBit(Accommodation::kFlexibleStart);
      } else {
        blocked = true;
      }
    }
  };
  const bool schedule_needed = !score_only && (!s.schedule_fits || pf.has_childcare);
  // Without childcare the schedule needs no travel mode: when BLOCKED pairs are not
  // wanted, check it first (it is cheaper than the commute and often blocks).
  const bool schedule_first = stop_when_blocked && schedule_needed && !pf.has_childcare;
  if (schedule_first) {
    check_schedule(TransportMode::kWalk);
    if (blocked) return blocked_early();
  }

  // ---- Commute: the fastest usable mode (worst shift, both legs) within the maximum,
  // else the first offered accommodation, fewest minutes first.
  std::array<std::optional<int>, kTransportModeCount + 1> cache;
  std::array<bool, kTransportModeCount + 1> cached{};
  // The worst minutes of a mode over the shifts, both legs; nullopt when a trip is
  // impossible. With `cap`, stops as soon as the worst exceeds it and returns cap + 1
  // (not exact, not cached).
  constexpr int kNoCap = std::numeric_limits<int>::max();
  auto mode_minutes = [&](TransportMode mode, int cap) -> std::optional<int> {
    const size_t m = static_cast<size_t>(mode);
    if (cached[m]) return cache[m];
    int worst = 0;
    if (travel.SameAtAllTimes(mode)) {
      // One answer for every shift and both legs.
      cached[m] = true;
      cache[m] = travel.Minutes(mode, pf.home, v.site, v.commute_shifts.front(), TripLeg::kToShift);
      return cache[m];
    }
    for (const WeeklySpan& sh : v.commute_shifts) {
      std::optional<int> to = travel.Minutes(mode, pf.home, v.site, sh, TripLeg::kToShift);
      if (!to) {
        cached[m] = true;
        cache[m] = std::nullopt;
        return std::nullopt;
      }
      std::optional<int> back = travel.Minutes(mode, v.site, pf.home, sh, TripLeg::kFromShift);
      if (!back) {
        cached[m] = true;
        cache[m] = std::nullopt;
        return std::nullopt;
      }
      worst = std::max({worst, *to, *back});
      if (worst > cap) return cap + 1;
    }
    cached[m] = true;
    cache[m] = worst;
    return worst;
  };
  // The fastest usable mode, the first in enum order on a tie. With bounds, modes are
  // tried fastest-bound first; a mode is skipped when its bound shows it cannot win,
  // and its shifts stop as soon as it cannot.
  std::array<TransportMode, kTransportModeCount + 1> order;
  const size_t num_modes = std::min(pf.modes.size(), order.size());
  std::copy(pf.modes.begin(), pf.modes.begin() + static_cast<std::ptrdiff_t>(num_modes),
            order.begin());
  if (mode_bounds) {
    // Insertion sort: stable, and no allocation (std::stable_sort takes a buffer).
    for (size_t a = 1; a < num_modes; ++a) {
      const TransportMode m = order[a];
      const double key = (*mode_bounds)[static_cast<size_t>(m)];
      size_t b = a;
      for (; b > 0 && key < (*mode_bounds)[static_cast<size_t>(order[b - 1])]; --b) {
        order[b] = order[b - 1];
      }
      order[b] = m;
    }
  }
  std::optional<TransportMode> best_mode;
  int best_minutes = 0;
  for (size_t k = 0; k < num_modes; ++k) {
    const TransportMode m = order[k];
    int cap = kNoCap;
    if (best_mode) {
      // To win, m needs fewer minutes, or as many and an earlier place in enum order.
      cap = m < *best_mode ? best_minutes : best_minutes - 1;
      if (mode_bounds && (*mode_bounds)[static_cast<size_t>(m)] > cap) continue;
    }
    std::optional<int> minutes = mode_minutes(m, cap);
    if (!minutes || *minutes > cap) continue;
    if (!best_mode || *minutes < best_minutes || (*minutes == best_minutes && m < *best_mode)) {
      best_mode = m;
      best_minutes = *minutes;
    }
  }
  TransportMode travel_mode = TransportMode::kWalk;
  bool commute_blocked = false;
  if (best_mode && best_minutes <= pf.max_commute) {
    out.commute_mode = best_mode;
    out.commute_minutes = best_minutes;
    travel_mode = *best_mode;
  } else {
    struct Option {
      Accommodation acc;
      int minutes;
      TransportMode travel_mode;
    };
    // Only offered options can be chosen: the first offered one, fewest minutes
    // first (list order on a tie), is the first of the offered ones sorted alike.
    Option options[3];
    int n = 0;
    if ((offers(Accommodation::kCompanyTransport) || offers(Accommodation::kCarpool)) &&
        HaversineKm(pf.home, v.site) < params.shared_ride_max_km) {
      std::optional<int> car = mode_minutes(TransportMode::kCar, kNoCap);
      if (car) {
        options[n++] = {Accommodation::kCompanyTransport, *car, TransportMode::kCar};
        options[n++] = {Accommodation::kCarpool, *car, TransportMode::kCar};
      }
    }
    if (offers(Accommodation::kBikeLease)) {
      std::optional<int> ebike = mode_minutes(TransportMode::kEBike, kNoCap);
      if (ebike && *ebike <= pf.max_commute) {
        options[n++] = {Accommodation::kBikeLease, *ebike, TransportMode::kEBike};
      }
    }
    for (int a = 1; a < n; ++a) {  // stable insertion sort by minutes
      const Option o = options[a];
      int b = a;
      for (; b > 0 && o.minutes < options[b - 1].minutes; --b) options[b] = options[b - 1];
      options[b] = o;
    }
    const Option* offered = nullptr;
    for (int i = 0; i < n && !offered; ++i) {
      if (offers(options[i].acc)) offered = &options[i];
    }
    if (offered) {
      acc |= AccommodationBit(offered->acc);
      out.commute_minutes = offered->minutes;
      travel_mode = offered->travel_mode;
      if (offered->acc == Accommodation::kBikeLease) out.commute_mode = TransportMode::kEBike;
    } else {
      commute_blocked = true;
      blocked = true;
      travel_mode = best_mode.value_or(TransportMode::kWalk);
    }
  }
  if (!commute_blocked && out.commute_minutes >= 0) {
    out.parts.commute = 15.0 * std::max(0.0, 1.0 - static_cast<double>(out.commute_minutes) /
                                                       static_cast<double>(pf.max_commute));
  }
  if (stop_when_blocked && blocked) return blocked_early();

  if (schedule_needed && !schedule_first) check_schedule(travel_mode);
  if (stop_when_blocked && blocked) return blocked_early();

  out.accommodations = acc;
  out.tier = blocked ? Tier::kBlocked : acc != 0 ? Tier::kFitsWithAccommodations : Tier::kFits;
  out.score = TotalScore(out.parts);
  return out;
}

}  // namespace carvematch
