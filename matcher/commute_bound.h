// Straight-line commute bounds, shared by the batch kernel (matcher/batch_ranker.h) and
// the online vacancy catalog (matcher/vacancy_catalog.h): from the travel model's
// parameters and a rigorous lower bound of the haversine distance they settle pairs
// whose commute certainly blocks (no own mode and no offered transport accommodation
// can bridge the distance) without asking the estimator. The results of the callers do
// not change, only the time.
//
// Example usage:
//   std::optional<TravelLowerBound> bound = TravelLowerBoundFor(matcher.travel());
//   if (bound) {
//     const CommuteReach reach = ReachOf(*bound, participant_features);
//     const double km = KmLowerBound(ToRadians(home), ToRadians(site));
//     if (CommuteCertainlyBlocked(reach, vacancy_features.offers, km, params)) { ... }
//   }
#ifndef CARVEMATCH_MATCHER_COMMUTE_BOUND_H_
#define CARVEMATCH_MATCHER_COMMUTE_BOUND_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>

#include "matcher/matcher.h"
#include "matcher/pair_core.h"
#include "mobility/travel.h"
#include "model/common.h"

namespace carvematch {

// Lower bounds on travel times by straight-line distance: for every mode, shift, leg
// and pair of points `km` apart (haversine), the estimator answers at least
// overhead_minutes[mode] + minutes_per_km[mode] * km, or no trip.
struct TravelLowerBound {
  // Indexed by static_cast<int>(TransportMode); kUnspecified unused.
  std::array<double, kTransportModeCount + 1> overhead_minutes{};
  std::array<double, kTransportModeCount + 1> minutes_per_km{};
  // The exact bound of the geometric model (overhead + km x detour / speed x 60).
  static TravelLowerBound Of(const TravelModel& model);
};

// The bound of `travel`: TravelLowerBound::Of when it is exactly a TravelModel, else
// the estimator's LowerBound() per mode (0 minutes for a mode without one); nullopt
// when the estimator states no bound for any mode.
std::optional<TravelLowerBound> TravelLowerBoundFor(const TravelTimeEstimator& travel);

// A point in radians with the cosine of its latitude.
struct RadianPoint {
  double lat = 0, lon = 0, cos_lat = 1;
};
RadianPoint ToRadians(GeoPoint g);

// A lower bound of HaversineKm(a, b): with half-angles x, sin(x) >= x (1 - x^2 / 6) and
// asin(y) >= y, so the haversine distance is at least the scaled chord below.
inline double KmLowerBound(const RadianPoint& a, const RadianPoint& b) {
  const double dlon_full = b.lon - a.lon;
  if (std::fabs(dlon_full) > M_PI) return 0;  // across the antimeridian: no bound
  const double dlat = 0.5 * (b.lat - a.lat);
  const double dlon = 0.5 * dlon_full;
  const double t = std::max(std::fabs(dlat), std::fabs(dlon));
  const double shrink = std::max(0.0, 1.0 - t * t / 6.0);
  const double chord = std::sqrt(dlat * dlat + a.cos_lat * b.cos_lat * dlon * dlon);
  return 2.0 * 6371.0 * shrink * chord * (1.0 - 1e-9);
}

// KmLowerBound(a, b_j) for n points b_j given as arrays (radians, cosine of latitude),
// written without branches so that the compiler can vectorise it.
void KmLowerBounds(const RadianPoint& a, const double* lat, const double* lon,
                   const double* cos_lat, int n, double* km);

// A box of points in radians, with the cosine of its largest |latitude|.
struct RadianBox {
  double lat_lo = 10, lat_hi = -10, lon_lo = 10, lon_hi = -10;  // empty
  double min_cos = 1;
  void Add(const RadianPoint& p);
};
// A lower bound of HaversineKm(a, b) for every b in `box` (0 for an empty box).
double KmLowerBound(const RadianPoint& a, const RadianBox& box);

// The estimator's minutes for mode m over `km` (a distance lower bound) are at least
// this.
inline double MinutesBound(const TravelLowerBound& tb, TransportMode m, double km) {
  const size_t i = static_cast<size_t>(m);
  return tb.overhead_minutes[i] + tb.minutes_per_km[i] * km - 1e-6;
}

// How far (lower-bound km) a participant's own modes and a leased e-bike can possibly
// reach within the maximum commute; -1 when never.
struct CommuteReach {
  double own = -1;
  double ebike = -1;
};
CommuteReach ReachOf(const TravelLowerBound& tb, const ParticipantFeatures& pf);

// True when, `km` apart, no own mode and no transport accommodation in `offers`
// (company transport or carpool under params.shared_ride_max_km, a bike lease within
// the e-bike's reach) can bridge the distance: the commute certainly blocks (0 points).
inline bool CommuteCertainlyBlocked(const CommuteReach& reach, uint32_t offers, double km,
                                    const MatcherParams& params) {
  if (km <= reach.own) return false;
  const uint32_t shared = AccommodationBit(Accommodation::kCompanyTransport) |
                          AccommodationBit(Accommodation::kCarpool);
  if ((offers & shared) && km < params.shared_ride_max_km) return false;
  if ((offers & AccommodationBit(Accommodation::kBikeLease)) && km <= reach.ebike) return false;
  return true;
}

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_COMMUTE_BOUND_H_
