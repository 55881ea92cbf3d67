// The vectorised skill part of matching: how well a participant's skills cover the
// skills a vacancy's tasks need, with partial credit for related skills and for a
// lower level.
//
// The shared column space is the set of (skill URI, level) pairs needed by the
// vacancies in one call (a NeedSpace); one column per pair because the level factor
// depends on the needed level. For one participant, BestCredit() fills a dense vector
// best[col] = max over the participant's skills h of credit(h, skill(col)) x
// LevelFactor(level(h), level(col)). A vacancy's requirements are rows of two sparse
// matrices R_ess and R_opt (vacancies x columns, weight 1 per requirement), so for all
// vacancies at once
//   coverage_essential = (R_ess * best) ./ rowcount(R_ess)   (1 for an empty row)
// and for many participants B (participants x columns, one best vector per row)
//   coverage_essential = (B * r_ess) / count(r_ess).
//
// Example usage:
//   NeedSpace space(credit);
//   RequirementMatrix reqs = BuildRequirementMatrix({&v1, &v2}, &space);
//   BestCredit best = ComputeBestCredit(participant, space, credit);
//   Coverage cov = CoverageOfVacancies(reqs, best.amount);  // cov.essential(i) for v_i
#ifndef CARVEMATCH_MATCHER_SKILL_COVERAGE_H_
#define CARVEMATCH_MATCHER_SKILL_COVERAGE_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "Eigen/Core"
#include "Eigen/SparseCore"
#include "matcher/skill_credit.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

// min(1, have / need) with level 0 ("aware") counting as half of level 1.
float LevelFactor(int have_level, int need_level);

// One requirement of a vacancy: the union over its tasks, the highest level asked,
// essential when any task needs it essentially.
struct Requirement {
  std::string skill_uri;
  int level = 1;
  bool essential = true;
};
// Sorted by skill URI (deterministic).
std::vector<Requirement> VacancyRequirements(const Vacancy& vacancy);

// The columns: distinct (skill URI, level) pairs, in order of first Add().
class NeedSpace {
 public:
  explicit NeedSpace(const SkillCredit& credit) : credit_(credit) {}
  // The column of (uri, level), added when new.
  int Add(const std::string& uri, int level);
  int size() const { return static_cast<int>(uris_.size()); }
  const std::string& uri(int col) const { return uris_[static_cast<size_t>(col)]; }
  int level(int col) const { return levels_[static_cast<size_t>(col)]; }
  // Columns of a skill URI (one per needed level); empty when not needed.
  const std::vector<int>& ColumnsOfUri(const std::string& uri) const;
  // Columns of a dense skill index of the SkillCredit; empty when not needed.
  const std::vector<int>& ColumnsOfIndex(int skill) const;

 private:
  const SkillCredit& credit_;
  std::vector<std::string> uris_;
  std::vector<int> levels_;
  std::unordered_map<std::string, std::vector<int>> by_uri_;
  // By dense skill index (SkillCredit::Index), up to the largest index needed: the
  // best-credit scatter looks up every related skill of every participant skill.
  std::vector<std::vector<int>> by_index_;
};

// The best credit per column for one participant, and which of the participant's
// skill claims earned it (for explanations).
struct BestCredit {
  Eigen::VectorXf amount;     // size() = space.size(): credit x level factor
  std::vector<int> claim;     // index into Participant::skills, -1 when none
  std::vector<float> credit;  // the relation credit of that claim (1 = same skill)
  std::vector<float> level_factor;
  std::vector<std::string_view> relation;  // "same skill" or the edge's relation
};
// Deterministic: on equal amounts the earlier claim (and for one claim the exact
// match, then the earlier edge) wins.
BestCredit ComputeBestCredit(const Participant& participant, const NeedSpace& space,
                             const SkillCredit& credit);

// ComputeBestCredit(...).amount scattered into `dense` (space.size() floats, all 0 on
// entry): dense[col] = the best credit; the columns set are appended to `touched` (with
// repeats) so that the caller can reset them. Bit-identical to the dense vectors.
void ScatterBestCredit(const Participant& participant, const NeedSpace& space,
                       const SkillCredit& credit, float* dense, std::vector<int>* touched);

// The nonzero entries of ComputeBestCredit(...).amount as (column, amount), sorted by
// column, without the dense vectors of size space.size() (for many participants over a
// large space). The amounts are bit-identical to the dense ones.
std::vector<std::pair<int, float>> SparseBestCredit(const Participant& participant,
                                                    const NeedSpace& space,
                                                    const SkillCredit& credit);

// Requirement rows of m vacancies over the columns of a NeedSpace. Both matrices are
// m x space.size(), row-major, with 1 at (vacancy, column) for each requirement.
struct RequirementMatrix {
  Eigen::SparseMatrix<float, Eigen::RowMajor> essential;
  Eigen::SparseMatrix<float, Eigen::RowMajor> optional;
  std::vector<std::vector<Requirement>> requirements;  // per vacancy, as in VacancyRequirements
  std::vector<std::vector<int>> columns;  // per vacancy, the column of each requirement
};
// Adds every vacancy's requirements to `space`; row i is vacancies[i].
RequirementMatrix BuildRequirementMatrix(const std::vector<const Vacancy*>& vacancies,
                                         NeedSpace* space);

// Coverage in [0, 1] per vacancy (size m); 1 where a vacancy has no requirement of
// that kind.
struct Coverage {
  Eigen::VectorXf essential;
  Eigen::VectorXf optional;
};
// min(1, sum / count) as float, 1 when count is 0. `sum` is the exact (double) sum of
// the credits of `count` requirements; every coverage in the matcher goes through here.
inline float CoverageRatio(double sum, int count) {
  return count > 0 ? static_cast<float>(std::min(1.0, sum / count)) : 1.0f;
}
// One participant against all rows: R * best (m x k times k).
Coverage CoverageOfVacancies(const RequirementMatrix& reqs, const Eigen::VectorXf& best);
// Many participants against one row `row` of `reqs`: `best_rows` is n x k, row-major,
// row j the BestCredit::amount of participant j; the result has size n.
Coverage CoverageOfParticipants(
    const RequirementMatrix& reqs, int row,
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>& best_rows);

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_SKILL_COVERAGE_H_
