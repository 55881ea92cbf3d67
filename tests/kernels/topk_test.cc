#include "kernels/topk.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch::kernels {
namespace {

using Entry = std::pair<float, int64_t>;

std::vector<Entry> Extract(TopKHeap& heap) {
  std::vector<float> scores(static_cast<size_t>(heap.size()));
  std::vector<int64_t> ids(static_cast<size_t>(heap.size()));
  heap.ExtractSorted(scores.data(), ids.data());
  std::vector<Entry> out;
  for (size_t i = 0; i < scores.size(); ++i) out.emplace_back(scores[i], ids[i]);
  return out;
}

// The k best of `all` by sorting: higher score first, then lower id.
std::vector<Entry> SortReference(std::vector<Entry> all, int k) {
  std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  if (static_cast<int>(all.size()) > k) all.resize(static_cast<size_t>(k));
  return all;
}

TEST(TopKHeapTest, KeepsTheKBestWithTiesByLowerIdInAnyPushOrder) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(0, 20);  // many equal scores
  std::vector<Entry> all;
  for (int64_t id = 0; id < 500; ++id) all.emplace_back(static_cast<float>(value(rng)), id);
  for (int k : {1, 3, 10, 64}) {
    const std::vector<Entry> expected = SortReference(all, k);
    for (int order = 0; order < 3; ++order) {
      std::vector<Entry> shuffled = all;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      TopKHeap heap(k);
      for (const Entry& e : shuffled) heap.Push(e.first, e.second);
      EXPECT_EQ(heap.size(), k);
      EXPECT_EQ(Extract(heap), expected) << "k=" << k << " order=" << order;
      EXPECT_EQ(heap.size(), 0);
    }
  }
}

TEST(TopKHeapTest, EqualScoreEntersOnlyWithALowerId) {
  TopKHeap heap(2);
  EXPECT_TRUE(heap.Push(1.0f, 5));
  EXPECT_TRUE(heap.Push(1.0f, 7));
  EXPECT_FALSE(heap.Push(1.0f, 9));  // same score, higher id than the worst kept
  EXPECT_TRUE(heap.Push(1.0f, 6));   // evicts id 7
  EXPECT_THAT(Extract(heap), ::testing::ElementsAre(Entry{1.0f, 5}, Entry{1.0f, 6}));
}

TEST(TopKHeapTest, ThresholdFollowsTheWorstKeptEntry) {
  TopKHeap heap(2);
  EXPECT_EQ(heap.threshold(), -std::numeric_limits<float>::infinity());
  heap.Push(3.0f, 0);
  EXPECT_EQ(heap.threshold(), -std::numeric_limits<float>::infinity());
  heap.Push(5.0f, 1);
  EXPECT_EQ(heap.threshold(), 3.0f);
  heap.Push(4.0f, 2);
  EXPECT_EQ(heap.threshold(), 4.0f);
}

TEST(TopKHeapTest, FewerCandidatesThanKAreAllKeptSorted) {
  TopKHeap heap(10);
  heap.Push(-std::numeric_limits<float>::infinity(), 3);
  heap.Push(2.0f, 1);
  heap.Push(-1.0f, 0);
  EXPECT_FALSE(heap.full());
  EXPECT_THAT(Extract(heap),
              ::testing::ElementsAre(Entry{2.0f, 1}, Entry{-1.0f, 0},
                                     Entry{-std::numeric_limits<float>::infinity(), 3}));
}

TEST(TopKHeapTest, NanIsNeverKeptAndZeroCapacityKeepsNothing) {
  TopKHeap heap(3);
  EXPECT_FALSE(heap.Push(std::nanf(""), 0));
  EXPECT_EQ(heap.size(), 0);
  TopKHeap empty(0);
  EXPECT_FALSE(empty.Push(1.0f, 0));
  EXPECT_EQ(empty.size(), 0);
  EXPECT_EQ(empty.threshold(), std::numeric_limits<float>::infinity());
}

TEST(TopKHeapTest, ResetEmptiesForReuse) {
  TopKHeap heap(2);
  heap.Push(9.0f, 0);
  heap.Push(8.0f, 1);
  heap.Reset();
  EXPECT_EQ(heap.size(), 0);
  heap.Push(1.0f, 4);
  EXPECT_THAT(Extract(heap), ::testing::ElementsAre(Entry{1.0f, 4}));
}

}  // namespace
}  // namespace carvematch::kernels
