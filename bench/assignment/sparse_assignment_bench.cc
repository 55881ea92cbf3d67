// Sparse assignment benchmark (issue 6): participants x vacancies with capacities and
// candidate edges, solved by the engine (assignment/b_matching.h, through Assign() as
// the service will call it) and by LEMON 1.3.1's NetworkSimplex on the same graph, in
// one run; the optima must be equal.
//
//   sparse_assignment_bench [--participants=100000] [--vacancies=10000] [--edges=50]
//                           [--max_capacity=20] [--seed=6] [--local=0|1] [--lemon=1]
//                           [--accommodations=1]
//
// Instance: each participant has `edges` distinct candidate vacancies, uniformly at
// random (--local=0) or among the 2,000 vacancies nearest to its position on a ring
// (--local=1, like a commute radius); scores uniform in [0, 100] with 3 decimals, 80 %
// FITS and 20 % FITS_WITH_ACCOMMODATIONS; capacities uniform in 1..max_capacity;
// one proposal per participant. The weights are exactly the integers Assign() uses
// (EdgeWeight), so both solvers maximise the same objective.
//
// LEMON: min-cost flow on source -> participant (cap 1), participant -> vacancy (cap 1,
// cost -weight), vacancy -> sink (cap capacity), source -> sink (cap P, cost 0: unused
// slots). LEMON is linked into this program only, never into the library.
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "assignment/assignment.h"
#include "bench/bench_util.h"

namespace carvematch {
namespace {

struct Flags {
  int participants = 100000;
  int vacancies = 10000;
  int edges = 50;
  int max_capacity = 20;
  uint32_t seed = 6;
  bool local = false;
  bool lemon = true;
  bool accommodations = true;
};

bool ParseFlags(int argc, char** argv, Flags& f) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) return false;
    const std::string name = a.substr(2, eq - 2);
    const long long v = std::atoll(a.c_str() + eq + 1);
    if (name == "participants") {
      f.participants = static_cast<int>(v);
    } else if (name == "vacancies") {
      f.vacancies = static_cast<int>(v);
    } else if (name == "edges") {
      f.edges = static_cast<int>(v);
    } else if (name == "max_capacity") {
      f.max_capacity = static_cast<int>(v);
    } else if (name == "seed") {
      f.seed = static_cast<uint32_t>(v);
    } else if (name == "local") {
      f.local = v != 0;
    } else if (name == "lemon") {
      f.lemon = v != 0;
    } else if (name == "accommodations") {
      f.accommodations = v != 0;
    } else {
      return false;
    }
  }
  return f.participants > 0 && f.vacancies > 0 && f.edges > 0 && f.edges <= f.vacancies &&
         f.max_capacity > 0;
}

AssignmentProblem MakeInstance(const Flags& f) {
  std::mt19937_64 rng(f.seed);
  AssignmentProblem problem;
  problem.participants = f.participants;
  for (int v = 0; v < f.vacancies; ++v) {
    problem.capacity.push_back(1 + static_cast<int>(rng() % static_cast<uint64_t>(f.max_capacity)));
  }
  problem.barriers.reserve(static_cast<size_t>(f.participants));
  for (int p = 0; p < f.participants; ++p) problem.barriers.push_back(static_cast<int>(rng() % 5));
  problem.edges.reserve(static_cast<size_t>(f.participants) * static_cast<size_t>(f.edges));
  const int window = std::min(f.vacancies, 2000);
  std::vector<int> picked;
  std::vector<int> mark(static_cast<size_t>(f.vacancies), -1);
  for (int p = 0; p < f.participants; ++p) {
    picked.clear();
    const int64_t center = static_cast<int64_t>(p) * f.vacancies / f.participants;
    while (static_cast<int>(picked.size()) < f.edges) {
      int v;
      if (f.local) {
        v = static_cast<int>((center + f.vacancies - window / 2 +
                              static_cast<int64_t>(rng() % static_cast<uint64_t>(window))) %
                             f.vacancies);
      } else {
        v = static_cast<int>(rng() % static_cast<uint64_t>(f.vacancies));
      }
      if (mark[static_cast<size_t>(v)] == p) continue;
      mark[static_cast<size_t>(v)] = p;
      picked.push_back(v);
    }
    for (const int v : picked) {
      CandidateEdge e;
      e.participant = p;
      e.vacancy = v;
      e.score = static_cast<double>(rng() % 100001) / 1000.0;
      e.tier = rng() % 5 == 0 ? Tier::kFitsWithAccommodations : Tier::kFits;
      problem.edges.push_back(e);
    }
  }
  return problem;
}

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double CpuNow() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

int Run(const Flags& f) {
  const bench::CpuInfo cpu = bench::ReadCpuInfo();
  std::printf(
      "sparse assignment: %d participants x %d vacancies, %d candidate edges each "
      "(%s), capacities 1..%d, seed %u\n",
      f.participants, f.vacancies, f.edges, f.local ? "local window 2000" : "uniform",
      f.max_capacity, f.seed);
  std::printf("cpu: %s, %d logical cpus; single-threaded; load %s", cpu.model_name.c_str(),
              cpu.logical_cpus, "");
  std::fflush(stdout);
  std::system("cat /proc/loadavg");
  const AssignmentProblem problem = MakeInstance(f);
  AssignmentOptions options;
  options.allow_accommodations = f.accommodations;
  int64_t places = 0;
  for (const int c : problem.capacity) places += c;
  std::printf("places %lld, edges %zu\n", static_cast<long long>(places), problem.edges.size());

  auto t0 = std::chrono::steady_clock::now();
  double c0 = CpuNow();
  absl::StatusOr<AssignmentResult> r = Assign(problem, options);
  const double engine_wall = Seconds(t0, std::chrono::steady_clock::now());
  const double engine_cpu = CpuNow() - c0;
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  const BMatchingStats& st = r->solver_stats;
  std::printf(
      "engine  Assign(): wall %.3f s, cpu %.3f s; objective %lld, assigned %d\n"
      "  solver: %lld augmentations, %lld moving an earlier match, %.1f nodes settled "
      "and %.1f arcs relaxed per augmentation\n",
      engine_wall, engine_cpu, static_cast<long long>(r->objective), r->assigned_participants,
      static_cast<long long>(st.augmentations), static_cast<long long>(st.reassignments),
      static_cast<double>(st.settled_nodes) / std::max<int64_t>(1, st.augmentations),
      static_cast<double>(st.relaxed_arcs) / std::max<int64_t>(1, st.augmentations));
  std::printf("fairness (barriers: pool, assigned share):");
  for (const FairnessGroup& g : r->fairness.groups) {
    std::printf("  %d: %d, %.3f", g.barriers, g.pool, g.assigned_share);
  }
  std::printf("\n");
  std::fflush(stdout);
  if (!f.lemon) return 0;

  t0 = std::chrono::steady_clock::now();
  c0 = CpuNow();
  using Graph = lemon::SmartDigraph;
  Graph g;
  const int n_nodes = f.participants + f.vacancies + 2;
  g.reserveNode(n_nodes);
  g.reserveArc(static_cast<int>(problem.edges.size()) + f.participants + f.vacancies + 1);
  std::vector<Graph::Node> nodes;
  nodes.reserve(static_cast<size_t>(n_nodes));
  for (int i = 0; i < n_nodes; ++i) nodes.push_back(g.addNode());
  const Graph::Node source = nodes[static_cast<size_t>(n_nodes - 2)];
  const Graph::Node sink = nodes[static_cast<size_t>(n_nodes - 1)];
  Graph::ArcMap<long long> cap(g);
  Graph::ArcMap<long long> cost(g);
  Graph::NodeMap<long long> supply(g, 0);
  for (int p = 0; p < f.participants; ++p) {
    const Graph::Arc a = g.addArc(source, nodes[static_cast<size_t>(p)]);
    cap[a] = options.proposals_per_participant;
    cost[a] = 0;
  }
  for (const CandidateEdge& e : problem.edges) {
    if (!IsEligible(e.tier, options)) continue;
    const Graph::Arc a = g.addArc(nodes[static_cast<size_t>(e.participant)],
                                  nodes[static_cast<size_t>(f.participants + e.vacancy)]);
    cap[a] = 1;
    cost[a] = -EdgeWeight(problem, e, options);
  }
  for (int v = 0; v < f.vacancies; ++v) {
    const Graph::Arc a = g.addArc(nodes[static_cast<size_t>(f.participants + v)], sink);
    cap[a] = problem.capacity[static_cast<size_t>(v)];
    cost[a] = 0;
  }
  const long long slots =
      static_cast<long long>(f.participants) * options.proposals_per_participant;
  const Graph::Arc bypass = g.addArc(source, sink);
  cap[bypass] = slots;
  cost[bypass] = 0;
  supply[source] = slots;
  supply[sink] = -slots;
  const double build_wall = Seconds(t0, std::chrono::steady_clock::now());
  t0 = std::chrono::steady_clock::now();
  c0 = CpuNow();
  lemon::NetworkSimplex<Graph, long long, long long> ns(g);
  ns.upperMap(cap).costMap(cost).supplyMap(supply);
  const auto status = ns.run();
  const double lemon_wall = Seconds(t0, std::chrono::steady_clock::now());
  const double lemon_cpu = CpuNow() - c0;
  if (status != lemon::NetworkSimplex<Graph, long long, long long>::OPTIMAL) {
    std::fprintf(stderr, "LEMON: not optimal (%d)\n", static_cast<int>(status));
    return 1;
  }
  const long long lemon_objective = -ns.totalCost();
  std::printf(
      "LEMON NetworkSimplex: solve wall %.3f s, cpu %.3f s (graph build %.3f s); "
      "objective %lld\n",
      lemon_wall, lemon_cpu, build_wall, lemon_objective);
  const bool same = lemon_objective == r->objective;
  std::printf("same optimum: %s; cpu ratio LEMON / engine = %.2fx (wall %.2fx)\n",
              same ? "yes" : "NO", lemon_cpu / engine_cpu, lemon_wall / engine_wall);
  return same ? 0 : 1;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) {
  carvematch::Flags flags;
  if (!carvematch::ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: sparse_assignment_bench [--participants=100000] [--vacancies=10000] "
                 "[--edges=50] [--max_capacity=20] [--seed=6] [--local=0|1] [--lemon=1] "
                 "[--accommodations=1]\n");
    return 2;
  }
  return carvematch::Run(flags);
}
