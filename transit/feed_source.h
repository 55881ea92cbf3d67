// Reading GTFS feeds as they are published: a .zip archive (through archive/zip.h, whose
// error convention applies) or a directory of .txt files; and the small file helpers the
// feed generator and the tests use.
//
// Example usage:
//   ASSIGN_OR_RETURN(FeedSource feed, FeedSource::Open("delijn.zip"));
//   if (feed.Has("frequencies.txt")) { ... }
//   ASSIGN_OR_RETURN(std::string stops, feed.Read("stops.txt"));
#ifndef CARVEMATCH_TRANSIT_FEED_SOURCE_H_
#define CARVEMATCH_TRANSIT_FEED_SOURCE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "archive/zip.h"

namespace carvematch::transit {

// A GTFS feed on disk: a zip archive or a directory holding the .txt files. In a zip a
// file is found by its exact name or, for feeds zipped with their folder, as the only
// entry with that base name ("feed/stops.txt").
class FeedSource {
 public:
  // kNotFound when `path` does not exist; the zip errors of ZipReader::Open.
  static absl::StatusOr<FeedSource> Open(const std::string& path);

  const std::string& path() const { return path_; }
  bool is_zip() const { return zip_.has_value(); }
  bool Has(const std::string& file) const;
  // The content of `file` ("stops.txt"); kNotFound naming the file when it is absent.
  absl::StatusOr<std::string> Read(const std::string& file) const;

 private:
  const ZipEntry* FindInZip(const std::string& file) const;

  std::string path_;
  std::optional<ZipReader> zip_;  // when the feed is a zip archive
};

// Writes `files` (name, content) as .txt files into directory `dir` (created when
// missing). For generated feeds kept as folders.
absl::Status WriteDirectory(const std::string& dir,
                            const std::vector<std::pair<std::string, std::string>>& files);

// Reads a whole file into a string (kNotFound when it does not exist).
absl::StatusOr<std::string> ReadFileToString(const std::string& path);
absl::Status WriteStringToFile(const std::string& path, absl::string_view data);

}  // namespace carvematch::transit

#endif  // CARVEMATCH_TRANSIT_FEED_SOURCE_H_
