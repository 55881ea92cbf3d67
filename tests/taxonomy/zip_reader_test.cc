#include "taxonomy/zip_reader.h"

#include <fstream>
#include <iterator>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch {
namespace {

using ::testing::HasSubstr;

constexpr char kFixture[] = "tests/taxonomy/testdata/fixture.zip";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(ZipReaderTest, ListsEntriesInCentralDirectoryOrder) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open(kFixture);
  ASSERT_TRUE(zip.ok()) << zip.status();
  ASSERT_EQ(zip->entries().size(), 3u);
  EXPECT_EQ(zip->entries()[0].name, "fixture/stored.txt");
  EXPECT_EQ(zip->entries()[0].method, 0);
  EXPECT_EQ(zip->entries()[1].name, "fixture/deflated.csv");
  EXPECT_EQ(zip->entries()[1].method, 8);
  EXPECT_EQ(zip->entries()[1].uncompressed_size, 8388u);
  EXPECT_LT(zip->entries()[1].compressed_size, 8388u);
}

TEST(ZipReaderTest, ReadsStoredEntry) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open(kFixture);
  ASSERT_TRUE(zip.ok()) << zip.status();
  const ZipReader::Entry* entry = zip->Find("fixture/stored.txt");
  ASSERT_NE(entry, nullptr);
  absl::StatusOr<std::string> text = zip->Read(*entry);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "stored entry\n");
}

TEST(ZipReaderTest, InflatesDeflatedEntry) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open(kFixture);
  ASSERT_TRUE(zip.ok()) << zip.status();
  const ZipReader::Entry* entry = zip->FindByBaseName("deflated.csv");
  ASSERT_NE(entry, nullptr);
  absl::StatusOr<std::string> text = zip->Read(*entry);
  ASSERT_TRUE(text.ok()) << text.status();
  std::string expected = "id,name\n";
  for (int k = 0; k < 200; ++k) {
    expected +=
        std::to_string(k) + ",\"row " + std::to_string(k) + ", repeated text repeated text\"\n";
  }
  EXPECT_EQ(*text, expected);
}

TEST(ZipReaderTest, FindDistinguishesFullAndBaseNames) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open(kFixture);
  ASSERT_TRUE(zip.ok()) << zip.status();
  EXPECT_EQ(zip->Find("stored.txt"), nullptr);
  EXPECT_NE(zip->FindByBaseName("stored.txt"), nullptr);
  EXPECT_EQ(zip->FindByBaseName("missing.txt"), nullptr);
}

TEST(ZipReaderTest, MissingFileIsNotFound) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open("tests/taxonomy/testdata/no-such.zip");
  EXPECT_EQ(zip.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(zip.status().message()), HasSubstr("no-such.zip"));
}

TEST(ZipReaderTest, NonZipIsInvalidArgument) {
  std::string path = WriteTemp("not-a-zip.zip", "id,name\n1,a\nthis is no zip archive\n");
  absl::StatusOr<ZipReader> zip = ZipReader::Open(path);
  EXPECT_EQ(zip.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(zip.status().message()), HasSubstr("not-a-zip.zip"));
}

TEST(ZipReaderTest, CorruptStoredDataFailsTheCrcCheck) {
  std::string bytes = ReadFile(kFixture);
  size_t at = bytes.find("stored entry");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'S';
  absl::StatusOr<ZipReader> zip = ZipReader::Open(WriteTemp("corrupt.zip", bytes));
  ASSERT_TRUE(zip.ok()) << zip.status();
  absl::StatusOr<std::string> text = zip->Read(*zip->Find("fixture/stored.txt"));
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("CRC"));
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("fixture/stored.txt"));
}

TEST(ZipReaderTest, CorruptDeflateDataIsInvalidArgument) {
  absl::StatusOr<ZipReader> original = ZipReader::Open(kFixture);
  ASSERT_TRUE(original.ok()) << original.status();
  const ZipReader::Entry* entry = original->Find("fixture/deflated.csv");
  ASSERT_NE(entry, nullptr);
  std::string bytes = ReadFile(kFixture);
  // Overwrite the start of the deflate stream (after the 30-byte local header and name).
  size_t data_start = entry->local_header_offset + 30 + entry->name.size();
  for (size_t i = 0; i < 16; ++i) bytes[data_start + i] = static_cast<char>(0xFF);
  absl::StatusOr<ZipReader> zip = ZipReader::Open(WriteTemp("corrupt-deflate.zip", bytes));
  ASSERT_TRUE(zip.ok()) << zip.status();
  absl::StatusOr<std::string> text = zip->Read(*zip->Find("fixture/deflated.csv"));
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ZipReaderTest, TruncatedArchiveIsInvalidArgument) {
  std::string bytes = ReadFile(kFixture);
  absl::StatusOr<ZipReader> zip =
      ZipReader::Open(WriteTemp("truncated.zip", bytes.substr(0, bytes.size() - 30)));
  EXPECT_EQ(zip.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carvematch
