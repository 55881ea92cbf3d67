#include "matcher/batch_ranker.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/pair_core.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch {
namespace {

struct Pair {
  int index;  // the other side
  Tier tier;
  double score;
};

// The reference: Matcher::Explain on every pair, then a full sort per row and column.
class BatchRankerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One town: denser than the benchmark population, so that many pairs fit.
    SyntheticParams params;
    params.towns = 1;
    instance_ = new SyntheticInstance(MakeSyntheticInstance(300, 120, /*seed=*/20240611, params));
    travel_ = new TravelModel();
    matcher_ = new Matcher(*instance_->credit, *travel_);
    const size_t np = instance_->participants.size();
    const size_t nv = instance_->vacancies.size();
    explained_ = new std::vector<std::vector<MatchResult>>(np);
    for (size_t p = 0; p < np; ++p) {
      for (size_t v = 0; v < nv; ++v) {
        absl::StatusOr<MatchResult> r =
            matcher_->Explain(instance_->participants[p], instance_->contexts[v]);
        ASSERT_TRUE(r.ok()) << r.status();
        (*explained_)[p].push_back(*std::move(r));
      }
    }
  }
  static void TearDownTestSuite() {
    delete explained_;
    delete matcher_;
    delete travel_;
    delete instance_;
  }

  static const MatchResult& Explained(size_t p, size_t v) { return (*explained_)[p][v]; }

  // Top-k of one participant's row (vacancy ids order ties) from Explain.
  static std::vector<Pair> ReferenceRow(size_t p, int k, bool include_blocked) {
    std::vector<Pair> row;
    for (size_t v = 0; v < instance_->vacancies.size(); ++v) {
      const MatchResult& r = Explained(p, v);
      if (!include_blocked && r.tier == Tier::kBlocked) continue;
      row.push_back({static_cast<int>(v), r.tier, r.score});
    }
    SortAndCut(&row, k, [](int v) { return instance_->vacancies[static_cast<size_t>(v)].id; });
    return row;
  }

  static std::vector<Pair> ReferenceColumn(size_t v, int k, bool include_blocked) {
    std::vector<Pair> col;
    for (size_t p = 0; p < instance_->participants.size(); ++p) {
      const MatchResult& r = Explained(p, v);
      if (!include_blocked && r.tier == Tier::kBlocked) continue;
      col.push_back({static_cast<int>(p), r.tier, r.score});
    }
    SortAndCut(&col, k, [](int p) { return instance_->participants[static_cast<size_t>(p)].id; });
    return col;
  }

  template <typename IdOf>
  static void SortAndCut(std::vector<Pair>* pairs, int k, IdOf id_of) {
    std::stable_sort(pairs->begin(), pairs->end(), [&](const Pair& a, const Pair& b) {
      if (a.tier != b.tier) return a.tier < b.tier;
      if (a.score != b.score) return a.score > b.score;
      return id_of(a.index) < id_of(b.index);
    });
    if (pairs->size() > static_cast<size_t>(k)) pairs->resize(static_cast<size_t>(k));
  }

  static absl::StatusOr<BatchRankResult> Run(BatchRankOptions options) {
    return RankAll(*matcher_, instance_->participant_ptrs, instance_->contexts, options);
  }

  // Small tiles, so that the instance spans several tiles both ways, partial ones too.
  static BatchRankOptions SmallTiles() {
    BatchRankOptions o;
    o.participant_block = 64;
    o.vacancy_block = 50;
    return o;
  }

  static void ExpectEqualToReference(const BatchRankResult& got, const BatchRankOptions& o) {
    ASSERT_EQ(got.for_participant.size(), instance_->participants.size());
    ASSERT_EQ(got.for_vacancy.size(), instance_->vacancies.size());
    for (size_t p = 0; p < got.for_participant.size(); ++p) {
      std::vector<Pair> want = ReferenceRow(p, o.top_k_per_participant, o.include_blocked);
      const std::vector<RankedVacancy>& row = got.for_participant[p];
      ASSERT_EQ(row.size(), want.size()) << "participant " << p;
      for (size_t i = 0; i < row.size(); ++i) {
        EXPECT_EQ(row[i].vacancy, want[i].index) << "participant " << p << " rank " << i;
        EXPECT_EQ(row[i].tier, want[i].tier) << "participant " << p << " rank " << i;
        EXPECT_NEAR(row[i].score, want[i].score, 1e-4) << "participant " << p << " rank " << i;
      }
    }
    for (size_t v = 0; v < got.for_vacancy.size(); ++v) {
      std::vector<Pair> want = ReferenceColumn(v, o.top_k_per_vacancy, o.include_blocked);
      const std::vector<RankedParticipant>& col = got.for_vacancy[v];
      ASSERT_EQ(col.size(), want.size()) << "vacancy " << v;
      for (size_t i = 0; i < col.size(); ++i) {
        EXPECT_EQ(col[i].participant, want[i].index) << "vacancy " << v << " rank " << i;
        EXPECT_EQ(col[i].tier, want[i].tier) << "vacancy " << v << " rank " << i;
        EXPECT_NEAR(col[i].score, want[i].score, 1e-4) << "vacancy " << v << " rank " << i;
      }
    }
  }

  static SyntheticInstance* instance_;
  static TravelModel* travel_;
  static Matcher* matcher_;
  static std::vector<std::vector<MatchResult>>* explained_;
};

SyntheticInstance* BatchRankerTest::instance_ = nullptr;
TravelModel* BatchRankerTest::travel_ = nullptr;
Matcher* BatchRankerTest::matcher_ = nullptr;
std::vector<std::vector<MatchResult>>* BatchRankerTest::explained_ = nullptr;

TEST_F(BatchRankerTest, TheInstanceHasEveryTierAndManyConstraints) {
  std::map<Tier, int> tiers;
  std::map<std::string, int> blockers;
  for (const auto& row : *explained_) {
    for (const MatchResult& r : row) {
      ++tiers[r.tier];
      for (const ExplanationItem& item : r.items) {
        if (item.status == ItemStatus::kBlocker) ++blockers[item.criterion];
      }
    }
  }
  // Otherwise the exactness tests below would prove little.
  EXPECT_GE(tiers[Tier::kFits], 500);
  EXPECT_GE(tiers[Tier::kFitsWithAccommodations], 200);
  EXPECT_GE(tiers[Tier::kBlocked], 200);
  for (const char* criterion : {"commute", "schedule", "childcare", "dutch_speaking", "hours",
                                "night_work", "lifting", "licence"}) {
    EXPECT_GE(blockers[criterion], 5) << criterion;
  }
}

// The numeric core (no strings) agrees with the renderer on every pair: tier, score,
// the accommodations relied on and the commute.
TEST_F(BatchRankerTest, NumericCoreEqualsExplainOnEveryPair) {
  FeatureDictionary dict;
  std::vector<VacancyFeatures> vf;
  for (const VacancyContext& c : instance_->contexts) {
    vf.push_back(BuildVacancyFeatures(*c.vacancy, *c.employer,
                                      *c.employer->FindSite(c.vacancy->site_id), &dict));
  }
  int fits_with_accommodations = 0;
  for (size_t p = 0; p < instance_->participants.size(); ++p) {
    const ParticipantFeatures pf = BuildParticipantFeatures(instance_->participants[p], dict);
    for (size_t v = 0; v < vf.size(); ++v) {
      const MatchResult& want = Explained(p, v);
      const PairNumbers got = EvaluatePair(pf, vf[v], want.coverage_essential,
                                           want.coverage_optional, *travel_, matcher_->params());
      ASSERT_EQ(got.tier, want.tier) << want.participant_id << " x " << want.vacancy_id;
      ASSERT_EQ(got.score, want.score) << want.participant_id << " x " << want.vacancy_id;
      ASSERT_EQ(AccommodationsOfMask(got.accommodations), want.accommodations)
          << want.participant_id << " x " << want.vacancy_id;
      ASSERT_EQ(got.commute_mode, want.commute_mode)
          << want.participant_id << " x " << want.vacancy_id;
      ASSERT_EQ(got.commute_minutes, want.commute_minutes)
          << want.participant_id << " x " << want.vacancy_id;
      if (got.tier == Tier::kFitsWithAccommodations) ++fits_with_accommodations;
    }
  }
  EXPECT_GT(fits_with_accommodations, 0);
}

// The compact prefilter the batch kernel rejects pairs with says exactly what
// CheckStatic says about blockers (every id of this instance is below 64).
TEST_F(BatchRankerTest, CertainlyBlockedEqualsTheStaticCheck) {
  FeatureDictionary dict;
  std::vector<VacancyFeatures> vf;
  for (const VacancyContext& c : instance_->contexts) {
    vf.push_back(BuildVacancyFeatures(*c.vacancy, *c.employer,
                                      *c.employer->FindSite(c.vacancy->site_id), &dict));
  }
  std::vector<HardNeeds> needs;
  for (const VacancyFeatures& f : vf) needs.push_back(HardNeedsOf(f));
  int blocked = 0, not_blocked = 0;
  for (size_t p = 0; p < instance_->participants.size(); ++p) {
    const ParticipantFeatures pf = BuildParticipantFeatures(instance_->participants[p], dict);
    const HardAbilities abilities = HardAbilitiesOf(pf);
    for (size_t v = 0; v < vf.size(); ++v) {
      const MatchResult& want = Explained(p, v);
      const bool got = CertainlyBlocked(needs[v], abilities, matcher_->params());
      ASSERT_EQ(got, CheckStatic(pf, vf[v], want.coverage_essential, want.coverage_optional,
                                 matcher_->params())
                         .blocked)
          << want.participant_id << " x " << want.vacancy_id;
      ++(got ? blocked : not_blocked);
    }
  }
  EXPECT_GT(blocked, 0);
  EXPECT_GT(not_blocked, 0);
}

// The packed prefilter only rejects pairs CertainlyBlocked rejects, and misses only
// pairs whose shifts leave the availability within an hour the participant is partly
// available (it compares hours, not quarters).
TEST_F(BatchRankerTest, SurelyBlockedImpliesCertainlyBlockedAndMissesOnlyQuarterGaps) {
  FeatureDictionary dict;
  std::vector<VacancyFeatures> vf;
  for (const VacancyContext& c : instance_->contexts) {
    vf.push_back(BuildVacancyFeatures(*c.vacancy, *c.employer,
                                      *c.employer->FindSite(c.vacancy->site_id), &dict));
  }
  std::vector<HardNeeds> needs;
  std::vector<PackedNeeds> packed;
  for (const VacancyFeatures& f : vf) {
    needs.push_back(HardNeedsOf(f));
    packed.push_back(PackedNeedsOf(f));
  }
  int surely = 0, missed = 0;
  for (size_t p = 0; p < instance_->participants.size(); ++p) {
    const ParticipantFeatures pf = BuildParticipantFeatures(instance_->participants[p], dict);
    const HardAbilities abilities = HardAbilitiesOf(pf);
    const PackedAbilities packed_abilities = PackedAbilitiesOf(pf);
    HardAbilities always = abilities;
    always.always_available = true;
    for (size_t v = 0; v < vf.size(); ++v) {
      const bool certainly = CertainlyBlocked(needs[v], abilities, matcher_->params());
      const bool sure = SurelyBlocked(packed[v], packed_abilities, matcher_->params());
      if (sure) {
        ASSERT_TRUE(certainly) << p << " x " << v;
        ++surely;
      } else if (certainly) {
        // Only the availability can block it, and not at the hour level.
        ASSERT_FALSE(CertainlyBlocked(needs[v], always, matcher_->params())) << p << " x " << v;
        ++missed;
      }
    }
  }
  EXPECT_GT(surely, 0);
  EXPECT_GT(surely, 10 * missed);  // the prefilter does almost all of the rejecting
}

TEST(PackedNeedsTest, FloorsFollowTheAccommodations) {
  VacancyFeatures v;
  v.dutch_need = {3, 0, 2, 0};
  v.digital_tools = 2;
  v.shift_days = 0b101;
  v.all_shifts = WeekMask::FromSpan({Weekday::kMonday, 9 * 60 + 30, 10 * 60});
  PackedNeeds n = PackedNeedsOf(v);
  EXPECT_EQ(n.dutch_floor[0], 3);
  EXPECT_EQ(n.dutch_floor[1], -128);
  EXPECT_EQ(n.digital_floor, 2);
  EXPECT_EQ(n.care_days, 0b101);
  EXPECT_EQ(n.shift_hours[0], uint64_t{1} << 9);  // Monday 09:xx
  v.offers = AccommodationBit(Accommodation::kLanguageCoaching) |
             AccommodationBit(Accommodation::kWorkplaceLearning) |
             AccommodationBit(Accommodation::kChildcareSupport) |
             AccommodationBit(Accommodation::kFlexibleStart);
  n = PackedNeedsOf(v);
  EXPECT_EQ(n.dutch_floor[0], 2);
  EXPECT_EQ(n.dutch_floor[2], 1);
  EXPECT_EQ(n.digital_floor, 1);
  EXPECT_EQ(n.care_days, 0);
  EXPECT_EQ(n.shift_hours[0], 0u);
}

TEST_F(BatchRankerTest, TopTenBothWaysEqualsExplainOnEveryPair) {
  BatchRankOptions o = SmallTiles();
  absl::StatusOr<BatchRankResult> got = Run(o);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectEqualToReference(*got, o);
  EXPECT_EQ(got->stats.pairs, 300 * 120);
  EXPECT_LE(got->stats.static_checks, 300 * 120);
  EXPECT_LT(got->stats.completed, got->stats.pairs);  // the bounds skip pairs
  EXPECT_GT(got->stats.settled_far, 0);               // the TravelModel's distance bound was used
}

// An estimator that is not a TravelModel: no distance bound, every pair that may
// enter a top-k is completed with travel times. Same result.
class ForwardingTravel : public TravelTimeEstimator {
 public:
  explicit ForwardingTravel(const TravelTimeEstimator& inner) : inner_(inner) {}
  std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                             const WeeklySpan& shift, TripLeg leg) const override {
    return inner_.Minutes(mode, from, to, shift, leg);
  }

 private:
  const TravelTimeEstimator& inner_;
};

TEST_F(BatchRankerTest, WithoutATravelBoundTheResultIsTheSame) {
  ForwardingTravel forwarding(*travel_);
  Matcher matcher(*instance_->credit, forwarding);
  BatchRankOptions o = SmallTiles();
  absl::StatusOr<BatchRankResult> got =
      RankAll(matcher, instance_->participant_ptrs, instance_->contexts, o);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->stats.settled_far, 0);
  ExpectEqualToReference(*got, o);
  // And an explicit bound for it gives the same again.
  o.travel_bound = TravelLowerBound::Of(*travel_);
  o.include_blocked = false;
  got = RankAll(matcher, instance_->participant_ptrs, instance_->contexts, o);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_GT(got->stats.settled_far, 0);
  ExpectEqualToReference(*got, o);
}

TEST_F(BatchRankerTest, WithoutBlockedPairsAndOtherK) {
  BatchRankOptions o = SmallTiles();
  o.include_blocked = false;
  o.top_k_per_participant = 3;
  o.top_k_per_vacancy = 25;
  absl::StatusOr<BatchRankResult> got = Run(o);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectEqualToReference(*got, o);
  for (const auto& row : got->for_participant) {
    for (const RankedVacancy& r : row) EXPECT_NE(r.tier, Tier::kBlocked);
  }
}

TEST_F(BatchRankerTest, DefaultTilesAndZeroK) {
  BatchRankOptions o;  // one tile: 256 x 512 covers 300 x 120 in two participant blocks
  o.top_k_per_vacancy = 0;
  absl::StatusOr<BatchRankResult> got = Run(o);
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectEqualToReference(*got, o);
  for (const auto& col : got->for_vacancy) EXPECT_TRUE(col.empty());
}

TEST_F(BatchRankerTest, OneThreadAndTwoThreadsGiveTheSameResult) {
  BatchRankOptions one = SmallTiles();
  one.threads = 1;
  BatchRankOptions two = SmallTiles();
  two.threads = 2;
  two.participant_block = 16;  // many blocks, so both threads take some
  absl::StatusOr<BatchRankResult> a = Run(one);
  absl::StatusOr<BatchRankResult> b = Run(two);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->for_participant.size(), b->for_participant.size());
  for (size_t p = 0; p < a->for_participant.size(); ++p) {
    ASSERT_EQ(a->for_participant[p].size(), b->for_participant[p].size());
    for (size_t i = 0; i < a->for_participant[p].size(); ++i) {
      EXPECT_EQ(a->for_participant[p][i].vacancy, b->for_participant[p][i].vacancy);
      EXPECT_EQ(a->for_participant[p][i].tier, b->for_participant[p][i].tier);
      EXPECT_EQ(a->for_participant[p][i].score, b->for_participant[p][i].score);
    }
  }
  for (size_t v = 0; v < a->for_vacancy.size(); ++v) {
    ASSERT_EQ(a->for_vacancy[v].size(), b->for_vacancy[v].size());
    for (size_t i = 0; i < a->for_vacancy[v].size(); ++i) {
      EXPECT_EQ(a->for_vacancy[v][i].participant, b->for_vacancy[v][i].participant);
      EXPECT_EQ(a->for_vacancy[v][i].tier, b->for_vacancy[v][i].tier);
      EXPECT_EQ(a->for_vacancy[v][i].score, b->for_vacancy[v][i].score);
    }
  }
}

TEST_F(BatchRankerTest, ProgressIsMonotonicAndEndsAtTheTotal) {
  BatchRankOptions o = SmallTiles();
  std::vector<std::pair<int64_t, int64_t>> calls;
  o.progress = [&](int64_t done, int64_t total) {
    calls.emplace_back(done, total);
    return true;
  };
  ASSERT_TRUE(Run(o).ok());
  ASSERT_EQ(calls.size(), 5u * 2u);  // ceil(300 / 64) blocks, two passes (blocked pairs included)
  for (size_t i = 1; i < calls.size(); ++i) EXPECT_GT(calls[i].first, calls[i - 1].first);
  EXPECT_EQ(calls.back().first, 300 * 120);
  EXPECT_EQ(calls.back().second, 300 * 120);
}

TEST_F(BatchRankerTest, ProgressCallbackCancels) {
  BatchRankOptions o = SmallTiles();
  int calls = 0;
  o.progress = [&](int64_t, int64_t) { return ++calls < 2; };
  absl::StatusOr<BatchRankResult> got = Run(o);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kCancelled);
  EXPECT_LT(calls, 15);  // it stopped early
}

TEST_F(BatchRankerTest, InvalidInput) {
  BatchRankOptions o;
  o.threads = 0;
  EXPECT_EQ(Run(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = BatchRankOptions();
  o.top_k_per_participant = -1;
  EXPECT_EQ(Run(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = BatchRankOptions();
  o.vacancy_block = 0;
  EXPECT_EQ(Run(o).status().code(), absl::StatusCode::kInvalidArgument);

  std::vector<const Participant*> with_null = {instance_->participant_ptrs[0], nullptr};
  EXPECT_EQ(RankAll(*matcher_, with_null, instance_->contexts, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<VacancyContext> no_employer = {{&instance_->vacancies[0], nullptr, nullptr}};
  EXPECT_EQ(RankAll(*matcher_, instance_->participant_ptrs, no_employer, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  Vacancy elsewhere = instance_->vacancies[0];
  elsewhere.site_id = "no-such-site";
  std::vector<VacancyContext> bad_site = {{&elsewhere, instance_->contexts[0].employer, nullptr}};
  EXPECT_EQ(RankAll(*matcher_, instance_->participant_ptrs, bad_site, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(BatchRankerTest, EmptyInputsGiveEmptyLists) {
  absl::StatusOr<BatchRankResult> no_vacancies =
      RankAll(*matcher_, instance_->participant_ptrs, {}, {});
  ASSERT_TRUE(no_vacancies.ok());
  EXPECT_EQ(no_vacancies->for_participant.size(), 300u);
  for (const auto& row : no_vacancies->for_participant) EXPECT_TRUE(row.empty());
  absl::StatusOr<BatchRankResult> no_participants = RankAll(*matcher_, {}, instance_->contexts, {});
  ASSERT_TRUE(no_participants.ok());
  EXPECT_EQ(no_participants->for_vacancy.size(), 120u);
  for (const auto& col : no_participants->for_vacancy) EXPECT_TRUE(col.empty());
}

// The benchmark's geography (30 towns): most pairs are settled by the distance bound.
TEST(BatchRankerSpreadTest, FarTilesAreSettledExactly) {
  SyntheticInstance inst = MakeSyntheticInstance(240, 160, /*seed=*/99);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  std::vector<std::vector<Pair>> rows(inst.participants.size());
  std::vector<std::vector<Pair>> cols(inst.vacancies.size());
  for (size_t p = 0; p < inst.participants.size(); ++p) {
    for (size_t v = 0; v < inst.vacancies.size(); ++v) {
      absl::StatusOr<MatchResult> r = matcher.Explain(inst.participants[p], inst.contexts[v]);
      ASSERT_TRUE(r.ok());
      rows[p].push_back({static_cast<int>(v), r->tier, r->score});
      cols[v].push_back({static_cast<int>(p), r->tier, r->score});
    }
  }
  auto top = [](std::vector<Pair> pairs, int k, bool include_blocked,
                const std::function<std::string(int)>& id_of) {
    if (!include_blocked) {
      pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                                 [](const Pair& x) { return x.tier == Tier::kBlocked; }),
                  pairs.end());
    }
    std::stable_sort(pairs.begin(), pairs.end(), [&](const Pair& a, const Pair& b) {
      if (a.tier != b.tier) return a.tier < b.tier;
      if (a.score != b.score) return a.score > b.score;
      return id_of(a.index) < id_of(b.index);
    });
    if (pairs.size() > static_cast<size_t>(k)) pairs.resize(static_cast<size_t>(k));
    return pairs;
  };
  for (int variant = 0; variant < 4; ++variant) {
    const bool include_blocked = variant % 2 == 1;
    BatchRankOptions o;
    if (variant < 2) {  // small blocks and cells; then the defaults
      o.participant_block = 16;
      o.vacancy_block = 16;
    }
    o.include_blocked = include_blocked;
    o.top_k_per_participant = 5;
    o.top_k_per_vacancy = 5;
    absl::StatusOr<BatchRankResult> got = RankAll(matcher, inst.participant_ptrs, inst.contexts, o);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_GT(got->stats.settled_far, got->stats.pairs / 2);
    EXPECT_GT(got->stats.settled_by_cell, 0);  // whole cells of sites out of reach
    for (size_t p = 0; p < rows.size(); ++p) {
      std::vector<Pair> want = top(rows[p], 5, include_blocked, [&](int v) {
        return inst.vacancies[static_cast<size_t>(v)].id;
      });
      const auto& row = got->for_participant[p];
      ASSERT_EQ(row.size(), want.size()) << p;
      for (size_t i = 0; i < row.size(); ++i) {
        EXPECT_EQ(row[i].vacancy, want[i].index) << p << " " << i;
        EXPECT_EQ(row[i].tier, want[i].tier) << p << " " << i;
        EXPECT_NEAR(row[i].score, want[i].score, 1e-4) << p << " " << i;
      }
    }
    for (size_t v = 0; v < cols.size(); ++v) {
      std::vector<Pair> want = top(cols[v], 5, include_blocked, [&](int p) {
        return inst.participants[static_cast<size_t>(p)].id;
      });
      const auto& col = got->for_vacancy[v];
      ASSERT_EQ(col.size(), want.size()) << v;
      for (size_t i = 0; i < col.size(); ++i) {
        EXPECT_EQ(col[i].participant, want[i].index) << v << " " << i;
        EXPECT_EQ(col[i].tier, want[i].tier) << v << " " << i;
        EXPECT_NEAR(col[i].score, want[i].score, 1e-4) << v << " " << i;
      }
    }
  }
}

TEST(TravelLowerBoundTest, BoundsTheGeometricModel) {
  TravelModel model;
  const TravelLowerBound bound = TravelLowerBound::Of(model);
  const GeoPoint gent{51.054, 3.717};
  for (double d : {0.0, 0.001, 0.01, 0.05, 0.2, 0.6}) {
    const GeoPoint other{gent.lat + d, gent.lon + 1.3 * d};
    const double km = HaversineKm(gent, other);
    for (int m = 1; m <= kTransportModeCount; ++m) {
      const TransportMode mode = static_cast<TransportMode>(m);
      std::optional<int> minutes =
          model.Minutes(mode, gent, other, {Weekday::kMonday, 540, 1020}, TripLeg::kToShift);
      if (!minutes) {
        EXPECT_EQ(mode, TransportMode::kPublicTransport);  // leaving before 05:00
        continue;
      }
      const size_t i = static_cast<size_t>(m);
      EXPECT_LE(bound.overhead_minutes[i] + bound.minutes_per_km[i] * km, *minutes + 1e-9);
      EXPECT_GT(bound.overhead_minutes[i] + bound.minutes_per_km[i] * km, *minutes - 1.0);
    }
  }
}

TEST(SyntheticInstanceTest, SameSeedSameInstanceAndRealisticSparsity) {
  SyntheticInstance a = MakeSyntheticInstance(200, 80, 5);
  SyntheticInstance b = MakeSyntheticInstance(200, 80, 5);
  SyntheticInstance c = MakeSyntheticInstance(200, 80, 6);
  ASSERT_EQ(a.participants.size(), 200u);
  ASSERT_EQ(a.vacancies.size(), 80u);
  int same = 0, skills = 0;
  for (size_t i = 0; i < a.participants.size(); ++i) {
    EXPECT_EQ(a.participants[i].skills.size(), b.participants[i].skills.size());
    EXPECT_EQ(a.participants[i].home.point.lat, b.participants[i].home.point.lat);
    same += a.participants[i].home.point.lat == c.participants[i].home.point.lat;
    skills += static_cast<int>(a.participants[i].skills.size());
  }
  EXPECT_LT(same, 5);  // another seed, another population
  EXPECT_NEAR(skills / 200.0, 8.0, 1.0);
  for (size_t v = 0; v < a.vacancies.size(); ++v) {
    size_t requirements = 0;
    for (const Task& t : a.vacancies[v].tasks) requirements += t.skills.size();
    EXPECT_GE(requirements, 6u);
    EXPECT_LE(requirements, 15u);
    EXPECT_NE(a.contexts[v].employer->FindSite(a.vacancies[v].site_id), nullptr);
    EXPECT_EQ(a.contexts[v].vacancy, &a.vacancies[v]);
  }
  EXPECT_EQ(a.participant_ptrs[7], &a.participants[7]);
}

}  // namespace
}  // namespace carvematch
