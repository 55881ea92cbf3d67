// Synthetic matching instances with realistic sparsity, for tests and benchmarks.
//
// A seeded generator (the same seed always gives the same instance) of:
//   - a skill space of `skill_count` skills in families of 20; each skill credits a few
//     skills of its family (0.3..0.9) and now and then one of another family;
//   - participants with ~8 skills (mostly from one or two families, levels 0..4, varied
//     evidence: work, diploma, foreign diploma, care, volunteering, hobby, ...), homes
//     around ~30 Flemish towns, transport modes and licences, max commute, weekly
//     availability, childcare (incl. a Wednesday-afternoon arrangement), hours wanted,
//     Dutch per language skill, functional capacities, exclusions, sector and
//     occupation wishes, target outcomes;
//   - employers with 1..3 sites around the same towns, a sector each;
//   - vacancies with 6..15 skill requirements over 1..4 tasks, shift patterns (day,
//     early, late, night, weekend, part-time, none), task demands, accommodations,
//     contract types, predictability, outcomes and capacities.
//
// Example usage:
//   SyntheticInstance inst = MakeSyntheticInstance(20000, 5000, /*seed=*/7);
//   TravelModel travel;
//   Matcher matcher(*inst.credit, travel);
//   RankAll(matcher, inst.participant_ptrs, inst.contexts, BatchRankOptions{});
#ifndef CARVEMATCH_MATCHER_TESTING_SYNTHETIC_H_
#define CARVEMATCH_MATCHER_TESTING_SYNTHETIC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "matcher/matcher.h"
#include "matcher/skill_credit.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

// A SkillCredit over generated URIs "synth:skill/<n>" with labels "skill <n>".
class SyntheticSkillCredit : public SkillCredit {
 public:
  int AddSkill(const std::string& uri, const std::string& label);
  // `have` credits `need` by `credit` (both added before).
  void Relate(int have, int need, float credit);
  int size() const { return static_cast<int>(uris_.size()); }
  const std::string& uri(int index) const { return uris_[static_cast<size_t>(index)]; }

  int Index(std::string_view uri) const override;
  std::string Label(std::string_view uri) const override;
  const std::vector<CreditEdge>& Related(int have) const override;

 private:
  std::vector<std::string> uris_;
  std::vector<std::string> labels_;
  std::unordered_map<std::string, int> index_;
  std::vector<std::vector<CreditEdge>> related_;
};

struct SyntheticParams {
  int skill_count = 3000;          // skills in the space (families of 20)
  int skills_per_participant = 8;  // mean; 3..16
  int min_requirements = 6;        // per vacancy
  int max_requirements = 15;
  int vacancies_per_employer = 5;  // mean
  int towns = 30;                  // homes and sites around the first `towns` of 30 Flemish towns
};

// Owns everything; `contexts` and `participant_ptrs` point into it, so the instance
// can be moved but not copied.
struct SyntheticInstance {
  SyntheticInstance() = default;
  SyntheticInstance(SyntheticInstance&&) = default;
  SyntheticInstance& operator=(SyntheticInstance&&) = default;
  SyntheticInstance(const SyntheticInstance&) = delete;
  SyntheticInstance& operator=(const SyntheticInstance&) = delete;

  std::unique_ptr<SyntheticSkillCredit> credit;
  std::vector<Participant> participants;
  std::vector<Employer> employers;
  std::vector<Vacancy> vacancies;
  std::vector<const Participant*> participant_ptrs;  // one per participant, in order
  std::vector<VacancyContext> contexts;              // one per vacancy, in order
};

// Deterministic in (participants, vacancies, seed, params). Ids are "p-<n>", "e-<n>",
// "v-<n>", zero-padded to 6 digits so that id order is index order.
SyntheticInstance MakeSyntheticInstance(int participants, int vacancies, uint64_t seed,
                                        const SyntheticParams& params = {});

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_TESTING_SYNTHETIC_H_
