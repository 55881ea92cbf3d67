#include "matcher/recheck.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "matcher/batch_ranker.h"
#include "matcher/matcher.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch {
namespace {

// A first pass that gets travel wrong: every mode a third slower than the exact model,
// so that commutes near a participant's limit block or lose points there.
TravelModelParams Slower() {
  TravelModelParams p;
  for (ModeParams* m : {&p.walk, &p.bike, &p.ebike, &p.moped, &p.car, &p.public_transport}) {
    m->speed_kmh /= 1.35;
  }
  return p;
}

class RecheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SyntheticParams params;
    params.towns = 1;
    instance_ = new SyntheticInstance(MakeSyntheticInstance(200, 90, /*seed=*/77, params));
    exact_travel_ = new TravelModel();
    slow_travel_ = new TravelModel(Slower());
    exact_ = new Matcher(*instance_->credit, *exact_travel_);
    slow_ = new Matcher(*instance_->credit, *slow_travel_);
  }
  static void TearDownTestSuite() {
    delete slow_;
    delete exact_;
    delete slow_travel_;
    delete exact_travel_;
    delete instance_;
  }

  static BatchRankResult FirstPass(const Matcher& m, int k) {
    BatchRankOptions o;
    o.top_k_per_participant = k;
    o.top_k_per_vacancy = k;
    absl::StatusOr<BatchRankResult> r =
        RankAll(m, instance_->participant_ptrs, instance_->contexts, o);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : BatchRankResult();
  }

  static absl::StatusOr<BatchRankResult> Recheck(const BatchRankResult& first, int k,
                                                 bool include_blocked = true, int threads = 2,
                                                 RecheckStats* stats = nullptr) {
    RecheckOptions o;
    o.top_k_per_participant = k;
    o.top_k_per_vacancy = k;
    o.include_blocked = include_blocked;
    o.threads = threads;
    return RecheckRanking(*exact_, instance_->participant_ptrs, instance_->contexts, first, o,
                          stats);
  }

  struct Entry {
    int index;
    Tier tier;
    double score;
    bool operator==(const Entry& o) const {
      return index == o.index && tier == o.tier && score == o.score;
    }
  };
  // The reference: Explain with the exact matcher on each candidate, sort, cut.
  template <typename IdOf>
  static std::vector<Entry> Reference(std::vector<Entry> candidates, int k, bool include_blocked,
                                      IdOf id_of) {
    std::vector<Entry> out;
    for (const Entry& c : candidates) {
      if (include_blocked || c.tier != Tier::kBlocked) out.push_back(c);
    }
    std::sort(out.begin(), out.end(), [&](const Entry& a, const Entry& b) {
      if (a.tier != b.tier) return a.tier < b.tier;
      if (a.score != b.score) return a.score > b.score;
      return id_of(a.index) < id_of(b.index);
    });
    if (out.size() > static_cast<size_t>(k)) out.resize(k);
    return out;
  }

  static Entry Exact(int p, int v, int index) {
    absl::StatusOr<MatchResult> r =
        exact_->Explain(instance_->participants[p], instance_->contexts[v]);
    EXPECT_TRUE(r.ok()) << r.status();
    return {index, r->tier, r->score};
  }

  static void ExpectExactTopKOfCandidates(const BatchRankResult& first, const BatchRankResult& got,
                                          int k, bool include_blocked) {
    auto vacancy_id = [](int v) { return instance_->vacancies[v].id; };
    auto participant_id = [](int p) { return instance_->participants[p].id; };
    ASSERT_EQ(got.for_participant.size(), first.for_participant.size());
    for (size_t p = 0; p < first.for_participant.size(); ++p) {
      std::vector<Entry> candidates, returned;
      for (const RankedVacancy& r : first.for_participant[p]) {
        candidates.push_back(Exact(static_cast<int>(p), r.vacancy, r.vacancy));
      }
      for (const RankedVacancy& r : got.for_participant[p]) {
        returned.push_back({r.vacancy, r.tier, r.score});
      }
      EXPECT_EQ(returned, Reference(candidates, k, include_blocked, vacancy_id))
          << "participant " << p;
    }
    ASSERT_EQ(got.for_vacancy.size(), first.for_vacancy.size());
    for (size_t v = 0; v < first.for_vacancy.size(); ++v) {
      std::vector<Entry> candidates, returned;
      for (const RankedParticipant& r : first.for_vacancy[v]) {
        candidates.push_back(Exact(r.participant, static_cast<int>(v), r.participant));
      }
      for (const RankedParticipant& r : got.for_vacancy[v]) {
        returned.push_back({r.participant, r.tier, r.score});
      }
      EXPECT_EQ(returned, Reference(candidates, k, include_blocked, participant_id))
          << "vacancy " << v;
    }
  }

  static SyntheticInstance* instance_;
  static TravelModel* exact_travel_;
  static TravelModel* slow_travel_;
  static Matcher* exact_;
  static Matcher* slow_;
};

SyntheticInstance* RecheckTest::instance_ = nullptr;
TravelModel* RecheckTest::exact_travel_ = nullptr;
TravelModel* RecheckTest::slow_travel_ = nullptr;
Matcher* RecheckTest::exact_ = nullptr;
Matcher* RecheckTest::slow_ = nullptr;

TEST_F(RecheckTest, ListsAreTheExactTopKOfTheFirstPassCandidates) {
  const BatchRankResult first = FirstPass(*slow_, 10);
  RecheckStats stats;
  absl::StatusOr<BatchRankResult> got = Recheck(first, 5, true, 2, &stats);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectExactTopKOfCandidates(first, *got, 5, true);
  // The slow first pass was wrong on some pairs, and the re-check corrected them.
  EXPECT_GT(stats.pairs, 0);
  EXPECT_GT(stats.changed, 0);
  EXPECT_LT(stats.changed, stats.pairs);
  int fits_now = 0;
  for (const auto& list : got->for_participant) {
    for (const RankedVacancy& r : list) fits_now += r.tier != Tier::kBlocked;
  }
  EXPECT_GT(fits_now, 0);
}

TEST_F(RecheckTest, WithoutBlockedPairsTheyAreDropped) {
  const BatchRankResult first = FirstPass(*slow_, 10);
  absl::StatusOr<BatchRankResult> got = Recheck(first, 5, /*include_blocked=*/false);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectExactTopKOfCandidates(first, *got, 5, false);
}

TEST_F(RecheckTest, AnExactFirstPassComesBackUnchanged) {
  const BatchRankResult first = FirstPass(*exact_, 5);
  RecheckStats stats;
  absl::StatusOr<BatchRankResult> got = Recheck(first, 5, true, 2, &stats);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(stats.changed, 0);
  for (size_t p = 0; p < first.for_participant.size(); ++p) {
    ASSERT_EQ(got->for_participant[p].size(), first.for_participant[p].size());
    for (size_t i = 0; i < first.for_participant[p].size(); ++i) {
      EXPECT_EQ(got->for_participant[p][i].vacancy, first.for_participant[p][i].vacancy);
      EXPECT_EQ(got->for_participant[p][i].score, first.for_participant[p][i].score);
    }
  }
  for (size_t v = 0; v < first.for_vacancy.size(); ++v) {
    ASSERT_EQ(got->for_vacancy[v].size(), first.for_vacancy[v].size());
    for (size_t i = 0; i < first.for_vacancy[v].size(); ++i) {
      EXPECT_EQ(got->for_vacancy[v][i].participant, first.for_vacancy[v][i].participant);
    }
  }
}

TEST_F(RecheckTest, ThreadCountDoesNotChangeTheResult) {
  const BatchRankResult first = FirstPass(*slow_, 8);
  absl::StatusOr<BatchRankResult> one = Recheck(first, 4, true, 1);
  absl::StatusOr<BatchRankResult> three = Recheck(first, 4, true, 3);
  ASSERT_TRUE(one.ok() && three.ok());
  for (size_t p = 0; p < one->for_participant.size(); ++p) {
    ASSERT_EQ(one->for_participant[p].size(), three->for_participant[p].size());
    for (size_t i = 0; i < one->for_participant[p].size(); ++i) {
      EXPECT_EQ(one->for_participant[p][i].vacancy, three->for_participant[p][i].vacancy);
      EXPECT_EQ(one->for_participant[p][i].score, three->for_participant[p][i].score);
    }
  }
}

TEST_F(RecheckTest, ProgressCanCancel) {
  const BatchRankResult first = FirstPass(*slow_, 5);
  RecheckOptions o;
  int64_t last = 0, total_seen = 0;
  o.progress = [&](int64_t done, int64_t total) {
    EXPECT_GT(done, last);
    last = done;
    total_seen = total;
    return done < total / 2;
  };
  absl::StatusOr<BatchRankResult> r =
      RecheckRanking(*exact_, instance_->participant_ptrs, instance_->contexts, first, o);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
  EXPECT_GT(total_seen, 0);
  EXPECT_LT(last, total_seen);
}

TEST_F(RecheckTest, BadInputIsInvalidArgument) {
  BatchRankResult first;
  first.for_participant.resize(1);
  first.for_participant[0].push_back(
      {static_cast<int>(instance_->contexts.size()), Tier::kFits, 1});
  absl::StatusOr<BatchRankResult> r = Recheck(first, 5);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("for_participant[0]"), std::string::npos);
  RecheckOptions o;
  o.threads = 0;
  r = RecheckRanking(*exact_, instance_->participant_ptrs, instance_->contexts, BatchRankResult(),
                     o);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  o = RecheckOptions();
  o.top_k_per_vacancy = -1;
  r = RecheckRanking(*exact_, instance_->participant_ptrs, instance_->contexts, BatchRankResult(),
                     o);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<const Participant*> with_null = {instance_->participant_ptrs[0], nullptr};
  r = RecheckRanking(*exact_, with_null, instance_->contexts, BatchRankResult(), RecheckOptions());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carvematch
