// RAII owners for the SQLite C API (sqlite3*, sqlite3_stmt*) and the mapping of
// SQLite result codes to absl::Status. Values reach SQL only through Bind*: never
// format a value into SQL text.
//
// Example usage:
//   ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db, "SELECT doc FROM t WHERE id = ?"));
//   st.BindText(1, id);
//   ASSIGN_OR_RETURN(bool has_row, st.Step());
//   if (has_row) doc = st.ColumnText(0);
#ifndef CARVEMATCH_STORAGE_SQLITE_HANDLE_H_
#define CARVEMATCH_STORAGE_SQLITE_HANDLE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace carvematch {

struct SqliteDbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteDbCloser>;

// The status for a failed SQLite call `rc` on `db` (whose error message is used when
// it belongs to `rc`):
//   SQLITE_BUSY, SQLITE_LOCKED            -> Unavailable (retry later)
//   SQLITE_CONSTRAINT_PRIMARYKEY / UNIQUE -> AlreadyExists
//   SQLITE_CONSTRAINT_FOREIGNKEY          -> FailedPrecondition
//   other SQLITE_CONSTRAINT_*             -> InvalidArgument
//   anything else                         -> Internal
absl::Status SqliteStatus(sqlite3* db, int rc, const std::string& context);

// Runs SQL without parameters or results (DDL, BEGIN, PRAGMA with constant values).
absl::Status ExecSql(sqlite3* db, const char* sql);

// A prepared statement. Movable, not copyable; finalized on destruction.
class Statement {
 public:
  static absl::StatusOr<Statement> Prepare(sqlite3* db, const std::string& sql);

  // Parameters are 1-based. A failing bind is reported by the next Step().
  Statement& BindText(int index, const std::string& value);
  Statement& BindInt(int index, int64_t value);
  Statement& BindNull(int index);

  // Executes one step: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Executes a statement that returns no rows.
  absl::Status Run();
  // Resets for another execution with new bindings (bindings are cleared).
  void Reset();

  // Columns are 0-based and valid after Step() returned true.
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
  };
  Statement(sqlite3* db, sqlite3_stmt* st, std::string sql)
      : db_(db), st_(st), sql_(std::move(sql)) {}
  void NoteBind(int rc, int index);

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> st_;
  std::string sql_;
  absl::Status bind_status_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_STORAGE_SQLITE_HANDLE_H_
