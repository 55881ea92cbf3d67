#include "assignment/assignment.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "assignment/b_matching.h"
#include "assignment/barriers.h"
#include "model/status.h"

namespace carvematch {
namespace {

constexpr double kWeightScale = 1000;
constexpr int64_t kMaxSolverWeight = int64_t{1} << 40;

int BarriersOf(const AssignmentProblem& problem, int p) {
  return problem.barriers.empty() ? 0 : problem.barriers[static_cast<size_t>(p)];
}

double BonusOf(const AssignmentProblem& problem, int p, const AssignmentOptions& options) {
  if (options.objective != Objective::kAntiCreaming) return 0;
  const AntiCreamingWeights& w = options.anti_creaming;
  double bonus = w.per_barrier * std::min(BarriersOf(problem, p), w.max_barriers);
  if (!problem.waiting_months.empty()) {
    bonus += w.per_waiting_month *
             std::min(problem.waiting_months[static_cast<size_t>(p)], w.max_waiting_months);
  }
  return bonus;
}

double Share(int part, int whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

}  // namespace

std::string_view ObjectiveName(Objective o) {
  switch (o) {
    case Objective::kMatchQuality:
      return "match_quality";
    case Objective::kAntiCreaming:
      return "anti_creaming";
  }
  return "unknown";
}

std::string_view UnassignedReasonName(UnassignedReason r) {
  switch (r) {
    case UnassignedReason::kUnspecified:
      return "unspecified";
    case UnassignedReason::kNoFeasibleVacancy:
      return "no_feasible_vacancy";
    case UnassignedReason::kOutcompeted:
      return "outcompeted";
  }
  return "unknown";
}

bool IsEligible(Tier tier, const AssignmentOptions& options) {
  return tier == Tier::kFits ||
         (tier == Tier::kFitsWithAccommodations && options.allow_accommodations);
}

int64_t EdgeWeight(const AssignmentProblem& problem, const CandidateEdge& edge,
                   const AssignmentOptions& options) {
  if (!IsEligible(edge.tier, options)) return 0;
  const double points = edge.score + BonusOf(problem, edge.participant, options);
  return std::llround(points * kWeightScale) + 1;
}

absl::Status ValidateAssignment(const AssignmentProblem& problem,
                                const AssignmentOptions& options) {
  ViolationCollector c;
  if (problem.participants < 0) c.Add("participants", "must be >= 0");
  const int p_count = std::max(0, problem.participants);
  for (size_t v = 0; v < problem.capacity.size(); ++v) {
    if (problem.capacity[v] < 1) {
      c.Add(absl::StrCat("capacity[", v, "]"),
            absl::StrCat("is ", problem.capacity[v], ", must be >= 1"));
    }
  }
  if (!problem.barriers.empty()) {
    if (problem.barriers.size() != static_cast<size_t>(p_count)) {
      c.Add("barriers", absl::StrCat("has ", problem.barriers.size(),
                                     " entries, expected one per participant (", p_count, ")"));
    } else {
      for (size_t p = 0; p < problem.barriers.size(); ++p) {
        if (problem.barriers[p] < 0 || problem.barriers[p] > kBarrierKinds) {
          c.Add(absl::StrCat("barriers[", p, "]"),
                absl::StrCat("is ", problem.barriers[p], ", must be in [0, ", kBarrierKinds, "]"));
        }
      }
    }
  }
  if (!problem.waiting_months.empty()) {
    if (problem.waiting_months.size() != static_cast<size_t>(p_count)) {
      c.Add("waiting_months",
            absl::StrCat("has ", problem.waiting_months.size(),
                         " entries, expected one per participant (", p_count, ")"));
    } else {
      for (size_t p = 0; p < problem.waiting_months.size(); ++p) {
        if (problem.waiting_months[p] < 0) {
          c.Add(absl::StrCat("waiting_months[", p, "]"), "must be >= 0");
        }
      }
    }
  }
  bool edges_ok = true;
  for (size_t i = 0; i < problem.edges.size(); ++i) {
    const CandidateEdge& e = problem.edges[i];
    // Paths are built only for a violation: this loop runs over millions of edges.
    auto field = [i](const char* name) { return absl::StrCat("edges[", i, "].", name); };
    if (e.participant < 0 || e.participant >= p_count) {
      c.Add(field("participant"),
            absl::StrCat("is ", e.participant, ", outside [0, ", p_count, ")"));
      edges_ok = false;
    }
    if (e.vacancy < 0 || e.vacancy >= problem.vacancies()) {
      c.Add(field("vacancy"),
            absl::StrCat("is ", e.vacancy, ", outside [0, ", problem.vacancies(), ")"));
      edges_ok = false;
    }
    if (!std::isfinite(e.score) || e.score < 0 || e.score > 100) {
      c.Add(field("score"), absl::StrCat("is ", e.score, ", must be in [0, 100]"));
    }
    if (e.tier != Tier::kFits && e.tier != Tier::kFitsWithAccommodations &&
        e.tier != Tier::kBlocked) {
      c.Add(field("tier"), "must be FITS, FITS_WITH_ACCOMMODATIONS or BLOCKED");
    }
  }
  if (edges_ok) {
    // Repeated pairs: bucket the edges by participant (input order kept), then mark the
    // vacancies seen per participant.
    std::vector<size_t> begin(static_cast<size_t>(p_count) + 1, 0);
    for (const CandidateEdge& e : problem.edges) ++begin[static_cast<size_t>(e.participant) + 1];
    for (size_t p = 0; p < static_cast<size_t>(p_count); ++p) begin[p + 1] += begin[p];
    std::vector<size_t> order(problem.edges.size());
    std::vector<size_t> fill(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < problem.edges.size(); ++i) {
      order[fill[static_cast<size_t>(problem.edges[i].participant)]++] = i;
    }
    std::vector<int> seen_by(static_cast<size_t>(problem.vacancies()), -1);
    std::vector<size_t> first_of(static_cast<size_t>(problem.vacancies()), 0);
    for (size_t p = 0; p < static_cast<size_t>(p_count); ++p) {
      for (size_t k = begin[p]; k < begin[p + 1]; ++k) {
        const size_t i = order[k];
        const size_t v = static_cast<size_t>(problem.edges[i].vacancy);
        if (seen_by[v] == static_cast<int>(p)) {
          c.Add(absl::StrCat("edges[", i, "]"),
                absl::StrCat("repeats the pair of edges[", first_of[v], "]"));
        } else {
          seen_by[v] = static_cast<int>(p);
          first_of[v] = i;
        }
      }
    }
  }
  {
    ViolationCollector::Scope scope(c, "options");
    if (options.proposals_per_participant < 1) {
      c.Add("proposals_per_participant", "must be >= 1");
    }
    const AntiCreamingWeights& w = options.anti_creaming;
    if (!(w.per_barrier >= 0) || w.per_barrier > 100) {
      c.Add("anti_creaming.per_barrier", "must be in [0, 100]");
    }
    if (w.max_barriers < 0) c.Add("anti_creaming.max_barriers", "must be >= 0");
    if (!(w.per_waiting_month >= 0) || w.per_waiting_month > 100) {
      c.Add("anti_creaming.per_waiting_month", "must be in [0, 100]");
    }
    if (w.max_waiting_months < 0 || w.max_waiting_months > 1200) {
      c.Add("anti_creaming.max_waiting_months", "must be in [0, 1200]");
    }
  }
  return c.Finish("invalid assignment problem");
}

FairnessReport MakeFairnessReport(const AssignmentProblem& problem,
                                  const AssignmentOptions& options,
                                  const std::vector<Placement>& placements) {
  const size_t n = static_cast<size_t>(std::max(0, problem.participants));
  std::vector<uint8_t> assigned(n, 0);
  std::vector<uint8_t> eligible(n, 0);
  for (const Placement& pl : placements) assigned[static_cast<size_t>(pl.participant)] = 1;
  for (const CandidateEdge& e : problem.edges) {
    if (IsEligible(e.tier, options)) eligible[static_cast<size_t>(e.participant)] = 1;
  }
  std::map<int, FairnessGroup> groups;
  FairnessReport report;
  for (size_t p = 0; p < n; ++p) {
    const int b = BarriersOf(problem, static_cast<int>(p));
    FairnessGroup& g = groups[b];
    g.barriers = b;
    ++g.pool;
    g.with_eligible_vacancy += eligible[p];
    g.assigned += assigned[p];
    report.assigned += assigned[p];
  }
  report.pool = static_cast<int>(n);
  report.assigned_share = Share(report.assigned, report.pool);
  for (auto& [b, g] : groups) {
    g.assigned_share = Share(g.assigned, g.pool);
    g.pool_share = Share(g.pool, report.pool);
    g.share_of_assigned = Share(g.assigned, report.assigned);
    g.representation = g.pool_share > 0 ? g.share_of_assigned / g.pool_share : 0.0;
    report.groups.push_back(g);
  }
  return report;
}

absl::StatusOr<AssignmentResult> Assign(const AssignmentProblem& problem,
                                        const AssignmentOptions& options) {
  RETURN_IF_ERROR(ValidateAssignment(problem, options));
  const int n = problem.participants;
  // Eligible edges in CSR order by participant (stable: input order within one).
  std::vector<size_t> eligible;
  std::vector<int64_t> begin(static_cast<size_t>(n) + 1, 0);
  for (size_t i = 0; i < problem.edges.size(); ++i) {
    if (IsEligible(problem.edges[i].tier, options)) {
      eligible.push_back(i);
      ++begin[static_cast<size_t>(problem.edges[i].participant) + 1];
    }
  }
  for (size_t p = 0; p < static_cast<size_t>(n); ++p) begin[p + 1] += begin[p];
  BMatchingGraph g;
  g.left = n;
  g.right = problem.vacancies();
  g.left_limit.assign(static_cast<size_t>(n), options.proposals_per_participant);
  g.right_capacity = problem.capacity;
  g.edge_begin = begin;
  g.edge_right.resize(eligible.size());
  g.edge_weight.resize(eligible.size());
  std::vector<size_t> source(eligible.size());
  std::vector<int64_t> fill(begin.begin(), begin.end() - 1);
  int64_t max_weight = 0;
  for (const size_t i : eligible) {
    const CandidateEdge& e = problem.edges[i];
    const size_t slot = static_cast<size_t>(fill[static_cast<size_t>(e.participant)]++);
    g.edge_right[slot] = e.vacancy;
    g.edge_weight[slot] = EdgeWeight(problem, e, options);
    max_weight = std::max(max_weight, g.edge_weight[slot]);
    source[slot] = i;
  }
  int64_t lift = 0;
  if (options.maximize_assigned_first && !eligible.empty()) {
    // Any matching's weight is below max_weight x (its size) <= max_weight x bound, so
    // adding `lift` to every edge makes one more assignment worth more than any weight.
    const int64_t slots = static_cast<int64_t>(n) * options.proposals_per_participant;
    int64_t places = 0;
    for (const int c : problem.capacity) places += c;
    const int64_t bound = std::min({slots, places, static_cast<int64_t>(eligible.size())});
    if (bound > (kMaxSolverWeight - max_weight) / std::max<int64_t>(1, max_weight) - 1) {
      return InvalidField("options.maximize_assigned_first",
                          "the problem is too large for the lexicographic objective");
    }
    lift = max_weight * bound + 1;
    for (int64_t& w : g.edge_weight) w += lift;
  }
  BMatchingOptions solver_options;
  solver_options.progress = options.progress;
  // About a hundred calls, whichever side the solver works from.
  solver_options.progress_every = std::clamp(std::min(n, problem.vacancies()) / 100, 1, 1024);
  ASSIGN_OR_RETURN(BMatchingSolution s, SolveBMatching(g, solver_options));

  AssignmentResult result;
  std::vector<int> count(static_cast<size_t>(n), 0);
  std::vector<int> eligible_count(static_cast<size_t>(n), 0);
  for (size_t slot = 0; slot < s.chosen.size(); ++slot) {
    const CandidateEdge& e = problem.edges[source[slot]];
    ++eligible_count[static_cast<size_t>(e.participant)];
    if (!s.chosen[slot]) continue;
    Placement pl;
    pl.participant = e.participant;
    pl.vacancy = e.vacancy;
    pl.score = e.score;
    pl.tier = e.tier;
    pl.weight = g.edge_weight[slot] - lift;
    result.objective += pl.weight;
    result.total_score += pl.score;
    ++count[static_cast<size_t>(e.participant)];
    result.placements.push_back(pl);
  }
  std::sort(result.placements.begin(), result.placements.end(),
            [](const Placement& a, const Placement& b) {
              return std::make_pair(a.participant, a.vacancy) <
                     std::make_pair(b.participant, b.vacancy);
            });
  for (int p = 0; p < n; ++p) {
    const size_t up = static_cast<size_t>(p);
    if (count[up] > 0) {
      ++result.assigned_participants;
      continue;
    }
    UnassignedParticipant u;
    u.participant = p;
    u.eligible_vacancies = eligible_count[up];
    u.reason = eligible_count[up] > 0 ? UnassignedReason::kOutcompeted
                                      : UnassignedReason::kNoFeasibleVacancy;
    result.unassigned.push_back(u);
  }
  result.fairness = MakeFairnessReport(problem, options, result.placements);
  result.solver_stats = s.stats;
  return result;
}

absl::StatusOr<ObjectiveComparison> CompareObjectives(const AssignmentProblem& problem,
                                                      const AssignmentOptions& options) {
  ObjectiveComparison c;
  AssignmentOptions first = options;
  first.objective = Objective::kMatchQuality;
  AssignmentOptions second = options;
  second.objective = Objective::kAntiCreaming;
  if (options.progress) {
    const auto& progress = options.progress;
    first.progress = [&progress](int64_t done, int64_t total) { return progress(done, 2 * total); };
    second.progress = [&progress](int64_t done, int64_t total) {
      return progress(total + done, 2 * total);
    };
  }
  ASSIGN_OR_RETURN(c.quality, Assign(problem, first));
  ASSIGN_OR_RETURN(c.anti_creaming, Assign(problem, second));
  const std::vector<FairnessGroup>& a = c.quality.fairness.groups;
  const std::vector<FairnessGroup>& b = c.anti_creaming.fairness.groups;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    GroupComparison g;
    g.barriers = a[i].barriers;
    g.pool = a[i].pool;
    g.assigned_quality = a[i].assigned;
    g.assigned_anti_creaming = b[i].assigned;
    g.share_quality = a[i].assigned_share;
    g.share_anti_creaming = b[i].assigned_share;
    c.groups.push_back(g);
  }
  c.score_cost = c.quality.total_score - c.anti_creaming.total_score;
  return c;
}

absl::StatusOr<AssignmentProblem> ProblemFromRanking(
    const BatchRankResult& ranking, const std::vector<const Participant*>& participants,
    const std::vector<VacancyContext>& vacancies) {
  if (ranking.for_participant.size() != participants.size()) {
    return InvalidField(
        "ranking.for_participant",
        absl::StrCat("has ", ranking.for_participant.size(),
                     " lists, expected one per participant (", participants.size(), ")"));
  }
  AssignmentProblem problem;
  problem.participants = static_cast<int>(participants.size());
  problem.capacity.reserve(vacancies.size());
  for (size_t v = 0; v < vacancies.size(); ++v) {
    if (vacancies[v].vacancy == nullptr) {
      return InvalidField(absl::StrCat("vacancies[", v, "].vacancy"), "is null");
    }
    problem.capacity.push_back(vacancies[v].vacancy->capacity);
  }
  problem.barriers.reserve(participants.size());
  for (size_t p = 0; p < participants.size(); ++p) {
    if (participants[p] == nullptr) {
      return InvalidField(absl::StrCat("participants[", p, "]"), "is null");
    }
    problem.barriers.push_back(CountBarriers(*participants[p]).count);
    for (const RankedVacancy& rv : ranking.for_participant[p]) {
      problem.edges.push_back({static_cast<int>(p), rv.vacancy, rv.score, rv.tier});
    }
  }
  return problem;
}

}  // namespace carvematch
