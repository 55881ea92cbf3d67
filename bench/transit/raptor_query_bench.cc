// A focused benchmark of one RAPTOR query type, for comparing two builds of the router
// side by side (issue 5; see docs/performance.md, "Public transport routing").
//
// The timetable is a preset of transit/feed_generator.h written as GTFS, imported and
// built like in transit_bench; the built timetable is cached in a binary file
// (transit/timetable_io.h) so that a run costs only its queries. Each run prints the CPU
// and wall mean, median and p99 of `--queries` one-to-all queries from random stops on a
// Monday, with the load average before and after.
//
// With --check it also prints hashes of what the queries answered: every stop's label
// for every transfer bound (ArrivalAt(stop, k) / DepartureFrom(stop, k)), and the
// journeys to a sample of stops, and checks each of those journeys against the timetable
// (trips, footpaths, change times, the label's time). Two routers that hash the labels
// alike answer the same times; the journey hash shows whether they pick the same one of
// equally good journeys.
//
// Usage:
//   raptor_query_bench [--feed=london|flanders] [--query=forward|backward] [--queries=200]
//                      [--horizon_h=8] [--transfers=5] [--seed=7] [--repeat=1]
//                      [--cache=/tmp/carvematch-raptor-london-7.tt] [--check]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "routing/raptor.h"
#include "transit/feed_generator.h"
#include "transit/feed_source.h"
#include "transit/gtfs_import.h"
#include "transit/timetable.h"
#include "transit/timetable_io.h"

namespace carvematch::bench {
namespace {

using routing::Router;
using routing::Seconds;
using routing::TransitNetwork;
using transit::StopIndex;

struct Flags {
  std::string feed = "london";
  std::string query = "forward";
  int queries = 200;
  int horizon_h = 8;
  int transfers = 5;
  int repeat = 1;
  uint64_t seed = 7;
  std::string cache;
  bool check = false;
};

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double ThreadCpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
std::string LoadAverage() {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) != 3) return "?";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", load[0], load[1], load[2]);
  return buf;
}

// FNV-1a over 64-bit words.
struct Hash {
  uint64_t h = 1469598103934665603ull;
  void Add(int64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<uint64_t>(v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  }
};

void AddJourney(const routing::Journey& j, Hash* hash) {
  hash->Add(j.departure);
  hash->Add(j.arrival);
  hash->Add(j.rides);
  for (const routing::Leg& leg : j.legs) {
    hash->Add(static_cast<int>(leg.kind));
    hash->Add(leg.from_stop);
    hash->Add(leg.to_stop);
    hash->Add(leg.departure);
    hash->Add(leg.arrival);
    if (leg.kind == routing::LegKind::kRide) {
      hash->Add(leg.trip);
      hash->Add(leg.day_offset);
    }
  }
}

// Whether `j` is a valid journey between the query's source (stop, time) and `stop`
// with the label's time: every ride is a trip of the timetable running between the
// legs' stops at the legs' times, consecutive legs meet (a change at one stop takes
// `change` seconds), walks are footpaths of the timetable, and at most `max_rides` rides.
bool ValidJourney(const transit::Timetable& tt, const std::vector<uint32_t>& route_of_trip,
                  const routing::Journey& j, bool forward, StopIndex source, Seconds time,
                  StopIndex stop, Seconds label, Seconds change, int max_rides) {
  if (j.legs.empty()) return stop == source && label == time;
  if (j.rides > max_rides) return false;
  if (forward ? (j.arrival != label || j.departure < time)
              : (j.departure != label || j.arrival > time)) {
    return false;
  }
  const StopIndex first = forward ? source : stop, last = forward ? stop : source;
  if (j.legs.front().from_stop != first || j.legs.back().to_stop != last) return false;
  if (j.legs.front().departure != j.departure || j.legs.back().arrival != j.arrival) return false;
  for (size_t i = 0; i < j.legs.size(); ++i) {
    const routing::Leg& leg = j.legs[i];
    if (leg.departure > leg.arrival) return false;
    if (i > 0) {
      const routing::Leg& before = j.legs[i - 1];
      if (before.to_stop != leg.from_stop) return false;
      const bool same_stop_change =
          before.kind == routing::LegKind::kRide && leg.kind == routing::LegKind::kRide;
      if (before.arrival + (same_stop_change ? change : 0) > leg.departure) return false;
    }
    if (leg.kind == routing::LegKind::kTransfer) {
      bool found = false;
      for (uint32_t k = tt.footpath_offsets[leg.from_stop];
           k < tt.footpath_offsets[leg.from_stop + 1]; ++k) {
        found |= tt.footpaths[k].to == leg.to_stop &&
                 tt.footpaths[k].duration == leg.arrival - leg.departure;
      }
      if (!found) return false;
    } else if (leg.kind == routing::LegKind::kRide) {
      if (leg.trip >= tt.trips.size()) return false;
      const transit::Route& route = tt.routes[route_of_trip[leg.trip]];
      const uint32_t k = leg.trip - route.first_trip;
      const Seconds shift = leg.day_offset * routing::kSecondsPerDay;
      bool boarded = false, alighted = false;
      for (uint32_t pos = 0; pos < route.num_stops && !alighted; ++pos) {
        const StopIndex at = tt.route_stops[route.first_route_stop + pos];
        const uint8_t flags = tt.route_stop_flags[route.first_route_stop + pos];
        const transit::StopTime& st =
            tt.stop_times[route.first_stop_time + k * route.num_stops + pos];
        if (!boarded) {
          boarded = at == leg.from_stop && st.departure + shift == leg.departure &&
                    !(flags & transit::kNoPickup);
        } else {
          alighted = at == leg.to_stop && st.arrival + shift == leg.arrival &&
                     !(flags & transit::kNoDropoff);
        }
      }
      if (!alighted) return false;
    } else {
      return false;
    }
  }
  return true;
}

absl::StatusOr<transit::Timetable> LoadOrBuild(const Flags& flags) {
  if (std::filesystem::exists(flags.cache)) {
    absl::StatusOr<std::string> bytes = transit::ReadFileToString(flags.cache);
    if (!bytes.ok()) return bytes.status();
    return transit::Deserialize(*bytes);
  }
  transit::FeedGeneratorOptions options = flags.feed == "london"
                                              ? transit::FeedGeneratorOptions::LondonLike()
                                              : transit::FeedGeneratorOptions::FlemishBusLike();
  options.seed = flags.seed;
  absl::StatusOr<transit::GeneratedFeed> generated = transit::GenerateFeed(options);
  if (!generated.ok()) return generated.status();
  const std::string dir = flags.cache + ".gtfs";
  std::filesystem::remove_all(dir);
  if (absl::Status st = transit::WriteFeed(*generated, dir); !st.ok()) return st;
  transit::TimetableBuilder builder;
  absl::StatusOr<transit::ImportReport> report = transit::ImportGtfs(dir, flags.feed, builder);
  std::filesystem::remove_all(dir);
  if (!report.ok()) return report.status();
  absl::StatusOr<transit::Timetable> built = std::move(builder).Build(transit::FootpathOptions{});
  if (!built.ok()) return built.status();
  if (absl::Status st = transit::WriteStringToFile(flags.cache, transit::Serialize(*built));
      !st.ok()) {
    return st;
  }
  return built;
}

struct Stats {
  double mean = 0, median = 0, p99 = 0;
};
Stats Summarise(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= v.size();
  s.median = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, static_cast<size_t>(std::ceil(0.99 * v.size())) - 1)];
  return s;
}

int Run(const Flags& flags) {
  absl::StatusOr<transit::Timetable> loaded = LoadOrBuild(flags);
  if (!loaded.ok()) {
    std::fprintf(stderr, "timetable: %s\n", std::string(loaded.status().message()).c_str());
    return 1;
  }
  const transit::Timetable& timetable = *loaded;
  const TransitNetwork network(timetable);
  Router router(network);
  router.set_horizon(flags.horizon_h * 3600);
  const bool forward = flags.query == "forward";
  // A Monday of the second week of the presets' calendar, as in transit_bench.
  const transit::Day monday = routing::DateOfWeekday(transit::DayFromCivil(2026, 11, 2) + 7, 0);
  const int n = static_cast<int>(timetable.num_stops());
  std::vector<uint32_t> route_of_trip(timetable.trips.size());
  for (uint32_t r = 0; r < timetable.num_routes(); ++r) {
    const transit::Route& route = timetable.routes[r];
    for (uint32_t k = 0; k < route.num_trips; ++k) route_of_trip[route.first_trip + k] = r;
  }
  auto run = [&](StopIndex stop, Seconds t) {
    if (forward) {
      router.EarliestArrivalFromStops(monday, {{stop, t}}, flags.transfers);
    } else {
      router.LatestDepartureToStops(monday, {{stop, t}}, flags.transfers);
    }
  };
  int running = 0;
  for (const transit::TripInfo& trip : timetable.trips) {
    running += timetable.services[trip.service].RunsOn(monday);
  }
  std::printf("%zu stops, %zu routes, %zu trips (%d run on the Monday), %zu footpaths\n",
              timetable.num_stops(), timetable.num_routes(), timetable.trips.size(), running,
              timetable.footpaths.size());
  std::printf("%s, %s one-to-all, %d h horizon, %d transfers, %d queries; load before %s\n",
              flags.feed.c_str(), flags.query.c_str(), flags.horizon_h, flags.transfers,
              flags.queries, LoadAverage().c_str());
  for (int rep = 0; rep < flags.repeat; ++rep) {
    std::mt19937_64 rng(flags.seed + 1);
    std::vector<std::pair<StopIndex, Seconds>> queries;
    for (int i = 0; i < flags.queries; ++i) {
      const StopIndex s = static_cast<StopIndex>(std::uniform_int_distribution<int>(0, n - 1)(rng));
      const Seconds t = forward ? std::uniform_int_distribution<int>(6 * 3600, 9 * 3600)(rng)
                                : std::uniform_int_distribution<int>(7 * 3600, 10 * 3600)(rng);
      queries.emplace_back(s, t);
    }
    run(queries[0].first, queries[0].second);  // warm the state
    std::vector<double> cpu, wall;
    Hash labels, journeys;
    int64_t reached = 0, checked = 0, invalid = 0;
    for (const auto& [stop, t] : queries) {
      const double w0 = Now(), c0 = ThreadCpu();
      run(stop, t);
      cpu.push_back((ThreadCpu() - c0) * 1e3);
      wall.push_back((Now() - w0) * 1e3);
      if (!flags.check) continue;
      for (int s = 0; s < n; ++s) {
        for (int k = -1; k <= flags.transfers; ++k) {
          labels.Add(forward ? router.ArrivalAt(s, k) : router.DepartureFrom(s, k));
        }
        const bool hit = forward ? router.ArrivalAt(s) != routing::kUnreachable
                                 : router.DepartureFrom(s) != routing::kNoDeparture;
        reached += hit;
        if (hit && s % 53 == 0) {
          std::optional<routing::Journey> j =
              forward ? router.JourneyToStop(s) : router.JourneyFromStop(s);
          if (!j) {
            std::printf("  no journey to reached stop %d\n", s);
            return 1;
          }
          AddJourney(*j, &journeys);
          ++checked;
          const Seconds label = forward ? router.ArrivalAt(s) : router.DepartureFrom(s);
          if (!ValidJourney(timetable, route_of_trip, *j, forward, stop, t, s, label,
                            network.options().min_transfer_seconds, flags.transfers + 1)) {
            ++invalid;
          }
        }
      }
    }
    const Stats c = Summarise(cpu), w = Summarise(wall);
    std::printf(
        "  cpu mean %6.2f ms  p50 %6.2f  p99 %6.2f | wall mean %6.2f  p50 %6.2f  p99 %6.2f"
        " | load %s\n",
        c.mean, c.median, c.p99, w.mean, w.median, w.p99, LoadAverage().c_str());
    if (flags.check) {
      std::printf(
          "  labels %016llx  journeys %016llx  reached %.1f stops per query; %lld journeys "
          "checked, %lld invalid\n",
          static_cast<unsigned long long>(labels.h), static_cast<unsigned long long>(journeys.h),
          static_cast<double>(reached) / flags.queries, static_cast<long long>(checked),
          static_cast<long long>(invalid));
    }
    std::fflush(stdout);
  }
  return 0;
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    std::vector<std::string> kv = absl::StrSplit(argv[i], absl::MaxSplits('=', 1));
    const std::string key = kv[0];
    const std::string value = kv.size() > 1 ? kv[1] : "";
    int v = 0;
    if (key == "--feed" && (value == "london" || value == "flanders")) {
      flags.feed = value;
    } else if (key == "--query" && (value == "forward" || value == "backward")) {
      flags.query = value;
    } else if (key == "--queries" && absl::SimpleAtoi(value, &v) && v > 0) {
      flags.queries = v;
    } else if (key == "--horizon_h" && absl::SimpleAtoi(value, &v) && v > 0) {
      flags.horizon_h = v;
    } else if (key == "--transfers" && absl::SimpleAtoi(value, &v) && v >= 0) {
      flags.transfers = v;
    } else if (key == "--repeat" && absl::SimpleAtoi(value, &v) && v > 0) {
      flags.repeat = v;
    } else if (key == "--seed" && absl::SimpleAtoi(value, &v)) {
      flags.seed = static_cast<uint64_t>(v);
    } else if (key == "--cache" && !value.empty()) {
      flags.cache = value;
    } else if (key == "--check" && value.empty()) {
      flags.check = true;
    } else {
      std::fprintf(stderr, "unknown or bad flag: %s\n", argv[i]);
      return false;
    }
  }
  if (flags.cache.empty()) {
    flags.cache = "/tmp/carvematch-raptor-" + flags.feed + "-" + std::to_string(flags.seed) + ".tt";
  }
  return true;
}

}  // namespace
}  // namespace carvematch::bench

int main(int argc, char** argv) {
  carvematch::bench::Flags flags;
  if (!carvematch::bench::ParseFlags(argc, argv, flags)) return 2;
  return carvematch::bench::Run(flags);
}
