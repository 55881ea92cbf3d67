#include "archive/zip.h"

#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch {
namespace {

using ::testing::HasSubstr;

constexpr char kFixture[] = "tests/archive/testdata/fixture.zip";
constexpr char kPythonFeed[] = "tests/archive/testdata/python_zipfile.zip";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string WriteTemp(const std::string& name, const std::string& bytes) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string RandomText(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s;
  const char* words[] = {"stop_id", ",", "06:12:00", "\n", "Gent-Sint-Pieters", "51.0357", "3.7"};
  while (s.size() < n) s += words[rng() % 7];
  return s;
}

TEST(Crc32Test, KnownValue) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32(""), 0u);
}

// --- Archives written by Python's zipfile -------------------------------------------

TEST(ZipReaderTest, ListsEntriesInCentralDirectoryOrder) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open(kFixture);
  ASSERT_TRUE(zip.ok()) << zip.status();
  EXPECT_EQ(zip->path(), kFixture);
  ASSERT_EQ(zip->entries().size(), 3u);
  EXPECT_EQ(zip->entries()[0].name, "fixture/stored.txt");
  EXPECT_EQ(zip->entries()[0].method, 0);
  EXPECT_EQ(zip->entries()[1].name, "fixture/deflated.csv");
  EXPECT_EQ(zip->entries()[1].method, 8);
  EXPECT_EQ(zip->entries()[1].uncompressed_size, 8388u);
  EXPECT_LT(zip->entries()[1].compressed_size, 8388u);
  EXPECT_EQ(zip->entries()[2].name, "fixture/empty/");
  EXPECT_TRUE(zip->entries()[2].is_directory());
  EXPECT_FALSE(zip->entries()[0].is_directory());
}

TEST(ZipReaderTest, ReadsStoredEntry) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open(kFixture);
  ASSERT_TRUE(zip.ok()) << zip.status();
  const ZipEntry* entry = zip->Find("fixture/stored.txt");
  ASSERT_NE(entry, nullptr);
  absl::StatusOr<std::string> text = zip->Read(*entry);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "stored entry\n");
}

TEST(ZipReaderTest, InflatesDeflatedEntry) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open(kFixture);
  ASSERT_TRUE(zip.ok()) << zip.status();
  const ZipEntry* entry = zip->FindByBaseName("deflated.csv");
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
  EXPECT_EQ(zip->FindByBaseName(""), nullptr);  // the directory entry is not a file
}

TEST(ZipReaderTest, ReadsAFeedZippedWithItsFolder) {
  absl::StatusOr<ZipReader> r = ZipReader::Open(kPythonFeed);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->Find("stops.txt"), nullptr);
  const ZipEntry* stops = r->FindByBaseName("stops.txt");
  ASSERT_NE(stops, nullptr);
  EXPECT_EQ(stops->name, "feed/stops.txt");
  EXPECT_EQ(*r->Read(*stops), "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,51.0,3.7\n");
  const ZipEntry* readme = r->FindByBaseName("readme.txt");
  ASSERT_NE(readme, nullptr);
  EXPECT_EQ(readme->method, 0);
  EXPECT_EQ(r->Read(*readme)->size(), 120u);
}

TEST(ZipReaderTest, BaseNameMatchMustBeUniqueAndSkipsMacosxCopies) {
  ZipWriter w;
  w.Add("a/stops.txt", "one");
  w.Add("b/stops.txt", "two");
  w.Add("feed/trips.txt", "trips");
  w.Add("__MACOSX/feed/._trips.txt", "resource fork");
  w.Add("__MACOSX/feed/trips.txt", "resource fork");
  absl::StatusOr<ZipReader> r = ZipReader::FromBytes(*w.Finish(), "two.zip");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->FindByBaseName("stops.txt"), nullptr);  // ambiguous
  ASSERT_NE(r->Find("b/stops.txt"), nullptr);
  EXPECT_EQ(*r->Read(*r->Find("b/stops.txt")), "two");
  const ZipEntry* trips = r->FindByBaseName("trips.txt");
  ASSERT_NE(trips, nullptr);
  EXPECT_EQ(trips->name, "feed/trips.txt");
}

// --- Writer round trips -------------------------------------------------------------

TEST(ZipWriterTest, RoundTripStoredAndDeflated) {
  const std::string big = RandomText(300000, 1);
  ZipWriter w;
  w.Add("stops.txt", "stop_id,stop_name\nA,Alpha\n", ZipWriter::Method::kStored);
  w.Add("stop_times.txt", big, ZipWriter::Method::kDeflate);
  w.Add("empty.txt", "", ZipWriter::Method::kDeflate);
  absl::StatusOr<std::string> bytes = w.Finish();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_LT(bytes->size(), big.size() / 2);  // deflate did compress
  absl::StatusOr<std::string> again = w.Finish();
  EXPECT_EQ(*again, *bytes);  // deterministic

  absl::StatusOr<ZipReader> r = ZipReader::FromBytes(*bytes, "mem.zip");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->path(), "mem.zip");
  ASSERT_EQ(r->entries().size(), 3u);
  EXPECT_EQ(r->entries()[0].method, 0);
  EXPECT_EQ(r->entries()[1].method, 8);
  const ZipEntry* st = r->Find("stop_times.txt");
  ASSERT_NE(st, nullptr);
  absl::StatusOr<std::string> content = r->Read(*st);
  ASSERT_TRUE(content.ok()) << content.status();
  EXPECT_EQ(*content, big);
  EXPECT_EQ(*r->Read(*r->Find("stops.txt")), "stop_id,stop_name\nA,Alpha\n");
  EXPECT_EQ(*r->Read(*r->Find("empty.txt")), "");
  EXPECT_EQ(r->Find("trips.txt"), nullptr);
}

TEST(ZipWriterTest, WriteToThenOpen) {
  ZipWriter w;
  w.Add("agency.txt", "agency_id,agency_name\nDL,De Lijn\n");
  const std::string path = ::testing::TempDir() + "written.zip";
  ASSERT_TRUE(w.WriteTo(path).ok());
  absl::StatusOr<ZipReader> r = ZipReader::Open(path);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r->Read(*r->Find("agency.txt")), "agency_id,agency_name\nDL,De Lijn\n");
  EXPECT_EQ(w.WriteTo(::testing::TempDir() + "no-such-dir/x.zip").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(ZipWriterTest, DuplicateEntryIsRefused) {
  ZipWriter w;
  w.Add("stops.txt", "a");
  w.Add("stops.txt", "b");
  EXPECT_EQ(w.Finish().status().code(), absl::StatusCode::kInvalidArgument);
}

// --- Error convention ---------------------------------------------------------------

TEST(ZipErrorTest, MissingFileIsNotFound) {
  absl::StatusOr<ZipReader> zip = ZipReader::Open("tests/archive/testdata/no-such.zip");
  EXPECT_EQ(zip.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(zip.status().message()), HasSubstr("no-such.zip"));
}

TEST(ZipErrorTest, NonZipIsInvalidArgument) {
  std::string path = WriteTemp("not-a-zip.zip", "id,name\n1,a\nthis is no zip archive\n");
  absl::StatusOr<ZipReader> zip = ZipReader::Open(path);
  EXPECT_EQ(zip.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(zip.status().message()), HasSubstr("not-a-zip.zip"));
  EXPECT_EQ(ZipReader::FromBytes("PK", "tiny.zip").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ZipReader::FromBytes(std::string(100, 'x'), "text.zip").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ZipErrorTest, TruncatedArchiveIsInvalidArgument) {
  std::string bytes = ReadFile(kFixture);
  absl::StatusOr<ZipReader> zip =
      ZipReader::Open(WriteTemp("truncated.zip", bytes.substr(0, bytes.size() - 30)));
  EXPECT_EQ(zip.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(zip.status().message()), HasSubstr("truncated.zip"));

  ZipWriter w;
  w.Add("stops.txt", RandomText(2000, 3));
  std::string written = *w.Finish();
  absl::StatusOr<ZipReader> r =
      ZipReader::FromBytes(written.substr(0, written.size() / 2), "cut.zip");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("cut.zip"));
}

TEST(ZipErrorTest, CorruptStoredDataIsDataLoss) {
  std::string bytes = ReadFile(kFixture);
  size_t at = bytes.find("stored entry");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'S';
  absl::StatusOr<ZipReader> zip = ZipReader::Open(WriteTemp("corrupt.zip", bytes));
  ASSERT_TRUE(zip.ok()) << zip.status();
  absl::StatusOr<std::string> text = zip->Read(*zip->Find("fixture/stored.txt"));
  EXPECT_EQ(text.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("CRC"));
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("fixture/stored.txt"));
}

TEST(ZipErrorTest, CorruptWrittenDataIsDataLossNamingArchiveAndEntry) {
  ZipWriter w;
  w.Add("stops.txt", "stop_id,stop_name\nA,Alpha\n", ZipWriter::Method::kStored);
  std::string bytes = *w.Finish();
  const size_t at = bytes.find("Alpha");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'a';
  absl::StatusOr<ZipReader> r = ZipReader::FromBytes(bytes, "bad.zip");
  ASSERT_TRUE(r.ok());
  absl::StatusOr<std::string> c = r->Read(*r->Find("stops.txt"));
  EXPECT_EQ(c.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(c.status().message(), HasSubstr("bad.zip: stops.txt: CRC-32"));
}

TEST(ZipErrorTest, CorruptDeflateStartIsInvalidArgument) {
  absl::StatusOr<ZipReader> original = ZipReader::Open(kFixture);
  ASSERT_TRUE(original.ok()) << original.status();
  const ZipEntry* entry = original->Find("fixture/deflated.csv");
  ASSERT_NE(entry, nullptr);
  std::string bytes = ReadFile(kFixture);
  // Overwrite the start of the deflate stream (after the 30-byte local header and name).
  size_t data_start = entry->local_header_offset + 30 + entry->name.size();
  for (size_t i = 0; i < 16; ++i) bytes[data_start + i] = static_cast<char>(0xFF);
  absl::StatusOr<ZipReader> zip = ZipReader::Open(WriteTemp("corrupt-deflate.zip", bytes));
  ASSERT_TRUE(zip.ok()) << zip.status();
  absl::StatusOr<std::string> text = zip->Read(*zip->Find("fixture/deflated.csv"));
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("corrupt-deflate.zip"));
  EXPECT_THAT(std::string(text.status().message()), HasSubstr("fixture/deflated.csv"));
}

TEST(ZipErrorTest, DamagedDeflateMiddleIsInvalidArgumentOrDataLoss) {
  ZipWriter w;
  w.Add("stop_times.txt", RandomText(5000, 2), ZipWriter::Method::kDeflate);
  std::string bytes = *w.Finish();
  // Overwrite the middle of the compressed data: depending on where the damage lands the
  // stream breaks (damaged archive) or inflates to other bytes (CRC mismatch).
  for (size_t i = 60; i < 90; ++i) bytes[i] = static_cast<char>(0xff);
  absl::StatusOr<ZipReader> r = ZipReader::FromBytes(bytes, "bad.zip");
  ASSERT_TRUE(r.ok());
  absl::StatusOr<std::string> c = r->Read(*r->Find("stop_times.txt"));
  EXPECT_FALSE(c.ok());
  EXPECT_TRUE(c.status().code() == absl::StatusCode::kInvalidArgument ||
              c.status().code() == absl::StatusCode::kDataLoss)
      << c.status();
  EXPECT_THAT(c.status().message(), HasSubstr("stop_times.txt"));
}

TEST(ZipErrorTest, Zip64EncryptionAndUnknownMethodAreUnimplemented) {
  ZipWriter w;
  w.Add("stops.txt", "x");
  std::string bytes = *w.Finish();
  std::string zip64 = bytes;
  // Entry count 0xffff in the end record: the ZIP64 marker.
  const size_t end = zip64.size() - 22;
  zip64[end + 8] = zip64[end + 9] = zip64[end + 10] = zip64[end + 11] = static_cast<char>(0xff);
  absl::StatusOr<ZipReader> r = ZipReader::FromBytes(zip64, "big.zip");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(r.status().message(), HasSubstr("ZIP64"));
  EXPECT_THAT(r.status().message(), HasSubstr("big.zip"));

  const size_t cd = bytes.size() - 22 - 46 - 9;
  ASSERT_EQ(bytes.substr(cd, 4), std::string("PK\x01\x02", 4));

  std::string encrypted = bytes;
  encrypted[cd + 8] = 1;  // general purpose flag bit 0: encrypted
  absl::StatusOr<ZipReader> e = ZipReader::FromBytes(encrypted, "secret.zip");
  EXPECT_EQ(e.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(e.status().message(), HasSubstr("stops.txt"));

  std::string bzip2 = bytes;
  bzip2[8] = 12;        // local header method
  bzip2[cd + 10] = 12;  // central directory method
  absl::StatusOr<ZipReader> m = ZipReader::FromBytes(bzip2, "bz.zip");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Read(m->entries()[0]).status().code(), absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace carvematch
