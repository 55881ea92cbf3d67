// SkillCredit backed by the ESCO taxonomy (taxonomy/taxonomy.h): indices, labels and
// related-skill credits as the taxonomy computes them.
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<Taxonomy> taxonomy, LoadTaxonomy(DefaultEscoPath()));
//   TaxonomyCredit credit(*taxonomy);
//   Matcher matcher(credit, travel);
#ifndef CARVEMATCH_MATCHER_TAXONOMY_CREDIT_H_
#define CARVEMATCH_MATCHER_TAXONOMY_CREDIT_H_

#include <string>
#include <string_view>
#include <vector>

#include "matcher/skill_credit.h"
#include "taxonomy/taxonomy.h"

namespace carvematch {

class TaxonomyCredit : public SkillCredit {
 public:
  // Copies the taxonomy's related-skill lists once (about 20 edges per skill);
  // `taxonomy` must outlive this object. Immutable afterwards, so thread-safe.
  explicit TaxonomyCredit(const Taxonomy& taxonomy);

  int Index(std::string_view uri) const override;
  std::string Label(std::string_view uri) const override;
  const std::vector<CreditEdge>& Related(int have) const override;

 private:
  const Taxonomy& taxonomy_;
  std::vector<std::vector<CreditEdge>> related_;  // per skill index, as Taxonomy::Related
};

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_TAXONOMY_CREDIT_H_
