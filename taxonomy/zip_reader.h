// A small reader for .zip archives: lists the entries of the central directory and
// inflates one entry at a time (stored or deflate, the two methods the ESCO downloads
// and Python's zipfile use). ZIP64 archives, encryption and multi-disk archives are
// rejected with InvalidArgument.
//
// Example usage:
//   ASSIGN_OR_RETURN(ZipReader zip, ZipReader::Open("data/esco/esco-v1.1.1-extract.zip"));
//   const ZipReader::Entry* entry = zip.FindByBaseName("skills_en.csv");
//   ASSIGN_OR_RETURN(std::string csv, zip.Read(*entry));
#ifndef CARVEMATCH_TAXONOMY_ZIP_READER_H_
#define CARVEMATCH_TAXONOMY_ZIP_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carvematch {

class ZipReader {
 public:
  struct Entry {
    std::string name;     // full path inside the archive ("folder/skills_en.csv")
    uint16_t method = 0;  // 0 = stored, 8 = deflate
    uint32_t crc32 = 0;
    uint64_t compressed_size = 0;
    uint64_t uncompressed_size = 0;
    uint64_t local_header_offset = 0;
  };

  // Reads the archive into memory and parses its central directory.
  // Errors: NotFound when the file does not exist or cannot be read, InvalidArgument
  // (naming the file) when it is not a zip archive or uses an unsupported feature.
  static absl::StatusOr<ZipReader> Open(const std::string& path);

  ZipReader(ZipReader&&) = default;
  ZipReader& operator=(ZipReader&&) = default;
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  const std::string& path() const { return path_; }
  // Entries in central-directory order (directories included, with names ending in '/').
  const std::vector<Entry>& entries() const { return entries_; }
  // The entry with exactly this name, or nullptr.
  const Entry* Find(std::string_view name) const;
  // The first entry whose name after the last '/' equals `base_name` (so a folder prefix
  // inside the archive does not matter), or nullptr.
  const Entry* FindByBaseName(std::string_view base_name) const;

  // The uncompressed bytes of `entry`, checked against its size and CRC-32.
  // Errors: InvalidArgument naming the archive and entry for corrupt or unsupported data.
  absl::StatusOr<std::string> Read(const Entry& entry) const;

 private:
  ZipReader(std::string path, std::string data, std::vector<Entry> entries)
      : path_(std::move(path)), data_(std::move(data)), entries_(std::move(entries)) {}

  std::string path_;
  std::string data_;  // the whole archive
  std::vector<Entry> entries_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_TAXONOMY_ZIP_READER_H_
