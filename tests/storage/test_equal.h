// Field-by-field comparison of the domain types for the storage tests: a field the
// codec forgets fails here, because the fixtures in test_data.h set every field to a
// value other than its default.
#ifndef CARVEMATCH_TESTS_STORAGE_TEST_EQUAL_H_
#define CARVEMATCH_TESTS_STORAGE_TEST_EQUAL_H_

#include <vector>

#include "gtest/gtest.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"
#include "taxonomy/esco.h"

namespace carvematch {
namespace testing_data {

inline bool Same(const GeoPoint& a, const GeoPoint& b) { return a.lat == b.lat && a.lon == b.lon; }
inline bool Same(const Location& a, const Location& b) {
  return Same(a.point, b.point) && a.municipality == b.municipality &&
         a.postal_code == b.postal_code;
}
inline bool Same(const WeeklySpan& a, const WeeklySpan& b) {
  return a.day == b.day && a.start_minute == b.start_minute && a.end_minute == b.end_minute;
}
inline bool Same(const SkillClaim& a, const SkillClaim& b) {
  return a.skill_uri == b.skill_uri && a.level == b.level && a.source == b.source &&
         a.note == b.note;
}
inline bool Same(const OtherLanguage& a, const OtherLanguage& b) {
  return a.code == b.code && a.level == b.level;
}
inline bool Same(const SkillRequirement& a, const SkillRequirement& b) {
  return a.skill_uri == b.skill_uri && a.level == b.level && a.essential == b.essential;
}
inline bool Same(const Childcare& a, const Childcare& b);
inline bool Same(const Site& a, const Site& b);
inline bool Same(const Task& a, const Task& b);
template <typename T>
bool Same(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!Same(a[i], b[i])) return false;
  }
  return true;
}
inline bool Same(const Childcare& a, const Childcare& b) {
  return a.label == b.label && Same(a.location, b.location) &&
         Same(a.opening_hours, b.opening_hours);
}
inline bool Same(const Site& a, const Site& b) {
  return a.id == b.id && a.name == b.name && Same(a.location, b.location);
}
inline bool Same(const Task& a, const Task& b) {
  return a.id == b.id && a.description == b.description && a.hours_per_week == b.hours_per_week &&
         Same(a.skills, b.skills) && a.dutch == b.dutch && a.lift_kg == b.lift_kg &&
         a.prolonged_standing == b.prolonged_standing && a.licence == b.licence &&
         a.reserved_to_qualification == b.reserved_to_qualification &&
         a.time_of_day == b.time_of_day && a.alongside_colleagues == b.alongside_colleagues &&
         a.customer_contact == b.customer_contact && a.digital_tools == b.digital_tools;
}

inline void ExpectSame(const Participant& a, const Participant& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.organisation_id, b.organisation_id);
  EXPECT_TRUE(Same(a.home, b.home));
  EXPECT_EQ(a.transport_modes, b.transport_modes);
  EXPECT_EQ(a.licences, b.licences);
  EXPECT_EQ(a.max_commute_minutes, b.max_commute_minutes);
  EXPECT_TRUE(Same(a.availability, b.availability));
  EXPECT_TRUE(Same(a.childcare, b.childcare));
  EXPECT_EQ(a.min_hours_per_week, b.min_hours_per_week);
  EXPECT_EQ(a.max_hours_per_week, b.max_hours_per_week);
  EXPECT_TRUE(Same(a.skills, b.skills));
  EXPECT_TRUE(a.dutch == b.dutch);
  EXPECT_TRUE(Same(a.other_languages, b.other_languages));
  EXPECT_EQ(a.capacities.max_lift_kg, b.capacities.max_lift_kg);
  EXPECT_EQ(a.capacities.prolonged_standing, b.capacities.prolonged_standing);
  EXPECT_EQ(a.capacities.night_work, b.capacities.night_work);
  EXPECT_EQ(a.capacities.customer_contact, b.capacities.customer_contact);
  EXPECT_EQ(a.capacities.working_alone, b.capacities.working_alone);
  EXPECT_EQ(a.capacities.digital_tools, b.capacities.digital_tools);
  EXPECT_EQ(a.exclusions, b.exclusions);
  EXPECT_EQ(a.wanted_sectors, b.wanted_sectors);
  EXPECT_EQ(a.avoided_sectors, b.avoided_sectors);
  EXPECT_EQ(a.wanted_occupations, b.wanted_occupations);
  EXPECT_EQ(a.avoided_occupations, b.avoided_occupations);
  EXPECT_EQ(a.target_outcomes, b.target_outcomes);
  EXPECT_EQ(a.consent.share_anonymous_card, b.consent.share_anonymous_card);
  EXPECT_EQ(a.consent.share_with_employers_after_match, b.consent.share_with_employers_after_match);
  EXPECT_EQ(a.create_time_unix, b.create_time_unix);
  EXPECT_EQ(a.update_time_unix, b.update_time_unix);
}

inline void ExpectSame(const Employer& a, const Employer& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.organisation_id, b.organisation_id);
  EXPECT_EQ(a.display_name, b.display_name);
  EXPECT_EQ(a.sector, b.sector);
  EXPECT_TRUE(Same(a.sites, b.sites));
  EXPECT_EQ(a.create_time_unix, b.create_time_unix);
  EXPECT_EQ(a.update_time_unix, b.update_time_unix);
}

inline void ExpectSame(const Vacancy& a, const Vacancy& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.employer_id, b.employer_id);
  EXPECT_EQ(a.site_id, b.site_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.occupation_uri, b.occupation_uri);
  EXPECT_TRUE(Same(a.shifts, b.shifts));
  EXPECT_EQ(a.hours_per_week, b.hours_per_week);
  EXPECT_EQ(a.contract_type, b.contract_type);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.predictable_schedule, b.predictable_schedule);
  EXPECT_EQ(a.stated.diploma, b.stated.diploma);
  EXPECT_TRUE(a.stated.dutch == b.stated.dutch);
  EXPECT_EQ(a.stated.licences, b.stated.licences);
  EXPECT_EQ(a.stated.experience_years, b.stated.experience_years);
  EXPECT_TRUE(Same(a.stated.skills, b.stated.skills));
  EXPECT_TRUE(Same(a.tasks, b.tasks));
  EXPECT_EQ(a.accommodations, b.accommodations);
  EXPECT_EQ(a.work_settings, b.work_settings);
  EXPECT_EQ(a.capacity, b.capacity);
  EXPECT_EQ(a.hourly_cost_eur, b.hourly_cost_eur);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.carved_from, b.carved_from);
  EXPECT_EQ(a.create_time_unix, b.create_time_unix);
  EXPECT_EQ(a.update_time_unix, b.update_time_unix);
}

inline void ExpectSame(const EscoRelease& a, const EscoRelease& b) {
  EXPECT_EQ(a.version, b.version);
  ASSERT_EQ(a.skills.size(), b.skills.size());
  for (size_t i = 0; i < a.skills.size(); ++i) {
    EXPECT_EQ(a.skills[i].uri, b.skills[i].uri);
    EXPECT_EQ(a.skills[i].label, b.skills[i].label);
    EXPECT_EQ(a.skills[i].skill_type, b.skills[i].skill_type);
    EXPECT_EQ(a.skills[i].reuse_level, b.skills[i].reuse_level);
  }
  ASSERT_EQ(a.occupations.size(), b.occupations.size());
  for (size_t i = 0; i < a.occupations.size(); ++i) {
    EXPECT_EQ(a.occupations[i].uri, b.occupations[i].uri);
    EXPECT_EQ(a.occupations[i].label, b.occupations[i].label);
    EXPECT_EQ(a.occupations[i].isco_group, b.occupations[i].isco_group);
  }
  ASSERT_EQ(a.occupation_skills.size(), b.occupation_skills.size());
  for (size_t i = 0; i < a.occupation_skills.size(); ++i) {
    EXPECT_EQ(a.occupation_skills[i].occupation_uri, b.occupation_skills[i].occupation_uri);
    EXPECT_EQ(a.occupation_skills[i].skill_uri, b.occupation_skills[i].skill_uri);
    EXPECT_EQ(a.occupation_skills[i].essential, b.occupation_skills[i].essential);
  }
  ASSERT_EQ(a.skill_relations.size(), b.skill_relations.size());
  for (size_t i = 0; i < a.skill_relations.size(); ++i) {
    EXPECT_EQ(a.skill_relations[i].from_uri, b.skill_relations[i].from_uri);
    EXPECT_EQ(a.skill_relations[i].to_uri, b.skill_relations[i].to_uri);
    EXPECT_EQ(a.skill_relations[i].essential, b.skill_relations[i].essential);
  }
  ASSERT_EQ(a.broader.size(), b.broader.size());
  for (size_t i = 0; i < a.broader.size(); ++i) {
    EXPECT_EQ(a.broader[i].narrower_uri, b.broader[i].narrower_uri);
    EXPECT_EQ(a.broader[i].broader_uri, b.broader[i].broader_uri);
  }
}

}  // namespace testing_data
}  // namespace carvematch

#endif  // CARVEMATCH_TESTS_STORAGE_TEST_EQUAL_H_
