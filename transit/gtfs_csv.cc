#include "transit/gtfs_csv.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace carvematch::transit {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

absl::string_view Trim(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Values are quoted in messages, cut when long.
std::string Quoted(absl::string_view v) {
  if (v.size() > 40) return absl::StrCat("'", v.substr(0, 40), "...'");
  return absl::StrCat("'", v, "'");
}

}  // namespace

bool ParseGtfsTime(absl::string_view text, Seconds* out) {
  text = Trim(text);
  const size_t c1 = text.find(':');
  if (c1 == absl::string_view::npos || c1 == 0 || c1 > 3) return false;
  if (text.size() != c1 + 6 || text[c1 + 3] != ':') return false;
  int h = 0;
  for (size_t i = 0; i < c1; ++i) {
    if (!IsDigit(text[i])) return false;
    h = h * 10 + (text[i] - '0');
  }
  const char m1 = text[c1 + 1], m2 = text[c1 + 2], s1 = text[c1 + 4], s2 = text[c1 + 5];
  if (!IsDigit(m1) || !IsDigit(m2) || !IsDigit(s1) || !IsDigit(s2)) return false;
  const int m = (m1 - '0') * 10 + (m2 - '0');
  const int s = (s1 - '0') * 10 + (s2 - '0');
  if (m > 59 || s > 59) return false;
  *out = h * 3600 + m * 60 + s;
  return true;
}

bool ParseGtfsDate(absl::string_view text, Day* out) {
  text = Trim(text);
  if (text.size() != 8) return false;
  int v[8];
  for (int i = 0; i < 8; ++i) {
    if (!IsDigit(text[i])) return false;
    v[i] = text[i] - '0';
  }
  const int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  const int m = v[4] * 10 + v[5];
  const int d = v[6] * 10 + v[7];
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const Day day = DayFromCivil(y, m, d);
  int yy, mm, dd;
  CivilFromDay(day, &yy, &mm, &dd);
  if (yy != y || mm != m || dd != d) return false;  // 20260231
  *out = day;
  return true;
}

std::string FormatGtfsTime(Seconds t) {
  char buf[32];
  const long long a = t < 0 ? -static_cast<long long>(t) : t;
  std::snprintf(buf, sizeof(buf), "%s%02lld:%02lld:%02lld", t < 0 ? "-" : "", a / 3600, a / 60 % 60,
                a % 60);
  return buf;
}

CsvReader::CsvReader(std::string file, absl::string_view content)
    : file_(std::move(file)), content_(content) {}

std::string CsvReader::Where() const { return absl::StrCat(file_, ":", record_line_); }

absl::Status CsvReader::FieldError(absl::string_view field, absl::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat(Where(), ": field ", field, ": ", what));
}

absl::StatusOr<bool> CsvReader::ParseRecord() {
  num_fields_ = 0;
  // Skip blank lines.
  while (pos_ < content_.size() && (content_[pos_] == '\n' || content_[pos_] == '\r')) {
    if (content_[pos_] == '\n') ++next_line_;
    ++pos_;
  }
  if (pos_ >= content_.size()) return false;
  record_line_ = next_line_;
  auto next_field = [this]() -> std::string& {
    if (num_fields_ == fields_.size()) fields_.emplace_back();
    std::string& f = fields_[num_fields_++];
    f.clear();
    return f;
  };
  while (true) {
    std::string& field = next_field();
    // Leading spaces before a quote are allowed.
    size_t p = pos_;
    while (p < content_.size() && content_[p] == ' ') ++p;
    if (p < content_.size() && content_[p] == '"') {
      pos_ = p + 1;
      while (true) {
        if (pos_ >= content_.size()) {
          return absl::InvalidArgumentError(absl::StrCat(
              file_, ":", record_line_, ": field ",
              num_fields_ <= header_.size() && num_fields_ > 0 ? header_[num_fields_ - 1]
                                                               : std::to_string(num_fields_),
              ": unterminated quoted value"));
        }
        const char c = content_[pos_];
        if (c == '"') {
          if (pos_ + 1 < content_.size() && content_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n') ++next_line_;
        field.push_back(c);
        ++pos_;
      }
      // Anything up to the separator after the closing quote (spaces) is dropped.
      while (pos_ < content_.size() && content_[pos_] != ',' && content_[pos_] != '\n' &&
             content_[pos_] != '\r') {
        ++pos_;
      }
    } else {
      const size_t start = pos_;
      while (pos_ < content_.size() && content_[pos_] != ',' && content_[pos_] != '\n' &&
             content_[pos_] != '\r') {
        ++pos_;
      }
      const absl::string_view v = Trim(content_.substr(start, pos_ - start));
      field.assign(v.data(), v.size());
    }
    if (pos_ >= content_.size()) break;
    if (content_[pos_] == ',') {
      ++pos_;
      continue;
    }
    // End of line: \r\n, \n or a lone \r.
    if (content_[pos_] == '\r') ++pos_;
    if (pos_ < content_.size() && content_[pos_] == '\n') ++pos_;
    ++next_line_;
    break;
  }
  return true;
}

absl::Status CsvReader::ReadHeader() {
  if (content_.size() >= 3 && content_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  absl::StatusOr<bool> got = ParseRecord();
  if (!got.ok()) return got.status();
  if (!*got) return absl::InvalidArgumentError(absl::StrCat(file_, ":1: empty file, no header"));
  header_.assign(fields_.begin(), fields_.begin() + static_cast<ptrdiff_t>(num_fields_));
  for (std::string& h : header_) {
    // Some feeds carry a BOM or quotes differently per column name; names are trimmed.
    const absl::string_view t = Trim(h);
    h = std::string(t);
  }
  return absl::OkStatus();
}

int CsvReader::Column(absl::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<int> CsvReader::RequiredColumn(absl::string_view name) const {
  const int c = Column(name);
  if (c < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ":1: field ", name, ": required column is missing from the header"));
  }
  return c;
}

absl::StatusOr<bool> CsvReader::Next() { return ParseRecord(); }

absl::string_view CsvReader::Field(int column) const {
  if (column < 0 || static_cast<size_t>(column) >= num_fields_) return {};
  return fields_[column];
}

absl::StatusOr<std::string> CsvReader::RequiredString(int column, absl::string_view field) const {
  const absl::string_view v = Field(column);
  if (v.empty()) return FieldError(field, "required value is empty");
  return std::string(v);
}

absl::StatusOr<std::optional<double>> CsvReader::Double(int column, absl::string_view field) const {
  const absl::string_view v = Field(column);
  if (v.empty()) return std::optional<double>();
  double d = 0;
  if (!absl::SimpleAtod(v, &d) || !std::isfinite(d)) {
    return FieldError(field, absl::StrCat(Quoted(v), " is not a number"));
  }
  return std::optional<double>(d);
}

absl::StatusOr<double> CsvReader::RequiredDouble(int column, absl::string_view field) const {
  absl::StatusOr<std::optional<double>> d = Double(column, field);
  if (!d.ok()) return d.status();
  if (!d->has_value()) return FieldError(field, "required value is empty");
  return **d;
}

absl::StatusOr<std::optional<int64_t>> CsvReader::Int(int column, absl::string_view field) const {
  const absl::string_view v = Field(column);
  if (v.empty()) return std::optional<int64_t>();
  int64_t i = 0;
  if (!absl::SimpleAtoi(v, &i)) {
    return FieldError(field, absl::StrCat(Quoted(v), " is not an integer"));
  }
  return std::optional<int64_t>(i);
}

absl::StatusOr<int64_t> CsvReader::RequiredInt(int column, absl::string_view field) const {
  absl::StatusOr<std::optional<int64_t>> i = Int(column, field);
  if (!i.ok()) return i.status();
  if (!i->has_value()) return FieldError(field, "required value is empty");
  return **i;
}

absl::StatusOr<std::optional<Seconds>> CsvReader::Time(int column, absl::string_view field) const {
  const absl::string_view v = Field(column);
  if (v.empty()) return std::optional<Seconds>();
  Seconds s = 0;
  if (!ParseGtfsTime(v, &s)) {
    return FieldError(field, absl::StrCat(Quoted(v), " is not a time HH:MM:SS"));
  }
  return std::optional<Seconds>(s);
}

absl::StatusOr<Seconds> CsvReader::RequiredTime(int column, absl::string_view field) const {
  absl::StatusOr<std::optional<Seconds>> t = Time(column, field);
  if (!t.ok()) return t.status();
  if (!t->has_value()) return FieldError(field, "required value is empty");
  return **t;
}

absl::StatusOr<Day> CsvReader::RequiredDate(int column, absl::string_view field) const {
  const absl::string_view v = Field(column);
  if (v.empty()) return FieldError(field, "required value is empty");
  Day d = 0;
  if (!ParseGtfsDate(v, &d)) {
    return FieldError(field, absl::StrCat(Quoted(v), " is not a date YYYYMMDD"));
  }
  return d;
}

}  // namespace carvematch::transit
