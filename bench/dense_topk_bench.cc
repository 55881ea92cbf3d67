// Dense proxy benchmark (issue 3, benchmark 2): exact inner-product top-k of n query
// embeddings against m database embeddings (d = 512 by default), timed and reported as
// GFLOP/s against the machine's peak.
//
// With --out_dir it also writes the inputs and its top-k (queries.npy, database.npy,
// engine_ids.npy, engine_scores.npy, engine.json) so that bench/dense_reference.py runs FAISS
// IndexFlatIP and numpy on the same data and checks the results; bench/run_dense.sh does
// both. With --sweep it times a grid of sizes instead; with --microkernel it times each
// micro-kernel the CPU supports alone, on packed panels that stay in cache (the ceiling of
// the full search).
//
// Usage:
//   dense_topk_bench [--n=20000] [--m=5000] [--d=512] [--k=10] [--threads=2] [--repeats=3]
//                    [--query_tile=256] [--database_tile=256] [--fma_units=2] [--seed=42]
//                    [--path=auto|portable|avx2|avx512] [--out_dir=DIR] [--sweep]
//                    [--microkernel]
// --path forces one of DenseTopK's micro-kernels (default: the best this CPU supports).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/bench_util.h"
#include "kernels/dense_microkernel.h"
#include "kernels/dense_topk.h"

namespace carvematch::bench {
namespace {

struct Flags {
  int64_t n = 20000;
  int64_t m = 5000;
  int64_t d = 512;
  int k = 10;
  int threads = 2;
  int repeats = 3;
  int64_t query_tile = kernels::DenseTopKOptions{}.query_tile;
  int64_t database_tile = kernels::DenseTopKOptions{}.database_tile;
  int fma_units = 2;
  uint64_t seed = 42;
  std::string out_dir;
  kernels::DenseTopKPath path = kernels::DenseTopKPath::kAuto;
  bool sweep = false;
  bool microkernel = false;
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name == "--sweep") {
      flags.sweep = true;
    } else if (name == "--microkernel") {
      flags.microkernel = true;
    } else if (name == "--out_dir") {
      flags.out_dir = value;
    } else if (name == "--path") {
      if (value == "auto") {
        flags.path = kernels::DenseTopKPath::kAuto;
      } else if (value == "portable") {
        flags.path = kernels::DenseTopKPath::kPortable;
      } else if (value == "avx2") {
        flags.path = kernels::DenseTopKPath::kAvx2;
      } else if (value == "avx512") {
        flags.path = kernels::DenseTopKPath::kAvx512;
      } else {
        std::fprintf(stderr, "unknown --path %s\n", value.c_str());
        return false;
      }
    } else if (eq == std::string::npos) {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return false;
    } else {
      const long long v = std::atoll(value.c_str());
      if (name == "--n")
        flags.n = v;
      else if (name == "--m")
        flags.m = v;
      else if (name == "--d")
        flags.d = v;
      else if (name == "--k")
        flags.k = static_cast<int>(v);
      else if (name == "--threads")
        flags.threads = static_cast<int>(v);
      else if (name == "--repeats")
        flags.repeats = static_cast<int>(v);
      else if (name == "--query_tile")
        flags.query_tile = v;
      else if (name == "--database_tile")
        flags.database_tile = v;
      else if (name == "--fma_units")
        flags.fma_units = static_cast<int>(v);
      else if (name == "--seed")
        flags.seed = static_cast<uint64_t>(v);
      else {
        std::fprintf(stderr, "unknown flag %s\n", name.c_str());
        return false;
      }
    }
  }
  return true;
}

// Unit-norm embeddings around 64 shared cluster centres (like sentence embeddings of job
// and profile texts: most mass near a few topics, cosine scores spread over [-1, 1]).
void MakeEmbeddings(int64_t n, int64_t m, int64_t d, uint64_t seed, std::vector<float>& queries,
                    std::vector<float>& database) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int64_t clusters = 64;
  std::vector<float> centres(static_cast<size_t>(clusters * d));
  for (float& c : centres) c = normal(rng);
  std::uniform_int_distribution<int64_t> pick(0, clusters - 1);
  auto fill = [&](std::vector<float>& out, int64_t rows) {
    out.resize(static_cast<size_t>(rows * d));
    for (int64_t r = 0; r < rows; ++r) {
      const float* centre = centres.data() + pick(rng) * d;
      float* row = out.data() + r * d;
      double norm2 = 0;
      for (int64_t c = 0; c < d; ++c) {
        row[c] = centre[c] + 1.2f * normal(rng);
        norm2 += static_cast<double>(row[c]) * row[c];
      }
      const float inv = static_cast<float>(1.0 / std::sqrt(norm2));
      for (int64_t c = 0; c < d; ++c) row[c] *= inv;
    }
  };
  fill(queries, n);
  fill(database, m);
}

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double Flops(int64_t n, int64_t m, int64_t d) {
  return 2.0 * static_cast<double>(n) * static_cast<double>(m) * static_cast<double>(d);
}

struct Measurement {
  std::vector<double> seconds;      // wall time of each run
  std::vector<double> cpu_seconds;  // process CPU time of each run (all threads)
  double median = 0;
  double cpu_median = 0;
  double gflops = 0;
};

Measurement Measure(const std::vector<float>& q, int64_t n, const std::vector<float>& x, int64_t m,
                    int64_t d, int k, const kernels::DenseTopKOptions& options, int repeats,
                    std::vector<float>& scores, std::vector<int64_t>& ids) {
  scores.assign(static_cast<size_t>(n * k), 0.0f);
  ids.assign(static_cast<size_t>(n * k), 0);
  Measurement result;
  const std::vector<Timing> timings = TimeRepeatsWithCpu(repeats, [&] {
    const absl::Status status =
        kernels::DenseTopK(q.data(), n, x.data(), m, d, k, options, scores.data(), ids.data());
    if (!status.ok()) {
      std::fprintf(stderr, "DenseTopK failed: %s\n", std::string(status.message()).c_str());
      std::exit(1);
    }
  });
  for (const Timing& t : timings) {
    result.seconds.push_back(t.wall_seconds);
    result.cpu_seconds.push_back(t.cpu_seconds);
  }
  result.median = Median(result.seconds);
  result.cpu_median = Median(result.cpu_seconds);
  result.gflops = Flops(n, m, d) / result.median / 1e9;
  return result;
}

// Runs each supported micro-kernel over 22 packed query panels x 8 packed database panels
// (about 1 MB, so L2-resident like a database tile) for about 0.3 s on one thread, timed
// by thread CPU time, and prints GFLOP/s against one core's peak for its vector width.
void TimeMicroKernels(int64_t d, double ghz, int fma_units) {
  std::printf("\nmicro-kernels alone, 1 thread, d=%lld, GFLOP/s by thread CPU time\n",
              static_cast<long long>(d));
  for (kernels::DenseTopKPath path :
       {kernels::DenseTopKPath::kPortable, kernels::DenseTopKPath::kAvx2,
        kernels::DenseTopKPath::kAvx512}) {
    if (!kernels::DenseTopKPathSupported(path)) continue;
    const kernels::internal::DenseMicroKernel kernel = kernels::internal::GetDenseMicroKernel(path);
    const int query_panels = 22, database_panels = 8;
    std::mt19937 rng(1);
    std::normal_distribution<float> value(0.0f, 0.05f);
    std::vector<float> a(static_cast<size_t>(query_panels * kernel.rows * d));
    std::vector<float> b(static_cast<size_t>(database_panels * kernel.cols * d));
    for (float& v : a) v = value(rng);
    for (float& v : b) v = value(rng);
    std::vector<float> thresholds(static_cast<size_t>(kernel.rows), 1e30f);
    std::vector<float> out(static_cast<size_t>(kernel.rows * kernel.cols));
    std::vector<uint64_t> masks(static_cast<size_t>(kernel.rows));
    const double flops_per_call = 2.0 * kernel.rows * kernel.cols * static_cast<double>(d);
    int64_t calls = 0;
    const double start = ThreadCpuSeconds();
    double seconds = 0;
    while (seconds < 0.3) {
      for (int qp = 0; qp < query_panels; ++qp) {
        for (int dp = 0; dp < database_panels; ++dp, ++calls) {
          kernel.fn(a.data() + qp * kernel.rows * d, b.data() + dp * kernel.cols * d, d,
                    thresholds.data(), out.data(), masks.data());
        }
      }
      seconds = ThreadCpuSeconds() - start;
    }
    const double gflops = flops_per_call * static_cast<double>(calls) / seconds / 1e9;
    const Peak peak =
        PeakGflops(ghz, 1, fma_units, LanesOfInstructionSets(kernels::DenseTopKPathName(path)));
    std::printf("  %-28s %2dx%-2d  %7.1f GFLOP/s = %5.1f%% of %.1f (%s)\n",
                kernels::DenseTopKPathName(path), kernel.rows, kernel.cols, gflops,
                100 * gflops / peak.gflops, peak.gflops, peak.formula.c_str());
  }
}

std::string Millis(const std::vector<double>& seconds) {
  std::vector<std::string> parts;
  for (double s : seconds) parts.push_back(absl::StrFormat("%.1f", s * 1000));
  return absl::StrJoin(parts, ", ");
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  const CpuInfo cpu = ReadCpuInfo();
  if (!kernels::DenseTopKPathSupported(flags.path)) {
    std::fprintf(stderr, "this CPU does not support the %s path\n",
                 kernels::DenseTopKPathName(flags.path));
    return 1;
  }
  const std::string sets = kernels::DenseTopKPathName(flags.path);
  const double nominal_ghz = cpu.mhz / 1000.0;
  const double measured_ghz = MeasureClockGhzOnCpuTime();
  const Peak machine_peak =
      PeakGflops(nominal_ghz, flags.threads, flags.fma_units, MachineLanes(cpu));
  const Peak measured_peak =
      PeakGflops(measured_ghz, flags.threads, flags.fma_units, MachineLanes(cpu));
  const Peak build_peak =
      PeakGflops(measured_ghz, flags.threads, flags.fma_units, LanesOfInstructionSets(sets));
  std::printf("cpu: %s, %d logical CPUs, %.0f MHz, avx2=%d fma=%d avx512f=%d\n",
              cpu.model_name.c_str(), cpu.logical_cpus, cpu.mhz, cpu.avx2, cpu.fma, cpu.avx512f);
  std::printf("machine peak fp32 at the nominal clock: %.1f GFLOP/s (%s)\n", machine_peak.gflops,
              machine_peak.formula.c_str());
  std::printf("machine peak fp32 at the measured clock: %.1f GFLOP/s (%s)\n", measured_peak.gflops,
              measured_peak.formula.c_str());
  std::printf("kernel path (chosen at run time%s): %s -> peak reachable by it %.1f GFLOP/s\n",
              flags.path == kernels::DenseTopKPath::kAuto ? "" : ", forced by --path", sets.c_str(),
              build_peak.gflops);

  kernels::DenseTopKOptions options;
  options.num_threads = flags.threads;
  options.query_tile = flags.query_tile;
  options.database_tile = flags.database_tile;
  options.path = flags.path;
  std::vector<float> scores;
  std::vector<int64_t> ids;

  if (flags.microkernel) {
    TimeMicroKernels(flags.d, measured_ghz, flags.fma_units);
    return 0;
  }

  if (flags.sweep) {
    std::printf(
        "\n%% peak: of the measured-clock peak for the threads used; cpu ms: median process CPU "
        "time / threads (the wall time with idle cores), and the GFLOP/s and %% peak by that "
        "time\n");
    std::printf("%8s %8s %5s %8s %12s %10s %8s %10s %10s %8s\n", "n", "m", "d", "threads",
                "median ms", "GFLOP/s", "% peak", "cpu ms", "GFLOP/s", "% peak");
    const std::vector<std::pair<int64_t, int64_t>> sizes = {
        {1000, 5000}, {5000, 5000}, {20000, 1000}, {20000, 5000}, {20000, 10000}, {50000, 5000}};
    for (const auto& [n, m] : sizes) {
      for (int threads : {1, 2}) {
        if (threads > flags.threads) continue;
        std::vector<float> q, x;
        MakeEmbeddings(n, m, flags.d, flags.seed, q, x);
        kernels::DenseTopKOptions o = options;
        o.num_threads = threads;
        const Measurement r = Measure(q, n, x, m, flags.d, flags.k, o, flags.repeats, scores, ids);
        const double peak = measured_peak.gflops * threads / flags.threads;
        const double cpu_gflops = Flops(n, m, flags.d) * threads / r.cpu_median / 1e9;
        std::printf("%8lld %8lld %5lld %8d %12.1f %10.1f %7.1f%% %10.1f %10.1f %7.1f%%\n",
                    static_cast<long long>(n), static_cast<long long>(m),
                    static_cast<long long>(flags.d), threads, r.median * 1000, r.gflops,
                    100 * r.gflops / peak, r.cpu_median * 1000 / threads, cpu_gflops,
                    100 * cpu_gflops / peak);
        std::fflush(stdout);
      }
    }
    return 0;
  }

  std::vector<float> q, x;
  MakeEmbeddings(flags.n, flags.m, flags.d, flags.seed, q, x);
  const Measurement r =
      Measure(q, flags.n, x, flags.m, flags.d, flags.k, options, flags.repeats, scores, ids);
  std::printf("\nengine DenseTopK n=%lld m=%lld d=%lld k=%d threads=%d tiles=%lldx%lld\n",
              static_cast<long long>(flags.n), static_cast<long long>(flags.m),
              static_cast<long long>(flags.d), flags.k, flags.threads,
              static_cast<long long>(flags.query_tile),
              static_cast<long long>(flags.database_tile));
  std::printf(
      "  runs (ms): %s\n  median: %.1f ms, %.1f GFLOP/s = %.1f%% of the measured-clock peak "
      "(%.1f%% of the nominal-clock peak), %.1f%% of this path's peak\n",
      Millis(r.seconds).c_str(), r.median * 1000, r.gflops, 100 * r.gflops / measured_peak.gflops,
      100 * r.gflops / machine_peak.gflops, 100 * r.gflops / build_peak.gflops);
  const double cpu_gflops = Flops(flags.n, flags.m, flags.d) * flags.threads / r.cpu_median / 1e9;
  std::printf(
      "  process CPU time (ms): %s; median / %d threads = %.1f ms, i.e. %.1f GFLOP/s if the "
      "cores were idle\n",
      Millis(r.cpu_seconds).c_str(), flags.threads, r.cpu_median * 1000 / flags.threads,
      cpu_gflops);

  if (!flags.out_dir.empty()) {
    const std::string dir = flags.out_dir;
    const bool ok =
        WriteNpy(dir + "/queries.npy", q.data(), "<f4", 4, flags.n, flags.d) &&
        WriteNpy(dir + "/database.npy", x.data(), "<f4", 4, flags.m, flags.d) &&
        WriteNpy(dir + "/engine_scores.npy", scores.data(), "<f4", 4, flags.n, flags.k) &&
        WriteNpy(dir + "/engine_ids.npy", ids.data(), "<i8", 8, flags.n, flags.k);
    std::FILE* json = ok ? std::fopen((dir + "/engine.json").c_str(), "w") : nullptr;
    if (json == nullptr) {
      std::fprintf(stderr, "cannot write to %s\n", dir.c_str());
      return 1;
    }
    std::fprintf(json,
                 "{\"n\": %lld, \"m\": %lld, \"d\": %lld, \"k\": %d, \"threads\": %d, "
                 "\"seconds\": [%s], \"cpu_seconds\": [%s], \"median_seconds\": %.6f, "
                 "\"gflops\": %.3f, "
                 "\"machine_peak_gflops\": %.3f, \"peak_formula\": \"%s\", "
                 "\"measured_peak_gflops\": %.3f, \"measured_peak_formula\": \"%s\", "
                 "\"instruction_sets\": \"%s\", \"cpu\": \"%s\"}\n",
                 static_cast<long long>(flags.n), static_cast<long long>(flags.m),
                 static_cast<long long>(flags.d), flags.k, flags.threads,
                 absl::StrJoin(r.seconds, ", ").c_str(), absl::StrJoin(r.cpu_seconds, ", ").c_str(),
                 r.median, r.gflops, machine_peak.gflops, machine_peak.formula.c_str(),
                 measured_peak.gflops, measured_peak.formula.c_str(), sets.c_str(),
                 cpu.model_name.c_str());
    std::fclose(json);
    std::printf("  wrote inputs and top-%d to %s\n", flags.k, dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace carvematch::bench

int main(int argc, char** argv) { return carvematch::bench::Main(argc, argv); }
