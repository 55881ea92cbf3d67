#include "cli/transit.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "storage/sqlite_repository.h"
#include "transit/gtfs_import.h"
#include "transit/timetable.h"
#include "transit/timetable_io.h"

namespace carvematch {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: carvematch transit import FEED.zip [FEED2.zip ...] [--name NAME] [--db FILE]";
constexpr size_t kWarningsShown = 20;

std::string DateText(transit::Day day) {
  int y = 0, m = 0, d = 0;
  transit::CivilFromDay(day, &y, &m, &d);
  return absl::StrFormat("%04d-%02d-%02d", y, m, d);
}

void Fnv(uint64_t* h, const char* data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    *h ^= static_cast<unsigned char>(data[i]);
    *h *= 1099511628211ULL;
  }
}

absl::Status HashFile(const fs::path& p, uint64_t* h) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", p.string()));
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof(buf));
    Fnv(h, buf, static_cast<size_t>(in.gcount()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string FeedNameOf(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (name.empty()) name = fs::path(path).parent_path().filename().string();  // "dir/"
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".zip") == 0) {
    name.resize(name.size() - 4);
  }
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) c = '_';
  }
  if (name.size() > 64) name.resize(64);  // the importer's limit
  return name.empty() ? "feed" : name;
}

absl::StatusOr<std::string> FeedVersionOf(const std::vector<std::string>& paths) {
  uint64_t h = 1469598103934665603ULL;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> files;
      for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) {
        const std::string n = f.filename().string();
        Fnv(&h, n.data(), n.size());
        if (absl::Status s = HashFile(f, &h); !s.ok()) return s;
      }
    } else {
      if (absl::Status s = HashFile(path, &h); !s.ok()) return s;
    }
    Fnv(&h, "\n", 1);
  }
  return absl::StrFormat("%016x", h);
}

absl::StatusOr<StoredTimetable> ImportAndStoreFeeds(const std::vector<std::string>& paths,
                                                    const std::string& name, TransitStore& store,
                                                    std::ostream& out) {
  if (paths.empty()) return absl::InvalidArgumentError(kUsage);
  transit::TimetableBuilder builder;
  transit::ImportReport total;
  std::set<std::string> names;
  for (const std::string& path : paths) {
    std::string feed = FeedNameOf(path);
    for (int i = 2; names.count(feed) > 0; ++i) feed = absl::StrCat(FeedNameOf(path), "_", i);
    names.insert(feed);
    out << "reading " << path << " as feed \"" << feed << "\"\n";
    absl::StatusOr<transit::ImportReport> report = transit::ImportGtfs(path, feed, builder);
    if (!report.ok()) {
      const std::string message(report.status().message());
      const std::string prefix = message.rfind(path, 0) == 0 ? "" : path + ": ";
      return absl::Status(report.status().code(),
                          absl::StrCat(prefix, message, " (nothing was stored)"));
    }
    total.Merge(*report);
  }
  if (!total.warnings.empty()) {
    out << total.num_warnings << (total.num_warnings == 1 ? " warning" : " warnings") << ":\n";
    for (size_t i = 0; i < total.warnings.size() && i < kWarningsShown; ++i) {
      const transit::ImportWarning& w = total.warnings[i];
      out << "  " << w.file;
      if (w.line > 0) out << ":" << w.line;
      out << ": " << w.message << "\n";
    }
    if (total.num_warnings > kWarningsShown) {
      out << "  ... and " << total.num_warnings - kWarningsShown << " more\n";
    }
  }
  out << "imported " << total.Summary() << "\n";
  absl::StatusOr<transit::Timetable> timetable =
      std::move(builder).Build(transit::FootpathOptions{});
  if (!timetable.ok()) return timetable.status();
  absl::StatusOr<std::string> version = FeedVersionOf(paths);
  if (!version.ok()) return version.status();
  std::string validity;
  for (const transit::FeedInfo& f : timetable->feeds) {
    absl::StrAppend(&validity, validity.empty() ? "" : ", ", f.name, " ", DateText(f.first_day),
                    "..", DateText(f.last_day));
  }
  StoredTimetable stored;
  stored.name = name;
  stored.feed_version = *version;
  stored.summary =
      absl::StrFormat("%d stops, %d routes, %d trips, %d footpaths; valid %s; feed version %s",
                      timetable->num_stops(), timetable->num_routes(), timetable->trips.size(),
                      timetable->footpaths.size(), validity, *version);
  stored.data = transit::Serialize(*timetable);
  if (absl::Status s = store.SaveTimetable(stored); !s.ok()) return s;
  auto size = [](size_t bytes) {
    return bytes < 1000000 ? absl::StrFormat("%.1f kB", bytes / 1e3)
                           : absl::StrFormat("%.1f MB", bytes / 1e6);
  };
  out << "timetable \"" << name << "\": " << stored.summary << "\n"
      << "stored " << size(stored.data.size()) << " (" << size(timetable->MemoryBytes())
      << " in memory)\n";
  return stored;
}

int TransitCommand(const std::vector<std::string>& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {"db", "name"}, {});
  if (!flags.ok()) return Fail(flags.status());
  const std::vector<std::string>& words = flags->positional();
  if (words.size() < 2 || words[0] != "import") {
    return Fail(absl::InvalidArgumentError(kUsage));
  }
  const std::vector<std::string> paths(words.begin() + 1, words.end());
  const std::string db = flags->Get("db", "carvematch.db", "CARVEMATCH_DB");
  const std::string name = flags->Get("name", "default");
  // Opening the repository creates and migrates the file; the store then has its tables.
  absl::StatusOr<std::unique_ptr<SqliteRepository>> repo = SqliteRepository::Open(db);
  if (!repo.ok()) return Fail(repo.status());
  absl::StatusOr<std::unique_ptr<TransitStore>> store = TransitStore::Open(db);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoredTimetable> stored = ImportAndStoreFeeds(paths, name, **store, std::cout);
  if (!stored.ok()) return Fail(stored.status());
  std::cout << "saved to " << db << "; restart the server to use it\n";
  return 0;
}

}  // namespace carvematch
