#include "taxonomy/taxonomy.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch {
namespace {

using ::testing::HasSubstr;

// A hand-made release whose credits can be computed by hand:
//   a -> b essential, c -> a optional (skillSkillRelations)
//   d, e, i under group "gr:deep" (depth 2): siblings; f, g under "gr:top" (depth 1): not
//   occupations: o1 {a, h}, o2 {a, h}, o3 {a}, o4 {e, f}, o5..o14 {g, h} / {h},
//                o16 {d, e}
//   m00..m24 under "gr:many" (depth 3): 24 siblings each, only 20 kept; m00 in o20,
//                m24 in o20..o31 (cosine 1 / sqrt(12), below the threshold, but it
//                ranks m24 first among m00's equal siblings)
//   z00..z60 under "gr:huge" (depth 2): 61 skills, too many to be siblings
EscoRelease HandMadeRelease() {
  EscoRelease r;
  for (const char* s : {"a", "b", "c", "d", "e", "f", "g", "h", "i"}) {
    r.skills.push_back(
        {std::string("sk:") + s, std::string("skill ") + s, "skill/competence", "cross-sector"});
  }
  for (int k = 0; k < 25; ++k) {
    std::string id = (k < 10 ? "m0" : "m") + std::to_string(k);
    r.skills.push_back({"sk:" + id, "skill " + id, "knowledge", "sector-specific"});
  }
  for (int k = 0; k <= 60; ++k) {
    std::string id = (k < 10 ? "z0" : "z") + std::to_string(k);
    r.skills.push_back({"sk:" + id, "skill " + id, "knowledge", "sector-specific"});
    r.broader.push_back({"sk:" + id, "gr:huge", 2});
  }
  r.occupations.push_back({"oc:cook", "cook", "5120"});
  r.occupations.push_back({"oc:baker", "baker", "7512"});
  r.skill_relations.push_back({"sk:a", "sk:b", true});
  r.skill_relations.push_back({"sk:c", "sk:a", false});
  r.skill_relations.push_back({"sk:a", "sk:unknown", true});  // ignored
  r.broader.push_back({"sk:d", "gr:deep", 2});
  r.broader.push_back({"sk:e", "gr:deep", 2});
  r.broader.push_back({"sk:i", "gr:deep", 2});
  r.broader.push_back({"sk:f", "gr:top", 1});
  r.broader.push_back({"sk:g", "gr:top", 1});
  for (int k = 0; k < 25; ++k) {
    r.broader.push_back(
        {"sk:" + std::string(k < 10 ? "m0" : "m") + std::to_string(k), "gr:many", 3});
  }
  auto occ = [&r](const std::string& o, const std::string& s) {
    r.occupation_skills.push_back({o, "sk:" + s, true});
  };
  occ("o1", "a");
  occ("o1", "h");
  occ("o2", "a");
  occ("o2", "h");
  occ("o3", "a");
  occ("o4", "e");
  occ("o4", "f");
  occ("o5", "g");
  for (int k = 5; k <= 14; ++k) occ("o" + std::to_string(k), "h");
  occ("o16", "d");
  occ("o16", "e");
  occ("o17", "unknown");  // ignored
  occ("o20", "m00");
  for (int k = 20; k <= 31; ++k) occ("o" + std::to_string(k), "m24");
  return r;
}

class HandMadeTaxonomyTest : public ::testing::Test {
 protected:
  HandMadeTaxonomyTest() : taxonomy_(HandMadeRelease()) {}
  int Index(const std::string& id) const { return taxonomy_.SkillIndex("sk:" + id); }
  float Credit(const std::string& have, const std::string& need) const {
    return taxonomy_.Credit(Index(have), Index(need));
  }
  RelationKind Kind(const std::string& have, const std::string& need) const {
    for (const RelatedSkill& r : taxonomy_.Related(Index(have))) {
      if (r.skill == Index(need)) return r.kind;
    }
    ADD_FAILURE() << need << " is not related to " << have;
    return RelationKind::kSame;
  }
  Taxonomy taxonomy_;
};

TEST_F(HandMadeTaxonomyTest, IndexesSkillsInUriOrder) {
  EXPECT_EQ(taxonomy_.skill_count(), 95);
  EXPECT_EQ(Index("a"), 0);
  EXPECT_EQ(Index("i"), 8);
  EXPECT_EQ(Index("m00"), 9);
  EXPECT_EQ(taxonomy_.skill(Index("c")).uri, "sk:c");
  EXPECT_EQ(taxonomy_.release().skills[static_cast<size_t>(Index("c"))].label, "skill c");
}

TEST_F(HandMadeTaxonomyTest, UnknownConcepts) {
  EXPECT_EQ(taxonomy_.SkillIndex("sk:unknown"), -1);
  EXPECT_FALSE(taxonomy_.HasSkill("sk:unknown"));
  EXPECT_TRUE(taxonomy_.HasSkill("sk:a"));
  EXPECT_TRUE(taxonomy_.HasOccupation("oc:cook"));
  EXPECT_FALSE(taxonomy_.HasOccupation("o1"));  // only in relations, not an occupation
  EXPECT_FALSE(taxonomy_.HasOccupation("sk:a"));
  EXPECT_EQ(taxonomy_.FindOccupation("nope"), nullptr);
  ASSERT_NE(taxonomy_.FindOccupation("oc:baker"), nullptr);
  EXPECT_EQ(taxonomy_.FindOccupation("oc:baker")->isco_group, "7512");
  EXPECT_EQ(taxonomy_.Label("sk:b"), "skill b");
  EXPECT_EQ(taxonomy_.Label("oc:cook"), "cook");
  EXPECT_EQ(taxonomy_.Label("sk:unknown"), "sk:unknown");
  EXPECT_TRUE(taxonomy_.Related(-1).empty());
  EXPECT_TRUE(taxonomy_.Related(taxonomy_.skill_count()).empty());
  EXPECT_EQ(taxonomy_.Credit(-1, 0), 0.0f);
  EXPECT_EQ(taxonomy_.Credit(0, -1), 0.0f);
}

TEST_F(HandMadeTaxonomyTest, SameSkillCreditsOne) {
  EXPECT_EQ(Credit("a", "a"), 1.0f);
  EXPECT_EQ(Credit("m24", "m24"), 1.0f);
}

TEST_F(HandMadeTaxonomyTest, SkillRelationsCreditBothWays) {
  EXPECT_FLOAT_EQ(Credit("a", "b"), 0.6f);
  EXPECT_FLOAT_EQ(Credit("b", "a"), 0.6f);
  EXPECT_EQ(Kind("a", "b"), RelationKind::kEssentialRelation);
  EXPECT_FLOAT_EQ(Credit("a", "c"), 0.4f);
  EXPECT_FLOAT_EQ(Credit("c", "a"), 0.4f);
  EXPECT_EQ(Kind("c", "a"), RelationKind::kOptionalRelation);
  EXPECT_EQ(Credit("b", "c"), 0.0f);
}

TEST_F(HandMadeTaxonomyTest, SiblingsUnderADeepEnoughGroup) {
  EXPECT_FLOAT_EQ(Credit("d", "i"), 0.3f);
  EXPECT_EQ(Kind("d", "i"), RelationKind::kSibling);
  // f and g share only a depth-1 group.
  EXPECT_EQ(Credit("f", "g"), 0.0f);
}

TEST_F(HandMadeTaxonomyTest, NoSiblingsInHugeGroups) {
  EXPECT_EQ(Credit("z00", "z01"), 0.0f);
  EXPECT_TRUE(taxonomy_.Related(Index("z30")).empty());
}

TEST_F(HandMadeTaxonomyTest, CoOccurrenceIsHalfTheCosineAboveThreshold) {
  // a in o1..o3, h in o1, o2, o5..o14: cosine 2 / sqrt(3 * 12).
  EXPECT_FLOAT_EQ(Credit("a", "h"), static_cast<float>(0.5 * 2 / std::sqrt(36.0)));
  EXPECT_EQ(Kind("a", "h"), RelationKind::kCoOccurrence);
  // f in o4, e in o4 and o16: cosine 1 / sqrt(1 * 2).
  EXPECT_FLOAT_EQ(Credit("f", "e"), static_cast<float>(0.5 / std::sqrt(2.0)));
  // g in o5 only, h in 12 occupations: cosine 1 / sqrt(12) < 0.3, no credit.
  EXPECT_EQ(Credit("g", "h"), 0.0f);
}

TEST_F(HandMadeTaxonomyTest, TheBestKindWins) {
  // d and e are siblings (0.3) and co-occur in o16 (cosine 1 / sqrt(1 * 2), credit 0.354).
  EXPECT_FLOAT_EQ(Credit("d", "e"), static_cast<float>(0.5 / std::sqrt(2.0)));
  EXPECT_EQ(Kind("d", "e"), RelationKind::kCoOccurrence);
}

TEST_F(HandMadeTaxonomyTest, KeepsTheTwentyBestWithTiesByCoOccurrenceThenIndex) {
  const std::vector<RelatedSkill>& related = taxonomy_.Related(Index("m00"));
  ASSERT_EQ(related.size(), static_cast<size_t>(Taxonomy::kMaxRelated));
  EXPECT_EQ(related[0].skill, Index("m24"));
  for (int k = 1; k < 20; ++k) {
    EXPECT_EQ(related[static_cast<size_t>(k)].skill, Index("m00") + k);
    EXPECT_FLOAT_EQ(related[static_cast<size_t>(k)].credit, 0.3f);
  }
  EXPECT_FLOAT_EQ(Credit("m00", "m24"), 0.3f);
  EXPECT_EQ(Kind("m00", "m24"), RelationKind::kSibling);
  EXPECT_EQ(Credit("m00", "m23"), 0.0f);
  EXPECT_FLOAT_EQ(Credit("m23", "m00"), 0.3f);
  // Related lists are sorted by credit, best first.
  const std::vector<RelatedSkill>& of_a = taxonomy_.Related(Index("a"));
  ASSERT_EQ(of_a.size(), 3u);
  EXPECT_EQ(of_a[0].skill, Index("b"));
  EXPECT_EQ(of_a[1].skill, Index("c"));
  EXPECT_EQ(of_a[2].skill, Index("h"));
}

TEST_F(HandMadeTaxonomyTest, CreditMatrixEqualsCredit) {
  const Eigen::SparseMatrix<float, Eigen::RowMajor>& c = taxonomy_.CreditMatrix();
  ASSERT_EQ(c.rows(), taxonomy_.skill_count());
  ASSERT_EQ(c.cols(), taxonomy_.skill_count());
  Eigen::MatrixXf dense = Eigen::MatrixXf(c);
  for (int have = 0; have < taxonomy_.skill_count(); ++have) {
    for (int need = 0; need < taxonomy_.skill_count(); ++need) {
      EXPECT_EQ(dense(have, need), taxonomy_.Credit(have, need)) << have << "," << need;
    }
  }
  EXPECT_EQ(dense(Index("b"), Index("b")), 1.0f);
}

TEST(TaxonomyTest, DeterministicWhateverTheRowOrder) {
  EscoRelease shuffled = HandMadeRelease();
  std::reverse(shuffled.skills.begin(), shuffled.skills.end());
  std::reverse(shuffled.occupations.begin(), shuffled.occupations.end());
  std::reverse(shuffled.occupation_skills.begin(), shuffled.occupation_skills.end());
  std::reverse(shuffled.skill_relations.begin(), shuffled.skill_relations.end());
  std::reverse(shuffled.broader.begin(), shuffled.broader.end());
  Taxonomy a(HandMadeRelease());
  Taxonomy b(std::move(shuffled));
  ASSERT_EQ(a.skill_count(), b.skill_count());
  for (int s = 0; s < a.skill_count(); ++s) {
    EXPECT_EQ(a.skill(s).uri, b.skill(s).uri);
    const std::vector<RelatedSkill>& ra = a.Related(s);
    const std::vector<RelatedSkill>& rb = b.Related(s);
    ASSERT_EQ(ra.size(), rb.size()) << a.skill(s).uri;
    for (size_t k = 0; k < ra.size(); ++k) {
      EXPECT_EQ(ra[k].skill, rb[k].skill);
      EXPECT_EQ(ra[k].credit, rb[k].credit);
      EXPECT_EQ(ra[k].kind, rb[k].kind);
    }
  }
}

TEST(TaxonomyTest, RelationKindNames) {
  EXPECT_STREQ(RelationKindName(RelationKind::kSame), "same skill");
  EXPECT_STREQ(RelationKindName(RelationKind::kCoOccurrence), "co-occurring skill");
}

TEST(TaxonomyTest, DefaultPathHonoursTheDataDirVariable) {
  ::unsetenv("CARVEMATCH_DATA_DIR");
  std::string source_default = DefaultEscoPath();
  EXPECT_THAT(source_default, HasSubstr("data/esco"));
  EXPECT_TRUE(std::filesystem::exists(source_default)) << source_default;
  ::setenv("CARVEMATCH_DATA_DIR", "/srv/carvematch-data", 1);
  EXPECT_EQ(DefaultEscoPath(), "/srv/carvematch-data/esco");
  ::unsetenv("CARVEMATCH_DATA_DIR");
}

TEST(TaxonomyTest, LoadTaxonomyReportsLoaderErrors) {
  absl::StatusOr<std::unique_ptr<Taxonomy>> taxonomy = LoadTaxonomy("data/no-such-esco");
  EXPECT_EQ(taxonomy.status().code(), absl::StatusCode::kNotFound);
}

// The shipped extract, loaded once for the tests below.
class ShippedTaxonomyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Taxonomy>> loaded = LoadTaxonomy("data/esco");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    taxonomy_ = std::move(loaded).value().release();
  }
  static void TearDownTestSuite() {
    delete taxonomy_;
    taxonomy_ = nullptr;
  }
  static const Taxonomy* taxonomy_;
};
const Taxonomy* ShippedTaxonomyTest::taxonomy_ = nullptr;

constexpr char kWorkErgonomically[] =
    "http://data.europa.eu/esco/skill/156f8c5b-894a-4ccc-a70e-37a2726f3f00";
constexpr char kOwnSafety[] =
    "http://data.europa.eu/esco/skill/b73035a9-bf06-412c-9796-db579f85995c";

TEST_F(ShippedTaxonomyTest, CountsAndLabels) {
  ASSERT_NE(taxonomy_, nullptr);
  EXPECT_EQ(taxonomy_->skill_count(), 13896);
  EXPECT_EQ(taxonomy_->release().occupations.size(), 3007u);
  EXPECT_EQ(taxonomy_->Label(kWorkErgonomically), "work ergonomically");
  EXPECT_EQ(taxonomy_->Label(kOwnSafety), "work with respect for own safety");
  EXPECT_TRUE(taxonomy_->HasOccupation(
      "http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"));
  EXPECT_FALSE(taxonomy_->HasSkill("http://data.europa.eu/esco/skill/not-a-skill"));
  EXPECT_EQ(taxonomy_->SkillIndex("http://data.europa.eu/esco/skill/not-a-skill"), -1);
}

TEST_F(ShippedTaxonomyTest, EssentialSkillRelationCreditsBothWays) {
  ASSERT_NE(taxonomy_, nullptr);
  int ergonomics = taxonomy_->SkillIndex(kWorkErgonomically);
  int safety = taxonomy_->SkillIndex(kOwnSafety);
  ASSERT_GE(ergonomics, 0);
  ASSERT_GE(safety, 0);
  EXPECT_FLOAT_EQ(taxonomy_->Credit(ergonomics, safety), 0.6f);
  EXPECT_FLOAT_EQ(taxonomy_->Credit(safety, ergonomics), 0.6f);
  EXPECT_FLOAT_EQ(taxonomy_->CreditMatrix().coeff(ergonomics, safety), 0.6f);
}

TEST_F(ShippedTaxonomyTest, RelatedListsAreBoundedSortedAndInRange) {
  ASSERT_NE(taxonomy_, nullptr);
  size_t with_related = 0;
  for (int s = 0; s < taxonomy_->skill_count(); ++s) {
    const std::vector<RelatedSkill>& related = taxonomy_->Related(s);
    ASSERT_LE(related.size(), static_cast<size_t>(Taxonomy::kMaxRelated));
    with_related += !related.empty();
    for (size_t k = 0; k < related.size(); ++k) {
      ASSERT_NE(related[k].skill, s);
      ASSERT_GT(related[k].credit, 0.0f);
      ASSERT_LT(related[k].credit, 1.0f);
      if (k > 0) {
        ASSERT_GE(related[k - 1].credit, related[k].credit);
      }
    }
  }
  // Nearly every skill appears in some occupation or group.
  EXPECT_GT(with_related, 13000u);
  EXPECT_EQ(taxonomy_->CreditMatrix().rows(), 13896);
}

TEST_F(ShippedTaxonomyTest, RebuildingGivesTheSameCredits) {
  ASSERT_NE(taxonomy_, nullptr);
  Taxonomy again(taxonomy_->release());
  const Eigen::SparseMatrix<float, Eigen::RowMajor>& a = taxonomy_->CreditMatrix();
  const Eigen::SparseMatrix<float, Eigen::RowMajor>& b = again.CreditMatrix();
  ASSERT_EQ(a.nonZeros(), b.nonZeros());
  EXPECT_EQ((a - b).norm(), 0.0f);
  for (int s = 0; s < taxonomy_->skill_count(); s += 97) {
    ASSERT_EQ(taxonomy_->Related(s).size(), again.Related(s).size());
    for (size_t k = 0; k < again.Related(s).size(); ++k) {
      EXPECT_EQ(taxonomy_->Related(s)[k].skill, again.Related(s)[k].skill);
      EXPECT_EQ(taxonomy_->Related(s)[k].kind, again.Related(s)[k].kind);
    }
  }
}

}  // namespace
}  // namespace carvematch
