#include "jobcarving/bundle_optimizer.h"

#include <cmath>
#include <limits>
#include <random>

#include "gtest/gtest.h"

namespace carvematch {
namespace {

// A random instance: task hours in half hours, mixed times of day, a few isolated
// tasks, fit bits with fit_now a subset of fit_any, participants' wanted hours.
OptInstance RandomInstance(int tasks, int pool, int max_bundles, uint64_t seed) {
  std::mt19937_64 gen(seed);
  auto uniform = [&]() { return static_cast<double>(gen() >> 11) * (1.0 / 9007199254740992.0); };
  auto pick = [&](int lo, int hi) { return lo + static_cast<int>(gen() % (hi - lo + 1)); };
  OptInstance inst;
  inst.pool_size = pool;
  const size_t words = static_cast<size_t>((pool + 63) / 64);
  for (int t = 0; t < tasks; ++t) {
    OptTask task;
    task.hours = 0.5 * pick(1, 16);
    const double r = uniform();
    task.time_of_day = r < 0.55   ? TimeOfDay::kDay
                       : r < 0.75 ? TimeOfDay::kEarly
                       : r < 0.92 ? TimeOfDay::kLate
                                  : TimeOfDay::kNight;
    task.alongside_colleagues = uniform() < 0.85;
    task.value = -1 + 6 * uniform();
    task.fit_now.assign(words, 0);
    task.fit_any.assign(words, 0);
    const double p_any = 0.4 + 0.55 * uniform();
    for (int p = 0; p < pool; ++p) {
      if (uniform() < p_any) {
        task.fit_any[static_cast<size_t>(p / 64)] |= uint64_t{1} << (p % 64);
        if (uniform() < 0.6) task.fit_now[static_cast<size_t>(p / 64)] |= uint64_t{1} << (p % 64);
      }
    }
    inst.tasks.push_back(task);
  }
  for (int p = 0; p < pool; ++p) {
    const double lo = 0.5 * pick(0, 40);
    inst.hours.push_back({lo, lo + 0.5 * pick(0, 50)});
  }
  inst.rules.min_hours = 0.5 * pick(8, 26);
  inst.rules.max_hours = std::max(inst.rules.min_hours, 0.5 * pick(30, 76));
  inst.rules.max_bundles = max_bundles;
  inst.rules.weight_now = 0.2 + uniform();
  inst.rules.weight_with_accommodations = 0.5 * uniform();
  return inst;
}

TEST(BundleOptimizerTest, CompatibleTimes) {
  EXPECT_TRUE(CompatibleTimes({TimeOfDay::kDay, TimeOfDay::kEarly}));
  EXPECT_TRUE(CompatibleTimes({TimeOfDay::kDay, TimeOfDay::kLate, TimeOfDay::kUnspecified}));
  EXPECT_TRUE(CompatibleTimes({TimeOfDay::kNight, TimeOfDay::kNight}));
  EXPECT_FALSE(CompatibleTimes({TimeOfDay::kEarly, TimeOfDay::kLate}));
  EXPECT_FALSE(CompatibleTimes({TimeOfDay::kDay, TimeOfDay::kNight}));
}

TEST(BundleOptimizerTest, BundleScoreCountsParticipantsWhoFitEveryTaskAndTheHours) {
  OptInstance inst;
  inst.pool_size = 3;
  inst.hours = {{0, 38}, {0, 38}, {30, 38}};  // participant 2 wants 30+ hours: 14 h blocks
  inst.rules.min_hours = 10;
  inst.rules.max_hours = 38;
  inst.rules.weight_now = 1;
  inst.rules.weight_with_accommodations = 0.5;
  OptTask a{8, TimeOfDay::kDay, true, 1.0, {0b111}, {0b111}};
  OptTask b{6, TimeOfDay::kEarly, false, 2.0, {0b101}, {0b111}};
  inst.tasks = {a, b};
  const BundleFigures f = EvaluateBundle(inst, {1, 0});
  EXPECT_TRUE(f.feasible);
  EXPECT_DOUBLE_EQ(f.hours, 14);
  EXPECT_EQ(f.fit_now, 1);                  // participant 0 (1 lacks fit_now on b, 2 blocked)
  EXPECT_EQ(f.fit_with_accommodations, 1);  // participant 1
  EXPECT_DOUBLE_EQ(f.score, 1 + 0.5 + 3.0);
  // Alone, b is below the minimum hours and isolated.
  EXPECT_FALSE(EvaluateBundle(inst, {1}).feasible);
  inst.rules.min_hours = 1;
  EXPECT_FALSE(EvaluateBundle(inst, {1}).feasible);  // no colleague contact
  EXPECT_TRUE(EvaluateBundle(inst, {0}).feasible);
}

TEST(BundleOptimizerTest, ExactEqualsBruteForceOnRandomInstances) {
  int with_bundles = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const int tasks = 4 + static_cast<int>(seed % 8);  // 4..11
    const int bundles = 1 + static_cast<int>(seed % 3);
    const OptInstance inst =
        RandomInstance(tasks, 20 + static_cast<int>(seed * 7 % 120), bundles, seed);
    const OptSolution exact = SolveExact(inst);
    const OptSolution brute = SolveBruteForce(inst);
    ASSERT_NEAR(exact.value, brute.value, 1e-9 * (1 + std::fabs(brute.value))) << "seed " << seed;
    EXPECT_NEAR(PlanValue(inst, exact.bundles), exact.value, 1e-9 * (1 + std::fabs(exact.value)))
        << "seed " << seed;
    EXPECT_LE(static_cast<int>(exact.bundles.size()), bundles);
    const OptSolution heuristic = SolveHeuristic(inst);
    EXPECT_LE(heuristic.value, exact.value + 1e-9) << "seed " << seed;
    EXPECT_NEAR(PlanValue(inst, heuristic.bundles), heuristic.value,
                1e-9 * (1 + std::fabs(heuristic.value)));
    if (!exact.bundles.empty()) ++with_bundles;
  }
  EXPECT_GT(with_bundles, 30);  // the instances are not trivially empty
}

TEST(BundleOptimizerTest, ForbiddenBundlesAreAvoidedExactly) {
  for (uint64_t seed = 100; seed < 120; ++seed) {
    OptInstance inst = RandomInstance(9, 70, 2, seed);
    const OptSolution first = SolveExact(inst);
    if (first.bundles.empty()) continue;
    inst.forbidden.push_back(first.bundles[0]);
    const OptSolution exact = SolveExact(inst);
    const OptSolution brute = SolveBruteForce(inst);
    EXPECT_NEAR(exact.value, brute.value, 1e-9 * (1 + std::fabs(brute.value))) << "seed " << seed;
    for (const std::vector<int>& b : exact.bundles) EXPECT_NE(b, first.bundles[0]);
    EXPECT_LE(exact.value, first.value + 1e-9);
  }
}

TEST(BundleOptimizerTest, DeterministicAndHeuristicValidOnTwentyTasks) {
  const OptInstance inst = RandomInstance(20, 200, 3, 4242);
  const OptSolution a = SolveExact(inst);
  const OptSolution b = SolveExact(inst);
  EXPECT_EQ(a.bundles, b.bundles);
  EXPECT_EQ(a.value, b.value);
  const OptSolution h1 = SolveHeuristic(inst);
  const OptSolution h2 = SolveHeuristic(inst);
  EXPECT_EQ(h1.bundles, h2.bundles);
  EXPECT_LE(h1.value, a.value + 1e-9);
  EXPECT_NEAR(PlanValue(inst, a.bundles), a.value, 1e-9 * (1 + std::fabs(a.value)));
}

TEST(BundleOptimizerTest, PlansAreTheOptimumAndTheOptimaWithoutEachOfItsBundles) {
  int checked = 0;
  for (uint64_t seed = 200; seed < 230; ++seed) {
    const OptInstance inst = RandomInstance(10, 90, 2, seed);
    const std::vector<OptSolution> plans = SolvePlans(inst, 3, /*exact=*/true);
    ASSERT_FALSE(plans.empty());
    EXPECT_NEAR(plans[0].value, SolveBruteForce(inst).value,
                1e-9 * (1 + std::fabs(plans[0].value)));
    if (plans[0].bundles.empty()) {
      EXPECT_EQ(plans.size(), 1u);
      continue;
    }
    // The best alternative is the best of "the optimum without bundle b" over b.
    double best_alternative = -std::numeric_limits<double>::infinity();
    for (const std::vector<int>& b : plans[0].bundles) {
      OptInstance without = inst;
      without.forbidden.push_back(b);
      const OptSolution s = SolveBruteForce(without);
      if (!s.bundles.empty() && s.bundles != plans[0].bundles) {
        best_alternative = std::max(best_alternative, s.value);
      }
    }
    if (plans.size() > 1) {
      ++checked;
      EXPECT_NEAR(plans[1].value, best_alternative, 1e-9 * (1 + std::fabs(best_alternative)));
      for (size_t i = 1; i < plans.size(); ++i) {
        EXPECT_NE(plans[i].bundles, plans[0].bundles);
        EXPECT_LE(plans[i].value, plans[0].value + 1e-9);
        EXPECT_NEAR(PlanValue(inst, plans[i].bundles), plans[i].value,
                    1e-9 * (1 + std::fabs(plans[i].value)));
      }
    }
    const std::vector<OptSolution> heuristic = SolvePlans(inst, 3, /*exact=*/false);
    for (const OptSolution& h : heuristic) {
      EXPECT_NEAR(PlanValue(inst, h.bundles), h.value, 1e-9 * (1 + std::fabs(h.value)));
    }
  }
  EXPECT_GT(checked, 5);
}

TEST(BundleOptimizerTest, NothingFeasibleGivesAnEmptyPlan) {
  OptInstance inst = RandomInstance(5, 10, 2, 9);
  inst.rules.min_hours = 1000;
  inst.rules.max_hours = 1000;
  EXPECT_TRUE(SolveExact(inst).bundles.empty());
  EXPECT_TRUE(SolveHeuristic(inst).bundles.empty());
  EXPECT_EQ(SolveExact(inst).value, 0);
}

}  // namespace
}  // namespace carvematch
