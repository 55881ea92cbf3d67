#include "commute/anchored_travel.h"

#include <algorithm>
#include <utility>

namespace carvematch::commute {
namespace {

using routing::Seconds;

int CeilMinutes(int64_t seconds) {
  return static_cast<int>(seconds >= 0 ? (seconds + 59) / 60 : -((-seconds) / 60));
}

// Seconds of going directly with `mode` (as the router's direct journey), or nullopt
// beyond its radius.
std::optional<Seconds> DirectSeconds(GeoPoint from, GeoPoint to,
                                     const routing::AccessOptions& mode) {
  const double meters = HaversineKm(from, to) * 1000.0;
  if (meters > mode.max_meters) return std::nullopt;
  return mode.SecondsFor(meters);
}

}  // namespace

AnchoredTransitTravel::AnchoredTransitTravel(const TransitTravel& exact, size_t max_searches)
    : exact_(exact), max_searches_(std::max<size_t>(1, max_searches)) {}

AnchoredTransitTravel::~AnchoredTransitTravel() = default;

AnchoredTransitTravel::Stats AnchoredTransitTravel::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s = stats_;
  s.kept = lru_.size();
  return s;
}

std::shared_ptr<const AnchoredTransitTravel::Labels> AnchoredTransitTravel::Search(
    const Key& key, GeoPoint anchor) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_key_.find(key);
    if (it != by_key_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      ++stats_.hits;
      return it->second->second;
    }
    // The first question about a key is answered by a point query (cheaper than a search
    // for everyone when no second question comes: one participant against many sites).
    if (asked_once_.insert(key).second) {
      if (asked_once_.size() > kMaxAskedOnce) asked_once_.clear();
      ++stats_.point_queries;
      return nullptr;
    }
  }
  const TransitTravelOptions& o = exact_.options();
  const size_t stops = exact_.network().timetable().stops.size();
  auto labels = std::make_shared<Labels>(stops);
  {
    TransitTravel::Lease router = exact_.Borrow();
    if (key.forward) {
      router->EarliestArrivalsFrom(anchor, key.date, key.time, o.access, o.max_transfers);
      for (size_t s = 0; s < stops; ++s) {
        (*labels)[s] = router->ArrivalAt(static_cast<transit::StopIndex>(s));
      }
    } else {
      router->LatestDeparturesTo(anchor, key.date, key.time, o.access, o.max_transfers);
      for (size_t s = 0; s < stops; ++s) {
        (*labels)[s] = router->DepartureFrom(static_cast<transit::StopIndex>(s));
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.searches;
  auto it = by_key_.find(key);
  if (it != by_key_.end()) return it->second->second;  // another thread was faster
  lru_.emplace_front(key, labels);
  by_key_[key] = lru_.begin();
  while (lru_.size() > max_searches_) {
    by_key_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return labels;
}

std::optional<int> AnchoredTransitTravel::Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                                                  const WeeklySpan& shift, TripLeg leg) const {
  if (mode != TransportMode::kPublicTransport) return exact_.Minutes(mode, from, to, shift, leg);
  if (shift.day == Weekday::kUnspecified) return std::nullopt;
  const routing::AccessOptions& access = exact_.options().access;
  const routing::TransitNetwork& network = exact_.network();
  const bool forward = leg == TripLeg::kFromShift;
  const GeoPoint anchor = forward ? from : to;  // the site
  const GeoPoint other = forward ? to : from;   // home or childcare
  Key key;
  key.lat = anchor.lat;
  key.lon = anchor.lon;
  key.date = exact_.DateOf(shift.day);
  key.time = (forward ? shift.end_minute : shift.start_minute) * 60;
  key.forward = forward;
  const std::shared_ptr<const Labels> labels = Search(key, anchor);
  if (labels == nullptr) return exact_.Minutes(mode, from, to, shift, leg);
  const std::optional<Seconds> direct = DirectSeconds(from, to, access);
  if (forward) {
    Seconds best = transit::kUnreachable;
    if (direct) best = key.time + *direct;
    for (const routing::StopSeconds& e : network.AccessStops(other, access)) {
      const Seconds arrival = (*labels)[e.stop];
      if (arrival != transit::kUnreachable) best = std::min(best, arrival + e.seconds);
    }
    if (best == transit::kUnreachable) return std::nullopt;
    return CeilMinutes(static_cast<int64_t>(best) - key.time);
  }
  Seconds best = routing::kNoDeparture;
  if (direct) best = key.time - *direct;
  for (const routing::StopSeconds& a : network.AccessStops(other, access)) {
    const Seconds departure = (*labels)[a.stop];
    if (departure != routing::kNoDeparture) best = std::max(best, departure - a.seconds);
  }
  if (best == routing::kNoDeparture) return std::nullopt;
  return CeilMinutes(static_cast<int64_t>(key.time) - best);
}

}  // namespace carvematch::commute
