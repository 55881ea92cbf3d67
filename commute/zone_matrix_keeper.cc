#include "commute/zone_matrix_keeper.h"

#include <utility>

namespace carvematch::commute {

struct ZoneMatrixKeeper::Installed {
  Installed(ZoneMatrix m, const TransitTravel& exact, std::string k)
      : matrix(std::move(m)), travel(matrix, exact), key(std::move(k)) {}
  ZoneMatrix matrix;
  ZoneMatrixTravel travel;  // over `matrix`
  std::string key;
};

bool CoversPoints(const ZoneMatrix& matrix, const std::vector<GeoPoint>& points) {
  for (const GeoPoint& p : points) {
    if (matrix.ZoneOf(p) < 0) return false;
  }
  return true;
}

ZoneMatrixKeeper::ZoneMatrixKeeper(const TransitTravel& exact, RequestFn request, SaveFn save)
    : exact_(exact), request_(std::move(request)), save_(std::move(save)) {}

ZoneMatrixKeeper::~ZoneMatrixKeeper() {
  if (worker_.joinable()) worker_.join();
}

void ZoneMatrixKeeper::Install(ZoneMatrix matrix, std::string key) {
  auto installed = std::make_shared<const Installed>(std::move(matrix), exact_, std::move(key));
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(installed);
}

std::shared_ptr<const ZoneMatrixTravel> ZoneMatrixKeeper::Current() {
  std::shared_ptr<const Installed> now;
  bool rebuilding = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    now = current_;
    rebuilding = rebuilding_;
  }
  if (!rebuilding) {
    MatrixRequest request = request_();
    std::string key = SiteSetKey(request.inputs.sites, request.options);
    if (now == nullptr || now->key != key || !CoversPoints(now->matrix, request.inputs.points)) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!rebuilding_) {
        rebuilding_ = true;
        ++stats_.rebuilds_started;
        if (worker_.joinable()) worker_.join();  // the previous rebuild, finished
        worker_ = std::thread(&ZoneMatrixKeeper::Rebuild, this, std::move(request), std::move(key));
      }
    }
  }
  if (now == nullptr) return nullptr;
  return std::shared_ptr<const ZoneMatrixTravel>(now, &now->travel);  // keeps the matrix alive
}

void ZoneMatrixKeeper::Rebuild(MatrixRequest request, std::string key) {
  absl::StatusOr<ZoneMatrix> built =
      ZoneMatrix::Build(exact_, request.inputs.points, request.inputs.sites, request.options);
  std::shared_ptr<const Installed> installed;
  if (built.ok()) {
    installed = std::make_shared<const Installed>(*std::move(built), exact_, std::move(key));
    if (save_) save_(installed->matrix, installed->key);
  }
  std::lock_guard<std::mutex> lock(mu_);
  last_status_ = built.status();
  if (installed != nullptr) {
    current_ = std::move(installed);
    ++stats_.rebuilds_installed;
  }
  rebuilding_ = false;
  idle_.notify_all();
}

absl::Status ZoneMatrixKeeper::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return !rebuilding_; });
  return last_status_;
}

ZoneMatrixKeeper::Stats ZoneMatrixKeeper::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace carvematch::commute
