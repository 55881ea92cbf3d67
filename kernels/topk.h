// A bounded top-k collector: keeps the k best (score, id) entries seen so far.
//
// "Better" is a total order: a higher score is better, and between equal scores the lower
// id is better. So the k entries kept, and their order, do not depend on the order in which
// candidates are pushed (deterministic: the same multiset of candidates always gives the
// same result). NaN scores are never kept.
//
// The entries live in a binary min-heap whose root is the worst kept entry, so Push() of a
// candidate that does not enter costs one comparison, and one that enters costs O(log k).
// The collector reuses its storage across Reset() calls, so one object per worker thread
// can serve many queries without allocating.
//
// Example usage:
//   TopKHeap heap(10);
//   for (int64_t j = 0; j < m; ++j) {
//     if (!(score[j] < heap.threshold())) heap.Push(score[j], j);  // optional fast path
//   }
//   heap.ExtractSorted(out_scores, out_ids);  // best first; heap.size() entries
#ifndef CARVEMATCH_KERNELS_TOPK_H_
#define CARVEMATCH_KERNELS_TOPK_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace carvematch::kernels {

class TopKHeap {
 public:
  // Precondition: k >= 0. A heap with k == 0 keeps nothing.
  explicit TopKHeap(int k) : capacity_(k < 0 ? 0 : k) { ReserveUpFront(); }
  // Copies reserve storage too, so a vector of heaps copied from one prototype does not
  // reallocate on its first pushes.
  TopKHeap(const TopKHeap& other) : capacity_(other.capacity_), entries_(other.entries_) {
    ReserveUpFront();
  }
  TopKHeap& operator=(const TopKHeap& other) = default;
  TopKHeap(TopKHeap&&) = default;
  TopKHeap& operator=(TopKHeap&&) = default;

  int capacity() const { return capacity_; }
  int size() const { return static_cast<int>(entries_.size()); }
  bool full() const { return size() >= capacity_; }

  // Empties the heap, keeping its storage.
  void Reset() { entries_.clear(); }

  // A candidate with score < threshold() can never enter; one with score >= threshold()
  // may (equal scores are decided by id in Push()). -infinity while the heap is not full,
  // +infinity when capacity() == 0.
  float threshold() const {
    if (capacity_ == 0) return std::numeric_limits<float>::infinity();
    if (!full()) return -std::numeric_limits<float>::infinity();
    return entries_[0].score;
  }

  // True when (score_a, id_a) ranks strictly before (score_b, id_b).
  static bool Better(float score_a, int64_t id_a, float score_b, int64_t id_b) {
    return score_a > score_b || (score_a == score_b && id_a < id_b);
  }

  // Offers a candidate; returns true when it was kept (possibly evicting the worst entry).
  bool Push(float score, int64_t id) {
    if (std::isnan(score) || capacity_ == 0) return false;
    if (!full()) {
      entries_.push_back({score, id});
      SiftUp(entries_.size() - 1);
      return true;
    }
    if (!Better(score, id, entries_[0].score, entries_[0].id)) return false;
    SiftDown(0, {score, id});
    return true;
  }

  // Writes the kept entries best first to scores[0..size()) and ids[0..size()) and empties
  // the heap.
  void ExtractSorted(float* scores, int64_t* ids) {
    // Repeatedly move the worst entry (the root) to the back of the output.
    for (int out = size() - 1; out >= 0; --out) {
      scores[out] = entries_[0].score;
      ids[out] = entries_[0].id;
      const Entry last = entries_.back();
      entries_.pop_back();
      if (!entries_.empty()) SiftDown(0, last);
    }
  }

 private:
  struct Entry {
    float score;
    int64_t id;
  };

  // Heap order: a parent is worse than (or equal to) its children. Written with
  // non-short-circuit operators so that the compiler can use flag moves instead of
  // unpredictable branches.
  static bool Worse(const Entry& a, const Entry& b) {
    return (a.score < b.score) | ((a.score == b.score) & (a.id > b.id));
  }

  void SiftUp(size_t i) {
    const Entry moving = entries_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (!Worse(moving, entries_[parent])) break;
      entries_[i] = entries_[parent];
      i = parent;
    }
    entries_[i] = moving;
  }

  // Places `moving` at hole i, moving the worse child up while it is worse than `moving`.
  void SiftDown(size_t i, const Entry moving) {
    const size_t n = entries_.size();
    while (true) {
      const size_t left = 2 * i + 1;
      if (left >= n) break;
      const size_t right = left + 1;
      const size_t child = (right < n && Worse(entries_[right], entries_[left])) ? right : left;
      if (!Worse(entries_[child], moving)) break;
      entries_[i] = entries_[child];
      i = child;
    }
    entries_[i] = moving;
  }

  // Reserves room for up to 4096 entries; a larger heap grows as it fills (a huge k, e.g.
  // k > m in a search, must not allocate k entries per heap up front).
  void ReserveUpFront() { entries_.reserve(static_cast<size_t>(std::min(capacity_, 4096))); }

  int capacity_;
  std::vector<Entry> entries_;
};

}  // namespace carvematch::kernels

#endif  // CARVEMATCH_KERNELS_TOPK_H_
