// Reading the CSV files of a GTFS feed: RFC 4180 (quoted fields with "" escapes and
// line breaks), a UTF-8 byte order mark, CRLF or LF line ends, columns found by header
// name (unknown columns are ignored, unquoted fields trimmed of spaces, blank lines
// skipped). Every error names the file, the line and the field, e.g.
//   stop_times.txt:1234: field departure_time: '25:6x:00' is not a time HH:MM:SS
//
// Example usage:
//   CsvReader csv("stops.txt", content);
//   RETURN_IF_ERROR(csv.ReadHeader());
//   ASSIGN_OR_RETURN(int id_col, csv.RequiredColumn("stop_id"));
//   while (true) {
//     ASSIGN_OR_RETURN(bool more, csv.Next());
//     if (!more) break;
//     ASSIGN_OR_RETURN(double lat, csv.Double(lat_col, "stop_lat"));
//   }
#ifndef CARVEMATCH_TRANSIT_GTFS_CSV_H_
#define CARVEMATCH_TRANSIT_GTFS_CSV_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transit/timetable.h"

namespace carvematch::transit {

// "H:MM:SS" or "HH:MM:SS" (hours may pass 24) to seconds; false when malformed.
bool ParseGtfsTime(absl::string_view text, Seconds* out);
// "YYYYMMDD" to a day number; false when malformed or not a real date.
bool ParseGtfsDate(absl::string_view text, Day* out);
// "HH:MM:SS" (hours may pass 24) for messages.
std::string FormatGtfsTime(Seconds t);

class CsvReader {
 public:
  // `content` must outlive the reader; `file` names it in errors ("stops.txt").
  CsvReader(std::string file, absl::string_view content);

  // Reads the header line (after an optional BOM). An empty file is an error.
  absl::Status ReadHeader();
  // The column called `name`, or -1.
  int Column(absl::string_view name) const;
  // The column called `name`; an error naming the file (line 1) when it is missing.
  absl::StatusOr<int> RequiredColumn(absl::string_view name) const;

  // Advances to the next record; false at the end. An unterminated quote is an error.
  absl::StatusOr<bool> Next();
  // The line on which the current record starts (the header is line 1).
  int line() const { return record_line_; }
  const std::string& file() const { return file_; }

  // The current record's field in `column` ("" when the column is absent or the
  // record is short).
  absl::string_view Field(int column) const;
  // Typed fields: an empty value is an error for the Required ones, nullopt for the
  // others; a malformed value is always an error naming file, line and `field`.
  absl::StatusOr<std::string> RequiredString(int column, absl::string_view field) const;
  absl::StatusOr<double> RequiredDouble(int column, absl::string_view field) const;
  absl::StatusOr<std::optional<double>> Double(int column, absl::string_view field) const;
  absl::StatusOr<std::optional<int64_t>> Int(int column, absl::string_view field) const;
  absl::StatusOr<int64_t> RequiredInt(int column, absl::string_view field) const;
  absl::StatusOr<std::optional<Seconds>> Time(int column, absl::string_view field) const;
  absl::StatusOr<Seconds> RequiredTime(int column, absl::string_view field) const;
  absl::StatusOr<Day> RequiredDate(int column, absl::string_view field) const;

  // InvalidArgument "<file>:<line>: field <field>: <what>".
  absl::Status FieldError(absl::string_view field, absl::string_view what) const;
  // "<file>:<line>" of the current record.
  std::string Where() const;

 private:
  // Parses one record starting at pos_ into fields_; false at the end of input.
  absl::StatusOr<bool> ParseRecord();

  std::string file_;
  absl::string_view content_;
  size_t pos_ = 0;
  int next_line_ = 1;
  int record_line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
  size_t num_fields_ = 0;
};

}  // namespace carvematch::transit

#endif  // CARVEMATCH_TRANSIT_GTFS_CSV_H_
