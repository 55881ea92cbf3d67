// Reading and writing .zip archives: the ESCO release zips (taxonomy/esco.cc) and GTFS
// feeds (transit/feed_source.h, transit/feed_generator.cc) both go through this one
// implementation.
//
// The reader reads the whole archive into memory, walks the central directory and
// inflates one entry on request with zlib's raw inflate, checking its size and CRC-32.
// Only stored (0) and deflate (8) entries are read, as Python's zipfile and the ESCO
// downloads write them. The writer is deterministic (fixed 1980-01-01 timestamps).
//
// Error convention, for every function here:
//   kNotFound         the archive file does not exist (Open).
//   kPermissionDenied the archive exists but cannot be opened (Open); a file that cannot
//                     be created (ZipWriter::WriteTo; a failed write there is kDataLoss).
//   kInvalidArgument  a damaged archive: not a zip, truncated, a bad header, a broken
//                     deflate stream, sizes that disagree. The message names the archive
//                     and, when one is involved, the entry ("feed.zip: stops.txt: ...").
//   kUnimplemented    a valid archive using what this reader does not support: ZIP64
//                     (over 65535 entries or 4 GiB), encryption, multi-disk archives,
//                     compression methods other than stored and deflate.
//   kDataLoss         an entry whose content does not match its CRC-32.
//
// Example usage:
//   ASSIGN_OR_RETURN(ZipReader zip, ZipReader::Open("data/esco/esco-v1.1.1-extract.zip"));
//   const ZipEntry* entry = zip.FindByBaseName("skills_en.csv");
//   if (entry == nullptr) return absl::NotFoundError("skills_en.csv");
//   ASSIGN_OR_RETURN(std::string csv, zip.Read(*entry));
//
//   ZipWriter w;
//   w.Add("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n...");
//   RETURN_IF_ERROR(w.WriteTo("/tmp/feed.zip"));
#ifndef CARVEMATCH_ARCHIVE_ZIP_H_
#define CARVEMATCH_ARCHIVE_ZIP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace carvematch {

// CRC-32 (ISO-HDLC, as zip and gzip use it) of `data`.
uint32_t Crc32(absl::string_view data);

struct ZipEntry {
  std::string name;     // full path inside the archive, '/' separated ("feed/stops.txt")
  uint16_t method = 0;  // 0 = stored, 8 = deflate
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint64_t local_header_offset = 0;

  // Directory entries have names ending in '/'.
  bool is_directory() const { return !name.empty() && name.back() == '/'; }
};

class ZipReader {
 public:
  using Entry = ZipEntry;

  // Reads the archive at `path` into memory and parses its central directory.
  static absl::StatusOr<ZipReader> Open(const std::string& path);
  // An archive held in memory; `label` names it in errors and is returned by path().
  static absl::StatusOr<ZipReader> FromBytes(std::string bytes, std::string label);

  ZipReader(ZipReader&&) = default;
  ZipReader& operator=(ZipReader&&) = default;
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // The path given to Open, or the label given to FromBytes.
  const std::string& path() const { return path_; }
  // Entries in central-directory order, directory entries included.
  const std::vector<ZipEntry>& entries() const { return entries_; }
  // The entry with exactly this name, or nullptr.
  const ZipEntry* Find(absl::string_view name) const;
  // The only file entry whose name after the last '/' equals `base_name`, so that a
  // folder prefix inside the archive does not matter ("feed/stops.txt" for "stops.txt").
  // Directory entries and macOS "__MACOSX/" resource copies are ignored. nullptr when
  // there is no such entry or more than one.
  const ZipEntry* FindByBaseName(absl::string_view base_name) const;

  // The uncompressed content of `entry` (one of entries()), checked against its recorded
  // size and CRC-32.
  absl::StatusOr<std::string> Read(const ZipEntry& entry) const;

 private:
  ZipReader(std::string path, std::string bytes)
      : path_(std::move(path)), bytes_(std::move(bytes)) {}
  absl::Status ParseDirectory();

  std::string path_;
  std::string bytes_;  // the whole archive
  std::vector<ZipEntry> entries_;
};

class ZipWriter {
 public:
  enum class Method { kStored, kDeflate };

  // Entries are written in the order added. A name added twice makes Finish fail with
  // kInvalidArgument; an entry of 4 GiB or more, or over 65534 entries, with
  // kUnimplemented (no ZIP64).
  void Add(std::string name, absl::string_view data, Method method = Method::kDeflate);
  // The archive's bytes (entries, central directory, end record). Deterministic: the
  // same entries always give the same bytes.
  absl::StatusOr<std::string> Finish() const;
  // Finish() written to `path` (kPermissionDenied when it cannot be created, kDataLoss
  // when writing fails).
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

}  // namespace carvematch

#endif  // CARVEMATCH_ARCHIVE_ZIP_H_
