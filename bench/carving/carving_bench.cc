// Job carving benchmark (docs/performance.md, "Job carving (issue 4)").
//
//   1. Heuristic gap: on carving scenarios whose vacancy has 12..20 movable tasks (pool
//      of 200 synthetic participants), the objective of the heuristic's best plan vs the
//      exact optimum; also on abstract random optimiser instances of 12..20 tasks.
//   2. Time of Carve for one 40-task vacancy (target < 100 ms) and for a site with 20
//      vacancies x 30 tasks (target < 2 s), pool of 200, default options.
//
// Usage: carving_bench [--quick] [--verbose]   (fixed seeds; --quick runs fewer instances,
// --verbose prints every abstract instance)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "absl/strings/str_format.h"
#include "jobcarving/bundle_optimizer.h"
#include "jobcarving/carving.h"
#include "jobcarving/testing/carving_scenario.h"

namespace carvematch {
namespace {

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double Median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

// Abstract random instance (as in tests/jobcarving/bundle_optimizer_test.cc).
OptInstance RandomInstance(int tasks, int pool, int max_bundles, uint64_t seed) {
  std::mt19937_64 gen(seed);
  auto uniform = [&]() { return static_cast<double>(gen() >> 11) * (1.0 / 9007199254740992.0); };
  auto pick = [&](int lo, int hi) { return lo + static_cast<int>(gen() % (hi - lo + 1)); };
  OptInstance inst;
  inst.pool_size = pool;
  const size_t words = static_cast<size_t>((pool + 63) / 64);
  for (int t = 0; t < tasks; ++t) {
    OptTask task;
    task.hours = 0.5 * pick(1, 12);
    const double r = uniform();
    task.time_of_day = r < 0.6 ? TimeOfDay::kDay : r < 0.85 ? TimeOfDay::kEarly : TimeOfDay::kLate;
    task.alongside_colleagues = uniform() < 0.9;
    task.value = 3 * uniform();
    task.fit_now.assign(words, 0);
    task.fit_any.assign(words, 0);
    const double p_any = 0.5 + 0.5 * uniform();
    for (int p = 0; p < pool; ++p) {
      if (uniform() < p_any) {
        task.fit_any[static_cast<size_t>(p / 64)] |= uint64_t{1} << (p % 64);
        if (uniform() < 0.7) task.fit_now[static_cast<size_t>(p / 64)] |= uint64_t{1} << (p % 64);
      }
    }
    inst.tasks.push_back(task);
  }
  for (int p = 0; p < pool; ++p) {
    const double lo = 0.5 * pick(0, 40);
    inst.hours.push_back({lo, lo + 0.5 * pick(0, 40)});
  }
  inst.rules.min_hours = 38.0 / 3;
  inst.rules.max_hours = 38;
  inst.rules.max_bundles = max_bundles;
  return inst;
}

struct Gap {
  std::vector<double> gaps;  // relative, 0 = optimal
  int optimal = 0;
  void Add(double exact, double heuristic) {
    const double g = exact > 0 ? (exact - heuristic) / exact : 0;
    gaps.push_back(g);
    if (g < 1e-9) ++optimal;
  }
  void Print(const char* what) const {
    double mean = 0, max = 0;
    for (double g : gaps) {
      mean += g;
      max = std::max(max, g);
    }
    mean /= std::max<size_t>(1, gaps.size());
    std::printf("%s: %zu instances, heuristic optimal on %d, mean gap %.3f%%, max gap %.3f%%\n",
                what, gaps.size(), optimal, 100 * mean, 100 * max);
  }
};

int Run(bool quick, bool verbose) {
  // ---- 1a. Abstract instances.
  {
    Gap gap, plain;
    std::vector<double> exact_s, heur_s;
    for (int n = 12; n <= 20; ++n) {
      for (uint64_t seed = 1; seed <= (quick ? 2u : 6u); ++seed) {
        const OptInstance inst =
            RandomInstance(n, 200, 1 + static_cast<int>(seed % 3), seed * 100 + n);
        auto t0 = std::chrono::steady_clock::now();
        const OptSolution e = SolveExact(inst);
        auto t1 = std::chrono::steady_clock::now();
        const OptSolution h = SolveHeuristic(inst);
        auto t2 = std::chrono::steady_clock::now();
        if (n == 20) {
          exact_s.push_back(Seconds(t0, t1));
          heur_s.push_back(Seconds(t1, t2));
        }
        gap.Add(e.value, h.value);
        plain.Add(e.value, SolveHeuristic(inst, 48, /*neighbourhood=*/0).value);
        if (verbose) {
          std::printf("  n=%d bundles=%d seed=%d exact %.3f (%zu bundles) heuristic %.3f (%zu)\n",
                      n, inst.rules.max_bundles, static_cast<int>(seed), e.value, e.bundles.size(),
                      h.value, h.bundles.size());
        }
      }
    }
    gap.Print("abstract instances, 12-20 tasks, 1-3 bundles");
    plain.Print("  the same without the large-neighbourhood step (greedy + local search)");
    std::printf("  at 20 tasks: exact %.1f ms, heuristic %.2f ms (median)\n", 1e3 * Median(exact_s),
                1e3 * Median(heur_s));
  }
  // ---- 1b. Carving scenarios with 12..20 movable tasks.
  {
    Gap gap;
    int done = 0;
    for (uint64_t seed = 1; done < (quick ? 8 : 40) && seed < 400; ++seed) {
      CarvingScenarioParams params;
      params.pool = 200;
      params.tasks = 16 + static_cast<int>(seed % 10);
      const CarvingScenario s = MakeCarvingScenario(params, seed);
      CarveRequest request = s.Request();
      request.options.proposals = 1;
      absl::StatusOr<CarvingResult> exact = Carve(*s.matcher, request);
      if (!exact.ok() || exact->movable_tasks < 12 || exact->movable_tasks > 20) continue;
      request.options.exact_max_tasks = 0;
      absl::StatusOr<CarvingResult> heur = Carve(*s.matcher, request);
      if (!heur.ok()) return 1;
      const double e = exact->proposals.empty() ? 0 : exact->proposals[0].objective;
      const double h = heur->proposals.empty() ? 0 : heur->proposals[0].objective;
      gap.Add(e, h);
      ++done;
    }
    gap.Print("carving scenarios, 12-20 movable tasks, pool 200, 2 bundles");
  }
  // ---- 2. Times.
  auto time_carve = [&](const char* what, int vacancies, int tasks, int reps) {
    CarvingScenarioParams params;
    params.pool = 200;
    params.vacancies = vacancies;
    params.tasks = tasks;
    const CarvingScenario s = MakeCarvingScenario(params, 7);
    const CarveRequest request = s.Request();
    std::vector<double> times;
    absl::StatusOr<CarvingResult> r;
    for (int i = 0; i < reps; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      r = Carve(*s.matcher, request);
      times.push_back(Seconds(t0, std::chrono::steady_clock::now()));
      if (!r.ok()) {
        std::printf("error: %s\n", std::string(r.status().message()).c_str());
        return;
      }
    }
    int fits = 0;
    double hours = 0;
    if (!r->proposals.empty()) {
      for (const BundleProposal& b : r->proposals[0].bundles) {
        fits += b.fits_now + b.fits_with_accommodations;
        hours += b.hours_per_week;
      }
    }
    std::printf(
        "%s: %d tasks, %d movable (%s), %zu proposals, best plan %zu bundles %.1f h, %d fits; "
        "median %.1f ms (min %.1f, %d runs), %lld bundle evaluations\n",
        what, vacancies * tasks, r->movable_tasks, r->exact ? "exact" : "heuristic",
        r->proposals.size(), r->proposals.empty() ? 0 : r->proposals[0].bundles.size(), hours, fits,
        1e3 * Median(times), 1e3 * *std::min_element(times.begin(), times.end()), reps,
        static_cast<long long>(r->bundles_evaluated));
  };
  time_carve("one vacancy x 40 tasks", 1, 40, quick ? 3 : 11);
  time_carve("one vacancy x 24 tasks (about 20 movable: exact)", 1, 24, quick ? 3 : 5);
  time_carve("site 20 vacancies x 30 tasks", 20, 30, quick ? 1 : 5);
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) {
  bool quick = false, verbose = false;
  for (int i = 1; i < argc; ++i) {
    quick = quick || std::strcmp(argv[i], "--quick") == 0;
    verbose = verbose || std::strcmp(argv[i], "--verbose") == 0;
  }
  return carvematch::Run(quick, verbose);
}
