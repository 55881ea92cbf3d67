#include "matcher/topk.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace carvematch {
namespace {

struct Hit {
  int score;
  int id;
  bool operator==(const Hit& o) const { return score == o.score && id == o.id; }
};

struct Better {
  bool operator()(const Hit& a, const Hit& b) const {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
  }
};

std::vector<Hit> BruteForce(std::vector<Hit> hits, int k) {
  std::sort(hits.begin(), hits.end(), Better());
  if (hits.size() > static_cast<size_t>(k)) hits.resize(static_cast<size_t>(k));
  return hits;
}

TEST(TopKTest, EqualsSortingWithManyTiesInAnyPushOrder) {
  std::mt19937 gen(3);
  for (int round = 0; round < 50; ++round) {
    std::vector<Hit> hits;
    const int n = static_cast<int>(gen() % 200);
    for (int i = 0; i < n; ++i) hits.push_back({static_cast<int>(gen() % 10), i});
    for (int k : {0, 1, 5, 10, 300}) {
      std::vector<Hit> want = BruteForce(hits, k);
      TopK<Hit, Better> top(k);
      for (const Hit& h : hits) top.Push(h);
      EXPECT_EQ(top.Sorted(), want);
      std::vector<Hit> shuffled = hits;
      std::shuffle(shuffled.begin(), shuffled.end(), gen);
      TopK<Hit, Better> other(k);
      for (const Hit& h : shuffled) other.Push(h);
      EXPECT_EQ(other.Sorted(), want);
    }
  }
}

TEST(TopKTest, WouldKeepAndWorst) {
  TopK<Hit, Better> top(2);
  EXPECT_TRUE(top.WouldKeep({0, 0}));
  EXPECT_TRUE(top.Push({5, 1}));
  EXPECT_TRUE(top.Push({7, 2}));
  EXPECT_TRUE(top.full());
  EXPECT_EQ(top.worst(), (Hit{5, 1}));
  EXPECT_FALSE(top.WouldKeep({5, 1}));  // equal is not better
  EXPECT_FALSE(top.WouldKeep({5, 3}));  // same score, higher id
  EXPECT_TRUE(top.WouldKeep({5, 0}));   // same score, lower id
  EXPECT_FALSE(top.Push({4, 0}));
  EXPECT_TRUE(top.Push({6, 9}));
  EXPECT_EQ(top.Sorted(), (std::vector<Hit>{{7, 2}, {6, 9}}));
}

TEST(TopKTest, ZeroCapacityKeepsNothing) {
  TopK<Hit, Better> top(0);
  EXPECT_FALSE(top.WouldKeep({100, 0}));
  EXPECT_FALSE(top.Push({100, 0}));
  EXPECT_TRUE(top.Sorted().empty());
}

TEST(TopKTest, MergingPartsEqualsOneHeap) {
  std::vector<Hit> hits;
  for (int i = 0; i < 100; ++i) hits.push_back({(i * 37) % 23, i});
  TopK<Hit, Better> a(7), b(7), all(7);
  for (size_t i = 0; i < hits.size(); ++i) {
    (i % 3 == 0 ? a : b).Push(hits[i]);
    all.Push(hits[i]);
  }
  a.Merge(b);
  EXPECT_EQ(a.Sorted(), all.Sorted());
  EXPECT_EQ(a.Sorted(), BruteForce(hits, 7));
}

}  // namespace
}  // namespace carvematch
