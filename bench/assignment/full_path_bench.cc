// The full path of issue 6 on synthetic data: candidate edges from the matcher's top-k
// (RankAll), then the exact assignment under both objectives (CompareObjectives), with
// the time of each step and the fairness report side by side.
//
//   full_path_bench [--participants=100000] [--vacancies=10000] [--top_k=50]
//                   [--threads=1] [--seed=7] [--accommodations=1]
//
// The population is matcher/testing/synthetic.h (the same rules as the matcher's
// benchmarks); capacities are the synthetic vacancies' own; barriers are CountBarriers
// of each participant, so here barriers do correlate with the scores, unlike the random
// instances of sparse_assignment_bench.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "assignment/assignment.h"
#include "matcher/batch_ranker.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch {
namespace {

struct Flags {
  int participants = 100000;
  int vacancies = 10000;
  int top_k = 50;
  int threads = 1;
  uint64_t seed = 7;
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
    } else if (name == "top_k") {
      f.top_k = static_cast<int>(v);
    } else if (name == "threads") {
      f.threads = static_cast<int>(v);
    } else if (name == "seed") {
      f.seed = static_cast<uint64_t>(v);
    } else if (name == "accommodations") {
      f.accommodations = v != 0;
    } else {
      return false;
    }
  }
  return f.participants > 0 && f.vacancies > 0 && f.top_k > 0 && f.threads > 0;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int Run(const Flags& f) {
  std::printf("full path: %d participants x %d vacancies, top-%d per participant, %d thread(s)\n",
              f.participants, f.vacancies, f.top_k, f.threads);
  std::fflush(stdout);
  std::system("echo \"load: $(cat /proc/loadavg)\"");
  auto t0 = std::chrono::steady_clock::now();
  const SyntheticInstance inst = MakeSyntheticInstance(f.participants, f.vacancies, f.seed);
  std::printf("synthetic instance: %.2f s\n", Since(t0));
  std::fflush(stdout);

  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  BatchRankOptions rank;
  rank.top_k_per_participant = f.top_k;
  rank.top_k_per_vacancy = 0;
  rank.include_blocked = false;
  rank.threads = f.threads;
  t0 = std::chrono::steady_clock::now();
  absl::StatusOr<BatchRankResult> ranking =
      RankAll(matcher, inst.participant_ptrs, inst.contexts, rank);
  if (!ranking.ok()) {
    std::fprintf(stderr, "%s\n", ranking.status().ToString().c_str());
    return 1;
  }
  const double rank_s = Since(t0);
  t0 = std::chrono::steady_clock::now();
  absl::StatusOr<AssignmentProblem> problem =
      ProblemFromRanking(*ranking, inst.participant_ptrs, inst.contexts);
  if (!problem.ok()) {
    std::fprintf(stderr, "%s\n", problem.status().ToString().c_str());
    return 1;
  }
  const double build_s = Since(t0);
  int64_t places = 0;
  for (const int c : problem->capacity) places += c;
  std::printf("RankAll (top-%d, no BLOCKED): %.2f s; problem: %zu edges, %lld places (%.2f s)\n",
              f.top_k, rank_s, problem->edges.size(), static_cast<long long>(places), build_s);
  std::fflush(stdout);

  AssignmentOptions options;
  options.allow_accommodations = f.accommodations;
  t0 = std::chrono::steady_clock::now();
  absl::StatusOr<ObjectiveComparison> c = CompareObjectives(*problem, options);
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
    return 1;
  }
  const double assign_s = Since(t0);
  std::printf("CompareObjectives (two exact optima): %.2f s\n\n", assign_s);
  for (const AssignmentResult* r : {&c->quality, &c->anti_creaming}) {
    int no_feasible = 0;
    for (const UnassignedParticipant& u : r->unassigned) {
      no_feasible += u.reason == UnassignedReason::kNoFeasibleVacancy;
    }
    std::printf(
        "%-14s assigned %d (%.1f %%), mean score %.2f, unassigned: %d no feasible "
        "vacancy, %zu outcompeted\n",
        r == &c->quality ? "match quality" : "anti-creaming", r->assigned_participants,
        100.0 * r->fairness.assigned_share,
        r->placements.empty() ? 0.0 : r->total_score / r->placements.size(), no_feasible,
        r->unassigned.size() - static_cast<size_t>(no_feasible));
  }
  std::printf("\n%8s %8s %10s %16s %16s %14s\n", "barriers", "pool", "eligible", "assigned quality",
              "assigned anti-c", "repr. quality");
  for (size_t i = 0; i < c->groups.size(); ++i) {
    const GroupComparison& g = c->groups[i];
    const FairnessGroup& q = c->quality.fairness.groups[i];
    std::printf("%8d %8d %10d %9d %5.1f%% %9d %5.1f%% %14.2f\n", g.barriers, g.pool,
                q.with_eligible_vacancy, g.assigned_quality, 100.0 * g.share_quality,
                g.assigned_anti_creaming, 100.0 * g.share_anti_creaming, q.representation);
  }
  std::printf("score given up by the anti-creaming optimum: %.1f points (%.2f %%)\n", c->score_cost,
              100.0 * c->score_cost / std::max(1.0, c->quality.total_score));
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) {
  carvematch::Flags flags;
  if (!carvematch::ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: full_path_bench [--participants=100000] [--vacancies=10000] "
                 "[--top_k=50] [--threads=1] [--seed=7] [--accommodations=1]\n");
    return 2;
  }
  return carvematch::Run(flags);
}
