// ESCO (European Skills, Competences, Qualifications and Occupations, European
// Commission) as plain records, and the loader for its CSV releases.
//
// The loader reads an official CSV release as published (the classification zip and
// the relations zip, or the folder they unpack to, or a folder holding both zips) and
// the trimmed extract the project ships in data/esco/ (same file and column names,
// fewer columns). Columns are found by header name, so a newer release with added
// columns loads too.
//
// Example usage:
//   ASSIGN_OR_RETURN(EscoRelease release, LoadEscoRelease("../shared/data/esco"));
//   Taxonomy taxonomy(std::move(release));
#ifndef CARVEMATCH_TAXONOMY_ESCO_H_
#define CARVEMATCH_TAXONOMY_ESCO_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace carvematch {

struct EscoSkill {
  std::string uri;         // "http://data.europa.eu/esco/skill/..."
  std::string label;       // preferred English label
  std::string skill_type;  // "skill/competence" or "knowledge" ("" for a few)
  // "transversal", "cross-sector", "sector-specific" or "occupation-specific" ("" for a few)
  std::string reuse_level;
};

struct EscoOccupation {
  std::string uri;  // "http://data.europa.eu/esco/occupation/..."
  std::string label;
  std::string isco_group;  // four-digit ISCO-08 code
};

// An occupation's essential or optional skill (occupationSkillRelations.csv).
struct EscoOccupationSkill {
  std::string occupation_uri;
  std::string skill_uri;
  bool essential = true;
};

// A skill-to-skill relation (skillSkillRelations.csv): `to` is essential or optional
// for `from`.
struct EscoSkillRelation {
  std::string from_uri;
  std::string to_uri;
  bool essential = true;
};

// A hierarchy edge of the skills pillar (broaderRelationsSkillPillar.csv); only edges
// whose narrower concept is a skill are kept (not the skill groups themselves).
struct EscoBroader {
  std::string narrower_uri;
  std::string broader_uri;
  // Depth of the broader concept in the skills-pillar hierarchy, from all edges of the
  // file (group-to-group ones included): 0 for a root ("skills", "knowledge",
  // "transversal skills and competences", "language skills and knowledge"), 1 for their
  // children ("communication, collaboration and creativity", ...), and so on.
  int broader_level = 0;
};

struct EscoRelease {
  std::string version;  // "v1.1.1" when it can be told from the file names, else ""
  std::vector<EscoSkill> skills;
  std::vector<EscoOccupation> occupations;
  std::vector<EscoOccupationSkill> occupation_skills;
  std::vector<EscoSkillRelation> skill_relations;
  std::vector<EscoBroader> broader;
};

// Loads a release from a zip file, a folder of zips, or a folder of CSV files.
// Errors name the file, line and column (InvalidArgument for malformed content,
// NotFound for a missing file).
absl::StatusOr<EscoRelease> LoadEscoRelease(const std::string& path);

}  // namespace carvematch

#endif  // CARVEMATCH_TAXONOMY_ESCO_H_
