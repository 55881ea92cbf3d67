// Reading GTFS feeds as they are published: a .zip archive (stored or deflated entries,
// checked against their CRC-32) or a directory of .txt files; and a small zip writer for
// the feed generator and the tests.
//
// The reader reads the whole archive into memory, walks the central directory and
// inflates one entry on request with zlib's raw inflate. ZIP64 archives (more than
// 65535 entries or 4 GiB), encrypted entries and compression methods other than stored
// (0) and deflate (8) are refused with kUnimplemented; a damaged archive is
// kInvalidArgument, a CRC mismatch kDataLoss, a missing file kNotFound.
//
// Example usage:
//   ASSIGN_OR_RETURN(FeedSource feed, FeedSource::Open("delijn.zip"));
//   if (feed.Has("frequencies.txt")) { ... }
//   ASSIGN_OR_RETURN(std::string stops, feed.Read("stops.txt"));
//
//   ZipWriter w;
//   w.Add("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n...");
//   RETURN_IF_ERROR(w.WriteTo("/tmp/feed.zip"));
#ifndef CARVEMATCH_TRANSIT_ZIP_READER_H_
#define CARVEMATCH_TRANSIT_ZIP_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace carvematch::transit {

// CRC-32 (ISO-HDLC, as zip and gzip use it) of `data`.
uint32_t Crc32(absl::string_view data);

struct ZipEntry {
  std::string name;  // path inside the archive, '/' separated
  uint16_t method = 0;
  uint32_t crc32 = 0;
  uint32_t compressed_size = 0;
  uint32_t uncompressed_size = 0;
  uint32_t local_header_offset = 0;
};

class ZipReader {
 public:
  // Reads the archive at `path` (kNotFound when it does not exist).
  static absl::StatusOr<ZipReader> Open(const std::string& path);
  // An archive held in memory; `label` names it in errors.
  static absl::StatusOr<ZipReader> FromBytes(std::string bytes, std::string label);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  // The entry called `name`, or else the only entry whose last path component is
  // `name` (feeds zipped with their folder); nullptr when there is none.
  const ZipEntry* Find(absl::string_view name) const;
  // The entry's content, inflated and CRC-checked.
  absl::StatusOr<std::string> Read(const ZipEntry& entry) const;

 private:
  ZipReader() = default;
  absl::Status ParseDirectory();

  std::string label_;
  std::string bytes_;
  std::vector<ZipEntry> entries_;
};

// A GTFS feed on disk: a zip archive or a directory holding the .txt files.
class FeedSource {
 public:
  static absl::StatusOr<FeedSource> Open(const std::string& path);

  const std::string& path() const { return path_; }
  bool is_zip() const { return is_zip_; }
  bool Has(const std::string& file) const;
  // The content of `file` ("stops.txt"); kNotFound naming the file when it is absent.
  absl::StatusOr<std::string> Read(const std::string& file) const;

 private:
  std::string path_;
  bool is_zip_ = false;
  std::optional<ZipReader> zip_;  // when is_zip_
};

class ZipWriter {
 public:
  enum class Method { kStored, kDeflate };

  // Entries are written in the order added; names must be unique.
  void Add(std::string name, absl::string_view data, Method method = Method::kDeflate);
  // The archive's bytes (entries, central directory, end record). Deterministic: the
  // same entries always give the same bytes (timestamps are fixed at 1980-01-01).
  absl::StatusOr<std::string> Finish() const;
  absl::Status WriteTo(const std::string& path) const;

 private:
  struct Pending {
    std::string name;
    Method method;
    uint32_t crc32;
    uint32_t uncompressed_size;
    std::string data;  // as stored (compressed when deflated)
  };
  std::vector<Pending> entries_;
  absl::Status error_;
};

// Writes `files` (name, content) as .txt files into directory `dir` (created when
// missing). For generated feeds kept as folders.
absl::Status WriteDirectory(const std::string& dir,
                            const std::vector<std::pair<std::string, std::string>>& files);

// Reads a whole file into a string (kNotFound when it does not exist).
absl::StatusOr<std::string> ReadFileToString(const std::string& path);
absl::Status WriteStringToFile(const std::string& path, absl::string_view data);

}  // namespace carvematch::transit

#endif  // CARVEMATCH_TRANSIT_ZIP_READER_H_
