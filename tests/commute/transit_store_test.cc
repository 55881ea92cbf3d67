// storage/transit_store on a real SQLite file, with a real timetable blob and a real
// zone matrix.
#include "storage/transit_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "commute/transit_travel.h"
#include "commute/zone_matrix.h"
#include "gtest/gtest.h"
#include "routing/raptor.h"
#include "storage/sqlite_repository.h"
#include "tests/commute/bus_line.h"
#include "transit/timetable_io.h"

namespace carvematch {
namespace {

namespace fs = std::filesystem;

class TransitStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("transit_store_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    Remove();
    auto repo = SqliteRepository::Open(path_);
    ASSERT_TRUE(repo.ok()) << repo.status();
    repo_ = std::move(*repo);
    auto store = TransitStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    repo_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }

  StoredTimetable BusLineRecord(const std::string& version) {
    StoredTimetable t;
    t.name = "default";
    t.feed_version = version;
    t.summary = "1 feed, 2 stops";
    t.data = transit::Serialize(commute::BusLine());
    return t;
  }

  std::string path_;
  std::unique_ptr<SqliteRepository> repo_;
  std::unique_ptr<TransitStore> store_;
};

TEST_F(TransitStoreTest, OlderSchemaIsFailedPrecondition) {
  store_.reset();
  repo_.reset();
  Remove();
  SqliteOptions v3;
  v3.schema_version = 3;
  ASSERT_TRUE(SqliteRepository::Open(path_, v3).ok());
  EXPECT_EQ(TransitStore::Open(path_).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(TransitStoreTest, TimetableRoundTripServesTheRouter) {
  EXPECT_EQ(store_->LoadTimetable("default").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->SaveTimetable(BusLineRecord("v1")).ok());
  // A fresh connection reads what the first one committed.
  auto other = TransitStore::Open(path_);
  ASSERT_TRUE(other.ok());
  absl::StatusOr<StoredTimetable> got = (*other)->LoadTimetable("default");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->feed_version, "v1");
  EXPECT_EQ(got->summary, "1 feed, 2 stops");
  EXPECT_GT(got->save_time_unix, 0);
  absl::StatusOr<transit::Timetable> t = transit::Deserialize(got->data);
  ASSERT_TRUE(t.ok()) << t.status();
  routing::TransitNetwork network(*t);
  commute::TransitTravelOptions o;
  o.week_start = transit::DayFromCivil(2026, 11, 30);
  commute::TransitTravel travel(network, TravelModel(), o);
  EXPECT_EQ(travel.Minutes(TransportMode::kPublicTransport, commute::kStation, commute::kZoneNord,
                           {Weekday::kMonday, 8 * 60, 16 * 60}, TripLeg::kToShift),
            48);
  absl::StatusOr<std::vector<StoredTimetable>> list = store_->ListTimetables();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE(list->front().data.empty());
  StoredTimetable unnamed = BusLineRecord("v1");
  unnamed.name = "";
  EXPECT_EQ(store_->SaveTimetable(unnamed).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(TransitStoreTest, MatrixIsKeyedByFeedVersionAndSiteSet) {
  StoredZoneMatrix m{"default", "v1", "sites-a", "blob-a", 0};
  EXPECT_EQ(store_->SaveZoneMatrix(m).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->SaveTimetable(BusLineRecord("v1")).ok());
  ASSERT_TRUE(store_->SaveZoneMatrix(m).ok());
  absl::StatusOr<StoredZoneMatrix> got = store_->LoadZoneMatrix("default", "v1", "sites-a");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->data, "blob-a");
  EXPECT_EQ(store_->LoadZoneMatrix("default", "v1", "sites-b").status().code(),
            absl::StatusCode::kNotFound);
  // Built from another feed: refused, the stored one stays.
  StoredZoneMatrix stale{"default", "v0", "sites-b", "blob-b", 0};
  EXPECT_EQ(store_->SaveZoneMatrix(stale).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->LoadZoneMatrix("default", "v1", "sites-a").ok());
  // A new site set replaces the old matrix.
  ASSERT_TRUE(store_->SaveZoneMatrix({"default", "v1", "sites-b", "blob-b", 0}).ok());
  EXPECT_EQ(store_->LoadZoneMatrix("default", "v1", "sites-a").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->LoadZoneMatrix("default", "v1", "sites-b")->data, "blob-b");
  // A new feed drops the matrices of the old one.
  ASSERT_TRUE(store_->SaveTimetable(BusLineRecord("v2")).ok());
  EXPECT_EQ(store_->LoadZoneMatrix("default", "v1", "sites-b").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TransitStoreTest, RealZoneMatrixBlobRoundTrip) {
  ASSERT_TRUE(store_->SaveTimetable(BusLineRecord("v1")).ok());
  transit::Timetable t = commute::BusLine();
  routing::TransitNetwork network(t);
  commute::TransitTravelOptions o;
  o.week_start = transit::DayFromCivil(2026, 11, 30);
  commute::TransitTravel travel(network, TravelModel(), o);
  std::vector<commute::SiteShifts> sites = {
      {"e-1/s-1", commute::kZoneNord, {{Weekday::kMonday, 8 * 60, 16 * 60}}}};
  absl::StatusOr<commute::ZoneMatrix> m =
      commute::ZoneMatrix::Build(travel, {commute::kStation}, sites, {});
  ASSERT_TRUE(m.ok()) << m.status();
  const std::string key = commute::SiteSetKey(sites, {});
  ASSERT_TRUE(store_->SaveZoneMatrix({"default", "v1", key, m->Serialize(), 0}).ok());
  absl::StatusOr<StoredZoneMatrix> got = store_->LoadZoneMatrix("default", "v1", key);
  ASSERT_TRUE(got.ok());
  absl::StatusOr<commute::ZoneMatrix> back = commute::ZoneMatrix::Deserialize(got->data);
  ASSERT_TRUE(back.ok()) << back.status();
  commute::ZoneMatrixTravel fast(*back, travel);
  EXPECT_EQ(fast.Minutes(TransportMode::kPublicTransport, commute::kStation, commute::kZoneNord,
                         {Weekday::kMonday, 8 * 60, 16 * 60}, TripLeg::kToShift),
            48);
}

TEST_F(TransitStoreTest, FailedWriteLeavesTheOldOne) {
  ASSERT_TRUE(store_->SaveTimetable(BusLineRecord("v1")).ok());
  ASSERT_TRUE(store_->SaveZoneMatrix({"default", "v1", "sites-a", "blob-a", 0}).ok());
  // A connection that refuses blobs over 100 bytes: the timetable write fails after the
  // matrices were deleted inside the transaction, which is rolled back.
  TransitStoreOptions small;
  small.max_blob_bytes = 100;
  auto limited = TransitStore::Open(path_, small);
  ASSERT_TRUE(limited.ok());
  absl::Status s = (*limited)->SaveTimetable(BusLineRecord("v2"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal) << s;
  EXPECT_EQ(store_->LoadTimetable("default")->feed_version, "v1");
  EXPECT_EQ(store_->LoadZoneMatrix("default", "v1", "sites-a")->data, "blob-a");

  // Another writer holds the lock: Unavailable, nothing changed.
  TransitStoreOptions impatient;
  impatient.busy_timeout_ms = 20;
  auto waiting = TransitStore::Open(path_, impatient);
  ASSERT_TRUE(waiting.ok());
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ((*waiting)->SaveTimetable(BusLineRecord("v3")).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*waiting)->SaveZoneMatrix({"default", "v1", "sites-c", "blob-c", 0}).code(),
            absl::StatusCode::kUnavailable);
  sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  EXPECT_EQ(store_->LoadTimetable("default")->feed_version, "v1");
  EXPECT_EQ(store_->LoadZoneMatrix("default", "v1", "sites-a")->data, "blob-a");
}

}  // namespace
}  // namespace carvematch
