// The v1 services in-process over a real gRPC channel, on a real SQLite file: auth,
// tenancy, validation errors with field violations, field masks, paging, matching.
#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "carvematch/v1/employer.grpc.pb.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "carvematch/v1/participant.grpc.pb.h"
#include "carvematch/v1/vacancy.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "matcher/matcher.h"
#include "matcher/taxonomy_credit.h"
#include "mobility/travel.h"
#include "services/match_index.h"
#include "services/server.h"
#include "storage/sqlite_repository.h"
#include "taxonomy/taxonomy.h"
#include "tests/services/service_fixture.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kCook[] = "http://data.europa.eu/esco/skill/cook";
constexpr char kClean[] = "http://data.europa.eu/esco/skill/clean";
constexpr char kCater[] = "http://data.europa.eu/esco/skill/cater";
constexpr char kKitchenHelp[] = "http://data.europa.eu/esco/occupation/kitchen-help";

EscoRelease SmallRelease() {
  EscoRelease r;
  r.version = "test";
  r.skills = {{kCook, "prepare meals", "skill/competence", "cross-sector"},
              {kClean, "clean surfaces", "skill/competence", "transversal"},
              {kCater, "cater for groups", "skill/competence", "cross-sector"}};
  r.occupations = {{kKitchenHelp, "kitchen help", "9412"}};
  r.occupation_skills = {{kKitchenHelp, kCook, true}, {kKitchenHelp, kClean, true}};
  r.skill_relations = {{kCater, kCook, true}};
  return r;
}

// Field paths of the google.rpc.BadRequest detail of a failed call.
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

class ServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    OpenStore();
    PrepareMatching(SmallRelease());
    StartServer(Context());
    coach_a_ = Key("org-a", "coach");
    coach_b_ = Key("org-b", "coach");
    employer_ = Key("org-e", "employer");
    admin_ = Key("org-admin", "admin");
  }

  static v1::Participant NewParticipant(const std::string& id) {
    v1::Participant p;
    p.set_id(id);
    p.mutable_home()->mutable_point()->set_lat(50.9378);
    p.mutable_home()->mutable_point()->set_lon(4.0403);
    p.mutable_home()->set_municipality("Aalst");
    p.add_transport_modes(v1::BIKE);
    p.set_max_commute_minutes(40);
    v1::SkillClaim* s = p.add_skills();
    s->set_skill_uri(kCater);
    s->set_level(2);
    s->set_source(v1::VOLUNTEERING);
    p.mutable_dutch()->set_listening_text("1.2");
    p.mutable_dutch()->set_speaking_text("1.2");
    p.mutable_dutch()->set_reading(v1::A1);
    p.mutable_dutch()->set_writing(v1::A1);
    p.mutable_consent()->set_share_anonymous_card(true);
    return p;
  }

  grpc::Status CreateParticipant(const std::string& key, const v1::Participant& p,
                                 v1::Participant* out = nullptr) {
    v1::CreateParticipantRequest request;
    *request.mutable_participant() = p;
    v1::Participant response;
    return participants_->CreateParticipant(As(key).get(), request, out ? out : &response);
  }

  // An employer of org-e with one site in Aalst and a kitchen vacancy.
  void CreateKitchen() {
    v1::CreateEmployerRequest e;
    e.mutable_employer()->set_id("emp-kitchen");
    e.mutable_employer()->set_display_name("Sociaal restaurant");
    e.mutable_employer()->set_sector("I56");
    v1::Site* site = e.mutable_employer()->add_sites();
    site->set_id("main");
    site->set_name("Restaurant");
    site->mutable_location()->mutable_point()->set_lat(50.9410);
    site->mutable_location()->mutable_point()->set_lon(4.0330);
    site->mutable_location()->set_municipality("Aalst");
    v1::Employer employer;
    ASSERT_TRUE(employers_->CreateEmployer(As(employer_).get(), e, &employer).ok());
    EXPECT_EQ(employer.organisation_id(), "org-e");

    v1::CreateVacancyRequest v;
    v1::Vacancy* vac = v.mutable_vacancy();
    vac->set_id("v-kitchen");
    vac->set_employer_id("emp-kitchen");
    vac->set_site_id("main");
    vac->set_title("Kitchen help");
    vac->set_occupation_uri(kKitchenHelp);
    vac->set_hours_per_week(20);
    vac->set_contract_type(v1::OPEN_ENDED);
    for (v1::Weekday d : {v1::MONDAY, v1::TUESDAY, v1::WEDNESDAY, v1::THURSDAY, v1::FRIDAY}) {
      v1::WeeklySpan* s = vac->add_shifts();
      s->set_day(d);
      s->set_start_minute(10 * 60);
      s->set_end_minute(14 * 60);
    }
    v1::Task* t = vac->add_tasks();
    t->set_id("prep");
    t->set_description("prepare vegetables and meals");
    t->set_hours_per_week(20);
    v1::SkillRequirement* r = t->add_skills();
    r->set_skill_uri(kCook);
    r->set_level(2);
    r->set_essential(true);
    t->mutable_dutch()->set_speaking(v1::A2);
    t->mutable_dutch()->set_listening(v1::A2);
    vac->add_accommodations(v1::LANGUAGE_COACHING);
    v1::Vacancy vacancy;
    grpc::Status status = vacancies_->CreateVacancy(As(employer_).get(), v, &vacancy);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::string coach_a_, coach_b_, employer_, admin_;
};

TEST_F(ServiceTest, HealthServiceReportsServing) {
  // grpc.health.v1.Health/Check with an empty HealthCheckRequest (the whole server);
  // the answer HealthCheckResponse{status: SERVING} encodes as the bytes 08 01.
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status status) { done.set_value(status); });
  grpc::Status status = done.get_future().get();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

TEST_F(ServiceTest, ReflectionListsTheServices) {
  // grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo with one request
  // {list_services: ""} (field 7, empty string: bytes 3a 00), over a completion queue.
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  ASSERT_NE(call, nullptr);
  void* tag = nullptr;
  bool ok = false;
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  grpc::Slice list_services(std::string("\x3a\x00", 2));
  grpc::ByteBuffer request(&list_services, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  call->WritesDone(reinterpret_cast<void*>(4));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  for (const char* service :
       {"carvematch.v1.ParticipantService", "carvematch.v1.EmployerService",
        "carvematch.v1.VacancyService", "carvematch.v1.MatchService", "grpc.health.v1.Health"}) {
    EXPECT_NE(bytes.find(service), std::string::npos) << service;
  }
}

TEST_F(ServiceTest, CallsWithoutAValidKeyAreUnauthenticated) {
  v1::GetParticipantRequest request;
  request.set_id("p-1");
  v1::Participant response;
  EXPECT_EQ(participants_->GetParticipant(As("").get(), request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      participants_->GetParticipant(As("cm_not-a-key").get(), request, &response).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, CoachSeesOnlyOwnOrganisationsParticipants) {
  v1::Participant created;
  ASSERT_TRUE(CreateParticipant(coach_a_, NewParticipant("p-1"), &created).ok());
  EXPECT_EQ(created.organisation_id(), "org-a");
  EXPECT_EQ(created.dutch().listening(), v1::A2);  // "1.2" read as A2
  EXPECT_GT(created.create_time().seconds(), 0);

  v1::GetParticipantRequest get;
  get.set_id("p-1");
  v1::Participant fetched;
  EXPECT_TRUE(participants_->GetParticipant(As(coach_a_).get(), get, &fetched).ok());
  EXPECT_EQ(participants_->GetParticipant(As(coach_b_).get(), get, &fetched).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(participants_->GetParticipant(As(employer_).get(), get, &fetched).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::ListParticipantsRequest list;
  v1::ListParticipantsResponse listed;
  ASSERT_TRUE(participants_->ListParticipants(As(coach_b_).get(), list, &listed).ok());
  EXPECT_THAT(listed.participants(), IsEmpty());

  v1::Participant other_org = NewParticipant("p-2");
  other_org.set_organisation_id("org-a");
  EXPECT_EQ(CreateParticipant(coach_b_, other_org).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ServiceTest, BadParticipantIsRefusedWithEveryFieldAndNothingStored) {
  v1::Participant p = NewParticipant("p-bad");
  p.mutable_home()->mutable_point()->set_lat(123);
  p.mutable_skills(0)->set_skill_uri("http://data.europa.eu/esco/skill/does-not-exist");
  p.mutable_skills(0)->set_level(9);
  p.mutable_dutch()->set_speaking_text("1.3");
  v1::WeeklySpan* span = p.add_availability();
  span->set_day(v1::MONDAY);
  span->set_start_minute(600);
  span->set_end_minute(540);
  grpc::Status status = CreateParticipant(coach_a_, p);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              UnorderedElementsAre("participant.dutch.speaking_text", "participant.home.point.lat",
                                   "participant.skills[0].skill_uri", "participant.skills[0].level",
                                   "participant.availability[0].end_minute"));
  v1::GetParticipantRequest get;
  get.set_id("p-bad");
  v1::Participant fetched;
  EXPECT_EQ(participants_->GetParticipant(As(coach_a_).get(), get, &fetched).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, UpdateWithFieldMaskReplacesOnlyTheNamedFields) {
  ASSERT_TRUE(CreateParticipant(coach_a_, NewParticipant("p-1")).ok());
  v1::UpdateParticipantRequest update;
  update.mutable_participant()->set_id("p-1");
  update.mutable_participant()->set_max_hours_per_week(19);
  update.mutable_update_mask()->add_paths("max_hours_per_week");
  v1::Participant updated;
  grpc::Status status = participants_->UpdateParticipant(As(coach_a_).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.max_hours_per_week(), 19);
  EXPECT_EQ(updated.home().municipality(), "Aalst");
  EXPECT_EQ(updated.skills_size(), 1);

  update.mutable_update_mask()->set_paths(0, "shoe_size");
  status = participants_->UpdateParticipant(As(coach_a_).get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask.paths[0]"));

  update.mutable_update_mask()->set_paths(0, "max_hours_per_week");
  update.mutable_participant()->set_max_hours_per_week(90);
  status = participants_->UpdateParticipant(As(coach_a_).get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("participant.max_hours_per_week"));
  v1::GetParticipantRequest get;
  get.set_id("p-1");
  v1::Participant fetched;
  ASSERT_TRUE(participants_->GetParticipant(As(coach_a_).get(), get, &fetched).ok());
  EXPECT_EQ(fetched.max_hours_per_week(), 19);  // the refused update left no trace

  EXPECT_EQ(participants_->UpdateParticipant(As(coach_b_).get(), update, &updated).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, ListPagesThroughAllParticipants) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(CreateParticipant(coach_a_, NewParticipant("p-" + std::to_string(i))).ok());
  }
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListParticipantsRequest request;
    request.set_page_size(2);
    request.set_page_token(token);
    v1::ListParticipantsResponse response;
    ASSERT_TRUE(participants_->ListParticipants(As(coach_a_).get(), request, &response).ok());
    for (const auto& p : response.participants()) seen.push_back(p.id());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("p-0", "p-1", "p-2", "p-3", "p-4"));

  v1::ListParticipantsRequest too_big;
  too_big.set_page_size(5000);
  v1::ListParticipantsResponse response;
  grpc::Status status = participants_->ListParticipants(As(coach_a_).get(), too_big, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_size"));
}

TEST_F(ServiceTest, VacancyRulesAndEmployerOwnership) {
  CreateKitchen();
  v1::CreateVacancyRequest v;
  v.mutable_vacancy()->set_id("v-2");
  v.mutable_vacancy()->set_employer_id("emp-kitchen");
  v1::Vacancy out;
  EXPECT_EQ(vacancies_->CreateVacancy(As(coach_a_).get(), v, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status status = vacancies_->CreateVacancy(As(employer_).get(), v, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_THAT(fields, testing::Contains("vacancy.site_id"));
  EXPECT_THAT(fields, testing::Contains("vacancy.shifts"));
  EXPECT_THAT(fields, testing::Contains("vacancy.contract_type"));

  v1::DeleteEmployerRequest del;
  del.set_id("emp-kitchen");
  google::protobuf::Empty empty;
  EXPECT_EQ(employers_->DeleteEmployer(As(employer_).get(), del, &empty).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::GetVacancyRequest get;
  get.set_id("v-kitchen");
  v1::Vacancy fetched;
  ASSERT_TRUE(vacancies_->GetVacancy(As(coach_a_).get(), get, &fetched).ok());
  EXPECT_EQ(fetched.tasks(0).skills(0).skill_uri(), kCook);
  EXPECT_TRUE(fetched.tasks(0).alongside_colleagues());
}

TEST_F(ServiceTest, CoachRanksVacanciesWithExplanations) {
  CreateKitchen();
  ASSERT_TRUE(CreateParticipant(coach_a_, NewParticipant("p-1")).ok());
  v1::RankVacanciesRequest request;
  request.set_participant_id("p-1");
  request.set_include_blocked(true);
  v1::RankVacanciesResponse response;
  grpc::Status status = matches_->RankVacancies(As(coach_a_).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.matches_size(), 1);
  const v1::Match& m = response.matches(0);
  EXPECT_EQ(m.vacancy_id(), "v-kitchen");
  EXPECT_EQ(m.employer_name(), "Sociaal restaurant");
  EXPECT_NE(m.tier(), v1::TIER_UNSPECIFIED);
  EXPECT_GT(m.score(), 0);
  EXPECT_FALSE(m.items().empty());
  const v1::ScoreParts& parts = m.score_parts();
  EXPECT_GT(parts.skills(), 0);  // catering credits cooking
  EXPECT_NEAR(parts.skills() + parts.commute() + parts.language() + parts.hours() +
                  parts.preferences() + parts.sustainability() - parts.penalty(),
              m.score(), 1e-6);

  EXPECT_EQ(matches_->RankVacancies(As(coach_b_).get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(matches_->RankVacancies(As(employer_).get(), request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ServiceTest, EmployerSeesOnlyAnonymousCardsOfConsentingParticipants) {
  CreateKitchen();
  ASSERT_TRUE(CreateParticipant(coach_a_, NewParticipant("p-yes")).ok());
  v1::Participant no = NewParticipant("p-no");
  no.mutable_consent()->set_share_anonymous_card(false);
  ASSERT_TRUE(CreateParticipant(coach_b_, no).ok());

  v1::RankParticipantsRequest request;
  request.set_vacancy_id("v-kitchen");
  request.set_include_blocked(true);
  v1::RankParticipantsResponse response;
  ASSERT_TRUE(matches_->RankParticipants(As(employer_).get(), request, &response).ok());
  ASSERT_EQ(response.candidates_size(), 1);
  EXPECT_TRUE(response.candidates(0).participant_id().empty());
  EXPECT_EQ(response.candidates(0).card_id().rfind("cand-", 0), 0u);
  EXPECT_EQ(response.candidates(0).card_id().find("p-yes"), std::string::npos);

  // A coach ranks only their own participants, and sees their ids.
  ASSERT_TRUE(matches_->RankParticipants(As(coach_b_).get(), request, &response).ok());
  ASSERT_EQ(response.candidates_size(), 1);
  EXPECT_EQ(response.candidates(0).participant_id(), "p-no");
}

TEST_F(ServiceTest, RankingFiltersAndPagesAndSeesWritesAtOnce) {
  CreateKitchen();
  // A second vacancy in another sector, far away (Oostende): blocked by the commute.
  v1::CreateEmployerRequest e;
  e.mutable_employer()->set_id("emp-coast");
  e.mutable_employer()->set_display_name("Coast hotel");
  e.mutable_employer()->set_sector("I55");
  v1::Site* site = e.mutable_employer()->add_sites();
  site->set_id("main");
  site->mutable_location()->mutable_point()->set_lat(51.2154);
  site->mutable_location()->mutable_point()->set_lon(2.9286);
  site->mutable_location()->set_municipality("Oostende");
  v1::Employer employer;
  ASSERT_TRUE(employers_->CreateEmployer(As(employer_).get(), e, &employer).ok());
  v1::GetVacancyRequest get;
  get.set_id("v-kitchen");
  v1::Vacancy kitchen;
  ASSERT_TRUE(vacancies_->GetVacancy(As(coach_a_).get(), get, &kitchen).ok());
  v1::CreateVacancyRequest far;
  *far.mutable_vacancy() = kitchen;
  far.mutable_vacancy()->set_id("v-coast");
  far.mutable_vacancy()->set_employer_id("emp-coast");
  v1::Vacancy created;
  ASSERT_TRUE(vacancies_->CreateVacancy(As(employer_).get(), far, &created).ok());
  ASSERT_TRUE(CreateParticipant(coach_a_, NewParticipant("p-1")).ok());

  v1::RankVacanciesRequest request;
  request.set_participant_id("p-1");
  request.set_include_blocked(true);
  v1::RankVacanciesResponse response;
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  ASSERT_EQ(response.total_size(), 2);
  const v1::Match& coast = response.matches(1);
  EXPECT_EQ(coast.vacancy_id(), "v-coast");
  EXPECT_EQ(coast.tier(), v1::BLOCKED);
  // Company transport does not reach 100 km away; nothing unblocks the coast job.
  EXPECT_TRUE(coast.unblock_with().empty());

  // Paging: one per page.
  request.set_limit(1);
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).vacancy_id(), "v-kitchen");
  request.set_page_token(response.next_page_token());
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).vacancy_id(), "v-coast");
  EXPECT_TRUE(response.next_page_token().empty());
  request.set_page_token("garbage");
  grpc::Status status = matches_->RankVacancies(As(coach_a_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
  request.clear_page_token();
  request.set_limit(10);

  // Filters: sector, commute, tier, outcome.
  request.mutable_filter()->add_sectors("I55");
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).vacancy_id(), "v-coast");
  request.mutable_filter()->Clear();
  request.mutable_filter()->set_max_commute_minutes(30);
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).vacancy_id(), "v-kitchen");
  request.mutable_filter()->Clear();
  request.mutable_filter()->add_tiers(v1::BLOCKED);
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).tier(), v1::BLOCKED);
  request.mutable_filter()->Clear();
  request.mutable_filter()->add_outcomes(v1::INTERNSHIP);
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  EXPECT_EQ(response.matches_size(), 0);
  request.set_include_blocked(false);
  request.mutable_filter()->Clear();
  request.mutable_filter()->add_tiers(v1::BLOCKED);
  status = matches_->RankVacancies(As(coach_a_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("filter.tiers[0]"));

  // The index follows writes: close the kitchen vacancy and it is no longer ranked.
  v1::UpdateVacancyRequest close;
  close.mutable_vacancy()->set_id("v-kitchen");
  close.mutable_vacancy()->set_status(v1::CLOSED);
  close.mutable_update_mask()->add_paths("status");
  v1::Vacancy closed;
  ASSERT_TRUE(vacancies_->UpdateVacancy(As(employer_).get(), close, &closed).ok());
  request.mutable_filter()->Clear();
  request.set_include_blocked(true);
  ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), request, &response).ok());
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_EQ(response.matches(0).vacancy_id(), "v-coast");
}

TEST_F(ServiceTest, ExplainMatchAnswersWhatIf) {
  CreateKitchen();
  v1::Participant p = NewParticipant("p-1");
  // Dutch speaking A1 against a task that needs A2: one level, the employer offers
  // coaching, so it fits with that accommodation. Without coaching it would block.
  p.mutable_dutch()->set_speaking_text("1.1");
  ASSERT_TRUE(CreateParticipant(coach_a_, p).ok());
  v1::UpdateVacancyRequest no_coaching;
  no_coaching.mutable_vacancy()->set_id("v-kitchen");
  no_coaching.mutable_update_mask()->add_paths("accommodations");
  v1::Vacancy updated;
  ASSERT_TRUE(vacancies_->UpdateVacancy(As(employer_).get(), no_coaching, &updated).ok());

  v1::ExplainMatchRequest request;
  request.set_participant_id("p-1");
  request.set_vacancy_id("v-kitchen");
  v1::ExplainMatchResponse response;
  ASSERT_TRUE(matches_->ExplainMatch(As(coach_a_).get(), request, &response).ok());
  EXPECT_EQ(response.current().tier(), v1::BLOCKED);
  EXPECT_THAT(response.current().unblock_with(), ElementsAre(v1::LANGUAGE_COACHING));
  EXPECT_FALSE(response.has_hypothetical());

  request.mutable_what_if()->mutable_dutch()->set_speaking_text("1.2");
  ASSERT_TRUE(matches_->ExplainMatch(As(coach_a_).get(), request, &response).ok());
  EXPECT_EQ(response.current().tier(), v1::BLOCKED);
  EXPECT_NE(response.hypothetical().tier(), v1::BLOCKED);

  request.mutable_what_if()->Clear();
  request.mutable_what_if()->add_add_accommodations(v1::LANGUAGE_COACHING);
  ASSERT_TRUE(matches_->ExplainMatch(As(coach_a_).get(), request, &response).ok());
  EXPECT_EQ(response.hypothetical().tier(), v1::FITS_WITH_ACCOMMODATIONS);
  EXPECT_THAT(response.hypothetical().accommodations(), ElementsAre(v1::LANGUAGE_COACHING));

  request.mutable_what_if()->mutable_dutch()->set_writing_text("Z9");
  grpc::Status status = matches_->ExplainMatch(As(coach_a_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("what_if.dutch.writing_text"));
  EXPECT_EQ(matches_->ExplainMatch(As(coach_b_).get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, BulkRankStreamsTopKBothWays) {
  CreateKitchen();
  for (int i = 0; i < 4; ++i) {
    v1::Participant p = NewParticipant("p-" + std::to_string(i));
    p.set_max_commute_minutes(10 + 10 * i);
    ASSERT_TRUE(CreateParticipant(coach_a_, p).ok());
  }
  ASSERT_TRUE(CreateParticipant(coach_b_, NewParticipant("p-other-org")).ok());
  v1::BulkRankRequest request;
  request.set_top_k(2);
  request.set_include_blocked(true);
  auto context = As(coach_a_);
  auto reader = matches_->BulkRank(context.get(), request);
  v1::BulkRankResponse message;
  std::vector<v1::BulkRankResponse> messages;
  while (reader->Read(&message)) messages.push_back(message);
  grpc::Status status = reader->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(messages.size(), 3u);
  EXPECT_TRUE(messages.front().has_progress());
  ASSERT_TRUE(messages.back().has_progress());
  EXPECT_EQ(messages.back().progress().pairs_done(), 4);  // 4 own participants x 1 vacancy
  EXPECT_EQ(messages.back().progress().pairs_total(), 4);
  std::vector<std::string> participants;
  const v1::BulkRankResponse::VacancyTop* kitchen = nullptr;
  for (const v1::BulkRankResponse& m : messages) {
    if (m.has_participant()) {
      participants.push_back(m.participant().participant_id());
      ASSERT_EQ(m.participant().vacancies_size(), 1);
      // The same answer as ranking that participant alone.
      v1::RankVacanciesRequest one;
      one.set_participant_id(m.participant().participant_id());
      one.set_include_blocked(true);
      v1::RankVacanciesResponse alone;
      ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), one, &alone).ok());
      EXPECT_EQ(m.participant().vacancies(0).tier(), alone.matches(0).tier());
      EXPECT_DOUBLE_EQ(m.participant().vacancies(0).score(), alone.matches(0).score());
    }
    if (m.has_vacancy()) kitchen = &m.vacancy();
  }
  EXPECT_THAT(participants, ElementsAre("p-0", "p-1", "p-2", "p-3"));  // not p-other-org
  ASSERT_NE(kitchen, nullptr);
  ASSERT_EQ(kitchen->participants_size(), 2);  // top_k
  v1::RankParticipantsRequest rank;
  rank.set_vacancy_id("v-kitchen");
  rank.set_include_blocked(true);
  rank.set_limit(2);
  v1::RankParticipantsResponse best;
  ASSERT_TRUE(matches_->RankParticipants(As(coach_a_).get(), rank, &best).ok());
  EXPECT_EQ(kitchen->participants(0).participant_id(), best.candidates(0).participant_id());
  EXPECT_EQ(kitchen->participants(1).participant_id(), best.candidates(1).participant_id());

  request.set_top_k(1000);
  auto bad_context = As(coach_a_);
  auto bad = matches_->BulkRank(bad_context.get(), request);
  while (bad->Read(&message)) {
  }
  status = bad->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("top_k"));
  request.set_top_k(2);
  request.add_participant_ids("p-other-org");
  auto other_context = As(coach_a_);
  auto other = matches_->BulkRank(other_context.get(), request);
  while (other->Read(&message)) {
  }
  status = other->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("participant_ids[0]"));
}

}  // namespace
}  // namespace carvematch
