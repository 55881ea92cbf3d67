#include "storage/sqlite_repository.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/status.h"
#include "tests/storage/test_data.h"
#include "tests/storage/test_equal.h"

namespace carvematch {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing_data::ExpectSame;
using testing_data::FullEmployer;
using testing_data::FullParticipant;
using testing_data::FullVacancy;

#define ASSERT_OK(expr)                             \
  do {                                              \
    const absl::Status assert_ok_s_ = (expr);       \
    ASSERT_TRUE(assert_ok_s_.ok()) << assert_ok_s_; \
  } while (false)

// Runs one SQL statement on the file with a separate raw connection.
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

int64_t RawCount(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

class SqliteRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/carvematch-storage-XXXXXX");
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = dir_ + "/test.db";
    Reopen();
  }
  void TearDown() override {
    repo_.reset();
    fs::remove_all(dir_);
  }

  SqliteOptions Options() {
    SqliteOptions o;
    o.clock = [this] { return ++now_; };
    return o;
  }
  void Reopen() {
    repo_.reset();
    auto r = SqliteRepository::Open(path_, Options());
    ASSERT_TRUE(r.ok()) << r.status();
    repo_ = std::move(*r);
  }
  void AddOrgAndEmployer() {
    ASSERT_OK(repo_->EnsureOrganisation("org-a"));
    ASSERT_OK(repo_->EnsureOrganisation("org-b"));
    ASSERT_OK(repo_->CreateEmployer(FullEmployer("e-1", "org-a")).status());
  }
  std::string FileBytes() {
    std::string all;
    for (const std::string& p : {path_, path_ + "-wal"}) {
      std::ifstream in(p, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }

  std::string dir_;
  std::string path_;
  int64_t now_ = 1000;
  std::unique_ptr<SqliteRepository> repo_;
};

// --- resources ---

TEST_F(SqliteRepositoryTest, ParticipantRoundTripsEveryFieldAndTheStoreSetsTimes) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  Participant p = FullParticipant("p-1", "org-a");
  p.create_time_unix = 42;        // ignored by the store
  const int64_t tick = now_ + 1;  // the clock's next reading
  absl::StatusOr<Participant> created = repo_->CreateParticipant(p);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->create_time_unix, tick);
  EXPECT_EQ(created->update_time_unix, tick);
  Reopen();
  absl::StatusOr<Participant> got = repo_->GetParticipant("p-1");
  ASSERT_TRUE(got.ok()) << got.status();
  p.create_time_unix = p.update_time_unix = tick;
  ExpectSame(p, *got);
}

TEST_F(SqliteRepositoryTest, EmployerAndVacancyRoundTripEveryField) {
  AddOrgAndEmployer();
  Vacancy v = FullVacancy("v-1", "e-1");
  ASSERT_OK(repo_->CreateVacancy(v).status());
  Reopen();
  absl::StatusOr<Employer> e = repo_->GetEmployer("e-1");
  ASSERT_TRUE(e.ok()) << e.status();
  Employer expected_e = FullEmployer("e-1", "org-a");
  expected_e.create_time_unix = expected_e.update_time_unix = e->create_time_unix;
  EXPECT_GT(e->create_time_unix, 1000);
  ExpectSame(expected_e, *e);
  absl::StatusOr<Vacancy> got = repo_->GetVacancy("v-1");
  ASSERT_TRUE(got.ok()) << got.status();
  v.create_time_unix = v.update_time_unix = got->create_time_unix;
  EXPECT_GT(got->create_time_unix, e->create_time_unix);
  ExpectSame(v, *got);
}

TEST_F(SqliteRepositoryTest, CreateErrors) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  ASSERT_OK(repo_->CreateParticipant(FullParticipant("p-1", "org-a")).status());
  EXPECT_EQ(repo_->CreateParticipant(FullParticipant("p-1", "org-a")).status().code(),
            absl::StatusCode::kAlreadyExists);
  absl::Status no_org = repo_->CreateParticipant(FullParticipant("p-2", "org-x")).status();
  EXPECT_EQ(no_org.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(no_org.message()), HasSubstr("org-x"));
  absl::Status no_id = repo_->CreateParticipant(FullParticipant("", "org-a")).status();
  EXPECT_EQ(no_id.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(ViolationsOf(no_id).size(), 1u);
  EXPECT_EQ(ViolationsOf(no_id)[0].field, "participant.id");
  EXPECT_EQ(repo_->CreateEmployer(FullEmployer("e-1", "org-x")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(repo_->CreateVacancy(FullVacancy("v-1", "e-missing")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(repo_->EnsureOrganisation("").code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteRepositoryTest, MissingResourcesAreNotFound) {
  auto keep = [](auto&) { return absl::OkStatus(); };
  EXPECT_EQ(repo_->GetParticipant("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->UpdateParticipant("nope", keep).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->DeleteParticipant("nope").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetEmployer("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->UpdateEmployer("nope", keep).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->DeleteEmployer("nope").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetVacancy("nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->UpdateVacancy("nope", keep).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->DeleteVacancy("nope").code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteRepositoryTest, UpdateIsReadModifyWrite) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  ASSERT_OK(repo_->EnsureOrganisation("org-b"));
  absl::StatusOr<Participant> created = repo_->CreateParticipant(FullParticipant("p-1", "org-a"));
  ASSERT_TRUE(created.ok());
  absl::StatusOr<Participant> updated = repo_->UpdateParticipant("p-1", [](Participant& p) {
    p.max_commute_minutes = 75;
    p.organisation_id = "org-b";
    p.create_time_unix = 1;  // not the mutator's to change
    return absl::OkStatus();
  });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->create_time_unix, created->create_time_unix);
  EXPECT_GT(updated->update_time_unix, created->update_time_unix);
  absl::StatusOr<Participant> got = repo_->GetParticipant("p-1");
  ASSERT_TRUE(got.ok());
  ExpectSame(*updated, *got);
  EXPECT_EQ(got->max_commute_minutes, 75);
  EXPECT_EQ(got->organisation_id, "org-b");
}

TEST_F(SqliteRepositoryTest, FailedUpdateLeavesTheRowUnchanged) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  absl::StatusOr<Participant> created = repo_->CreateParticipant(FullParticipant("p-1", "org-a"));
  ASSERT_TRUE(created.ok());

  absl::Status refused =
      repo_
          ->UpdateParticipant("p-1",
                              [](Participant& p) {
                                p.max_commute_minutes = 5;
                                return absl::FailedPreconditionError("consent withdrawn");
                              })
          .status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.message(), "consent withdrawn");

  absl::Status renamed = repo_
                             ->UpdateParticipant("p-1",
                                                 [](Participant& p) {
                                                   p.id = "p-2";
                                                   return absl::OkStatus();
                                                 })
                             .status();
  EXPECT_EQ(renamed.code(), absl::StatusCode::kInvalidArgument);

  absl::Status bad_org = repo_
                             ->UpdateParticipant("p-1",
                                                 [](Participant& p) {
                                                   p.organisation_id = "org-missing";
                                                   return absl::OkStatus();
                                                 })
                             .status();
  EXPECT_EQ(bad_org.code(), absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<Participant> got = repo_->GetParticipant("p-1");
  ASSERT_TRUE(got.ok());
  ExpectSame(*created, *got);
  EXPECT_EQ(repo_->GetParticipant("p-2").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteRepositoryTest, UpdateVacancyChecksTheNewEmployer) {
  AddOrgAndEmployer();
  ASSERT_OK(repo_->CreateVacancy(FullVacancy("v-1", "e-1")).status());
  absl::Status s = repo_
                       ->UpdateVacancy("v-1",
                                       [](Vacancy& v) {
                                         v.employer_id = "e-missing";
                                         return absl::OkStatus();
                                       })
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Vacancy> opened = repo_->UpdateVacancy("v-1", [](Vacancy& v) {
    v.status = VacancyStatus::kOpen;
    return absl::OkStatus();
  });
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(repo_->GetVacancy("v-1")->status, VacancyStatus::kOpen);
}

TEST_F(SqliteRepositoryTest, DeletingAnEmployerWithVacanciesIsRefused) {
  AddOrgAndEmployer();
  ASSERT_OK(repo_->CreateVacancy(FullVacancy("v-1", "e-1")).status());
  ASSERT_OK(repo_->CreateVacancy(FullVacancy("v-2", "e-1")).status());
  absl::Status s = repo_->DeleteEmployer("e-1");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("2 vacancies"));
  EXPECT_TRUE(repo_->GetEmployer("e-1").ok());
  ASSERT_OK(repo_->DeleteVacancy("v-1"));
  ASSERT_OK(repo_->DeleteVacancy("v-2"));
  ASSERT_OK(repo_->DeleteEmployer("e-1"));
  EXPECT_EQ(repo_->GetEmployer("e-1").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteRepositoryTest, DeleteRemovesTheParticipant) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  ASSERT_OK(repo_->CreateParticipant(FullParticipant("p-1", "org-a")).status());
  ASSERT_OK(repo_->DeleteParticipant("p-1"));
  EXPECT_EQ(repo_->GetParticipant("p-1").status().code(), absl::StatusCode::kNotFound);
  // The id can be used again.
  EXPECT_TRUE(repo_->CreateParticipant(FullParticipant("p-1", "org-a")).ok());
}

// --- listing ---

TEST_F(SqliteRepositoryTest, PagesThrough120ParticipantsInIdOrder) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  ASSERT_OK(repo_->InTransaction([](Repository& tx) -> absl::Status {
    for (int i = 119; i >= 0; --i) {  // inserted out of order
      RETURN_IF_ERROR(
          tx.CreateParticipant(FullParticipant(absl::StrFormat("p-%03d", i), "org-a")).status());
    }
    return absl::OkStatus();
  }));
  ListQuery q;
  q.page_size = 50;
  std::vector<size_t> sizes;
  std::vector<std::string> ids;
  for (int guard = 0; guard < 10; ++guard) {
    absl::StatusOr<ListPage<Participant>> page = repo_->ListParticipants(q);
    ASSERT_TRUE(page.ok()) << page.status();
    sizes.push_back(page->items.size());
    for (const Participant& p : page->items) ids.push_back(p.id);
    if (page->next_page_token.empty()) break;
    q.page_token = page->next_page_token;
  }
  EXPECT_THAT(sizes, ElementsAre(50u, 50u, 20u));
  ASSERT_EQ(ids.size(), 120u);
  for (int i = 0; i < 120; ++i) EXPECT_EQ(ids[i], absl::StrFormat("p-%03d", i));
}

TEST_F(SqliteRepositoryTest, PageSizeDefaultsAndLimits) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  ASSERT_OK(repo_->InTransaction([](Repository& tx) -> absl::Status {
    for (int i = 0; i < 1005; ++i) {
      Participant p;
      p.id = absl::StrFormat("p-%04d", i);
      p.organisation_id = "org-a";
      RETURN_IF_ERROR(tx.CreateParticipant(p).status());
    }
    return absl::OkStatus();
  }));
  ListQuery q;
  EXPECT_EQ(repo_->ListParticipants(q)->items.size(), 50u);
  q.page_size = 5000;
  absl::StatusOr<ListPage<Participant>> big = repo_->ListParticipants(q);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->items.size(), 1000u);
  EXPECT_FALSE(big->next_page_token.empty());
  q.page_size = -1;
  EXPECT_EQ(repo_->ListParticipants(q).status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::vector<Participant>> all = ListAllParticipants(*repo_, "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1005u);
}

TEST_F(SqliteRepositoryTest, BadPageTokensAreInvalidArgument) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  ASSERT_OK(repo_->EnsureOrganisation("org-b"));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(repo_->CreateParticipant(FullParticipant(absl::StrCat("p-", i), "org-a")).status());
  }
  ListQuery q;
  q.organisation_id = "org-a";
  q.page_size = 1;
  absl::StatusOr<ListPage<Participant>> first = repo_->ListParticipants(q);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token.empty());
  ListQuery other = q;
  other.organisation_id = "org-b";
  other.page_token = first->next_page_token;
  EXPECT_EQ(repo_->ListParticipants(other).status().code(), absl::StatusCode::kInvalidArgument);
  ListQuery employers;
  employers.organisation_id = "org-a";
  employers.page_token = first->next_page_token;
  EXPECT_EQ(repo_->ListEmployers(employers).status().code(), absl::StatusCode::kInvalidArgument);
  q.page_token = "not a token!";
  EXPECT_EQ(repo_->ListParticipants(q).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteRepositoryTest, ListFiltersByOrganisation) {
  AddOrgAndEmployer();
  ASSERT_OK(repo_->CreateEmployer(FullEmployer("e-2", "org-b")).status());
  ASSERT_OK(repo_->CreateParticipant(FullParticipant("p-a1", "org-a")).status());
  ASSERT_OK(repo_->CreateParticipant(FullParticipant("p-b1", "org-b")).status());
  ASSERT_OK(repo_->CreateParticipant(FullParticipant("p-a2", "org-a")).status());
  ListQuery q;
  q.organisation_id = "org-a";
  absl::StatusOr<ListPage<Participant>> page = repo_->ListParticipants(q);
  ASSERT_TRUE(page.ok());
  std::vector<std::string> ids;
  for (const Participant& p : page->items) ids.push_back(p.id);
  EXPECT_THAT(ids, ElementsAre("p-a1", "p-a2"));
  EXPECT_TRUE(page->next_page_token.empty());
  q.organisation_id = "org-b";
  absl::StatusOr<ListPage<Employer>> employers = repo_->ListEmployers(q);
  ASSERT_TRUE(employers.ok());
  ASSERT_EQ(employers->items.size(), 1u);
  EXPECT_EQ(employers->items[0].id, "e-2");
  q.organisation_id = "";
  EXPECT_EQ(repo_->ListEmployers(q)->items.size(), 2u);
  absl::StatusOr<std::vector<std::string>> orgs = repo_->ListOrganisations();
  ASSERT_TRUE(orgs.ok());
  EXPECT_THAT(*orgs, ElementsAre("org-a", "org-b"));
}

TEST_F(SqliteRepositoryTest, ListVacanciesFilters) {
  AddOrgAndEmployer();
  ASSERT_OK(repo_->CreateEmployer(FullEmployer("e-2", "org-a")).status());
  ASSERT_OK(repo_->CreateEmployer(FullEmployer("e-3", "org-b")).status());
  auto add = [&](const std::string& id, const std::string& employer, VacancyStatus status) {
    Vacancy v = FullVacancy(id, employer);
    v.status = status;
    ASSERT_OK(repo_->CreateVacancy(v).status());
  };
  add("v-1", "e-1", VacancyStatus::kOpen);
  add("v-2", "e-2", VacancyStatus::kClosed);
  add("v-3", "e-3", VacancyStatus::kOpen);
  add("v-4", "e-1", VacancyStatus::kClosed);
  auto ids = [&](const VacancyListQuery& q) {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<Vacancy>> all = ListAllVacancies(*repo_, q);
    EXPECT_TRUE(all.ok()) << all.status();
    if (all.ok()) {
      for (const Vacancy& v : *all) out.push_back(v.id);
    }
    return out;
  };
  VacancyListQuery q;
  EXPECT_THAT(ids(q), ElementsAre("v-1", "v-2", "v-3", "v-4"));
  q.organisation_id = "org-a";
  EXPECT_THAT(ids(q), ElementsAre("v-1", "v-2", "v-4"));
  q.status = VacancyStatus::kOpen;
  EXPECT_THAT(ids(q), ElementsAre("v-1"));
  q = VacancyListQuery();
  q.employer_id = "e-1";
  EXPECT_THAT(ids(q), ElementsAre("v-1", "v-4"));
  q.status = VacancyStatus::kClosed;
  EXPECT_THAT(ids(q), ElementsAre("v-4"));
  q = VacancyListQuery();
  q.status = VacancyStatus::kOpen;
  q.page_size = 1;
  absl::StatusOr<ListPage<Vacancy>> first = repo_->ListVacancies(q);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  q.page_token = first->next_page_token;
  absl::StatusOr<ListPage<Vacancy>> second = repo_->ListVacancies(q);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].id, "v-3");
  EXPECT_TRUE(second->next_page_token.empty());
}

// --- transactions ---

TEST_F(SqliteRepositoryTest, InTransactionIsAllOrNothing) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  absl::Status failed = repo_->InTransaction([](Repository& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.EnsureOrganisation("org-new"));
    RETURN_IF_ERROR(tx.CreateParticipant(FullParticipant("p-1", "org-a")).status());
    RETURN_IF_ERROR(tx.CreateParticipant(FullParticipant("p-2", "org-a")).status());
    RETURN_IF_ERROR(tx.CreateParticipant(FullParticipant("p-1", "org-a")).status());  // dup
    return absl::OkStatus();
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(repo_->GetParticipant("p-1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetParticipant("p-2").status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(*repo_->ListOrganisations(), ElementsAre("org-a"));

  ASSERT_OK(repo_->InTransaction([](Repository& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.CreateParticipant(FullParticipant("p-1", "org-a")).status());
    // A failed call the body chooses to ignore leaves nothing behind.
    absl::Status ignored = tx.UpdateParticipant("p-1", [](Participant& p) {
                               p.max_commute_minutes = 1;
                               return absl::AbortedError("changed my mind");
                             }).status();
    if (!absl::IsAborted(ignored)) return absl::InternalError("expected Aborted");
    return tx.CreateParticipant(FullParticipant("p-2", "org-a")).status();
  }));
  EXPECT_EQ(repo_->GetParticipant("p-1")->max_commute_minutes, 50);
  EXPECT_TRUE(repo_->GetParticipant("p-2").ok());
}

TEST_F(SqliteRepositoryTest, ManyThreadsWriteThroughOneRepository) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  Participant shared = FullParticipant("p-shared", "org-a");
  shared.max_commute_minutes = 0;
  ASSERT_OK(repo_->CreateParticipant(shared).status());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string id = absl::StrFormat("p-%d-%02d", t, i);
        if (!repo_->CreateParticipant(FullParticipant(id, "org-a")).ok()) ++failures;
        auto bumped = repo_->UpdateParticipant("p-shared", [](Participant& p) {
          p.max_commute_minutes += 1;
          return absl::OkStatus();
        });
        if (!bumped.ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  absl::StatusOr<std::vector<Participant>> all = ListAllParticipants(*repo_, "org-a");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 101u);
  // Read-modify-write under one lock: no increment is lost.
  EXPECT_EQ(repo_->GetParticipant("p-shared")->max_commute_minutes, 100);
}

TEST(SqliteRepositoryMemoryTest, InMemoryDatabaseWorks) {
  auto repo = SqliteRepository::Open(":memory:");
  ASSERT_TRUE(repo.ok()) << repo.status();
  ASSERT_OK((*repo)->EnsureOrganisation("org-a"));
  ASSERT_OK((*repo)->CreateParticipant(FullParticipant("p-1", "org-a")).status());
  EXPECT_TRUE((*repo)->GetParticipant("p-1").ok());
}

TEST_F(SqliteRepositoryTest, LockedDatabaseIsUnavailable) {
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  SqliteOptions options = Options();
  options.busy_timeout_ms = 20;
  auto second = SqliteRepository::Open(path_, options);
  ASSERT_TRUE(second.ok()) << second.status();
  // The first repository holds the write lock for the duration of a transaction.
  absl::Status inner;
  ASSERT_OK(repo_->InTransaction([&](Repository& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.CreateParticipant(FullParticipant("p-1", "org-a")).status());
    inner = (*second)->CreateParticipant(FullParticipant("p-2", "org-a")).status();
    return absl::OkStatus();
  }));
  EXPECT_EQ(inner.code(), absl::StatusCode::kUnavailable) << inner;
  EXPECT_TRUE((*second)->GetParticipant("p-1").ok());
  EXPECT_TRUE((*second)->CreateParticipant(FullParticipant("p-2", "org-a")).ok());
}

// --- schema ---

TEST_F(SqliteRepositoryTest, NewFileIsMigratedToTheLatestVersion) {
  EXPECT_EQ(*repo_->SchemaVersion(), SqliteRepository::kLatestSchemaVersion);
  EXPECT_EQ(RawCount(path_, "SELECT COUNT(*) FROM schema_migrations"),
            SqliteRepository::kLatestSchemaVersion);
  EXPECT_EQ(RawCount(path_, "PRAGMA foreign_keys"), 0);  // a raw connection's default
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  Reopen();  // reopening an up-to-date file changes nothing
  EXPECT_EQ(*repo_->SchemaVersion(), SqliteRepository::kLatestSchemaVersion);
  EXPECT_EQ(RawCount(path_, "SELECT COUNT(*) FROM schema_migrations"),
            SqliteRepository::kLatestSchemaVersion);
  EXPECT_THAT(*repo_->ListOrganisations(), ElementsAre("org-a"));
}

TEST_F(SqliteRepositoryTest, EmptyExistingFileIsMigrated) {
  repo_.reset();
  fs::remove(path_);
  { std::ofstream touch(path_); }  // a zero-byte file is an empty database to SQLite
  Reopen();
  EXPECT_EQ(*repo_->SchemaVersion(), SqliteRepository::kLatestSchemaVersion);
}

TEST_F(SqliteRepositoryTest, OlderFileIsMigratedAndKeepsItsData) {
  repo_.reset();
  fs::remove(path_);
  SqliteOptions v1 = Options();
  v1.schema_version = 1;
  {
    auto old = SqliteRepository::Open(path_, v1);
    ASSERT_TRUE(old.ok()) << old.status();
    EXPECT_EQ(*(*old)->SchemaVersion(), 1);
    ASSERT_OK((*old)->EnsureOrganisation("org-a"));
    ASSERT_OK((*old)->CreateParticipant(FullParticipant("p-1", "org-a")).status());
    // Version 1 has no API key table yet.
    EXPECT_EQ((*old)->CreateApiKey("org-a", "coach").status().code(), absl::StatusCode::kInternal);
  }
  Reopen();
  EXPECT_EQ(*repo_->SchemaVersion(), SqliteRepository::kLatestSchemaVersion);
  absl::StatusOr<Participant> p = repo_->GetParticipant("p-1");
  ASSERT_TRUE(p.ok()) << p.status();
  Participant expected = FullParticipant("p-1", "org-a");
  expected.create_time_unix = expected.update_time_unix = p->create_time_unix;
  ExpectSame(expected, *p);
  absl::StatusOr<NewApiKey> key = repo_->CreateApiKey("org-a", "coach");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(repo_->Authenticate(key->plaintext).ok());
}

TEST_F(SqliteRepositoryTest, NewerFileIsRefusedAndLeftAlone) {
  repo_.reset();
  RawExec(path_, "PRAGMA user_version = 99");
  absl::StatusOr<std::unique_ptr<SqliteRepository>> r = SqliteRepository::Open(path_, Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("99"));
  EXPECT_EQ(RawCount(path_, "PRAGMA user_version"), 99);
}

TEST_F(SqliteRepositoryTest, RequestingAnOlderVersionThanTheFileIsRefused) {
  repo_.reset();
  SqliteOptions v1 = Options();
  v1.schema_version = 1;
  EXPECT_EQ(SqliteRepository::Open(path_, v1).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteRepositoryTest, ForeignKeysAreEnforcedBelowTheChecks) {
  // Even rows written behind the repository's back cannot dangle once the
  // repository's connection (foreign_keys = ON) touches them.
  ASSERT_OK(repo_->EnsureOrganisation("org-a"));
  ASSERT_OK(repo_->CreateEmployer(FullEmployer("e-1", "org-a")).status());
  ASSERT_OK(repo_->CreateVacancy(FullVacancy("v-1", "e-1")).status());
  EXPECT_EQ(RawCount(path_, "SELECT COUNT(*) FROM vacancies WHERE employer_id = 'e-1'"), 1);
  EXPECT_EQ(RawCount(path_, "SELECT COUNT(*) FROM pragma_foreign_key_list('vacancies')"), 1);
}

// --- API keys ---

TEST_F(SqliteRepositoryTest, ApiKeyLifecycle) {
  absl::StatusOr<NewApiKey> key = repo_->CreateApiKey("org-a", "coach");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->plaintext.size(), 3u + 64u);
  EXPECT_EQ(key->plaintext.substr(0, 3), "cm_");
  EXPECT_THAT(*repo_->ListOrganisations(), ElementsAre("org-a"));  // created with the key

  absl::StatusOr<ApiKeyInfo> who = repo_->Authenticate(key->plaintext);
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->key_id, key->info.key_id);
  EXPECT_EQ(who->organisation_id, "org-a");
  EXPECT_EQ(who->role, "coach");
  EXPECT_EQ(who->revoke_time_unix, 0);

  absl::StatusOr<NewApiKey> other = repo_->CreateApiKey("org-b", "admin");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->plaintext, key->plaintext);
  EXPECT_NE(other->info.key_id, key->info.key_id);

  std::string wrong = key->plaintext;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(repo_->Authenticate(wrong).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(repo_->Authenticate("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(repo_->Authenticate(key->info.key_id).status().code(),
            absl::StatusCode::kUnauthenticated);

  ASSERT_OK(repo_->RevokeApiKey(key->info.key_id));
  EXPECT_EQ(repo_->Authenticate(key->plaintext).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(repo_->Authenticate(other->plaintext).ok());
  ASSERT_OK(repo_->RevokeApiKey(key->info.key_id));  // again: OK
  EXPECT_EQ(repo_->RevokeApiKey("key-unknown").code(), absl::StatusCode::kNotFound);

  absl::StatusOr<std::vector<ApiKeyInfo>> keys = repo_->ListApiKeys("org-a");
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key_id, key->info.key_id);
  EXPECT_GT((*keys)[0].revoke_time_unix, 0);
  EXPECT_EQ(repo_->ListApiKeys("")->size(), 2u);
}

TEST_F(SqliteRepositoryTest, ApiKeyArgumentsAreValidated) {
  EXPECT_EQ(repo_->CreateApiKey("org-a", "root").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(repo_->CreateApiKey("", "coach").status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* role : kApiKeyRoles) {
    EXPECT_TRUE(repo_->CreateApiKey("org-a", role).ok()) << role;
  }
}

TEST_F(SqliteRepositoryTest, PlaintextKeyIsNotInTheFile) {
  absl::StatusOr<NewApiKey> key = repo_->CreateApiKey("org-a", "agency");
  ASSERT_TRUE(key.ok());
  const std::string secret = key->plaintext.substr(3);
  std::string bytes = FileBytes();
  ASSERT_THAT(bytes, HasSubstr(key->info.key_id));  // the file is readable as bytes
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  EXPECT_EQ(bytes.find(secret.substr(0, 16)), std::string::npos);
  // The key still works after a checkpoint moved everything into the main file.
  repo_.reset();
  RawExec(path_, "PRAGMA wal_checkpoint(TRUNCATE)");
  bytes = FileBytes();
  EXPECT_EQ(bytes.find(secret), std::string::npos);
  Reopen();
  EXPECT_TRUE(repo_->Authenticate(key->plaintext).ok());
}

// --- taxonomy ---

TEST_F(SqliteRepositoryTest, TaxonomySaveLoadAndReplace) {
  absl::StatusOr<std::optional<EscoRelease>> none = repo_->LoadTaxonomy();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());

  EscoRelease release = testing_data::SmallRelease(40);
  ASSERT_OK(repo_->SaveTaxonomy(release));
  Reopen();
  absl::StatusOr<std::optional<EscoRelease>> loaded = repo_->LoadTaxonomy();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE(loaded->has_value());
  testing_data::ExpectSame(release, **loaded);

  EscoRelease smaller = testing_data::SmallRelease(3);
  smaller.version = "v1.2.0";
  ASSERT_OK(repo_->SaveTaxonomy(smaller));
  loaded = repo_->LoadTaxonomy();
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  testing_data::ExpectSame(smaller, **loaded);
}

TEST_F(SqliteRepositoryTest, TaxonomyOfFullEscoSizeRoundTrips) {
  // About the size of ESCO v1.1.1: ~150k rows over the five tables.
  EscoRelease release = testing_data::SmallRelease(30000);
  ASSERT_OK(repo_->SaveTaxonomy(release));
  absl::StatusOr<std::optional<EscoRelease>> loaded = repo_->LoadTaxonomy();
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  testing_data::ExpectSame(release, **loaded);
}

TEST_F(SqliteRepositoryTest, FailedTaxonomySaveKeepsThePreviousRelease) {
  EscoRelease release = testing_data::SmallRelease(5);
  ASSERT_OK(repo_->SaveTaxonomy(release));
  absl::Status s = repo_->InTransaction([](Repository& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.SaveTaxonomy(testing_data::SmallRelease(9)));
    return absl::CancelledError("import aborted");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
  absl::StatusOr<std::optional<EscoRelease>> loaded = repo_->LoadTaxonomy();
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  testing_data::ExpectSame(release, **loaded);
}

}  // namespace
}  // namespace carvematch
