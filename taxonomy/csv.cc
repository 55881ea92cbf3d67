#include "taxonomy/csv.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace carvematch {
namespace {

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

CsvReader::CsvReader(std::string_view text, std::string file_name)
    : text_(text), file_name_(std::move(file_name)) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text_.substr(0, kBom.size()) == kBom) pos_ = kBom.size();
}

absl::Status CsvReader::RecordError(std::string_view message) const {
  return absl::InvalidArgumentError(
      absl::StrCat(file_name_, ":", record_line_, ": ", AbslView(message)));
}

absl::StatusOr<bool> CsvReader::ParseRecord() {
  fields_.clear();
  // Skip empty lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n')) break;
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  std::string field;
  while (true) {
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      int quote_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat(file_name_, ":", quote_line, ": quoted field ", fields_.size() + 1,
                           " is not terminated before the end of the file"));
        }
        char c = text_[pos_++];
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
          } else {
            break;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(c);
        }
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
          !(text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) {
        return absl::InvalidArgumentError(
            absl::StrCat(file_name_, ":", line_, ": field ", fields_.size() + 1,
                         ": unexpected character after a closing quote"));
      }
    } else {
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') {
        if (text_[pos_] == '"') {
          return absl::InvalidArgumentError(absl::StrCat(
              file_name_, ":", line_, ": field ", fields_.size() + 1,
              ": quote inside an unquoted field (quote the field and double the quote)"));
        }
        ++pos_;
      }
      size_t end = pos_;
      if (end > start && text_[end - 1] == '\r' && (pos_ >= text_.size() || text_[pos_] == '\n')) {
        --end;  // CRLF line end
      }
      field.assign(text_.data() + start, end - start);
    }
    fields_.push_back(field);
    if (pos_ >= text_.size()) break;
    if (text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (text_[pos_] == '\r') ++pos_;
    // text_[pos_] is '\n'.
    ++pos_;
    ++line_;
    break;
  }
  return true;
}

absl::Status CsvReader::ReadHeader() {
  absl::StatusOr<bool> read = ParseRecord();
  if (!read.ok()) return read.status();
  if (!*read) {
    return absl::InvalidArgumentError(absl::StrCat(file_name_, ":1: empty file, no header"));
  }
  header_ = std::move(fields_);
  fields_.clear();
  return absl::OkStatus();
}

int CsvReader::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<int> CsvReader::RequireColumn(std::string_view name) const {
  int index = ColumnIndex(name);
  if (index < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name_, ": missing column ", AbslView(name)));
  }
  return index;
}

absl::StatusOr<bool> CsvReader::Next() {
  absl::StatusOr<bool> read = ParseRecord();
  if (!read.ok() || !*read) return read;
  if (fields_.size() != header_.size()) {
    return RecordError(
        absl::StrCat("record has ", fields_.size(), " fields, the header has ", header_.size()));
  }
  return true;
}

absl::StatusOr<CsvTable> ParseCsv(std::string_view text, const std::string& file_name) {
  CsvReader reader(text, file_name);
  absl::Status header = reader.ReadHeader();
  if (!header.ok()) return header;
  CsvTable table;
  table.header = reader.header();
  while (true) {
    absl::StatusOr<bool> more = reader.Next();
    if (!more.ok()) return more.status();
    if (!*more) break;
    table.rows.push_back(reader.fields());
  }
  return table;
}

}  // namespace carvematch
