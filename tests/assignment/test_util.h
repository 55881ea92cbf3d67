// Random instances and brute-force references for the assignment tests.
#ifndef CARVEMATCH_TESTS_ASSIGNMENT_TEST_UTIL_H_
#define CARVEMATCH_TESTS_ASSIGNMENT_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "assignment/assignment.h"

namespace carvematch {
namespace testing_util {

// P participants, V vacancies, each pair a candidate with probability `density`;
// scores multiples of 0.5 in [0, 100] (many ties), tiers mixed, capacities 1..max_cap,
// barriers 0..4.
inline AssignmentProblem RandomProblem(int participants, int vacancies, double density, int max_cap,
                                       uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  AssignmentProblem problem;
  problem.participants = participants;
  for (int v = 0; v < vacancies; ++v) {
    problem.capacity.push_back(1 + static_cast<int>(rng() % static_cast<uint32_t>(max_cap)));
  }
  for (int p = 0; p < participants; ++p) problem.barriers.push_back(static_cast<int>(rng() % 5));
  for (int p = 0; p < participants; ++p) {
    for (int v = 0; v < vacancies; ++v) {
      if (unit(rng) >= density) continue;
      CandidateEdge e;
      e.participant = p;
      e.vacancy = v;
      e.score = 0.5 * static_cast<double>(rng() % 201);
      const uint32_t t = rng() % 10;
      e.tier = t < 6 ? Tier::kFits : (t < 8 ? Tier::kFitsWithAccommodations : Tier::kBlocked);
      problem.edges.push_back(e);
    }
  }
  // Shuffle the edge order: Assign must not rely on it for optimality.
  std::shuffle(problem.edges.begin(), problem.edges.end(), rng);
  return problem;
}

struct BruteForce {
  int64_t best_weight = -1;
  int best_count = -1;           // size of a max-weight solution (any)
  int64_t best_lex_weight = -1;  // max weight among the solutions of maximum size
  int max_count = -1;
};

// Enumerates every subset of the eligible edges (at most ~20) that respects the limits.
inline BruteForce Enumerate(const AssignmentProblem& problem, const AssignmentOptions& options) {
  std::vector<size_t> eligible;
  for (size_t i = 0; i < problem.edges.size(); ++i) {
    if (IsEligible(problem.edges[i].tier, options)) eligible.push_back(i);
  }
  BruteForce b;
  const uint32_t subsets = 1u << eligible.size();
  std::vector<int> pc(static_cast<size_t>(problem.participants));
  std::vector<int> vc(problem.capacity.size());
  for (uint32_t mask = 0; mask < subsets; ++mask) {
    std::fill(pc.begin(), pc.end(), 0);
    std::fill(vc.begin(), vc.end(), 0);
    bool ok = true;
    int64_t w = 0;
    int count = 0;
    for (size_t k = 0; k < eligible.size() && ok; ++k) {
      if (!((mask >> k) & 1u)) continue;
      const CandidateEdge& e = problem.edges[eligible[k]];
      ok = ++pc[static_cast<size_t>(e.participant)] <= options.proposals_per_participant &&
           ++vc[static_cast<size_t>(e.vacancy)] <= problem.capacity[static_cast<size_t>(e.vacancy)];
      w += EdgeWeight(problem, e, options);
      ++count;
    }
    if (!ok) continue;
    if (w > b.best_weight) {
      b.best_weight = w;
      b.best_count = count;
    }
    if (count > b.max_count || (count == b.max_count && w > b.best_lex_weight)) {
      b.max_count = count;
      b.best_lex_weight = w;
    }
  }
  return b;
}

}  // namespace testing_util
}  // namespace carvematch

#endif  // CARVEMATCH_TESTS_ASSIGNMENT_TEST_UTIL_H_
