#include "transit/zip_reader.h"

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch::transit {
namespace {

using ::testing::HasSubstr;

std::string TempDir(const std::string& name) {
  std::filesystem::path p = std::filesystem::temp_directory_path() /
                            ("carvematch_zip_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
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

TEST(ZipTest, RoundTripStoredAndDeflated) {
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

TEST(ZipTest, ReadsAnArchiveWrittenByPythonZipfileInASubfolder) {
  absl::StatusOr<ZipReader> r = ZipReader::Open("tests/transit/feeds/python_zipfile.zip");
  ASSERT_TRUE(r.ok()) << r.status();
  const ZipEntry* stops = r->Find("stops.txt");  // stored as feed/stops.txt
  ASSERT_NE(stops, nullptr);
  EXPECT_EQ(stops->name, "feed/stops.txt");
  EXPECT_EQ(*r->Read(*stops), "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,51.0,3.7\n");
  const ZipEntry* readme = r->Find("readme.txt");
  ASSERT_NE(readme, nullptr);
  EXPECT_EQ(readme->method, 0);
  EXPECT_EQ(r->Read(*readme)->size(), 120u);
}

TEST(ZipTest, CorruptDataIsDataLoss) {
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

TEST(ZipTest, DamagedDeflateStreamIsInvalidArgument) {
  ZipWriter w;
  w.Add("stop_times.txt", RandomText(5000, 2), ZipWriter::Method::kDeflate);
  std::string bytes = *w.Finish();
  // Overwrite the middle of the compressed data.
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

TEST(ZipTest, TruncatedArchiveIsInvalidArgument) {
  ZipWriter w;
  w.Add("stops.txt", RandomText(2000, 3));
  std::string bytes = *w.Finish();
  absl::StatusOr<ZipReader> r = ZipReader::FromBytes(bytes.substr(0, bytes.size() / 2), "cut.zip");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("cut.zip"));
  EXPECT_EQ(ZipReader::FromBytes("PK", "tiny.zip").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ZipReader::FromBytes(std::string(100, 'x'), "text.zip").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ZipTest, Zip64AndUnknownMethodAreUnimplemented) {
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

  std::string bzip2 = bytes;
  bzip2[8] = 12;  // local header method
  const size_t cd = bytes.size() - 22 - 46 - 9;
  ASSERT_EQ(bzip2.substr(cd, 4), std::string("PK\x01\x02", 4));
  bzip2[cd + 10] = 12;  // central directory method
  absl::StatusOr<ZipReader> m = ZipReader::FromBytes(bzip2, "bz.zip");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Read(m->entries()[0]).status().code(), absl::StatusCode::kUnimplemented);
}

TEST(ZipTest, DuplicateEntryIsRefused) {
  ZipWriter w;
  w.Add("stops.txt", "a");
  w.Add("stops.txt", "b");
  EXPECT_EQ(w.Finish().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FeedSourceTest, ZipFileAndDirectory) {
  const std::string dir = TempDir("source");
  ZipWriter w;
  w.Add("agency.txt", "agency_id,agency_name\nDL,De Lijn\n");
  ASSERT_TRUE(w.WriteTo(dir + "/feed.zip").ok());
  absl::StatusOr<FeedSource> zip = FeedSource::Open(dir + "/feed.zip");
  ASSERT_TRUE(zip.ok()) << zip.status();
  EXPECT_TRUE(zip->is_zip());
  EXPECT_TRUE(zip->Has("agency.txt"));
  EXPECT_FALSE(zip->Has("stops.txt"));
  EXPECT_EQ(*zip->Read("agency.txt"), "agency_id,agency_name\nDL,De Lijn\n");
  absl::StatusOr<std::string> missing = zip->Read("stops.txt");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("stops.txt"));

  ASSERT_TRUE(WriteDirectory(dir + "/unpacked", {{"agency.txt", "agency_id\nX\n"}}).ok());
  absl::StatusOr<FeedSource> folder = FeedSource::Open(dir + "/unpacked");
  ASSERT_TRUE(folder.ok());
  EXPECT_FALSE(folder->is_zip());
  EXPECT_TRUE(folder->Has("agency.txt"));
  EXPECT_EQ(*folder->Read("agency.txt"), "agency_id\nX\n");
  EXPECT_EQ(folder->Read("trips.txt").status().code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(FeedSource::Open(dir + "/nothing.zip").status().code(), absl::StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace carvematch::transit
