#include "storage/transit_store.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"

namespace carvematch {
namespace {

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A prepared statement with blob support (storage/sqlite_handle.h's Statement binds
// text and integers only).
class Stmt {
 public:
  static absl::StatusOr<Stmt> Prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db, rc, absl::StrCat("preparing \"", sql, "\""));
    return Stmt(db, st);
  }
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_), rc_(o.rc_) { o.st_ = nullptr; }
  Stmt(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(st_); }

  Stmt& Text(int i, const std::string& v) {
    Note(sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Stmt& Int(int i, int64_t v) {
    Note(sqlite3_bind_int64(st_, i, v));
    return *this;
  }
  Stmt& Blob(int i, const std::string& v) {
    if (v.size() > static_cast<size_t>(INT32_MAX)) {
      Note(SQLITE_TOOBIG);
    } else {
      Note(sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
    }
    return *this;
  }
  // True for a row, false when done.
  absl::StatusOr<bool> Step() {
    if (rc_ != SQLITE_OK) return SqliteStatus(db_, rc_, "binding a parameter");
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteStatus(db_, rc, absl::StrCat("running \"", sqlite3_sql(st_), "\""));
  }
  absl::Status Run() { return Step().status(); }
  std::string Column(int c) const {
    const void* p = sqlite3_column_blob(st_, c);
    const int n = sqlite3_column_bytes(st_, c);
    return p == nullptr ? std::string() : std::string(static_cast<const char*>(p), n);
  }
  int64_t ColumnInt(int c) const { return sqlite3_column_int64(st_, c); }

 private:
  Stmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  void Note(int rc) {
    if (rc_ == SQLITE_OK && rc != SQLITE_OK) rc_ = rc;
  }
  sqlite3* db_;
  sqlite3_stmt* st_;
  int rc_ = SQLITE_OK;
};

}  // namespace

absl::StatusOr<std::unique_ptr<TransitStore>> TransitStore::Open(const std::string& path,
                                                                 TransitStoreOptions options) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, absl::StrCat("opening ", path));
  sqlite3_extended_result_codes(raw, 1);
  rc = sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "setting the busy timeout");
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, options.max_blob_bytes);
  if (absl::Status s = ExecSql(raw, "PRAGMA foreign_keys = ON"); !s.ok()) return s;
  absl::StatusOr<Stmt> st = Stmt::Prepare(raw, "PRAGMA user_version");
  if (!st.ok()) return st.status();
  absl::StatusOr<bool> row = st->Step();
  if (!row.ok()) return row.status();
  const int64_t version = *row ? st->ColumnInt(0) : 0;
  if (version < 4) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " has schema version ", version,
                     "; the transit tables come with version 4 (open it with the server or "
                     "any carvematch command first)"));
  }
  return std::unique_ptr<TransitStore>(new TransitStore(std::move(db)));
}

template <typename Fn>
absl::Status TransitStore::WriteTransaction(Fn&& body) {
  if (absl::Status s = ExecSql(db_.get(), "BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status s = body();
  if (s.ok()) s = ExecSql(db_.get(), "COMMIT");
  if (!s.ok()) ExecSql(db_.get(), "ROLLBACK").IgnoreError();
  return s;
}

absl::Status TransitStore::SaveTimetable(const StoredTimetable& t) {
  if (t.name.empty()) return absl::InvalidArgumentError("a timetable needs a name");
  return WriteTransaction([&]() -> absl::Status {
    absl::StatusOr<Stmt> drop =
        Stmt::Prepare(db_.get(), "DELETE FROM transit_zone_matrices WHERE timetable_name = ?");
    if (!drop.ok()) return drop.status();
    if (absl::Status s = drop->Text(1, t.name).Run(); !s.ok()) return s;
    absl::StatusOr<Stmt> put = Stmt::Prepare(
        db_.get(),
        "INSERT INTO transit_timetables (name, feed_version, summary, data, save_time) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET feed_version = "
        "excluded.feed_version, summary = excluded.summary, data = excluded.data, save_time = "
        "excluded.save_time");
    if (!put.ok()) return put.status();
    return put->Text(1, t.name)
        .Text(2, t.feed_version)
        .Text(3, t.summary)
        .Blob(4, t.data)
        .Int(5, NowUnix())
        .Run();
  });
}

absl::StatusOr<StoredTimetable> TransitStore::LoadTimetable(const std::string& name) {
  absl::StatusOr<Stmt> st = Stmt::Prepare(
      db_.get(),
      "SELECT feed_version, summary, data, save_time FROM transit_timetables WHERE name = ?");
  if (!st.ok()) return st.status();
  st->Text(1, name);
  absl::StatusOr<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("no stored timetable named \"", name, "\""));
  StoredTimetable t;
  t.name = name;
  t.feed_version = st->Column(0);
  t.summary = st->Column(1);
  t.data = st->Column(2);
  t.save_time_unix = st->ColumnInt(3);
  return t;
}

absl::StatusOr<std::vector<StoredTimetable>> TransitStore::ListTimetables() {
  absl::StatusOr<Stmt> st = Stmt::Prepare(
      db_.get(),
      "SELECT name, feed_version, summary, save_time FROM transit_timetables ORDER BY name");
  if (!st.ok()) return st.status();
  std::vector<StoredTimetable> out;
  while (true) {
    absl::StatusOr<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    StoredTimetable t;
    t.name = st->Column(0);
    t.feed_version = st->Column(1);
    t.summary = st->Column(2);
    t.save_time_unix = st->ColumnInt(3);
    out.push_back(std::move(t));
  }
  return out;
}

absl::Status TransitStore::SaveZoneMatrix(const StoredZoneMatrix& m) {
  return WriteTransaction([&]() -> absl::Status {
    absl::StatusOr<Stmt> feed =
        Stmt::Prepare(db_.get(), "SELECT feed_version FROM transit_timetables WHERE name = ?");
    if (!feed.ok()) return feed.status();
    feed->Text(1, m.timetable_name);
    absl::StatusOr<bool> row = feed->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::NotFoundError(
          absl::StrCat("no stored timetable named \"", m.timetable_name, "\""));
    }
    if (feed->Column(0) != m.feed_version) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the zone matrix was built from feed version ", m.feed_version,
          ", the stored timetable \"", m.timetable_name, "\" is version ", feed->Column(0)));
    }
    absl::StatusOr<Stmt> drop =
        Stmt::Prepare(db_.get(), "DELETE FROM transit_zone_matrices WHERE timetable_name = ?");
    if (!drop.ok()) return drop.status();
    if (absl::Status s = drop->Text(1, m.timetable_name).Run(); !s.ok()) return s;
    absl::StatusOr<Stmt> put = Stmt::Prepare(
        db_.get(),
        "INSERT INTO transit_zone_matrices (timetable_name, feed_version, site_set, data, "
        "save_time) VALUES (?, ?, ?, ?, ?)");
    if (!put.ok()) return put.status();
    return put->Text(1, m.timetable_name)
        .Text(2, m.feed_version)
        .Text(3, m.site_set)
        .Blob(4, m.data)
        .Int(5, NowUnix())
        .Run();
  });
}

absl::StatusOr<StoredZoneMatrix> TransitStore::LoadZoneMatrix(const std::string& timetable_name,
                                                              const std::string& feed_version,
                                                              const std::string& site_set) {
  absl::StatusOr<Stmt> st = Stmt::Prepare(
      db_.get(),
      "SELECT data, save_time FROM transit_zone_matrices WHERE timetable_name = ? AND "
      "feed_version = ? AND site_set = ?");
  if (!st.ok()) return st.status();
  st->Text(1, timetable_name).Text(2, feed_version).Text(3, site_set);
  absl::StatusOr<bool> row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError(absl::StrCat("no zone matrix for \"", timetable_name,
                                            "\" at this feed version and site set"));
  }
  StoredZoneMatrix m;
  m.timetable_name = timetable_name;
  m.feed_version = feed_version;
  m.site_set = site_set;
  m.data = st->Column(0);
  m.save_time_unix = st->ColumnInt(1);
  return m;
}

}  // namespace carvematch
