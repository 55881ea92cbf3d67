#include "taxonomy/zip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace carvematch {
namespace {

constexpr uint32_t kEndOfCentralDirSignature = 0x06054b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr size_t kEndOfCentralDirSize = 22;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kMaxCommentSize = 0xFFFF;

uint16_t Read16(const std::string& data, size_t pos) {
  return static_cast<uint16_t>(static_cast<unsigned char>(data[pos]) |
                               static_cast<unsigned char>(data[pos + 1]) << 8);
}

uint32_t Read32(const std::string& data, size_t pos) {
  return static_cast<uint32_t>(Read16(data, pos)) | static_cast<uint32_t>(Read16(data, pos + 2))
                                                        << 16;
}

absl::Status Corrupt(const std::string& path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      path, ": not a valid zip archive: ", absl::string_view(what.data(), what.size())));
}

}  // namespace

absl::StatusOr<ZipReader> ZipReader::Open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open zip archive"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::NotFoundError(absl::StrCat(path, ": cannot read zip archive"));
  std::string data = std::move(buffer).str();

  // The end-of-central-directory record sits at the end, followed by a comment of at
  // most 64 KiB; search backwards for its signature.
  if (data.size() < kEndOfCentralDirSize) return Corrupt(path, "file too short");
  size_t lowest = data.size() > kEndOfCentralDirSize + kMaxCommentSize
                      ? data.size() - kEndOfCentralDirSize - kMaxCommentSize
                      : 0;
  size_t eocd = std::string::npos;
  for (size_t pos = data.size() - kEndOfCentralDirSize + 1; pos-- > lowest;) {
    if (Read32(data, pos) == kEndOfCentralDirSignature &&
        pos + kEndOfCentralDirSize + Read16(data, pos + 20) == data.size()) {
      eocd = pos;
      break;
    }
  }
  if (eocd == std::string::npos) return Corrupt(path, "no end of central directory record");
  uint16_t disk = Read16(data, eocd + 4);
  uint16_t cd_disk = Read16(data, eocd + 6);
  uint16_t count_on_disk = Read16(data, eocd + 8);
  uint16_t count = Read16(data, eocd + 10);
  uint32_t cd_size = Read32(data, eocd + 12);
  uint32_t cd_offset = Read32(data, eocd + 16);
  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ZIP64 archives are not supported"));
  }
  if (disk != 0 || cd_disk != 0 || count_on_disk != count) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": multi-disk zip archives are not supported"));
  }
  if (static_cast<uint64_t>(cd_offset) + cd_size > eocd) {
    return Corrupt(path, "central directory outside the file");
  }

  std::vector<Entry> entries;
  entries.reserve(count);
  size_t pos = cd_offset;
  for (uint16_t i = 0; i < count; ++i) {
    if (pos + kCentralHeaderSize > eocd || Read32(data, pos) != kCentralHeaderSignature) {
      return Corrupt(path, absl::StrCat("bad central directory header ", i));
    }
    uint16_t flags = Read16(data, pos + 8);
    Entry entry;
    entry.method = Read16(data, pos + 10);
    entry.crc32 = Read32(data, pos + 16);
    entry.compressed_size = Read32(data, pos + 20);
    entry.uncompressed_size = Read32(data, pos + 24);
    uint16_t name_length = Read16(data, pos + 28);
    uint16_t extra_length = Read16(data, pos + 30);
    uint16_t comment_length = Read16(data, pos + 32);
    entry.local_header_offset = Read32(data, pos + 42);
    size_t next = pos + kCentralHeaderSize + name_length + extra_length + comment_length;
    if (next > eocd)
      return Corrupt(path, absl::StrCat("central directory entry ", i, " truncated"));
    entry.name = data.substr(pos + kCentralHeaderSize, name_length);
    if (flags & 0x1) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": entry ", entry.name, " is encrypted, which is not supported"));
    }
    if (entry.compressed_size == 0xFFFFFFFF || entry.uncompressed_size == 0xFFFFFFFF ||
        entry.local_header_offset == 0xFFFFFFFF) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": entry ", entry.name, " needs ZIP64, which is not supported"));
    }
    entries.push_back(std::move(entry));
    pos = next;
  }
  return ZipReader(path, std::move(data), std::move(entries));
}

const ZipReader::Entry* ZipReader::Find(std::string_view name) const {
  for (const Entry& entry : entries_) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

const ZipReader::Entry* ZipReader::FindByBaseName(std::string_view base_name) const {
  for (const Entry& entry : entries_) {
    std::string_view name = entry.name;
    size_t slash = name.rfind('/');
    if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
    if (name == base_name) return &entry;
  }
  return nullptr;
}

absl::StatusOr<std::string> ZipReader::Read(const Entry& entry) const {
  auto error = [&](std::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(path_, ": entry ", entry.name, ": ",
                                                   absl::string_view(what.data(), what.size())));
  };
  size_t pos = entry.local_header_offset;
  if (pos + kLocalHeaderSize > data_.size() || Read32(data_, pos) != kLocalHeaderSignature) {
    return error("bad local header");
  }
  size_t start = pos + kLocalHeaderSize + Read16(data_, pos + 26) + Read16(data_, pos + 28);
  if (start > data_.size() || entry.compressed_size > data_.size() - start) {
    return error("data runs past the end of the archive");
  }
  const char* compressed = data_.data() + start;

  std::string out;
  if (entry.method == 0) {
    if (entry.compressed_size != entry.uncompressed_size) {
      return error("stored entry with different compressed and uncompressed sizes");
    }
    out.assign(compressed, entry.compressed_size);
  } else if (entry.method == 8) {
    out.resize(entry.uncompressed_size);
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return error("inflateInit2 failed");
    // Sizes are below 4 GiB (no ZIP64), so they fit zlib's uInt.
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed));
    stream.avail_in = static_cast<uInt>(entry.compressed_size);
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&stream, Z_FINISH);
    uint64_t produced = stream.total_out;
    inflateEnd(&stream);
    if (rc != Z_STREAM_END) {
      return error(rc == Z_BUF_ERROR ? "inflated data larger than the recorded size"
                                     : "corrupt deflate data");
    }
    if (produced != entry.uncompressed_size)
      return error("inflated size differs from the recorded size");
  } else {
    return error(absl::StrCat("unsupported compression method ", entry.method,
                              " (only stored and deflate are supported)"));
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  size_t done = 0;
  while (done < out.size()) {
    size_t chunk = std::min<size_t>(out.size() - done, UINT_MAX);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + done), static_cast<uInt>(chunk));
    done += chunk;
  }
  if (static_cast<uint32_t>(crc) != entry.crc32) return error("CRC-32 mismatch");
  return out;
}

}  // namespace carvematch
