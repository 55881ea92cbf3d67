#include "archive/zip.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"

namespace carvematch {
namespace {

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr size_t kEndRecordSize = 22;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kMaxCommentSize = 0xffff;

uint16_t Get16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) |
                               (static_cast<uint8_t>(b[at + 1]) << 8));
}
uint32_t Get32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(Get16(b, at)) | (static_cast<uint32_t>(Get16(b, at + 2)) << 16);
}
void Put16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xff));
  out->push_back(static_cast<char>(v >> 8));
}
void Put32(std::string* out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v & 0xffff));
  Put16(out, static_cast<uint16_t>(v >> 16));
}

absl::string_view BaseName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

}  // namespace

uint32_t Crc32(absl::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes a uInt length: feed large inputs in pieces.
  while (!data.empty()) {
    const size_t n = std::min<size_t>(data.size(), 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(n));
    data.remove_prefix(n);
  }
  return static_cast<uint32_t>(crc);
}

// ---------------------------------------------------------------------------------------
// Reader.

absl::StatusOr<ZipReader> ZipReader::Open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such zip archive"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot open zip archive: ", std::strerror(errno)));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot read zip archive"));
  }
  return FromBytes(std::move(bytes), path);
}

absl::StatusOr<ZipReader> ZipReader::FromBytes(std::string bytes, std::string label) {
  ZipReader r(std::move(label), std::move(bytes));
  absl::Status status = r.ParseDirectory();
  if (!status.ok()) return status;
  return r;
}

absl::Status ZipReader::ParseDirectory() {
  const std::string& b = bytes_;
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(path_, ": not a valid zip archive: ", why));
  };
  if (b.size() < kEndRecordSize) return bad("too short for an end of central directory record");
  // The end record is at the end, followed by a comment of at most 65535 bytes.
  size_t end = std::string::npos;
  const size_t lowest = b.size() >= kEndRecordSize + kMaxCommentSize
                            ? b.size() - kEndRecordSize - kMaxCommentSize
                            : 0;
  for (size_t at = b.size() - kEndRecordSize + 1; at-- > lowest;) {
    if (Get32(b, at) == kEndSignature && at + kEndRecordSize + Get16(b, at + 20) == b.size()) {
      end = at;
      break;
    }
  }
  if (end == std::string::npos) return bad("no end of central directory record (truncated?)");
  const uint16_t disk = Get16(b, end + 4);
  const uint16_t cd_disk = Get16(b, end + 6);
  const uint16_t count_here = Get16(b, end + 8);
  const uint16_t count = Get16(b, end + 10);
  const uint32_t cd_size = Get32(b, end + 12);
  const uint32_t cd_offset = Get32(b, end + 16);
  const bool zip64_locator =
      end >= kZip64LocatorSize && Get32(b, end - kZip64LocatorSize) == kZip64LocatorSignature;
  if (zip64_locator || count == 0xffff || cd_size == 0xffffffffu || cd_offset == 0xffffffffu) {
    return absl::UnimplementedError(
        absl::StrCat(path_,
                     ": ZIP64 archives (over 65535 entries or 4 GiB) are not supported; "
                     "repack it as a plain zip or unpack it into a directory"));
  }
  if (disk != 0 || cd_disk != 0 || count_here != count) {
    return absl::UnimplementedError(
        absl::StrCat(path_, ": multi-disk zip archives are not supported"));
  }
  if (static_cast<uint64_t>(cd_offset) + cd_size > end) {
    return bad("central directory lies outside the archive (truncated?)");
  }
  size_t at = cd_offset;
  entries_.clear();
  entries_.reserve(count);
  for (uint16_t i = 0; i < count; ++i) {
    if (at + kCentralHeaderSize > end || Get32(b, at) != kCentralHeaderSignature) {
      return bad(absl::StrCat("central directory entry ", i, " is damaged"));
    }
    const uint16_t flags = Get16(b, at + 8);
    ZipEntry e;
    e.method = Get16(b, at + 10);
    e.crc32 = Get32(b, at + 16);
    e.compressed_size = Get32(b, at + 20);
    e.uncompressed_size = Get32(b, at + 24);
    const uint16_t name_len = Get16(b, at + 28);
    const uint16_t extra_len = Get16(b, at + 30);
    const uint16_t comment_len = Get16(b, at + 32);
    e.local_header_offset = Get32(b, at + 42);
    const size_t next = at + kCentralHeaderSize + name_len + extra_len + comment_len;
    if (next > end) return bad(absl::StrCat("central directory entry ", i, " is truncated"));
    e.name = b.substr(at + kCentralHeaderSize, name_len);
    if (flags & 1) {
      return absl::UnimplementedError(
          absl::StrCat(path_, ": ", e.name, ": encrypted entries are not supported"));
    }
    if (e.compressed_size == 0xffffffffu || e.uncompressed_size == 0xffffffffu ||
        e.local_header_offset == 0xffffffffu) {
      return absl::UnimplementedError(
          absl::StrCat(path_, ": ", e.name, ": entry needs ZIP64 (over 4 GiB), not supported"));
    }
    entries_.push_back(std::move(e));
    at = next;
  }
  return absl::OkStatus();
}

const ZipEntry* ZipReader::Find(absl::string_view name) const {
  for (const ZipEntry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

const ZipEntry* ZipReader::FindByBaseName(absl::string_view base_name) const {
  const ZipEntry* found = nullptr;
  for (const ZipEntry& e : entries_) {
    if (e.is_directory() || BaseName(e.name) != base_name) continue;
    if (e.name.rfind("__MACOSX/", 0) == 0 || e.name.find("/__MACOSX/") != std::string::npos) {
      continue;
    }
    if (found != nullptr) return nullptr;  // ambiguous
    found = &e;
  }
  return found;
}

absl::StatusOr<std::string> ZipReader::Read(const ZipEntry& e) const {
  const std::string& b = bytes_;
  const std::string where = absl::StrCat(path_, ": ", e.name);
  const uint64_t at = e.local_header_offset;
  if (at + kLocalHeaderSize > b.size() || Get32(b, at) != kLocalHeaderSignature) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": local header is damaged"));
  }
  const uint64_t data_at = at + kLocalHeaderSize + Get16(b, at + 26) + Get16(b, at + 28);
  if (data_at > b.size() || e.compressed_size > b.size() - data_at) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": compressed data runs past the end (truncated archive?)"));
  }
  std::string out;
  if (e.method == 0) {
    if (e.compressed_size != e.uncompressed_size) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": stored entry with different compressed and plain sizes"));
    }
    out = b.substr(data_at, e.compressed_size);
  } else if (e.method == 8) {
    // Sizes are below 4 GiB (ZIP64 is refused), so they fit zlib's uInt.
    out.resize(e.uncompressed_size);
    z_stream z;
    std::memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
      return absl::InternalError(absl::StrCat(where, ": zlib inflateInit2 failed"));
    }
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data() + data_at));
    z.avail_in = static_cast<uInt>(e.compressed_size);
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(e.uncompressed_size);
    // One spare byte of output tells "longer than declared" from "exactly as declared".
    char spare = 0;
    int rc = inflate(&z, Z_FINISH);
    if (rc == Z_BUF_ERROR && z.avail_out == 0) {
      z.next_out = reinterpret_cast<Bytef*>(&spare);
      z.avail_out = 1;
      rc = inflate(&z, Z_FINISH);
      if (z.avail_out == 0) rc = Z_BUF_ERROR;
    }
    const uLong produced = z.total_out;
    const char* msg = z.msg;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": deflate data is damaged (",
                       msg != nullptr ? msg : "inflated data does not fit the recorded size", ")"));
    }
    if (produced != e.uncompressed_size) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": inflated to ", produced, " bytes, the directory says ", e.uncompressed_size));
    }
  } else {
    return absl::UnimplementedError(absl::StrCat(where, ": compression method ", e.method,
                                                 " is not supported (only stored and deflate)"));
  }
  if (Crc32(out) != e.crc32) {
    return absl::DataLossError(absl::StrCat(where, ": CRC-32 mismatch (archive is corrupt)"));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Writer.

void ZipWriter::Add(std::string name, absl::string_view data, Method method) {
  if (!error_.ok()) return;
  for (const Pending& p : entries_) {
    if (p.name == name) {
      error_ = absl::InvalidArgumentError(absl::StrCat("zip entry '", name, "' added twice"));
      return;
    }
  }
  if (data.size() >= 0xffffffffu || entries_.size() >= 0xfffe || name.size() > 0xffff) {
    error_ = absl::UnimplementedError("zip writer: entry too large or too many (no ZIP64)");
    return;
  }
  Pending p;
  p.name = std::move(name);
  p.method = method;
  p.crc32 = Crc32(data);
  p.uncompressed_size = static_cast<uint32_t>(data.size());
  if (method == Method::kStored) {
    p.data = std::string(data);
  } else {
    z_stream z;
    std::memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      error_ = absl::InternalError("zlib deflateInit2 failed");
      return;
    }
    p.data.resize(deflateBound(&z, static_cast<uLong>(data.size())));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(p.data.data());
    z.avail_out = static_cast<uInt>(p.data.size());
    const int rc = deflate(&z, Z_FINISH);
    p.data.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
      error_ = absl::InternalError(absl::StrCat("zlib deflate failed for '", p.name, "'"));
      return;
    }
  }
  entries_.push_back(std::move(p));
}

absl::StatusOr<std::string> ZipWriter::Finish() const {
  if (!error_.ok()) return error_;
  constexpr uint16_t kDosTime = 0;                        // 00:00:00
  constexpr uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
  std::string out;
  std::vector<uint32_t> offsets;
  for (const Pending& p : entries_) {
    if (out.size() > 0xffffffffu - p.data.size() - 1024) {
      return absl::UnimplementedError("zip writer: archive over 4 GiB needs ZIP64");
    }
    offsets.push_back(static_cast<uint32_t>(out.size()));
    Put32(&out, kLocalHeaderSignature);
    Put16(&out, 20);  // version needed: 2.0
    Put16(&out, 0);   // flags
    Put16(&out, p.method == Method::kStored ? 0 : 8);
    Put16(&out, kDosTime);
    Put16(&out, kDosDate);
    Put32(&out, p.crc32);
    Put32(&out, static_cast<uint32_t>(p.data.size()));
    Put32(&out, p.uncompressed_size);
    Put16(&out, static_cast<uint16_t>(p.name.size()));
    Put16(&out, 0);
    out += p.name;
    out += p.data;
  }
  const uint32_t cd_offset = static_cast<uint32_t>(out.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Pending& p = entries_[i];
    Put32(&out, kCentralHeaderSignature);
    Put16(&out, 20);  // made by: MS-DOS, 2.0
    Put16(&out, 20);  // version needed: 2.0
    Put16(&out, 0);   // flags
    Put16(&out, p.method == Method::kStored ? 0 : 8);
    Put16(&out, kDosTime);
    Put16(&out, kDosDate);
    Put32(&out, p.crc32);
    Put32(&out, static_cast<uint32_t>(p.data.size()));
    Put32(&out, p.uncompressed_size);
    Put16(&out, static_cast<uint16_t>(p.name.size()));
    Put16(&out, 0);  // extra
    Put16(&out, 0);  // comment
    Put16(&out, 0);  // disk
    Put16(&out, 0);  // internal attributes
    Put32(&out, 0);  // external attributes
    Put32(&out, offsets[i]);
    out += p.name;
  }
  const uint32_t cd_size = static_cast<uint32_t>(out.size() - cd_offset);
  Put32(&out, kEndSignature);
  Put16(&out, 0);
  Put16(&out, 0);
  Put16(&out, static_cast<uint16_t>(entries_.size()));
  Put16(&out, static_cast<uint16_t>(entries_.size()));
  Put32(&out, cd_size);
  Put32(&out, cd_offset);
  Put16(&out, 0);  // comment length
  return out;
}

absl::Status ZipWriter::WriteTo(const std::string& path) const {
  absl::StatusOr<std::string> bytes = Finish();
  if (!bytes.ok()) return bytes.status();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot create: ", std::strerror(errno)));
  }
  out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat(path, ": write error"));
  return absl::OkStatus();
}

}  // namespace carvematch
