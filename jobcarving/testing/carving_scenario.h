// Synthetic carving scenarios for tests and benchmarks: a pool of synthetic
// participants (matcher/testing/synthetic.h) and vacancies at one site of one employer,
// each made of many small tasks (some legally reserved or above the learnable skill
// level), with skills drawn from the pool's own skill claims so that a fair share of
// the pool can fit the elementary tasks.
//
// Example usage:
//   CarvingScenario s = MakeCarvingScenario({.pool = 200, .vacancies = 1, .tasks = 40}, 7);
//   CarveRequest request = s.Request();
//   ASSIGN_OR_RETURN(CarvingResult r, Carve(*s.matcher, request));
#ifndef CARVEMATCH_JOBCARVING_TESTING_CARVING_SCENARIO_H_
#define CARVEMATCH_JOBCARVING_TESTING_CARVING_SCENARIO_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "jobcarving/carving.h"
#include "matcher/matcher.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch {

struct CarvingScenarioParams {
  int pool = 200;
  int vacancies = 1;
  int tasks = 40;                // per vacancy
  double reserved_share = 0.25;  // tasks legally reserved
  double expert_share = 0.1;     // tasks needing skill level 3
};

// Owns everything; pointers stay valid when the scenario is moved.
struct CarvingScenario {
  SyntheticInstance base;  // participants, skill credit, employers
  std::unique_ptr<TravelModel> travel;
  std::unique_ptr<Matcher> matcher;
  std::unique_ptr<std::vector<Vacancy>> vacancies;
  const Employer* employer = nullptr;
  std::vector<const Participant*> pool;

  // A request over all vacancies and the whole pool, default options.
  CarveRequest Request() const;
};

// Deterministic in (params, seed).
CarvingScenario MakeCarvingScenario(const CarvingScenarioParams& params, uint64_t seed);

}  // namespace carvematch

#endif  // CARVEMATCH_JOBCARVING_TESTING_CARVING_SCENARIO_H_
