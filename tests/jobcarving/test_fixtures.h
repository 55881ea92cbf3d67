// Hand-made employers, vacancies and participants for the job-carving tests.
#ifndef CARVEMATCH_TESTS_JOBCARVING_TEST_FIXTURES_H_
#define CARVEMATCH_TESTS_JOBCARVING_TEST_FIXTURES_H_

#include <string>
#include <vector>

#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"
#include "tests/matcher/fakes.h"

namespace carvematch {
namespace testing_fixtures {

inline constexpr double kSiteLat = 51.0;

inline Employer MakeEmployer() {
  Employer e;
  e.id = "e-1";
  e.display_name = "Test employer";
  e.sector = "Q86";
  Site s;
  s.id = "site-1";
  s.name = "Main site";
  s.location.point = {kSiteLat, 4.0};
  e.sites.push_back(s);
  Site other;
  other.id = "site-2";
  other.location.point = {kSiteLat + 0.01, 4.0};
  e.sites.push_back(other);
  return e;
}

// A participant 10 bike minutes from the site (FakeTravel), available always.
inline Participant MakeParticipant(const std::string& id) {
  Participant p;
  p.id = id;
  p.organisation_id = "org-1";
  p.home.point = {kSiteLat + 0.010, 4.0};
  p.transport_modes = {TransportMode::kBike};
  p.max_commute_minutes = 45;
  p.min_hours_per_week = 0;
  p.max_hours_per_week = 38;
  return p;
}

inline LanguageLevels Dutch(CefrLevel listening, CefrLevel reading, CefrLevel speaking,
                            CefrLevel writing) {
  LanguageLevels l;
  l.levels = {listening, reading, speaking, writing};
  return l;
}

inline Task MakeTask(const std::string& id, double hours, std::vector<SkillRequirement> skills) {
  Task t;
  t.id = id;
  t.description = id;
  t.hours_per_week = hours;
  t.skills = std::move(skills);
  return t;
}

inline std::vector<WeeklySpan> Weekdays(int start, int end) {
  std::vector<WeeklySpan> s;
  for (int d = 1; d <= 5; ++d) s.push_back({static_cast<Weekday>(d), start, end});
  return s;
}

}  // namespace testing_fixtures
}  // namespace carvematch

#endif  // CARVEMATCH_TESTS_JOBCARVING_TEST_FIXTURES_H_
