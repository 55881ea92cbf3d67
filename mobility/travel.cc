#include "mobility/travel.h"

#include <cmath>
#include <typeinfo>

namespace carvematch {

double HaversineKm(GeoPoint a, GeoPoint b) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kRad = M_PI / 180.0;
  double dlat = (b.lat - a.lat) * kRad;
  double dlon = (b.lon - a.lon) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(a.lat * kRad) *
                                                           std::cos(b.lat * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

std::string_view LegModeName(LegMode m) {
  switch (m) {
    case LegMode::kWalk:
      return "walk";
    case LegMode::kBike:
      return "bike";
    case LegMode::kBus:
      return "bus";
    case LegMode::kTram:
      return "tram";
    case LegMode::kMetro:
      return "metro";
    case LegMode::kRail:
      return "train";
    case LegMode::kFerry:
      return "ferry";
    case LegMode::kOther:
      break;
  }
  return "public transport";
}

TravelModel::TravelModel(TravelModelParams params) : params_(params) {}

std::optional<ModeLowerBound> TravelModel::LowerBound(TransportMode mode) const {
  if (typeid(*this) != typeid(TravelModel) || mode == TransportMode::kUnspecified) {
    return std::nullopt;
  }
  const ModeParams& p = ParamsFor(mode);
  ModeLowerBound b;
  b.overhead_minutes = p.overhead_minutes;
  b.minutes_per_km = p.speed_kmh > 0 ? p.detour_factor / p.speed_kmh * 60.0 : 1e12;
  return b;
}

const ModeParams& TravelModel::ParamsFor(TransportMode mode) const {
  switch (mode) {
    case TransportMode::kBike:
      return params_.bike;
    case TransportMode::kEBike:
      return params_.ebike;
    case TransportMode::kMoped:
      return params_.moped;
    case TransportMode::kCar:
      return params_.car;
    case TransportMode::kPublicTransport:
      return params_.public_transport;
    case TransportMode::kWalk:
    case TransportMode::kUnspecified:
      break;
  }
  return params_.walk;
}

std::optional<int> TravelModel::Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                                        const WeeklySpan& shift, TripLeg leg) const {
  if (mode == TransportMode::kUnspecified) return std::nullopt;
  const ModeParams& p = ParamsFor(mode);
  if (p.speed_kmh <= 0) return std::nullopt;
  // The matcher asks for one pair of points many times in a row (every mode, shift and
  // leg), so the last distance of this thread is kept: HaversineKm is symmetric, and
  // the trigonometry is most of a call's cost.
  thread_local GeoPoint last_a{1e9, 1e9}, last_b{1e9, 1e9};
  thread_local double last_km = 0;
  const bool same = (from.lat == last_a.lat && from.lon == last_a.lon && to.lat == last_b.lat &&
                     to.lon == last_b.lon) ||
                    (from.lat == last_b.lat && from.lon == last_b.lon && to.lat == last_a.lat &&
                     to.lon == last_a.lon);
  if (!same) {
    last_a = from;
    last_b = to;
    last_km = HaversineKm(from, to);
  }
  double km = last_km * p.detour_factor;
  int minutes = p.overhead_minutes + static_cast<int>(std::ceil(km / p.speed_kmh * 60.0 - 1e-9));
  if (mode == TransportMode::kPublicTransport) {
    if (leg == TripLeg::kToShift) {
      // Departure time of the day; a shift starting just after midnight is reached
      // by a departure the evening before, which still counts as in service.
      int departure = shift.start_minute - minutes;
      if (departure >= 0 && departure < params_.public_transport_first_departure_minute) {
        return std::nullopt;
      }
    } else {
      int end_of_day = shift.end_minute % 1440;
      if (end_of_day >= params_.public_transport_last_departure_minute ||
          end_of_day < params_.public_transport_first_departure_minute) {
        return std::nullopt;
      }
    }
  }
  return minutes;
}

}  // namespace carvematch
