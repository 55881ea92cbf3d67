// Small random feeds for the router's randomised tests: a built Timetable and the same
// trips as plain data for the reference (tests/routing/reference.h).
#ifndef CARVEMATCH_TESTS_ROUTING_RANDOM_FEED_H_
#define CARVEMATCH_TESTS_ROUTING_RANDOM_FEED_H_

#include <cstdint>

#include "tests/routing/reference.h"
#include "transit/timetable.h"

namespace carvematch::routing::testing {

struct RandomFeed {
  transit::Timetable timetable;
  RefFeed ref;
  Day first_day = 0;  // services run within [first_day, first_day + 13]
};

// Deterministic in `seed`. Lines of 3-7 stops (some loops back to a stop), trips from
// 04:00 to 27:00 (after midnight too) at varying speeds (so some overtake), calls without
// pickup or drop-off, three calendars with exceptions, explicit one-way and two-way
// footpaths (closed by the builder; up to 10 minutes, or 50 in every fourth feed) and a
// random minimum change time.
RandomFeed MakeRandomFeed(uint64_t seed);

}  // namespace carvematch::routing::testing

#endif  // CARVEMATCH_TESTS_ROUTING_RANDOM_FEED_H_
