#include "transit/feed_generator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "archive/zip.h"
#include "mobility/travel.h"
#include "model/status.h"
#include "transit/feed_source.h"

namespace carvematch::transit {
namespace {

constexpr double kMetersPerDegree = 111195.0;  // on the 6371 km sphere of HaversineKm

// SplitMix64: small, fast and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  int Int(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(double p) { return Uniform() < p; }

 private:
  uint64_t state_;
};

GeoPoint Offset(GeoPoint p, double east_m, double north_m) {
  const double lat = p.lat + north_m / kMetersPerDegree;
  const double lon = p.lon + east_m / (kMetersPerDegree * std::cos(p.lat * M_PI / 180.0));
  return {lat, lon};
}

GeoPoint Lerp(GeoPoint a, GeoPoint b, double f) {
  return {a.lat + (b.lat - a.lat) * f, a.lon + (b.lon - a.lon) * f};
}

double Meters(GeoPoint a, GeoPoint b) { return HaversineKm(a, b) * 1000.0; }

std::string TownName(Rng& rng) {
  static const char* kStart[] = {"Sint-",  "Oost",   "West", "Noord", "Zuid",
                                 "Groot-", "Klein-", "Over", "Neder", ""};
  static const char* kRoot[] = {"Wever", "Berl", "Lede", "Hamme", "Zele",  "Lier",   "Aarts",
                                "Kalm",  "Hout", "Mol",  "Beer",  "Lom",   "Wetter", "Eke",
                                "Melle", "Gave", "Roos", "Asse",  "Meise", "Putte"};
  static const char* kEnd[] = {"gem",  "kerke", "dorp", "hout", "beek",
                               "dale", "laar",  "rode", "",     "zele"};
  return absl::StrCat(kStart[rng.Int(10)], kRoot[rng.Int(20)], kEnd[rng.Int(10)]);
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void AppendTime(std::string* out, int seconds) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60);
  out->append(buf);
}

std::string DateString(Day day) {
  int y, m, d;
  CivilFromDay(day, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d", y, m, d);
  return buf;
}

struct GenStop {
  std::string id;
  std::string name;
  GeoPoint point;
};

// Stops with reuse of a nearby existing stop, through a grid of merge-radius cells.
class StopSet {
 public:
  // `max_abs_lat`: the largest |latitude| of any stop, so one cell width in longitude
  // is at least `merge_m` everywhere.
  StopSet(double merge_m, double max_abs_lat)
      : merge_m_(merge_m),
        cell_lat_(std::max(merge_m, 1.0) / kMetersPerDegree),
        cell_lon_(cell_lat_ / std::cos(std::min(max_abs_lat, 85.0) * M_PI / 180.0)) {}

  uint32_t Get(GeoPoint p, const std::string& name) {
    const int64_t cy = static_cast<int64_t>(std::floor(p.lat / cell_lat_));
    const int64_t cx = static_cast<int64_t>(std::floor(p.lon / cell_lon_));
    if (merge_m_ > 0) {
      uint32_t best = UINT32_MAX;
      double best_m = merge_m_;
      for (int64_t dy = -1; dy <= 1; ++dy) {
        for (int64_t dx = -1; dx <= 1; ++dx) {
          auto it = cells_.find(Key(cy + dy, cx + dx));
          if (it == cells_.end()) continue;
          for (uint32_t s : it->second) {
            const double m = Meters(stops_[s].point, p);
            if (m <= best_m) {
              best_m = m;
              best = s;
            }
          }
        }
      }
      if (best != UINT32_MAX) return best;
    }
    const uint32_t index = static_cast<uint32_t>(stops_.size());
    char id[16];
    std::snprintf(id, sizeof(id), "S%06u", index);
    stops_.push_back(GenStop{id, name, p});
    cells_[Key(cy, cx)].push_back(index);
    return index;
  }
  const std::vector<GenStop>& stops() const { return stops_; }

 private:
  static uint64_t Key(int64_t cy, int64_t cx) {
    return (static_cast<uint64_t>(cy) << 32) ^ (static_cast<uint64_t>(cx) & 0xffffffffu);
  }
  double merge_m_;
  double cell_lat_;
  double cell_lon_;
  std::vector<GenStop> stops_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> cells_;
};

// Headway (minutes, 0 = no service) until `end_minute`.
struct Band {
  int end_minute;
  int headway;
};
struct DayPlan {
  int first_minute = -1;  // -1: no service that day
  std::vector<Band> bands;
};

enum class LineClass { kFrequent, kRegular, kRural };

struct Line {
  std::string id;
  std::string short_name;
  std::string long_name;
  std::string headsign[2];  // per direction
  int route_type = 3;
  std::vector<uint32_t> stops;
  std::vector<double> meters;  // from the previous stop (0 for the first)
  double speed_kmh = 22;
  DayPlan weekday, saturday, sunday;
  bool night = false;
};

}  // namespace

FeedGeneratorOptions FeedGeneratorOptions::LondonLike() {
  FeedGeneratorOptions o;
  o.seed = 2012;
  o.agency_name = "Synthetic London Buses";
  o.num_towns = 110;
  o.area_min = {51.30, -0.50};
  o.area_max = {51.70, 0.25};
  o.num_bus_lines = 1000;
  o.min_stop_spacing_m = 320;
  o.max_stop_spacing_m = 520;
  o.stop_merge_meters = 80;
  o.max_line_km = 14;
  o.bus_speed_kmh = 16;
  o.peak_slowdown = 1.08;
  o.headway_scale = 2.2;
  o.frequent_fraction = 0.45;
  o.rural_fraction = 0.1;
  o.no_sunday_fraction = 0.1;
  o.night_fraction = 0.3;
  return o;
}

FeedGeneratorOptions FeedGeneratorOptions::FlemishBusLike() {
  FeedGeneratorOptions o;
  o.seed = 2025;
  o.agency_name = "Synthetic Flemish Buses";
  o.num_towns = 300;
  o.area_min = {50.70, 2.55};
  o.area_max = {51.35, 5.85};
  o.num_bus_lines = 1200;
  o.min_stop_spacing_m = 400;
  o.max_stop_spacing_m = 800;
  o.stop_merge_meters = 120;
  o.max_line_km = 25;
  o.bus_speed_kmh = 24;
  o.headway_scale = 1.6;
  o.frequent_fraction = 0.15;
  o.rural_fraction = 0.45;
  o.no_sunday_fraction = 0.35;
  o.night_fraction = 0.08;
  o.num_train_lines = 12;
  o.train_stops = 7;
  return o;
}

FeedGeneratorOptions FeedGeneratorOptions::AroundCentres(std::vector<TownCentre> centres) {
  FeedGeneratorOptions o;
  o.seed = 42;
  o.agency_name = "Synthetic Regional Buses";
  o.villages_per_centre = 2;
  o.num_bus_lines = static_cast<int>(centres.size()) * 3 * 3;  // towns x 3
  o.num_train_lines = centres.size() >= 4 ? 1 : 0;
  o.train_stops = std::min<int>(5, static_cast<int>(centres.size()));
  o.night_fraction = 0.1;
  o.centres = std::move(centres);
  return o;
}

absl::StatusOr<GeneratedFeed> GenerateFeed(const FeedGeneratorOptions& o) {
  if (o.villages_per_centre < 0 || o.villages_per_centre > 100) {
    return absl::InvalidArgumentError("feed generator: villages_per_centre must be in 0..100");
  }
  const size_t num_towns =
      o.centres.empty() ? static_cast<size_t>(std::max(o.num_towns, 0))
                        : o.centres.size() * (1 + static_cast<size_t>(o.villages_per_centre));
  if (num_towns < 2) {
    return absl::InvalidArgumentError("feed generator: at least two towns or centres are needed");
  }
  if (!(o.min_stop_spacing_m > 50) || o.max_stop_spacing_m < o.min_stop_spacing_m) {
    return absl::InvalidArgumentError(
        "feed generator: stop spacing must be over 50 m with min <= max");
  }
  if (o.stop_merge_meters < 0 || o.stop_merge_meters >= o.min_stop_spacing_m) {
    return absl::InvalidArgumentError(
        "feed generator: stop_merge_meters must be in [0, min_stop_spacing_m)");
  }
  if (o.frequent_fraction < 0 || o.rural_fraction < 0 ||
      o.frequent_fraction + o.rural_fraction > 1 || o.no_sunday_fraction < 0 ||
      o.no_sunday_fraction > 1 || o.night_fraction < 0 || o.night_fraction > 1) {
    return absl::InvalidArgumentError("feed generator: fractions must be in [0, 1]");
  }
  if (!(o.headway_scale > 0) || !(o.bus_speed_kmh > 0) || !(o.train_speed_kmh > 0) ||
      o.num_days < 1 || o.num_days > 3 * 366 || o.num_bus_lines < 0 || o.num_train_lines < 0 ||
      o.peak_slowdown < 1 || !(o.max_line_km > 0)) {
    return absl::InvalidArgumentError(
        "feed generator: speeds, headway_scale and max_line_km must be positive, num_days in "
        "1..1098, peak_slowdown at least 1");
  }
  Rng rng(o.seed);

  // Towns.
  std::vector<TownCentre> towns = o.centres;
  for (const TownCentre& c : o.centres) {
    for (int v = 0; v < o.villages_per_centre; ++v) {
      const double angle = rng.Uniform(0, 2 * M_PI);
      const double r = rng.Uniform(2000, 8000);
      TownCentre village;
      village.name = absl::StrCat(c.name, "-", TownName(rng));
      village.point = Offset(c.point, r * std::cos(angle), r * std::sin(angle));
      village.weight = std::max(0.3, c.weight * rng.Uniform(0.1, 0.3));
      towns.push_back(std::move(village));
    }
  }
  if (towns.empty()) {
    for (int i = 0; i < o.num_towns; ++i) {
      TownCentre t;
      t.name = TownName(rng);
      t.point = {rng.Uniform(o.area_min.lat, o.area_max.lat),
                 rng.Uniform(o.area_min.lon, o.area_max.lon)};
      t.weight = std::exp(rng.Uniform(0, 2.2));  // 1 .. 9
      towns.push_back(std::move(t));
    }
  }
  double total_weight = 0;
  for (const TownCentre& t : towns) total_weight += std::max(t.weight, 0.01);
  auto pick_town = [&]() {
    double x = rng.Uniform(0, total_weight);
    for (size_t i = 0; i < towns.size(); ++i) {
      x -= std::max(towns[i].weight, 0.01);
      if (x <= 0) return i;
    }
    return towns.size() - 1;
  };
  auto town_radius_m = [&](size_t t) { return 1200.0 * std::sqrt(std::max(towns[t].weight, 0.3)); };

  double max_abs_lat = 0;
  for (const TownCentre& t : towns) max_abs_lat = std::max(max_abs_lat, std::abs(t.point.lat));
  // Stops lie at most a few town radii (tens of km) from a centre: half a degree of margin.
  StopSet stops(o.stop_merge_meters, max_abs_lat + 0.5);
  static const char* kStreets[] = {"Kerk", "Markt",  "Station", "School", "Molen",
                                   "Dorp", "Kapel",  "Veld",    "Brug",   "Plein",
                                   "Zone", "Kouter", "Hoek",    "Dreef",  "Vijver"};
  auto nearest_town = [&](GeoPoint p) {
    size_t best = 0;
    double best_m = 1e18;
    for (size_t i = 0; i < towns.size(); ++i) {
      const double m = Meters(p, towns[i].point);
      if (m < best_m) {
        best_m = m;
        best = i;
      }
    }
    return best;
  };
  // Places stops along a polyline, every min..max spacing.
  auto place_stops = [&](const std::vector<GeoPoint>& path, Line* line) {
    auto add = [&](GeoPoint p) {
      const std::string name =
          absl::StrCat(towns[nearest_town(p)].name, " ", kStreets[rng.Int(15)]);
      const uint32_t s = stops.Get(p, name);
      if (!line->stops.empty() && line->stops.back() == s) return;
      const double m = line->stops.empty() ? 0.0
                                           : Meters(stops.stops()[line->stops.back()].point,
                                                    stops.stops()[s].point);
      line->stops.push_back(s);
      line->meters.push_back(m);
    };
    add(path[0]);
    double to_next = rng.Uniform(o.min_stop_spacing_m, o.max_stop_spacing_m);
    for (size_t i = 1; i < path.size(); ++i) {
      const double len = Meters(path[i - 1], path[i]);
      double at = 0;
      while (len - at > to_next) {
        at += to_next;
        add(Lerp(path[i - 1], path[i], at / len));
        to_next = rng.Uniform(o.min_stop_spacing_m, o.max_stop_spacing_m);
      }
      to_next -= len - at;
    }
    add(path.back());
  };
  // A bend in the middle of a segment so parallel lines do not coincide.
  auto bent = [&](GeoPoint a, GeoPoint b) {
    const double len = Meters(a, b);
    const double side = rng.Uniform(-0.12, 0.12) * len;
    const GeoPoint mid = Lerp(a, b, rng.Uniform(0.35, 0.65));
    const double dlat = (b.lat - a.lat) * kMetersPerDegree;
    const double dlon = (b.lon - a.lon) * kMetersPerDegree * std::cos(a.lat * M_PI / 180.0);
    const double norm = std::max(std::hypot(dlat, dlon), 1.0);
    return Offset(mid, -dlat / norm * side, dlon / norm * side);
  };
  auto outskirts = [&](size_t t) {
    const double angle = rng.Uniform(0, 2 * M_PI);
    const double r = town_radius_m(t) * rng.Uniform(0.8, 2.0);
    return Offset(towns[t].point, r * std::cos(angle), r * std::sin(angle));
  };

  auto plan = [&](LineClass c, bool sunday_service, Line* line) {
    const double s = o.headway_scale;
    auto h = [&](int minutes) { return std::max(1, static_cast<int>(std::lround(minutes * s))); };
    // First departures at realistic odd minutes: 06:12 misses a 06:00 shift start.
    static const int kFirstOffsets[] = {0, 7, 12, 17, 22, 27, 35, 42};
    const int offset = kFirstOffsets[rng.Int(8)];
    switch (c) {
      case LineClass::kFrequent:
        line->weekday = {5 * 60 + 20 + offset / 2,
                         {{7 * 60, h(15)},
                          {9 * 60, h(8)},
                          {16 * 60, h(10)},
                          {19 * 60, h(8)},
                          {22 * 60, h(15)},
                          {24 * 60, h(30)}}};
        line->saturday = {6 * 60 + 30 + offset, {{20 * 60, h(12)}, {24 * 60, h(30)}}};
        line->sunday = {7 * 60 + 30 + offset, {{20 * 60, h(20)}, {23 * 60, h(30)}}};
        break;
      case LineClass::kRegular:
        line->weekday = {6 * 60 + offset,
                         {{7 * 60, h(30)},
                          {9 * 60, h(15)},
                          {16 * 60, h(30)},
                          {19 * 60, h(15)},
                          {22 * 60 + 30, h(60)}}};
        line->saturday = {7 * 60 + offset, {{19 * 60, h(30)}, {22 * 60, h(60)}}};
        line->sunday = {8 * 60 + offset, {{21 * 60, h(60)}}};
        break;
      case LineClass::kRural:
        line->weekday = {6 * 60 + 10 + offset,
                         {{9 * 60, h(30)}, {16 * 60, h(60)}, {19 * 60 + 30, h(30)}}};
        line->saturday = {8 * 60 + offset, {{18 * 60, h(120)}}};
        line->sunday = {9 * 60 + offset, {{18 * 60, h(120)}}};
        break;
    }
    if (!sunday_service) line->sunday = DayPlan{};
  };

  std::vector<Line> lines;
  // Bus lines.
  for (int i = 0; i < o.num_bus_lines; ++i) {
    Line line;
    char id[16];
    std::snprintf(id, sizeof(id), "B%04d", i + 1);
    line.id = id;
    line.short_name = std::to_string(i + 1);
    line.speed_kmh = o.bus_speed_kmh * rng.Uniform(0.85, 1.15);
    const size_t origin = pick_town();
    // Candidate destinations within reach.
    std::vector<size_t> reach;
    for (size_t t = 0; t < towns.size(); ++t) {
      const double km = Meters(towns[origin].point, towns[t].point) / 1000.0;
      if (t != origin && km >= 2.0 && km <= o.max_line_km) reach.push_back(t);
    }
    std::vector<GeoPoint> path;
    const bool urban = reach.empty() || rng.Chance(std::min(0.6, 0.08 * towns[origin].weight));
    if (urban) {
      // Across the town: outskirts -> centre -> outskirts.
      path = {outskirts(origin), towns[origin].point, outskirts(origin)};
      path.insert(path.begin() + 1, bent(path[0], path[1]));
      line.long_name = absl::StrCat(towns[origin].name, " stadslijn");
      line.headsign[0] = line.headsign[1] = line.long_name;
    } else {
      const size_t dest = reach[static_cast<size_t>(rng.Int(static_cast<int>(reach.size())))];
      path.push_back(rng.Chance(0.5) ? outskirts(origin) : towns[origin].point);
      if (path[0].lat != towns[origin].point.lat) path.push_back(towns[origin].point);
      // Sometimes through a third town on the way.
      const double direct = Meters(towns[origin].point, towns[dest].point);
      if (rng.Chance(0.4)) {
        for (int attempt = 0; attempt < 30; ++attempt) {
          const size_t v = static_cast<size_t>(rng.Int(static_cast<int>(towns.size())));
          if (v == origin || v == dest) continue;
          if (Meters(towns[origin].point, towns[v].point) +
                  Meters(towns[v].point, towns[dest].point) <
              1.25 * direct) {
            path.push_back(bent(path.back(), towns[v].point));
            path.push_back(towns[v].point);
            break;
          }
        }
      }
      path.push_back(bent(path.back(), towns[dest].point));
      path.push_back(towns[dest].point);
      if (rng.Chance(0.5)) path.push_back(outskirts(dest));
      line.long_name = absl::StrCat(towns[origin].name, " - ", towns[dest].name);
      line.headsign[0] = towns[dest].name;
      line.headsign[1] = towns[origin].name;
    }
    place_stops(path, &line);
    if (line.stops.size() < 2) continue;
    const double r = rng.Uniform();
    const LineClass c = r < o.frequent_fraction                      ? LineClass::kFrequent
                        : r < o.frequent_fraction + o.rural_fraction ? LineClass::kRural
                                                                     : LineClass::kRegular;
    const bool sunday = c == LineClass::kFrequent || !rng.Chance(o.no_sunday_fraction);
    plan(c, sunday, &line);
    line.night = c != LineClass::kRural && rng.Chance(o.night_fraction);
    lines.push_back(std::move(line));
  }
  // Train lines through the larger towns.
  std::vector<size_t> by_weight(towns.size());
  for (size_t i = 0; i < towns.size(); ++i) by_weight[i] = i;
  std::stable_sort(by_weight.begin(), by_weight.end(),
                   [&](size_t a, size_t b) { return towns[a].weight > towns[b].weight; });
  const size_t pool = std::min(towns.size(), static_cast<size_t>(std::max(3 * o.train_stops, 4)));
  for (int i = 0; i < o.num_train_lines; ++i) {
    const size_t n = std::min(pool, static_cast<size_t>(std::max(o.train_stops, 2)));
    std::vector<size_t> chosen;
    while (chosen.size() < n) {
      const size_t t = by_weight[static_cast<size_t>(rng.Int(static_cast<int>(pool)))];
      if (std::find(chosen.begin(), chosen.end(), t) == chosen.end()) chosen.push_back(t);
    }
    // Order along the axis between the two towns farthest apart.
    size_t a = chosen[0], b = chosen[1];
    double far = 0;
    for (size_t x : chosen) {
      for (size_t y : chosen) {
        const double m = Meters(towns[x].point, towns[y].point);
        if (m > far) {
          far = m;
          a = x;
          b = y;
        }
      }
    }
    std::sort(chosen.begin(), chosen.end(), [&](size_t x, size_t y) {
      return Meters(towns[a].point, towns[x].point) < Meters(towns[a].point, towns[y].point);
    });
    (void)b;
    Line line;
    char id[16];
    std::snprintf(id, sizeof(id), "T%02d", i + 1);
    line.id = id;
    line.short_name = absl::StrCat("IC", i + 1);
    line.route_type = 2;
    line.speed_kmh = o.train_speed_kmh;
    for (size_t t : chosen) {
      // The station lies a little off the centre: a walk from the bus hub.
      const uint32_t s =
          stops.Get(Offset(towns[t].point, 250, -150), absl::StrCat(towns[t].name, " Station"));
      if (!line.stops.empty() && line.stops.back() == s) continue;
      line.meters.push_back(
          line.stops.empty()
              ? 0.0
              : Meters(stops.stops()[line.stops.back()].point, stops.stops()[s].point) * 1.1);
      line.stops.push_back(s);
    }
    if (line.stops.size() < 2) continue;
    line.long_name = absl::StrCat(towns[chosen.front()].name, " - ", towns[chosen.back()].name);
    line.headsign[0] = towns[chosen.back()].name;
    line.headsign[1] = towns[chosen.front()].name;
    const int offset = rng.Int(30);
    line.weekday = {5 * 60 + offset,
                    {{7 * 60, 60}, {9 * 60, 30}, {16 * 60, 60}, {19 * 60, 30}, {23 * 60 + 30, 60}}};
    line.saturday = {6 * 60 + offset, {{23 * 60, 60}}};
    line.sunday = {7 * 60 + offset, {{23 * 60, 60}}};
    lines.push_back(std::move(line));
  }

  // Files.
  GeneratedFeed feed;
  const Day first_day = o.first_day != 0 ? o.first_day : DayFromCivil(2026, 11, 2);
  const Day last_day = first_day + o.num_days - 1;
  feed.files.emplace_back(
      "agency.txt", absl::StrCat("agency_id,agency_name,agency_url,agency_timezone\nA,",
                                 Csv(o.agency_name), ",https://example.org,Europe/Brussels\n"));
  std::string stops_txt = "stop_id,stop_name,stop_lat,stop_lon\n";
  for (const GenStop& s : stops.stops()) {
    char coords[64];
    std::snprintf(coords, sizeof(coords), "%.6f,%.6f", s.point.lat, s.point.lon);
    absl::StrAppend(&stops_txt, s.id, ",", Csv(s.name), ",", coords, "\n");
  }
  feed.stops = stops.stops().size();
  feed.files.emplace_back("stops.txt", std::move(stops_txt));
  std::string routes_txt = "route_id,agency_id,route_short_name,route_long_name,route_type\n";
  for (const Line& l : lines) {
    absl::StrAppend(&routes_txt, l.id, ",A,", Csv(l.short_name), ",", Csv(l.long_name), ",",
                    l.route_type, "\n");
  }
  feed.lines = lines.size();
  feed.files.emplace_back("routes.txt", std::move(routes_txt));
  feed.files.emplace_back(
      "calendar.txt",
      absl::StrCat("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                   "start_date,end_date\n",
                   "WD,1,1,1,1,1,0,0,", DateString(first_day), ",", DateString(last_day), "\n",
                   "SA,0,0,0,0,0,1,0,", DateString(first_day), ",", DateString(last_day), "\n",
                   "SU,0,0,0,0,0,0,1,", DateString(first_day), ",", DateString(last_day), "\n"));
  std::string dates_txt;
  for (Day h : o.holidays) {
    if (h < first_day || h > last_day || WeekdayOf(h) > 4) continue;
    absl::StrAppend(&dates_txt, "WD,", DateString(h), ",2\nSU,", DateString(h), ",1\n");
  }
  if (!dates_txt.empty()) {
    feed.files.emplace_back("calendar_dates.txt",
                            absl::StrCat("service_id,date,exception_type\n", dates_txt));
  }

  std::string trips_txt = "route_id,service_id,trip_id,trip_headsign,direction_id\n";
  std::string times_txt = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n";
  auto emit_day = [&](const Line& l, const DayPlan& p, const char* service, bool night) {
    if (p.first_minute < 0) return;
    std::vector<int> departures;
    int t = p.first_minute;
    for (const Band& b : p.bands) {
      while (t < b.end_minute) {
        if (b.headway <= 0) {
          t = b.end_minute;
          break;
        }
        departures.push_back(t);
        t += b.headway;
      }
    }
    if (night && !departures.empty()) {
      for (int m : {24 * 60 + 10, 24 * 60 + 40, 25 * 60 + 10}) {
        if (m > departures.back()) departures.push_back(m);
      }
    }
    for (int dir = 0; dir < 2; ++dir) {
      const int shift = dir == 0 ? 0 : 3 + static_cast<int>(l.stops.size() % 7);
      const std::string& head = l.headsign[dir];
      for (int dep : departures) {
        const int start = dep + shift;
        char trip_id[48];
        std::snprintf(trip_id, sizeof(trip_id), "%s_%d_%s_%02d%02d", l.id.c_str(), dir, service,
                      start / 60, start % 60);
        absl::StrAppend(&trips_txt, l.id, ",", service, ",", trip_id, ",", Csv(head), ",", dir,
                        "\n");
        const bool peak =
            (start >= 7 * 60 && start < 9 * 60) || (start >= 16 * 60 && start < 19 * 60);
        const double speed_ms =
            l.speed_kmh / 3.6 / (peak && l.route_type == 3 ? o.peak_slowdown : 1.0);
        double clock = start * 60.0;
        const size_t n = l.stops.size();
        for (size_t k = 0; k < n; ++k) {
          const size_t idx = dir == 0 ? k : n - 1 - k;
          if (k > 0) {
            const double m = dir == 0 ? l.meters[idx] : l.meters[idx + 1];
            // Buses follow roads (a quarter longer than the straight line); train
            // distances already include their detour, plus a minute at each station.
            clock += l.route_type == 2 ? m / speed_ms + 60 : m * 1.25 / speed_ms;
          }
          // Whole minutes as most published timetables have them.
          const int at = static_cast<int>(std::lround(clock / 60.0)) * 60;
          absl::StrAppend(&times_txt, trip_id, ",");
          AppendTime(&times_txt, at);
          times_txt += ',';
          AppendTime(&times_txt, at);
          absl::StrAppend(&times_txt, ",", stops.stops()[l.stops[idx]].id, ",", k + 1, "\n");
          ++feed.stop_times;
        }
        ++feed.trips;
      }
    }
  };
  for (const Line& l : lines) {
    emit_day(l, l.weekday, "WD", l.night);
    emit_day(l, l.saturday, "SA", l.night);
    emit_day(l, l.sunday, "SU", false);
  }
  feed.files.emplace_back("trips.txt", std::move(trips_txt));
  feed.files.emplace_back("stop_times.txt", std::move(times_txt));
  return feed;
}

absl::Status WriteFeed(const GeneratedFeed& feed, const std::string& path) {
  const bool zip = path.size() >= 4 && path.compare(path.size() - 4, 4, ".zip") == 0;
  if (!zip) return WriteDirectory(path, feed.files);
  ZipWriter w;
  for (const auto& [name, content] : feed.files) w.Add(name, content);
  return w.WriteTo(path);
}

}  // namespace carvematch::transit
