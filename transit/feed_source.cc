#include "transit/feed_source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch::transit {

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    }
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::string out;
  if (size > 0) {
    out.resize(static_cast<size_t>(size));
    in.read(out.data(), size);
    if (in.gcount() != size) return absl::DataLossError(absl::StrCat(path, ": read error"));
  }
  return out;
}

absl::Status WriteStringToFile(const std::string& path, absl::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot create: ", std::strerror(errno)));
  }
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat(path, ": write error"));
  return absl::OkStatus();
}

absl::StatusOr<FeedSource> FeedSource::Open(const std::string& path) {
  FeedSource f;
  f.path_ = path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return f;
  if (!std::filesystem::exists(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file or directory"));
  }
  ASSIGN_OR_RETURN(ZipReader zip, ZipReader::Open(path));
  f.zip_ = std::move(zip);
  return f;
}

const ZipEntry* FeedSource::FindInZip(const std::string& file) const {
  const ZipEntry* e = zip_->Find(file);
  return e != nullptr ? e : zip_->FindByBaseName(file);
}

bool FeedSource::Has(const std::string& file) const {
  if (zip_.has_value()) return FindInZip(file) != nullptr;
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(path_) / file, ec);
}

absl::StatusOr<std::string> FeedSource::Read(const std::string& file) const {
  if (zip_.has_value()) {
    const ZipEntry* e = FindInZip(file);
    if (e == nullptr) return absl::NotFoundError(absl::StrCat(path_, ": no ", file, " in feed"));
    return zip_->Read(*e);
  }
  if (!Has(file)) return absl::NotFoundError(absl::StrCat(path_, ": no ", file, " in feed"));
  return ReadFileToString((std::filesystem::path(path_) / file).string());
}

absl::Status WriteDirectory(const std::string& dir,
                            const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::PermissionDeniedError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  }
  absl::flat_hash_set<std::string> seen;
  for (const auto& [name, content] : files) {
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat("file '", name, "' given twice"));
    }
    RETURN_IF_ERROR(WriteStringToFile((std::filesystem::path(dir) / name).string(), content));
  }
  return absl::OkStatus();
}

}  // namespace carvematch::transit
