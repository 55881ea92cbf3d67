#include "transit/feed_source.h"

#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "archive/zip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch::transit {
namespace {

using ::testing::HasSubstr;

std::string TempDir(const std::string& name) {
  std::filesystem::path p = std::filesystem::temp_directory_path() /
                            ("carvematch_feed_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
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

TEST(FeedSourceTest, FindsFilesInAFeedZippedWithItsFolder) {
  absl::StatusOr<FeedSource> feed = FeedSource::Open("tests/archive/testdata/python_zipfile.zip");
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_TRUE(feed->is_zip());
  EXPECT_TRUE(feed->Has("stops.txt"));  // stored as feed/stops.txt
  EXPECT_EQ(*feed->Read("stops.txt"), "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,51.0,3.7\n");
  EXPECT_FALSE(feed->Has("trips.txt"));
}

TEST(FeedSourceTest, DamagedZipKeepsTheArchiveErrorCode) {
  const std::string dir = TempDir("damaged");
  ASSERT_TRUE(WriteStringToFile(dir + "/broken.zip", "this is no zip archive").ok());
  absl::StatusOr<FeedSource> feed = FeedSource::Open(dir + "/broken.zip");
  EXPECT_EQ(feed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(feed.status().message(), HasSubstr("broken.zip"));
  EXPECT_EQ(ReadFileToString(dir + "/absent.txt").status().code(), absl::StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace carvematch::transit
