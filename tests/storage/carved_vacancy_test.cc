// Repository::CreateCarvedVacancy on a real SQLite file: the new vacancy and the
// updated origins are written together or not at all.
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/status.h"
#include "storage/sqlite_repository.h"
#include "tests/storage/test_data.h"
#include "tests/storage/test_equal.h"

namespace carvematch {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing_data::ExpectSame;
using testing_data::FullEmployer;
using testing_data::FullVacancy;

#define ASSERT_OK(expr)                             \
  do {                                              \
    const absl::Status assert_ok_s_ = (expr);       \
    ASSERT_TRUE(assert_ok_s_.ok()) << assert_ok_s_; \
  } while (false)

// An open origin with tasks "t1" (8.5 h) and "t2" (8.5 h), 30.4 h a week.
Vacancy Origin(const std::string& id) {
  Vacancy v = FullVacancy(id, "e-1");
  v.status = VacancyStatus::kOpen;
  v.carved_from.clear();
  return v;
}

// The job made of task t2 of each origin.
Vacancy Carved(const std::string& id, const std::vector<std::string>& origins) {
  Vacancy v = FullVacancy(id, "e-1");
  v.status = VacancyStatus::kOpen;
  v.title = "Logistics assistant";
  v.tasks.resize(1);
  v.tasks[0].id = "t2";
  v.hours_per_week = 8.5 * static_cast<double>(origins.size());
  v.carved_from = origins;
  return v;
}

// Removes task t2 and its hours.
absl::Status MoveT2(Vacancy& origin) {
  auto it = std::find_if(origin.tasks.begin(), origin.tasks.end(),
                         [](const Task& t) { return t.id == "t2"; });
  if (it == origin.tasks.end()) {
    return absl::FailedPreconditionError(absl::StrCat(origin.id, " has no task t2"));
  }
  origin.hours_per_week -= it->hours_per_week;
  origin.tasks.erase(it);
  return absl::OkStatus();
}

class CarvedVacancyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/carvematch-carved-XXXXXX");
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = dir_ + "/test.db";
    Reopen();
    ASSERT_OK(repo_->EnsureOrganisation("org-a"));
    ASSERT_OK(repo_->CreateEmployer(FullEmployer("e-1", "org-a")).status());
    ASSERT_OK(repo_->CreateEmployer(FullEmployer("e-2", "org-a")).status());
    ASSERT_OK(repo_->CreateVacancy(Origin("v-a")).status());
    ASSERT_OK(repo_->CreateVacancy(Origin("v-b")).status());
  }
  void TearDown() override {
    repo_.reset();
    fs::remove_all(dir_);
  }
  void Reopen() {
    repo_.reset();
    SqliteOptions o;
    o.clock = [this] { return ++now_; };
    auto r = SqliteRepository::Open(path_, o);
    ASSERT_TRUE(r.ok()) << r.status();
    repo_ = std::move(*r);
  }
  // Both origins and no vacancy "v-new", as before any carving, read from the file.
  void ExpectNothingWritten(const Vacancy& a_before, const Vacancy& b_before) {
    Reopen();
    EXPECT_EQ(repo_->GetVacancy("v-new").status().code(), absl::StatusCode::kNotFound);
    absl::StatusOr<Vacancy> a = repo_->GetVacancy("v-a");
    absl::StatusOr<Vacancy> b = repo_->GetVacancy("v-b");
    ASSERT_TRUE(a.ok() && b.ok());
    ExpectSame(*a, a_before);
    ExpectSame(*b, b_before);
  }

  std::string dir_;
  std::string path_;
  int64_t now_ = 1000;
  std::unique_ptr<SqliteRepository> repo_;
};

TEST_F(CarvedVacancyTest, CreatesTheJobAndUpdatesEveryOriginDurably) {
  absl::StatusOr<CarvedVacancy> done =
      repo_->CreateCarvedVacancy(Carved("v-new", {"v-a", "v-b"}), MoveT2);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->vacancy.id, "v-new");
  EXPECT_THAT(done->vacancy.carved_from, ElementsAre("v-a", "v-b"));
  ASSERT_EQ(done->origins.size(), 2u);
  EXPECT_EQ(done->origins[0].id, "v-a");
  EXPECT_EQ(done->origins[1].id, "v-b");

  Reopen();
  absl::StatusOr<Vacancy> carved = repo_->GetVacancy("v-new");
  ASSERT_TRUE(carved.ok()) << carved.status();
  ExpectSame(*carved, done->vacancy);
  EXPECT_THAT(carved->carved_from, ElementsAre("v-a", "v-b"));
  for (const std::string id : {"v-a", "v-b"}) {
    absl::StatusOr<Vacancy> origin = repo_->GetVacancy(id);
    ASSERT_TRUE(origin.ok()) << origin.status();
    ASSERT_EQ(origin->tasks.size(), 1u) << id;
    EXPECT_EQ(origin->tasks[0].id, "t1");
    EXPECT_DOUBLE_EQ(origin->hours_per_week, 30.4 - 8.5);
    EXPECT_TRUE(origin->carved_from.empty());
  }
}

TEST_F(CarvedVacancyTest, AFailureAtTheSecondOriginLeavesEverythingUnchanged) {
  const Vacancy a_before = *repo_->GetVacancy("v-a");
  const Vacancy b_before = *repo_->GetVacancy("v-b");
  // The first origin is updated and the new vacancy created before the mutator fails
  // on the second one, inside the same transaction.
  int calls = 0;
  absl::StatusOr<CarvedVacancy> done = repo_->CreateCarvedVacancy(
      Carved("v-new", {"v-a", "v-b"}), [&](Vacancy& origin) -> absl::Status {
        ++calls;
        if (origin.id == "v-b") return absl::FailedPreconditionError("v-b changed");
        return MoveT2(origin);
      });
  EXPECT_EQ(done.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(calls, 2);
  ExpectNothingWritten(a_before, b_before);
}

TEST_F(CarvedVacancyTest, ReferenceErrorsWriteNothing) {
  const Vacancy a_before = *repo_->GetVacancy("v-a");
  const Vacancy b_before = *repo_->GetVacancy("v-b");
  // No origins.
  EXPECT_EQ(repo_->CreateCarvedVacancy(Carved("v-new", {}), MoveT2).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The second origin does not exist: the first was already updated in the transaction.
  EXPECT_EQ(repo_->CreateCarvedVacancy(Carved("v-new", {"v-a", "v-gone"}), MoveT2).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ExpectNothingWritten(a_before, b_before);
  // An origin of another employer.
  Vacancy other = Origin("v-c");
  other.employer_id = "e-2";
  ASSERT_OK(repo_->CreateVacancy(other).status());
  EXPECT_EQ(repo_->CreateCarvedVacancy(Carved("v-new", {"v-a", "v-c"}), MoveT2).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The mutator may not move an origin to another employer.
  EXPECT_EQ(repo_
                ->CreateCarvedVacancy(Carved("v-new", {"v-a"}),
                                      [](Vacancy& v) {
                                        v.employer_id = "e-2";
                                        return absl::OkStatus();
                                      })
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  ExpectNothingWritten(a_before, b_before);
  // The new id is taken.
  EXPECT_EQ(repo_->CreateCarvedVacancy(Carved("v-b", {"v-a"}), MoveT2).status().code(),
            absl::StatusCode::kAlreadyExists);
  ExpectNothingWritten(a_before, b_before);
}

}  // namespace
}  // namespace carvematch
