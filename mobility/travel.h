// Travel time between two places for one transport mode, at the time a shift needs it.
//
// `TravelTimeEstimator` is the interface the matcher asks. `TravelModel` implements it
// geometrically: the straight-line (haversine) distance times a detour factor, divided
// by a mode's effective speed, plus a fixed access overhead (parking, waiting at the
// stop). Public transport is approximated the same way and only runs within service
// hours; a timetable-aware router (GTFS + RAPTOR) can replace it behind the interface,
// which is why every query carries the shift and the leg of the trip.
//
// Example usage:
//   TravelModel model;  // documented defaults, see TravelModelParams
//   WeeklySpan shift{Weekday::kMonday, 8 * 60, 16 * 60};
//   std::optional<int> minutes = model.Minutes(TransportMode::kBike, home, site, shift,
//                                              TripLeg::kToShift);
#ifndef CARVEMATCH_MOBILITY_TRAVEL_H_
#define CARVEMATCH_MOBILITY_TRAVEL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/common.h"

namespace carvematch {

// Which trip of a shift is asked: the way there (arriving by the shift's start) or
// the way back (leaving at the shift's end).
enum class TripLeg : int { kToShift = 0, kFromShift };

// How one leg of a planned trip travels.
enum class LegMode : int { kWalk = 0, kBike, kBus, kTram, kMetro, kRail, kFerry, kOther };
std::string_view LegModeName(LegMode m);  // "walk", "bike", "bus", "tram", "metro", "train", ...

// One leg of a planned trip. Times are minutes since the midnight of the shift's day
// (negative: the day before; 1440 and more: the day after).
struct TripPlanLeg {
  LegMode mode = LegMode::kWalk;
  std::string line;        // the line's short name ("36", "IC"); empty for walking or cycling
  std::string board_stop;  // stop name where the leg starts; empty for the door
  int board_minute = 0;
  std::string alight_stop;  // stop name where the leg ends; empty for the door
  int alight_minute = 0;
};

// The trip an estimator assumed for an answer, door to door.
struct TripPlan {
  int depart_minute = 0;          // leaving the door (minutes since the shift day's midnight)
  int arrive_minute = 0;          // arriving at the door
  std::vector<TripPlanLeg> legs;  // in travel order; at least one
};

// A straight-line lower bound of one mode's travel time: for every shift, leg and pair
// of points `km` apart (haversine), the estimator's Minutes() is at least
// overhead_minutes + minutes_per_km * km, or nullopt.
struct ModeLowerBound {
  double overhead_minutes = 0;
  double minutes_per_km = 0;
};

class TravelTimeEstimator {
 public:
  virtual ~TravelTimeEstimator() = default;
  // Door-to-door minutes from `from` to `to` with `mode` for the given leg of `shift`,
  // or nullopt when the mode cannot make the trip at that time (no public transport
  // at night) or the mode is kUnspecified.
  // - Thread-safe: implementations share no mutable state between threads.
  // - Deterministic: the same query always gives the same answer.
  virtual std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                                     const WeeklySpan& shift, TripLeg leg) const = 0;
  // True when Minutes(mode, a, b, shift, leg) is the same for every shift and leg and
  // equals Minutes(mode, b, a, ...): the matcher then asks once per pair of points
  // instead of once per shift and leg. The default (false) is always correct.
  virtual bool SameAtAllTimes(TransportMode mode) const {
    (void)mode;
    return false;
  }
  // The trip behind an answer, for explanations; nullopt when the estimator does not
  // plan trips (the default) or finds none. `max_minutes` is the traveller's limit:
  // - kToShift: among trips leaving `from` no earlier than the shift's start minus
  //   `max_minutes`, the one leaving latest that still arrives by the start (the trip
  //   behind Minutes() when Minutes() <= max_minutes); when none arrives by the start,
  //   the one arriving first, so that arrive_minute - start_minute says how late it is.
  // - kFromShift: leaving at the shift's end, the trip arriving first (the trip behind
  //   Minutes(), which may exceed `max_minutes`).
  // Thread-safe and deterministic as Minutes().
  virtual std::optional<TripPlan> Plan(TransportMode mode, GeoPoint from, GeoPoint to,
                                       const WeeklySpan& shift, TripLeg leg,
                                       int max_minutes) const {
    (void)mode, (void)from, (void)to, (void)shift, (void)leg, (void)max_minutes;
    return std::nullopt;
  }
  // A rigorous straight-line lower bound of Minutes() for `mode` (see ModeLowerBound),
  // which lets a batch pass skip pairs that are certainly too far; nullopt (the
  // default) when the estimator gives none for the mode. A bound must hold for every
  // answer, so a subclass that changes Minutes() must state its own.
  virtual std::optional<ModeLowerBound> LowerBound(TransportMode mode) const {
    (void)mode;
    return std::nullopt;
  }
};

// How one mode travels in the geometric model.
struct ModeParams {
  double speed_kmh = 0;        // effective speed along the road (or route)
  double detour_factor = 1.0;  // road distance / straight-line distance
  int overhead_minutes = 0;    // fixed: parking, walking to the stop, waiting
};

// Parameters of the geometric model. The defaults are rough Flemish averages; each
// can be set for a region (city centre vs countryside).
struct TravelModelParams {
  ModeParams walk{4.8, 1.3, 0};
  ModeParams bike{15.0, 1.25, 0};
  ModeParams ebike{20.0, 1.25, 0};
  ModeParams moped{30.0, 1.3, 0};
  ModeParams car{35.0, 1.35, 5};  // 5 min to park and walk to the door
  // Public transport as one effective speed, with 10 min to reach the stop and wait.
  ModeParams public_transport{20.0, 1.4, 10};
  // Service hours of public transport in minutes since midnight, every day of the week.
  int public_transport_first_departure_minute = 5 * 60;  // 05:00
  int public_transport_last_departure_minute = 24 * 60;  // 24:00
};

// Straight-line distance in km on a sphere of radius 6371 km.
double HaversineKm(GeoPoint a, GeoPoint b);

class TravelModel : public TravelTimeEstimator {
 public:
  explicit TravelModel(TravelModelParams params = {});

  // Minutes rounded up to a whole minute: overhead + km * detour / speed * 60.
  // Public transport returns nullopt when the trip falls outside the service hours:
  // for kToShift a departure (start - minutes) between midnight and the first
  // departure; for kFromShift a shift end (time of day) before the first or at or
  // after the last departure.
  std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                             const WeeklySpan& shift, TripLeg leg) const override;
  // Every mode but public transport (its service hours depend on the time).
  bool SameAtAllTimes(TransportMode mode) const override {
    return mode != TransportMode::kPublicTransport && mode != TransportMode::kUnspecified;
  }
  // overhead + detour / speed x 60 per km (the exact bound of the geometric model) for
  // every mode but kUnspecified; nullopt for a subclass (it may answer differently)
  // unless the subclass overrides this.
  std::optional<ModeLowerBound> LowerBound(TransportMode mode) const override;

  const TravelModelParams& params() const { return params_; }
  // The parameters of one mode (the walking ones for kUnspecified).
  const ModeParams& ParamsFor(TransportMode mode) const;

 private:
  TravelModelParams params_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MOBILITY_TRAVEL_H_
