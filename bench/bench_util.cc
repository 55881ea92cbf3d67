#include "bench/bench_util.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_format.h"

namespace carvematch::bench {

CpuInfo ReadCpuInfo() {
  CpuInfo info;
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  bool first_done = false;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      if (info.logical_cpus > 0) first_done = true;
      continue;
    }
    std::string key = line.substr(0, colon);
    key.erase(key.find_last_not_of(" \t") + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "processor") ++info.logical_cpus;
    if (first_done) continue;
    if (key == "model name") info.model_name = value;
    if (key == "cpu MHz") info.mhz = std::stod(value);
    if (key == "flags") {
      std::istringstream flags(value);
      std::string flag;
      while (flags >> flag) {
        if (flag == "avx2") info.avx2 = true;
        if (flag == "fma") info.fma = true;
        if (flag == "avx512f") info.avx512f = true;
      }
    }
  }
  return info;
}

int MachineLanes(const CpuInfo& cpu) { return cpu.avx512f ? 16 : cpu.avx2 ? 8 : 4; }

int LanesOfInstructionSets(const std::string& sets) {
  if (sets.find("AVX512") != std::string::npos) return 16;
  if (sets.find("AVX") != std::string::npos) return 8;
  return 4;
}

Peak PeakGflops(double ghz, int cores, int fma_units, int lanes) {
  Peak peak;
  peak.lanes = lanes;
  peak.gflops = cores * fma_units * lanes * 2.0 * ghz;
  peak.formula = absl::StrFormat("%d cores x %d FMA units x %d lanes x 2 flops x %.3f GHz", cores,
                                 fma_units, lanes, ghz);
  return peak;
}

double MeasureClockGhz() {
#if defined(__x86_64__)
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    uint64_t x = 3;
    constexpr uint64_t kIterations = 50'000'000;
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < kIterations; ++i) {
      asm volatile("imul %0, %0\n\timul %0, %0" : "+r"(x));
    }
    const auto stop = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(stop - start).count();
    best = std::max(best, 2.0 * 3.0 * kIterations / seconds / 1e9);
  }
  return best;
#else
  return 0;
#endif
}

double MeasureClockGhzOnCpuTime() {
#if defined(__x86_64__)
  auto thread_seconds = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  };
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    uint64_t x = 3;
    constexpr uint64_t kIterations = 50'000'000;
    const double start = thread_seconds();
    for (uint64_t i = 0; i < kIterations; ++i) {
      asm volatile("imul %0, %0\n\timul %0, %0" : "+r"(x));
    }
    const double seconds = thread_seconds() - start;
    best = std::max(best, 2.0 * 3.0 * kIterations / seconds / 1e9);
  }
  return best;
#else
  return 0;
#endif
}

std::vector<double> TimeRepeats(int repeats, const std::function<void()>& fn) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    const auto stop = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double>(stop - start).count());
  }
  return times;
}

namespace {
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}
}  // namespace

std::vector<Timing> TimeRepeatsWithCpu(int repeats, const std::function<void()>& fn) {
  std::vector<Timing> times;
  for (int r = 0; r < repeats; ++r) {
    const double cpu_start = ProcessCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    fn();
    const auto stop = std::chrono::steady_clock::now();
    const double cpu_stop = ProcessCpuSeconds();
    times.push_back({std::chrono::duration<double>(stop - start).count(), cpu_stop - cpu_start});
  }
  return times;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

bool WriteNpy(const std::string& path, const void* data, const char* dtype, size_t item_size,
              int64_t rows, int64_t cols) {
  std::string header = absl::StrFormat(
      "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", dtype, rows, cols);
  // Magic (6) + version (2) + header length (2) + header + '\n' is a multiple of 64.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const unsigned char preamble[10] = {0x93,
                                      'N',
                                      'U',
                                      'M',
                                      'P',
                                      'Y',
                                      1,
                                      0,
                                      static_cast<unsigned char>(header.size() & 0xff),
                                      static_cast<unsigned char>(header.size() >> 8)};
  bool ok = std::fwrite(preamble, 1, 10, f) == 10 &&
            std::fwrite(header.data(), 1, header.size(), f) == header.size();
  const size_t count = static_cast<size_t>(rows * cols);
  if (ok && count > 0) ok = std::fwrite(data, item_size, count, f) == count;
  return std::fclose(f) == 0 && ok;
}

}  // namespace carvematch::bench
