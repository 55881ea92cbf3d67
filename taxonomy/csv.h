// An RFC 4180 CSV reader over text in memory: comma-separated fields, fields in double
// quotes may hold commas, line breaks and doubled quotes (""), records end with LF or
// CRLF. The first record is the header; columns are looked up by name. A UTF-8 byte
// order mark before the header is skipped, and so are empty lines between records.
//
// Example usage:
//   CsvReader reader(text, "skills_en.csv");
//   RETURN_IF_ERROR(reader.ReadHeader());
//   ASSIGN_OR_RETURN(int uri, reader.RequireColumn("conceptUri"));
//   while (true) {
//     ASSIGN_OR_RETURN(bool more, reader.Next());
//     if (!more) break;
//     Use(reader.field(uri));
//   }
#ifndef CARVEMATCH_TAXONOMY_CSV_H_
#define CARVEMATCH_TAXONOMY_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace carvematch {

class CsvReader {
 public:
  // `text` must outlive the reader; `file_name` is used in error messages.
  CsvReader(std::string_view text, std::string file_name);

  // Reads the header record. InvalidArgument "<file>:<line>: ..." when the input is empty
  // or malformed.
  absl::Status ReadHeader();
  const std::vector<std::string>& header() const { return header_; }
  // Index of the first column named `name`, or -1.
  int ColumnIndex(std::string_view name) const;
  // Like ColumnIndex, but InvalidArgument "<file>: missing column <name>" when absent.
  absl::StatusOr<int> RequireColumn(std::string_view name) const;

  // Reads the next record: true when one was read, false at the end of the input.
  // InvalidArgument "<file>:<line>: ..." for an unterminated quoted field, a character
  // after a closing quote, a quote inside an unquoted field, or a record whose field
  // count differs from the header's.
  absl::StatusOr<bool> Next();
  // The fields of the current record (one per header column).
  const std::vector<std::string>& fields() const { return fields_; }
  const std::string& field(int column) const { return fields_[static_cast<size_t>(column)]; }
  // 1-based line on which the current record starts.
  int line() const { return record_line_; }
  const std::string& file_name() const { return file_name_; }

  // "<file>:<line>: <message>" for the current record, as an InvalidArgument status.
  absl::Status RecordError(std::string_view message) const;

 private:
  // Parses one record into fields_; false at the end of input.
  absl::StatusOr<bool> ParseRecord();

  std::string_view text_;
  std::string file_name_;
  size_t pos_ = 0;
  int line_ = 1;  // line of text_[pos_]
  int record_line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string> fields_;
};

// Parses a whole CSV text into its header and records (a convenience for small files and
// tests).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
absl::StatusOr<CsvTable> ParseCsv(std::string_view text, const std::string& file_name);

}  // namespace carvematch

#endif  // CARVEMATCH_TAXONOMY_CSV_H_
