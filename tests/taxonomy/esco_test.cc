#include "taxonomy/esco.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

constexpr char kExtract[] = "data/esco";
constexpr char kExtractZip[] = "data/esco/esco-v1.1.1-extract.zip";

// The official release lives outside the repository; tests that need it skip without it.
std::string OfficialReleasePath() {
  const char* env = std::getenv("CARVEMATCH_ESCO_OFFICIAL_DIR");
  return env != nullptr ? env : "../shared/data/esco";
}

bool HasOfficialRelease() {
  return fs::exists(fs::path(OfficialReleasePath()) / "esco-v1.1.1-relations-csv.zip");
}

// A folder of small CSV files in the official layout; tests overwrite single files.
class CsvFolder {
 public:
  explicit CsvFolder(const std::string& name) : dir_(::testing::TempDir() + name) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Write("skills_en.csv",
          "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels\n"
          "KnowledgeSkillCompetence,sk:bake,skill/competence,sector-specific,bake bread,"
          "\"bake loaves\nmake bread\"\n"
          "KnowledgeSkillCompetence,sk:dough,skill/competence,sector-specific,\"knead, shape "
          "dough\",\n");
    Write("occupations_en.csv",
          "conceptType,conceptUri,iscoGroup,preferredLabel\n"
          "Occupation,oc:baker,7512,baker\n");
    Write("occupationSkillRelations.csv",
          "occupationUri,relationType,skillType,skillUri\n"
          "oc:baker,essential,skill/competence,sk:bake\n"
          "oc:baker,optional,skill/competence,sk:dough\n");
    Write("skillSkillRelations.csv",
          "originalSkillUri,originalSkillType,relationType,relatedSkillType,relatedSkillUri\n"
          "sk:bake,skill/competence,essential,skill/competence,sk:dough\n");
    Write("broaderRelationsSkillPillar.csv",
          "conceptType,conceptUri,broaderType,broaderUri\n"
          "SkillGroup,gr:food,SkillGroup,gr:root\n"
          "SkillGroup,gr:baking,SkillGroup,gr:food\n"
          "KnowledgeSkillCompetence,sk:bake,SkillGroup,gr:baking\n"
          "KnowledgeSkillCompetence,sk:dough,KnowledgeSkillCompetence,sk:bake\n");
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
  }
  void Remove(const std::string& name) { fs::remove(dir_ + "/" + name); }
  const std::string& path() const { return dir_; }

 private:
  std::string dir_;
};

TEST(EscoLoaderTest, LoadsAFolderOfCsvFiles) {
  CsvFolder folder("esco-csv-ok");
  absl::StatusOr<EscoRelease> release = LoadEscoRelease(folder.path());
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(release->version, "");
  ASSERT_EQ(release->skills.size(), 2u);
  EXPECT_EQ(release->skills[0].uri, "sk:bake");
  EXPECT_EQ(release->skills[0].label, "bake bread");
  EXPECT_EQ(release->skills[0].skill_type, "skill/competence");
  EXPECT_EQ(release->skills[0].reuse_level, "sector-specific");
  EXPECT_EQ(release->skills[1].label, "knead, shape dough");
  ASSERT_EQ(release->occupations.size(), 1u);
  EXPECT_EQ(release->occupations[0].isco_group, "7512");
  EXPECT_EQ(release->occupations[0].label, "baker");
  ASSERT_EQ(release->occupation_skills.size(), 2u);
  EXPECT_TRUE(release->occupation_skills[0].essential);
  EXPECT_FALSE(release->occupation_skills[1].essential);
  EXPECT_EQ(release->occupation_skills[1].skill_uri, "sk:dough");
  ASSERT_EQ(release->skill_relations.size(), 1u);
  EXPECT_EQ(release->skill_relations[0].from_uri, "sk:bake");
  EXPECT_EQ(release->skill_relations[0].to_uri, "sk:dough");
  EXPECT_TRUE(release->skill_relations[0].essential);
  // Only the edges whose narrower concept is a skill, with the broader concept's depth.
  ASSERT_EQ(release->broader.size(), 2u);
  EXPECT_EQ(release->broader[0].narrower_uri, "sk:bake");
  EXPECT_EQ(release->broader[0].broader_uri, "gr:baking");
  EXPECT_EQ(release->broader[0].broader_level, 2);
  EXPECT_EQ(release->broader[1].broader_uri, "sk:bake");
  EXPECT_EQ(release->broader[1].broader_level, 3);
}

TEST(EscoLoaderTest, MissingPathIsNotFound) {
  absl::StatusOr<EscoRelease> release = LoadEscoRelease("data/no-such-esco");
  EXPECT_EQ(release.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("data/no-such-esco"));
}

TEST(EscoLoaderTest, MissingCsvIsNotFoundNamingTheFile) {
  CsvFolder folder("esco-csv-missing");
  folder.Remove("skillSkillRelations.csv");
  absl::StatusOr<EscoRelease> release = LoadEscoRelease(folder.path());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("skillSkillRelations.csv"));
}

TEST(EscoLoaderTest, MissingColumnIsInvalidArgumentNamingFileAndColumn) {
  CsvFolder folder("esco-csv-column");
  folder.Write("occupations_en.csv", "conceptUri,preferredLabel\noc:baker,baker\n");
  absl::StatusOr<EscoRelease> release = LoadEscoRelease(folder.path());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("occupations_en.csv"));
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("iscoGroup"));
}

TEST(EscoLoaderTest, BadRelationTypeNamesFileLineAndColumn) {
  CsvFolder folder("esco-csv-relation");
  folder.Write("occupationSkillRelations.csv",
               "occupationUri,relationType,skillType,skillUri\n"
               "oc:baker,essential,skill/competence,sk:bake\n"
               "oc:baker,sometimes,skill/competence,sk:dough\n");
  absl::StatusOr<EscoRelease> release = LoadEscoRelease(folder.path());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kInvalidArgument);
  std::string message(release.status().message());
  EXPECT_THAT(message, HasSubstr("occupationSkillRelations.csv:3:"));
  EXPECT_THAT(message, HasSubstr("relationType"));
  EXPECT_THAT(message, HasSubstr("sometimes"));
}

TEST(EscoLoaderTest, EmptyUriAndDuplicateSkillAreInvalidArgument) {
  CsvFolder folder("esco-csv-empty");
  folder.Write("skills_en.csv",
               "conceptUri,skillType,reuseLevel,preferredLabel\n"
               "sk:bake,skill/competence,sector-specific,bake bread\n"
               ",knowledge,cross-sector,nameless\n");
  absl::StatusOr<EscoRelease> release = LoadEscoRelease(folder.path());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("skills_en.csv:3:"));
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("conceptUri"));

  folder.Write("skills_en.csv",
               "conceptUri,skillType,reuseLevel,preferredLabel\n"
               "sk:bake,skill/competence,sector-specific,bake bread\n"
               "sk:bake,skill/competence,sector-specific,bake bread again\n");
  release = LoadEscoRelease(folder.path());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("duplicate"));
}

TEST(EscoLoaderTest, MalformedCsvNamesFileAndLine) {
  CsvFolder folder("esco-csv-malformed");
  folder.Write("skillSkillRelations.csv",
               "originalSkillUri,relationType,relatedSkillUri\n"
               "sk:bake,essential,\"sk:dough\n");
  absl::StatusOr<EscoRelease> release = LoadEscoRelease(folder.path());
  EXPECT_EQ(release.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("skillSkillRelations.csv:2:"));
}

// Counts of the official ESCO v1.1.1 release (observed; every row is kept in the extract).
constexpr size_t kSkills = 13896;
constexpr size_t kOccupations = 3007;
constexpr size_t kOccupationSkills = 123855;
constexpr size_t kSkillRelations = 5899;
constexpr size_t kSkillBroaderEdges = 20013;

void ExpectOfficialCounts(const EscoRelease& release) {
  EXPECT_EQ(release.version, "v1.1.1");
  EXPECT_EQ(release.skills.size(), kSkills);
  EXPECT_EQ(release.occupations.size(), kOccupations);
  EXPECT_EQ(release.occupation_skills.size(), kOccupationSkills);
  EXPECT_EQ(release.skill_relations.size(), kSkillRelations);
  EXPECT_EQ(release.broader.size(), kSkillBroaderEdges);
}

TEST(EscoLoaderTest, LoadsTheShippedExtractFolderAndZip) {
  for (const char* path : {kExtract, kExtractZip}) {
    SCOPED_TRACE(path);
    absl::StatusOr<EscoRelease> release = LoadEscoRelease(path);
    ASSERT_TRUE(release.ok()) << release.status();
    ExpectOfficialCounts(*release);
    size_t essential = 0;
    for (const EscoOccupationSkill& r : release->occupation_skills) essential += r.essential;
    EXPECT_EQ(essential, 64946u);
  }
}

TEST(EscoLoaderTest, ExtractEqualsTheOfficialRelease) {
  if (!HasOfficialRelease()) GTEST_SKIP() << "no official release at " << OfficialReleasePath();
  absl::StatusOr<EscoRelease> official = LoadEscoRelease(OfficialReleasePath());
  ASSERT_TRUE(official.ok()) << official.status();
  ExpectOfficialCounts(*official);
  absl::StatusOr<EscoRelease> extract = LoadEscoRelease(kExtract);
  ASSERT_TRUE(extract.ok()) << extract.status();
  ASSERT_EQ(extract->skills.size(), official->skills.size());
  for (size_t i = 0; i < official->skills.size(); ++i) {
    const EscoSkill& a = official->skills[i];
    const EscoSkill& b = extract->skills[i];
    ASSERT_TRUE(a.uri == b.uri && a.label == b.label && a.skill_type == b.skill_type &&
                a.reuse_level == b.reuse_level)
        << "skill row " << i << ": " << a.uri;
  }
  ASSERT_EQ(extract->occupations.size(), official->occupations.size());
  for (size_t i = 0; i < official->occupations.size(); ++i) {
    const EscoOccupation& a = official->occupations[i];
    const EscoOccupation& b = extract->occupations[i];
    ASSERT_TRUE(a.uri == b.uri && a.label == b.label && a.isco_group == b.isco_group)
        << "occupation row " << i << ": " << a.uri;
  }
  ASSERT_EQ(extract->occupation_skills.size(), official->occupation_skills.size());
  for (size_t i = 0; i < official->occupation_skills.size(); ++i) {
    const EscoOccupationSkill& a = official->occupation_skills[i];
    const EscoOccupationSkill& b = extract->occupation_skills[i];
    ASSERT_TRUE(a.occupation_uri == b.occupation_uri && a.skill_uri == b.skill_uri &&
                a.essential == b.essential)
        << "occupation skill row " << i;
  }
  ASSERT_EQ(extract->skill_relations.size(), official->skill_relations.size());
  for (size_t i = 0; i < official->skill_relations.size(); ++i) {
    const EscoSkillRelation& a = official->skill_relations[i];
    const EscoSkillRelation& b = extract->skill_relations[i];
    ASSERT_TRUE(a.from_uri == b.from_uri && a.to_uri == b.to_uri && a.essential == b.essential)
        << "skill relation row " << i;
  }
  ASSERT_EQ(extract->broader.size(), official->broader.size());
  for (size_t i = 0; i < official->broader.size(); ++i) {
    const EscoBroader& a = official->broader[i];
    const EscoBroader& b = extract->broader[i];
    ASSERT_TRUE(a.narrower_uri == b.narrower_uri && a.broader_uri == b.broader_uri &&
                a.broader_level == b.broader_level)
        << "broader row " << i;
  }
}

TEST(EscoLoaderTest, LoadsTheOfficialClassificationZipAloneAsNotFoundForRelations) {
  if (!HasOfficialRelease()) GTEST_SKIP() << "no official release at " << OfficialReleasePath();
  absl::StatusOr<EscoRelease> release =
      LoadEscoRelease(OfficialReleasePath() + "/esco-v1.1.1-classification-en-csv.zip");
  EXPECT_EQ(release.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(release.status().message()), HasSubstr("occupationSkillRelations.csv"));
}

}  // namespace
}  // namespace carvematch
