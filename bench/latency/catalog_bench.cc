// Issue 3, benchmark 4, engine part: RankVacanciesTop (the numeric ranking behind
// RankVacancies: the total and the best 20) for one participant against the vacancy
// catalog, in-process, without SQLite, gRPC or the explanations of the returned page
// (docs/performance.md).
//
// The data are those of latency_bench: the synthetic population (seed 7) moved to 16
// East-Flemish towns (employers with 1..3 sites, +-6 km; participants +-5 km), every
// vacancy open, the default filter of the API (no BLOCKED pairs), a page of 20. For
// each participant of the first --rankers it prints the median of 5 calls and what the
// call did; then, for each concurrency, --requests calls cycling through the rankers on
// that many threads, with p50 / p95 / p99 / max latency, calls per second and the CPU
// time of the process per call.
//
// Usage: catalog_bench [--vacancies=100000] [--participants=2000] [--rankers=16]
//                      [--first_ranker=0] [--requests=400] [--concurrency=1,8] [--seed=7]
//                      [--include_blocked=0]
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "matcher/matcher.h"
#include "matcher/testing/synthetic.h"
#include "matcher/vacancy_catalog.h"
#include "mobility/travel.h"

namespace carvematch {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  int vacancies = 100000;
  int participants = 2000;
  int rankers = 16;
  int first_ranker = 0;
  int requests = 400;
  std::vector<int> concurrency = {1, 8};
  uint64_t seed = 7;
  bool include_blocked = false;
};

bool ParseInt(const std::string& arg, const std::string& name, int* out) {
  const std::string prefix = "--" + name + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  if (!absl::SimpleAtoi(arg.substr(prefix.size()), out)) {
    std::fprintf(stderr, "bad value: %s\n", arg.c_str());
    std::exit(2);
  }
  return true;
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    int seed = 0, blocked = 0;
    if (ParseInt(arg, "vacancies", &f.vacancies) ||
        ParseInt(arg, "participants", &f.participants) || ParseInt(arg, "rankers", &f.rankers) ||
        ParseInt(arg, "first_ranker", &f.first_ranker) || ParseInt(arg, "requests", &f.requests)) {
      continue;
    }
    if (ParseInt(arg, "seed", &seed)) {
      f.seed = static_cast<uint64_t>(seed);
    } else if (ParseInt(arg, "include_blocked", &blocked)) {
      f.include_blocked = blocked != 0;
    } else if (arg.rfind("--concurrency=", 0) == 0) {
      f.concurrency.clear();
      for (absl::string_view part : absl::StrSplit(arg.substr(14), ',')) {
        int c = 0;
        if (!absl::SimpleAtoi(part, &c) || c < 1) {
          std::fprintf(stderr, "bad concurrency: %s\n", arg.c_str());
          std::exit(2);
        }
        f.concurrency.push_back(c);
      }
    } else {
      std::fprintf(stderr, "unknown flag: %s\n", arg.c_str());
      std::exit(2);
    }
  }
  f.first_ranker = std::max(0, std::min(f.first_ranker, f.participants - 1));
  f.rankers = std::max(1, std::min(f.rankers, f.participants - f.first_ranker));
  return f;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(std::min<double>(v.size() - 1, q * (v.size() - 1) + 0.5));
  return v[i];
}

// The towns of latency_bench (the same relocation, so the same data).
struct Town {
  double lat, lon;
};
constexpr Town kEastFlanders[] = {
    {51.054, 3.717}, {50.938, 4.039}, {51.165, 4.144}, {51.028, 4.101},
    {51.104, 3.993}, {50.828, 4.024}, {51.185, 3.557}, {50.845, 3.605},
    {50.869, 3.810}, {50.984, 3.527}, {51.006, 3.883}, {50.773, 3.882},
    {50.746, 3.600}, {51.212, 4.256}, {51.124, 4.213}, {50.994, 3.746}};
constexpr int kTownCount = sizeof(kEastFlanders) / sizeof(kEastFlanders[0]);

GeoPoint Around(std::mt19937_64& rng, int town, double spread_km) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const Town& t = kEastFlanders[town];
  return {t.lat + u(rng) * spread_km / 111.0, t.lon + u(rng) * spread_km / 70.0};
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  SyntheticInstance inst = MakeSyntheticInstance(flags.participants, flags.vacancies, flags.seed);
  std::mt19937_64 rng(flags.seed);
  for (Employer& e : inst.employers) {
    for (Site& s : e.sites) s.location.point = Around(rng, static_cast<int>(rng() % kTownCount), 6);
  }
  for (Participant& p : inst.participants) {
    p.home.point = Around(rng, static_cast<int>(rng() % kTownCount), 5);
  }
  for (Vacancy& v : inst.vacancies) v.status = VacancyStatus::kOpen;

  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  std::unordered_map<std::string, std::shared_ptr<const Employer>> employers;
  for (const Employer& e : inst.employers) employers[e.id] = std::make_shared<const Employer>(e);
  std::vector<VacancyCatalog::Record> records;
  for (const Vacancy& v : inst.vacancies) {
    records.push_back({std::make_shared<const Vacancy>(v), employers.at(v.employer_id)});
  }
  const Clock::time_point c0 = Clock::now();
  VacancyCatalog catalog(matcher.credit());
  catalog.Upsert(records);
  const std::shared_ptr<const VacancyCatalog::Snapshot> snap = catalog.snapshot();
  std::printf(
      "catalog: %zu open vacancies prepared in %.2f s; %zu grid cells, %d need columns, %zu "
      "sectors\n",
      snap->size(), std::chrono::duration<double>(Clock::now() - c0).count(), snap->cells().size(),
      snap->space().size(), snap->dictionary().sectors().size());

  std::vector<const Participant*> rankers;
  for (int i = flags.first_ranker; i < flags.first_ranker + flags.rankers; ++i)
    rankers.push_back(&inst.participants[static_cast<size_t>(i)]);
  CatalogFilter filter;
  filter.include_blocked = flags.include_blocked;
  if (!flags.include_blocked) filter.tiers = {Tier::kFits, Tier::kFitsWithAccommodations};

  std::printf("per participant (median of 5 calls):\n");
  double sum = 0;
  for (const Participant* p : rankers) {
    CatalogRankStats stats;
    std::vector<double> ms;
    for (int r = 0; r < 5; ++r) {
      const Clock::time_point a = Clock::now();
      RankVacanciesTop(matcher, *p, *snap, filter, 20, &stats);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    }
    sum += Percentile(ms, 0.5);
    std::string modes;
    for (TransportMode m : p->transport_modes) {
      modes += std::string(TransportModeName(m).data(), TransportModeName(m).size()).substr(0, 4);
      modes += ' ';
    }
    std::printf(
        "  %s %6.2f ms  [%2d min, %-20s avail %zu, care %zu]  far %6lld (%lld cells), "
        "scanned %6lld, summary-blocked %6lld, evaluated %6lld, passed %5lld\n",
        p->id.c_str(), Percentile(ms, 0.5), p->max_commute_minutes, modes.c_str(),
        p->availability.size(), p->childcare.size(), static_cast<long long>(stats.far),
        static_cast<long long>(stats.far_cells), static_cast<long long>(stats.scanned),
        static_cast<long long>(stats.static_blocked), static_cast<long long>(stats.evaluated),
        static_cast<long long>(stats.passed));
  }
  std::printf("  mean of the medians %.2f ms\n", sum / static_cast<double>(rankers.size()));

  for (int c : flags.concurrency) {
    std::vector<std::vector<double>> per_thread(static_cast<size_t>(c));
    std::atomic<int> next{0};
    const double cpu0 = CpuSeconds();
    const Clock::time_point start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < c; ++t) {
      threads.emplace_back([&, t] {
        for (int i = next++; i < flags.requests; i = next++) {
          const Clock::time_point a = Clock::now();
          RankVacanciesTop(matcher, *rankers[static_cast<size_t>(i) % rankers.size()], *snap,
                           filter, 20);
          per_thread[static_cast<size_t>(t)].push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - a).count());
        }
      });
    }
    for (std::thread& th : threads) th.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = CpuSeconds() - cpu0;
    std::vector<double> ms;
    for (const auto& v : per_thread) ms.insert(ms.end(), v.begin(), v.end());
    std::printf(
        "concurrency %d: %zu calls, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f "
        "calls/s, CPU %.2f ms per call\n",
        c, ms.size(), Percentile(ms, 0.5), Percentile(ms, 0.95), Percentile(ms, 0.99),
        *std::max_element(ms.begin(), ms.end()), static_cast<double>(ms.size()) / seconds,
        cpu * 1e3 / static_cast<double>(ms.size()));
  }
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) { return carvematch::Main(argc, argv); }
