// Dense one-to-one assignment benchmark (issue 6): the engine's Jonker-Volgenant solver
// (assignment/dense_assignment.h) on random n x n integer weight matrices. With
// --out_dir it writes each matrix (weights.<n>.npy, int64) and the engine's figures
// (engine.<n>.txt) so that bench/assignment/dense_reference.py runs
// scipy.optimize.linear_sum_assignment on exactly the same data; bench/assignment/
// run_dense.sh runs both sides.
//
//   dense_assignment_bench [--sizes=2000,5000] [--max_weight=1000000] [--seed=6]
//                          [--repeats=1] [--out_dir=DIR] [--plain]
//
// --plain also times the solver without the JV reductions (plain shortest augmenting
// paths, the method scipy implements).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "assignment/dense_assignment.h"
#include "bench/bench_util.h"

namespace carvematch {
namespace {

struct Flags {
  std::vector<int> sizes = {2000, 5000};
  int max_weight = 1000000;
  uint32_t seed = 6;
  int repeats = 1;
  std::string out_dir;
  bool plain = false;
};

bool ParseFlags(int argc, char** argv, Flags& f) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&a](const char* name) -> const char* {
      const std::string prefix = std::string("--") + name + "=";
      return a.rfind(prefix, 0) == 0 ? a.c_str() + prefix.size() : nullptr;
    };
    if (const char* v = value("sizes")) {
      f.sizes.clear();
      for (absl::string_view s : absl::StrSplit(v, ',')) {
        int n = 0;
        if (!absl::SimpleAtoi(s, &n) || n <= 0) return false;
        f.sizes.push_back(n);
      }
    } else if (const char* mw = value("max_weight")) {
      f.max_weight = std::atoi(mw);
    } else if (const char* s = value("seed")) {
      f.seed = static_cast<uint32_t>(std::atoll(s));
    } else if (const char* r = value("repeats")) {
      f.repeats = std::max(1, std::atoi(r));
    } else if (const char* o = value("out_dir")) {
      f.out_dir = o;
    } else if (a == "--plain") {
      f.plain = true;
    } else {
      return false;
    }
  }
  return f.max_weight > 0 && f.max_weight <= (1 << 30);
}

int Run(const Flags& flags) {
  const bench::CpuInfo cpu = bench::ReadCpuInfo();
  std::printf("dense assignment (maximise, one-to-one), weights uniform integers in [0, %d]\n",
              flags.max_weight);
  std::printf("cpu: %s, %d logical cpus; single-threaded\n", cpu.model_name.c_str(),
              cpu.logical_cpus);
  std::printf("%6s %10s %10s %10s %8s %18s\n", "n", "wall s", "cpu s", "plain s", "sap rows",
              "optimum");
  for (const int n : flags.sizes) {
    std::mt19937_64 rng(flags.seed + static_cast<uint64_t>(n));
    std::uniform_int_distribution<int32_t> dist(0, flags.max_weight);
    std::vector<int32_t> w(static_cast<size_t>(n) * static_cast<size_t>(n));
    for (int32_t& x : w) x = dist(rng);
    DenseAssignment result;
    bool ok = true;
    const std::vector<bench::Timing> t = bench::TimeRepeatsWithCpu(flags.repeats, [&] {
      absl::StatusOr<DenseAssignment> a = SolveDenseAssignment(n, n, w, {});
      if (!a.ok()) {
        std::fprintf(stderr, "%s\n", a.status().ToString().c_str());
        ok = false;
        return;
      }
      result = *std::move(a);
    });
    if (!ok) return 1;
    std::vector<double> wall;
    std::vector<double> cpu_s;
    for (const bench::Timing& x : t) {
      wall.push_back(x.wall_seconds);
      cpu_s.push_back(x.cpu_seconds);
    }
    double plain = -1;
    if (flags.plain) {
      DenseAssignmentOptions options;
      options.reductions = false;
      const std::vector<bench::Timing> tp = bench::TimeRepeatsWithCpu(1, [&] {
        absl::StatusOr<DenseAssignment> a = SolveDenseAssignment(n, n, w, options);
        if (!a.ok() || a->total_weight != result.total_weight) ok = false;
      });
      if (!ok) {
        std::fprintf(stderr, "plain solver disagrees\n");
        return 1;
      }
      plain = tp[0].wall_seconds;
    }
    std::printf("%6d %10.3f %10.3f %10.3f %8d %18lld\n", n, bench::Median(wall),
                bench::Median(cpu_s), plain, result.rows_augmented,
                static_cast<long long>(result.total_weight));
    std::fflush(stdout);
    if (!flags.out_dir.empty()) {
      std::vector<int64_t> w64(w.begin(), w.end());
      const std::string base = flags.out_dir + "/";
      if (!bench::WriteNpy(base + "weights." + std::to_string(n) + ".npy", w64.data(), "<i8",
                           sizeof(int64_t), n, n)) {
        std::fprintf(stderr, "cannot write to %s\n", flags.out_dir.c_str());
        return 1;
      }
      std::ofstream out(base + "engine." + std::to_string(n) + ".txt");
      out << n << " " << bench::Median(wall) << " " << bench::Median(cpu_s) << " "
          << result.total_weight << "\n";
    }
  }
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) {
  carvematch::Flags flags;
  if (!carvematch::ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: dense_assignment_bench [--sizes=2000,5000] [--max_weight=1000000] "
                 "[--seed=6] [--repeats=1] [--out_dir=DIR] [--plain]\n");
    return 2;
  }
  return carvematch::Run(flags);
}
