#include "tests/routing/reference.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <tuple>
#include <utility>

namespace carvematch::routing::testing {
namespace {

struct Arc {
  uint32_t to;
  int rides;  // rides added (0 or 1)
};

}  // namespace

std::vector<std::vector<transit::Footpath>> FootpathsOf(const transit::Timetable& t) {
  std::vector<std::vector<transit::Footpath>> out(t.num_stops());
  for (size_t s = 0; s < t.num_stops(); ++s) {
    for (uint32_t k = t.footpath_offsets[s]; k < t.footpath_offsets[s + 1]; ++k) {
      out[s].push_back(t.footpaths[k]);
    }
  }
  return out;
}

std::vector<Seconds> ReferenceEarliestArrival(const RefFeed& feed, Day date,
                                              const std::vector<StopSeconds>& sources,
                                              int max_rides) {
  const Seconds mtt = feed.min_transfer_seconds;
  // 1. Trip call nodes: (trip, day offset) instances that run.
  struct Instance {
    size_t trip;
    Seconds shift;
    uint32_t first_node;  // leaving(i) = first_node + 2i, arriving(i) = first_node + 2i + 1
  };
  std::vector<Instance> instances;
  std::vector<Seconds> node_time;
  std::vector<StopIndex> node_stop;
  for (size_t j = 0; j < feed.trips.size(); ++j) {
    const RefTrip& trip = feed.trips[j];
    for (int o = -1; o <= 1; ++o) {
      if (!feed.services[trip.service].RunsOn(date + o)) continue;
      const Seconds shift = o * kSecondsPerDay;
      instances.push_back({j, shift, static_cast<uint32_t>(node_time.size())});
      for (const transit::TripStop& c : trip.calls) {
        node_time.push_back(c.departure + shift);
        node_stop.push_back(c.stop);
        node_time.push_back(c.arrival + shift);
        node_stop.push_back(c.stop);
      }
    }
  }
  // 2. Ready events per stop.
  std::vector<std::vector<Seconds>> events(feed.num_stops);
  for (const StopSeconds& s : sources) {
    events[s.stop].push_back(s.seconds);
    for (const transit::Footpath& f : feed.footpaths[s.stop]) {
      events[f.to].push_back(s.seconds + f.duration);
    }
  }
  for (const Instance& in : instances) {
    for (const transit::TripStop& c : feed.trips[in.trip].calls) {
      if (!c.no_pickup) events[c.stop].push_back(c.departure + in.shift);
      if (!c.no_dropoff) {
        events[c.stop].push_back(c.arrival + in.shift + mtt);
        for (const transit::Footpath& f : feed.footpaths[c.stop]) {
          events[f.to].push_back(c.arrival + in.shift + f.duration);
        }
      }
    }
  }
  std::vector<uint32_t> ready_first(feed.num_stops + 1, 0);
  for (size_t s = 0; s < feed.num_stops; ++s) {
    std::sort(events[s].begin(), events[s].end());
    events[s].erase(std::unique(events[s].begin(), events[s].end()), events[s].end());
    ready_first[s] = static_cast<uint32_t>(node_time.size());
    for (Seconds t : events[s]) {
      node_time.push_back(t);
      node_stop.push_back(static_cast<StopIndex>(s));
    }
  }
  auto ready = [&](StopIndex s, Seconds t) {
    auto it = std::lower_bound(events[s].begin(), events[s].end(), t);
    return ready_first[s] + static_cast<uint32_t>(it - events[s].begin());
  };
  // 3. Arcs.
  std::vector<std::vector<Arc>> arcs(node_time.size());
  for (size_t s = 0; s < feed.num_stops; ++s) {
    for (size_t k = 0; k + 1 < events[s].size(); ++k) {
      arcs[ready_first[s] + k].push_back({static_cast<uint32_t>(ready_first[s] + k + 1), 0});
    }
  }
  // Alighting arcs also record arrivals: (node, stop, time) per arriving node.
  std::vector<std::vector<std::pair<StopIndex, Seconds>>> arrivals_at(node_time.size());
  for (const Instance& in : instances) {
    const auto& calls = feed.trips[in.trip].calls;
    for (size_t i = 0; i < calls.size(); ++i) {
      const uint32_t leave = in.first_node + 2 * static_cast<uint32_t>(i);
      const uint32_t arrive = leave + 1;
      const transit::TripStop& c = calls[i];
      if (!c.no_pickup) arcs[ready(c.stop, c.departure + in.shift)].push_back({leave, 1});
      if (i + 1 < calls.size()) arcs[leave].push_back({leave + 3, 0});  // ride to i + 1
      if (i > 0) arcs[arrive].push_back({leave, 0});                    // stay on board
      if (i > 0 && !c.no_dropoff) {
        const Seconds a = c.arrival + in.shift;
        arrivals_at[arrive].emplace_back(c.stop, a);
        arcs[arrive].push_back({ready(c.stop, a + mtt), 0});
        for (const transit::Footpath& f : feed.footpaths[c.stop]) {
          arcs[arrive].push_back({ready(f.to, a + f.duration), 0});
          arrivals_at[arrive].emplace_back(f.to, a + f.duration);
        }
      }
    }
  }
  // 4. Dijkstra over (node, rides).
  const int layers = max_rides + 1;
  std::vector<Seconds> dist(node_time.size() * layers, kUnreachable);
  std::vector<Seconds> best(feed.num_stops, kUnreachable);
  using Item = std::tuple<Seconds, uint32_t, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
  for (const StopSeconds& s : sources) {
    best[s.stop] = std::min(best[s.stop], s.seconds);
    const uint32_t v = ready(s.stop, s.seconds);
    if (s.seconds < dist[v * layers]) {
      dist[v * layers] = s.seconds;
      queue.emplace(s.seconds, v, 0);
    }
    for (const transit::Footpath& f : feed.footpaths[s.stop]) {
      const Seconds t = s.seconds + f.duration;
      best[f.to] = std::min(best[f.to], t);
      const uint32_t w = ready(f.to, t);
      if (t < dist[w * layers]) {
        dist[w * layers] = t;
        queue.emplace(t, w, 0);
      }
    }
  }
  while (!queue.empty()) {
    const auto [d, v, r] = queue.top();
    queue.pop();
    if (d > dist[static_cast<size_t>(v) * layers + r]) continue;
    for (const auto& [stop, t] : arrivals_at[v]) best[stop] = std::min(best[stop], t);
    for (const Arc& arc : arcs[v]) {
      const int nr = r + arc.rides;
      if (nr > max_rides) continue;
      const Seconds t = node_time[arc.to];  // nodes have fixed times; arcs go forward
      if (t < d) continue;
      Seconds& slot = dist[static_cast<size_t>(arc.to) * layers + nr];
      if (t < slot) {
        slot = t;
        queue.emplace(t, arc.to, nr);
      }
    }
  }
  return best;
}

}  // namespace carvematch::routing::testing
