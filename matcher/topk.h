// A bounded top-k collector over any item type with a strict total order "better".
//
// Keeps the k best items pushed so far in a binary heap whose root is the worst kept
// item: a rejected Push costs one comparison, an accepted one O(log k). Because
// `Better` is a strict total order, the kept set and Sorted() do not depend on the push
// order (deterministic), which is what lets the batch ranker merge per-thread heaps.
//
// Example usage:
//   struct ByScore { bool operator()(const Hit& a, const Hit& b) const {
//     return a.score > b.score || (a.score == b.score && a.id < b.id); } };
//   TopK<Hit, ByScore> top(10);
//   for (const Hit& h : hits) {
//     if (top.WouldKeep(h)) top.Push(h);
//   }
//   std::vector<Hit> best = top.Sorted();  // best first
#ifndef CARVEMATCH_MATCHER_TOPK_H_
#define CARVEMATCH_MATCHER_TOPK_H_

#include <algorithm>
#include <utility>
#include <vector>

namespace carvematch {

// `Better(a, b)` is true when a ranks strictly before b; it must be a strict total
// order on the items pushed (ties broken by a unique id).
template <typename T, typename Better>
class TopK {
 public:
  explicit TopK(int k = 0, Better better = Better()) : k_(k < 0 ? 0 : k), better_(better) {
    heap_.reserve(static_cast<size_t>(k_));
  }

  int capacity() const { return k_; }
  int size() const { return static_cast<int>(heap_.size()); }
  bool empty() const { return heap_.empty(); }
  bool full() const { return size() >= k_; }
  // The worst kept item. Precondition: !empty().
  const T& worst() const { return heap_.front(); }

  // True when Push(x) would keep x: the heap has room, or x is better than worst().
  // Also answers "can anything as good as x enter?" for pruning with a bound.
  bool WouldKeep(const T& x) const {
    if (k_ == 0) return false;
    return !full() || better_(x, heap_.front());
  }

  // Offers x; returns true when it was kept (evicting the worst item when full).
  bool Push(const T& x) {
    if (!WouldKeep(x)) return false;
    // std heap functions keep the "largest" at the front; with `better_` as the
    // comparison the largest is the worst item.
    if (full()) {
      std::pop_heap(heap_.begin(), heap_.end(), better_);
      heap_.back() = x;
    } else {
      heap_.push_back(x);
    }
    std::push_heap(heap_.begin(), heap_.end(), better_);
    return true;
  }

  // Pushes every item of `other` (merging per-thread heaps).
  void Merge(const TopK& other) {
    for (const T& x : other.heap_) Push(x);
  }

  // The kept items, best first (the heap is unchanged).
  std::vector<T> Sorted() const {
    std::vector<T> out = heap_;
    std::sort(out.begin(), out.end(), better_);
    return out;
  }

  void Clear() { heap_.clear(); }

 private:
  int k_;
  Better better_;
  std::vector<T> heap_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_TOPK_H_
