#include "bench/commute/flemish_feed.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>

#include "transit/feed_generator.h"
#include "transit/gtfs_import.h"

namespace carvematch::bench {

absl::StatusOr<transit::Timetable> FlemishFeed(uint64_t seed) {
  transit::FeedGeneratorOptions options = transit::FeedGeneratorOptions::FlemishBusLike();
  options.seed = seed;
  absl::StatusOr<transit::GeneratedFeed> feed = transit::GenerateFeed(options);
  if (!feed.ok()) return feed.status();
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("carvematch-flemish-feed-" + std::to_string(::getpid())))
                              .string();
  std::filesystem::remove_all(dir);
  if (absl::Status s = transit::WriteFeed(*feed, dir); !s.ok()) return s;
  transit::TimetableBuilder builder;
  absl::StatusOr<transit::ImportReport> report = transit::ImportGtfs(dir, "flanders", builder);
  std::filesystem::remove_all(dir);
  if (!report.ok()) return report.status();
  return std::move(builder).Build(transit::FootpathOptions{});
}

GeoPoint Jitter(GeoPoint p, double max_km, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const double dlat = u(rng) * max_km / 111.2;
  const double dlon = u(rng) * max_km / (111.2 * std::cos(p.lat * M_PI / 180.0));
  return {p.lat + dlat, p.lon + dlon};
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

}  // namespace carvematch::bench
