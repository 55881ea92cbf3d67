// The persistent store of carvematch: organisations, participants, employers,
// vacancies, API keys and the ESCO taxonomy, behind an interface so that the SQLite
// file (storage/sqlite_repository.h, the embedded default) can be replaced by a
// shared database server without touching the services.
//
// Every method is one transaction: it happens completely or not at all. Errors:
//   - NotFound            the resource does not exist;
//   - AlreadyExists       Create with an id that is taken;
//   - FailedPrecondition  a reference is missing (participant of an unknown
//                         organisation, vacancy of an unknown employer) or a delete
//                         would orphan rows (an employer that still has vacancies);
//   - InvalidArgument     malformed input (empty id, bad page token, unknown role);
//   - Unauthenticated     Authenticate with an unknown or revoked key;
//   - Unavailable         the database is busy or locked by another process: retry;
//   - Internal            anything else (I/O error, corrupt document).
// Stored resources are not validated here beyond the ids: validate with
// model/validation.h before storing.
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<SqliteRepository> repo,
//                    SqliteRepository::Open("/var/lib/carvematch/carvematch.db"));
//   RETURN_IF_ERROR(repo->EnsureOrganisation("org-a"));
//   ASSIGN_OR_RETURN(Participant stored, repo->CreateParticipant(p));
//   ASSIGN_OR_RETURN(Participant updated, repo->UpdateParticipant(
//       stored.id, [](Participant& q) { q.max_commute_minutes = 60; return absl::OkStatus(); }));
//   // All-or-nothing import of many resources:
//   RETURN_IF_ERROR(repo->InTransaction([&](Repository& tx) -> absl::Status {
//     for (const Participant& q : batch) RETURN_IF_ERROR(tx.CreateParticipant(q).status());
//     return absl::OkStatus();
//   }));
#ifndef CARVEMATCH_STORAGE_REPOSITORY_H_
#define CARVEMATCH_STORAGE_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"
#include "taxonomy/esco.h"

namespace carvematch {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// One page of a List call, in ascending id order.
// - page_size 0 means kDefaultPageSize; above kMaxPageSize it is lowered to
//   kMaxPageSize; negative is InvalidArgument.
// - page_token is "" for the first page, else the next_page_token of the previous
//   page of the same query (same filters): a token from another query or a garbled
//   one is InvalidArgument. Tokens are opaque and stay valid across inserts and
//   deletes (paging continues after the last id seen).
struct ListQuery {
  std::string organisation_id;  // "" = all organisations
  int page_size = 0;
  std::string page_token;
};

// The filters of ListVacancies; all given filters apply together.
struct VacancyListQuery {
  std::string organisation_id;                         // the employer's organisation; "" = all
  std::string employer_id;                             // "" = all employers
  VacancyStatus status = VacancyStatus::kUnspecified;  // kUnspecified = any status
  int page_size = 0;
  std::string page_token;
};

template <typename T>
struct ListPage {
  std::vector<T> items;
  std::string next_page_token;  // "" on the last page
};

// The roles an API key can have.
inline constexpr const char* kApiKeyRoles[] = {"coach", "employer", "agency", "admin"};
bool IsValidApiKeyRole(const std::string& role);

// An API key as stored: never the secret.
struct ApiKeyInfo {
  std::string key_id;  // "key-" + 16 hex digits; safe to log
  std::string organisation_id;
  std::string role;  // one of kApiKeyRoles
  int64_t create_time_unix = 0;
  int64_t revoke_time_unix = 0;  // 0 = active
};

// The result of CreateApiKey: the plaintext is shown once and never stored.
struct NewApiKey {
  ApiKeyInfo info;
  std::string plaintext;  // "cm_" + 64 hex digits (32 random bytes)
};

// The result of Repository::CreateCarvedVacancy.
struct CarvedVacancy {
  Vacancy vacancy;               // the new vacancy as stored
  std::vector<Vacancy> origins;  // the updated origins as stored, in carved_from order
};

// Read-modify-write callback of the Update methods: change the resource in place, or
// return an error to abandon the update (nothing is written, the error is returned).
template <typename T>
using Mutator = std::function<absl::Status(T&)>;

class Repository {
 public:
  virtual ~Repository() = default;

  // --- organisations (tenants: coaching organisations, agencies, employers' HR) ---
  // Creates the organisation if it does not exist; OK either way.
  virtual absl::Status EnsureOrganisation(const std::string& id) = 0;
  // All organisation ids in ascending order.
  virtual absl::StatusOr<std::vector<std::string>> ListOrganisations() = 0;

  // --- participants ---
  // Stores a new participant; the store sets create_time_unix and update_time_unix
  // (the values passed in are ignored). AlreadyExists when the id is taken,
  // FailedPrecondition when the organisation does not exist. Returns what is stored.
  virtual absl::StatusOr<Participant> CreateParticipant(const Participant& p) = 0;
  virtual absl::StatusOr<Participant> GetParticipant(const std::string& id) = 0;
  // Reads, calls `mutate`, writes, in one write transaction, so concurrent updates
  // never lose each other's changes. The mutator must not change the id
  // (InvalidArgument) and sees the stored create time; the store sets update_time_unix.
  // Returns the stored result.
  virtual absl::StatusOr<Participant> UpdateParticipant(const std::string& id,
                                                        const Mutator<Participant>& mutate) = 0;
  virtual absl::Status DeleteParticipant(const std::string& id) = 0;
  virtual absl::StatusOr<ListPage<Participant>> ListParticipants(const ListQuery& query) = 0;

  // --- employers (same contract as participants) ---
  virtual absl::StatusOr<Employer> CreateEmployer(const Employer& e) = 0;
  virtual absl::StatusOr<Employer> GetEmployer(const std::string& id) = 0;
  virtual absl::StatusOr<Employer> UpdateEmployer(const std::string& id,
                                                  const Mutator<Employer>& mutate) = 0;
  // FailedPrecondition while the employer still has vacancies.
  virtual absl::Status DeleteEmployer(const std::string& id) = 0;
  virtual absl::StatusOr<ListPage<Employer>> ListEmployers(const ListQuery& query) = 0;

  // --- vacancies (same contract; the employer must exist: FailedPrecondition) ---
  virtual absl::StatusOr<Vacancy> CreateVacancy(const Vacancy& v) = 0;
  virtual absl::StatusOr<Vacancy> GetVacancy(const std::string& id) = 0;
  virtual absl::StatusOr<Vacancy> UpdateVacancy(const std::string& id,
                                                const Mutator<Vacancy>& mutate) = 0;
  virtual absl::Status DeleteVacancy(const std::string& id) = 0;
  virtual absl::StatusOr<ListPage<Vacancy>> ListVacancies(const VacancyListQuery& query) = 0;

  // --- carving (CarvingService.PublishBundle) ---
  // Creates `carved`, a job made of tasks taken from the vacancies listed in
  // carved.carved_from, and updates each of those origins with `update_origin`
  // (read-modify-write as UpdateVacancy; the mutator sees which origin by its id), all
  // in one transaction: either the new vacancy and every updated origin are stored, or
  // nothing is. The new vacancy is created first, then the origins in carved_from order.
  // - InvalidArgument: carved_from is empty;
  // - FailedPrecondition: an origin does not exist or has another employer than
  //   `carved`; the employer of `carved` does not exist;
  // - AlreadyExists: the id of `carved` is taken;
  // - any error `update_origin` returns (nothing is written).
  // Returns what is stored.
  virtual absl::StatusOr<CarvedVacancy> CreateCarvedVacancy(
      const Vacancy& carved, const Mutator<Vacancy>& update_origin) = 0;

  // --- API keys ---
  // Creates a key for the organisation (creating the organisation if needed).
  // InvalidArgument for an empty organisation id or a role not in kApiKeyRoles.
  virtual absl::StatusOr<NewApiKey> CreateApiKey(const std::string& organisation_id,
                                                 const std::string& role) = 0;
  // The key whose plaintext this is; Unauthenticated when unknown or revoked.
  virtual absl::StatusOr<ApiKeyInfo> Authenticate(const std::string& plaintext) = 0;
  // Revokes the key from now on; NotFound for an unknown key id; revoking a revoked
  // key is OK and keeps the first revoke time.
  virtual absl::Status RevokeApiKey(const std::string& key_id) = 0;
  // The keys of one organisation ("" = all), revoked ones included, by key id.
  virtual absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(
      const std::string& organisation_id) = 0;

  // --- taxonomy ---
  // Replaces the stored ESCO release as a whole.
  virtual absl::Status SaveTaxonomy(const EscoRelease& release) = 0;
  // The stored release, with every list in the order it was saved; nullopt when none.
  virtual absl::StatusOr<std::optional<EscoRelease>> LoadTaxonomy() = 0;

  // --- batches ---
  // Runs `body` inside one transaction: when it returns OK everything it did through
  // the repository is committed together; when it returns an error (or any call in it
  // fails and the error is passed on) nothing of it is kept and that error is
  // returned. Calls inside `body` are themselves atomic, so a failed call that `body`
  // chooses to ignore leaves no partial writes. Nesting is allowed. While `body` runs,
  // other threads' calls wait; `body` must not wait for them.
  virtual absl::Status InTransaction(const std::function<absl::Status(Repository&)>& body) = 0;
};

// Every participant (of one organisation, or all for ""), in id order, read in pages
// of kMaxPageSize: for loading the matcher's index. Not one snapshot: rows written
// concurrently may or may not appear.
absl::StatusOr<std::vector<Participant>> ListAllParticipants(Repository& repo,
                                                             const std::string& organisation_id);
absl::StatusOr<std::vector<Employer>> ListAllEmployers(Repository& repo,
                                                       const std::string& organisation_id);
// Every vacancy matching the query's filters (its page_size and page_token are ignored).
absl::StatusOr<std::vector<Vacancy>> ListAllVacancies(Repository& repo, VacancyListQuery query);

}  // namespace carvematch

#endif  // CARVEMATCH_STORAGE_REPOSITORY_H_
