// Public-transport journeys over a transit::Timetable with RAPTOR (Delling, Pajor,
// Werneck, "Round-Based Public Transit Routing", 2012).
//
// Three pieces:
// - `TransitNetwork`: built once per timetable and then immutable; shared by all query
//   threads. It holds a spatial grid of the stops (access and egress from exact
//   coordinates) and a time-reversed copy of the route layout for backward searches.
// - `Router`: one per thread. It keeps the reusable query state (labels per round, marked
//   stops as bitsets, parents for journey reconstruction), so a query allocates nothing
//   once the state is warm (only the returned Journey allocates).
// - `Journey`: the legs of a found trip, for explanations ("bus 36 at 06:12 from
//   Station, arrives 06:47 at Zone Nord").
//
// Times are seconds since the midnight of the query's service date `date` (a Day, days
// since 1970-01-01) and may be negative or >= 24:00:00. A query on date D uses the trips
// of the service days D - 1, D and D + 1: a trip of D - 1 that leaves at 25:10:00 runs at
// 01:10:00 in D's frame, a trip of D + 1 at 05:00:00 at 29:00:00. Trips of D - 2 (times
// >= 48:00:00) are not used.
//
// Rules of a journey (the same in every query, and in the reference of the tests):
// - A passenger is "ready" at a source stop at its given time and may board there at
//   once or walk one footpath first.
// - Alighting from a trip at stop s at time a, the passenger may board another trip at s
//   from a + min_transfer_seconds, or walk one footpath (s -> s', duration d) and board
//   at s' from a + d. Footpaths are not chained (the builder closes them transitively up
//   to FootpathOptions::max_closure_seconds).
// - Boarding at a call with kNoPickup and alighting at a call with kNoDropoff are not
//   allowed.
// - "max_transfers" bounds the number of rides to max_transfers + 1 (RAPTOR rounds).
// - Journeys longer than Router::horizon() (8 h by default) are not searched.
//
// Labels: per round and stop the router keeps three times, each pruned only against its
// own kind: the arrival by a ride (it may walk on along one footpath), the arrival by any
// means (what ArrivalAt reports) and the earliest boarding time (a ride's arrival plus the
// change time, or an arrival on foot). An arrival on foot may not walk on, so it cannot
// stand in for a later ride's arrival at the same stop.
//
// Threads and memory: a TransitNetwork is read-only after construction (share it; about
// the size of the timetable's stop times again: the reversed rows, the departures by
// position in both directions, and the stop indexes renumbered). A Router holds
// O(stops x (max_transfers + 2)) labels and parents, about 8 MB for 22 000 stops and 5
// transfers; keep one per thread and reuse it.
//
// Example usage:
//   TransitNetwork network(timetable);           // once, shared
//   Router router(network);                      // once per thread
//   PointQuery q;
//   q.from = home; q.to = site;
//   q.date = DateOfWeekday(transit::DayFromCivil(2026, 11, 23), 0);  // Monday of that week
//   q.time = 6 * 3600;                                     // deadline 06:00:00
//   std::optional<Journey> j = router.LatestDeparture(q);
//   if (j) std::cout << DescribeJourney(*j, timetable);
#ifndef CARVEMATCH_ROUTING_RAPTOR_H_
#define CARVEMATCH_ROUTING_RAPTOR_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/common.h"
#include "transit/timetable.h"

namespace carvematch::routing {

using transit::Day;
using transit::RouteIndex;
using transit::Seconds;
using transit::StopIndex;
using transit::TripIndex;

inline constexpr StopIndex kNoStop = UINT32_MAX;
inline constexpr Seconds kSecondsPerDay = 24 * 3600;
// "Never reached" in a forward query (earliest arrival) ...
inline constexpr Seconds kUnreachable = transit::kUnreachable;
// ... and "no departure arrives in time" in a backward query (latest departure).
inline constexpr Seconds kNoDeparture = INT32_MIN;
inline constexpr int kDefaultMaxTransfers = 5;
// Queries clamp max_transfers to [0, kMaxTransfers].
inline constexpr int kMaxTransfers = 15;
// Router::horizon() by default: no commute takes longer.
inline constexpr Seconds kDefaultHorizon = 8 * 3600;

// ---------------------------------------------------------------------------------------
// Dates.

// The date in the week [week_start, week_start + 6] that falls on `weekday` (0 = Monday ..
// 6 = Sunday; taken modulo 7). week_start need not be a Monday. (transit::DayFromCivil
// and transit::WeekdayOf give day numbers and weekdays.)
Day DateOfWeekday(Day week_start, int weekday);
// The same for the model's weekday (must not be kUnspecified).
Day DateOfWeekday(Day week_start, Weekday weekday);

// "06:12", or "01:10 (+1)" / "23:50 (-1)" for times outside the date's 24 hours.
std::string FormatClock(Seconds t);

// ---------------------------------------------------------------------------------------
// Access and egress.

enum class AccessMode : uint8_t { kWalk = 0, kBike };

// How a passenger gets between an exact point and the stops near it: straight-line
// distance times `detour_factor` at `speed_kmh`, for stops within `max_meters` (straight
// line). Also used for a journey without public transport (see PointQuery).
struct AccessOptions {
  AccessMode mode = AccessMode::kWalk;
  double speed_kmh = 4.8;
  double detour_factor = 1.3;
  double max_meters = 1000;

  static AccessOptions Walk(double max_meters = 1000) {
    return {AccessMode::kWalk, 4.8, 1.3, max_meters};
  }
  static AccessOptions Bike(double max_meters = 4000) {
    return {AccessMode::kBike, 15.0, 1.25, max_meters};
  }
  // Whole seconds (rounded up) to cover `meters` of straight-line distance.
  Seconds SecondsFor(double meters) const;
};

// A stop with a time offset: the seconds to reach it from a point (access), from it to a
// point (egress), or an absolute time, depending on where it is used.
struct StopSeconds {
  StopIndex stop = 0;
  Seconds seconds = 0;
};

// A uniform grid over the stops (cells of about `cell_meters`), built once.
class StopGrid {
 public:
  StopGrid() = default;
  explicit StopGrid(const std::vector<transit::Stop>& stops, double cell_meters = 300);

  // Appends to `out` the stops within `radius_meters` (straight line, haversine) of `p`,
  // with their distance in meters, ordered by stop index.
  void Within(GeoPoint p, double radius_meters,
              std::vector<std::pair<StopIndex, double>>* out) const;
  size_t MemoryBytes() const;

 private:
  double lat0_ = 0, lon0_ = 0;          // south-west corner of cell (0, 0)
  double cell_lat_ = 1, cell_lon_ = 1;  // cell size in degrees
  int rows_ = 0, cols_ = 0;
  std::vector<uint32_t> cell_offsets_;  // CSR over cells, row-major (rows_ x cols_)
  std::vector<StopIndex> cell_stops_;
  std::vector<GeoPoint> points_;  // by stop index
};

// ---------------------------------------------------------------------------------------
// The shared, immutable part.

struct NetworkOptions {
  // Time to change trips at the same stop. Use the FootpathOptions::min_transfer_seconds
  // the timetable was built with (the timetable does not record it).
  Seconds min_transfer_seconds = 60;
  double grid_cell_meters = 300;
};

namespace internal {
inline constexpr int kPackedDurationBits = 11;
inline constexpr uint32_t kPackedDurationMask = (uint32_t{1} << kPackedDurationBits) - 1;
// One direction of the route layout the scan walks. The forward layout points into the
// timetable; the backward one owns a time-reversed copy (routes' stops in reverse order,
// times negated, trips in reverse order, pickup and drop-off swapped, footpaths reversed),
// so one RAPTOR implementation answers both directions.
struct RouteSpan {
  uint32_t first_route_stop = 0;
  uint32_t num_stops = 0;
  uint32_t first_trip = 0;
  uint32_t num_trips = 0;
  uint32_t first_stop_time = 0;
  Seconds min_departure = 0;  // over all trips and positions (layout times)
  Seconds max_departure = 0;
};
// Stops in a layout are numbered by the network's internal order (a Hilbert curve over
// the stops' coordinates, TransitNetwork::ToInternal), so that the stops of a route and
// the ends of a footpath have nearby labels; routes, trips and positions are the
// timetable's.
struct Layout {
  int sign = 1;  // +1 forward; -1 backward (layout time = -clock time)
  std::vector<RouteSpan> routes;
  const StopIndex* route_stops = nullptr;
  const uint8_t* route_stop_flags = nullptr;
  const transit::StopTime* stop_times =
      nullptr;  // rows: trip k of route r at position i is
                // stop_times[r.first_stop_time + k * r.num_stops + i]
  const uint32_t* stop_route_offsets = nullptr;
  const transit::StopRoute* stop_routes = nullptr;
  const uint32_t* footpath_offsets = nullptr;
  const transit::Footpath* footpaths = nullptr;
  std::vector<transit::ServiceIndex> trip_service;  // by layout trip
  // The departures again, by position: trip k of route r at position i is
  // departures_by_position[r.first_stop_time + i * r.num_trips + k]. A route scan walks
  // the current trip's row (arrivals, contiguous) and searches the earlier trips'
  // departures at a boarding position in this column (contiguous too).
  std::vector<Seconds> departures_by_position;
  // Owned arrays (the forward layout keeps the timetable's flags and stop times).
  std::vector<StopIndex> own_route_stops;
  std::vector<uint8_t> own_route_stop_flags;
  std::vector<transit::StopTime> own_stop_times;
  std::vector<uint32_t> own_stop_route_offsets;
  std::vector<transit::StopRoute> own_stop_routes;
  std::vector<uint32_t> own_footpath_offsets;
  std::vector<transit::Footpath> own_footpaths;
  // The same footpaths in 4 bytes each, (target << kPackedDurationBits) | duration, for
  // the relaxation after each round (half the memory traffic); empty when a target or a
  // duration does not fit (more than 2^21 stops, or a footpath of 2048 s or more).
  std::vector<uint32_t> packed_footpaths;
};
}  // namespace internal

class TransitNetwork {
 public:
  // Keeps a reference: `timetable` must outlive the network (and every Router on it).
  explicit TransitNetwork(const transit::Timetable& timetable, NetworkOptions options = {});
  TransitNetwork(const TransitNetwork&) = delete;
  TransitNetwork& operator=(const TransitNetwork&) = delete;

  const transit::Timetable& timetable() const { return timetable_; }
  const NetworkOptions& options() const { return options_; }
  const StopGrid& grid() const { return grid_; }
  // The stops reachable from `p` under `access`, with their access seconds, by stop index.
  // Allocates; Router's point queries use an internal buffer instead.
  std::vector<StopSeconds> AccessStops(GeoPoint p, const AccessOptions& access) const;
  // Bytes held by the network itself (grid and backward layout; not the timetable).
  size_t MemoryBytes() const;

  const internal::Layout& forward() const { return forward_; }
  const internal::Layout& backward() const { return backward_; }
  // The layouts' stop numbering (a permutation of the timetable's stop indices).
  StopIndex ToInternal(StopIndex stop) const { return to_internal_[stop]; }
  StopIndex ToExternal(StopIndex internal_stop) const { return to_external_[internal_stop]; }

 private:
  const transit::Timetable& timetable_;
  NetworkOptions options_;
  StopGrid grid_;
  std::vector<StopIndex> to_internal_;  // by timetable stop index
  std::vector<StopIndex> to_external_;  // by internal index
  internal::Layout forward_;
  internal::Layout backward_;
};

// ---------------------------------------------------------------------------------------
// Journeys.

enum class LegKind : uint8_t {
  kAccess = 0,  // from the origin point to the first stop (walk or bike)
  kRide,        // one trip, board to alight
  kTransfer,    // a footpath between two stops
  kEgress,      // from the last stop to the destination point
  kDirect,      // origin to destination without public transport
};

struct Leg {
  LegKind kind = LegKind::kRide;
  AccessMode access_mode = AccessMode::kWalk;  // for kAccess, kEgress, kDirect
  StopIndex from_stop = kNoStop;               // kNoStop: the origin point
  StopIndex to_stop = kNoStop;                 // kNoStop: the destination point
  Seconds departure = 0;                       // in the query date's frame
  Seconds arrival = 0;
  // kRide only: the trip (index into Timetable::trips) and what a passenger sees.
  TripIndex trip = 0;
  int day_offset = 0;  // the trip's service day is date + day_offset (-1, 0 or +1)
  std::string route_short_name;
  transit::RouteMode mode = transit::RouteMode::kBus;
  std::string headsign;
};

struct Journey {
  // Leaving the origin (as late as the legs allow) and arriving at the destination.
  Seconds departure = 0;
  Seconds arrival = 0;
  int rides = 0;  // number of kRide legs; transfers = rides - 1 when rides > 0
  std::vector<Leg> legs;

  Seconds duration() const { return arrival - departure; }
};

// One line per leg, e.g. "walk 6 min to Station; bus 36 at 06:12 from Station (to Zone
// Nord), arrives 06:47 at Zone Nord; walk 4 min to the destination".
std::string DescribeJourney(const Journey& journey, const transit::Timetable& timetable);

// ---------------------------------------------------------------------------------------
// Queries.

struct PointQuery {
  GeoPoint from;
  GeoPoint to;
  Day date = 0;
  // Forward (EarliestArrival, RangeQuery): the earliest time to leave `from`.
  // Backward (LatestDeparture): the deadline at `to`.
  Seconds time = 0;
  AccessOptions access;  // origin -> first stop
  AccessOptions egress;  // last stop -> destination
  int max_transfers = kDefaultMaxTransfers;
  // Also consider going the whole way with `access` (when within access.max_meters).
  bool allow_direct = true;
};

// One thread's router. Not thread-safe: use one Router per thread (they may share one
// TransitNetwork). Each query overwrites the state the previous one left; the accessors
// (ArrivalAt, DepartureFrom, Journey*) read the state of the last query of their kind.
class Router {
 public:
  explicit Router(const TransitNetwork& network);

  const TransitNetwork& network() const { return network_; }

  // --- Forward, stop level -----------------------------------------------------------
  // Earliest arrival at every stop from `sources` (stop, time the passenger is ready
  // there) on service date `date`. With `targets` (stop, egress seconds to a destination)
  // the search stops improving labels that cannot beat the best arrival at the
  // destination (target pruning): then only the targets' labels are exact.
  void EarliestArrivalFromStops(Day date, const std::vector<StopSeconds>& sources,
                                int max_transfers, const std::vector<StopSeconds>& targets = {});
  // Earliest arrival at `stop` (by a ride or on foot), or kUnreachable.
  Seconds ArrivalAt(StopIndex stop) const;
  // The same with at most `max_transfers` transfers (-1: walking only), for
  // max_transfers up to the query's bound.
  Seconds ArrivalAt(StopIndex stop, int max_transfers) const;
  // The journey of ArrivalAt(stop) from the sources; nullopt when unreachable.
  std::optional<Journey> JourneyToStop(StopIndex stop) const;

  // --- Backward, stop level ----------------------------------------------------------
  // Latest departure from every stop that still reaches one of `targets` (stop, time the
  // passenger must be there by) on service date `date`; a backward RAPTOR over arrival
  // times. With `sources` (stop, access seconds from an origin) it prunes like targets
  // above.
  void LatestDepartureToStops(Day date, const std::vector<StopSeconds>& targets, int max_transfers,
                              const std::vector<StopSeconds>& sources = {});
  // Latest time to be at `stop` (arrived on foot or starting there), or kNoDeparture.
  Seconds DepartureFrom(StopIndex stop) const;
  Seconds DepartureFrom(StopIndex stop, int max_transfers) const;
  // The journey of DepartureFrom(stop) to the targets; nullopt when there is none.
  std::optional<Journey> JourneyFromStop(StopIndex stop) const;

  // --- Point to point ----------------------------------------------------------------
  // Earliest arrival at q.to leaving q.from at q.time or later; nullopt when unreachable.
  // Deterministic: the same query gives the same journey.
  std::optional<Journey> EarliestArrival(const PointQuery& q);
  // Latest departure from q.from arriving at q.to by q.time; nullopt when impossible.
  std::optional<Journey> LatestDeparture(const PointQuery& q);

  // --- One site, many origins (zone-to-site matrices, many commuters to one site) -----
  // One backward search from `to` with deadline `deadline`; then DepartureFromPoint and
  // JourneyFromPoint answer for any origin at the cost of a grid lookup.
  void LatestDeparturesTo(GeoPoint to, Day date, Seconds deadline, const AccessOptions& egress,
                          int max_transfers);
  // Latest time to leave `from` (reaching its stops with `access`, or going directly
  // with `access` when allow_direct) to arrive by the deadline; kNoDeparture if none.
  Seconds DepartureFromPoint(GeoPoint from, const AccessOptions& access, bool allow_direct = true);
  std::optional<Journey> JourneyFromPoint(GeoPoint from, const AccessOptions& access,
                                          bool allow_direct = true);
  // The same for a fixed origin whose access stops were looked up once
  // (TransitNetwork::AccessStops): no grid lookup, only label reads. Without the direct
  // trip. This is the cheapest way to read one backward search for many zones.
  Seconds DepartureVia(const std::vector<StopSeconds>& access) const;

  // The mirror image: one forward search from `from` leaving at `departure`, then the
  // earliest arrival at any destination point.
  void EarliestArrivalsFrom(GeoPoint from, Day date, Seconds departure, const AccessOptions& access,
                            int max_transfers);
  Seconds ArrivalAtPoint(GeoPoint to, const AccessOptions& egress, bool allow_direct = true);
  // Earliest arrival at a destination through its precomputed egress stops (no direct
  // trip); the forward twin of DepartureVia.
  Seconds ArrivalVia(const std::vector<StopSeconds>& egress) const;
  std::optional<Journey> JourneyToPoint(GeoPoint to, const AccessOptions& egress,
                                        bool allow_direct = true);

  // --- Range (rRAPTOR) ----------------------------------------------------------------
  // All Pareto-optimal (departure, arrival) journeys with at least one ride from q.from
  // to q.to that leave in [q.time, window_end], by increasing departure (and arrival).
  // A journey without rides (walking the whole way) can leave at any time and is not
  // listed.
  std::vector<Journey> RangeQuery(const PointQuery& q, Seconds window_end);
  // Stop level: for every distinct departure time t in [begin, end] (latest first) at
  // which a trip can be caught from `sources` (stop, access seconds), runs one RAPTOR
  // from sources ready at t + seconds, keeping labels across runs, and calls
  // `after_run(t)`; there ArrivalAt(stop) is the earliest arrival by journeys with at
  // least one ride leaving at t or later, and JourneyToStop its journey.
  void RangeFromStops(Day date, const std::vector<StopSeconds>& sources, Seconds begin, Seconds end,
                      int max_transfers, const std::function<void(Seconds departure)>& after_run);

  // Journeys longer than this (from the earliest source time, or back from the latest
  // target time) are not searched; it bounds which service days a late query scans.
  void set_horizon(Seconds horizon) { horizon_ = horizon; }
  Seconds horizon() const { return horizon_; }

  // Bytes held by this router's query state.
  size_t MemoryBytes() const;

 private:
  // How a label was made: a 32-bit reference, the kind in the top bits and a payload
  // below (an index into rides_ for kRide and kRideWalk, the source stop for
  // kSourceWalk).
  enum ParentKind : uint32_t {
    kNone = 0,
    kSource,      // a source stop itself (round 0)
    kSourceWalk,  // a footpath from the source stop in the payload (round 0)
    kRide,        // the ride (boarding label: the ride plus the change time at this stop)
    kRideWalk,    // the ride, then a footpath from its alighting stop
  };
  using ParentRef = uint32_t;
  static constexpr int kKindShift = 29;
  static constexpr uint32_t kPayloadMask = (uint32_t{1} << kKindShift) - 1;
  static ParentRef MakeRef(ParentKind kind, uint32_t payload) {
    return (static_cast<uint32_t>(kind) << kKindShift) | payload;
  }
  static ParentKind KindOf(ParentRef ref) { return static_cast<ParentKind>(ref >> kKindShift); }
  // A ride that improved some label, appended in the order the scans found them and kept
  // for the whole query (the whole range query), so that reconstruction never depends on
  // a label that a later improvement overwrote. 16 bytes.
  struct Ride {
    RouteIndex route = 0;  // layout route
    uint32_t board = 0;    // the boarding call: index into the layout's stop times
    uint32_t alight_pos = 0;
    uint8_t round = 0;      // the round that made it
    int8_t day_offset = 0;  // the trip's service day - date
    uint16_t unused = 0;
  };
  // Labels of one round at one stop (layout times), 16 bytes: one cache line holds what a
  // ride's improvement writes.
  struct RoundLabel {
    Seconds arr;
    Seconds board;
    ParentRef arr_parent;
    ParentRef board_parent;
  };
  // The best arrival and boarding labels of a stop over all rounds (what a footpath's
  // relaxation compares with), 8 bytes.
  struct BestLabel {
    Seconds arr;
    Seconds board;
  };
  // round_bits_: bit k set when the arrival label of round k was written by this query
  // (outside range queries the round labels are not cleared between queries: only these
  // bits say which hold); kTouched when any label of the stop was set.
  static constexpr uint32_t kTouched = uint32_t{1} << 31;
  // A leg in the timetable's direction, before times are assigned.
  struct RawLeg {
    bool ride = false;
    StopIndex from = 0, to = 0;
    Seconds walk_seconds = 0;  // walk
    TripIndex trip = 0;        // ride: Timetable::trips index, positions in its route
    RouteIndex route = 0;
    uint32_t board_pos = 0, alight_pos = 0;
    int day_offset = 0;
  };

  void Range(Day date, const std::vector<StopSeconds>& sources,
             const std::vector<StopSeconds>& targets, Seconds begin, Seconds end, int max_transfers,
             const std::function<void(Seconds departure)>& after_run);
  void Prepare(const internal::Layout& layout, Day date, int max_transfers, bool range);
  void ResetLabels();
  void ActivateServices(Day date);
  void SetTargets(const std::vector<StopSeconds>& targets);
  // Sets round-0 labels from `sources` (stop, layout time) and their footpaths.
  void InitSources(const std::vector<StopSeconds>& sources);
  void RunRounds();
  template <bool kRange>
  void RunRoundsImpl();
  template <bool kRange>
  void ScanRoute(uint32_t round, RouteIndex r, uint32_t first_pos, int day_offset);
  template <bool kRange>
  void RelaxFootpaths(uint32_t round);
  template <bool kRange, bool kPacked>
  void RelaxFootpathsOf(uint32_t round);
  // Improve the arrival (boarding) label of stop s in `round` to t (t < limit_ checked
  // by the caller); false when it is no better.
  template <bool kRange>
  bool ImproveArrival(uint32_t round, StopIndex s, Seconds t, ParentRef parent);
  template <bool kRange>
  bool ImproveBoard(uint32_t round, StopIndex s, Seconds t, ParentRef parent);
  void Touch(StopIndex s) {
    if (!(round_bits_[s] & kTouched)) {
      round_bits_[s] |= kTouched;
      touched_list_.push_back(s);
    }
  }
  uint32_t AddRide(const Ride& ride) {
    rides_.push_back(ride);
    return static_cast<uint32_t>(rides_.size() - 1);
  }
  Seconds LayoutArrival(StopIndex s, int rounds) const;
  // Legs (timetable direction) between the search's source side and `stop`.
  bool CollectLegs(StopIndex stop, std::vector<RawLeg>* legs, StopIndex* source_stop) const;
  Seconds FootpathSeconds(StopIndex from, StopIndex to) const;
  // Assigns times: rides are fixed; walks before the first ride end at its departure,
  // later walks start at the previous arrival; without rides the walks start at `anchor`
  // (forward) or end at it (backward).
  Journey MakeJourney(const std::vector<RawLeg>& raw, Seconds access_seconds,
                      Seconds egress_seconds, const AccessOptions& access,
                      const AccessOptions& egress, bool point_from, bool point_to, bool forward,
                      Seconds anchor) const;
  Journey DirectJourney(const AccessOptions& mode, Seconds departure, Seconds seconds) const;
  void FindAccess(GeoPoint p, const AccessOptions& options, std::vector<StopSeconds>* out);
  static Seconds SecondsOf(const std::vector<StopSeconds>& sorted, StopIndex stop);

  const TransitNetwork& network_;
  const internal::Layout* layout_ = nullptr;
  Day date_ = 0;
  int rounds_ = 0;  // max_transfers + 2 (round 0 = walking from the sources)
  bool range_ = false;
  size_t num_stops_ = 0;
  // Labels: [round * num_stops_ + stop], layout times (earliest arrival in the layout's
  // direction).
  std::vector<RoundLabel> labels_;
  int allocated_rounds_ = 0;
  // Over all rounds (a single run: tau*), by stop.
  std::vector<BestLabel> best_;
  std::vector<Seconds> best_ride_;  // the best arrival by a ride (outside range queries)
  // max(best_[s].arr, best_[s].board) (outside range queries): a walk that reaches s
  // earlier improves one of them. One dense array for the footpath relaxation's test.
  std::vector<Seconds> foot_key_;
  std::vector<uint32_t> round_bits_;
  std::vector<StopIndex> touched_list_;  // stops with kTouched
  std::vector<uint64_t> marked_;         // board label improved in the previous round
  std::vector<uint64_t> next_marked_;    // ... in this round
  // Range queries only: the arrival by a ride per round (outside ranges best_ride_[s] is
  // the round's own). A ride's arrival is pruned only against other rides, since an
  // arrival on foot may not walk on (footpaths are not chained).
  std::vector<Seconds> range_ride_;
  // This round's improved ride arrivals (relaxed along footpaths in stop order after the
  // scans) and, per stop, the rides_ index of its latest improvement.
  std::vector<uint64_t> ride_marked_;
  std::vector<uint32_t> ride_of_;
  std::vector<Ride> rides_;
  std::vector<uint32_t> route_first_pos_;  // per route, earliest marked position
  std::vector<RouteIndex> route_queue_;
  std::vector<uint8_t> service_active_[3];  // per service: runs on date - 1, date, date + 1
  Day services_date_ = INT32_MIN;
  Seconds min_source_time_ = 0;
  // Target pruning: (stop, egress seconds) in layout terms, and the best arrival at the
  // destination so far.
  std::vector<Seconds> egress_of_;  // per stop, kUnreachable when not a target
  std::vector<StopSeconds> targets_;
  Seconds target_bound_ = kUnreachable;
  Seconds limit_ = kUnreachable;  // min(target_bound_, min_source_time_ + horizon_)
  Seconds horizon_ = kDefaultHorizon;
  std::vector<Seconds> range_departures_;
  // Point queries.
  std::vector<StopSeconds> access_buffer_;
  std::vector<StopSeconds> egress_buffer_;
  std::vector<std::pair<StopIndex, double>> near_buffer_;
  GeoPoint point_ = {};         // origin (forward) or destination (backward) of the search
  Seconds point_time_ = 0;      // its departure time / deadline (clock time)
  AccessOptions point_access_;  // how the search reached its stops from point_
  bool point_valid_ = false;
};

}  // namespace carvematch::routing

#endif  // CARVEMATCH_ROUTING_RAPTOR_H_
