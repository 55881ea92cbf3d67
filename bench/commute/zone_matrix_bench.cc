// Builds the zone-to-site matrix (commute/zone_matrix.h) for N sites and M homes on the
// Flanders-sized synthetic feed (transit/feed_generator.h, FlemishBusLike) and prints the
// build time (wall and process CPU), rows, entries, memory and blob size, then the cost
// of one answer from the matrix against one exact RAPTOR query.
//
// Usage: zone_matrix_bench [--sites N] [--homes M] [--threads T] [--seed S]
//   defaults: 10000 sites, 100000 homes, 2 threads, seed 1.
// Sites and homes are placed near random stops (jitter up to 1.5 km for homes, 300 m for
// sites); every site has one weekday shift, its start drawn from 06:00, 07:00, 08:00,
// 09:00, 14:00 and 22:00 (eight hours long): two bands per site.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "bench/commute/flemish_feed.h"
#include "commute/transit_travel.h"
#include "commute/zone_matrix.h"
#include "routing/raptor.h"
#include "transit/timetable.h"

namespace carvematch {
namespace {

using bench::Jitter;
using bench::ProcessCpuSeconds;
using bench::WallSeconds;

int Main(int argc, char** argv) {
  int sites = 10000, homes = 100000, threads = 2;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--sites")) sites = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--homes")) homes = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  absl::StatusOr<transit::Timetable> t = bench::FlemishFeed(seed);
  if (!t.ok()) return 1;
  std::printf("feed: %zu stops, %zu routes, %zu trips (FlemishBusLike, seed %llu)\n",
              t->num_stops(), t->num_routes(), t->trips.size(),
              static_cast<unsigned long long>(seed));
  routing::TransitNetwork network(*t);
  commute::TransitTravelOptions to;
  to.week_start = commute::ReferenceWeekStart(*t, t->feeds.front().first_day);
  commute::TransitTravel exact(network, TravelModel(), to);
  const ModeLowerBound lb = *exact.LowerBound(TransportMode::kPublicTransport);
  std::printf("lower bound: %.2f min + %.3f min/km (%.0f km/h)\n", lb.overhead_minutes,
              lb.minutes_per_km, 60.0 / lb.minutes_per_km);

  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> stop(0, t->num_stops() - 1);
  std::vector<GeoPoint> points;
  for (int i = 0; i < homes; ++i) points.push_back(Jitter(t->stops[stop(rng)].point, 1.5, rng));
  const int starts[] = {6 * 60, 7 * 60, 8 * 60, 9 * 60, 14 * 60, 22 * 60};
  std::vector<commute::SiteShifts> site_list;
  for (int i = 0; i < sites; ++i) {
    const int start = starts[rng() % 6];
    site_list.push_back({"s" + std::to_string(i),
                         Jitter(t->stops[stop(rng)].point, 0.3, rng),
                         {{Weekday::kTuesday, start, start + 480}}});
  }
  commute::ZoneMatrixOptions mo;
  mo.threads = threads;
  const double w0 = WallSeconds(), c0 = ProcessCpuSeconds();
  absl::StatusOr<commute::ZoneMatrix> m = commute::ZoneMatrix::Build(exact, points, site_list, mo);
  const double wall = WallSeconds() - w0, cpu = ProcessCpuSeconds() - c0;
  if (!m.ok()) return 1;
  const commute::ZoneMatrixStats& s = m->stats();
  const std::string blob = m->Serialize();
  std::printf(
      "matrix: %d sites, %d homes -> %zu zones, %zu rows, %zu entries (%.1f per row), %zu zone "
      "lookups\n",
      sites, homes, s.zones, s.rows, s.entries,
      s.rows ? static_cast<double>(s.entries) / s.rows : 0.0, s.lookups);
  std::printf("build: wall %.1f s, cpu %.1f s (%d threads), %.2f ms cpu per row\n", wall, cpu,
              threads, s.rows ? cpu * 1e3 / s.rows : 0.0);
  std::printf("memory: %.1f MB, blob %.1f MB\n", s.bytes / 1e6, blob.size() / 1e6);

  // One answer: matrix vs exact router, on pairs of the matrix.
  commute::ZoneMatrixTravel fast(*m, exact);
  const int n = 2000;
  int answered = 0;
  double t1 = WallSeconds();
  for (int i = 0; i < n; ++i) {
    const commute::SiteShifts& site = site_list[static_cast<size_t>(i) % site_list.size()];
    answered += fast.Minutes(TransportMode::kPublicTransport, points[static_cast<size_t>(i)],
                             site.point, site.shifts[0], TripLeg::kToShift)
                    .has_value();
  }
  const double fast_us = (WallSeconds() - t1) / n * 1e6;
  const int exact_n = 200;
  t1 = WallSeconds();
  for (int i = 0; i < exact_n; ++i) {
    const commute::SiteShifts& site = site_list[static_cast<size_t>(i) % site_list.size()];
    exact.Minutes(TransportMode::kPublicTransport, points[static_cast<size_t>(i)], site.point,
                  site.shifts[0], TripLeg::kToShift);
  }
  const double exact_us = (WallSeconds() - t1) / exact_n * 1e6;
  std::printf("answer: matrix %.2f us, exact RAPTOR %.0f us (%d of %d matrix pairs reachable)\n",
              fast_us, exact_us, answered, n);
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) { return carvematch::Main(argc, argv); }
