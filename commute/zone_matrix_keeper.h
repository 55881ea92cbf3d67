// Keeps the bulk path's zone-to-site matrix current while the server runs.
//
// The server builds (or loads) a matrix at start for the participants and vacancies it
// has. Records written later are answered correctly without it (ZoneMatrixTravel asks the
// exact router for an unknown site or zone), but every such pair costs router queries in
// a bulk pass. ZoneMatrixKeeper::Current() therefore compares what the matrix was built
// for with what the server holds now, and when the sites (their points and shift bands),
// the options (a larger max commute) or the zones (a home or childcare location in a cell
// the matrix has no zone for) changed, starts one rebuild on a background thread and
// keeps answering with the matrix it has until the new one is installed. A finished
// matrix is handed to `save` (the server stores it in SQLite, keyed by feed version and
// site set key). One rebuild at a time; a change seen during a rebuild starts the next
// one at the first Current() after it.
//
// Thread-safe. The destructor waits for a running rebuild.
//
// Example usage:
//   ZoneMatrixKeeper keeper(exact, [&] { return RequestFromIndex(index); },
//                           [&](const ZoneMatrix& m, const std::string& key) { Store(m, key); });
//   keeper.Install(std::move(loaded_matrix), key);     // or let the first Current() build
//   std::shared_ptr<const ZoneMatrixTravel> fast = keeper.Current();  // null until one exists
#ifndef CARVEMATCH_COMMUTE_ZONE_MATRIX_KEEPER_H_
#define CARVEMATCH_COMMUTE_ZONE_MATRIX_KEEPER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "commute/transit_travel.h"
#include "commute/zone_matrix.h"

namespace carvematch::commute {

// What a matrix should be built for now.
struct MatrixRequest {
  MatrixInputs inputs;
  ZoneMatrixOptions options;
};

// True when every point lies in one of the matrix's zones.
bool CoversPoints(const ZoneMatrix& matrix, const std::vector<GeoPoint>& points);

class ZoneMatrixKeeper {
 public:
  using RequestFn = std::function<MatrixRequest()>;
  using SaveFn = std::function<void(const ZoneMatrix& matrix, const std::string& key)>;

  // `exact` must outlive the keeper; `request` is called on the threads that call
  // Current(); `save` (may be empty) on the rebuild thread.
  ZoneMatrixKeeper(const TransitTravel& exact, RequestFn request, SaveFn save);
  ~ZoneMatrixKeeper();
  ZoneMatrixKeeper(const ZoneMatrixKeeper&) = delete;
  ZoneMatrixKeeper& operator=(const ZoneMatrixKeeper&) = delete;

  // Installs a matrix built (or loaded) elsewhere for the site set `key`.
  void Install(ZoneMatrix matrix, std::string key);

  // The current first-pass estimator (null before any matrix exists); starts a
  // background rebuild when the current one is stale and none is running.
  std::shared_ptr<const ZoneMatrixTravel> Current();

  // Waits until no rebuild is running; returns the last rebuild's status (OK when
  // none failed).
  absl::Status WaitIdle();

  struct Stats {
    int64_t rebuilds_started = 0;
    int64_t rebuilds_installed = 0;
  };
  Stats stats() const;

 private:
  // A matrix with the estimator over it, kept alive together.
  struct Installed;
  void Rebuild(MatrixRequest request, std::string key);

  const TransitTravel& exact_;
  RequestFn request_;
  SaveFn save_;
  mutable std::mutex mu_;
  std::condition_variable idle_;
  std::shared_ptr<const Installed> current_;
  bool rebuilding_ = false;
  absl::Status last_status_;
  std::thread worker_;
  Stats stats_;
};

}  // namespace carvematch::commute

#endif  // CARVEMATCH_COMMUTE_ZONE_MATRIX_KEEPER_H_
