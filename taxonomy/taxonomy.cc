// Related-skill credits
// =====================
//
// Credit(have, need) says how much having skill `have` counts towards a requirement of
// skill `need`, in [0, 1]. It is the maximum over these kinds of evidence (on equal
// credit the kind earlier in the RelationKind enum names the relation):
//
//   kind                 credit          when
//   kSame                1.0             have == need
//   kEssentialRelation   0.6             skillSkillRelations.csv lists one of the two as
//                                        essential for the other (either direction)
//   kOptionalRelation    0.4             ... lists one as optional for the other
//   kCoOccurrence        0.5 * cosine    cosine >= 0.3, so between 0.15 and 0.5
//   kSibling             0.3             both are narrower concepts of the same broader
//                                        concept (a skill group or a skill) at depth >= 2
//                                        of the skills pillar with at most 60 narrower
//                                        skills; the roots ("skills", "knowledge", ...),
//                                        their children (depth 1: "communication,
//                                        collaboration and creativity", ...) and large
//                                        catch-all groups ("mastering languages": knowing
//                                        Finnish says nothing about Dutch; "carry out
//                                        calculations"; "advise others") are too broad
//
// Co-occurrence: A is the occupation x skill incidence matrix of
// occupationSkillRelations.csv (1 when the occupation lists the skill, essential or
// optional; occupations referenced there but missing from occupations_en.csv count too).
// S = A^T A counts the occupations two skills share, and the cosine of skills i and j is
// S(i,j) / sqrt(S(i,i) S(j,j)), computed as one Eigen sparse product.
//
// All kinds are symmetric. Per skill `have`, the candidates are sorted by credit
// (descending), ties by co-occurrence cosine (descending, also below the 0.3 threshold,
// so that among the many 0.3 siblings those that share occupations come first), then by
// skill index (ascending), and the first kMaxRelated (20) are kept: Related(have). Because of that
// cut, Credit(have, need) may be 0 while Credit(need, have) is not.
#include "taxonomy/taxonomy.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "Eigen/SparseCore"
#include "model/status.h"

#ifndef CARVEMATCH_SOURCE_DIR
#error "CARVEMATCH_SOURCE_DIR must be defined by the build (taxonomy/CMakeLists.txt)"
#endif

namespace carvematch {
namespace {

constexpr float kEssentialRelationCredit = 0.6f;
constexpr float kOptionalRelationCredit = 0.4f;
constexpr float kSiblingCredit = 0.3f;
constexpr double kCoOccurrenceWeight = 0.5;
constexpr double kMinCosine = 0.3;
// Broader concepts at depth 0 and 1 of the skills pillar are too broad for siblings.
constexpr int kMinSiblingParentLevel = 2;
// Larger groups are categories rather than kin.
constexpr size_t kMaxSiblingGroupSize = 60;

// Best candidate per skill while one row of credits is assembled.
class RowAccumulator {
 public:
  explicit RowAccumulator(int n)
      : credit_(static_cast<size_t>(n), 0.0f),
        cosine_(static_cast<size_t>(n), 0.0f),
        kind_(static_cast<size_t>(n), RelationKind::kSame) {}

  void Add(int skill, float credit, RelationKind kind) {
    float& best = credit_[static_cast<size_t>(skill)];
    RelationKind& best_kind = kind_[static_cast<size_t>(skill)];
    if (best == 0.0f) touched_.push_back(skill);
    if (credit > best || (credit == best && kind < best_kind)) {
      best = credit;
      best_kind = kind;
    }
  }
  // The co-occurrence cosine, used to order equal credits.
  void SetCosine(int skill, float cosine) {
    cosine_[static_cast<size_t>(skill)] = cosine;
    cosine_touched_.push_back(skill);
  }

  // The best `max_count` candidates other than `self`, best first; resets the row.
  std::vector<RelatedSkill> TakeTop(int self, size_t max_count) {
    std::vector<RelatedSkill> row;
    row.reserve(touched_.size());
    for (int skill : touched_) {
      if (skill != self) {
        row.push_back(
            {skill, credit_[static_cast<size_t>(skill)], kind_[static_cast<size_t>(skill)]});
      }
    }
    auto better = [this](const RelatedSkill& a, const RelatedSkill& b) {
      if (a.credit != b.credit) return a.credit > b.credit;
      float ca = cosine_[static_cast<size_t>(a.skill)];
      float cb = cosine_[static_cast<size_t>(b.skill)];
      if (ca != cb) return ca > cb;
      return a.skill < b.skill;
    };
    if (row.size() > max_count) {
      std::partial_sort(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(max_count),
                        row.end(), better);
      row.resize(max_count);
    } else {
      std::sort(row.begin(), row.end(), better);
    }
    row.shrink_to_fit();
    for (int skill : touched_) credit_[static_cast<size_t>(skill)] = 0.0f;
    for (int skill : cosine_touched_) cosine_[static_cast<size_t>(skill)] = 0.0f;
    touched_.clear();
    cosine_touched_.clear();
    return row;
  }

 private:
  std::vector<float> credit_;
  std::vector<float> cosine_;
  std::vector<RelationKind> kind_;
  std::vector<int> touched_;
  std::vector<int> cosine_touched_;
};

}  // namespace

Taxonomy::Taxonomy(EscoRelease release) : release_(std::move(release)) {
  std::sort(release_.skills.begin(), release_.skills.end(),
            [](const EscoSkill& a, const EscoSkill& b) { return a.uri < b.uri; });
  std::sort(release_.occupations.begin(), release_.occupations.end(),
            [](const EscoOccupation& a, const EscoOccupation& b) { return a.uri < b.uri; });
  skill_index_.reserve(release_.skills.size());
  for (size_t i = 0; i < release_.skills.size(); ++i) {
    skill_index_.emplace(release_.skills[i].uri, static_cast<int>(i));
  }
  occupation_index_.reserve(release_.occupations.size());
  for (size_t i = 0; i < release_.occupations.size(); ++i) {
    occupation_index_.emplace(release_.occupations[i].uri, static_cast<int>(i));
  }
  ComputeCredits();
}

void Taxonomy::ComputeCredits() {
  const int n = skill_count();

  // Skill-skill relations, both directions.
  struct Edge {
    int to;
    float credit;
    RelationKind kind;
  };
  std::vector<std::vector<Edge>> relations(static_cast<size_t>(n));
  for (const EscoSkillRelation& r : release_.skill_relations) {
    int from = SkillIndex(r.from_uri);
    int to = SkillIndex(r.to_uri);
    if (from < 0 || to < 0 || from == to) continue;
    float credit = r.essential ? kEssentialRelationCredit : kOptionalRelationCredit;
    RelationKind kind =
        r.essential ? RelationKind::kEssentialRelation : RelationKind::kOptionalRelation;
    relations[static_cast<size_t>(from)].push_back({to, credit, kind});
    relations[static_cast<size_t>(to)].push_back({from, credit, kind});
  }

  // Sibling groups: the skills under each broader concept deep enough to count.
  std::unordered_map<std::string_view, int> group_index;
  std::vector<std::vector<int>> groups;
  std::vector<std::vector<int>> groups_of_skill(static_cast<size_t>(n));
  for (const EscoBroader& b : release_.broader) {
    if (b.broader_level < kMinSiblingParentLevel) continue;
    int skill = SkillIndex(b.narrower_uri);
    if (skill < 0) continue;
    auto [it, inserted] = group_index.emplace(b.broader_uri, static_cast<int>(groups.size()));
    if (inserted) groups.emplace_back();
    groups[static_cast<size_t>(it->second)].push_back(skill);
    groups_of_skill[static_cast<size_t>(skill)].push_back(it->second);
  }
  for (std::vector<int>& group : groups) {
    std::sort(group.begin(), group.end());
    group.erase(std::unique(group.begin(), group.end()), group.end());
    if (group.size() > kMaxSiblingGroupSize) group.clear();
  }

  // Co-occurrence: S = A^T A over the occupation x skill incidence matrix A.
  std::unordered_map<std::string_view, int> profile_index;
  std::vector<Eigen::Triplet<float>> incidence;
  incidence.reserve(release_.occupation_skills.size());
  for (const EscoOccupationSkill& os : release_.occupation_skills) {
    int skill = SkillIndex(os.skill_uri);
    if (skill < 0) continue;
    auto it =
        profile_index.emplace(os.occupation_uri, static_cast<int>(profile_index.size())).first;
    incidence.emplace_back(it->second, skill, 1.0f);
  }
  Eigen::SparseMatrix<float> a(static_cast<Eigen::Index>(profile_index.size()), n);
  a.setFromTriplets(incidence.begin(), incidence.end());
  a.coeffs().setOnes();  // a pair listed twice still counts once
  incidence = {};
  Eigen::SparseMatrix<float> at = a.transpose();
  // Column-major S; column j holds S(., j), which equals row j since S is symmetric.
  Eigen::SparseMatrix<float> shared = at * a;
  Eigen::VectorXf occupations_per_skill = shared.diagonal();

  related_.assign(static_cast<size_t>(n), {});
  RowAccumulator row(n);
  for (int have = 0; have < n; ++have) {
    for (const Edge& e : relations[static_cast<size_t>(have)]) row.Add(e.to, e.credit, e.kind);
    for (int g : groups_of_skill[static_cast<size_t>(have)]) {
      for (int sibling : groups[static_cast<size_t>(g)]) {
        if (sibling != have) row.Add(sibling, kSiblingCredit, RelationKind::kSibling);
      }
    }
    double own = occupations_per_skill[have];
    if (own > 0) {
      for (Eigen::SparseMatrix<float>::InnerIterator it(shared, have); it; ++it) {
        int other = static_cast<int>(it.index());
        if (other == have) continue;
        double cosine = it.value() / std::sqrt(own * occupations_per_skill[other]);
        row.SetCosine(other, static_cast<float>(cosine));
        if (cosine >= kMinCosine) {
          row.Add(other, static_cast<float>(kCoOccurrenceWeight * cosine),
                  RelationKind::kCoOccurrence);
        }
      }
    }
    related_[static_cast<size_t>(have)] = row.TakeTop(have, kMaxRelated);
  }

  std::vector<Eigen::Triplet<float>> credits;
  for (int have = 0; have < n; ++have) {
    credits.emplace_back(have, have, 1.0f);
    for (const RelatedSkill& r : related_[static_cast<size_t>(have)]) {
      credits.emplace_back(have, r.skill, r.credit);
    }
  }
  credit_matrix_.resize(n, n);
  credit_matrix_.setFromTriplets(credits.begin(), credits.end());
  credit_matrix_.makeCompressed();
}

bool Taxonomy::HasSkill(std::string_view uri) const { return skill_index_.count(uri) > 0; }

bool Taxonomy::HasOccupation(std::string_view uri) const {
  return occupation_index_.count(uri) > 0;
}

int Taxonomy::skill_count() const { return static_cast<int>(release_.skills.size()); }

int Taxonomy::SkillIndex(std::string_view uri) const {
  auto it = skill_index_.find(uri);
  return it == skill_index_.end() ? -1 : it->second;
}

const EscoSkill& Taxonomy::skill(int index) const {
  return release_.skills[static_cast<size_t>(index)];
}

const EscoOccupation* Taxonomy::FindOccupation(std::string_view uri) const {
  auto it = occupation_index_.find(uri);
  return it == occupation_index_.end() ? nullptr
                                       : &release_.occupations[static_cast<size_t>(it->second)];
}

std::string Taxonomy::Label(std::string_view uri) const {
  int skill_index = SkillIndex(uri);
  if (skill_index >= 0) return skill(skill_index).label;
  if (const EscoOccupation* occupation = FindOccupation(uri)) return occupation->label;
  return std::string(uri);
}

const std::vector<RelatedSkill>& Taxonomy::Related(int skill) const {
  static const std::vector<RelatedSkill> kNone;
  if (skill < 0 || skill >= skill_count()) return kNone;
  return related_[static_cast<size_t>(skill)];
}

float Taxonomy::Credit(int have, int need) const {
  if (have < 0 || need < 0 || have >= skill_count() || need >= skill_count()) return 0.0f;
  if (have == need) return 1.0f;
  for (const RelatedSkill& r : related_[static_cast<size_t>(have)]) {
    if (r.skill == need) return r.credit;
  }
  return 0.0f;
}

const Eigen::SparseMatrix<float, Eigen::RowMajor>& Taxonomy::CreditMatrix() const {
  return credit_matrix_;
}

const EscoRelease& Taxonomy::release() const { return release_; }

absl::StatusOr<std::unique_ptr<Taxonomy>> LoadTaxonomy(const std::string& path) {
  ASSIGN_OR_RETURN(EscoRelease release, LoadEscoRelease(path));
  return std::make_unique<Taxonomy>(std::move(release));
}

std::string DefaultEscoPath() {
  const char* data_dir = std::getenv("CARVEMATCH_DATA_DIR");
  if (data_dir != nullptr && data_dir[0] != '\0') return std::string(data_dir) + "/esco";
  return std::string(CARVEMATCH_SOURCE_DIR) + "/data/esco";
}

const char* RelationKindName(RelationKind kind) {
  switch (kind) {
    case RelationKind::kSame:
      return "same skill";
    case RelationKind::kEssentialRelation:
      return "essential related skill";
    case RelationKind::kOptionalRelation:
      return "optional related skill";
    case RelationKind::kSibling:
      return "sibling skill";
    case RelationKind::kCoOccurrence:
      return "co-occurring skill";
  }
  return "related skill";
}

}  // namespace carvematch
