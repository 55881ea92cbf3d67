// Conversion between the API messages (carvematch.v1) and the domain types of model/.
// Enumerations have the same numbers on both sides; values outside the known range
// pass through and are reported by model/validation.h. The only conversion errors
// are language levels given as text ("1.2", "B1") that cannot be parsed: they are
// appended to `violations` (paths under `root`) and read as "none", so that the
// caller reports them together with the validation's (MergeViolations).
// Unset fields get the domain defaults (45 min commute, 38 h, capacity 1, ...).
#ifndef CARVEMATCH_SERVICES_CONVERT_H_
#define CARVEMATCH_SERVICES_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "carvematch/v1/employer.pb.h"
#include "carvematch/v1/participant.pb.h"
#include "carvematch/v1/vacancy.pb.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/status.h"
#include "model/vacancy.h"

namespace carvematch {

Participant ParticipantFromProto(const v1::Participant& p, std::vector<FieldViolation>* violations,
                                 const std::string& root = "participant");
v1::Participant ParticipantToProto(const Participant& p);

Employer EmployerFromProto(const v1::Employer& e);
v1::Employer EmployerToProto(const Employer& e);

Vacancy VacancyFromProto(const v1::Vacancy& v, std::vector<FieldViolation>* violations,
                         const std::string& root = "vacancy");
v1::Vacancy VacancyToProto(const Vacancy& v);

v1::LanguageLevels LanguageToProto(const LanguageLevels& l);
v1::Location LocationToProto(const Location& l);

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_CONVERT_H_
