#include "taxonomy/csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTest, PlainFieldsAndHeader) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b,c\n1,2,3\n4,,6\n", "t.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->header, ElementsAre("a", "b", "c"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(table->rows[0], ElementsAre("1", "2", "3"));
  EXPECT_THAT(table->rows[1], ElementsAre("4", "", "6"));
}

TEST(CsvTest, QuotedFieldsWithCommasQuotesAndNewlines) {
  absl::StatusOr<CsvTable> table = ParseCsv(
      "uri,labels\nx,\"one, two\"\ny,\"say \"\"hi\"\"\"\nz,\"line 1\nline 2\"\n"
      "w,\"\"\n",
      "t.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows.size(), 4u);
  EXPECT_THAT(table->rows[0], ElementsAre("x", "one, two"));
  EXPECT_THAT(table->rows[1], ElementsAre("y", "say \"hi\""));
  EXPECT_THAT(table->rows[2], ElementsAre("z", "line 1\nline 2"));
  EXPECT_THAT(table->rows[3], ElementsAre("w", ""));
}

TEST(CsvTest, CrlfLineEndsBomAndMissingFinalNewline) {
  absl::StatusOr<CsvTable> table = ParseCsv("\xEF\xBB\xBFid,name\r\n1,\"a\r\nb\"\r\n2,c", "t.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->header, ElementsAre("id", "name"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(table->rows[0], ElementsAre("1", "a\r\nb"));
  EXPECT_THAT(table->rows[1], ElementsAre("2", "c"));
}

TEST(CsvTest, TrailingCommaIsAnEmptyLastField) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b\n1,\n", "t.csv");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->rows[0], ElementsAre("1", ""));
}

TEST(CsvTest, ReaderReportsRecordStartLinesAcrossQuotedNewlines) {
  CsvReader reader("id,text\n1,\"a\nb\nc\"\n\n2,d\n", "t.csv");
  ASSERT_TRUE(reader.ReadHeader().ok());
  EXPECT_EQ(reader.ColumnIndex("text"), 1);
  EXPECT_EQ(reader.ColumnIndex("nope"), -1);
  absl::StatusOr<bool> more = reader.Next();
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_EQ(reader.line(), 2);
  EXPECT_EQ(reader.field(1), "a\nb\nc");
  more = reader.Next();
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_EQ(reader.line(), 6);  // after the quoted newlines and one empty line
  EXPECT_EQ(reader.field(0), "2");
  more = reader.Next();
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
}

TEST(CsvTest, WrongFieldCountNamesFileAndLine) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b\n1,2\n\"x\ny\",2\n1,2,3\n", "skills.csv");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("skills.csv:5:"));
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("3 fields"));
}

TEST(CsvTest, UnterminatedQuoteNamesTheLineWhereItStarted) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b\n1,2\n3,\"open\nstill open\n", "f.csv");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("f.csv:3:"));
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("not terminated"));
}

TEST(CsvTest, TextAfterClosingQuoteIsAnError) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b\n1,\"x\"y\n", "f.csv");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("f.csv:2:"));
}

TEST(CsvTest, QuoteInsideUnquotedFieldIsAnError) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b\n1,2\n1,x\"y\n", "f.csv");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("f.csv:3:"));
}

TEST(CsvTest, EmptyInputHasNoHeader) {
  absl::StatusOr<CsvTable> table = ParseCsv("", "empty.csv");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(table.status().message()), HasSubstr("empty.csv"));
}

TEST(CsvTest, RequireColumnNamesFileAndColumn) {
  CsvReader reader("a,b\n", "occupations.csv");
  ASSERT_TRUE(reader.ReadHeader().ok());
  absl::StatusOr<int> b = reader.RequireColumn("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, 1);
  absl::StatusOr<int> missing = reader.RequireColumn("conceptUri");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("occupations.csv"));
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("conceptUri"));
}

}  // namespace
}  // namespace carvematch
