// The server's runtime with a stored timetable, on a real SQLite file: the zone matrix is
// built and stored at the first start, loaded at the next, and rebuilt in the background
// (and stored) when a vacancy at a new site appears while the server runs.
#include "cli/runtime.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "commute/zone_matrix.h"
#include "gtest/gtest.h"
#include "storage/sqlite_repository.h"
#include "storage/transit_store.h"
#include "tests/commute/bus_line.h"
#include "transit/timetable_io.h"

namespace carvematch {
namespace {

using commute::kStation;
using commute::kZoneNord;

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("carvematch-runtime-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "store.db").string();
    auto repo = SqliteRepository::Open(db_);
    ASSERT_TRUE(repo.ok()) << repo.status();
    EscoRelease small;
    small.version = "test";
    small.skills = {{"http://data.europa.eu/esco/skill/clean", "clean surfaces", "skill/competence",
                     "transversal"}};
    ASSERT_TRUE((*repo)->SaveTaxonomy(small).ok());
    ASSERT_TRUE((*repo)->EnsureOrganisation("org-a").ok());
    Participant p;
    p.id = "p-1";
    p.organisation_id = "org-a";
    p.home.point = kStation;
    p.home.municipality = "Gent";
    p.transport_modes = {TransportMode::kPublicTransport};
    auto created_p = (*repo)->CreateParticipant(p);
    ASSERT_TRUE(created_p.ok()) << created_p.status();
    Employer e;
    e.id = "emp-1";
    e.display_name = "Employer";
    e.organisation_id = "org-a";
    e.sector = "N81";
    e.sites = {{"nord", "Zone Nord", {kZoneNord, "Gent", "9000"}}};
    auto created_e = (*repo)->CreateEmployer(e);
    ASSERT_TRUE(created_e.ok()) << created_e.status();
    auto created_v = (*repo)->CreateVacancy(Job("v-1", "nord", 8 * 60));
    ASSERT_TRUE(created_v.ok()) << created_v.status();
    auto store = TransitStore::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->SaveTimetable(
                        {"default", "bus-36", "bus 36", transit::Serialize(commute::BusLine()), 0})
                    .ok());
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Vacancy Job(const std::string& id, const std::string& site, int start) {
    Vacancy v;
    v.id = id;
    v.employer_id = "emp-1";
    v.site_id = site;
    v.title = "Cleaner";
    v.hours_per_week = 20;
    v.shifts = {{Weekday::kMonday, start, start + 4 * 60}};
    return v;
  }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(RuntimeTest, MatrixIsBuiltStoredLoadedAndRefreshedWhenSitesChange) {
  std::ostringstream log;
  {
    auto runtime = Runtime::Open(db_, log);
    ASSERT_TRUE(runtime.ok()) << runtime.status();
    EXPECT_NE(log.str().find("zone matrix: 1 zones x 1 sites"), std::string::npos) << log.str();
    EXPECT_NE(log.str().find("built and stored"), std::string::npos) << log.str();
  }
  log.str("");
  auto runtime = Runtime::Open(db_, log);
  ASSERT_TRUE(runtime.ok()) << runtime.status();
  EXPECT_NE(log.str().find("loaded in"), std::string::npos) << log.str();
  const ServiceContext context = (*runtime)->context();
  ASSERT_TRUE(context.bulk_matcher);
  const std::shared_ptr<const Matcher> before = context.bulk_matcher();
  ASSERT_NE(before, nullptr);
  ASSERT_TRUE((*runtime)->WaitForZoneMatrix().ok());
  EXPECT_EQ(context.bulk_matcher(), before);  // nothing changed: no rebuild

  // A new site with a vacancy while the server runs (written and indexed as a service
  // does).
  SqliteRepository& repo = (*runtime)->repository();
  auto updated = repo.UpdateEmployer("emp-1", [](Employer& e) {
    e.sites.push_back({"station", "Station", {kStation, "Gent", "9000"}});
    return absl::OkStatus();
  });
  ASSERT_TRUE(updated.ok()) << updated.status();
  ASSERT_TRUE(repo.CreateVacancy(Job("v-2", "station", 17 * 60)).ok());
  ASSERT_TRUE(context.index->RefreshEmployer(repo, "emp-1").ok());
  ASSERT_TRUE(context.index->RefreshVacancy(repo, "v-2").ok());

  // The first bulk call after the change still gets the old matrix and starts a rebuild.
  EXPECT_EQ(context.bulk_matcher(), before);
  ASSERT_TRUE((*runtime)->WaitForZoneMatrix().ok());
  const std::shared_ptr<const Matcher> after = context.bulk_matcher();
  ASSERT_NE(after, nullptr);
  EXPECT_NE(after, before);
  // The rebuilt matrix was stored: the next start loads it.
  runtime->reset();
  log.str("");
  auto again = Runtime::Open(db_, log);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(log.str().find("1 zones x 2 sites"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("loaded in"), std::string::npos) << log.str();
}

}  // namespace
}  // namespace carvematch
