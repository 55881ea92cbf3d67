#include "matcher/commute_bound.h"

#include <typeinfo>

namespace carvematch {

TravelLowerBound TravelLowerBound::Of(const TravelModel& model) {
  TravelLowerBound b;
  for (int m = 1; m <= kTransportModeCount; ++m) {
    const ModeParams& p = model.ParamsFor(static_cast<TransportMode>(m));
    b.overhead_minutes[static_cast<size_t>(m)] = p.overhead_minutes;
    b.minutes_per_km[static_cast<size_t>(m)] =
        p.speed_kmh > 0 ? p.detour_factor / p.speed_kmh * 60.0 : 1e12;
  }
  return b;
}

std::optional<TravelLowerBound> TravelLowerBoundFor(const TravelTimeEstimator& travel) {
  if (typeid(travel) == typeid(TravelModel)) {
    return TravelLowerBound::Of(static_cast<const TravelModel&>(travel));
  }
  // The estimator's own bounds; a mode without one is bounded by 0 minutes (always
  // true), and an estimator with none at all gives no bound.
  TravelLowerBound b;
  bool any = false;
  for (int m = 1; m <= kTransportModeCount; ++m) {
    const std::optional<ModeLowerBound> mb = travel.LowerBound(static_cast<TransportMode>(m));
    if (!mb) continue;
    any = true;
    b.overhead_minutes[static_cast<size_t>(m)] = mb->overhead_minutes;
    b.minutes_per_km[static_cast<size_t>(m)] = mb->minutes_per_km;
  }
  if (!any) return std::nullopt;
  return b;
}

RadianPoint ToRadians(GeoPoint g) {
  constexpr double kRad = M_PI / 180.0;
  return {g.lat * kRad, g.lon * kRad, std::cos(g.lat * kRad)};
}

void KmLowerBounds(const RadianPoint& a, const double* lat, const double* lon,
                   const double* cos_lat, int n, double* km) {
  for (int j = 0; j < n; ++j) {
    const double dlon_full = lon[j] - a.lon;
    const double dlat = 0.5 * (lat[j] - a.lat);
    const double dlon = 0.5 * dlon_full;
    const double t = std::max(std::fabs(dlat), std::fabs(dlon));
    const double shrink = std::max(0.0, 1.0 - t * t / 6.0);
    const double chord = std::sqrt(dlat * dlat + a.cos_lat * cos_lat[j] * dlon * dlon);
    const double bound = 2.0 * 6371.0 * shrink * chord * (1.0 - 1e-9);
    km[j] = std::fabs(dlon_full) > M_PI ? 0.0 : bound;  // across the antimeridian: no bound
  }
}

void RadianBox::Add(const RadianPoint& p) {
  lat_lo = std::min(lat_lo, p.lat);
  lat_hi = std::max(lat_hi, p.lat);
  lon_lo = std::min(lon_lo, p.lon);
  lon_hi = std::max(lon_hi, p.lon);
  min_cos = std::cos(std::max(std::fabs(lat_lo), std::fabs(lat_hi)));
}

// The haversine of the angle is sin^2(dlat / 2) + cos(lat_a) cos(lat_b) sin^2(dlon / 2);
// both terms grow with the latitude and longitude gaps between the point and the box,
// and both cosines are at least the smaller of a's and the box's smallest.
double KmLowerBound(const RadianPoint& a, const RadianBox& box) {
  if (box.lat_lo > box.lat_hi) return 0;  // empty
  if (std::max(a.lon, box.lon_hi) - std::min(a.lon, box.lon_lo) > M_PI) return 0;
  const double c = std::min(a.cos_lat, box.min_cos);
  if (!(c > 0)) return 0;
  const double gap_lat = 0.5 * std::max({0.0, box.lat_lo - a.lat, a.lat - box.lat_hi});
  const double gap_lon = 0.5 * std::max({0.0, box.lon_lo - a.lon, a.lon - box.lon_hi});
  const double s_lat = gap_lat * std::max(0.0, 1.0 - gap_lat * gap_lat / 6.0);
  const double s_lon = gap_lon * std::max(0.0, 1.0 - gap_lon * gap_lon / 6.0);
  return 2.0 * 6371.0 * std::sqrt(s_lat * s_lat + c * c * s_lon * s_lon) * (1.0 - 1e-9);
}

CommuteReach ReachOf(const TravelLowerBound& tb, const ParticipantFeatures& pf) {
  // Solves overhead + per_km * km - 1e-6 <= max for km, with a little slack so that the
  // reach test never says "too far" for a pair the minutes bound would let through.
  auto reach = [&](TransportMode m) {
    const size_t i = static_cast<size_t>(m);
    const double room = pf.max_commute + 1e-6 - tb.overhead_minutes[i];
    if (room < 0 || tb.minutes_per_km[i] <= 0) return room < 0 ? -1.0 : 1e18;
    return room / tb.minutes_per_km[i] * (1 + 1e-9) + 1e-9;
  };
  CommuteReach r;
  for (TransportMode m : pf.modes) r.own = std::max(r.own, reach(m));
  r.ebike = reach(TransportMode::kEBike);
  return r;
}

}  // namespace carvematch
