// Public-transport benchmark (issue 5): the RAPTOR router on synthetic feeds the size of
// London's (about 20k stops, 2.2k routes, 130k trips) and of the Flemish regional bus
// network (about 30k stops).
//
// Per feed it reports: the GTFS import (the feed is written as GTFS text files to a
// temporary folder and read back with transit::ImportGtfs) and the build of the
// Timetable; memory (Timetable::MemoryBytes, TransitNetwork::MemoryBytes,
// Router::MemoryBytes, peak RSS); and per query type the mean, median and p99 over random
// queries, wall time beside thread CPU time (the machine is shared):
//   - one-to-all earliest arrival from a stop (Monday 06:00-09:00, 5 transfers);
//   - one-to-all latest departure to a stop (backward, deadline 07:00-10:00);
//   - point to point earliest arrival (walk access/egress, target pruning);
//   - a one-hour range query (rRAPTOR) one-to-all from a stop;
//   - the same one-to-all queries with a 2 h horizon (what a commute needs), and one
//     backward search per site read for 1000 origins (a zone-to-site matrix column).
//
// The feeds come from transit/feed_generator.h (presets LondonLike and FlemishBusLike):
// written as GTFS files to a temporary folder, imported with transit::ImportGtfs and
// built with the default footpath options.
//
// Usage:
//   transit_bench [--feeds=london,flanders] [--queries=200] [--range_queries=20]
//                 [--seed=7]
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/bench_util.h"
#include "routing/raptor.h"
#include "transit/feed_generator.h"
#include "transit/gtfs_import.h"
#include "transit/timetable.h"

namespace carvematch::bench {
namespace {

using routing::Router;
using routing::Seconds;
using routing::StopSeconds;
using routing::TransitNetwork;
using transit::StopIndex;

struct Flags {
  std::vector<std::string> feeds = {"london", "flanders"};
  int queries = 200;
  int range_queries = 20;
  uint64_t seed = 7;
};

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double ThreadCpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
double PeakRssMb() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
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

// Times `fn(i)` for i in [0, count), printing wall and CPU statistics in ms.
template <typename Fn>
void Measure(const std::string& what, int count, Fn fn) {
  std::vector<double> wall, cpu;
  double extra = 0;
  for (int i = 0; i < count; ++i) {
    const double w0 = Now(), c0 = ThreadCpu();
    extra += fn(i);
    cpu.push_back((ThreadCpu() - c0) * 1e3);
    wall.push_back((Now() - w0) * 1e3);
  }
  const Stats w = Summarise(wall), c = Summarise(cpu);
  std::printf(
      "  %-44s n=%-4d wall mean %7.2f ms  p50 %7.2f  p99 %7.2f | cpu mean %7.2f  p50 %7.2f  p99 "
      "%7.2f | %.1f\n",
      what.c_str(), count, w.mean, w.median, w.p99, c.mean, c.median, c.p99, extra / count);
  std::fflush(stdout);
}

void RunFeed(const std::string& name, const Flags& flags) {
  transit::FeedGeneratorOptions options = name == "london"
                                              ? transit::FeedGeneratorOptions::LondonLike()
                                              : transit::FeedGeneratorOptions::FlemishBusLike();
  options.seed = flags.seed;
  std::printf("\n== feed %s (transit/feed_generator.h preset, seed %llu)\n", name.c_str(),
              static_cast<unsigned long long>(flags.seed));
  double t0 = Now();
  absl::StatusOr<transit::GeneratedFeed> generated = transit::GenerateFeed(options);
  if (!generated.ok()) {
    std::printf("  generation failed: %s\n", std::string(generated.status().message()).c_str());
    return;
  }
  const std::string dir = "/tmp/carvematch-transit-bench-" + name;
  std::filesystem::remove_all(dir);
  if (absl::Status st = transit::WriteFeed(*generated, dir); !st.ok()) {
    std::printf("  writing failed: %s\n", std::string(st.message()).c_str());
    return;
  }
  std::printf("  generated %zu stops, %zu lines, %zu trips, %zu stop times in %.2f s\n",
              generated->stops, generated->lines, generated->trips, generated->stop_times,
              Now() - t0);
  generated = absl::UnknownError("released");  // the CSV text is not needed any more

  t0 = Now();
  double c0 = ThreadCpu();
  transit::TimetableBuilder builder;
  absl::StatusOr<transit::ImportReport> report = transit::ImportGtfs(dir, name, builder);
  const double import_wall = Now() - t0, import_cpu = ThreadCpu() - c0;
  std::filesystem::remove_all(dir);
  if (!report.ok()) {
    std::printf("  import failed: %s\n", std::string(report.status().message()).c_str());
    return;
  }
  t0 = Now();
  c0 = ThreadCpu();
  absl::StatusOr<transit::Timetable> built = std::move(builder).Build(transit::FootpathOptions{});
  if (!built.ok()) {
    std::printf("  build failed: %s\n", std::string(built.status().message()).c_str());
    return;
  }
  const transit::Timetable& timetable = *built;
  std::printf(
      "  GTFS import (directory): %.2f s wall / %.2f s cpu; Build %.2f s wall / %.2f s cpu\n",
      import_wall, import_cpu, Now() - t0, ThreadCpu() - c0);
  t0 = Now();
  const TransitNetwork network(timetable);
  std::printf("  TransitNetwork: %.3f s\n", Now() - t0);
  Router router(network);
  std::printf(
      "  timetable: %zu stops, %zu RAPTOR routes, %zu trips, %zu stop times, %zu footpaths\n",
      timetable.num_stops(), timetable.num_routes(), timetable.trips.size(),
      timetable.stop_times.size(), timetable.footpaths.size());

  // A Monday of the second week of the calendar (not a holiday in the presets).
  const transit::Day first_day =
      options.first_day != 0 ? options.first_day : transit::DayFromCivil(2026, 11, 2);
  const transit::Day monday = routing::DateOfWeekday(first_day + 7, 0);
  std::mt19937_64 rng(flags.seed + 1);
  const int n = static_cast<int>(timetable.num_stops());
  auto random_stop = [&]() {
    return static_cast<StopIndex>(std::uniform_int_distribution<int>(0, n - 1)(rng));
  };
  auto random_time = [&](int from_h, int to_h) {
    return std::uniform_int_distribution<int>(from_h * 3600, to_h * 3600)(rng);
  };
  auto reached = [&](bool forward) {
    int count = 0;
    for (int s = 0; s < n; ++s) {
      count += forward ? router.ArrivalAt(s) != routing::kUnreachable
                       : router.DepartureFrom(s) != routing::kNoDeparture;
    }
    return static_cast<double>(count);
  };
  std::printf("  queries on Monday %d; last column: mean stops reached / journeys found\n", monday);
  // Warm the state once.
  router.EarliestArrivalFromStops(monday, {{random_stop(), 7 * 3600}}, 5);

  Measure("one-to-all earliest arrival (5 transfers)", flags.queries, [&](int) {
    router.EarliestArrivalFromStops(monday, {{random_stop(), random_time(6, 9)}}, 5);
    return reached(true);
  });
  Measure("one-to-all latest departure (backward)", flags.queries, [&](int) {
    router.LatestDepartureToStops(monday, {{random_stop(), random_time(7, 10)}}, 5);
    return reached(false);
  });
  router.set_horizon(2 * 3600);
  Measure("one-to-all earliest arrival, 2 h horizon", flags.queries, [&](int) {
    router.EarliestArrivalFromStops(monday, {{random_stop(), random_time(6, 9)}}, 5);
    return reached(true);
  });
  Measure("one-to-all latest departure, 2 h horizon", flags.queries, [&](int) {
    router.LatestDepartureToStops(monday, {{random_stop(), random_time(7, 10)}}, 5);
    return reached(false);
  });
  // A site and 1000 origins (a zone-to-site column): one backward search, then a grid
  // lookup per origin.
  std::vector<GeoPoint> origins;
  for (int i = 0; i < 1000; ++i) origins.push_back(timetable.stops[random_stop()].point);
  const routing::AccessOptions walk = routing::AccessOptions::Walk(1000);
  Measure("site column: backward 2 h + 1000 origins", flags.queries / 4, [&](int) {
    router.LatestDeparturesTo(timetable.stops[random_stop()].point, monday, random_time(7, 10),
                              walk, 5);
    int reachable = 0;
    for (const GeoPoint& o : origins) {
      reachable += router.DepartureFromPoint(o, walk) != routing::kNoDeparture;
    }
    return static_cast<double>(reachable);
  });
  std::vector<std::vector<StopSeconds>> origin_access;
  for (const GeoPoint& o : origins) origin_access.push_back(network.AccessStops(o, walk));
  Measure("site column, access lists precomputed", flags.queries / 4, [&](int) {
    router.LatestDeparturesTo(timetable.stops[random_stop()].point, monday, random_time(7, 10),
                              walk, 5);
    int reachable = 0;
    for (const auto& access : origin_access) {
      reachable += router.DepartureVia(access) != routing::kNoDeparture;
    }
    return static_cast<double>(reachable);
  });
  router.set_horizon(routing::kDefaultHorizon);
  int found = 0;
  Measure("point to point earliest arrival (pruned)", flags.queries, [&](int) {
    routing::PointQuery q;
    q.from = timetable.stops[random_stop()].point;
    q.to = timetable.stops[random_stop()].point;
    q.date = monday;
    q.time = random_time(6, 9);
    const bool ok = router.EarliestArrival(q).has_value();
    found += ok;
    return ok ? 1.0 : 0.0;
  });
  Measure("point to point latest departure (pruned)", flags.queries, [&](int) {
    routing::PointQuery q;
    q.from = timetable.stops[random_stop()].point;
    q.to = timetable.stops[random_stop()].point;
    q.date = monday;
    q.time = random_time(7, 10);
    return router.LatestDeparture(q).has_value() ? 1.0 : 0.0;
  });
  Measure("one-hour range one-to-all (rRAPTOR)", flags.range_queries, [&](int) {
    int runs = 0;
    const Seconds begin = random_time(6, 8);
    router.RangeFromStops(monday, {{random_stop(), 0}}, begin, begin + 3600, 5,
                          [&](Seconds) { ++runs; });
    return static_cast<double>(runs);
  });
  Measure("one-hour range point to point (journeys)", flags.range_queries, [&](int) {
    routing::PointQuery q;
    q.from = timetable.stops[random_stop()].point;
    q.to = timetable.stops[random_stop()].point;
    q.date = monday;
    q.time = random_time(6, 8);
    return static_cast<double>(router.RangeQuery(q, q.time + 3600).size());
  });
  std::printf(
      "  memory: Timetable %.1f MB, TransitNetwork %.1f MB, Router %.1f MB, peak RSS %.0f MB\n",
      timetable.MemoryBytes() / 1e6, network.MemoryBytes() / 1e6, router.MemoryBytes() / 1e6,
      PeakRssMb());
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    std::vector<std::string> kv = absl::StrSplit(argv[i], absl::MaxSplits('=', 1));
    const std::string key = kv[0];
    const std::string value = kv.size() > 1 ? kv[1] : "";
    int v = 0;
    if (key == "--feeds") {
      flags.feeds = absl::StrSplit(value, ',');
    } else if (key == "--queries" && absl::SimpleAtoi(value, &v) && v > 0) {
      flags.queries = v;
    } else if (key == "--range_queries" && absl::SimpleAtoi(value, &v) && v > 0) {
      flags.range_queries = v;
    } else if (key == "--seed" && absl::SimpleAtoi(value, &v)) {
      flags.seed = static_cast<uint64_t>(v);
    } else {
      std::fprintf(stderr, "unknown or bad flag: %s\n", argv[i]);
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace carvematch::bench

int main(int argc, char** argv) {
  using namespace carvematch::bench;
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  const CpuInfo cpu = ReadCpuInfo();
  std::printf("machine: %s, %d logical CPUs, single-threaded queries\n", cpu.model_name.c_str(),
              cpu.logical_cpus);
  for (const std::string& name : flags.feeds) {
    if (name == "london" || name == "flanders") {
      RunFeed(name, flags);
    } else {
      std::fprintf(stderr, "unknown feed %s\n", name.c_str());
      return 2;
    }
  }
  return 0;
}
