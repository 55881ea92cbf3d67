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

#include "model/common.h"

namespace carvematch {

// Which trip of a shift is asked: the way there (arriving by the shift's start) or
// the way back (leaving at the shift's end).
enum class TripLeg : int { kToShift = 0, kFromShift };

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

  const TravelModelParams& params() const { return params_; }
  // The parameters of one mode (the walking ones for kUnspecified).
  const ModeParams& ParamsFor(TransportMode mode) const;

 private:
  TravelModelParams params_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MOBILITY_TRAVEL_H_
