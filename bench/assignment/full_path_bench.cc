// The full path of issue 6 on synthetic data: candidate edges from the matcher's top-k
// (RankAll), then the exact assignment under both objectives (CompareObjectives), with
// the time of each step and the fairness report side by side.
//
//   full_path_bench [--participants=100000] [--vacancies=10000] [--top_k=50]
//                   [--threads=1] [--seed=7] [--accommodations=1]
//                   [--sweep=0,1,2,...] [--max_barriers=4] [--db=PATH]
//
// --db: "from stored data": the synthetic records are first written to a new SQLite
// store at PATH (one transaction), then read back as the server does at start
// (MatchIndex::Load), and the ranking and assignment run on the records read back;
// the store and load times are printed. PATH must not exist.
//
// --sweep: after the comparison, solves the anti-creaming optimum once per given weight
// per barrier (score points; the ranking is done once) and prints the calibration
// tables of docs/assignment.md "Calibration": the assigned share of every barrier group
// (among its members with an eligible vacancy, then of its whole pool), the
// adverse-impact ratio (lowest group share / highest group share over the groups with
// at least 1 % of the pool; the "four-fifths rule" asks >= 0.8), the representation of
// the people with 3 or more barriers and the match score given up against the plain
// optimum.
//
// The population is matcher/testing/synthetic.h (the same rules as the matcher's
// benchmarks); capacities are the synthetic vacancies' own; barriers are CountBarriers
// of each participant, so here barriers do correlate with the scores, unlike the random
// instances of sparse_assignment_bench.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "assignment/assignment.h"
#include "matcher/batch_ranker.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"
#include "model/status.h"
#include "services/match_index.h"
#include "storage/sqlite_repository.h"

namespace carvematch {
namespace {

struct Flags {
  int participants = 100000;
  int vacancies = 10000;
  int top_k = 50;
  int threads = 1;
  uint64_t seed = 7;
  bool accommodations = true;
  int max_barriers = AntiCreamingWeights().max_barriers;
  std::vector<double> sweep;  // weights per barrier; empty = no sweep
  std::string db;             // "" = rank the generated records in memory
};

bool ParseList(const std::string& text, std::vector<double>& out) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || end != item.c_str() + item.size() || !(v >= 0)) return false;
    out.push_back(v);
    start = comma + 1;
  }
  return !out.empty();
}

bool ParseFlags(int argc, char** argv, Flags& f) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) return false;
    const std::string name = a.substr(2, eq - 2);
    const long long v = std::atoll(a.c_str() + eq + 1);
    if (name == "db") {
      f.db = a.substr(eq + 1);
      if (f.db.empty()) return false;
    } else if (name == "sweep") {
      if (!ParseList(a.substr(eq + 1), f.sweep)) return false;
    } else if (name == "max_barriers") {
      f.max_barriers = static_cast<int>(v);
    } else if (name == "participants") {
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
  return f.participants > 0 && f.vacancies > 0 && f.top_k > 0 && f.threads > 0 &&
         f.max_barriers >= 0;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Groups that count for the adverse-impact ratio: at least 1 % of the pool.
constexpr double kMinGroupShare = 0.01;
// "Many barriers": the groups the plain optimum serves below proportion on the
// synthetic population (3, 4 and 5 barriers; docs/assignment.md "Calibration").
constexpr int kHighBarriers = 3;

// The share of a group that was assigned: of its whole pool, or of those with at least
// one eligible candidate vacancy (the people the optimiser could place at all).
double Share(const FairnessGroup& g, bool of_eligible) {
  if (!of_eligible) return g.assigned_share;
  return g.with_eligible_vacancy > 0 ? static_cast<double>(g.assigned) / g.with_eligible_vacancy
                                     : 0.0;
}

// Lowest share / highest share over the groups that count ("four-fifths rule": >= 0.8).
double AdverseImpactRatio(const FairnessReport& report, bool of_eligible) {
  double lo = 1, hi = 0;
  for (const FairnessGroup& g : report.groups) {
    if (g.pool_share < kMinGroupShare) continue;
    lo = std::min(lo, Share(g, of_eligible));
    hi = std::max(hi, Share(g, of_eligible));
  }
  return hi > 0 ? lo / hi : 1.0;
}

// One anti-creaming optimum per weight of the sweep, as two tables: the assigned share
// of each barrier group among its eligible members, then of its pool.
int Sweep(const Flags& f, const AssignmentProblem& problem, const AssignmentResult& quality) {
  struct Row {
    double weight = 0;
    AssignmentResult result;
    double solve_s = 0;
  };
  std::vector<Row> rows;
  for (const double w : f.sweep) {
    AssignmentOptions options;
    options.allow_accommodations = f.accommodations;
    options.objective = w == 0 ? Objective::kMatchQuality : Objective::kAntiCreaming;
    options.anti_creaming.per_barrier = w;
    options.anti_creaming.max_barriers = f.max_barriers;
    const auto t0 = std::chrono::steady_clock::now();
    absl::StatusOr<AssignmentResult> r = Assign(problem, options);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    rows.push_back({w, std::move(*r), Since(t0)});
  }
  for (const bool of_eligible : {true, false}) {
    std::printf("\ncalibration sweep (max_barriers %d, no waiting time): assigned share of %s\n",
                f.max_barriers, of_eligible ? "the eligible members" : "the pool");
    std::printf("%11s", "per_barrier");
    for (const FairnessGroup& g : quality.fairness.groups) {
      std::printf(" %6d b.", g.barriers);
    }
    std::printf(" %6s %9s %9s %7s %8s %8s %7s\n", "AIR", "assigned", "mean sc.", "cost %",
                "b>=3 rep", "b<3 min", "solve s");
    for (const Row& row : rows) {
      const AssignmentResult& r = row.result;
      std::printf("%11.2f", row.weight);
      for (const FairnessGroup& g : r.fairness.groups) {
        std::printf(" %7.1f%%", 100 * Share(g, of_eligible));
      }
      // Representation of the people with many barriers: their share of the assigned /
      // their share of the pool (or of the eligible); 1 = proportional.
      int64_t high_pool = 0, high_assigned = 0, all_pool = 0;
      for (const FairnessGroup& g : r.fairness.groups) {
        const int base = of_eligible ? g.with_eligible_vacancy : g.pool;
        all_pool += base;
        if (g.barriers >= kHighBarriers) {
          high_pool += base;
          high_assigned += g.assigned;
        }
      }
      const double rep = high_pool == 0 || r.assigned_participants == 0
                             ? 0.0
                             : (static_cast<double>(high_assigned) / r.assigned_participants) /
                                   (static_cast<double>(high_pool) / all_pool);
      // The groups with fewer barriers: their lowest share relative to the overall one
      // (below 0.8 the correction has gone too far: "reverse creaming").
      const double overall =
          all_pool == 0 ? 0.0 : static_cast<double>(r.assigned_participants) / all_pool;
      double low_min = 0;
      bool first = true;
      for (const FairnessGroup& g : r.fairness.groups) {
        if (g.barriers >= kHighBarriers || g.pool_share < kMinGroupShare) continue;
        const double ratio = overall > 0 ? Share(g, of_eligible) / overall : 0.0;
        low_min = first ? ratio : std::min(low_min, ratio);
        first = false;
      }
      const double lost = quality.total_score - r.total_score;
      std::printf(" %6.3f %9d %9.2f %6.2f%% %8.3f %8.3f %7.2f\n",
                  AdverseImpactRatio(r.fairness, of_eligible), r.assigned_participants,
                  r.placements.empty() ? 0.0 : r.total_score / r.placements.size(),
                  100.0 * lost / std::max(1.0, quality.total_score), rep, low_min, row.solve_s);
    }
  }
  std::printf("pool share: ");
  for (const FairnessGroup& g : quality.fairness.groups) {
    std::printf(" %7.1f%%", 100 * g.pool_share);
  }
  std::printf("\neligible:   ");
  for (const FairnessGroup& g : quality.fairness.groups) {
    std::printf(" %7.1f%%", 100.0 * g.with_eligible_vacancy / std::max(1, g.pool));
  }
  std::printf("\n");
  return 0;
}

// The records the full path ranks: the generated ones, or the same read back from a
// SQLite store (the index and the vectors pointing into it).
struct Records {
  std::unique_ptr<MatchIndex> index;
  std::vector<std::shared_ptr<const Participant>> owned;
  std::vector<MatchIndex::OpenVacancy> open;
  std::vector<const Participant*> participants;
  std::vector<VacancyContext> contexts;
};

// Writes the instance's records to a new store at `path`, then loads them back.
absl::StatusOr<Records> StoreAndReload(const SyntheticInstance& inst, const std::string& path) {
  if (std::filesystem::exists(path)) {
    return absl::AlreadyExistsError(absl::StrCat("--db: ", path, " exists; give a new path"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteRepository> repo, SqliteRepository::Open(path));
  auto t0 = std::chrono::steady_clock::now();
  const absl::Status stored = repo->InTransaction([&](Repository& tx) -> absl::Status {
    std::set<std::string> organisations;
    for (const Participant& p : inst.participants) organisations.insert(p.organisation_id);
    for (const std::string& o : organisations) RETURN_IF_ERROR(tx.EnsureOrganisation(o));
    for (const Employer& e : inst.employers) RETURN_IF_ERROR(tx.CreateEmployer(e).status());
    for (const Vacancy& v : inst.vacancies) RETURN_IF_ERROR(tx.CreateVacancy(v).status());
    for (const Participant& p : inst.participants) {
      RETURN_IF_ERROR(tx.CreateParticipant(p).status());
    }
    return absl::OkStatus();
  });
  RETURN_IF_ERROR(stored);
  std::printf("stored %zu participants, %zu employers, %zu vacancies in %s: %.2f s\n",
              inst.participants.size(), inst.employers.size(), inst.vacancies.size(), path.c_str(),
              Since(t0));
  t0 = std::chrono::steady_clock::now();
  Records r;
  ASSIGN_OR_RETURN(r.index, MatchIndex::Load(*repo));
  r.owned = r.index->Participants("");
  r.open = r.index->OpenVacancies();
  for (const auto& p : r.owned) r.participants.push_back(p.get());
  for (const MatchIndex::OpenVacancy& v : r.open) {
    const Site* site = v.employer->FindSite(v.vacancy->site_id);
    if (site != nullptr) r.contexts.push_back({v.vacancy.get(), v.employer.get(), site});
  }
  std::printf("loaded back (MatchIndex::Load): %zu participants, %zu open vacancies: %.2f s\n",
              r.participants.size(), r.contexts.size(), Since(t0));
  return r;
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
  Records stored;
  if (!f.db.empty()) {
    absl::StatusOr<Records> reloaded = StoreAndReload(inst, f.db);
    if (!reloaded.ok()) {
      std::fprintf(stderr, "%s\n", reloaded.status().ToString().c_str());
      return 1;
    }
    stored = std::move(*reloaded);
    std::fflush(stdout);
  }
  const std::vector<const Participant*>& participants =
      f.db.empty() ? inst.participant_ptrs : stored.participants;
  const std::vector<VacancyContext>& contexts = f.db.empty() ? inst.contexts : stored.contexts;

  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  BatchRankOptions rank;
  rank.top_k_per_participant = f.top_k;
  rank.top_k_per_vacancy = 0;
  rank.include_blocked = false;
  rank.threads = f.threads;
  t0 = std::chrono::steady_clock::now();
  absl::StatusOr<BatchRankResult> ranking = RankAll(matcher, participants, contexts, rank);
  if (!ranking.ok()) {
    std::fprintf(stderr, "%s\n", ranking.status().ToString().c_str());
    return 1;
  }
  const double rank_s = Since(t0);
  t0 = std::chrono::steady_clock::now();
  absl::StatusOr<AssignmentProblem> problem = ProblemFromRanking(*ranking, participants, contexts);
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
  options.anti_creaming.max_barriers = f.max_barriers;
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
  std::printf("adverse-impact ratio among the eligible: match quality %.3f, anti-creaming %.3f\n",
              AdverseImpactRatio(c->quality.fairness, true),
              AdverseImpactRatio(c->anti_creaming.fairness, true));
  if (!f.sweep.empty()) return Sweep(f, *problem, c->quality);
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) {
  carvematch::Flags flags;
  if (!carvematch::ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: full_path_bench [--participants=100000] [--vacancies=10000] "
                 "[--top_k=50] [--threads=1] [--seed=7] [--accommodations=1] "
                 "[--sweep=W,W,...] [--max_barriers=4] [--db=NEW_PATH]\n");
    return 2;
  }
  return carvematch::Run(flags);
}
