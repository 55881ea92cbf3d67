// The bulk path's public-transport commute: a precomputed zone-to-site matrix, so that
// ranking every participant against every vacancy (RankAll) does not run one RAPTOR
// query per pair.
//
// Zones. The plane is cut into square cells of `cell_km` (1 km by default; a cell is
// cell_km / 111.2 degrees of latitude by the same distance in longitude at
// `reference_lat`). A zone is a cell occupied by at least one of the points the matrix
// is built for (participants' homes and childcare locations); its representative point
// is the mean of those points, so it lies inside the cell.
//
// Bands. A WeeklySpan has no date; the matrix answers per day class, evaluated on one
// date of the reference week (TransitTravel::DateOf): weekdays (Monday-Friday) on the
// Tuesday, Saturday, Sunday. Within a day class a band is a quarter of an hour
// (`band_minutes`): the way there is searched with the deadline rounded down to the band
// (arriving by 06:15 for a 06:25 start), the way back leaving at the end rounded up. The
// answer adds the rounding back, so it is never less than the exact minutes for the
// representative point on that date: minutes(start) <= (start - band) + minutes(band).
// Only the bands that the sites' shifts need are built (a vacancy without shifts counts
// as Monday 09:00-17:00, as in the matcher).
//
// Build. One backward one-to-all search per (site, day class, band) for the way there
// (Router::LatestDeparturesTo, then a grid lookup per zone) and one forward search for
// the way back (EarliestArrivalsFrom); zones beyond the straight-line lower bound of
// `max_minutes` are not looked up. Sites are split over `threads` threads.
//
// Memory. Sparse: a row per (site, day class, leg, band) holds only the zones reachable
// within `max_minutes`, 5 bytes per entry (uint32 zone, uint8 minutes), sorted by zone;
// plus 24 bytes per zone, 16 per site and 16 per row. Bound: rows x zones x 5 bytes;
// in practice rows x (occupied zones within the reach of max_minutes) x 5 bytes.
//
// ZoneMatrixTravel answers kPublicTransport from the matrix for a known site point and
// a point in a known zone, and asks the exact TransitTravel otherwise (a new site, a home
// in a new zone, a band not built); every other mode goes to the geometric TravelModel.
// It is a first pass: the services explain the returned pairs with the exact estimator.
//
// Example usage:
//   ZoneMatrixOptions o;
//   absl::StatusOr<ZoneMatrix> m = ZoneMatrix::Build(exact, homes_and_care, sites, o);
//   ZoneMatrixTravel fast(*m, exact);
//   Matcher first_pass(credit, fast);   // RankAll with it, Explain with `exact`
#ifndef CARVEMATCH_COMMUTE_ZONE_MATRIX_H_
#define CARVEMATCH_COMMUTE_ZONE_MATRIX_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "commute/transit_travel.h"
#include "mobility/travel.h"
#include "model/common.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch::commute {

struct ZoneMatrixOptions {
  double cell_km = 1.0;
  double reference_lat = 51.0;  // where a cell's longitude width is cell_km
  int band_minutes = 15;
  int max_minutes = 120;  // at most 254; slower pairs are not stored
  int threads = 1;
};

// A site and the shifts of the vacancies at it.
struct SiteShifts {
  std::string id;  // "<employer id>/<site id>", for the site-set key
  GeoPoint point;
  std::vector<WeeklySpan> shifts;  // empty: Monday 09:00-17:00
};

// What a matrix is built for: the participants' homes and childcare locations (zones)
// and the vacancies' sites with their shifts, merged per site ("<employer>/<site>");
// vacancies whose site is not among their employer's sites are left out.
struct MatrixInputs {
  std::vector<GeoPoint> points;
  std::vector<SiteShifts> sites;  // by id
};
// A vacancy that offers a flexible start also lists its shifts moved by up to
// `flexible_start_minutes` (the matcher's max_flexible_start_minutes) either way in
// 5-minute steps (starts not before midnight): the childcare timing of the matcher's
// flexible-start search asks travel times at those moved starts and ends, and a band the
// matrix lacks would send each such question to the exact router.
MatrixInputs InputsOf(const std::vector<const Participant*>& participants,
                      const std::vector<std::pair<const Vacancy*, const Employer*>>& vacancies,
                      int flexible_start_minutes = 60);

// 0 = Monday-Friday, 1 = Saturday, 2 = Sunday; -1 for kUnspecified.
int DayClassOf(Weekday day);

// A stable key of the sites, their points and bands and the matrix options (a hex
// digest): a stored matrix is reused only when this and the feed version are unchanged.
std::string SiteSetKey(const std::vector<SiteShifts>& sites, const ZoneMatrixOptions& options);

struct ZoneMatrixStats {
  size_t zones = 0;
  size_t sites = 0;
  size_t rows = 0;     // (site, day class, leg, band) searched
  size_t entries = 0;  // stored (zone, minutes)
  size_t lookups = 0;  // zones looked up after a search (not pruned by the bound)
  size_t bytes = 0;    // MemoryBytes()
};

class ZoneMatrix {
 public:
  ZoneMatrix() = default;
  // Builds the matrix for `points` (zones) and `sites` with `exact`'s network, reference
  // week, access and transfers. InvalidArgument for options out of range.
  static absl::StatusOr<ZoneMatrix> Build(const TransitTravel& exact,
                                          const std::vector<GeoPoint>& points,
                                          const std::vector<SiteShifts>& sites,
                                          const ZoneMatrixOptions& options);

  enum class Answer { kMinutes, kNoTrip, kUnknown };
  // Public-transport minutes between a site and a point for `leg` of `shift`:
  // kMinutes with *minutes set; kNoTrip when the row was built and the zone is not in it
  // (no trip within max_minutes, rounding included); kUnknown when the site point, the
  // zone or the band was not built.
  Answer Lookup(GeoPoint site, GeoPoint point, const WeeklySpan& shift, TripLeg leg,
                int* minutes) const;

  // The zone of a point, or -1.
  int ZoneOf(GeoPoint p) const;
  const ZoneMatrixOptions& options() const { return options_; }
  const ZoneMatrixStats& stats() const { return stats_; }
  size_t MemoryBytes() const;
  // Largest straight-line distance between a point and its zone's representative.
  double CellDiagonalKm() const;

  // A compact binary form (little-endian) and back; InvalidArgument for a corrupt blob.
  std::string Serialize() const;
  static absl::StatusOr<ZoneMatrix> Deserialize(const std::string& blob);

 private:
  int64_t CellOf(GeoPoint p) const;
  void Index();
  static uint64_t RowKey(uint32_t site, int day_class, TripLeg leg, int band_minute);

  ZoneMatrixOptions options_;
  std::vector<int64_t> zone_cells_;
  std::vector<GeoPoint> zone_points_;
  std::vector<GeoPoint> site_points_;
  std::vector<uint64_t> row_keys_;     // sorted
  std::vector<uint32_t> row_offsets_;  // rows + 1, into entries
  std::vector<uint32_t> entry_zones_;
  std::vector<uint8_t> entry_minutes_;
  ZoneMatrixStats stats_;
  // Derived (not serialized).
  absl::flat_hash_map<int64_t, uint32_t> zone_of_cell_;
  absl::flat_hash_map<uint64_t, uint32_t> site_of_point_;
};

class ZoneMatrixTravel : public TravelTimeEstimator {
 public:
  // Both must outlive the estimator.
  ZoneMatrixTravel(const ZoneMatrix& matrix, const TransitTravel& exact);

  std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                             const WeeklySpan& shift, TripLeg leg) const override;
  bool SameAtAllTimes(TransportMode mode) const override { return exact_.SameAtAllTimes(mode); }
  // Plans come from the exact estimator (explanations).
  std::optional<TripPlan> Plan(TransportMode mode, GeoPoint from, GeoPoint to,
                               const WeeklySpan& shift, TripLeg leg,
                               int max_minutes) const override {
    return exact_.Plan(mode, from, to, shift, leg, max_minutes);
  }
  // The exact bound, loosened for public transport by the cell diagonal (a matrix
  // answer is for the zone's representative point, not the point asked).
  std::optional<ModeLowerBound> LowerBound(TransportMode mode) const override;

  const ZoneMatrix& matrix() const { return matrix_; }
  // Public-transport questions the matrix could not answer (asked to the exact router).
  uint64_t exact_answers() const { return exact_answers_.load(std::memory_order_relaxed); }

 private:
  const ZoneMatrix& matrix_;
  const TransitTravel& exact_;
  mutable std::atomic<uint64_t> exact_answers_{0};
};

}  // namespace carvematch::commute

#endif  // CARVEMATCH_COMMUTE_ZONE_MATRIX_H_
