// Lets at most `slots` online rankings (RankVacancies, RankParticipants) compute at
// once; the others wait their turn in arrival order. A ranking is CPU-bound and does not
// wait on anything once it runs, so more rankings at once than there are hardware
// threads only share the cores (and their caches): every call in flight then takes
// longer, a heavy one (a participant for whom 10 000 vacancies fit) several times its
// own time. In arrival order, a call waits for the calls before it and then runs at full
// speed, so the slow tail shortens while the throughput stays the same
// (docs/performance.md, benchmark 4). Calls waiting here hold a gRPC server thread but no
// CPU; other methods are not gated. One gate per server (ServerOptions::ranking_slots).
//
// Example usage:
//   RankingSlot slot(services.ranking_gate);   // a null gate admits at once
//   RETURN_IF_ERROR(slot.Enter(server_context));
//   ... rank ...                               // the slot is left at scope end
#ifndef CARVEMATCH_SERVICES_RANKING_GATE_H_
#define CARVEMATCH_SERVICES_RANKING_GATE_H_

#include <condition_variable>
#include <list>
#include <mutex>

#include "absl/status/status.h"
#include "grpcpp/server_context.h"

namespace carvematch {

class RankingGate {
 public:
  explicit RankingGate(int slots);

  // Waits for a slot; Cancelled / DeadlineExceeded when the call ends while waiting.
  absl::Status Enter(const grpc::ServerContext& context);
  // Frees the slot of a call that entered: handed to the first waiting call, if any.
  void Leave();

 private:
  struct Waiter {
    bool admitted = false;  // set by Leave(), under the mutex
    std::condition_variable cv;
  };
  const int slots_;
  std::mutex mutex_;
  int active_ = 0;            // calls holding a slot
  std::list<Waiter*> queue_;  // waiting calls, in arrival order
};

// Holds a slot of a gate for one scope; with a null gate, Enter() admits at once.
class RankingSlot {
 public:
  explicit RankingSlot(RankingGate* gate) : gate_(gate) {}
  RankingSlot(const RankingSlot&) = delete;
  RankingSlot& operator=(const RankingSlot&) = delete;
  ~RankingSlot() {
    if (held_) gate_->Leave();
  }
  absl::Status Enter(const grpc::ServerContext& context);

 private:
  RankingGate* gate_;
  bool held_ = false;
};

// The slots ServerOptions::ranking_slots asks for: the hardware threads for a negative
// value, 0 for none (no gate).
int RankingSlotsFor(int requested);

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_RANKING_GATE_H_
