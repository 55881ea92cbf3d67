// The public-transport data of a carvematch database: imported timetables (as the
// binary blob of transit/timetable_io.h) and the zone-to-site matrices built from them
// (commute/zone_matrix.h), in the tables of schema version 4. Blobs are opaque here:
// storage does not depend on the transit or commute modules.
//
// A matrix is keyed by the timetable's name, its feed version (a digest of the imported
// feed files) and the site set (commute::SiteSetKey): it is reused only while all three
// are unchanged. Saving a timetable drops its matrices (they belong to the old feed);
// saving a matrix replaces the timetable's other ones. Each save is one transaction: a
// failed write leaves the previous rows as they were.
//
// The store has its own connection to the database file (WAL lets it run beside the
// SqliteRepository's); the file must have been migrated to version 4 or later
// (SqliteRepository::Open does that).
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<TransitStore> store, TransitStore::Open(path));
//   RETURN_IF_ERROR(store->SaveTimetable({"default", version, summary, blob}));
//   ASSIGN_OR_RETURN(StoredTimetable t, store->LoadTimetable("default"));
#ifndef CARVEMATCH_STORAGE_TRANSIT_STORE_H_
#define CARVEMATCH_STORAGE_TRANSIT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/sqlite_handle.h"

namespace carvematch {

struct StoredTimetable {
  std::string name;            // non-empty; "default" for the server's timetable
  std::string feed_version;    // digest of the imported feeds
  std::string summary;         // one readable line (import counts, validity)
  std::string data;            // transit::Serialize(timetable)
  int64_t save_time_unix = 0;  // set by the store
};

struct StoredZoneMatrix {
  std::string timetable_name;
  std::string feed_version;
  std::string site_set;
  std::string data;  // commute::ZoneMatrix::Serialize()
  int64_t save_time_unix = 0;
};

struct TransitStoreOptions {
  int busy_timeout_ms = 5000;
  // Blobs larger than this are refused (SQLite's length limit on this connection).
  int max_blob_bytes = 1 << 30;
};

class TransitStore {
 public:
  // FailedPrecondition when the file's schema has no transit tables yet (older than 4).
  static absl::StatusOr<std::unique_ptr<TransitStore>> Open(const std::string& path,
                                                            TransitStoreOptions options = {});

  // Inserts or replaces the timetable `t.name` and deletes its matrices.
  // InvalidArgument for an empty name; Unavailable when the database is locked.
  absl::Status SaveTimetable(const StoredTimetable& t);
  // NotFound when there is none of that name.
  absl::StatusOr<StoredTimetable> LoadTimetable(const std::string& name);
  // Every stored timetable without its data, by name.
  absl::StatusOr<std::vector<StoredTimetable>> ListTimetables();

  // Stores the matrix and deletes the timetable's other matrices. NotFound when the
  // timetable is not stored; FailedPrecondition when its feed version is not
  // m.feed_version (the matrix was built from another feed).
  absl::Status SaveZoneMatrix(const StoredZoneMatrix& m);
  // The matrix with exactly this key; NotFound otherwise (missing or stale).
  absl::StatusOr<StoredZoneMatrix> LoadZoneMatrix(const std::string& timetable_name,
                                                  const std::string& feed_version,
                                                  const std::string& site_set);

 private:
  explicit TransitStore(SqliteDb db) : db_(std::move(db)) {}
  // Runs `body` in BEGIN IMMEDIATE ... COMMIT, rolling back on any error.
  template <typename Fn>
  absl::Status WriteTransaction(Fn&& body);

  SqliteDb db_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_STORAGE_TRANSIT_STORE_H_
