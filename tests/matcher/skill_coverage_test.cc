#include "matcher/skill_coverage.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matcher/fakes.h"

namespace carvematch {
namespace {

TEST(LevelFactorTest, LowerLevelsGivePartialCredit) {
  EXPECT_FLOAT_EQ(LevelFactor(2, 2), 1.0f);
  EXPECT_FLOAT_EQ(LevelFactor(4, 2), 1.0f);
  EXPECT_FLOAT_EQ(LevelFactor(1, 2), 0.5f);
  EXPECT_FLOAT_EQ(LevelFactor(0, 1), 0.5f);  // level 0 counts as half of level 1
  EXPECT_FLOAT_EQ(LevelFactor(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(LevelFactor(0, 2), 0.25f);
}

TEST(VacancyRequirementsTest, UnionOverTasksWithMaxLevelAndAnyEssential) {
  Vacancy v;
  Task a, b;
  a.skills = {{"s/x", 1, false}, {"s/y", 3, true}};
  b.skills = {{"s/x", 2, true}, {"s/y", 1, false}, {"s/a", 0, false}};
  v.tasks = {a, b};
  std::vector<Requirement> reqs = VacancyRequirements(v);
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].skill_uri, "s/a");
  EXPECT_FALSE(reqs[0].essential);
  EXPECT_EQ(reqs[1].skill_uri, "s/x");
  EXPECT_EQ(reqs[1].level, 2);
  EXPECT_TRUE(reqs[1].essential);
  EXPECT_EQ(reqs[2].skill_uri, "s/y");
  EXPECT_EQ(reqs[2].level, 3);
  EXPECT_TRUE(reqs[2].essential);
}

class CoverageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    credit_.AddSkill("s/cook", "cook");
    credit_.AddSkill("s/meals", "prepare meals");
    credit_.AddSkill("s/clean", "clean");
    credit_.Relate("s/cook", "s/meals", 0.6f);
    credit_.Relate("s/clean", "s/meals", 0.2f);
  }
  static Vacancy WithSkills(std::vector<SkillRequirement> skills) {
    Vacancy v;
    Task t;
    t.skills = std::move(skills);
    v.tasks = {t};
    return v;
  }
  FakeSkillCredit credit_;
};

TEST_F(CoverageTest, OneParticipantManyVacancies) {
  Vacancy v1 = WithSkills({{"s/meals", 2, true}, {"s/clean", 1, false}});
  Vacancy v2 = WithSkills({{"s/meals", 1, true}, {"s/unknown", 1, true}});
  Vacancy v3 = WithSkills({});
  NeedSpace space(credit_);
  RequirementMatrix reqs = BuildRequirementMatrix({&v1, &v2, &v3}, &space);
  // Columns: (clean,1), (meals,2) for v1, then (meals,1), (unknown,1) for v2.
  EXPECT_EQ(space.size(), 4);
  EXPECT_EQ(reqs.essential.rows(), 3);
  EXPECT_EQ(reqs.essential.cols(), 4);
  EXPECT_EQ(reqs.essential.nonZeros(), 3);
  EXPECT_EQ(reqs.optional.nonZeros(), 1);

  Participant p;
  p.skills = {{"s/cook", 1, EvidenceSource::kCare, ""}, {"s/clean", 2, EvidenceSource::kWork, ""}};
  BestCredit best = ComputeBestCredit(p, space, credit_);
  Coverage cov = CoverageOfVacancies(reqs, best.amount);
  // v1: meals level 2 from cook level 1: 0.6 x 0.5 = 0.3 (clean's 0.2 is less); clean 1.
  EXPECT_NEAR(cov.essential(0), 0.3f, 1e-6);
  EXPECT_NEAR(cov.optional(0), 1.0f, 1e-6);
  // v2: meals level 1 from cook: 0.6; unknown: 0; mean 0.3. No optional: 1.
  EXPECT_NEAR(cov.essential(1), 0.3f, 1e-6);
  EXPECT_NEAR(cov.optional(1), 1.0f, 1e-6);
  // v3 has no requirements at all.
  EXPECT_NEAR(cov.essential(2), 1.0f, 1e-6);
  const int meals2 = reqs.columns[0][1];
  EXPECT_EQ(space.uri(meals2), "s/meals");
  EXPECT_EQ(best.claim[static_cast<size_t>(meals2)], 0);
  EXPECT_FLOAT_EQ(best.level_factor[static_cast<size_t>(meals2)], 0.5f);
}

TEST_F(CoverageTest, ColumnsByUriAndByDenseIndex) {
  NeedSpace space(credit_);
  const int meals2 = space.Add("s/meals", 2);
  const int meals3 = space.Add("s/meals", 3);
  const int unknown = space.Add("s/not-in-the-credit", 1);
  EXPECT_EQ(space.Add("s/meals", 2), meals2);  // the same column again
  EXPECT_EQ(space.ColumnsOfUri("s/meals"), (std::vector<int>{meals2, meals3}));
  EXPECT_EQ(space.ColumnsOfIndex(credit_.Index("s/meals")), (std::vector<int>{meals2, meals3}));
  EXPECT_EQ(space.ColumnsOfUri("s/not-in-the-credit"), (std::vector<int>{unknown}));
  EXPECT_TRUE(space.ColumnsOfIndex(credit_.Index("s/cook")).empty());  // not needed
  EXPECT_TRUE(space.ColumnsOfIndex(-1).empty());
  EXPECT_TRUE(space.ColumnsOfIndex(1000000).empty());
}

TEST_F(CoverageTest, ManyParticipantsOneVacancyMatchesThePerParticipantPath) {
  Vacancy v = WithSkills({{"s/meals", 2, true}, {"s/clean", 1, true}, {"s/cook", 3, false}});
  NeedSpace space(credit_);
  RequirementMatrix reqs = BuildRequirementMatrix({&v}, &space);
  std::vector<Participant> people(3);
  people[0].skills = {{"s/meals", 2, EvidenceSource::kWork, ""}};
  people[1].skills = {{"s/cook", 3, EvidenceSource::kHobby, ""}, {"s/clean", 0, {}, ""}};
  people[2].skills = {};
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows(3, space.size());
  for (int j = 0; j < 3; ++j) {
    rows.row(j) =
        ComputeBestCredit(people[static_cast<size_t>(j)], space, credit_).amount.transpose();
  }
  Coverage many = CoverageOfParticipants(reqs, 0, rows);
  ASSERT_EQ(many.essential.size(), 3);
  for (int j = 0; j < 3; ++j) {
    Coverage one = CoverageOfVacancies(
        reqs, ComputeBestCredit(people[static_cast<size_t>(j)], space, credit_).amount);
    EXPECT_FLOAT_EQ(many.essential(j), one.essential(0)) << j;
    EXPECT_FLOAT_EQ(many.optional(j), one.optional(0)) << j;
  }
  EXPECT_NEAR(many.essential(0), 0.5f, 1e-6);               // meals 1, clean 0
  EXPECT_NEAR(many.essential(1), (0.6f + 0.5f) / 2, 1e-6);  // cook credits meals; clean at 0
  EXPECT_NEAR(many.optional(1), 1.0f, 1e-6);
  EXPECT_NEAR(many.essential(2), 0.0f, 1e-6);
}

}  // namespace
}  // namespace carvematch
