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

#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace carvematch::kernels {

class TopKHeap {
 public:
  // Precondition: k >= 0. A heap with k == 0 keeps nothing.
  explicit TopKHeap(int k) : capacity_(k < 0 ? 0 : k) {
    scores_.reserve(static_cast<size_t>(capacity_));
    ids_.reserve(static_cast<size_t>(capacity_));
  }

  int capacity() const { return capacity_; }
  int size() const { return static_cast<int>(scores_.size()); }
  bool full() const { return size() >= capacity_; }

  // Empties the heap, keeping its storage.
  void Reset() {
    scores_.clear();
    ids_.clear();
  }

  // A candidate with score < threshold() can never enter; one with score >= threshold()
  // may (equal scores are decided by id in Push()). -infinity while the heap is not full,
  // +infinity when capacity() == 0.
  float threshold() const {
    if (capacity_ == 0) return std::numeric_limits<float>::infinity();
    if (!full()) return -std::numeric_limits<float>::infinity();
    return scores_[0];
  }

  // True when (score_a, id_a) ranks strictly before (score_b, id_b).
  static bool Better(float score_a, int64_t id_a, float score_b, int64_t id_b) {
    return score_a > score_b || (score_a == score_b && id_a < id_b);
  }

  // Offers a candidate; returns true when it was kept (possibly evicting the worst entry).
  bool Push(float score, int64_t id) {
    if (std::isnan(score) || capacity_ == 0) return false;
    if (!full()) {
      scores_.push_back(score);
      ids_.push_back(id);
      SiftUp(scores_.size() - 1);
      return true;
    }
    if (!Better(score, id, scores_[0], ids_[0])) return false;
    scores_[0] = score;
    ids_[0] = id;
    SiftDown(0);
    return true;
  }

  // Writes the kept entries best first to scores[0..size()) and ids[0..size()) and empties
  // the heap.
  void ExtractSorted(float* scores, int64_t* ids) {
    // Repeatedly move the worst entry (the root) to the back of the output.
    for (int out = size() - 1; out >= 0; --out) {
      scores[out] = scores_[0];
      ids[out] = ids_[0];
      scores_[0] = scores_.back();
      ids_[0] = ids_.back();
      scores_.pop_back();
      ids_.pop_back();
      if (!scores_.empty()) SiftDown(0);
    }
  }

 private:
  // Heap order: a parent is worse than (or equal to) its children.
  bool Worse(size_t a, size_t b) const { return Better(scores_[b], ids_[b], scores_[a], ids_[a]); }

  void Swap(size_t a, size_t b) {
    std::swap(scores_[a], scores_[b]);
    std::swap(ids_[a], ids_[b]);
  }

  void SiftUp(size_t i) {
    while (i > 0) {
      size_t parent = (i - 1) / 2;
      if (!Worse(i, parent)) break;
      Swap(i, parent);
      i = parent;
    }
  }

  void SiftDown(size_t i) {
    const size_t n = scores_.size();
    while (true) {
      size_t worst = i;
      size_t left = 2 * i + 1;
      size_t right = left + 1;
      if (left < n && Worse(left, worst)) worst = left;
      if (right < n && Worse(right, worst)) worst = right;
      if (worst == i) return;
      Swap(i, worst);
      i = worst;
    }
  }

  int capacity_;
  std::vector<float> scores_;
  std::vector<int64_t> ids_;
};

}  // namespace carvematch::kernels

#endif  // CARVEMATCH_KERNELS_TOPK_H_
