// Resources with every field set to a non-default value, shared by the storage tests
// and the durability writer (which must write exactly what the test expects to read).
#ifndef CARVEMATCH_TESTS_STORAGE_TEST_DATA_H_
#define CARVEMATCH_TESTS_STORAGE_TEST_DATA_H_

#include <string>

#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"
#include "taxonomy/esco.h"

namespace carvematch {
namespace testing_data {

Participant FullParticipant(const std::string& id, const std::string& organisation_id);
Employer FullEmployer(const std::string& id, const std::string& organisation_id);
Vacancy FullVacancy(const std::string& id, const std::string& employer_id);
// A small release with every list non-empty (n skills, n occupations, ...).
EscoRelease SmallRelease(int n);

}  // namespace testing_data
}  // namespace carvematch

#endif  // CARVEMATCH_TESTS_STORAGE_TEST_DATA_H_
