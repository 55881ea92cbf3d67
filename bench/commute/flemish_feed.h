// The Flanders-sized synthetic feed of the commute benchmarks (FlemishBusLike, written as
// GTFS, imported and built like a real feed) and random places near its stops.
#ifndef CARVEMATCH_BENCH_COMMUTE_FLEMISH_FEED_H_
#define CARVEMATCH_BENCH_COMMUTE_FLEMISH_FEED_H_

#include <cstdint>
#include <random>

#include "absl/status/statusor.h"
#include "model/common.h"
#include "transit/timetable.h"

namespace carvematch::bench {

// FlemishBusLike() with `seed`, imported through a temporary GTFS directory.
absl::StatusOr<transit::Timetable> FlemishFeed(uint64_t seed);

// A point up to `max_km` north/south and east/west of `p`.
GeoPoint Jitter(GeoPoint p, double max_km, std::mt19937_64& rng);

// Wall seconds (steady clock) and the process's CPU seconds (all threads).
double WallSeconds();
double ProcessCpuSeconds();

}  // namespace carvematch::bench

#endif  // CARVEMATCH_BENCH_COMMUTE_FLEMISH_FEED_H_
