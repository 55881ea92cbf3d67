#include "storage/sqlite_handle.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace carvematch {

absl::Status SqliteStatus(sqlite3* db, int rc, const std::string& context) {
  // sqlite3_errmsg describes the most recent failure on the connection; it belongs to
  // `rc` when the connection's extended error code is the same.
  std::string detail = sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) detail = sqlite3_errmsg(db);
  std::string message = absl::StrCat(context, ": ", detail, " (SQLite code ", rc, ")");
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      switch (rc) {
        case SQLITE_CONSTRAINT_PRIMARYKEY:
        case SQLITE_CONSTRAINT_UNIQUE:
          return absl::AlreadyExistsError(message);
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return absl::FailedPreconditionError(message);
        default:
          return absl::InvalidArgumentError(message);
      }
    default:
      return absl::InternalError(message);
  }
}

absl::Status ExecSql(sqlite3* db, const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, absl::StrCat("executing \"", sql, "\""));
  return absl::OkStatus();
}

absl::StatusOr<Statement> Statement::Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()) + 1, &st, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(st);
    return SqliteStatus(db, rc, absl::StrCat("preparing \"", sql, "\""));
  }
  return Statement(db, st, sql);
}

void Statement::NoteBind(int rc, int index) {
  if (rc != SQLITE_OK && bind_status_.ok()) {
    bind_status_ =
        SqliteStatus(db_, rc, absl::StrCat("binding parameter ", index, " of \"", sql_, "\""));
  }
}

Statement& Statement::BindText(int index, const std::string& value) {
  NoteBind(sqlite3_bind_text64(st_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8),
           index);
  return *this;
}

Statement& Statement::BindInt(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(st_.get(), index, value), index);
  return *this;
}

Statement& Statement::BindNull(int index) {
  NoteBind(sqlite3_bind_null(st_.get(), index), index);
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  if (!bind_status_.ok()) return bind_status_;
  int rc = sqlite3_step(st_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(db_, rc, absl::StrCat("executing \"", sql_, "\""));
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  if (*row) return absl::InternalError(absl::StrCat("\"", sql_, "\" returned rows"));
  return absl::OkStatus();
}

void Statement::Reset() {
  sqlite3_reset(st_.get());
  sqlite3_clear_bindings(st_.get());
  bind_status_ = absl::OkStatus();
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(st_.get(), column); }

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(st_.get(), column);
  int size = sqlite3_column_bytes(st_.get(), column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(st_.get(), column) == SQLITE_NULL;
}

}  // namespace carvematch
