// Scale benchmark (issue 3, benchmark 3): the engine's full pass (RankAll: skill
// coverage, every constraint incl. childcare and flexible start, top-k both ways) on
// the synthetic population of matcher/testing/synthetic.h at agency sizes, with the
// peak memory, and how the time grows with n (participants) and m (vacancies).
//
// For each size it runs RankAll as the BulkRank API does by default (BLOCKED pairs
// left out) and, unless --blocked=0, once more with BLOCKED pairs ranked too; each
// --repeats times, printing every run and the median. Peak memory is the process's
// maximum resident set (getrusage) after that size, so sizes are run small to large.
//
// Usage:
//   scale_bench [--sizes=100000x10000] [--k=10] [--threads=2] [--repeats=3] [--seed=7]
//               [--blocked=1]
//   scale_bench --sizes=25000x10000,50000x10000,100000x10000,100000x2500,100000x5000
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/bench_util.h"
#include "matcher/batch_ranker.h"
#include "matcher/matcher.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch::bench {
namespace {

struct Flags {
  std::vector<std::pair<int, int>> sizes = {{100000, 10000}};
  int k = 10;
  int threads = 2;
  int repeats = 3;
  uint64_t seed = 7;
  bool blocked = true;
};

bool ParseSizes(const std::string& text, std::vector<std::pair<int, int>>* sizes) {
  sizes->clear();
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> nm = absl::StrSplit(part, 'x');
    int n = 0, m = 0;
    if (nm.size() != 2 || !absl::SimpleAtoi(nm[0], &n) || !absl::SimpleAtoi(nm[1], &m) || n <= 0 ||
        m <= 0) {
      return false;
    }
    sizes->emplace_back(n, m);
  }
  return !sizes->empty();
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return false;
    }
    const std::string name = arg.substr(0, eq);
    const std::string value = arg.substr(eq + 1);
    if (name == "--sizes") {
      if (!ParseSizes(value, &flags.sizes)) {
        std::fprintf(stderr, "--sizes: expected NxM[,NxM...], got %s\n", value.c_str());
        return false;
      }
      continue;
    }
    long long v = 0;
    if (!absl::SimpleAtoi(value, &v)) {
      std::fprintf(stderr, "%s: not a number: %s\n", name.c_str(), value.c_str());
      return false;
    }
    if (name == "--k") {
      flags.k = static_cast<int>(v);
    } else if (name == "--threads") {
      flags.threads = static_cast<int>(v);
    } else if (name == "--repeats") {
      flags.repeats = static_cast<int>(v);
    } else if (name == "--seed") {
      flags.seed = static_cast<uint64_t>(v);
    } else if (name == "--blocked") {
      flags.blocked = v != 0;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", name.c_str());
      return false;
    }
  }
  return flags.k > 0 && flags.threads > 0 && flags.repeats > 0;
}

// User + system CPU seconds of the process so far.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

std::string Runs(const std::vector<double>& seconds) {
  std::vector<std::string> ms;
  for (double t : seconds) ms.push_back(absl::StrFormat("%.0f", t * 1e3));
  return absl::StrJoin(ms, ", ");
}

int Run(const Flags& flags) {
  std::printf("full pass at scale: top-%d both ways, %d threads, seed %llu, %d repeats\n", flags.k,
              flags.threads, static_cast<unsigned long long>(flags.seed), flags.repeats);
  std::printf("%-9s %-7s %-8s %10s %12s %12s %12s %10s %9s  %s\n", "n", "m", "blocked", "median ms",
              "in reach", "checked", "completed", "ns/pair", "peak MiB", "runs ms");
  for (const auto& [n, m] : flags.sizes) {
    const SyntheticInstance inst = MakeSyntheticInstance(n, m, flags.seed);
    TravelModel travel;
    Matcher matcher(*inst.credit, travel);
    for (bool include_blocked : {false, true}) {
      if (include_blocked && !flags.blocked) continue;
      BatchRankOptions options;
      options.top_k_per_participant = flags.k;
      options.top_k_per_vacancy = flags.k;
      options.threads = flags.threads;
      options.include_blocked = include_blocked;
      BatchRankStats stats;
      const double cpu_before = CpuSeconds();
      const std::vector<double> times = TimeRepeats(flags.repeats, [&] {
        absl::StatusOr<BatchRankResult> r =
            RankAll(matcher, inst.participant_ptrs, inst.contexts, options);
        if (!r.ok()) {
          std::fprintf(stderr, "RankAll: %s\n", r.status().ToString().c_str());
          std::exit(1);
        }
        stats = r->stats;
      });
      const double median = Median(times);
      const double cpu_per_run = (CpuSeconds() - cpu_before) / flags.repeats;
      std::printf(
          "%-9d %-7d %-8s %10.0f %12lld %12lld %12lld %10.2f %9.0f  %s\n", n, m,
          include_blocked ? "yes" : "no", median * 1e3,
          static_cast<long long>(stats.pairs - stats.settled_far),
          static_cast<long long>(stats.static_checks), static_cast<long long>(stats.completed),
          median * 1e9 / static_cast<double>(stats.pairs), PeakRssMiB(), Runs(times).c_str());
      std::printf(
          "          cpu %.0f ms per run; settled by cell %lld, static blocked %lld, bounded out "
          "%lld; second pass for %lld participants, %lld vacancies\n",
          cpu_per_run * 1e3, static_cast<long long>(stats.settled_by_cell),
          static_cast<long long>(stats.static_blocked), static_cast<long long>(stats.bounded_out),
          static_cast<long long>(stats.open_participants),
          static_cast<long long>(stats.open_vacancies));
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace
}  // namespace carvematch::bench

int main(int argc, char** argv) {
  carvematch::bench::Flags flags;
  if (!carvematch::bench::ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: scale_bench [--sizes=NxM[,NxM...]] [--k=10] [--threads=2] "
                 "[--repeats=3] [--seed=7] [--blocked=0|1]\n");
    return 2;
  }
  return carvematch::bench::Run(flags);
}
