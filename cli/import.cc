#include "cli/import.h"

#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "model/status.h"
#include "nlohmann/json.hpp"
#include "taxonomy/csv.h"

namespace carvematch {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Creates the record, or replaces it when its id already exists.
template <typename Message, typename CreateFn, typename UpdateFn>
absl::Status CreateOrReplace(CreateFn create, UpdateFn update, ImportReport& report) {
  grpc::Status status = create();
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    RETURN_IF_ERROR(FromGrpc(update()));
    ++report.replaced;
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(FromGrpc(status));
  ++report.created;
  return absl::OkStatus();
}

absl::Status ImportEmployer(Client& client, const v1::Employer& e, ImportReport& report) {
  v1::Employer response;
  return CreateOrReplace<v1::Employer>(
      [&] {
        v1::CreateEmployerRequest request;
        *request.mutable_employer() = e;
        return client.employers().CreateEmployer(client.Context().get(), request, &response);
      },
      [&] {
        v1::UpdateEmployerRequest request;
        *request.mutable_employer() = e;
        return client.employers().UpdateEmployer(client.Context().get(), request, &response);
      },
      report);
}

absl::Status ImportVacancy(Client& client, const v1::Vacancy& v, ImportReport& report) {
  v1::Vacancy response;
  return CreateOrReplace<v1::Vacancy>(
      [&] {
        v1::CreateVacancyRequest request;
        *request.mutable_vacancy() = v;
        return client.vacancies().CreateVacancy(client.Context().get(), request, &response);
      },
      [&] {
        v1::UpdateVacancyRequest request;
        *request.mutable_vacancy() = v;
        return client.vacancies().UpdateVacancy(client.Context().get(), request, &response);
      },
      report);
}

absl::Status ImportParticipant(Client& client, const v1::Participant& p, ImportReport& report) {
  v1::Participant response;
  return CreateOrReplace<v1::Participant>(
      [&] {
        v1::CreateParticipantRequest request;
        *request.mutable_participant() = p;
        return client.participants().CreateParticipant(client.Context().get(), request, &response);
      },
      [&] {
        v1::UpdateParticipantRequest request;
        *request.mutable_participant() = p;
        return client.participants().UpdateParticipant(client.Context().get(), request, &response);
      },
      report);
}

// Parses one element of a JSON array into `message`, with errors naming the element.
absl::Status ParseElement(const nlohmann::json& element, const std::string& where,
                          google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(element.dump(), message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", status.message().as_string()));
  }
  return absl::OkStatus();
}

// Columns of the participant CSV (docs/api.md, "Bulk import").
constexpr const char* kCsvColumns[] = {"id",
                                       "organisation_id",
                                       "municipality",
                                       "lat",
                                       "lon",
                                       "transport_modes",
                                       "licences",
                                       "max_commute_minutes",
                                       "min_hours",
                                       "max_hours",
                                       "dutch_listening",
                                       "dutch_reading",
                                       "dutch_speaking",
                                       "dutch_writing",
                                       "skills",
                                       "target_outcomes",
                                       "share_anonymous_card"};

std::vector<std::string> SplitList(const std::string& cell) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(cell, ';', absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(part));
  }
  return out;
}

// Parses an enum value by its API name ("BIKE"), with errors naming the place.
template <typename Enum>
absl::StatusOr<Enum> ParseEnum(const std::string& name, bool (*parse)(const std::string&, Enum*),
                               const std::string& where) {
  Enum value;
  if (!parse(name, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": unknown value \"", name, "\""));
  }
  return value;
}

absl::StatusOr<double> ParseNumber(const std::string& cell, const std::string& where) {
  double value = 0;
  if (cell.empty()) return 0.0;
  if (!absl::SimpleAtod(cell, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": \"", cell, "\" is not a number"));
  }
  return value;
}

struct Batch {
  std::vector<std::pair<std::string, v1::Employer>> employers;
  std::vector<std::pair<std::string, v1::Vacancy>> vacancies;
  std::vector<std::pair<std::string, v1::Participant>> participants;
};

absl::Status ParseJsonFile(const std::string& path, const std::string& text, Batch& batch) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": not a JSON object with \"employers\", \"vacancies\" or "
                     "\"participants\" arrays"));
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "employers" && key != "vacancies" && key != "participants") {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": unknown key \"", key, "\" (expected employers, vacancies, participants)"));
    }
    if (!value.is_array()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": \"", key, "\" must be an array"));
    }
    for (size_t i = 0; i < value.size(); ++i) {
      std::string where = absl::StrCat(path, ": ", key, "[", i, "]");
      if (key == "employers") {
        batch.employers.emplace_back(where, v1::Employer());
        RETURN_IF_ERROR(ParseElement(value[i], where, &batch.employers.back().second));
      } else if (key == "vacancies") {
        batch.vacancies.emplace_back(where, v1::Vacancy());
        RETURN_IF_ERROR(ParseElement(value[i], where, &batch.vacancies.back().second));
      } else {
        batch.participants.emplace_back(where, v1::Participant());
        RETURN_IF_ERROR(ParseElement(value[i], where, &batch.participants.back().second));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status WithPlace(const std::string& where, absl::Status status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(where, ": ", status.message()));
}

}  // namespace

absl::StatusOr<std::vector<v1::Participant>> ParseParticipantCsv(const std::string& text,
                                                                 const std::string& file_name) {
  ASSIGN_OR_RETURN(CsvTable table, ParseCsv(text, file_name));
  std::map<std::string, int> column;
  for (size_t i = 0; i < table.header.size(); ++i) column[table.header[i]] = static_cast<int>(i);
  for (const char* name : kCsvColumns) {
    if (!column.count(name)) {
      return absl::InvalidArgumentError(absl::StrCat(file_name, ": missing column \"", name, "\""));
    }
  }
  std::vector<v1::Participant> out;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::vector<std::string>& row = table.rows[r];
    auto cell = [&](const char* name) -> const std::string& { return row[column[name]]; };
    auto where = [&](const char* name) {
      return absl::StrCat(file_name, ": row ", r + 2, ", column ", name);
    };
    v1::Participant p;
    p.set_id(cell("id"));
    p.set_organisation_id(cell("organisation_id"));
    p.mutable_home()->set_municipality(cell("municipality"));
    ASSIGN_OR_RETURN(double lat, ParseNumber(cell("lat"), where("lat")));
    ASSIGN_OR_RETURN(double lon, ParseNumber(cell("lon"), where("lon")));
    p.mutable_home()->mutable_point()->set_lat(lat);
    p.mutable_home()->mutable_point()->set_lon(lon);
    for (const std::string& m : SplitList(cell("transport_modes"))) {
      ASSIGN_OR_RETURN(
          v1::TransportMode mode,
          ParseEnum<v1::TransportMode>(m, v1::TransportMode_Parse, where("transport_modes")));
      p.add_transport_modes(mode);
    }
    for (const std::string& l : SplitList(cell("licences"))) p.add_licences(l);
    ASSIGN_OR_RETURN(double commute,
                     ParseNumber(cell("max_commute_minutes"), where("max_commute_minutes")));
    p.set_max_commute_minutes(static_cast<int>(commute));
    ASSIGN_OR_RETURN(double min_hours, ParseNumber(cell("min_hours"), where("min_hours")));
    ASSIGN_OR_RETURN(double max_hours, ParseNumber(cell("max_hours"), where("max_hours")));
    p.set_min_hours_per_week(min_hours);
    p.set_max_hours_per_week(max_hours);
    p.mutable_dutch()->set_listening_text(cell("dutch_listening"));
    p.mutable_dutch()->set_reading_text(cell("dutch_reading"));
    p.mutable_dutch()->set_speaking_text(cell("dutch_speaking"));
    p.mutable_dutch()->set_writing_text(cell("dutch_writing"));
    for (const std::string& s : SplitList(cell("skills"))) {
      std::vector<std::string> parts = absl::StrSplit(s, '|');
      int level = 0;
      if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &level)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where("skills"), ": \"", s, "\" is not uri|level|SOURCE"));
      }
      ASSIGN_OR_RETURN(
          v1::EvidenceSource source,
          ParseEnum<v1::EvidenceSource>(parts[2], v1::EvidenceSource_Parse, where("skills")));
      v1::SkillClaim* claim = p.add_skills();
      claim->set_skill_uri(parts[0]);
      claim->set_level(level);
      claim->set_source(source);
    }
    for (const std::string& t : SplitList(cell("target_outcomes"))) {
      ASSIGN_OR_RETURN(
          v1::TargetOutcome outcome,
          ParseEnum<v1::TargetOutcome>(t, v1::TargetOutcome_Parse, where("target_outcomes")));
      p.add_target_outcomes(outcome);
    }
    std::string consent = absl::AsciiStrToLower(cell("share_anonymous_card"));
    if (consent != "true" && consent != "false" && !consent.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where("share_anonymous_card"), ": expected true or false"));
    }
    p.mutable_consent()->set_share_anonymous_card(consent == "true");
    // Optional column: the server validates the date and names the field.
    if (column.count("job_seeker_since")) p.set_job_seeker_since(cell("job_seeker_since"));
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<ImportReport> ImportFiles(Client& client, const std::vector<std::string>& paths) {
  Batch batch;
  for (const std::string& path : paths) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    if (absl::EndsWithIgnoreCase(path, ".csv")) {
      ASSIGN_OR_RETURN(std::vector<v1::Participant> rows, ParseParticipantCsv(text, path));
      for (size_t i = 0; i < rows.size(); ++i) {
        batch.participants.emplace_back(absl::StrCat(path, ": row ", i + 2), rows[i]);
      }
    } else {
      RETURN_IF_ERROR(ParseJsonFile(path, text, batch));
    }
  }
  ImportReport report;
  for (const auto& [where, e] : batch.employers) {
    RETURN_IF_ERROR(WithPlace(where, ImportEmployer(client, e, report)));
  }
  for (const auto& [where, v] : batch.vacancies) {
    RETURN_IF_ERROR(WithPlace(where, ImportVacancy(client, v, report)));
  }
  for (const auto& [where, p] : batch.participants) {
    RETURN_IF_ERROR(WithPlace(where, ImportParticipant(client, p, report)));
  }
  return report;
}

}  // namespace carvematch
