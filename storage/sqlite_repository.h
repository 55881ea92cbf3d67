// The SQLite implementation of Repository: one database file, the embedded default
// store of carvematch (docs/storage.md describes the schema).
//
// - Durability: WAL journal with synchronous=FULL, so a call that returned OK survives
//   a crash of the process and of the machine. Foreign keys are enforced.
// - Schema: versioned migrations, each in its own transaction. Opening a file of an
//   older version migrates it; a file written by a newer carvematch is refused with
//   FailedPrecondition (and left untouched).
// - Threads: one connection guarded by one mutex, so calls from many threads are
//   safe and run one at a time. The mutex is recursive: a Mutator or an InTransaction
//   body may call back into the same repository, on the same thread, inside the same
//   transaction.
// - Processes: other processes may open the same file; a call that cannot get the
//   write lock within the busy timeout fails with Unavailable.
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<SqliteRepository> repo,
//                    SqliteRepository::Open("carvematch.db"));
//   ASSIGN_OR_RETURN(Participant p, repo->GetParticipant("p-17"));
#ifndef CARVEMATCH_STORAGE_SQLITE_REPOSITORY_H_
#define CARVEMATCH_STORAGE_SQLITE_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/repository.h"
#include "storage/sqlite_handle.h"

namespace carvematch {

struct SqliteOptions {
  // The schema version to migrate to: the latest by default. A lower value is for
  // tests and tooling that need a database of an older version; a file already at a
  // higher version than this is refused with FailedPrecondition.
  int schema_version = -1;  // -1 = SqliteRepository::kLatestSchemaVersion
  // How long a call waits for another process's lock before giving up (Unavailable).
  int busy_timeout_ms = 5000;
  // Seconds since the Unix epoch for create and update times; the system clock when
  // unset.
  std::function<int64_t()> clock;
};

class SqliteRepository final : public Repository {
 public:
  // 1: organisations, participants, employers, vacancies, schema_migrations.
  // 2: api_keys.  3: the ESCO taxonomy tables.  4: public-transport timetables and
  // zone-to-site matrices (storage/transit_store.h).
  static constexpr int kLatestSchemaVersion = 4;

  // Opens (creating if needed) the database file at `path` and migrates its schema.
  // ":memory:" gives a private in-memory database (no WAL, nothing survives).
  static absl::StatusOr<std::unique_ptr<SqliteRepository>> Open(const std::string& path,
                                                                SqliteOptions options = {});

  SqliteRepository(const SqliteRepository&) = delete;
  SqliteRepository& operator=(const SqliteRepository&) = delete;
  ~SqliteRepository() override;

  // The schema version of the open file (PRAGMA user_version).
  absl::StatusOr<int> SchemaVersion();

  absl::Status EnsureOrganisation(const std::string& id) override;
  absl::StatusOr<std::vector<std::string>> ListOrganisations() override;

  absl::StatusOr<Participant> CreateParticipant(const Participant& p) override;
  absl::StatusOr<Participant> GetParticipant(const std::string& id) override;
  absl::StatusOr<Participant> UpdateParticipant(const std::string& id,
                                                const Mutator<Participant>& mutate) override;
  absl::Status DeleteParticipant(const std::string& id) override;
  absl::StatusOr<ListPage<Participant>> ListParticipants(const ListQuery& query) override;

  absl::StatusOr<Employer> CreateEmployer(const Employer& e) override;
  absl::StatusOr<Employer> GetEmployer(const std::string& id) override;
  absl::StatusOr<Employer> UpdateEmployer(const std::string& id,
                                          const Mutator<Employer>& mutate) override;
  absl::Status DeleteEmployer(const std::string& id) override;
  absl::StatusOr<ListPage<Employer>> ListEmployers(const ListQuery& query) override;

  absl::StatusOr<Vacancy> CreateVacancy(const Vacancy& v) override;
  absl::StatusOr<Vacancy> GetVacancy(const std::string& id) override;
  absl::StatusOr<Vacancy> UpdateVacancy(const std::string& id,
                                        const Mutator<Vacancy>& mutate) override;
  absl::Status DeleteVacancy(const std::string& id) override;
  absl::StatusOr<ListPage<Vacancy>> ListVacancies(const VacancyListQuery& query) override;

  absl::StatusOr<CarvedVacancy> CreateCarvedVacancy(const Vacancy& carved,
                                                    const Mutator<Vacancy>& update_origin) override;

  absl::StatusOr<NewApiKey> CreateApiKey(const std::string& organisation_id,
                                         const std::string& role) override;
  absl::StatusOr<ApiKeyInfo> Authenticate(const std::string& plaintext) override;
  absl::Status RevokeApiKey(const std::string& key_id) override;
  absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(const std::string& organisation_id) override;

  absl::Status SaveTaxonomy(const EscoRelease& release) override;
  absl::StatusOr<std::optional<EscoRelease>> LoadTaxonomy() override;

  absl::Status InTransaction(const std::function<absl::Status(Repository&)>& body) override;

 private:
  enum class TxKind { kRead, kWrite };

  SqliteRepository(SqliteDb db, SqliteOptions options);

  absl::Status Migrate(int target_version);
  int64_t Now() const;

  // Locks the connection, begins a transaction (or a savepoint when one is open),
  // runs `fn`, and commits when it returned OK or rolls back otherwise.
  template <typename Fn>
  auto Transact(TxKind kind, Fn&& fn) -> decltype(fn());
  absl::Status Begin(TxKind kind);
  absl::Status Commit();
  void Rollback();

  // Resource helpers shared by the three kinds; Traits<T> knows the table.
  template <typename T>
  absl::StatusOr<T> CreateLocked(const T& value);
  template <typename T>
  absl::StatusOr<T> GetLocked(const std::string& id);
  template <typename T>
  absl::StatusOr<T> UpdateLocked(const std::string& id, const Mutator<T>& mutate);
  template <typename T>
  absl::Status DeleteLocked(const std::string& id);
  template <typename T>
  absl::StatusOr<ListPage<T>> ListLocked(
      const std::string& select_where,
      const std::vector<std::variant<std::string, int64_t>>& params, const std::string& id_column,
      int page_size, const std::string& page_token, const std::string& fingerprint);
  absl::Status CheckOrganisationExists(const std::string& id, const std::string& field);
  absl::Status CheckEmployerExists(const std::string& id, const std::string& field);
  absl::Status CheckReferences(const Participant& p);
  absl::Status CheckReferences(const Employer& e);
  absl::Status CheckReferences(const Vacancy& v);
  absl::Status Insert(const Participant& p, const std::string& doc);
  absl::Status Insert(const Employer& e, const std::string& doc);
  absl::Status Insert(const Vacancy& v, const std::string& doc);
  absl::Status Replace(const Participant& p, const std::string& doc);
  absl::Status Replace(const Employer& e, const std::string& doc);
  absl::Status Replace(const Vacancy& v, const std::string& doc);

  std::recursive_mutex mu_;
  SqliteDb db_;  // guarded by mu_
  SqliteOptions options_;
  int tx_depth_ = 0;  // guarded by mu_: open transaction + savepoints
};

}  // namespace carvematch

#endif  // CARVEMATCH_STORAGE_SQLITE_REPOSITORY_H_
