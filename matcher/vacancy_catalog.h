// The online ranking path: one participant against every open vacancy (and one vacancy
// against many participants), in numbers only, so that a service can filter, count and
// page the whole ranking and render explanations (Matcher::Explain) for the returned
// page alone.
//
// VacancyCatalog keeps the vacancy side prepared and current: per open vacancy its
// VacancyFeatures (matcher/pair_core.h), the need columns of its skill requirements
// (a NeedSpace, matcher/skill_coverage.h) and its site point. Upsert / Remove change
// single vacancies without touching the rest. Readers work on an immutable Snapshot:
//   - the FeatureDictionary and the NeedSpace only grow; the writer keeps private
//     copies and publishes new immutable copies only when a write added a string or a
//     column (ids and columns already handed out never change meaning);
//   - the entries live in chunks of kChunkSize slots held by shared pointers; a write
//     copies the one chunk it changes and the list of chunk pointers (copy-on-write),
//     so a snapshot taken before the write keeps seeing the old entries, alive;
//   - a spatial grid of squares of about kGridKm (cells, also copy-on-write) lists the
//     slots whose site lies in each square with their summaries (CatalogHot), so that
//     a ranking skips whole squares the participant certainly cannot reach and reads
//     the summaries of the others contiguously.
// Taking a snapshot is a shared-pointer copy under a small mutex; rankings then run
// without any lock while writes go on.
//
// RankVacanciesNumeric computes, for one participant and every catalog entry that can
// pass a CatalogFilter, exactly the tier, score, score parts and commute that
// Matcher::Explain gives for the pair (the same numeric core), and orders them as the
// Matcher does. A straight-line commute bound (TravelLowerBound, when the matcher's
// estimator is exactly a TravelModel) settles far pairs as certainly BLOCKED with no
// travel time, and skips them at once when the filter drops blocked pairs.
//
// Example usage:
//   VacancyCatalog catalog(matcher.credit());
//   catalog.Upsert({{vacancy_ptr, employer_ptr}, ...});   // shared_ptr<const ...>
//   std::shared_ptr<const VacancyCatalog::Snapshot> snap = catalog.snapshot();
//   CatalogFilter filter;
//   filter.include_blocked = false;
//   std::vector<CatalogMatch> ranked =
//       RankVacanciesNumeric(matcher, participant, *snap, filter, /*sorted_prefix=*/20);
//   // ranked.size() is the total; ranked[0..19] are in the Matcher's order; render
//   // them with matcher.Explain(participant, ranked[i].entry->context()).
#ifndef CARVEMATCH_MATCHER_VACANCY_CATALOG_H_
#define CARVEMATCH_MATCHER_VACANCY_CATALOG_H_

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "matcher/commute_bound.h"
#include "matcher/matcher.h"
#include "matcher/pair_core.h"
#include "matcher/skill_coverage.h"
#include "model/employer.h"
#include "model/vacancy.h"

namespace carvematch {

// Which pairs a numeric ranking returns; every given condition applies.
struct CatalogFilter {
  // false: BLOCKED pairs are never returned.
  bool include_blocked = true;
  // The tiers kept; empty = every tier (BLOCKED still only with include_blocked).
  std::vector<Tier> tiers;
  // The employer's sector starts with one of these (an empty prefix matches every
  // sector); empty list = any sector.
  std::vector<std::string> sector_prefixes;
  // > 0: only pairs with a commute of 0..max_commute_minutes (a blocked commute, -1,
  // fails); 0 = no limit.
  int max_commute_minutes = 0;
  // The vacancy's outcome is one of these; empty = any.
  std::vector<TargetOutcome> outcomes;
};

// One open vacancy as prepared for ranking. Owns (shares) its records, so a snapshot
// keeps everything its entries point to alive.
struct CatalogVacancy {
  std::shared_ptr<const Vacancy> vacancy;
  std::shared_ptr<const Employer> employer;
  const Site* site = nullptr;          // into *employer
  VacancyFeatures features;            // ids of the snapshot's dictionary; shifts into *vacancy
  std::vector<int> essential_columns;  // need columns of the essential requirements
  std::vector<int> optional_columns;   // and of the optional ones
  double lat_rad = 0, lon_rad = 0, cos_lat = 1;  // the site, for the distance bound

  VacancyContext context() const { return {vacancy.get(), employer.get(), site}; }
};

// What the ranking scan reads of every vacancy, stored contiguously per grid cell so
// that the scan touches two cache lines per vacancy, not the entries: the site, the
// filter's vacancy conditions and the packed static blockers of the batch kernel
// (PackedNeeds: a pair SurelyBlocked calls blocked, CheckStatic calls blocked too).
struct CatalogHot {
  PackedNeeds needs;
  double lat_rad = 0, lon_rad = 0, cos_lat = 1;  // the site
  uint32_t offers = 0;                           // AccommodationBit of each offered one
  int32_t sector = -1;                           // dictionary sector id
  TargetOutcome outcome = TargetOutcome::kPaidJob;
};

// The numbers of one pair; `entry` points into the snapshot that was ranked.
struct CatalogMatch {
  const CatalogVacancy* entry = nullptr;
  Tier tier = Tier::kUnspecified;
  double score = 0;
  ScoreParts parts;
  std::optional<TransportMode> commute_mode;
  int commute_minutes = -1;  // -1 when the commute blocks
};

// A participant's numbers against one vacancy (RankParticipantsNumeric).
struct ParticipantMatch {
  int index = -1;  // into the `participants` argument
  Tier tier = Tier::kUnspecified;
  double score = 0;
  ScoreParts parts;
  std::optional<TransportMode> commute_mode;
  int commute_minutes = -1;
};

class VacancyCatalog {
 public:
  static constexpr size_t kChunkSize = 512;
  static constexpr double kGridKm = 3;

  // The prepared vacancies at one moment; immutable.
  class Snapshot {
   public:
    const FeatureDictionary& dictionary() const { return *dictionary_; }
    const NeedSpace& space() const { return *space_; }
    // Open vacancies in the snapshot.
    size_t size() const { return size_; }
    // kChunkSize slots: entries[i] is null for a free slot.
    struct Chunk {
      std::vector<std::shared_ptr<const CatalogVacancy>> entries;
    };
    const std::vector<std::shared_ptr<const Chunk>>& chunks() const { return chunks_; }
    // The entry of a slot listed in a cell (never null there).
    const CatalogVacancy& entry(uint32_t slot) const {
      return *chunks_[slot / kChunkSize]->entries[slot % kChunkSize];
    }
    // One grid square, for the vacancies that offer a transport accommodation
    // (company transport, carpool, bike lease) or for those that do not (two cells per
    // square, so that the far reach of shared rides does not keep the others): the
    // slots of the vacancies whose site lies in it (any order), their summaries, their
    // entries and need columns (so that the scan and the coverage read contiguous
    // memory), the bounding box of their sites and which transport accommodations some
    // of them offer. Cells may be empty.
    struct Cell {
      std::vector<uint32_t> slots;
      std::vector<CatalogHot> hot;                 // hot[i] describes slots[i]
      std::vector<const CatalogVacancy*> entries;  // entries[i] of slots[i], alive in the
                                                   // snapshot's chunks
      std::vector<uint32_t> column_begin{0};       // CSR: vacancy i's need columns are
      std::vector<int32_t> columns;                // columns[column_begin[i]..[i+1]),
      std::vector<uint16_t> essential;             // the first essential[i] essential
      RadianBox box;
      bool shared_ride = false;  // company transport or a carpool offered
      bool bike_lease = false;
    };
    const std::vector<std::shared_ptr<const Cell>>& cells() const { return cells_; }
    // Calls fn(const CatalogVacancy&) for every entry, in slot order (not id order).
    template <typename Fn>
    void ForEach(Fn&& fn) const {
      for (const auto& chunk : chunks_) {
        for (const auto& entry : chunk->entries) {
          if (entry) fn(*entry);
        }
      }
    }

   private:
    friend class VacancyCatalog;
    std::shared_ptr<const FeatureDictionary> dictionary_;
    std::shared_ptr<const NeedSpace> space_;
    std::vector<std::shared_ptr<const Chunk>> chunks_;
    std::vector<std::shared_ptr<const Cell>> cells_;
    size_t size_ = 0;
  };

  // One record to prepare: the vacancy and its employer (null when unknown).
  struct Record {
    std::shared_ptr<const Vacancy> vacancy;
    std::shared_ptr<const Employer> employer;
  };

  // `credit` must outlive the catalog (its Index() places need columns).
  explicit VacancyCatalog(const SkillCredit& credit);
  VacancyCatalog(const VacancyCatalog&) = delete;
  VacancyCatalog& operator=(const VacancyCatalog&) = delete;

  // Prepares the records and publishes one new snapshot. A record whose vacancy is not
  // open, whose employer is null, or whose site is not among the employer's sites is
  // not rankable: its id is removed instead. Re-preparing the vacancies of an employer
  // after the employer changed is an Upsert of those records with the new employer.
  // Null vacancies are ignored. Thread-safe (writers are serialised).
  void Upsert(const std::vector<Record>& records);
  // Removes vacancies by id (unknown ids are ignored) and publishes a snapshot.
  void Remove(const std::vector<std::string>& ids);

  // The current snapshot (never null). Thread-safe, cheap.
  std::shared_ptr<const Snapshot> snapshot() const;
  // Open vacancies in the current snapshot.
  size_t size() const { return snapshot()->size(); }

 private:
  // Prepares one record into a free or its own slot; false when not rankable.
  void PrepareLocked(const Record& r);
  void RemoveLocked(const std::string& id);
  void SetSlotLocked(size_t slot, std::shared_ptr<const CatalogVacancy> entry);
  // The writer's copy of cell c, copied first when a published snapshot shares it.
  Snapshot::Cell& MutableCellLocked(size_t c);
  void PublishLocked();

  const SkillCredit& credit_;
  std::mutex write_mutex_;  // serialises writers; guards everything below but snapshot_
  FeatureDictionary dictionary_;
  NeedSpace space_;
  bool dictionary_grew_ = true;
  int published_columns_ = -1;
  std::vector<std::shared_ptr<Snapshot::Chunk>> chunks_;  // the writer's; shared when published
  std::vector<bool> chunk_shared_;                        // chunk is in a published snapshot
  std::vector<std::shared_ptr<Snapshot::Cell>> cells_;    // the writer's grid
  std::vector<bool> cell_shared_;
  std::unordered_map<uint64_t, size_t> cell_of_square_;
  std::vector<int32_t> cell_of_slot_;  // -1 for a free slot
  std::unordered_map<std::string, size_t> slot_of_;
  std::vector<size_t> free_slots_;
  std::shared_ptr<const FeatureDictionary> published_dictionary_;
  std::shared_ptr<const NeedSpace> published_space_;

  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

// What a numeric ranking did (for benchmarks).
struct CatalogRankStats {
  int64_t scanned = 0;         // vacancies whose summary was read (not those of far cells)
  int64_t filtered_out = 0;    // dropped by the filter's sector or outcome
  int64_t far = 0;             // commute certainly blocked by the distance bound
  int64_t far_cells = 0;       // grid cells skipped whole (their vacancies count in `far`)
  int64_t static_blocked = 0;  // dropped by the summary's blockers (blocked pairs dropped)
  int64_t evaluated = 0;       // entries read: coverage and CheckStatic
  int64_t passed = 0;          // returned
};

// One participant against every entry of `snapshot` that passes `filter`, with the
// numbers Matcher::Explain gives for each pair (tier, score bit for bit, parts,
// commute).
// - The first min(sorted_prefix, size) results are in the Matcher's order (tier, score
//   descending, vacancy id ascending) and are the best ones; the rest follow in no
//   particular order. sorted_prefix < 0 sorts all. The size is the total that pass.
// - `stats`, when given, receives what the ranking did.
// - Deterministic; thread-safe (the snapshot is immutable).
std::vector<CatalogMatch> RankVacanciesNumeric(const Matcher& matcher,
                                               const Participant& participant,
                                               const VacancyCatalog::Snapshot& snapshot,
                                               const CatalogFilter& filter, int sorted_prefix = -1,
                                               CatalogRankStats* stats = nullptr);

// The total and the best k of the same ranking, without keeping the others: what a
// service needs to answer one page.
struct CatalogPage {
  size_t total = 0;                // pairs that pass the filter (RankVacanciesNumeric's size)
  std::vector<CatalogMatch> best;  // the best min(k, total), in the Matcher's order
};
// RankVacanciesNumeric(matcher, participant, snapshot, filter, k, stats)'s size and its
// first min(k, size) elements (the same numbers and order), keeping only k pairs in
// memory (a heap) instead of every pair that passes. k <= 0 counts only.
// Deterministic; thread-safe.
CatalogPage RankVacanciesTop(const Matcher& matcher, const Participant& participant,
                             const VacancyCatalog::Snapshot& snapshot, const CatalogFilter& filter,
                             int k, CatalogRankStats* stats = nullptr);

// One vacancy against many participants, the same way (order: tier, score descending,
// participant id ascending). The vacancy side is prepared per call (one vacancy; any
// status), the participants' features and best credits are computed per call: the
// cost is linear in the participants given (see docs/matching.md).
// - InvalidArgument for a missing vacancy, employer or participant pointer,
//   FailedPrecondition when the vacancy's site is not among its employer's sites.
absl::StatusOr<std::vector<ParticipantMatch>> RankParticipantsNumeric(
    const Matcher& matcher, const VacancyContext& vacancy,
    const std::vector<const Participant*>& participants, const CatalogFilter& filter,
    int sorted_prefix = -1);

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_VACANCY_CATALOG_H_
