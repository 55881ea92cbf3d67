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

// The grid square of a point: about VacancyCatalog::kGridKm on a side in Flanders
// (latitude steps of kGridKm / 111.2 degrees, longitude steps of kGridKm / 70).
// `transport`: the cell of the vacancies that offer a transport accommodation.
uint64_t GridSquare(GeoPoint g, bool transport) {
  const double lat_step = VacancyCatalog::kGridKm / 111.2;
  const double lon_step = VacancyCatalog::kGridKm / 70.0;
  const int64_t y = static_cast<int64_t>(std::floor(g.lat / lat_step));
  const int64_t x = static_cast<int64_t>(std::floor(g.lon / lon_step));
  return ((static_cast<uint64_t>(y) << 32) ^ static_cast<uint64_t>(static_cast<uint32_t>(x))) * 2 +
         (transport ? 1 : 0);
}

bool OffersTransport(uint32_t offers) {
  return (offers & (AccommodationBit(Accommodation::kCompanyTransport) |
                    AccommodationBit(Accommodation::kCarpool) |
                    AccommodationBit(Accommodation::kBikeLease))) != 0;
}

void AddToCell(const CatalogHot& h, VacancyCatalog::Snapshot::Cell* cell) {
  cell->box.Add(RadianPoint{h.lat_rad, h.lon_rad, h.cos_lat});
  cell->shared_ride |= (h.offers & (AccommodationBit(Accommodation::kCompanyTransport) |
                                    AccommodationBit(Accommodation::kCarpool))) != 0;
  cell->bike_lease |= (h.offers & AccommodationBit(Accommodation::kBikeLease)) != 0;
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
                      const ResolvedFilter& filter, FlexibleStartMemo* memo, Tier* tier,
                      double* score, ScoreParts* parts, std::optional<TransportMode>* mode,
                      int* minutes) {
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
  // Without BLOCKED pairs in the result, a pair is dropped as soon as it certainly
  // blocks (the numbers of a pair that passes are the same).
  const PairNumbers n = CompletePair(pf, vf, st, travel, params, /*score_only=*/st.blocked,
                                     bound ? &mode_bounds : nullptr,
                                     /*stop_when_blocked=*/!filter.blocked_ok, memo);
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
float CoverageOf(const int32_t* columns, uint32_t count, const std::vector<float>& best) {
  double sum = 0;
  for (uint32_t k = 0; k < count; ++k)
    sum += static_cast<double>(best[static_cast<size_t>(columns[k])]);
  return CoverageRatio(sum, static_cast<int>(count));
}
float CoverageOf(const std::vector<int>& columns, const std::vector<float>& best) {
  return CoverageOf(columns.data(), static_cast<uint32_t>(columns.size()), best);
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

VacancyCatalog::Snapshot::Cell& VacancyCatalog::MutableCellLocked(size_t c) {
  if (cell_shared_[c]) {
    cells_[c] = std::make_shared<Snapshot::Cell>(*cells_[c]);
    cell_shared_[c] = false;
  }
  return *cells_[c];
}

void VacancyCatalog::SetSlotLocked(size_t slot, std::shared_ptr<const CatalogVacancy> entry) {
  const size_t c = slot / kChunkSize;
  while (chunks_.size() <= c) {
    auto chunk = std::make_shared<Snapshot::Chunk>();
    chunk->entries.resize(kChunkSize);
    chunks_.push_back(std::move(chunk));
    chunk_shared_.push_back(false);
  }
  if (cell_of_slot_.size() <= slot) cell_of_slot_.resize(slot + 1, -1);
  if (chunk_shared_[c]) {
    // A published snapshot reads this chunk: change a copy.
    chunks_[c] = std::make_shared<Snapshot::Chunk>(*chunks_[c]);
    chunk_shared_[c] = false;
  }
  CatalogHot hot;
  if (entry != nullptr) {
    const VacancyFeatures& f = entry->features;
    // Ids >= 64 are left out of the masks: the summary then misses a blocker, never
    // invents one.
    hot.needs = PackedNeedsOf(f);
    hot.lat_rad = entry->lat_rad;
    hot.lon_rad = entry->lon_rad;
    hot.cos_lat = entry->cos_lat;
    hot.offers = f.offers;
    hot.sector = f.sector;
    hot.outcome = f.outcome;
  }
  // The grid: out of its old cell (whose box and offers are then recomputed), into
  // the cell of its site's square.
  if (cell_of_slot_[slot] >= 0) {
    Snapshot::Cell& old = MutableCellLocked(static_cast<size_t>(cell_of_slot_[slot]));
    const size_t at = static_cast<size_t>(
        std::find(old.slots.begin(), old.slots.end(), static_cast<uint32_t>(slot)) -
        old.slots.begin());
    old.slots.erase(old.slots.begin() + static_cast<std::ptrdiff_t>(at));
    old.hot.erase(old.hot.begin() + static_cast<std::ptrdiff_t>(at));
    old.entries.erase(old.entries.begin() + static_cast<std::ptrdiff_t>(at));
    old.essential.erase(old.essential.begin() + static_cast<std::ptrdiff_t>(at));
    const uint32_t b = old.column_begin[at], e = old.column_begin[at + 1];
    old.columns.erase(old.columns.begin() + b, old.columns.begin() + e);
    old.column_begin.erase(old.column_begin.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    for (size_t j = at + 1; j < old.column_begin.size(); ++j) old.column_begin[j] -= e - b;
    old.box = RadianBox();
    old.shared_ride = old.bike_lease = false;
    for (const CatalogHot& h : old.hot) AddToCell(h, &old);
    cell_of_slot_[slot] = -1;
  }
  if (entry != nullptr) {
    const uint64_t square =
        GridSquare(entry->site->location.point, OffersTransport(entry->features.offers));
    auto [it, inserted] = cell_of_square_.try_emplace(square, cells_.size());
    if (inserted) {
      cells_.push_back(std::make_shared<Snapshot::Cell>());
      cell_shared_.push_back(false);
    }
    Snapshot::Cell& cell = MutableCellLocked(it->second);
    cell.slots.push_back(static_cast<uint32_t>(slot));
    cell.hot.push_back(hot);
    cell.entries.push_back(entry.get());
    cell.essential.push_back(static_cast<uint16_t>(entry->essential_columns.size()));
    cell.columns.insert(cell.columns.end(), entry->essential_columns.begin(),
                        entry->essential_columns.end());
    cell.columns.insert(cell.columns.end(), entry->optional_columns.begin(),
                        entry->optional_columns.end());
    cell.column_begin.push_back(static_cast<uint32_t>(cell.columns.size()));
    AddToCell(hot, &cell);
    cell_of_slot_[slot] = static_cast<int32_t>(it->second);
  }
  (*chunks_[c]).entries[slot % kChunkSize] = std::move(entry);
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
  snap->cells_.assign(cells_.begin(), cells_.end());
  std::fill(cell_shared_.begin(), cell_shared_.end(), true);
  snap->size_ = slot_of_.size();
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  snapshot_ = std::move(snap);
}

// ---- Rankings ------------------------------------------------------------------------

namespace {

// The order of the Matcher: tier, score descending, vacancy id ascending (a strict
// total order: ids are unique in a snapshot).
bool Better(const CatalogMatch& a, const CatalogMatch& b) {
  if (a.tier != b.tier) return a.tier < b.tier;
  if (a.score != b.score) return a.score > b.score;
  return a.entry->vacancy->id < b.entry->vacancy->id;
}

// One participant against the snapshot: calls sink(CatalogMatch&&) for every pair that
// passes the filter, in cell order.
template <typename Sink>
void RankVacanciesInto(const Matcher& matcher, const Participant& participant,
                       const VacancyCatalog::Snapshot& snapshot, const CatalogFilter& filter,
                       CatalogRankStats* stats, Sink&& sink) {
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
  const PackedAbilities packed = PackedAbilitiesOf(pf);
  const bool drop_far = resolved.DropsFar();
  const bool drop_blocked = !resolved.blocked_ok;
  FlexibleStartMemo flexible_memo;

  CatalogRankStats st;
  struct Pending {
    size_t i;
    double km;
    bool far;
  };
  constexpr size_t kBatch = 16;
  std::array<Pending, kBatch> batch;
  for (const auto& cell : snapshot.cells()) {
    const size_t n = cell->slots.size();
    if (n == 0) continue;
    if (bound && drop_far) {
      // A square no own mode and no transport accommodation offered in it can reach:
      // every pair in it is certainly blocked by the commute, and dropped.
      const double km = KmLowerBound(home, cell->box);
      if (km > reach.own && (!cell->bike_lease || km > reach.ebike) &&
          (!cell->shared_ride || km >= params.shared_ride_max_km)) {
        st.far += static_cast<int64_t>(n);
        ++st.far_cells;
        continue;
      }
    }
    // The scan reads the summaries only; the pairs that may pass the filter are
    // collected a few at a time, their entries prefetched, then evaluated (the entries
    // are spread over the heap: waiting for each in turn was most of a call's time).
    size_t pending = 0;
    auto evaluate_pending = [&] {
      for (size_t k = 0; k < pending; ++k) {
        const char* e = reinterpret_cast<const char*>(cell->entries[batch[k].i]);
        for (size_t line = 0; line < sizeof(CatalogVacancy); line += 64) {
          __builtin_prefetch(e + line);
        }
      }
      // Then what the features point to (the shifts, read by the completion).
      for (size_t k = 0; k < pending; ++k) {
        const VacancyFeatures& f = cell->entries[batch[k].i]->features;
        __builtin_prefetch(f.commute_shifts.data());
        __builtin_prefetch(f.shift_masks.data());
      }
      for (size_t k = 0; k < pending; ++k) {
        const size_t i = batch[k].i;
        const CatalogVacancy& e = *cell->entries[i];
        const uint32_t b = cell->column_begin[i], o = b + cell->essential[i],
                       end = cell->column_begin[i + 1];
        const float ce = CoverageOf(&cell->columns[b], o - b, best);
        const float co = CoverageOf(&cell->columns[o], end - o, best);
        CatalogMatch m;
        if (!EvaluateFiltered(pf, e.features, ce, co, bound, batch[k].km, batch[k].far, travel,
                              params, resolved, &flexible_memo, &m.tier, &m.score, &m.parts,
                              &m.commute_mode, &m.commute_minutes)) {
          continue;
        }
        m.entry = &e;
        ++st.passed;
        sink(std::move(m));
      }
      pending = 0;
    };
    for (size_t i = 0; i < n; ++i) {
      const CatalogHot& h = cell->hot[i];
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
      if (drop_blocked && SurelyBlocked(h.needs, packed, params)) {
        ++st.static_blocked;
        continue;
      }
      ++st.evaluated;
      batch[pending++] = {i, km, far};
      if (pending == kBatch) evaluate_pending();
    }
    evaluate_pending();
  }
  if (stats != nullptr) *stats = st;
}

}  // namespace

std::vector<CatalogMatch> RankVacanciesNumeric(const Matcher& matcher,
                                               const Participant& participant,
                                               const VacancyCatalog::Snapshot& snapshot,
                                               const CatalogFilter& filter, int sorted_prefix,
                                               CatalogRankStats* stats) {
  std::vector<CatalogMatch> out;
  RankVacanciesInto(matcher, participant, snapshot, filter, stats,
                    [&](CatalogMatch&& m) { out.push_back(std::move(m)); });
  SortPrefix(&out, sorted_prefix, Better);
  return out;
}

CatalogPage RankVacanciesTop(const Matcher& matcher, const Participant& participant,
                             const VacancyCatalog::Snapshot& snapshot, const CatalogFilter& filter,
                             int k, CatalogRankStats* stats) {
  CatalogPage page;
  const size_t keep = static_cast<size_t>(std::max(0, k));
  // A heap of the best `keep` so far, the worst of them on top.
  std::vector<CatalogMatch>& heap = page.best;
  heap.reserve(std::min<size_t>(keep, 1024));
  RankVacanciesInto(matcher, participant, snapshot, filter, stats, [&](CatalogMatch&& m) {
    ++page.total;
    if (heap.size() < keep) {
      heap.push_back(std::move(m));
      std::push_heap(heap.begin(), heap.end(), Better);
    } else if (keep > 0 && Better(m, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), Better);
      heap.back() = std::move(m);
      std::push_heap(heap.begin(), heap.end(), Better);
    }
  });
  std::sort_heap(heap.begin(), heap.end(), Better);
  return page;
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
                          km, far, travel, params, resolved, /*memo=*/nullptr, &m.tier, &m.score,
                          &m.parts, &m.commute_mode, &m.commute_minutes)) {
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
