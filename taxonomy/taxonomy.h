// The skill and occupation taxonomy the rest of carvematch asks: which ESCO concepts
// exist, their labels, a dense index per skill, and how much one skill credits another.
//
// Partial credit ("related skills count"): a participant's skill h credits a required
// skill r by Credit(h, r) in [0, 1]: 1 for the same skill, and less for a skill that ESCO
// relates to r (skill-skill relations, a shared broader concept in the hierarchy), or
// that co-occurs with r in ESCO occupation profiles (cosine similarity of the
// occupation-incidence columns, computed with Eigen). The weights are documented at the
// top of taxonomy/taxonomy.cc and in docs/taxonomy.md.
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<Taxonomy> taxonomy, LoadTaxonomy(DefaultEscoPath()));
//   // or: Taxonomy taxonomy(std::move(release));
//   int have = taxonomy.SkillIndex(participant_skill_uri);   // -1 if unknown
//   for (const RelatedSkill& r : taxonomy.Related(have)) ...
#ifndef CARVEMATCH_TAXONOMY_TAXONOMY_H_
#define CARVEMATCH_TAXONOMY_TAXONOMY_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "Eigen/SparseCore"
#include "absl/status/statusor.h"
#include "model/validation.h"
#include "taxonomy/esco.h"

namespace carvematch {

// Why one skill credits another; the explanation names it.
enum class RelationKind : int {
  kSame = 0,
  kEssentialRelation,
  kOptionalRelation,
  kSibling,
  kCoOccurrence
};

struct RelatedSkill {
  int skill = -1;    // dense skill index
  float credit = 0;  // in (0, 1)
  RelationKind kind = RelationKind::kSame;
};

// Immutable after construction; all const methods may be called from several threads.
class Taxonomy : public ConceptCatalog {
 public:
  // At most this many related skills are kept per skill.
  static constexpr int kMaxRelated = 20;

  // Indexes the release and computes the related-skill credits.
  // - Skills get dense indices in URI order (so the index does not depend on the row
  //   order of the files); release().skills is reordered to match: skill(i) ==
  //   release().skills[i]. Occupations are sorted by URI too.
  // - Relations naming unknown skills are ignored.
  // - Deterministic: the same release always gives the same indices and credits.
  explicit Taxonomy(EscoRelease release);
  Taxonomy(const Taxonomy&) = delete;
  Taxonomy& operator=(const Taxonomy&) = delete;

  bool HasSkill(std::string_view uri) const override;
  bool HasOccupation(std::string_view uri) const override;

  int skill_count() const;
  // Dense index of a skill URI in 0..skill_count()-1, or -1 when unknown.
  int SkillIndex(std::string_view uri) const;
  const EscoSkill& skill(int index) const;
  const EscoOccupation* FindOccupation(std::string_view uri) const;
  // Label of a skill or occupation URI; the URI itself when unknown.
  std::string Label(std::string_view uri) const;

  // Skills that `skill` gives partial credit towards, best credit first (ties by
  // co-occurrence, then index), excluding `skill` itself, at most kMaxRelated.
  const std::vector<RelatedSkill>& Related(int skill) const;
  // Credit of having skill `have` for a requirement of skill `need`: 1 when equal.
  float Credit(int have, int need) const;
  // The same credits as a sparse matrix C (skill_count x skill_count, row-major):
  // C(have, need) = Credit(have, need), with ones on the diagonal.
  const Eigen::SparseMatrix<float, Eigen::RowMajor>& CreditMatrix() const;

  const EscoRelease& release() const;

 private:
  void ComputeCredits();

  EscoRelease release_;
  // Keys view the URIs in release_, which never changes after construction.
  std::unordered_map<std::string_view, int> skill_index_;
  std::unordered_map<std::string_view, int> occupation_index_;
  std::vector<std::vector<RelatedSkill>> related_;  // per skill, best credit first
  Eigen::SparseMatrix<float, Eigen::RowMajor> credit_matrix_;
};

// Loads the release at `path` (LoadEscoRelease) and builds its taxonomy.
absl::StatusOr<std::unique_ptr<Taxonomy>> LoadTaxonomy(const std::string& path);

// The ESCO data the project ships: $CARVEMATCH_DATA_DIR/esco when that environment
// variable is set (it names the data/ folder), else data/esco in the source tree.
std::string DefaultEscoPath();

// Short name of a relation kind for explanations: "same skill", "essential related
// skill", "optional related skill", "sibling skill", "co-occurring skill".
const char* RelationKindName(RelationKind kind);

}  // namespace carvematch

#endif  // CARVEMATCH_TAXONOMY_TAXONOMY_H_
