// CarvingService in-process over a real gRPC channel, on a real SQLite file: a
// hospital-ward nurse vacancy (a reserved care task plus restocking, bed-making and
// meal rounds) reviewed, carved and published; tenancy; field paths of bad input; a
// stale proposal refused.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "carvematch/v1/carving.grpc.pb.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "matcher/matcher.h"
#include "matcher/taxonomy_credit.h"
#include "mobility/travel.h"
#include "services/convert.h"
#include "services/match_index.h"
#include "services/server.h"
#include "storage/sqlite_repository.h"
#include "taxonomy/taxonomy.h"
#include "tests/services/service_fixture.h"

namespace carvematch {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kCare[] = "http://data.europa.eu/esco/skill/patient-care";
constexpr char kClean[] = "http://data.europa.eu/esco/skill/clean";
constexpr char kCater[] = "http://data.europa.eu/esco/skill/cater";
constexpr char kStock[] = "http://data.europa.eu/esco/skill/stock";

EscoRelease WardRelease() {
  EscoRelease r;
  r.version = "test";
  r.skills = {{kCare, "provide nursing care", "skill/competence", "sector-specific"},
              {kClean, "clean surfaces", "skill/competence", "transversal"},
              {kCater, "serve meals", "skill/competence", "cross-sector"},
              {kStock, "stock shelves", "skill/competence", "cross-sector"}};
  return r;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status rich;
  if (!rich.ParseFromString(status.error_details())) return fields;
  for (const auto& any : rich.details()) {
    google::rpc::BadRequest bad;
    if (!any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

Task MakeTask(const std::string& id, double hours, const char* skill, int level) {
  Task t;
  t.id = id;
  t.description = id + " on the ward";
  t.hours_per_week = hours;
  t.skills = {{skill, level, true}};
  t.dutch.at(LanguageSkill::kListening) = CefrLevel::kA2;
  t.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA1;
  return t;
}

// Nurse on a day roster: 20 h of reserved care, 18 h of logistics and hotel tasks.
Vacancy NurseVacancy(const std::string& id) {
  Vacancy v;
  v.id = id;
  v.employer_id = "e-ward";
  v.site_id = "ward";
  v.title = "Nurse, internal medicine";
  for (Weekday d : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                    Weekday::kFriday}) {
    v.shifts.push_back({d, 7 * 60, 15 * 60});
  }
  v.hours_per_week = 38;
  v.contract_type = ContractType::kOpenEnded;
  v.stated.diploma = DiplomaLevel::kBachelor;
  v.stated.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kB2;
  v.stated.licences = {"B"};
  Task care = MakeTask("care", 20, kCare, 3);
  care.reserved_to_qualification = "registered nurse";
  care.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kB2;
  v.tasks = {care, MakeTask("restock", 6, kStock, 1), MakeTask("beds", 6, kClean, 1),
             MakeTask("meals", 6, kCater, 1)};
  v.accommodations = {Accommodation::kMentor};
  v.hourly_cost_eur = 45;
  return v;
}

Participant Person(const std::string& id, const std::string& organisation, bool consent) {
  Participant p;
  p.id = id;
  p.organisation_id = organisation;
  p.home.point = {50.945, 4.045};
  p.home.municipality = "Aalst";
  p.transport_modes = {TransportMode::kBike};
  p.max_commute_minutes = 45;
  for (Weekday d : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                    Weekday::kFriday}) {
    p.availability.push_back({d, 6 * 60, 20 * 60});
  }
  p.min_hours_per_week = 12;
  p.max_hours_per_week = 30;
  p.skills = {{kStock, 2, EvidenceSource::kWork, ""},
              {kClean, 2, EvidenceSource::kCare, ""},
              {kCater, 2, EvidenceSource::kVolunteering, ""}};
  p.dutch.at(LanguageSkill::kListening) = CefrLevel::kA2;
  p.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA2;
  p.dutch.at(LanguageSkill::kReading) = CefrLevel::kA1;
  p.dutch.at(LanguageSkill::kWriting) = CefrLevel::kA1;
  p.consent.share_anonymous_card = consent;
  return p;
}

class CarvingServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    OpenStore();
    for (const char* org : {"org-a", "org-b", "org-hospital", "org-other"}) {
      ASSERT_TRUE(repo_->EnsureOrganisation(org).ok());
    }
    Employer e;
    e.id = "e-ward";
    e.organisation_id = "org-hospital";
    e.display_name = "AZ Test";
    e.sector = "Q86";
    e.sites = {{"ward", "Internal medicine", {{50.9378, 4.0403}, "Aalst", "9300"}}};
    ASSERT_TRUE(repo_->CreateEmployer(e).ok());
    ASSERT_TRUE(repo_->CreateVacancy(NurseVacancy("v-nurse")).ok());
    Vacancy closed = NurseVacancy("v-nurse-closed");
    closed.status = VacancyStatus::kClosed;
    ASSERT_TRUE(repo_->CreateVacancy(closed).ok());
    // org-a: three participants, two consenting; org-b: one consenting.
    ASSERT_TRUE(repo_->CreateParticipant(Person("p-a1", "org-a", true)).ok());
    ASSERT_TRUE(repo_->CreateParticipant(Person("p-a2", "org-a", true)).ok());
    ASSERT_TRUE(repo_->CreateParticipant(Person("p-a3", "org-a", false)).ok());
    ASSERT_TRUE(repo_->CreateParticipant(Person("p-b1", "org-b", true)).ok());

    PrepareMatching(WardRelease());
    StartServer(Context());
    coach_ = Key("org-a", "coach");
    hospital_ = Key("org-hospital", "employer");
    other_employer_ = Key("org-other", "employer");
    admin_ = Key("org-a", "admin");
  }

  grpc::Status Review(const std::string& key, const v1::ReviewRequirementsRequest& request,
                      v1::ReviewRequirementsResponse* response) {
    return carving_->ReviewRequirements(As(key).get(), request, response);
  }
  grpc::Status Carve(const std::string& key, const v1::CarveRequest& request,
                     v1::CarveResponse* response) {
    return carving_->Carve(As(key).get(), request, response);
  }
  static v1::CarveRequest OneJob(const std::string& vacancy_id) {
    v1::CarveRequest request;
    request.add_vacancy_ids(vacancy_id);
    request.mutable_options()->set_max_new_jobs(1);
    return request;
  }
  // The first bundle of the best proposal of carving v-nurse, as the hospital sees it.
  v1::PublishBundleRequest Proposal() {
    v1::CarveResponse carved;
    grpc::Status s = Carve(hospital_, OneJob("v-nurse"), &carved);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::PublishBundleRequest publish;
    if (carved.proposals().empty()) {
      ADD_FAILURE() << "no proposal";
      return publish;
    }
    *publish.mutable_bundle() = carved.proposals(0).bundles(0);
    *publish.mutable_roles() = carved.proposals(0).roles();
    return publish;
  }

  std::string coach_, hospital_, other_employer_, admin_;
};

const v1::RequirementReviewItem* FindItem(const v1::ReviewRequirementsResponse& r,
                                          const std::string& key) {
  for (const v1::RequirementReviewItem& item : r.items()) {
    if (item.key() == key) return &item;
  }
  return nullptr;
}

TEST(CarvedFromConvertTest, RoundTripsThroughTheApiMessage) {
  Vacancy v = NurseVacancy("v-nurse-carve-1");
  v.carved_from = {"v-nurse", "v-nurse-weekend"};
  const v1::Vacancy message = VacancyToProto(v);
  EXPECT_THAT(message.carved_from(), ElementsAre("v-nurse", "v-nurse-weekend"));
  std::vector<FieldViolation> violations;
  const Vacancy back = VacancyFromProto(message, &violations);
  EXPECT_THAT(violations, IsEmpty());
  EXPECT_EQ(back.carved_from, v.carved_from);
}

TEST_F(CarvingServiceTest, ReviewCountsThePoolTheCallerMaySee) {
  v1::ReviewRequirementsRequest request;
  request.set_vacancy_id("v-nurse");
  v1::ReviewRequirementsResponse as_coach;
  grpc::Status s = Review(coach_, request, &as_coach);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(as_coach.vacancy_id(), "v-nurse");
  EXPECT_EQ(as_coach.pool_size(), 3);  // org-a's participants, consenting or not
  // No task needs a driving licence: the stated B is nice to have.
  const v1::RequirementReviewItem* licence = FindItem(as_coach, "licence_B");
  ASSERT_NE(licence, nullptr);
  EXPECT_EQ(licence->classification(), v1::NICE_TO_HAVE);
  EXPECT_EQ(licence->kind(), v1::REQUIREMENT_KIND_LICENCE);
  EXPECT_THAT(licence->task_ids(), IsEmpty());
  EXPECT_FALSE(licence->sentence().empty());
  // Dutch speaking B2 is needed by the reserved care task (20 of 38 h).
  const v1::RequirementReviewItem* speaking = FindItem(as_coach, "dutch_speaking");
  ASSERT_NE(speaking, nullptr);
  EXPECT_THAT(speaking->task_ids(), Contains("care"));
  EXPECT_EQ(speaking->pool().pool_size(), 3);

  v1::ReviewRequirementsResponse as_employer;
  s = Review(hospital_, request, &as_employer);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(as_employer.pool_size(), 3);  // consenting participants of every organisation
  v1::ReviewRequirementsResponse as_admin;
  ASSERT_TRUE(Review(admin_, request, &as_admin).ok());
  EXPECT_EQ(as_admin.pool_size(), 4);
}

TEST_F(CarvingServiceTest, CarveKeepsReservedTasksAndShowsCardsPerRole) {
  v1::CarveResponse as_employer;
  grpc::Status s = Carve(hospital_, OneJob("v-nurse"), &as_employer);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(as_employer.pool_size(), 3);
  ASSERT_EQ(as_employer.tasks_size(), 4);
  EXPECT_EQ(as_employer.tasks(0).task_id(), "care");
  EXPECT_EQ(as_employer.tasks(0).disposition(), v1::STAYS);
  EXPECT_EQ(as_employer.movable_tasks(), 3);
  EXPECT_TRUE(as_employer.exact());
  ASSERT_FALSE(as_employer.proposals().empty());
  const v1::BundleProposal& bundle = as_employer.proposals(0).bundles(0);
  ASSERT_EQ(bundle.tasks_size(), bundle.vacancy().tasks_size());
  for (const v1::MovedTask& t : bundle.tasks()) EXPECT_NE(t.task_id(), "care");
  EXPECT_GT(bundle.fits_now() + bundle.fits_with_accommodations(), 0);
  ASSERT_FALSE(bundle.top_candidates().empty());
  for (const v1::CandidateCard& card : bundle.top_candidates()) {
    EXPECT_TRUE(card.participant_id().empty());  // anonymous for the employer
    EXPECT_EQ(card.card_id().rfind("cand-", 0), 0u);
  }
  ASSERT_EQ(as_employer.proposals(0).roles_size(), 1);
  EXPECT_EQ(as_employer.proposals(0).roles(0).vacancy_id(), "v-nurse");
  EXPECT_DOUBLE_EQ(as_employer.proposals(0).roles(0).hours_before(), 38);

  v1::CarveResponse as_coach;
  ASSERT_TRUE(Carve(coach_, OneJob("v-nurse"), &as_coach).ok());
  ASSERT_FALSE(as_coach.proposals().empty());
  std::vector<std::string> ids;
  for (const v1::CandidateCard& card : as_coach.proposals(0).bundles(0).top_candidates()) {
    ids.push_back(card.participant_id());
  }
  ASSERT_FALSE(ids.empty());
  for (const std::string& id : ids) EXPECT_EQ(id.rfind("p-a", 0), 0u) << id;  // own only

  // Deterministic: the same request gives the same proposals.
  v1::CarveResponse again;
  ASSERT_TRUE(Carve(hospital_, OneJob("v-nurse"), &again).ok());
  ASSERT_EQ(again.proposals_size(), as_employer.proposals_size());
  for (int i = 0; i < again.proposals_size(); ++i) {
    EXPECT_EQ(again.proposals(i).objective(), as_employer.proposals(i).objective());
  }
}

TEST_F(CarvingServiceTest, PublishStoresTheJobUpdatesTheOriginAndMatchingSeesIt) {
  v1::PublishBundleRequest publish = Proposal();
  publish.mutable_bundle()->mutable_vacancy()->set_id("v-ward-logistics");
  publish.mutable_bundle()->mutable_vacancy()->set_title("Logistics assistant, ward");
  std::vector<std::string> moved;
  double moved_hours = 0;
  for (const v1::MovedTask& t : publish.bundle().tasks()) {
    moved.push_back(t.task_id());
    moved_hours += t.hours_per_week();
  }
  v1::PublishBundleResponse published;
  grpc::Status s = carving_->PublishBundle(As(hospital_).get(), publish, &published);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(published.vacancy().id(), "v-ward-logistics");
  EXPECT_THAT(published.vacancy().carved_from(), ElementsAre("v-nurse"));
  ASSERT_EQ(published.origins_size(), 1);
  EXPECT_DOUBLE_EQ(published.origins(0).hours_per_week(), 38 - moved_hours);

  // Stored: the new vacancy and the reduced origin.
  absl::StatusOr<Vacancy> job = repo_->GetVacancy("v-ward-logistics");
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_THAT(job->carved_from, ElementsAre("v-nurse"));
  EXPECT_EQ(job->tasks.size(), moved.size());
  absl::StatusOr<Vacancy> origin = repo_->GetVacancy("v-nurse");
  ASSERT_TRUE(origin.ok());
  for (const Task& t : origin->tasks) EXPECT_THAT(moved, Not(Contains(t.id)));
  EXPECT_EQ(origin->tasks.front().id, "care");
  EXPECT_DOUBLE_EQ(origin->hours_per_week, 38 - moved_hours);

  // Matching sees the new vacancy at once.
  v1::RankVacanciesRequest rank;
  rank.set_participant_id("p-a1");
  rank.set_include_blocked(true);
  rank.set_limit(50);
  v1::RankVacanciesResponse ranked;
  s = matches_->RankVacancies(As(coach_).get(), rank, &ranked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::vector<std::string> ids;
  for (const v1::Match& m : ranked.matches()) ids.push_back(m.vacancy_id());
  EXPECT_THAT(ids, Contains("v-ward-logistics"));

  // The same proposal again is stale: the origin has fewer hours now.
  publish.mutable_bundle()->mutable_vacancy()->set_id("v-ward-logistics-2");
  s = carving_->PublishBundle(As(hospital_).get(), publish, &published);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(ViolatedFields(s), ElementsAre("roles[0].hours_before"));
  EXPECT_EQ(repo_->GetVacancy("v-ward-logistics-2").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CarvingServiceTest, AProposalOnAChangedTaskIsRefusedAndNothingIsWritten) {
  v1::PublishBundleRequest publish = Proposal();
  ASSERT_GT(publish.bundle().tasks_size(), 0);
  const std::string task_id = publish.bundle().tasks(0).task_id();
  // The employer edits the moved task after the carving.
  ASSERT_TRUE(repo_
                  ->UpdateVacancy("v-nurse",
                                  [&](Vacancy& v) {
                                    for (Task& t : v.tasks) {
                                      if (t.id == task_id) t.lift_kg = 25;
                                    }
                                    return absl::OkStatus();
                                  })
                  .ok());
  ASSERT_TRUE(index_->RefreshVacancy(*repo_, "v-nurse").ok());
  const Vacancy before = *repo_->GetVacancy("v-nurse");
  v1::PublishBundleResponse published;
  grpc::Status s = carving_->PublishBundle(As(hospital_).get(), publish, &published);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(ViolatedFields(s), ElementsAre("bundle.vacancy.tasks[0]"));
  EXPECT_EQ(repo_->GetVacancy(publish.bundle().vacancy().id()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(repo_->GetVacancy("v-nurse")->tasks.size(), before.tasks.size());
  EXPECT_EQ(repo_->GetVacancy("v-nurse")->update_time_unix, before.update_time_unix);

  // A task the proposal did not move was removed meanwhile.
  publish = Proposal();
  ASSERT_TRUE(repo_
                  ->UpdateVacancy("v-nurse",
                                  [](Vacancy& v) {
                                    v.tasks.erase(v.tasks.begin());  // "care"
                                    v.hours_per_week = 38;
                                    return absl::OkStatus();
                                  })
                  .ok());
  s = carving_->PublishBundle(As(hospital_).get(), publish, &published);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(ViolatedFields(s), ElementsAre("roles[0].after_vacancy.tasks"));
}

TEST_F(CarvingServiceTest, BadInputNamesTheField) {
  v1::CarveResponse carved;
  v1::CarveRequest request = OneJob("v-nurse");
  request.mutable_options()->set_max_new_jobs(11);
  grpc::Status s = Carve(hospital_, request, &carved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("options.max_new_jobs"));

  request = OneJob("v-nurse");
  request.mutable_options()->mutable_weights()->set_fit_now(-1);
  request.mutable_options()->set_top_candidates(21);
  s = Carve(hospital_, request, &carved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("options.top_candidates", "options.weights.fit_now"));

  request = OneJob("v-nurse");
  request.add_vacancy_ids("v-nurse");
  s = Carve(hospital_, request, &carved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("vacancy_ids[1]"));

  s = Carve(hospital_, v1::CarveRequest(), &carved);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("vacancy_ids"));

  v1::ReviewRequirementsRequest review;
  review.set_vacancy_id("v-nurse");
  review.mutable_options()->set_alternative_max_share(2);
  v1::ReviewRequirementsResponse reviewed;
  s = Review(coach_, review, &reviewed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("options.alternative_max_share"));

  review.clear_options();
  review.set_vacancy_id("v-unknown");
  EXPECT_EQ(Review(coach_, review, &reviewed).error_code(), grpc::StatusCode::NOT_FOUND);

  // A publish whose bundle lists a task of a vacancy without its role change.
  v1::PublishBundleRequest publish = Proposal();
  publish.clear_roles();
  v1::PublishBundleResponse published;
  s = carving_->PublishBundle(As(hospital_).get(), publish, &published);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(s), Contains("bundle.tasks[0].vacancy_id"));
  // A new vacancy that fails validation.
  publish = Proposal();
  publish.mutable_bundle()->mutable_vacancy()->set_title("");
  s = carving_->PublishBundle(As(hospital_).get(), publish, &published);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("bundle.vacancy.title"));
}

TEST_F(CarvingServiceTest, WhoMayCall) {
  v1::CarveResponse carved;
  EXPECT_EQ(Carve("", OneJob("v-nurse"), &carved).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // Another employer cannot review or carve the hospital's vacancy.
  EXPECT_EQ(Carve(other_employer_, OneJob("v-nurse"), &carved).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ReviewRequirementsRequest review;
  review.set_vacancy_id("v-nurse");
  v1::ReviewRequirementsResponse reviewed;
  EXPECT_EQ(Review(other_employer_, review, &reviewed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Coaches work with open vacancies only; the owner sees its closed one too.
  EXPECT_EQ(Carve(coach_, OneJob("v-nurse-closed"), &carved).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Carve(hospital_, OneJob("v-nurse-closed"), &carved).ok());
  // Coaches do not publish; another employer cannot publish the hospital's job.
  v1::PublishBundleRequest publish = Proposal();
  v1::PublishBundleResponse published;
  EXPECT_EQ(carving_->PublishBundle(As(coach_).get(), publish, &published).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(carving_->PublishBundle(As(other_employer_).get(), publish, &published).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(repo_->GetVacancy(publish.bundle().vacancy().id()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace carvematch
