#include "tests/routing/random_feed.h"

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace carvematch::routing::testing {

RandomFeed MakeRandomFeed(uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](int lo, int hi) {  // inclusive
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  RandomFeed out;
  out.first_day = transit::DayFromCivil(2026, 11, 16) + uniform(0, 6);
  transit::TimetableBuilder b;
  b.AddFeed({"r", {"agency"}, out.first_day, out.first_day + 13});
  const int num_stops = uniform(6, 22);
  for (int s = 0; s < num_stops; ++s) {
    b.AddStop({absl::StrCat("r:s", s),
               absl::StrCat("Stop ", s),
               {51.0 + 0.01 * uniform(0, 30), 3.7 + 0.01 * uniform(0, 30)}});
  }
  out.ref.num_stops = static_cast<size_t>(num_stops);
  for (int v = 0; v < 3; ++v) {
    transit::ServiceCalendar c =
        transit::ServiceCalendar::Weekly(absl::StrCat("r:c", v), out.first_day, out.first_day + 13,
                                         static_cast<uint8_t>(uniform(1, 127)));
    for (int e = uniform(0, 2); e > 0; --e) c.Add(out.first_day + uniform(0, 13));
    for (int e = uniform(0, 2); e > 0; --e) c.Remove(out.first_day + uniform(0, 13));
    out.ref.services.push_back(c);
    b.AddService(std::move(c));
  }
  const int num_lines = uniform(2, 7);
  int trip_id = 0;
  for (int l = 0; l < num_lines; ++l) {
    const int len = uniform(3, 7);
    std::vector<StopIndex> stops;
    for (int i = 0; i < len; ++i) {
      StopIndex s = static_cast<StopIndex>(uniform(0, num_stops - 1));
      if (!stops.empty() && s == stops.back()) s = (s + 1) % num_stops;
      stops.push_back(s);
    }
    const int trips = uniform(2, 8);
    const transit::ServiceIndex service = static_cast<transit::ServiceIndex>(uniform(0, 2));
    for (int k = 0; k < trips; ++k) {
      Seconds t = uniform(4 * 60, 27 * 60) * 60;
      const int pace = uniform(1, 3);
      std::vector<transit::TripStop> calls;
      for (int i = 0; i < len; ++i) {
        transit::TripStop c;
        c.stop = stops[i];
        c.arrival = t;
        c.departure = t + 30 * uniform(0, 2);
        c.no_pickup = uniform(0, 11) == 0;
        c.no_dropoff = uniform(0, 11) == 0;
        t = c.departure + pace * 60 * uniform(1, 6);
        calls.push_back(c);
      }
      transit::TripInfo info{absl::StrCat("r:t", trip_id),
                             absl::StrCat("r:l", l),
                             absl::StrCat(l),
                             transit::RouteMode::kBus,
                             service,
                             absl::StrCat("to ", stops.back())};
      ++trip_id;
      out.ref.trips.push_back({service, calls});
      (void)b.AddTrip(std::move(info), std::move(calls));
    }
  }
  for (int f = uniform(0, num_stops); f > 0; --f) {
    const StopIndex a = static_cast<StopIndex>(uniform(0, num_stops - 1));
    const StopIndex c = static_cast<StopIndex>(uniform(0, num_stops - 1));
    if (a == c) continue;
    // Every fourth feed has footpaths of up to 50 minutes: then the router keeps them in
    // its full records (its 4-byte ones hold less than 2048 s).
    const Seconds d = uniform(1, seed % 4 == 0 ? 200 : 40) * 15;
    (void)b.AddFootpath(a, c, d);
    if (uniform(0, 2) != 0) (void)b.AddFootpath(c, a, d);
  }
  transit::FootpathOptions options;
  options.max_walk_meters = 0;  // only the explicit ones
  options.min_transfer_seconds = uniform(0, 4) * 30;
  out.ref.min_transfer_seconds = options.min_transfer_seconds;
  absl::StatusOr<transit::Timetable> t = std::move(b).Build(options);
  out.timetable = std::move(t).value();
  out.ref.footpaths = FootpathsOf(out.timetable);
  return out;
}

}  // namespace carvematch::routing::testing
