#include "matcher/taxonomy_credit.h"

#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/matcher.h"
#include "mobility/travel.h"

namespace carvematch {
namespace {

using ::testing::HasSubstr;

constexpr char kMakeBeds[] =
    "http://data.europa.eu/esco/skill/e0c6fdd1-336a-4e2f-91d1-ab4a2f9c385d";
constexpr char kWashLaundry[] =
    "http://data.europa.eu/esco/skill/04838ae5-a737-48a0-a782-3d1b6b6cb75b";
constexpr char kCleanRooms[] =
    "http://data.europa.eu/esco/skill/7bb01a18-4637-4535-ba18-258f48f705b8";

// Loads the shipped ESCO extract once for the whole suite (about half a second).
class TaxonomyCreditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<Taxonomy>> loaded = LoadTaxonomy(DefaultEscoPath());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    taxonomy_ = loaded->release();
  }
  static void TearDownTestSuite() {
    delete taxonomy_;
    taxonomy_ = nullptr;
  }
  static Taxonomy* taxonomy_;
};
Taxonomy* TaxonomyCreditTest::taxonomy_ = nullptr;

TEST_F(TaxonomyCreditTest, MirrorsTheTaxonomy) {
  ASSERT_NE(taxonomy_, nullptr);
  TaxonomyCredit credit(*taxonomy_);
  const int beds = credit.Index(kMakeBeds);
  ASSERT_GE(beds, 0);
  EXPECT_EQ(beds, taxonomy_->SkillIndex(kMakeBeds));
  EXPECT_EQ(credit.Index("http://data.europa.eu/esco/skill/no-such-skill"), -1);
  EXPECT_EQ(credit.Label(kMakeBeds), "make the beds");
  const std::vector<RelatedSkill>& expected = taxonomy_->Related(beds);
  const std::vector<CreditEdge>& edges = credit.Related(beds);
  ASSERT_EQ(edges.size(), expected.size());
  ASSERT_FALSE(edges.empty());
  for (size_t i = 0; i < edges.size(); ++i) {
    EXPECT_EQ(edges[i].need, expected[i].skill);
    EXPECT_FLOAT_EQ(edges[i].credit, expected[i].credit);
    EXPECT_EQ(edges[i].relation, RelationKindName(expected[i].kind));
  }
  EXPECT_TRUE(credit.Related(-1).empty());
  EXPECT_TRUE(credit.Related(taxonomy_->skill_count()).empty());
}

TEST_F(TaxonomyCreditTest, CareExperienceCreditsARelatedHousekeepingSkill) {
  ASSERT_NE(taxonomy_, nullptr);
  TaxonomyCredit credit(*taxonomy_);
  const float expected =
      taxonomy_->Credit(taxonomy_->SkillIndex(kMakeBeds), taxonomy_->SkillIndex(kWashLaundry));
  ASSERT_GT(expected, 0.0f);
  ASSERT_LT(expected, 1.0f);

  TravelModel travel;
  Matcher matcher(credit, travel);
  Employer employer;
  employer.id = "e-1";
  employer.sector = "Q87";
  employer.sites = {{"s-1", "woonzorgcentrum", {{51.0357, 3.7108}, "Gent", "9000"}}};
  Vacancy v;
  v.id = "v-1";
  v.site_id = "s-1";
  v.hours_per_week = 19;
  v.shifts = {{Weekday::kMonday, 9 * 60, 13 * 60}};
  Task t;
  t.description = "laundry and rooms";
  t.skills = {{kWashLaundry, 2, true}, {kCleanRooms, 1, false}};
  v.tasks = {t};
  Participant p;
  p.id = "p-1";
  p.home = {{51.0545, 3.7213}, "Gent", "9000"};  // about 2 km away
  p.transport_modes = {TransportMode::kBike};
  p.skills = {{kMakeBeds, 2, EvidenceSource::kCare, "cares for her mother"}};

  absl::StatusOr<MatchResult> r = matcher.Explain(p, {&v, &employer, nullptr});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->coverage_essential, expected, 1e-6);
  EXPECT_EQ(r->tier, Tier::kFits);
  EXPECT_EQ(r->commute_mode, TransportMode::kBike);
  ASSERT_EQ(r->credits.size(), 2u);
  const SkillCreditNote& laundry =
      r->credits[0].need_uri == kWashLaundry ? r->credits[0] : r->credits[1];
  EXPECT_EQ(laundry.have_uri, kMakeBeds);
  EXPECT_EQ(laundry.source, EvidenceSource::kCare);
  EXPECT_THAT(laundry.message,
              HasSubstr("care for family: 'make the beds' credits 'wash the laundry' 0."));
}

}  // namespace
}  // namespace carvematch
