#include "matcher/taxonomy_credit.h"

namespace carvematch {

TaxonomyCredit::TaxonomyCredit(const Taxonomy& taxonomy) : taxonomy_(taxonomy) {
  related_.resize(static_cast<size_t>(taxonomy.skill_count()));
  for (int have = 0; have < taxonomy.skill_count(); ++have) {
    std::vector<CreditEdge>& edges = related_[static_cast<size_t>(have)];
    for (const RelatedSkill& r : taxonomy.Related(have)) {
      edges.push_back(CreditEdge{r.skill, r.credit, RelationKindName(r.kind)});
    }
  }
}

int TaxonomyCredit::Index(std::string_view uri) const { return taxonomy_.SkillIndex(uri); }

std::string TaxonomyCredit::Label(std::string_view uri) const { return taxonomy_.Label(uri); }

const std::vector<CreditEdge>& TaxonomyCredit::Related(int have) const {
  static const std::vector<CreditEdge>* const kNone = new std::vector<CreditEdge>();
  if (have < 0 || have >= static_cast<int>(related_.size())) return *kNone;
  return related_[static_cast<size_t>(have)];
}

}  // namespace carvematch
