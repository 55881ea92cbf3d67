#include "taxonomy/esco.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "archive/zip.h"
#include "model/status.h"
#include "taxonomy/csv.h"

namespace carvematch {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSkillsFile = "skills_en.csv";
constexpr std::string_view kOccupationsFile = "occupations_en.csv";
constexpr std::string_view kOccupationSkillsFile = "occupationSkillRelations.csv";
constexpr std::string_view kSkillRelationsFile = "skillSkillRelations.csv";
constexpr std::string_view kBroaderFile = "broaderRelationsSkillPillar.csv";
constexpr std::string_view kSkillConceptType = "KnowledgeSkillCompetence";

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "v1.1.1" from a name like "esco-v1.1.1-extract.zip", or "".
std::string VersionFromName(std::string_view name) {
  for (size_t i = 0; i + 1 < name.size(); ++i) {
    bool boundary = i == 0 || name[i - 1] == '-' || name[i - 1] == '_';
    if (!boundary || name[i] != 'v' || name[i + 1] < '0' || name[i + 1] > '9') continue;
    size_t end = i + 1;
    while (end < name.size() && ((name[end] >= '0' && name[end] <= '9') || name[end] == '.')) {
      ++end;
    }
    while (name[end - 1] == '.') --end;
    return std::string(name.substr(i, end - i));
  }
  return "";
}

// One CSV file of the release, wherever it came from.
struct CsvSource {
  std::string display_name;  // "dir/skills_en.csv" or "dir/x.zip/skills_en.csv"
  std::string text;
};

// The CSV files a release path offers: plain files and entries of zip archives, found
// by base name.
class ReleaseFiles {
 public:
  static absl::StatusOr<ReleaseFiles> Open(const std::string& path) {
    ReleaseFiles files;
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file or folder"));
    }
    std::vector<fs::path> zip_paths;
    if (fs::is_directory(status)) {
      std::vector<fs::path> children;
      for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file()) children.push_back(entry.path());
      }
      if (ec)
        return absl::NotFoundError(absl::StrCat(path, ": cannot list folder: ", ec.message()));
      std::sort(children.begin(), children.end());
      for (const fs::path& child : children) {
        std::string name = child.filename().string();
        if (EndsWith(name, ".zip")) {
          zip_paths.push_back(child);
        } else if (EndsWith(name, ".csv")) {
          files.csv_paths_.push_back(child);
        }
      }
      files.version_ = VersionFromName(fs::path(path).lexically_normal().filename().string());
      if (files.version_.empty()) {
        files.version_ =
            VersionFromName(fs::path(path).lexically_normal().parent_path().filename().string());
      }
    } else {
      zip_paths.push_back(fs::path(path));
    }
    for (const fs::path& zip_path : zip_paths) {
      ASSIGN_OR_RETURN(ZipReader zip, ZipReader::Open(zip_path.string()));
      if (files.version_.empty()) files.version_ = VersionFromName(zip_path.filename().string());
      files.zips_.push_back(std::move(zip));
    }
    files.path_ = path;
    return files;
  }

  const std::string& version() const { return version_; }

  // The CSV with this base name: a plain file first, then the first zip holding it.
  absl::StatusOr<CsvSource> Get(std::string_view base_name) const {
    for (const fs::path& csv_path : csv_paths_) {
      if (csv_path.filename().string() != base_name) continue;
      std::string display = csv_path.string();
      std::error_code ec;
      uintmax_t size = fs::file_size(csv_path, ec);
      std::FILE* f = ec ? nullptr : std::fopen(display.c_str(), "rb");
      if (f == nullptr) return absl::NotFoundError(absl::StrCat(display, ": cannot open"));
      std::string text(static_cast<size_t>(size), '\0');
      size_t read = std::fread(text.data(), 1, text.size(), f);
      std::fclose(f);
      if (read != text.size()) return absl::NotFoundError(absl::StrCat(display, ": cannot read"));
      return CsvSource{std::move(display), std::move(text)};
    }
    for (const ZipReader& zip : zips_) {
      const ZipEntry* entry = zip.FindByBaseName(AbslView(base_name));
      if (entry == nullptr) continue;
      ASSIGN_OR_RETURN(std::string text, zip.Read(*entry));
      return CsvSource{absl::StrCat(zip.path(), "/", entry->name), std::move(text)};
    }
    return absl::NotFoundError(absl::StrCat(path_, ": no ", AbslView(base_name), " (looked in ",
                                            csv_paths_.size(), " CSV files and ", zips_.size(),
                                            " zip archives)"));
  }

 private:
  std::string path_;
  std::string version_;
  std::vector<fs::path> csv_paths_;
  std::vector<ZipReader> zips_;
};

// Reads the records of one CSV file, resolving the needed columns by header name.
class Table {
 public:
  static absl::StatusOr<Table> Open(const CsvSource& source,
                                    const std::vector<std::string_view>& columns) {
    Table table(source);
    RETURN_IF_ERROR(table.reader_.ReadHeader());
    for (std::string_view column : columns) {
      ASSIGN_OR_RETURN(int index, table.reader_.RequireColumn(column));
      table.columns_.push_back(index);
      table.names_.push_back(column);
    }
    return table;
  }

  absl::StatusOr<bool> Next() { return reader_.Next(); }
  // Field `i` of the requested columns.
  const std::string& Get(size_t i) const { return reader_.field(columns_[i]); }
  // Field `i`, InvalidArgument naming file, line and column when empty.
  absl::StatusOr<std::string> NonEmpty(size_t i) const {
    const std::string& value = Get(i);
    if (value.empty()) return Error(i, "empty value");
    return value;
  }
  absl::Status Error(size_t i, std::string_view message) const {
    return reader_.RecordError(
        absl::StrCat("column ", AbslView(names_[i]), ": ", AbslView(message)));
  }
  // "essential" -> true, "optional" -> false, anything else an error.
  absl::StatusOr<bool> Essential(size_t i) const {
    const std::string& value = Get(i);
    if (value == "essential") return true;
    if (value == "optional") return false;
    return Error(
        i, absl::StrCat("relation type \"", value, "\" is neither \"essential\" nor \"optional\""));
  }

 private:
  explicit Table(const CsvSource& source) : reader_(source.text, source.display_name) {}

  CsvReader reader_;
  std::vector<int> columns_;
  std::vector<std::string_view> names_;
};

absl::Status LoadSkills(const ReleaseFiles& files, EscoRelease& release) {
  ASSIGN_OR_RETURN(CsvSource source, files.Get(kSkillsFile));
  ASSIGN_OR_RETURN(Table table, Table::Open(source, {"conceptUri", "preferredLabel", "skillType",
                                                     "reuseLevel"}));
  std::unordered_set<std::string> seen;
  while (true) {
    ASSIGN_OR_RETURN(bool more, table.Next());
    if (!more) break;
    EscoSkill skill;
    ASSIGN_OR_RETURN(skill.uri, table.NonEmpty(0));
    if (!seen.insert(skill.uri).second) return table.Error(0, "duplicate skill " + skill.uri);
    ASSIGN_OR_RETURN(skill.label, table.NonEmpty(1));
    skill.skill_type = table.Get(2);
    skill.reuse_level = table.Get(3);
    release.skills.push_back(std::move(skill));
  }
  return absl::OkStatus();
}

absl::Status LoadOccupations(const ReleaseFiles& files, EscoRelease& release) {
  ASSIGN_OR_RETURN(CsvSource source, files.Get(kOccupationsFile));
  ASSIGN_OR_RETURN(Table table, Table::Open(source, {"conceptUri", "preferredLabel", "iscoGroup"}));
  std::unordered_set<std::string> seen;
  while (true) {
    ASSIGN_OR_RETURN(bool more, table.Next());
    if (!more) break;
    EscoOccupation occupation;
    ASSIGN_OR_RETURN(occupation.uri, table.NonEmpty(0));
    if (!seen.insert(occupation.uri).second) {
      return table.Error(0, "duplicate occupation " + occupation.uri);
    }
    ASSIGN_OR_RETURN(occupation.label, table.NonEmpty(1));
    occupation.isco_group = table.Get(2);
    release.occupations.push_back(std::move(occupation));
  }
  return absl::OkStatus();
}

absl::Status LoadOccupationSkills(const ReleaseFiles& files, EscoRelease& release) {
  ASSIGN_OR_RETURN(CsvSource source, files.Get(kOccupationSkillsFile));
  ASSIGN_OR_RETURN(Table table, Table::Open(source, {"occupationUri", "skillUri", "relationType"}));
  while (true) {
    ASSIGN_OR_RETURN(bool more, table.Next());
    if (!more) break;
    EscoOccupationSkill relation;
    ASSIGN_OR_RETURN(relation.occupation_uri, table.NonEmpty(0));
    ASSIGN_OR_RETURN(relation.skill_uri, table.NonEmpty(1));
    ASSIGN_OR_RETURN(relation.essential, table.Essential(2));
    release.occupation_skills.push_back(std::move(relation));
  }
  return absl::OkStatus();
}

absl::Status LoadSkillRelations(const ReleaseFiles& files, EscoRelease& release) {
  ASSIGN_OR_RETURN(CsvSource source, files.Get(kSkillRelationsFile));
  ASSIGN_OR_RETURN(Table table,
                   Table::Open(source, {"originalSkillUri", "relatedSkillUri", "relationType"}));
  while (true) {
    ASSIGN_OR_RETURN(bool more, table.Next());
    if (!more) break;
    EscoSkillRelation relation;
    ASSIGN_OR_RETURN(relation.from_uri, table.NonEmpty(0));
    ASSIGN_OR_RETURN(relation.to_uri, table.NonEmpty(1));
    ASSIGN_OR_RETURN(relation.essential, table.Essential(2));
    release.skill_relations.push_back(std::move(relation));
  }
  return absl::OkStatus();
}

absl::Status LoadBroader(const ReleaseFiles& files, EscoRelease& release) {
  ASSIGN_OR_RETURN(CsvSource source, files.Get(kBroaderFile));
  ASSIGN_OR_RETURN(Table table, Table::Open(source, {"conceptType", "conceptUri", "broaderUri"}));
  // All edges (group ones too), to compute the depth of each broader concept.
  std::unordered_map<std::string, std::vector<std::string>> children;
  std::unordered_set<std::string> has_parent;
  while (true) {
    ASSIGN_OR_RETURN(bool more, table.Next());
    if (!more) break;
    ASSIGN_OR_RETURN(std::string narrower, table.NonEmpty(1));
    ASSIGN_OR_RETURN(std::string broader, table.NonEmpty(2));
    if (narrower == broader) return table.Error(2, "concept is its own broader concept");
    children[broader].push_back(narrower);
    has_parent.insert(narrower);
    if (table.Get(0) == kSkillConceptType) {
      release.broader.push_back(EscoBroader{std::move(narrower), std::move(broader), 0});
    }
  }
  // Depth = shortest path from a root (a concept without a broader one), by breadth-first
  // search; concepts reachable only through a cycle keep depth 0.
  std::unordered_map<std::string_view, int> level;
  std::vector<std::string_view> frontier;
  for (const auto& [uri, unused] : children) {
    if (has_parent.count(uri) == 0) {
      level.emplace(uri, 0);
      frontier.push_back(uri);
    }
  }
  for (int depth = 1; !frontier.empty(); ++depth) {
    std::vector<std::string_view> next;
    for (std::string_view uri : frontier) {
      auto it = children.find(std::string(uri));
      if (it == children.end()) continue;
      for (const std::string& child : it->second) {
        if (level.emplace(child, depth).second) next.push_back(child);
      }
    }
    frontier = std::move(next);
  }
  for (EscoBroader& edge : release.broader) {
    auto it = level.find(edge.broader_uri);
    edge.broader_level = it == level.end() ? 0 : it->second;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EscoRelease> LoadEscoRelease(const std::string& path) {
  ASSIGN_OR_RETURN(ReleaseFiles files, ReleaseFiles::Open(path));
  EscoRelease release;
  release.version = files.version();
  RETURN_IF_ERROR(LoadSkills(files, release));
  RETURN_IF_ERROR(LoadOccupations(files, release));
  RETURN_IF_ERROR(LoadOccupationSkills(files, release));
  RETURN_IF_ERROR(LoadSkillRelations(files, release));
  RETURN_IF_ERROR(LoadBroader(files, release));
  return release;
}

}  // namespace carvematch
