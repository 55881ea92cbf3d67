#include "commute/transit_travel.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace carvematch::commute {
namespace {

using routing::Journey;
using routing::Seconds;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

LegMode LegModeOf(transit::RouteMode m) {
  switch (m) {
    case transit::RouteMode::kTram:
      return LegMode::kTram;
    case transit::RouteMode::kMetro:
      return LegMode::kMetro;
    case transit::RouteMode::kRail:
      return LegMode::kRail;
    case transit::RouteMode::kBus:
      return LegMode::kBus;
    case transit::RouteMode::kFerry:
      return LegMode::kFerry;
    case transit::RouteMode::kOther:
      break;
  }
  return LegMode::kOther;
}

}  // namespace

transit::Day ReferenceWeekStart(const transit::Timetable& timetable, transit::Day preferred) {
  const transit::Day monday = routing::DateOfWeekday(preferred, 0);
  if (timetable.feeds.empty()) return monday;
  transit::Day last = timetable.feeds.front().last_day;
  transit::Day first = timetable.feeds.front().first_day;
  for (const transit::FeedInfo& f : timetable.feeds) {
    last = std::max(last, f.last_day);
    first = std::min(first, f.first_day);
  }
  for (transit::Day d = monday; d + 6 <= last; d += 7) {
    for (const transit::FeedInfo& f : timetable.feeds) {
      if (f.first_day <= d && d + 6 <= f.last_day) return d;
    }
  }
  return routing::DateOfWeekday(first, 0);
}

TimetableSpeed FastestSpeeds(const transit::Timetable& t, double floor_kmh) {
  TimetableSpeed out;
  out.max_kmh = floor_kmh;
  // Cumulative straight-line path along each route's stops, reused per trip.
  std::vector<double> path;
  auto fill_path = [&](const transit::Route& route) {
    path.assign(route.num_stops, 0.0);
    for (uint32_t i = 1; i < route.num_stops; ++i) {
      const GeoPoint a = t.stops[t.route_stops[route.first_route_stop + i - 1]].point;
      const GeoPoint b = t.stops[t.route_stops[route.first_route_stop + i]].point;
      path[i] = path[i - 1] + HaversineKm(a, b);
    }
  };
  for (transit::RouteIndex r = 0; r < t.routes.size(); ++r) {
    const transit::Route& route = t.routes[r];
    if (route.num_stops < 2) continue;
    fill_path(route);
    for (uint32_t k = 0; k < route.num_trips; ++k) {
      const Seconds dur = t.At(r, k, route.num_stops - 1).arrival - t.At(r, k, 0).departure;
      if (dur > 0) out.max_kmh = std::max(out.max_kmh, path.back() / (dur / 3600.0));
    }
  }
  const double v = out.max_kmh / 3600.0;  // km per second
  for (transit::RouteIndex r = 0; r < t.routes.size(); ++r) {
    const transit::Route& route = t.routes[r];
    if (route.num_stops < 2) continue;
    fill_path(route);
    for (uint32_t k = 0; k < route.num_trips; ++k) {
      // max over b < a of path[a] - path[b] - v (arrival_a - departure_b).
      double best_board = v * t.At(r, k, 0).departure - path[0];
      for (uint32_t a = 1; a < route.num_stops; ++a) {
        const transit::StopTime& st = t.At(r, k, a);
        out.free_km_per_ride =
            std::max(out.free_km_per_ride, path[a] - v * st.arrival + best_board);
        best_board = std::max(best_board, v * st.departure - path[a]);
      }
    }
  }
  for (size_t s = 0; s + 1 < t.footpath_offsets.size(); ++s) {
    for (uint32_t f = t.footpath_offsets[s]; f < t.footpath_offsets[s + 1]; ++f) {
      const transit::Footpath& fp = t.footpaths[f];
      const double km = HaversineKm(t.stops[s].point, t.stops[fp.to].point);
      out.free_km_per_footpath = std::max(out.free_km_per_footpath, km - v * fp.duration);
    }
  }
  return out;
}

ModeLowerBound TransitLowerBound(const transit::Timetable& timetable,
                                 const TransitTravelOptions& options) {
  const double access_kmh = options.access.speed_kmh / std::max(1.0, options.access.detour_factor);
  const TimetableSpeed speed = FastestSpeeds(timetable, std::max(access_kmh, 1.0));
  const int rides = std::max(0, options.max_transfers) + 1;
  const double free_km = rides * speed.free_km_per_ride + (rides + 1) * speed.free_km_per_footpath;
  ModeLowerBound b;
  b.minutes_per_km = 60.0 / speed.max_kmh;
  b.overhead_minutes = -free_km * b.minutes_per_km;
  return b;
}

TripPlan PlanOf(const Journey& journey, const transit::Timetable& timetable) {
  TripPlan plan;
  plan.depart_minute = static_cast<int>(FloorDiv(journey.departure, 60));
  plan.arrive_minute = static_cast<int>(CeilDiv(journey.arrival, 60));
  auto name = [&](transit::StopIndex s) {
    return s == routing::kNoStop ? std::string() : timetable.stops[s].name;
  };
  for (const routing::Leg& leg : journey.legs) {
    // A walk of no time (the point is the stop) says nothing.
    if (leg.kind != routing::LegKind::kRide && leg.arrival <= leg.departure) continue;
    TripPlanLeg out;
    if (leg.kind == routing::LegKind::kRide) {
      out.mode = LegModeOf(leg.mode);
      out.line = leg.route_short_name;
    } else {
      out.mode = leg.access_mode == routing::AccessMode::kBike ? LegMode::kBike : LegMode::kWalk;
    }
    out.board_stop = name(leg.from_stop);
    out.alight_stop = name(leg.to_stop);
    out.board_minute = static_cast<int>(FloorDiv(leg.departure, 60));
    out.alight_minute = static_cast<int>(CeilDiv(leg.arrival, 60));
    plan.legs.push_back(std::move(out));
  }
  return plan;
}

TransitTravel::TransitTravel(const routing::TransitNetwork& network, TravelModel others,
                             TransitTravelOptions options)
    : network_(network),
      others_(std::move(others)),
      options_(options),
      bound_(TransitLowerBound(network.timetable(), options)) {}

TransitTravel::~TransitTravel() = default;

TransitTravel::Lease::Lease(const TransitTravel& owner, std::unique_ptr<routing::Router> router)
    : owner_(&owner), router_(std::move(router)) {}

TransitTravel::Lease::~Lease() {
  if (!router_) return;  // moved from
  std::lock_guard<std::mutex> lock(owner_->mu_);
  owner_->pool_.push_back(std::move(router_));
}

TransitTravel::Lease TransitTravel::Borrow() const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!pool_.empty()) {
      std::unique_ptr<routing::Router> r = std::move(pool_.back());
      pool_.pop_back();
      return Lease(*this, std::move(r));
    }
  }
  auto r = std::make_unique<routing::Router>(network_);
  r->set_horizon(options_.horizon);
  return Lease(*this, std::move(r));
}

transit::Day TransitTravel::DateOf(Weekday day) const {
  return routing::DateOfWeekday(options_.week_start, day);
}

routing::PointQuery TransitTravel::Query(GeoPoint from, GeoPoint to, Weekday day,
                                         int minute) const {
  routing::PointQuery q;
  q.from = from;
  q.to = to;
  q.date = DateOf(day);
  q.time = minute * 60;
  q.access = options_.access;
  q.egress = options_.access;
  q.max_transfers = options_.max_transfers;
  q.allow_direct = true;
  return q;
}

std::optional<int> TransitTravel::Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                                          const WeeklySpan& shift, TripLeg leg) const {
  if (mode != TransportMode::kPublicTransport) return others_.Minutes(mode, from, to, shift, leg);
  if (shift.day == Weekday::kUnspecified) return std::nullopt;
  Lease router = Borrow();
  if (leg == TripLeg::kToShift) {
    const routing::PointQuery q = Query(from, to, shift.day, shift.start_minute);
    const std::optional<Journey> j = router->LatestDeparture(q);
    if (!j) return std::nullopt;
    return static_cast<int>(CeilDiv(q.time - j->departure, 60));
  }
  const routing::PointQuery q = Query(from, to, shift.day, shift.end_minute);
  const std::optional<Journey> j = router->EarliestArrival(q);
  if (!j) return std::nullopt;
  return static_cast<int>(CeilDiv(j->arrival - q.time, 60));
}

bool TransitTravel::SameAtAllTimes(TransportMode mode) const {
  return mode != TransportMode::kPublicTransport && others_.SameAtAllTimes(mode);
}

std::optional<TripPlan> TransitTravel::Plan(TransportMode mode, GeoPoint from, GeoPoint to,
                                            const WeeklySpan& shift, TripLeg leg,
                                            int max_minutes) const {
  if (mode != TransportMode::kPublicTransport || shift.day == Weekday::kUnspecified) {
    return std::nullopt;
  }
  const transit::Timetable& t = network_.timetable();
  Lease router = Borrow();
  if (leg == TripLeg::kToShift) {
    const routing::PointQuery q = Query(from, to, shift.day, shift.start_minute);
    const std::optional<Journey> j = router->LatestDeparture(q);
    const Seconds earliest = q.time - std::max(0, max_minutes) * 60;
    if (j && j->departure >= earliest) return PlanOf(*j, t);
    routing::PointQuery late = q;
    late.time = earliest;
    const std::optional<Journey> first = router->EarliestArrival(late);
    if (!first) return std::nullopt;
    return PlanOf(*first, t);
  }
  const routing::PointQuery q = Query(from, to, shift.day, shift.end_minute);
  const std::optional<Journey> j = router->EarliestArrival(q);
  if (!j) return std::nullopt;
  return PlanOf(*j, t);
}

std::optional<ModeLowerBound> TransitTravel::LowerBound(TransportMode mode) const {
  if (mode == TransportMode::kPublicTransport) return bound_;
  if (mode == TransportMode::kUnspecified) return std::nullopt;
  // `others_` is exactly a TravelModel: its geometric bound.
  return others_.LowerBound(mode);
}

}  // namespace carvematch::commute
