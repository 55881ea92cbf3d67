// Validation of domain objects. Each validator reports every offending field at once,
// with paths in the API's snake_case names relative to `root` ("participant.skills[1].level"),
// as an InvalidArgument status carrying FieldViolations (model/status.h).
#ifndef CARVEMATCH_MODEL_VALIDATION_H_
#define CARVEMATCH_MODEL_VALIDATION_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

// Which ESCO concepts exist. Implemented by the taxonomy; validation only asks.
class ConceptCatalog {
 public:
  virtual ~ConceptCatalog() = default;
  virtual bool HasSkill(std::string_view uri) const = 0;
  virtual bool HasOccupation(std::string_view uri) const = 0;
};

// Resource ids: 1..63 characters of [a-z0-9-], starting with a letter or digit.
bool IsValidId(std::string_view id);

absl::Status ValidateParticipant(const Participant& p, const ConceptCatalog& catalog,
                                 const std::string& root = "participant");
absl::Status ValidateEmployer(const Employer& e, const std::string& root = "employer");
// `employer` is the vacancy's employer (already looked up), to check the site.
absl::Status ValidateVacancy(const Vacancy& v, const Employer& employer,
                             const ConceptCatalog& catalog, const std::string& root = "vacancy");

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_VALIDATION_H_
