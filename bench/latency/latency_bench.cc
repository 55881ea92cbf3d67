// Issue 3, benchmark 4: RankVacancies latency over gRPC (docs/performance.md).
//
// Starts the real server in-process (services/server.h) on a real SQLite file in a temp
// directory holding `--vacancies` synthetic open vacancies (employers with 1..3 sites
// across East Flanders) and `--participants` participants, then calls RankVacancies
// over a real TCP gRPC channel (limit 20, the default filter) at each concurrency of
// `--concurrency` for `--requests` calls after `--warmup` calls, cycling through the
// first `--rankers` participants. Prints p50 / p95 / p99 / max latency and requests/s,
// the server's set-up time (index load + catalog preparation + start) and the peak
// RSS of the server phase. Then the same for RankParticipants (one vacancy against all
// participants of the caller's organisation).
//
// The server's ranking gate (services/ranking_gate.h) applies as in production (as many
// slots as hardware threads); CARVEMATCH_RANKING_SLOTS=N in the environment sets the
// bench server's ServerOptions::ranking_slots, 0 runs it without (docs/performance.md).
//
// Usage: latency_bench [--vacancies=100000] [--participants=2000] [--rankers=16]
//                      [--requests=400] [--warmup=40] [--concurrency=1,8] [--seed=7]
//                      [--include_blocked=0]
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "bench/bench_util.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "matcher/matcher.h"
#include "matcher/testing/synthetic.h"
#include "matcher/vacancy_catalog.h"
#include "mobility/travel.h"
#include "services/match_index.h"
#include "services/server.h"
#include "storage/sqlite_repository.h"
#include "taxonomy/taxonomy.h"

namespace carvematch {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  int vacancies = 100000;
  int participants = 2000;
  int rankers = 16;
  int requests = 400;
  int warmup = 40;
  std::vector<int> concurrency = {1, 8};
  uint64_t seed = 7;
  bool include_blocked = false;
};

bool ParseInt(const std::string& arg, const std::string& name, int* out) {
  const std::string prefix = "--" + name + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  if (!absl::SimpleAtoi(arg.substr(prefix.size()), out)) {
    std::cerr << "bad value: " << arg << "\n";
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
        ParseInt(arg, "requests", &f.requests) || ParseInt(arg, "warmup", &f.warmup)) {
      continue;
    }
    if (ParseInt(arg, "seed", &seed)) {
      f.seed = static_cast<uint64_t>(seed);
    } else if (ParseInt(arg, "include_blocked", &blocked)) {
      f.include_blocked = blocked != 0;
    } else if (arg.rfind("--concurrency=", 0) == 0) {
      f.concurrency.clear();
      for (const auto& part : absl::StrSplit(arg.substr(14), ',')) {
        int c = 0;
        if (!absl::SimpleAtoi(std::string(part.data(), part.size()), &c) || c < 1) {
          std::cerr << "bad concurrency: " << arg << "\n";
          std::exit(2);
        }
        f.concurrency.push_back(c);
      }
    } else {
      std::cerr << "unknown flag: " << arg << "\n";
      std::exit(2);
    }
  }
  f.rankers = std::max(1, std::min(f.rankers, f.participants));
  return f;
}

// "VmRSS" / "VmHWM" of /proc/self/status in MB; -1 when unknown.
double ProcStatusMb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      return std::strtod(line.c_str() + key.size() + 1, nullptr) / 1024.0;
    }
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs); false when not allowed.
bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// East Flanders towns: employer sites and participant homes lie around them.
struct Town {
  const char* name;
  double lat, lon;
};
constexpr Town kEastFlanders[] = {
    {"Gent", 51.054, 3.717},         {"Aalst", 50.938, 4.039},
    {"Sint-Niklaas", 51.165, 4.144}, {"Dendermonde", 51.028, 4.101},
    {"Lokeren", 51.104, 3.993},      {"Ninove", 50.828, 4.024},
    {"Eeklo", 51.185, 3.557},        {"Oudenaarde", 50.845, 3.605},
    {"Zottegem", 50.869, 3.810},     {"Deinze", 50.984, 3.527},
    {"Wetteren", 51.006, 3.883},     {"Geraardsbergen", 50.773, 3.882},
    {"Ronse", 50.746, 3.600},        {"Beveren", 51.212, 4.256},
    {"Temse", 51.124, 4.213},        {"Merelbeke", 50.994, 3.746}};
constexpr int kTownCount = sizeof(kEastFlanders) / sizeof(kEastFlanders[0]);

Location Around(std::mt19937_64& rng, int town, double spread_km) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const Town& t = kEastFlanders[town];
  Location l;
  l.point.lat = t.lat + u(rng) * spread_km / 111.0;
  l.point.lon = t.lon + u(rng) * spread_km / 70.0;
  l.municipality = t.name;
  return l;
}

struct Latencies {
  std::vector<double> ms;
  double seconds = 0;
  int errors = 0;
};

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(std::min<double>(v.size() - 1, q * (v.size() - 1) + 0.5));
  return v[i];
}

void Report(const std::string& what, int concurrency, const Latencies& l) {
  std::printf(
      "%-18s concurrency %d: %zu calls, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, "
      "%.1f requests/s, errors %d\n",
      what.c_str(), concurrency, l.ms.size(), Percentile(l.ms, 0.50), Percentile(l.ms, 0.95),
      Percentile(l.ms, 0.99), *std::max_element(l.ms.begin(), l.ms.end()),
      static_cast<double>(l.ms.size()) / l.seconds, l.errors);
}

// Runs `calls` calls of `call(thread, i)` on `concurrency` threads (one channel each);
// returns each call's latency.
template <typename Call>
Latencies Run(int concurrency, int calls, Call call) {
  Latencies out;
  std::vector<std::vector<double>> per_thread(static_cast<size_t>(concurrency));
  std::atomic<int> next{0};
  std::atomic<int> errors{0};
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t]() {
      for (int i = next++; i < calls; i = next++) {
        const Clock::time_point a = Clock::now();
        if (!call(t, i)) ++errors;
        per_thread[static_cast<size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - a).count());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const auto& v : per_thread) out.ms.insert(out.ms.end(), v.begin(), v.end());
  out.errors = errors.load();
  return out;
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  const bench::CpuInfo cpu = bench::ReadCpuInfo();
  std::printf("machine: %s, %d logical CPUs\n", cpu.model_name.c_str(), cpu.logical_cpus);
  {
    std::ifstream load("/proc/loadavg");
    std::string line;
    std::getline(load, line);
    std::printf("load average at start: %s\n", line.c_str());
  }
  std::printf(
      "vacancies %d, participants %d, rankers %d, requests %d (+%d warm-up), seed %llu, "
      "include_blocked %d\n",
      flags.vacancies, flags.participants, flags.rankers, flags.requests, flags.warmup,
      static_cast<unsigned long long>(flags.seed), flags.include_blocked ? 1 : 0);

  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("carvematch-latency-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto repo_or = SqliteRepository::Open((dir / "store.db").string());
  if (!repo_or.ok()) {
    std::cerr << repo_or.status() << "\n";
    return 1;
  }
  std::unique_ptr<SqliteRepository> repo = std::move(*repo_or);

  // ---- Data: synthetic records, moved to East Flanders, bulk-inserted in one
  // transaction through the repository.
  std::unique_ptr<SyntheticSkillCredit> credit;
  std::string vacancy_for_candidates;
  {
    Clock::time_point t0 = Clock::now();
    SyntheticInstance inst = MakeSyntheticInstance(flags.participants, flags.vacancies, flags.seed);
    std::mt19937_64 rng(flags.seed);
    for (Employer& e : inst.employers) {
      e.organisation_id = "org-e";
      for (Site& s : e.sites) s.location = Around(rng, static_cast<int>(rng() % kTownCount), 6.0);
    }
    for (Participant& p : inst.participants) {
      p.organisation_id = "org-a";
      p.home = Around(rng, static_cast<int>(rng() % kTownCount), 5.0);
      p.consent.share_anonymous_card = true;
    }
    for (Vacancy& v : inst.vacancies) v.status = VacancyStatus::kOpen;
    vacancy_for_candidates = inst.vacancies.front().id;
    const double generated = std::chrono::duration<double>(Clock::now() - t0).count();
    t0 = Clock::now();
    absl::Status status = repo->EnsureOrganisation("org-a");
    if (status.ok()) status = repo->EnsureOrganisation("org-e");
    if (status.ok()) {
      status = repo->InTransaction([&](Repository& tx) -> absl::Status {
        for (const Employer& e : inst.employers) {
          absl::Status s = tx.CreateEmployer(e).status();
          if (!s.ok()) return s;
        }
        for (const Vacancy& v : inst.vacancies) {
          absl::Status s = tx.CreateVacancy(v).status();
          if (!s.ok()) return s;
        }
        for (const Participant& p : inst.participants) {
          absl::Status s = tx.CreateParticipant(p).status();
          if (!s.ok()) return s;
        }
        return absl::OkStatus();
      });
    }
    if (!status.ok()) {
      std::cerr << "bulk insert: " << status << "\n";
      return 1;
    }
    std::printf(
        "data: %zu employers, %zu vacancies, %zu participants generated in %.1f s, "
        "inserted in %.1f s; database %.0f MB\n",
        inst.employers.size(), inst.vacancies.size(), inst.participants.size(), generated,
        std::chrono::duration<double>(Clock::now() - t0).count(),
        static_cast<double>(std::filesystem::file_size(dir / "store.db")) / 1e6);
    credit = std::move(inst.credit);
  }
  auto key = repo->CreateApiKey("org-a", "coach");
  if (!key.ok()) {
    std::cerr << key.status() << "\n";
    return 1;
  }
  const std::string bearer = "Bearer " + key->plaintext;

  // ---- The server: index load, catalog preparation, start.
  const bool peak_reset = ResetPeakRss();
  const double rss_before = ProcStatusMb("VmRSS");
  const Clock::time_point setup_start = Clock::now();
  Taxonomy taxonomy(EscoRelease{});
  TravelModel travel;
  Matcher matcher(*credit, travel);
  auto index_or = MatchIndex::Load(*repo, &matcher.credit());
  if (!index_or.ok()) {
    std::cerr << index_or.status() << "\n";
    return 1;
  }
  std::unique_ptr<MatchIndex> index = std::move(*index_or);
  const double loaded = std::chrono::duration<double>(Clock::now() - setup_start).count();
  // By member, not by position: the context gains optional members over time.
  ServiceContext context;
  context.repository = repo.get();
  context.taxonomy = &taxonomy;
  context.matcher = &matcher;
  context.index = index.get();
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  if (const char* slots = std::getenv("CARVEMATCH_RANKING_SLOTS"); slots != nullptr) {
    options.ranking_slots = std::atoi(slots);
  }
  auto server_or = Server::Start(context, options);
  if (!server_or.ok()) {
    std::cerr << server_or.status() << "\n";
    return 1;
  }
  std::unique_ptr<Server> server = std::move(*server_or);
  const double setup = std::chrono::duration<double>(Clock::now() - setup_start).count();
  std::printf(
      "server set-up: %.2f s (index load + catalog of %zu open vacancies %.2f s), RSS "
      "%.0f MB -> %.0f MB\n",
      setup, index->VacancySnapshot()->size(), loaded, rss_before, ProcStatusMb("VmRSS"));

  // ---- Clients: one channel per thread, over TCP.
  const std::string target = "127.0.0.1:" + std::to_string(server->port());
  const int max_threads = *std::max_element(flags.concurrency.begin(), flags.concurrency.end());
  std::vector<std::unique_ptr<v1::MatchService::Stub>> stubs;
  for (int t = 0; t < max_threads; ++t) {
    grpc::ChannelArguments args;
    args.SetInt("carvematch.bench.channel", t);  // distinct channels, distinct connections
    args.SetMaxReceiveMessageSize(options.max_message_bytes);
    stubs.push_back(v1::MatchService::NewStub(
        grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args)));
  }
  std::vector<std::string> rankers;
  for (int i = 0; i < flags.rankers; ++i) {
    char id[16];
    std::snprintf(id, sizeof(id), "p-%06d", i);
    rankers.push_back(id);
  }
  // Engine only, per ranker: the numeric ranking in-process (no gRPC, no explanations),
  // with what it did, to show where a call's time goes.
  {
    std::shared_ptr<const VacancyCatalog::Snapshot> snap = index->VacancySnapshot();
    CatalogFilter filter;
    filter.include_blocked = flags.include_blocked;
    if (!flags.include_blocked) filter.tiers = {Tier::kFits, Tier::kFitsWithAccommodations};
    std::printf("engine only (RankVacanciesTop in-process, median of 5):\n");
    for (const std::string& id : rankers) {
      std::shared_ptr<const Participant> p = index->FindParticipant(id);
      CatalogRankStats stats;
      std::vector<double> ms;
      for (int r = 0; r < 5; ++r) {
        const Clock::time_point a = Clock::now();
        RankVacanciesTop(matcher, *p, *snap, filter, 20, &stats);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
      }
      std::string modes;
      for (TransportMode m : p->transport_modes) {
        modes += std::string(TransportModeName(m).data(), TransportModeName(m).size()) + " ";
      }
      std::printf(
          "  %s %5.1f ms  max commute %3d min, modes %-28s far %6lld, summary-blocked "
          "%6lld, evaluated %6lld, passed %5lld\n",
          id.c_str(), Percentile(ms, 0.5), p->max_commute_minutes, modes.c_str(),
          static_cast<long long>(stats.far), static_cast<long long>(stats.static_blocked),
          static_cast<long long>(stats.evaluated), static_cast<long long>(stats.passed));
    }
  }
  std::atomic<long> total_matches{0}, total_size{0};
  auto rank_vacancies = [&](int thread, int i) {
    v1::RankVacanciesRequest request;
    request.set_participant_id(rankers[static_cast<size_t>(i) % rankers.size()]);
    request.set_limit(20);
    request.set_include_blocked(flags.include_blocked);
    v1::RankVacanciesResponse response;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::Status status =
        stubs[static_cast<size_t>(thread)]->RankVacancies(&ctx, request, &response);
    if (!status.ok()) {
      std::cerr << "RankVacancies: " << status.error_message() << "\n";
      return false;
    }
    total_matches += response.matches_size();
    total_size += response.total_size();
    return true;
  };
  for (int c : flags.concurrency) {
    Run(c, flags.warmup, rank_vacancies);
    total_matches = 0;
    total_size = 0;
    const Latencies l = Run(c, flags.requests, rank_vacancies);
    Report("RankVacancies", c, l);
    std::printf("  mean matches per response %.1f, mean total_size %.1f\n",
                static_cast<double>(total_matches.load()) / l.ms.size(),
                static_cast<double>(total_size.load()) / l.ms.size());
  }

  auto rank_participants = [&](int thread, int) {
    v1::RankParticipantsRequest request;
    request.set_vacancy_id(vacancy_for_candidates);
    request.set_limit(20);
    request.set_include_blocked(flags.include_blocked);
    v1::RankParticipantsResponse response;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::Status status =
        stubs[static_cast<size_t>(thread)]->RankParticipants(&ctx, request, &response);
    if (!status.ok()) {
      std::cerr << "RankParticipants: " << status.error_message() << "\n";
      return false;
    }
    total_size += response.total_size();
    return true;
  };
  {
    const int calls = std::max(20, flags.requests / 4);
    Run(1, std::max(1, flags.warmup / 4), rank_participants);
    total_size = 0;
    const Latencies l = Run(1, calls, rank_participants);
    Report("RankParticipants", 1, l);
    std::printf("  against %d participants, mean total_size %.1f\n", flags.participants,
                static_cast<double>(total_size.load()) / l.ms.size());
  }
  std::printf("peak RSS since the server set-up began: %.0f MB%s\n", ProcStatusMb("VmHWM"),
              peak_reset ? "" : " (could not reset: peak of the whole process)");
  server->Shutdown();
  server->Wait();
  server.reset();
  index.reset();
  repo.reset();
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) { return carvematch::Main(argc, argv); }
