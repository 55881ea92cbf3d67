#include "services/ranking_gate.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "services/context.h"

namespace carvematch {

RankingGate::RankingGate(int slots) : slots_(std::max(1, slots)) {}

absl::Status RankingGate::Enter(const grpc::ServerContext& context) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (active_ < slots_ && queue_.empty()) {
    ++active_;
    return absl::OkStatus();
  }
  Waiter self;
  auto place = queue_.insert(queue_.end(), &self);
  while (!self.admitted) {
    // Wake up now and then to notice a cancelled call or a passed deadline.
    self.cv.wait_for(lock, std::chrono::milliseconds(50));
    if (self.admitted) break;
    absl::Status alive = CheckAlive(context);
    if (!alive.ok()) {
      queue_.erase(place);
      return alive;
    }
  }
  return absl::OkStatus();  // Leave() handed its slot over
}

void RankingGate::Leave() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queue_.empty()) {
    --active_;
    return;
  }
  Waiter* next = queue_.front();
  queue_.pop_front();
  next->admitted = true;
  next->cv.notify_one();
}

absl::Status RankingSlot::Enter(const grpc::ServerContext& context) {
  if (gate_ == nullptr) return absl::OkStatus();
  absl::Status entered = gate_->Enter(context);
  held_ = entered.ok();
  return entered;
}

int RankingSlotsFor(int requested) {
  if (requested >= 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace carvematch
