// A deliberately simple reference for the router's tests: Dijkstra on the time-expanded
// graph of a feed, layered by the number of rides taken.
//
// Nodes have fixed times: per trip call of the service days date - 1, date and date + 1 an
// "on board, leaving stop i" and an "on board, arriving at stop i" node, and per stop one
// "ready to board" node per event time (departures there, the sources, change and walk
// landings). Arcs: waiting (consecutive ready nodes of a stop), boarding (ready -> leaving,
// +1 ride, where pickup is allowed), riding (leaving i -> arriving i + 1), staying on
// board (arriving i -> leaving i), alighting (arriving -> ready at the same stop after the
// minimum change time, and -> ready at each footpath's end after its duration, where
// drop-off is allowed). It knows nothing of routes, rounds or labels.
#ifndef CARVEMATCH_TESTS_ROUTING_REFERENCE_H_
#define CARVEMATCH_TESTS_ROUTING_REFERENCE_H_

#include <vector>

#include "routing/raptor.h"
#include "transit/timetable.h"

namespace carvematch::routing::testing {

struct RefTrip {
  transit::ServiceIndex service = 0;
  std::vector<transit::TripStop> calls;
};

struct RefFeed {
  size_t num_stops = 0;
  std::vector<transit::ServiceCalendar> services;
  std::vector<RefTrip> trips;
  // footpaths[s]: walks from s (taken from the built timetable: closing them is the
  // builder's job, not the router's).
  std::vector<std::vector<transit::Footpath>> footpaths;
  Seconds min_transfer_seconds = 60;
};

// Earliest arrival at every stop (by a ride or on foot) with at most `max_rides` rides,
// from `sources` (stop, ready time) on service date `date`; kUnreachable where none.
std::vector<Seconds> ReferenceEarliestArrival(const RefFeed& feed, Day date,
                                              const std::vector<StopSeconds>& sources,
                                              int max_rides);

// Footpaths of a built timetable as adjacency lists.
std::vector<std::vector<transit::Footpath>> FootpathsOf(const transit::Timetable& t);

}  // namespace carvematch::routing::testing

#endif  // CARVEMATCH_TESTS_ROUTING_REFERENCE_H_
