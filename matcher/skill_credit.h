// What the matcher needs to know about skills: a dense index per skill URI, a label
// for explanations, and which skills a skill gives partial credit towards.
//
// The taxonomy implements it through TaxonomyCredit (matcher/taxonomy_credit.h); tests
// use small hand-written implementations. Keeping the matcher on this interface keeps
// it independent of how credits are computed (ESCO relations today, learned
// similarities later).
#ifndef CARVEMATCH_MATCHER_SKILL_CREDIT_H_
#define CARVEMATCH_MATCHER_SKILL_CREDIT_H_

#include <string>
#include <string_view>
#include <vector>

namespace carvematch {

// Having the skill this edge belongs to credits skill `need` by `credit`.
struct CreditEdge {
  int need = -1;              // dense index of the credited skill
  float credit = 0;           // in (0, 1]
  std::string_view relation;  // why, for explanations ("essential related skill");
                              // points to storage that outlives the SkillCredit
};

class SkillCredit {
 public:
  virtual ~SkillCredit() = default;
  // Dense index of a skill URI, or -1 when the skill is unknown. Unknown skills still
  // match themselves exactly (by URI); they only have no related skills.
  virtual int Index(std::string_view uri) const = 0;
  // A readable label of a skill URI; the URI itself when unknown.
  virtual std::string Label(std::string_view uri) const = 0;
  // Skills that skill `have` credits, excluding itself; empty for an index out of
  // range. The reference stays valid as long as this object.
  virtual const std::vector<CreditEdge>& Related(int have) const = 0;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_SKILL_CREDIT_H_
