#include "matcher/vacancy_catalog.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "matcher/commute_bound.h"

namespace carvematch {
namespace {

// What the slot summaries are compared with, per participant.
struct ParticipantHot {
  // Hours of the week with at least one available quarter (all when always available).
  std::array<uint64_t, 3> available_hours{};
};

ParticipantHot HotOf(const ParticipantFeatures& p) {
  ParticipantHot h;
  if (p.always_available) {
    h.available_hours = {~uint64_t{0}, ~uint64_t{0}, ~uint64_t{0}};
  } else {
    h.available_hours = HoursTouched(p.availability);
  }
  return h;
}

// Some of CheckStatic's blockers, from the slot summary: true only when CheckStatic
// would set `blocked` (the same conditions; ids >= 64 are not in the masks, so such a
// licence or setting is not seen here and left to CheckStatic).
bool StaticallyBlocked(const CatalogHot& v, const ParticipantFeatures& p, const ParticipantHot& ph,
                       const MatcherParams& params) {
  auto offers = [&](Accommodation a) { return (v.offers & AccommodationBit(a)) != 0; };
  // A shift hour without a single available quarter: the shifts are not within the
  // availability, which blocks without a flexible start.
  if (!offers(Accommodation::kFlexibleStart) &&
      ((v.shift_hours[0] & ~ph.available_hours[0]) | (v.shift_hours[1] & ~ph.available_hours[1]) |
       (v.shift_hours[2] & ~ph.available_hours[2])) != 0) {
    return true;
  }
  if (p.has_childcare && (v.shift_days & ~p.care_days) &&
      !offers(Accommodation::kChildcareSupport)) {
    return true;
  }
  if (v.licence_mask & ~p.licences.mask) return true;
  if (v.demands & ~p.capacities) return true;
  if (v.setting_mask & p.exclusions.mask) return true;
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
  return false;
}

// ---- The filter, resolved per call -----------------------------------------------

struct ResolvedFilter {
  bool tier_ok[4] = {false, false, false, false};  // by Tier value
  bool blocked_ok = false;
  int max_commute = 0;
  std::vector<bool> sector_ok;  // per dictionary sector id; empty = all
  uint32_t outcomes = 0;        // bit per TargetOutcome; 0 = all

  bool TierOk(Tier t) const { return tier_ok[static_cast<int>(t)]; }
  // Whether a pair whose tier is at least `bound` (better or equal is impossible to
  // beat, so tiers from bound to kBlocked) can still pass.
  bool AnyTierFrom(Tier bound) const {
    for (int t = static_cast<int>(bound); t <= static_cast<int>(Tier::kBlocked); ++t) {
      if (tier_ok[t]) return true;
    }
    return false;
  }
  bool VacancyOk(int sector, TargetOutcome outcome) const {
    if (!sector_ok.empty() && (sector < 0 || static_cast<size_t>(sector) >= sector_ok.size() ||
                               !sector_ok[static_cast<size_t>(sector)])) {
      return false;
    }
    return outcomes == 0 || (outcomes & (uint32_t{1} << static_cast<int>(outcome))) != 0;
  }
  // Far pairs are certainly BLOCKED without a commute: dropped by these filters.
  bool DropsFar() const { return !blocked_ok || max_commute > 0; }
  bool CommuteOk(int minutes) const {
    return max_commute <= 0 || (minutes >= 0 && minutes <= max_commute);
  }
};

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

ResolvedFilter Resolve(const CatalogFilter& f, const FeatureDictionary& dict) {
  ResolvedFilter r;
  for (int t = 1; t <= 3; ++t) {
    const Tier tier = static_cast<Tier>(t);
    const bool listed =
        f.tiers.empty() || std::find(f.tiers.begin(), f.tiers.end(), tier) != f.tiers.end();
    r.tier_ok[t] = listed && (tier != Tier::kBlocked || f.include_blocked);
  }
  r.blocked_ok = r.tier_ok[static_cast<int>(Tier::kBlocked)];
  r.max_commute = f.max_commute_minutes;
  if (!f.sector_prefixes.empty()) {
    const std::vector<std::string>& sectors = dict.sectors();
    r.sector_ok.assign(sectors.size(), false);
    for (size_t i = 0; i < sectors.size(); ++i) {
      for (const std::string& prefix : f.sector_prefixes) {
        if (StartsWith(sectors[i], prefix)) r.sector_ok[i] = true;
      }
    }
    // A dictionary always has at least one sector when it has vacancies; an empty
    // vector would mean "all", so keep one false entry when there are none.
    if (r.sector_ok.empty()) r.sector_ok.push_back(false);
  }
  for (TargetOutcome o : f.outcomes) r.outcomes |= uint32_t{1} << static_cast<int>(o);
  return r;
}

// The numbers of one pair with coverage known; false when the filter drops it.
// `km` is the distance lower bound and `far` whether the commute certainly blocks (both
// only meaningful with `bound`).
bool EvaluateFiltered(const ParticipantFeatures& pf, const VacancyFeatures& vf, float ce, float co,
                      const std::optional<TravelLowerBound>& bound, double km, bool far,
                      const TravelTimeEstimator& travel, const MatcherParams& params,
                      const ResolvedFilter& filter, Tier* tier, double* score, ScoreParts* parts,
                      std::optional<TransportMode>* mode, int* minutes) {
  if (bound) {
    if (far) {
      // Certainly BLOCKED with 0 commute points and no commute: exact without travel.
      if (filter.DropsFar()) return false;
      const StaticPart st = CheckStatic(pf, vf, ce, co, params, /*parts_only=*/true);
      *tier = Tier::kBlocked;
      *parts = st.parts;
      *score = TotalScore(st.parts);
      mode->reset();
      *minutes = -1;
      return true;
    }
  }
  const StaticPart st = CheckStatic(pf, vf, ce, co, params);
  if (!filter.AnyTierFrom(TierLowerBound(st))) return false;
  ModeMinutesBound mode_bounds{};
  if (bound) {
    for (TransportMode m : pf.modes) {
      mode_bounds[static_cast<size_t>(m)] = MinutesBound(*bound, m, km);
    }
  }
  const PairNumbers n = CompletePair(pf, vf, st, travel, params, /*score_only=*/st.blocked,
                                     bound ? &mode_bounds : nullptr);
  if (!filter.TierOk(n.tier) || !filter.CommuteOk(n.commute_minutes)) return false;
  *tier = n.tier;
  *score = n.score;
  *parts = n.parts;
  *mode = n.commute_mode;
  *minutes = n.commute_minutes;
  return true;
}

// Sorts the first `prefix` (all when < 0) elements of `v` by `less`.
template <typename T, typename Less>
void SortPrefix(std::vector<T>* v, int prefix, Less less) {
  if (prefix < 0 || static_cast<size_t>(prefix) >= v->size()) {
    std::sort(v->begin(), v->end(), less);
  } else if (prefix > 0) {
    std::partial_sort(v->begin(), v->begin() + prefix, v->end(), less);
  }
}

// Coverage of requirement columns from a dense best-credit vector: the exact (double)
// sum over the columns, then CoverageRatio as everywhere in the matcher.
float CoverageOf(const std::vector<int>& columns, const std::vector<float>& best) {
  double sum = 0;
  for (int c : columns) sum += static_cast<double>(best[static_cast<size_t>(c)]);
  return CoverageRatio(sum, static_cast<int>(columns.size()));
}

}  // namespace

// ---- VacancyCatalog -------------------------------------------------------------------

VacancyCatalog::VacancyCatalog(const SkillCredit& credit) : credit_(credit), space_(credit) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  PublishLocked();
}

void VacancyCatalog::Upsert(const std::vector<Record>& records) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  for (const Record& r : records) {
    if (r.vacancy != nullptr) PrepareLocked(r);
  }
  PublishLocked();
}

void VacancyCatalog::Remove(const std::vector<std::string>& ids) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  for (const std::string& id : ids) RemoveLocked(id);
  PublishLocked();
}

std::shared_ptr<const VacancyCatalog::Snapshot> VacancyCatalog::snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  return snapshot_;
}

void VacancyCatalog::PrepareLocked(const Record& r) {
  const Vacancy& v = *r.vacancy;
  const Site* site = r.employer == nullptr ? nullptr : r.employer->FindSite(v.site_id);
  if (v.status != VacancyStatus::kOpen || site == nullptr) {
    RemoveLocked(v.id);
    return;
  }
  // Does the vacancy bring a string the dictionary does not have yet?
  const std::vector<std::string>& sectors = dictionary_.sectors();
  bool grows = std::find(sectors.begin(), sectors.end(), r.employer->sector) == sectors.end();
  if (!v.occupation_uri.empty() && dictionary_.FindOccupation(v.occupation_uri) < 0) grows = true;
  for (const Task& t : v.tasks) {
    if (!t.licence.empty() && dictionary_.FindLicence(t.licence) < 0) grows = true;
  }
  for (const std::string& s : v.work_settings) {
    if (dictionary_.FindSetting(s) < 0) grows = true;
  }
  if (grows) dictionary_grew_ = true;

  auto entry = std::make_shared<CatalogVacancy>();
  entry->vacancy = r.vacancy;
  entry->employer = r.employer;
  entry->site = site;
  entry->features = BuildVacancyFeatures(v, *r.employer, *site, &dictionary_);
  for (const Requirement& q : VacancyRequirements(v)) {
    const int col = space_.Add(q.skill_uri, q.level);
    (q.essential ? entry->essential_columns : entry->optional_columns).push_back(col);
  }
  const RadianPoint p = ToRadians(site->location.point);
  entry->lat_rad = p.lat;
  entry->lon_rad = p.lon;
  entry->cos_lat = p.cos_lat;

  size_t slot;
  auto it = slot_of_.find(v.id);
  if (it != slot_of_.end()) {
    slot = it->second;
  } else if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slot_of_[v.id] = slot;
  } else {
    slot = slot_of_.size();
    slot_of_[v.id] = slot;
  }
  SetSlotLocked(slot, std::move(entry));
}

void VacancyCatalog::RemoveLocked(const std::string& id) {
  auto it = slot_of_.find(id);
  if (it == slot_of_.end()) return;
  const size_t slot = it->second;
  slot_of_.erase(it);
  free_slots_.push_back(slot);
  SetSlotLocked(slot, nullptr);
}

void VacancyCatalog::SetSlotLocked(size_t slot, std::shared_ptr<const CatalogVacancy> entry) {
  const size_t c = slot / kChunkSize;
  while (chunks_.size() <= c) {
    auto chunk = std::make_shared<Snapshot::Chunk>();
    chunk->entries.resize(kChunkSize);
    chunk->hot.resize(kChunkSize);
    chunks_.push_back(std::move(chunk));
    chunk_shared_.push_back(false);
  }
  if (chunk_shared_[c]) {
    // A published snapshot reads this chunk: change a copy.
    chunks_[c] = std::make_shared<Snapshot::Chunk>(*chunks_[c]);
    chunk_shared_[c] = false;
  }
  CatalogHot hot;
  if (entry != nullptr) {
    const VacancyFeatures& f = entry->features;
    hot.lat_rad = entry->lat_rad;
    hot.lon_rad = entry->lon_rad;
    hot.cos_lat = entry->cos_lat;
    hot.hours = f.hours;
    // Ids >= 64 are left out of the masks: the summary then misses a blocker, never
    // invents one.
    hot.licence_mask = f.licences.mask;
    hot.setting_mask = f.settings.mask;
    hot.offers = f.offers;
    hot.demands = f.demands;
    hot.sector = f.sector;
    hot.max_lift_kg = f.max_lift_kg;
    hot.digital_tools = f.digital_tools;
    hot.dutch_need = f.dutch_need;
    hot.shift_hours = HoursTouched(f.all_shifts);
    hot.shift_days = f.shift_days;
    hot.outcome = f.outcome;
    hot.present = true;
  }
  (*chunks_[c]).entries[slot % kChunkSize] = std::move(entry);
  (*chunks_[c]).hot[slot % kChunkSize] = hot;
}

void VacancyCatalog::PublishLocked() {
  auto snap = std::make_shared<Snapshot>();
  if (dictionary_grew_ || published_dictionary_ == nullptr) {
    published_dictionary_ = std::make_shared<const FeatureDictionary>(dictionary_);
    dictionary_grew_ = false;
  }
  if (space_.size() != published_columns_ || published_space_ == nullptr) {
    published_space_ = std::make_shared<const NeedSpace>(space_);
    published_columns_ = space_.size();
  }
  snap->dictionary_ = published_dictionary_;
  snap->space_ = published_space_;
  snap->chunks_.assign(chunks_.begin(), chunks_.end());
  std::fill(chunk_shared_.begin(), chunk_shared_.end(), true);
  snap->size_ = slot_of_.size();
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  snapshot_ = std::move(snap);
}

// ---- Rankings ------------------------------------------------------------------------

std::vector<CatalogMatch> RankVacanciesNumeric(const Matcher& matcher,
                                               const Participant& participant,
                                               const VacancyCatalog::Snapshot& snapshot,
                                               const CatalogFilter& filter, int sorted_prefix,
                                               CatalogRankStats* stats) {
  const MatcherParams& params = matcher.params();
  const TravelTimeEstimator& travel = matcher.travel();
  const std::optional<TravelLowerBound> bound = TravelLowerBoundFor(travel);
  const ResolvedFilter resolved = Resolve(filter, snapshot.dictionary());
  const ParticipantFeatures pf = BuildParticipantFeatures(participant, snapshot.dictionary());
  CommuteReach reach;
  if (bound) reach = ReachOf(*bound, pf);
  // The participant's best credit per need column, dense over the snapshot's columns.
  std::vector<float> best(static_cast<size_t>(snapshot.space().size()), 0.0f);
  for (const auto& [col, amount] :
       SparseBestCredit(participant, snapshot.space(), matcher.credit())) {
    best[static_cast<size_t>(col)] = amount;
  }
  const RadianPoint home = ToRadians(pf.home);
  const ParticipantHot phot = HotOf(pf);
  const bool drop_far = resolved.DropsFar();
  const bool drop_blocked = !resolved.blocked_ok;

  std::vector<CatalogMatch> out;
  CatalogRankStats st;
  for (const auto& chunk : snapshot.chunks()) {
    for (size_t i = 0; i < chunk->hot.size(); ++i) {
      // The scan reads the slot summaries only; the entry is read for pairs that may
      // pass the filter.
      const CatalogHot& h = chunk->hot[i];
      if (!h.present) continue;
      ++st.scanned;
      if (!resolved.VacancyOk(h.sector, h.outcome)) {
        ++st.filtered_out;
        continue;
      }
      double km = 0;
      bool far = false;
      if (bound) {
        km = KmLowerBound(home, RadianPoint{h.lat_rad, h.lon_rad, h.cos_lat});
        far = CommuteCertainlyBlocked(reach, h.offers, km, params);
        st.far += far;
        if (far && drop_far) continue;
      }
      if (drop_blocked && StaticallyBlocked(h, pf, phot, params)) {
        ++st.static_blocked;
        continue;
      }
      ++st.evaluated;
      const CatalogVacancy& e = *chunk->entries[i];
      const float ce = CoverageOf(e.essential_columns, best);
      const float co = CoverageOf(e.optional_columns, best);
      CatalogMatch m;
      if (!EvaluateFiltered(pf, e.features, ce, co, bound, km, far, travel, params, resolved,
                            &m.tier, &m.score, &m.parts, &m.commute_mode, &m.commute_minutes)) {
        continue;
      }
      m.entry = &e;
      out.push_back(std::move(m));
    }
  }
  st.passed = static_cast<int64_t>(out.size());
  if (stats != nullptr) *stats = st;
  SortPrefix(&out, sorted_prefix, [](const CatalogMatch& a, const CatalogMatch& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.score != b.score) return a.score > b.score;
    return a.entry->vacancy->id < b.entry->vacancy->id;
  });
  return out;
}

absl::StatusOr<std::vector<ParticipantMatch>> RankParticipantsNumeric(
    const Matcher& matcher, const VacancyContext& vacancy,
    const std::vector<const Participant*>& participants, const CatalogFilter& filter,
    int sorted_prefix) {
  if (vacancy.vacancy == nullptr) return absl::InvalidArgumentError("vacancy.vacancy is missing");
  if (vacancy.employer == nullptr) {
    return absl::InvalidArgumentError("vacancy.employer is missing");
  }
  const Site* site = vacancy.site;
  if (site == nullptr) site = vacancy.employer->FindSite(vacancy.vacancy->site_id);
  if (site == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("vacancy ", vacancy.vacancy->id, " names site \"", vacancy.vacancy->site_id,
                     "\", which employer ", vacancy.employer->id, " does not have"));
  }
  for (size_t i = 0; i < participants.size(); ++i) {
    if (participants[i] == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("participants[", i, "] is missing"));
    }
  }
  const MatcherParams& params = matcher.params();
  const TravelTimeEstimator& travel = matcher.travel();
  const std::optional<TravelLowerBound> bound = TravelLowerBoundFor(travel);
  FeatureDictionary dict;
  const VacancyFeatures vf =
      BuildVacancyFeatures(*vacancy.vacancy, *vacancy.employer, *site, &dict);
  const ResolvedFilter resolved = Resolve(filter, dict);
  std::vector<ParticipantMatch> out;
  if (!resolved.VacancyOk(vf.sector, vf.outcome)) return out;
  NeedSpace space(matcher.credit());
  std::vector<int> essential, optional;
  for (const Requirement& q : VacancyRequirements(*vacancy.vacancy)) {
    (q.essential ? essential : optional).push_back(space.Add(q.skill_uri, q.level));
  }
  std::vector<float> best(static_cast<size_t>(space.size()), 0.0f);
  const RadianPoint site_point = ToRadians(site->location.point);
  for (size_t i = 0; i < participants.size(); ++i) {
    const Participant& p = *participants[i];
    const ParticipantFeatures pf = BuildParticipantFeatures(p, dict);
    double km = 0;
    bool far = false;
    if (bound) {
      km = KmLowerBound(ToRadians(pf.home), site_point);
      far = CommuteCertainlyBlocked(ReachOf(*bound, pf), vf.offers, km, params);
      if (far && resolved.DropsFar()) continue;
    }
    std::fill(best.begin(), best.end(), 0.0f);
    for (const auto& [col, amount] : SparseBestCredit(p, space, matcher.credit())) {
      best[static_cast<size_t>(col)] = amount;
    }
    ParticipantMatch m;
    if (!EvaluateFiltered(pf, vf, CoverageOf(essential, best), CoverageOf(optional, best), bound,
                          km, far, travel, params, resolved, &m.tier, &m.score, &m.parts,
                          &m.commute_mode, &m.commute_minutes)) {
      continue;
    }
    m.index = static_cast<int>(i);
    out.push_back(std::move(m));
  }
  SortPrefix(&out, sorted_prefix, [&](const ParticipantMatch& a, const ParticipantMatch& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.score != b.score) return a.score > b.score;
    const std::string& ia = participants[static_cast<size_t>(a.index)]->id;
    const std::string& ib = participants[static_cast<size_t>(b.index)]->id;
    if (ia != ib) return ia < ib;
    return a.index < b.index;
  });
  return out;
}

}  // namespace carvematch
