#include "storage/sqlite_repository.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <type_traits>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "model/status.h"
#include "nlohmann/json.hpp"
#include "storage/json_codec.h"

namespace carvematch {
namespace {

using json = nlohmann::json;
using SqlParam = std::variant<std::string, int64_t>;

// ---------------------------------------------------------------------------
// Schema. Each migration runs in its own transaction and ends by setting
// PRAGMA user_version to its version; schema_migrations keeps the history.

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, "organisations, participants, employers, vacancies",
     R"sql(
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  description TEXT NOT NULL,
  applied_time INTEGER NOT NULL
);
CREATE TABLE organisations (
  id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
  create_time INTEGER NOT NULL
);
CREATE TABLE participants (
  id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  doc TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX participants_by_organisation ON participants(organisation_id, id);
CREATE TABLE employers (
  id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  doc TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX employers_by_organisation ON employers(organisation_id, id);
CREATE TABLE vacancies (
  id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
  employer_id TEXT NOT NULL REFERENCES employers(id),
  status INTEGER NOT NULL,
  doc TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX vacancies_by_employer ON vacancies(employer_id, id);
CREATE INDEX vacancies_by_status ON vacancies(status, id);
)sql"},
    {2, "api_keys",
     R"sql(
CREATE TABLE api_keys (
  key_id TEXT PRIMARY KEY NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  role TEXT NOT NULL CHECK (role IN ('coach', 'employer', 'agency', 'admin')),
  secret_sha256 TEXT NOT NULL UNIQUE,
  create_time INTEGER NOT NULL,
  revoke_time INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_by_organisation ON api_keys(organisation_id, key_id);
)sql"},
    {3, "ESCO taxonomy",
     R"sql(
CREATE TABLE esco_release (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL,
  save_time INTEGER NOT NULL
);
CREATE TABLE esco_skills (
  uri TEXT NOT NULL,
  label TEXT NOT NULL,
  skill_type TEXT NOT NULL,
  reuse_level TEXT NOT NULL
);
CREATE TABLE esco_occupations (
  uri TEXT NOT NULL,
  label TEXT NOT NULL,
  isco_group TEXT NOT NULL
);
CREATE TABLE esco_occupation_skills (
  occupation_uri TEXT NOT NULL,
  skill_uri TEXT NOT NULL,
  essential INTEGER NOT NULL
);
CREATE TABLE esco_skill_relations (
  from_uri TEXT NOT NULL,
  to_uri TEXT NOT NULL,
  essential INTEGER NOT NULL
);
CREATE TABLE esco_broader (
  narrower_uri TEXT NOT NULL,
  broader_uri TEXT NOT NULL
);
)sql"},
    {4, "public transport: timetables and zone-to-site matrices (storage/transit_store.h)",
     R"sql(
CREATE TABLE transit_timetables (
  name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
  feed_version TEXT NOT NULL,
  summary TEXT NOT NULL,
  data BLOB NOT NULL,
  save_time INTEGER NOT NULL
);
CREATE TABLE transit_zone_matrices (
  timetable_name TEXT NOT NULL REFERENCES transit_timetables(name) ON DELETE CASCADE,
  feed_version TEXT NOT NULL,
  site_set TEXT NOT NULL,
  data BLOB NOT NULL,
  save_time INTEGER NOT NULL,
  PRIMARY KEY (timetable_name, feed_version, site_set)
);
)sql"},
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) ==
                  SqliteRepository::kLatestSchemaVersion,
              "one migration per schema version");

absl::StatusOr<int> ReadUserVersion(sqlite3* db) {
  ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db, "PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::InternalError("PRAGMA user_version returned no row");
  return static_cast<int>(st.ColumnInt(0));
}

absl::Status NewerSchemaError(int found) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the database has schema version ", found, " but this carvematch supports up to ",
      SqliteRepository::kLatestSchemaVersion, "; use a newer carvematch"));
}

// ---------------------------------------------------------------------------
// Resources.

template <typename T>
struct Traits;
template <>
struct Traits<Participant> {
  static constexpr char kKind[] = "participant";
  static constexpr char kTable[] = "participants";
};
template <>
struct Traits<Employer> {
  static constexpr char kKind[] = "employer";
  static constexpr char kTable[] = "employers";
};
template <>
struct Traits<Vacancy> {
  static constexpr char kKind[] = "vacancy";
  static constexpr char kTable[] = "vacancies";
};

template <typename T>
std::string Encode(const T& value) {
  return json(value).dump();
}

template <typename T>
absl::StatusOr<T> DecodeStored(const std::string& doc, const std::string& id) {
  absl::StatusOr<json> j = ParseJson(doc);
  absl::StatusOr<T> value = j.ok() ? FromJson<T>(*j) : absl::StatusOr<T>(j.status());
  if (!value.ok()) {
    return absl::InternalError(absl::StrCat("stored ", Traits<T>::kKind, " \"", id,
                                            "\" cannot be read: ", value.status().message()));
  }
  return value;
}

absl::Status NotFound(const char* kind, const std::string& id) {
  return absl::NotFoundError(absl::StrCat(kind, " \"", id, "\" not found"));
}

// Page tokens: web-safe base64 of {"q": query fingerprint, "a": last id returned}.
std::string MakePageToken(const std::string& fingerprint, const std::string& after_id) {
  std::string text = json{{"q", fingerprint}, {"a", after_id}}.dump();
  return absl::WebSafeBase64Escape(absl::string_view(text.data(), text.size()));
}

absl::StatusOr<std::string> ParsePageToken(const std::string& token,
                                           const std::string& fingerprint) {
  if (token.empty()) return std::string();
  absl::Status bad = InvalidField("page_token", "not a page token of this query");
  std::string text;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &text)) {
    return bad;
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad;
  auto q = j.find("q");
  auto a = j.find("a");
  if (q == j.end() || a == j.end() || !q->is_string() || !a->is_string()) return bad;
  if (q->get<std::string>() != fingerprint) return bad;
  return a->get<std::string>();
}

absl::StatusOr<int> EffectivePageSize(int page_size) {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  if (page_size == 0) return kDefaultPageSize;
  return std::min(page_size, kMaxPageSize);
}

template <typename Result>
absl::Status StatusOf(const absl::StatusOr<Result>& r) {
  return r.status();
}
absl::Status StatusOf(const absl::Status& s) { return s; }

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), static_cast<size_t>(size)));
}

absl::StatusOr<std::string> RandomHex(int bytes) {
  std::string buf(static_cast<size_t>(bytes), '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), bytes) != 1) {
    return absl::InternalError("the random number generator failed");
  }
  return absl::BytesToHexString(absl::string_view(buf.data(), buf.size()));
}

constexpr char kKeyPrefix[] = "cm_";
constexpr int kKeySecretBytes = 32;

ApiKeyInfo ReadApiKey(const Statement& st) {
  ApiKeyInfo info;
  info.key_id = st.ColumnText(0);
  info.organisation_id = st.ColumnText(1);
  info.role = st.ColumnText(2);
  info.create_time_unix = st.ColumnInt(3);
  info.revoke_time_unix = st.ColumnInt(4);
  return info;
}

}  // namespace

// ---------------------------------------------------------------------------
// Opening and migrations.

SqliteRepository::SqliteRepository(SqliteDb db, SqliteOptions options)
    : db_(std::move(db)), options_(std::move(options)) {}

SqliteRepository::~SqliteRepository() = default;

absl::StatusOr<std::unique_ptr<SqliteRepository>> SqliteRepository::Open(const std::string& path,
                                                                         SqliteOptions options) {
  int target = options.schema_version < 0 ? kLatestSchemaVersion : options.schema_version;
  if (target > kLatestSchemaVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema version ", target, " is not known to this carvematch"));
  }
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteDb db(raw);  // closed on every return below unless handed to the repository
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, absl::StrCat("opening ", path));
  sqlite3_extended_result_codes(raw, 1);
  rc = sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "setting the busy timeout");
  RETURN_IF_ERROR(ExecSql(raw, "PRAGMA foreign_keys = ON"));

  // Refuse a newer file before changing anything in it (the journal mode is stored
  // in the file header).
  absl::StatusOr<int> version = ReadUserVersion(raw);
  if (!version.ok()) {
    return absl::Status(version.status().code(),
                        absl::StrCat("reading ", path, ": ", version.status().message()));
  }
  if (*version > kLatestSchemaVersion) return NewerSchemaError(*version);

  {
    ASSIGN_OR_RETURN(Statement st, Statement::Prepare(raw, "PRAGMA journal_mode = WAL"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    std::string mode = row ? st.ColumnText(0) : "";
    if (mode != "wal" && !(path == ":memory:" && mode == "memory")) {
      return absl::FailedPreconditionError(absl::StrCat("cannot use the WAL journal for ", path,
                                                        " (journal mode is \"", mode, "\")"));
    }
  }
  RETURN_IF_ERROR(ExecSql(raw, "PRAGMA synchronous = FULL"));

  std::unique_ptr<SqliteRepository> repo(new SqliteRepository(std::move(db), std::move(options)));
  RETURN_IF_ERROR(repo->Migrate(target));
  return repo;
}

absl::Status SqliteRepository::Migrate(int target_version) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  for (const Migration& m : kMigrations) {
    if (m.version > target_version) break;
    absl::Status s = Transact(TxKind::kWrite, [&]() -> absl::Status {
      // Read again inside the write transaction: another process may have migrated.
      ASSIGN_OR_RETURN(int current, ReadUserVersion(db_.get()));
      if (current > kLatestSchemaVersion) return NewerSchemaError(current);
      if (current > target_version) {
        return absl::FailedPreconditionError(
            absl::StrCat("the database has schema version ", current,
                         ", newer than the requested version ", target_version));
      }
      if (current >= m.version) return absl::OkStatus();
      if (current != m.version - 1) {
        return absl::InternalError(
            absl::StrCat("schema version ", current, " cannot be migrated to ", m.version));
      }
      RETURN_IF_ERROR(ExecSql(db_.get(), m.sql));
      ASSIGN_OR_RETURN(Statement st,
                       Statement::Prepare(db_.get(),
                                          "INSERT INTO schema_migrations (version, "
                                          "description, applied_time) VALUES (?, ?, ?)"));
      RETURN_IF_ERROR(st.BindInt(1, m.version).BindText(2, m.description).BindInt(3, Now()).Run());
      // PRAGMA takes no parameters; the version is a constant of this program.
      std::string pragma = absl::StrCat("PRAGMA user_version = ", m.version);
      return ExecSql(db_.get(), pragma.c_str());
    });
    if (!s.ok()) {
      return absl::Status(
          s.code(), absl::StrCat("migrating the schema to version ", m.version, ": ", s.message()));
    }
  }
  // A file newer than the target but not newer than this program.
  ASSIGN_OR_RETURN(int current, ReadUserVersion(db_.get()));
  if (current > target_version) {
    return absl::FailedPreconditionError(absl::StrCat("the database has schema version ", current,
                                                      ", newer than the requested version ",
                                                      target_version));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> SqliteRepository::SchemaVersion() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  return ReadUserVersion(db_.get());
}

int64_t SqliteRepository::Now() const {
  return options_.clock ? options_.clock() : absl::ToUnixSeconds(absl::Now());
}

// ---------------------------------------------------------------------------
// Transactions.

absl::Status SqliteRepository::Begin(TxKind kind) {
  if (tx_depth_ > 0) {
    if (sqlite3_get_autocommit(db_.get())) {
      return absl::InternalError("the enclosing transaction was rolled back after an error");
    }
    RETURN_IF_ERROR(ExecSql(db_.get(), "SAVEPOINT cm_nested"));
  } else {
    RETURN_IF_ERROR(
        ExecSql(db_.get(), kind == TxKind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
  }
  ++tx_depth_;
  return absl::OkStatus();
}

absl::Status SqliteRepository::Commit() {
  if (sqlite3_get_autocommit(db_.get())) {
    // SQLite rolls a transaction back by itself after some errors (disk full, I/O).
    return absl::InternalError("the transaction was rolled back after an error");
  }
  RETURN_IF_ERROR(ExecSql(db_.get(), tx_depth_ > 1 ? "RELEASE cm_nested" : "COMMIT"));
  --tx_depth_;
  return absl::OkStatus();
}

void SqliteRepository::Rollback() {
  if (!sqlite3_get_autocommit(db_.get())) {
    if (tx_depth_ > 1) {
      // Undo the savepoint's work and remove it; the enclosing transaction goes on.
      (void)ExecSql(db_.get(), "ROLLBACK TO cm_nested");
      (void)ExecSql(db_.get(), "RELEASE cm_nested");
    } else {
      (void)ExecSql(db_.get(), "ROLLBACK");
    }
  }
  --tx_depth_;
}

template <typename Fn>
auto SqliteRepository::Transact(TxKind kind, Fn&& fn) -> decltype(fn()) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  RETURN_IF_ERROR(Begin(kind));
  auto result = fn();
  if (!StatusOf(result).ok()) {
    Rollback();
    return result;
  }
  absl::Status committed = Commit();
  if (!committed.ok()) {
    Rollback();
    return committed;
  }
  return result;
}

absl::Status SqliteRepository::InTransaction(const std::function<absl::Status(Repository&)>& body) {
  return Transact(TxKind::kWrite, [&]() -> absl::Status { return body(*this); });
}

// ---------------------------------------------------------------------------
// Organisations.

absl::Status SqliteRepository::EnsureOrganisation(const std::string& id) {
  if (id.empty()) return InvalidField("organisation_id", "must not be empty");
  return Transact(TxKind::kWrite, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Statement st,
                     Statement::Prepare(db_.get(),
                                        "INSERT INTO organisations (id, create_time) VALUES (?, ?)"
                                        " ON CONFLICT (id) DO NOTHING"));
    return st.BindText(1, id).BindInt(2, Now()).Run();
  });
}

absl::StatusOr<std::vector<std::string>> SqliteRepository::ListOrganisations() {
  return Transact(TxKind::kRead, [&]() -> absl::StatusOr<std::vector<std::string>> {
    ASSIGN_OR_RETURN(Statement st,
                     Statement::Prepare(db_.get(), "SELECT id FROM organisations ORDER BY id"));
    std::vector<std::string> ids;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ids.push_back(st.ColumnText(0));
    }
    return ids;
  });
}

absl::Status SqliteRepository::CheckOrganisationExists(const std::string& id,
                                                       const std::string& field) {
  if (id.empty()) return InvalidField(field, "must not be empty");
  ASSIGN_OR_RETURN(Statement st,
                   Statement::Prepare(db_.get(), "SELECT 1 FROM organisations WHERE id = ?"));
  st.BindText(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": organisation \"", id, "\" does not exist"));
  }
  return absl::OkStatus();
}

absl::Status SqliteRepository::CheckEmployerExists(const std::string& id,
                                                   const std::string& field) {
  if (id.empty()) return InvalidField(field, "must not be empty");
  ASSIGN_OR_RETURN(Statement st,
                   Statement::Prepare(db_.get(), "SELECT 1 FROM employers WHERE id = ?"));
  st.BindText(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": employer \"", id, "\" does not exist"));
  }
  return absl::OkStatus();
}

absl::Status SqliteRepository::CheckReferences(const Participant& p) {
  return CheckOrganisationExists(p.organisation_id, "participant.organisation_id");
}
absl::Status SqliteRepository::CheckReferences(const Employer& e) {
  return CheckOrganisationExists(e.organisation_id, "employer.organisation_id");
}
absl::Status SqliteRepository::CheckReferences(const Vacancy& v) {
  return CheckEmployerExists(v.employer_id, "vacancy.employer_id");
}

// ---------------------------------------------------------------------------
// Rows.

absl::Status SqliteRepository::Insert(const Participant& p, const std::string& doc) {
  ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                    "INSERT INTO participants (id, "
                                                    "organisation_id, doc, create_time, "
                                                    "update_time) VALUES (?, ?, ?, ?, ?)"));
  return st.BindText(1, p.id)
      .BindText(2, p.organisation_id)
      .BindText(3, doc)
      .BindInt(4, p.create_time_unix)
      .BindInt(5, p.update_time_unix)
      .Run();
}

absl::Status SqliteRepository::Insert(const Employer& e, const std::string& doc) {
  ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                    "INSERT INTO employers (id, "
                                                    "organisation_id, doc, create_time, "
                                                    "update_time) VALUES (?, ?, ?, ?, ?)"));
  return st.BindText(1, e.id)
      .BindText(2, e.organisation_id)
      .BindText(3, doc)
      .BindInt(4, e.create_time_unix)
      .BindInt(5, e.update_time_unix)
      .Run();
}

absl::Status SqliteRepository::Insert(const Vacancy& v, const std::string& doc) {
  ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                    "INSERT INTO vacancies (id, employer_id, "
                                                    "status, doc, create_time, update_time) "
                                                    "VALUES (?, ?, ?, ?, ?, ?)"));
  return st.BindText(1, v.id)
      .BindText(2, v.employer_id)
      .BindInt(3, static_cast<int64_t>(v.status))
      .BindText(4, doc)
      .BindInt(5, v.create_time_unix)
      .BindInt(6, v.update_time_unix)
      .Run();
}

absl::Status SqliteRepository::Replace(const Participant& p, const std::string& doc) {
  ASSIGN_OR_RETURN(Statement st,
                   Statement::Prepare(db_.get(),
                                      "UPDATE participants SET organisation_id = ?, doc = ?, "
                                      "update_time = ? WHERE id = ?"));
  return st.BindText(1, p.organisation_id)
      .BindText(2, doc)
      .BindInt(3, p.update_time_unix)
      .BindText(4, p.id)
      .Run();
}

absl::Status SqliteRepository::Replace(const Employer& e, const std::string& doc) {
  ASSIGN_OR_RETURN(Statement st,
                   Statement::Prepare(db_.get(),
                                      "UPDATE employers SET organisation_id = ?, doc = ?, "
                                      "update_time = ? WHERE id = ?"));
  return st.BindText(1, e.organisation_id)
      .BindText(2, doc)
      .BindInt(3, e.update_time_unix)
      .BindText(4, e.id)
      .Run();
}

absl::Status SqliteRepository::Replace(const Vacancy& v, const std::string& doc) {
  ASSIGN_OR_RETURN(Statement st,
                   Statement::Prepare(db_.get(),
                                      "UPDATE vacancies SET employer_id = ?, status = ?, doc = ?,"
                                      " update_time = ? WHERE id = ?"));
  return st.BindText(1, v.employer_id)
      .BindInt(2, static_cast<int64_t>(v.status))
      .BindText(3, doc)
      .BindInt(4, v.update_time_unix)
      .BindText(5, v.id)
      .Run();
}

template <typename T>
absl::StatusOr<T> SqliteRepository::GetLocked(const std::string& id) {
  ASSIGN_OR_RETURN(Statement st,
                   Statement::Prepare(db_.get(), absl::StrCat("SELECT doc FROM ", Traits<T>::kTable,
                                                              " WHERE id = ?")));
  st.BindText(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NotFound(Traits<T>::kKind, id);
  return DecodeStored<T>(st.ColumnText(0), id);
}

template <typename T>
absl::StatusOr<T> SqliteRepository::CreateLocked(const T& value) {
  const std::string kind = Traits<T>::kKind;
  if (value.id.empty()) return InvalidField(kind + ".id", "must not be empty");
  RETURN_IF_ERROR(CheckReferences(value));
  absl::StatusOr<T> existing = GetLocked<T>(value.id);
  if (existing.ok()) {
    return absl::AlreadyExistsError(absl::StrCat(kind, " \"", value.id, "\" already exists"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  T stored = value;
  stored.create_time_unix = Now();
  stored.update_time_unix = stored.create_time_unix;
  RETURN_IF_ERROR(Insert(stored, Encode(stored)));
  return stored;
}

template <typename T>
absl::StatusOr<T> SqliteRepository::UpdateLocked(const std::string& id, const Mutator<T>& mutate) {
  const std::string kind = Traits<T>::kKind;
  ASSIGN_OR_RETURN(T current, GetLocked<T>(id));
  T updated = current;
  RETURN_IF_ERROR(mutate(updated));
  if (updated.id != id) return InvalidField(kind + ".id", "cannot be changed");
  updated.create_time_unix = current.create_time_unix;
  updated.update_time_unix = Now();
  RETURN_IF_ERROR(CheckReferences(updated));
  RETURN_IF_ERROR(Replace(updated, Encode(updated)));
  return updated;
}

template <typename T>
absl::Status SqliteRepository::DeleteLocked(const std::string& id) {
  if constexpr (std::is_same_v<T, Employer>) {
    ASSIGN_OR_RETURN(Statement count, Statement::Prepare(db_.get(),
                                                         "SELECT COUNT(*) FROM vacancies "
                                                         "WHERE employer_id = ?"));
    count.BindText(1, id);
    ASSIGN_OR_RETURN(bool row, count.Step());
    int64_t n = row ? count.ColumnInt(0) : 0;
    if (n > 0) {
      return absl::FailedPreconditionError(absl::StrCat("employer \"", id, "\" still has ", n,
                                                        n == 1 ? " vacancy" : " vacancies",
                                                        "; delete them first"));
    }
  }
  ASSIGN_OR_RETURN(Statement st,
                   Statement::Prepare(db_.get(), absl::StrCat("DELETE FROM ", Traits<T>::kTable,
                                                              " WHERE id = ?")));
  RETURN_IF_ERROR(st.BindText(1, id).Run());
  if (sqlite3_changes(db_.get()) == 0) return NotFound(Traits<T>::kKind, id);
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<ListPage<T>> SqliteRepository::ListLocked(const std::string& select_where,
                                                         const std::vector<SqlParam>& params,
                                                         const std::string& id_column,
                                                         int page_size,
                                                         const std::string& page_token,
                                                         const std::string& fingerprint) {
  ASSIGN_OR_RETURN(int limit, EffectivePageSize(page_size));
  ASSIGN_OR_RETURN(std::string after, ParsePageToken(page_token, fingerprint));
  // Fetch one row more than the page to learn whether another page follows.
  std::string sql =
      absl::StrCat(select_where, " AND ", id_column, " > ? ORDER BY ", id_column, " LIMIT ?");
  ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(), sql));
  int index = 1;
  for (const SqlParam& p : params) {
    if (const std::string* text = std::get_if<std::string>(&p)) {
      st.BindText(index++, *text);
    } else {
      st.BindInt(index++, std::get<int64_t>(p));
    }
  }
  st.BindText(index++, after);
  st.BindInt(index++, limit + 1);
  ListPage<T> page;
  std::string last_id;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_page_token = MakePageToken(fingerprint, last_id);
      break;
    }
    last_id = st.ColumnText(1);
    ASSIGN_OR_RETURN(T item, DecodeStored<T>(st.ColumnText(0), last_id));
    page.items.push_back(std::move(item));
  }
  return page;
}

// ---------------------------------------------------------------------------
// Participants, employers, vacancies.

absl::StatusOr<Participant> SqliteRepository::CreateParticipant(const Participant& p) {
  return Transact(TxKind::kWrite, [&] { return CreateLocked(p); });
}
absl::StatusOr<Participant> SqliteRepository::GetParticipant(const std::string& id) {
  return Transact(TxKind::kRead, [&] { return GetLocked<Participant>(id); });
}
absl::StatusOr<Participant> SqliteRepository::UpdateParticipant(
    const std::string& id, const Mutator<Participant>& mutate) {
  return Transact(TxKind::kWrite, [&] { return UpdateLocked(id, mutate); });
}
absl::Status SqliteRepository::DeleteParticipant(const std::string& id) {
  return Transact(TxKind::kWrite, [&] { return DeleteLocked<Participant>(id); });
}
absl::StatusOr<ListPage<Participant>> SqliteRepository::ListParticipants(const ListQuery& query) {
  std::string where = "SELECT doc, id FROM participants WHERE 1 = 1";
  std::vector<SqlParam> params;
  if (!query.organisation_id.empty()) {
    where += " AND organisation_id = ?";
    params.push_back(query.organisation_id);
  }
  std::string fingerprint = json::array({"participants", query.organisation_id}).dump();
  return Transact(TxKind::kRead, [&] {
    return ListLocked<Participant>(where, params, "id", query.page_size, query.page_token,
                                   fingerprint);
  });
}

absl::StatusOr<Employer> SqliteRepository::CreateEmployer(const Employer& e) {
  return Transact(TxKind::kWrite, [&] { return CreateLocked(e); });
}
absl::StatusOr<Employer> SqliteRepository::GetEmployer(const std::string& id) {
  return Transact(TxKind::kRead, [&] { return GetLocked<Employer>(id); });
}
absl::StatusOr<Employer> SqliteRepository::UpdateEmployer(const std::string& id,
                                                          const Mutator<Employer>& mutate) {
  return Transact(TxKind::kWrite, [&] { return UpdateLocked(id, mutate); });
}
absl::Status SqliteRepository::DeleteEmployer(const std::string& id) {
  return Transact(TxKind::kWrite, [&] { return DeleteLocked<Employer>(id); });
}
absl::StatusOr<ListPage<Employer>> SqliteRepository::ListEmployers(const ListQuery& query) {
  std::string where = "SELECT doc, id FROM employers WHERE 1 = 1";
  std::vector<SqlParam> params;
  if (!query.organisation_id.empty()) {
    where += " AND organisation_id = ?";
    params.push_back(query.organisation_id);
  }
  std::string fingerprint = json::array({"employers", query.organisation_id}).dump();
  return Transact(TxKind::kRead, [&] {
    return ListLocked<Employer>(where, params, "id", query.page_size, query.page_token,
                                fingerprint);
  });
}

absl::StatusOr<Vacancy> SqliteRepository::CreateVacancy(const Vacancy& v) {
  return Transact(TxKind::kWrite, [&] { return CreateLocked(v); });
}
absl::StatusOr<Vacancy> SqliteRepository::GetVacancy(const std::string& id) {
  return Transact(TxKind::kRead, [&] { return GetLocked<Vacancy>(id); });
}
absl::StatusOr<Vacancy> SqliteRepository::UpdateVacancy(const std::string& id,
                                                        const Mutator<Vacancy>& mutate) {
  return Transact(TxKind::kWrite, [&] { return UpdateLocked(id, mutate); });
}
absl::Status SqliteRepository::DeleteVacancy(const std::string& id) {
  return Transact(TxKind::kWrite, [&] { return DeleteLocked<Vacancy>(id); });
}
absl::StatusOr<CarvedVacancy> SqliteRepository::CreateCarvedVacancy(
    const Vacancy& carved, const Mutator<Vacancy>& update_origin) {
  if (carved.carved_from.empty()) {
    return InvalidField("vacancy.carved_from", "a carved vacancy names its origins");
  }
  return Transact(TxKind::kWrite, [&]() -> absl::StatusOr<CarvedVacancy> {
    CarvedVacancy out;
    ASSIGN_OR_RETURN(out.vacancy, CreateLocked(carved));
    for (const std::string& origin_id : carved.carved_from) {
      absl::StatusOr<Vacancy> origin = GetLocked<Vacancy>(origin_id);
      if (absl::IsNotFound(origin.status())) {
        return absl::FailedPreconditionError(
            absl::StrCat("origin vacancy \"", origin_id, "\" does not exist"));
      }
      RETURN_IF_ERROR(origin.status());
      if (origin->employer_id != carved.employer_id) {
        return absl::FailedPreconditionError(
            absl::StrCat("origin vacancy \"", origin_id, "\" belongs to employer \"",
                         origin->employer_id, "\", not \"", carved.employer_id, "\""));
      }
      ASSIGN_OR_RETURN(Vacancy updated, UpdateLocked(origin_id, update_origin));
      if (updated.employer_id != carved.employer_id) {
        return InvalidField("vacancy.employer_id", "an origin's employer cannot change");
      }
      out.origins.push_back(std::move(updated));
    }
    return out;
  });
}

absl::StatusOr<ListPage<Vacancy>> SqliteRepository::ListVacancies(const VacancyListQuery& query) {
  std::string where = "SELECT v.doc, v.id FROM vacancies v";
  std::vector<SqlParam> params;
  if (!query.organisation_id.empty()) {
    where += " JOIN employers e ON e.id = v.employer_id WHERE e.organisation_id = ?";
    params.push_back(query.organisation_id);
  } else {
    where += " WHERE 1 = 1";
  }
  if (!query.employer_id.empty()) {
    where += " AND v.employer_id = ?";
    params.push_back(query.employer_id);
  }
  if (query.status != VacancyStatus::kUnspecified) {
    where += " AND v.status = ?";
    params.push_back(static_cast<int64_t>(query.status));
  }
  std::string fingerprint = json::array({"vacancies", query.organisation_id, query.employer_id,
                                         static_cast<int>(query.status)})
                                .dump();
  return Transact(TxKind::kRead, [&] {
    return ListLocked<Vacancy>(where, params, "v.id", query.page_size, query.page_token,
                               fingerprint);
  });
}

// ---------------------------------------------------------------------------
// API keys.

absl::StatusOr<NewApiKey> SqliteRepository::CreateApiKey(const std::string& organisation_id,
                                                         const std::string& role) {
  if (organisation_id.empty()) return InvalidField("organisation_id", "must not be empty");
  if (!IsValidApiKeyRole(role)) {
    return InvalidField("role", absl::StrCat("unknown role \"", role,
                                             "\"; expected coach, employer, agency or admin"));
  }
  ASSIGN_OR_RETURN(std::string secret, RandomHex(kKeySecretBytes));
  ASSIGN_OR_RETURN(std::string key_suffix, RandomHex(8));
  NewApiKey key;
  key.plaintext = absl::StrCat(kKeyPrefix, secret);
  key.info.key_id = absl::StrCat("key-", key_suffix);
  key.info.organisation_id = organisation_id;
  key.info.role = role;
  return Transact(TxKind::kWrite, [&]() -> absl::StatusOr<NewApiKey> {
    RETURN_IF_ERROR(EnsureOrganisation(organisation_id));
    key.info.create_time_unix = Now();
    ASSIGN_OR_RETURN(Statement st,
                     Statement::Prepare(db_.get(),
                                        "INSERT INTO api_keys (key_id, organisation_id, role, "
                                        "secret_sha256, create_time) VALUES (?, ?, ?, ?, ?)"));
    RETURN_IF_ERROR(st.BindText(1, key.info.key_id)
                        .BindText(2, organisation_id)
                        .BindText(3, role)
                        .BindText(4, Sha256Hex(key.plaintext))
                        .BindInt(5, key.info.create_time_unix)
                        .Run());
    return key;
  });
}

absl::StatusOr<ApiKeyInfo> SqliteRepository::Authenticate(const std::string& plaintext) {
  absl::Status denied = absl::UnauthenticatedError("unknown or revoked API key");
  if (plaintext.size() != sizeof(kKeyPrefix) - 1 + 2 * kKeySecretBytes ||
      plaintext.compare(0, sizeof(kKeyPrefix) - 1, kKeyPrefix) != 0) {
    return denied;
  }
  std::string hash = Sha256Hex(plaintext);
  return Transact(TxKind::kRead, [&]() -> absl::StatusOr<ApiKeyInfo> {
    ASSIGN_OR_RETURN(Statement st,
                     Statement::Prepare(db_.get(),
                                        "SELECT key_id, organisation_id, role, create_time, "
                                        "revoke_time FROM api_keys WHERE secret_sha256 = ?"));
    st.BindText(1, hash);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return denied;
    ApiKeyInfo info = ReadApiKey(st);
    if (info.revoke_time_unix != 0) return denied;
    return info;
  });
}

absl::Status SqliteRepository::RevokeApiKey(const std::string& key_id) {
  return Transact(TxKind::kWrite, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                      "UPDATE api_keys SET revoke_time = CASE WHEN "
                                                      "revoke_time = 0 THEN ? ELSE revoke_time END "
                                                      "WHERE key_id = ?"));
    RETURN_IF_ERROR(st.BindInt(1, Now()).BindText(2, key_id).Run());
    if (sqlite3_changes(db_.get()) == 0) {
      return absl::NotFoundError(absl::StrCat("API key \"", key_id, "\" not found"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ApiKeyInfo>> SqliteRepository::ListApiKeys(
    const std::string& organisation_id) {
  return Transact(TxKind::kRead, [&]() -> absl::StatusOr<std::vector<ApiKeyInfo>> {
    std::string sql =
        "SELECT key_id, organisation_id, role, create_time, revoke_time FROM api_keys";
    if (!organisation_id.empty()) sql += " WHERE organisation_id = ?";
    sql += " ORDER BY key_id";
    ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(), sql));
    if (!organisation_id.empty()) st.BindText(1, organisation_id);
    std::vector<ApiKeyInfo> keys;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      keys.push_back(ReadApiKey(st));
    }
    return keys;
  });
}

// ---------------------------------------------------------------------------
// Taxonomy. Each table keeps the release's order in its rowid.

absl::Status SqliteRepository::SaveTaxonomy(const EscoRelease& release) {
  return Transact(TxKind::kWrite, [&]() -> absl::Status {
    for (const char* sql : {"DELETE FROM esco_release", "DELETE FROM esco_skills",
                            "DELETE FROM esco_occupations", "DELETE FROM esco_occupation_skills",
                            "DELETE FROM esco_skill_relations", "DELETE FROM esco_broader"}) {
      RETURN_IF_ERROR(ExecSql(db_.get(), sql));
    }
    {
      ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                        "INSERT INTO esco_release (id, version, "
                                                        "save_time) VALUES (1, ?, ?)"));
      RETURN_IF_ERROR(st.BindText(1, release.version).BindInt(2, Now()).Run());
    }
    {
      ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                        "INSERT INTO esco_skills (uri, label, "
                                                        "skill_type, reuse_level) VALUES "
                                                        "(?, ?, ?, ?)"));
      for (const EscoSkill& s : release.skills) {
        st.Reset();
        RETURN_IF_ERROR(st.BindText(1, s.uri)
                            .BindText(2, s.label)
                            .BindText(3, s.skill_type)
                            .BindText(4, s.reuse_level)
                            .Run());
      }
    }
    {
      ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                        "INSERT INTO esco_occupations (uri, "
                                                        "label, isco_group) VALUES (?, ?, ?)"));
      for (const EscoOccupation& o : release.occupations) {
        st.Reset();
        RETURN_IF_ERROR(st.BindText(1, o.uri).BindText(2, o.label).BindText(3, o.isco_group).Run());
      }
    }
    {
      ASSIGN_OR_RETURN(Statement st,
                       Statement::Prepare(db_.get(),
                                          "INSERT INTO esco_occupation_skills (occupation_uri, "
                                          "skill_uri, essential) VALUES (?, ?, ?)"));
      for (const EscoOccupationSkill& r : release.occupation_skills) {
        st.Reset();
        RETURN_IF_ERROR(st.BindText(1, r.occupation_uri)
                            .BindText(2, r.skill_uri)
                            .BindInt(3, r.essential ? 1 : 0)
                            .Run());
      }
    }
    {
      ASSIGN_OR_RETURN(Statement st,
                       Statement::Prepare(db_.get(),
                                          "INSERT INTO esco_skill_relations (from_uri, to_uri, "
                                          "essential) VALUES (?, ?, ?)"));
      for (const EscoSkillRelation& r : release.skill_relations) {
        st.Reset();
        RETURN_IF_ERROR(
            st.BindText(1, r.from_uri).BindText(2, r.to_uri).BindInt(3, r.essential ? 1 : 0).Run());
      }
    }
    {
      ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                        "INSERT INTO esco_broader (narrower_uri, "
                                                        "broader_uri) VALUES (?, ?)"));
      for (const EscoBroader& b : release.broader) {
        st.Reset();
        RETURN_IF_ERROR(st.BindText(1, b.narrower_uri).BindText(2, b.broader_uri).Run());
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<EscoRelease>> SqliteRepository::LoadTaxonomy() {
  return Transact(TxKind::kRead, [&]() -> absl::StatusOr<std::optional<EscoRelease>> {
    EscoRelease release;
    {
      ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(),
                                                        "SELECT version FROM esco_release "
                                                        "WHERE id = 1"));
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return std::optional<EscoRelease>();
      release.version = st.ColumnText(0);
    }
    // Runs `sql` and calls `read` for each row.
    auto each_row = [&](const char* sql, auto read) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(), sql));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) return absl::OkStatus();
        read(st);
      }
    };
    RETURN_IF_ERROR(
        each_row("SELECT uri, label, skill_type, reuse_level FROM esco_skills ORDER BY rowid",
                 [&](const Statement& st) {
                   release.skills.push_back(
                       {st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3)});
                 }));
    RETURN_IF_ERROR(each_row(
        "SELECT uri, label, isco_group FROM esco_occupations ORDER BY rowid",
        [&](const Statement& st) {
          release.occupations.push_back({st.ColumnText(0), st.ColumnText(1), st.ColumnText(2)});
        }));
    RETURN_IF_ERROR(each_row(
        "SELECT occupation_uri, skill_uri, essential FROM esco_occupation_skills ORDER BY rowid",
        [&](const Statement& st) {
          release.occupation_skills.push_back(
              {st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2) != 0});
        }));
    RETURN_IF_ERROR(
        each_row("SELECT from_uri, to_uri, essential FROM esco_skill_relations ORDER BY rowid",
                 [&](const Statement& st) {
                   release.skill_relations.push_back(
                       {st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2) != 0});
                 }));
    RETURN_IF_ERROR(each_row("SELECT narrower_uri, broader_uri FROM esco_broader ORDER BY rowid",
                             [&](const Statement& st) {
                               release.broader.push_back({st.ColumnText(0), st.ColumnText(1)});
                             }));
    return std::optional<EscoRelease>(std::move(release));
  });
}

}  // namespace carvematch
