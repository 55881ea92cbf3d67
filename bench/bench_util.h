// Small helpers shared by the benchmark programs: machine description, timing, and .npy
// output so that the Python reference scripts read exactly the data a program used.
#ifndef CARVEMATCH_BENCH_BENCH_UTIL_H_
#define CARVEMATCH_BENCH_BENCH_UTIL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace carvematch::bench {

// What /proc/cpuinfo says about this machine (the first processor entry).
struct CpuInfo {
  std::string model_name;
  double mhz = 0;        // "cpu MHz" as reported (the nominal clock under a hypervisor)
  int logical_cpus = 0;  // number of "processor" entries
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
};
CpuInfo ReadCpuInfo();

// Peak single-precision GFLOP/s = cores x fma_units x lanes x 2 (an FMA is 2 flops) x GHz,
// with lanes = 16 for AVX-512, 8 for AVX2, 4 for SSE. Without FMA, a mul and an add
// pipe give the same 2 flops per lane per cycle.
struct Peak {
  int lanes = 4;
  double gflops = 0;
  std::string formula;
};
Peak PeakGflops(double ghz, int cores, int fma_units, int lanes);
// The clock a busy core actually runs at, from timing a chain of dependent 64-bit integer
// multiplies (3 cycles each on current x86 cores); 0 when not on x86-64. Under a
// hypervisor /proc/cpuinfo reports the nominal clock, which can be far below this.
double MeasureClockGhz();
// The same, timed with this thread's CPU time instead of the wall clock, so that other
// processes sharing the core do not lower the figure (the wall-clock version reads about
// half the clock when another busy process shares the core).
double MeasureClockGhzOnCpuTime();
int MachineLanes(const CpuInfo& cpu);
// Lanes of the widest instruction set named in an Eigen::SimdInstructionSetsInUse() string.
int LanesOfInstructionSets(const std::string& sets);

// Runs fn `repeats` times and returns each wall time in seconds.
std::vector<double> TimeRepeats(int repeats, const std::function<void()>& fn);
double Median(std::vector<double> v);

// Wall time and the CPU time of the whole process (all threads), in seconds.
struct Timing {
  double wall_seconds = 0;
  double cpu_seconds = 0;
};
// Runs fn `repeats` times and returns each run's wall and process CPU time. On a shared
// machine, cpu_seconds / threads is what the wall time would be with idle cores (it counts
// only the time this process ran).
std::vector<Timing> TimeRepeatsWithCpu(int repeats, const std::function<void()>& fn);

// Writes a C-contiguous 2-D array in NumPy's .npy format (version 1.0, little endian).
// dtype is "<f4" or "<i8". Returns false on an I/O error.
bool WriteNpy(const std::string& path, const void* data, const char* dtype, size_t item_size,
              int64_t rows, int64_t cols);

}  // namespace carvematch::bench

#endif  // CARVEMATCH_BENCH_BENCH_UTIL_H_
