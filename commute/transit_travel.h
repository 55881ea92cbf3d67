// Public transport at the hour of the shift: a TravelTimeEstimator that answers
// kPublicTransport with the RAPTOR router (routing/raptor.h) over a real timetable and
// every other mode with the geometric TravelModel.
//
// - The way there (TripLeg::kToShift) is a reverse search: the latest departure from
//   `from` that arrives at `to` by the shift's start; the minutes are start - departure
//   (door to door, waiting at the site included).
// - The way back (kFromShift) is a forward search: leaving `from` at the shift's end,
//   the earliest arrival at `to`; the minutes are arrival - end (waiting at the stop
//   included).
// - Both run on the date of the shift's weekday in one *reference week* (a WeeklySpan has
//   no date): the first Monday-to-Sunday week on or after a configured date that lies
//   within the feeds' validity (ReferenceWeekStart). Holidays inside that week are what
//   the feed says they are; pick a date outside school holidays for typical service.
// - Access and egress are on foot (AccessOptions::Walk, 1 km). Cycling to the station
//   when the participant has a bike is a later refinement: the estimator does not know
//   the participant, only the mode asked.
// - Thread-safe: each query borrows a routing::Router (per-thread query state) from a
//   pool; the network and the timetable are shared read-only.
// - A straight-line lower bound (TransitLowerBound) from the fastest average speed of
//   any trip in the timetable, so a batch pass can skip pairs that are certainly too far.
//
// Example usage:
//   routing::TransitNetwork network(timetable);
//   TransitTravelOptions o;
//   o.week_start = ReferenceWeekStart(timetable, transit::DayFromCivil(2026, 11, 23));
//   TransitTravel travel(network, TravelModel(), o);
//   Matcher matcher(credit, travel);  // the commute item now names the bus and its times
#ifndef CARVEMATCH_COMMUTE_TRANSIT_TRAVEL_H_
#define CARVEMATCH_COMMUTE_TRANSIT_TRAVEL_H_

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "mobility/travel.h"
#include "model/common.h"
#include "routing/raptor.h"
#include "transit/timetable.h"

namespace carvematch::commute {

// The Monday that starts the reference week: the first Monday on or after `preferred`
// whose whole week lies within [first_day, last_day] of some feed of `timetable`; when
// no such week follows `preferred`, the first full week of the earliest feed; the Monday
// on or after `preferred` when the timetable has no feeds.
transit::Day ReferenceWeekStart(const transit::Timetable& timetable, transit::Day preferred);

struct TransitTravelOptions {
  transit::Day week_start = 0;                                         // see ReferenceWeekStart
  routing::AccessOptions access = routing::AccessOptions::Walk(1000);  // and egress
  int max_transfers = 4;
  // Journeys longer than this are not searched (no commute is longer).
  routing::Seconds horizon = 4 * 3600;
};

// What the timetable allows at most: every ride of `timetable` covers at most
// max_kmh x its duration + free_km_per_ride of path (the sum of the straight-line hops
// between its stops), every footpath at most max_kmh x its duration +
// free_km_per_footpath (straight line).
struct TimetableSpeed {
  double max_kmh = 0;
  double free_km_per_ride = 0;
  double free_km_per_footpath = 0;
};
// max_kmh is the fastest average speed of a whole trip (first to last call), at least
// `floor_kmh`; the free kilometres are then computed exactly for that speed (a linear
// scan per trip), so the statement holds for every ride, however GTFS rounded its times.
TimetableSpeed FastestSpeeds(const transit::Timetable& timetable, double floor_kmh);

// The straight-line lower bound of TransitTravel's public-transport minutes: a journey
// of at most max_transfers + 1 rides and max_transfers + 2 footpaths, with access and
// egress at the access speed, covers at most v x its duration + the free kilometres.
ModeLowerBound TransitLowerBound(const transit::Timetable& timetable,
                                 const TransitTravelOptions& options);

class TransitTravel : public TravelTimeEstimator {
 public:
  // `network` (and its timetable) must outlive the estimator.
  TransitTravel(const routing::TransitNetwork& network, TravelModel others,
                TransitTravelOptions options);
  ~TransitTravel() override;

  std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                             const WeeklySpan& shift, TripLeg leg) const override;
  bool SameAtAllTimes(TransportMode mode) const override;
  // Public transport: the journey behind Minutes(), or the late one (see
  // TravelTimeEstimator::Plan); other modes: none.
  std::optional<TripPlan> Plan(TransportMode mode, GeoPoint from, GeoPoint to,
                               const WeeklySpan& shift, TripLeg leg,
                               int max_minutes) const override;
  std::optional<ModeLowerBound> LowerBound(TransportMode mode) const override;

  // The date of `day` in the reference week.
  transit::Day DateOf(Weekday day) const;
  const routing::TransitNetwork& network() const { return network_; }
  const TravelModel& others() const { return others_; }
  const TransitTravelOptions& options() const { return options_; }

  // A router for this thread's query, returned to the pool on destruction.
  class Lease {
   public:
    Lease(const TransitTravel& owner, std::unique_ptr<routing::Router> router);
    Lease(Lease&&) = default;
    ~Lease();
    routing::Router& operator*() const { return *router_; }
    routing::Router* operator->() const { return router_.get(); }

   private:
    const TransitTravel* owner_;
    std::unique_ptr<routing::Router> router_;
  };
  Lease Borrow() const;

  // Journeys in minutes: ceil((deadline - departure) / 60) and ceil((arrival - time) /
  // 60), exposed for the zone matrix.
  routing::PointQuery Query(GeoPoint from, GeoPoint to, Weekday day, int minute) const;

 private:
  const routing::TransitNetwork& network_;
  TravelModel others_;
  TransitTravelOptions options_;
  ModeLowerBound bound_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<routing::Router>> pool_;
};

// A router journey as a TripPlan (times in minutes since the midnight of the query date:
// departures rounded down, arrivals up); stop names from `timetable`. Walks of no time
// are left out.
TripPlan PlanOf(const routing::Journey& journey, const transit::Timetable& timetable);

}  // namespace carvematch::commute

#endif  // CARVEMATCH_COMMUTE_TRANSIT_TRAVEL_H_
