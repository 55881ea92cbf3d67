// AssignmentService.Assign in-process over a real gRPC channel on a real SQLite file:
// three participants x two vacancies with capacities, where the optimum is checked
// against a brute force over the tiers and scores the MatchService reports for the same
// pairs; capacities hold; BLOCKED pairs are never assigned; the stable mode leaves no
// blocking pair (checked here independently); the side-by-side comparison; tenancy,
// bad input and cancellation / deadlines; selection by participant and vacancy filters
// (each criterion, exclusivity with ids, empty selections); the waiting time from
// Participant.job_seeker_since against an injected clock; chunks of at most 256 KiB.
#include "services/assignment_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "carvematch/v1/assignment.grpc.pb.h"
#include "carvematch/v1/employer.grpc.pb.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "carvematch/v1/participant.grpc.pb.h"
#include "carvematch/v1/vacancy.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server_builder.h"
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

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

// 2026-11-23 12:00:00 UTC, the day the clocked service takes as today.
constexpr int64_t kToday = 1795435200;

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

struct Pair {
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  double score = 0;
};

struct Outcome {
  grpc::Status status;
  std::vector<v1::AssignResponse> messages;
  std::vector<v1::Placement> placements;
  std::vector<v1::Unassigned> unassigned;
  v1::AssignSummary summary;
  int summaries = 0;
};

class AssignmentServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    OpenStore();
    PrepareMatching(SmallRelease());
    const ServiceContext context = Context();
    StartServer(context);
    // A second server with only the AssignmentService, on the same index, whose clock
    // the tests set (waiting times).
    clocked_service_ = std::make_unique<AssignmentServiceImpl>(
        context, [this] { return std::chrono::system_clock::time_point(now_); });
    grpc::ServerBuilder builder;
    builder.RegisterService(clocked_service_.get());
    clocked_server_ = builder.BuildAndStart();
    ASSERT_NE(clocked_server_, nullptr);
    clocked_ =
        v1::AssignmentService::NewStub(clocked_server_->InProcessChannel(grpc::ChannelArguments()));
    coach_a_ = Key("org-a", "coach");
    coach_b_ = Key("org-b", "coach");
    employer_ = Key("org-e", "employer");
    Populate();
  }

  void TearDown() override {
    clocked_server_->Shutdown();
    clocked_server_.reset();
    ServiceFixture::TearDown();
  }

  static v1::Participant NewParticipant(const std::string& id, int max_commute,
                                        v1::TransportMode mode, int skill_level) {
    v1::Participant p;
    p.set_id(id);
    p.mutable_home()->mutable_point()->set_lat(50.9378);
    p.mutable_home()->mutable_point()->set_lon(4.0403);
    p.mutable_home()->set_municipality("Aalst");
    p.add_transport_modes(mode);
    p.set_max_commute_minutes(max_commute);
    v1::SkillClaim* s = p.add_skills();
    s->set_skill_uri(kCater);
    s->set_level(skill_level);
    s->set_source(v1::VOLUNTEERING);
    p.mutable_dutch()->set_listening_text("1.2");
    p.mutable_dutch()->set_speaking_text("1.2");
    p.mutable_dutch()->set_reading(v1::A1);
    p.mutable_dutch()->set_writing(v1::A1);
    p.mutable_consent()->set_share_anonymous_card(true);
    return p;
  }

  void AddVacancy(const std::string& id, const std::string& site, int capacity,
                  const std::function<void(v1::Vacancy*)>& change = nullptr) {
    v1::CreateVacancyRequest v;
    v1::Vacancy* vac = v.mutable_vacancy();
    vac->set_id(id);
    vac->set_employer_id("emp-kitchen");
    vac->set_site_id(site);
    vac->set_title("Kitchen help");
    vac->set_occupation_uri(kKitchenHelp);
    vac->set_hours_per_week(20);
    vac->set_contract_type(v1::OPEN_ENDED);
    vac->set_capacity(capacity);
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
    if (change) change(vac);
    v1::Vacancy out;
    grpc::Status status = vacancies_->CreateVacancy(As(employer_).get(), v, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // One employer with a site in Aalst and one in Gent; v-aalst has 2 places, v-gent 1.
  // Three participants of org-a in Aalst (bike 40 min, bike 15 min, car 60 min) with
  // different skill levels, and one of org-b.
  void Populate() {
    v1::CreateEmployerRequest e;
    e.mutable_employer()->set_id("emp-kitchen");
    e.mutable_employer()->set_display_name("Sociaal restaurant");
    e.mutable_employer()->set_sector("I56");
    v1::Site* site = e.mutable_employer()->add_sites();
    site->set_id("aalst");
    site->set_name("Restaurant Aalst");
    site->mutable_location()->mutable_point()->set_lat(50.9410);
    site->mutable_location()->mutable_point()->set_lon(4.0330);
    site->mutable_location()->set_municipality("Aalst");
    site = e.mutable_employer()->add_sites();
    site->set_id("gent");
    site->set_name("Restaurant Gent");
    site->mutable_location()->mutable_point()->set_lat(51.0543);
    site->mutable_location()->mutable_point()->set_lon(3.7174);
    site->mutable_location()->set_municipality("Gent");
    v1::Employer employer;
    ASSERT_TRUE(employers_->CreateEmployer(As(employer_).get(), e, &employer).ok());
    AddVacancy("v-aalst", "aalst", 2);
    AddVacancy("v-gent", "gent", 1);
    Create(coach_a_, NewParticipant("p-0", 40, v1::BIKE, 2));
    Create(coach_a_, NewParticipant("p-1", 15, v1::BIKE, 3));
    Create(coach_a_, NewParticipant("p-2", 60, v1::CAR, 1));
    Create(coach_b_, NewParticipant("p-other-org", 60, v1::CAR, 3));
  }

  void Create(const std::string& key, const v1::Participant& p) {
    v1::CreateParticipantRequest request;
    *request.mutable_participant() = p;
    v1::Participant out;
    grpc::Status status = participants_->CreateParticipant(As(key).get(), request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Tier and score of every pair, as MatchService.RankVacancies reports them.
  std::map<std::pair<std::string, std::string>, Pair> Pairs() {
    std::map<std::pair<std::string, std::string>, Pair> pairs;
    for (const char* id : kOwn) {
      v1::RankVacanciesRequest request;
      request.set_participant_id(id);
      request.set_include_blocked(true);
      v1::RankVacanciesResponse response;
      grpc::Status status = matches_->RankVacancies(As(coach_a_).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      for (const v1::Match& m : response.matches()) {
        pairs[{id, m.vacancy_id()}] = {m.tier(), m.score()};
      }
    }
    return pairs;
  }

  Outcome Run(const v1::AssignRequest& request, const std::string& key,
              std::unique_ptr<grpc::ClientContext> context = nullptr,
              v1::AssignmentService::Stub* stub = nullptr) {
    if (context == nullptr) context = As(key);
    if (stub == nullptr) stub = assignment_.get();
    Outcome out;
    auto reader = stub->Assign(context.get(), request);
    v1::AssignResponse message;
    while (reader->Read(&message)) {
      out.messages.push_back(message);
      if (message.has_placements()) {
        for (const auto& p : message.placements().placements()) out.placements.push_back(p);
      }
      if (message.has_unassigned()) {
        for (const auto& u : message.unassigned().unassigned()) out.unassigned.push_back(u);
      }
      if (message.has_summary()) {
        out.summary = message.summary();
        ++out.summaries;
      }
    }
    out.status = reader->Finish();
    return out;
  }

  // On the clocked server (today = kToday unless a test moves now_).
  Outcome RunClocked(const v1::AssignRequest& request, const std::string& key) {
    return Run(request, key, nullptr, clocked_.get());
  }

  // The participants an answer is about: placed or unassigned, each once.
  static std::vector<std::string> Covered(const Outcome& out) {
    std::set<std::string> ids;
    for (const v1::Placement& p : out.placements) ids.insert(p.participant_id());
    for (const v1::Unassigned& u : out.unassigned) ids.insert(u.participant_id());
    return {ids.begin(), ids.end()};
  }

  // More variety for the filters: org-a's p-zele (Zele, postal code 9240, a car and a
  // licence, so 0 barriers, aims at internships, a job seeker since 2024-01-15), and a
  // second employer (G47 retail, a site in Aalst with postal code 9300) with v-shop (TEMP,
  // INTERNSHIP, 5 places), plus v-carved (carved from v-aalst, 1 place).
  void AddVariety() {
    v1::Participant zele = NewParticipant("p-zele", 45, v1::CAR, 2);
    zele.add_licences("B");
    zele.mutable_home()->set_municipality("Zele");
    zele.mutable_home()->set_postal_code("9240");
    zele.mutable_dutch()->set_listening(v1::B1);
    zele.mutable_dutch()->set_speaking(v1::B1);
    zele.mutable_dutch()->clear_listening_text();
    zele.mutable_dutch()->clear_speaking_text();
    zele.add_target_outcomes(v1::INTERNSHIP);
    zele.set_job_seeker_since("2024-01-15");
    Create(coach_a_, zele);

    v1::CreateEmployerRequest e;
    e.mutable_employer()->set_id("emp-shop");
    e.mutable_employer()->set_display_name("Buurtwinkel");
    e.mutable_employer()->set_sector("G47");
    v1::Site* site = e.mutable_employer()->add_sites();
    site->set_id("aalst");
    site->set_name("Winkel Aalst");
    site->mutable_location()->mutable_point()->set_lat(50.9400);
    site->mutable_location()->mutable_point()->set_lon(4.0380);
    site->mutable_location()->set_municipality("Aalst");
    site->mutable_location()->set_postal_code("9300");
    v1::Employer employer;
    ASSERT_TRUE(employers_->CreateEmployer(As(employer_).get(), e, &employer).ok());
    AddVacancy("v-shop", "aalst", 5, [](v1::Vacancy* v) {
      v->set_employer_id("emp-shop");
      v->set_contract_type(v1::TEMP);
      v->set_outcome(v1::INTERNSHIP);
    });
    AddVacancy("v-carved", "aalst", 1, [](v1::Vacancy* v) { v->add_carved_from("v-aalst"); });
  }

  static constexpr const char* kOwn[] = {"p-0", "p-1", "p-2"};
  static constexpr const char* kVacancies[] = {"v-aalst", "v-gent"};
  static constexpr int kCapacity[] = {2, 1};

  std::chrono::system_clock::duration now_ = std::chrono::seconds(kToday);
  std::unique_ptr<AssignmentServiceImpl> clocked_service_;
  std::unique_ptr<grpc::Server> clocked_server_;
  std::unique_ptr<v1::AssignmentService::Stub> clocked_;
  std::string coach_a_, coach_b_, employer_;
};

// The objective weight of a pair (assignment/assignment.h): round(1000 x score) + 1.
int64_t Weight(double score) { return std::llround(1000 * score) + 1; }

bool Eligible(v1::Tier tier, bool accommodations) {
  return tier == v1::FITS || (accommodations && tier == v1::FITS_WITH_ACCOMMODATIONS);
}

TEST_F(AssignmentServiceTest, MatchQualityEqualsBruteForceOptimum) {
  auto pairs = Pairs();
  // The instance is not trivial: some pair is BLOCKED and some pair is eligible.
  int blocked = 0, eligible = 0;
  for (const auto& [key, pair] : pairs) {
    blocked += pair.tier == v1::BLOCKED;
    eligible += Eligible(pair.tier, true);
  }
  ASSERT_GT(blocked, 0);
  ASSERT_GT(eligible, 0);

  // Brute force: each participant takes nothing or one vacancy (3^3 choices).
  int64_t best = -1;
  int best_count = 0;
  std::vector<std::pair<std::string, std::string>> best_placements;
  for (int code = 0; code < 27; ++code) {
    int choice[3] = {code % 3, (code / 3) % 3, code / 9};
    int used[2] = {0, 0};
    int64_t total = 0;
    bool ok = true;
    std::vector<std::pair<std::string, std::string>> placed;
    for (int p = 0; p < 3 && ok; ++p) {
      if (choice[p] == 0) continue;
      const int v = choice[p] - 1;
      auto it = pairs.find({kOwn[p], kVacancies[v]});
      if (it == pairs.end() || !Eligible(it->second.tier, true) || ++used[v] > kCapacity[v]) {
        ok = false;
        break;
      }
      total += Weight(it->second.score);
      placed.push_back({kOwn[p], kVacancies[v]});
    }
    if (!ok) continue;
    if (total > best) {
      best = total;
      best_count = 1;
      best_placements = placed;
    } else if (total == best) {
      ++best_count;
    }
  }
  ASSERT_EQ(best_count, 1) << "the instance should have a unique optimum";

  v1::AssignRequest request;
  Outcome out = Run(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  ASSERT_EQ(out.summaries, 1);
  EXPECT_TRUE(out.messages.back().has_summary());
  ASSERT_TRUE(out.messages.front().has_progress());
  EXPECT_EQ(out.messages.front().progress().phase(), v1::AssignResponse::Progress::RANKING);
  bool solving = false;
  for (const auto& m : out.messages) {
    if (m.has_progress() && m.progress().phase() == v1::AssignResponse::Progress::SOLVING) {
      solving = true;
      EXPECT_LE(m.progress().done(), m.progress().total());
    }
  }
  EXPECT_TRUE(solving);

  std::vector<std::pair<std::string, std::string>> got;
  for (const v1::Placement& p : out.placements) {
    got.push_back({p.participant_id(), p.vacancy_id()});
    const Pair& pair = pairs.at({p.participant_id(), p.vacancy_id()});
    EXPECT_NE(p.tier(), v1::BLOCKED);
    EXPECT_EQ(p.tier(), pair.tier);
    EXPECT_DOUBLE_EQ(p.score(), pair.score);
  }
  EXPECT_EQ(got, best_placements);
  EXPECT_EQ(out.summary.result().objective(), v1::MATCH_QUALITY);
  EXPECT_EQ(out.summary.result().objective_value(), best);
  EXPECT_EQ(out.summary.participants(), 3);  // not p-other-org
  EXPECT_EQ(out.summary.vacancies(), 2);
  EXPECT_EQ(out.summary.places(), 3);
  // Everybody is either placed or listed as unassigned with a reason.
  EXPECT_EQ(out.placements.size() + out.unassigned.size(), 3u);
  for (const v1::Unassigned& u : out.unassigned) {
    int eligible_here = 0;
    for (const char* v : kVacancies) {
      auto it = pairs.find({u.participant_id(), v});
      eligible_here += it != pairs.end() && Eligible(it->second.tier, true);
    }
    EXPECT_EQ(u.eligible_vacancies(), eligible_here);
    EXPECT_EQ(u.reason(), eligible_here == 0 ? v1::Unassigned::NO_FEASIBLE_VACANCY
                                             : v1::Unassigned::OUTCOMPETED);
  }
  int fairness_pool = 0;
  for (const auto& g : out.summary.result().fairness().groups()) fairness_pool += g.pool();
  EXPECT_EQ(fairness_pool, 3);
  EXPECT_EQ(out.summary.result().fairness().assigned(), static_cast<int>(out.placements.size()));
}

TEST_F(AssignmentServiceTest, CapacityOfOneVacancyHolds) {
  // Only v-aalst (2 places) for the three participants: at most 2 placed.
  v1::AssignRequest request;
  request.add_vacancy_ids("v-aalst");
  Outcome out = Run(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  auto pairs = Pairs();
  int eligible = 0;
  for (const char* p : kOwn) {
    auto it = pairs.find({p, "v-aalst"});
    eligible += it != pairs.end() && Eligible(it->second.tier, true);
  }
  EXPECT_EQ(static_cast<int>(out.placements.size()), std::min(eligible, 2));
  for (const v1::Placement& p : out.placements) EXPECT_EQ(p.vacancy_id(), "v-aalst");
  EXPECT_EQ(out.summary.places(), 2);
}

TEST_F(AssignmentServiceTest, StableModeHasNoBlockingPairs) {
  v1::AssignRequest request;
  request.set_objective(v1::STABLE);
  Outcome out = Run(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  EXPECT_EQ(out.summary.result().objective(), v1::STABLE);
  EXPECT_EQ(out.summary.blocking_pairs(), 0);
  EXPECT_FALSE(out.placements.empty());

  // Independent check: preferences by tier (FITS first) then score; no eligible pair
  // outside the placements where both would rather be together.
  auto pairs = Pairs();
  auto rank = [&](const std::string& p, const std::string& v) {
    const Pair& x = pairs.at({p, v});
    return std::make_pair(x.tier == v1::FITS ? 0 : 1, -x.score);
  };
  std::map<std::string, std::string> held;                  // participant -> vacancy
  std::map<std::string, std::vector<std::string>> holders;  // vacancy -> participants
  for (const v1::Placement& p : out.placements) {
    held[p.participant_id()] = p.vacancy_id();
    holders[p.vacancy_id()].push_back(p.participant_id());
  }
  for (int v = 0; v < 2; ++v) {
    EXPECT_LE(static_cast<int>(holders[kVacancies[v]].size()), kCapacity[v]);
  }
  for (const auto& [key, pair] : pairs) {
    const auto& [p, v] = key;
    if (!Eligible(pair.tier, true) || (held.count(p) && held[p] == v)) continue;
    const bool p_wants = !held.count(p) || rank(p, v) < rank(p, held[p]);
    const int cap = v == "v-aalst" ? 2 : 1;
    bool v_wants = static_cast<int>(holders[v].size()) < cap;
    for (const std::string& q : holders[v]) v_wants = v_wants || rank(p, v) < rank(q, v);
    EXPECT_FALSE(p_wants && v_wants) << p << " and " << v << " block";
  }
}

TEST_F(AssignmentServiceTest, CompareObjectivesSideBySide) {
  v1::AssignRequest request;
  request.set_objective(v1::ANTI_CREAMING);
  request.set_compare_objectives(true);
  Outcome out = Run(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  EXPECT_EQ(out.summary.result().objective(), v1::ANTI_CREAMING);
  EXPECT_EQ(out.summary.other().objective(), v1::MATCH_QUALITY);
  int pool = 0;
  for (const auto& g : out.summary.comparison()) pool += g.pool();
  EXPECT_EQ(pool, 3);
  EXPECT_EQ(out.summary.result().placements(), static_cast<int>(out.placements.size()));
  // The plain optimum is the same as a plain run.
  Outcome plain = Run(v1::AssignRequest(), coach_a_);
  ASSERT_TRUE(plain.status.ok());
  EXPECT_EQ(out.summary.other().objective_value(), plain.summary.result().objective_value());
  EXPECT_GE(out.summary.score_cost(), -0.01);
}

TEST_F(AssignmentServiceTest, AccommodationsCanBeExcluded) {
  v1::AssignRequest request;
  request.set_allow_accommodations(false);
  Outcome out = Run(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  for (const v1::Placement& p : out.placements) EXPECT_EQ(p.tier(), v1::FITS);
}

TEST_F(AssignmentServiceTest, BadInputNamesTheField) {
  v1::AssignRequest request;
  request.set_proposals_per_participant(0);
  Outcome out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status), ElementsAre("proposals_per_participant"));

  request.Clear();
  request.add_vacancy_ids("v-aalst");
  request.add_vacancy_ids("v-nowhere");
  out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status), ElementsAre("vacancy_ids[1]"));

  AddVacancy("v-closed", "aalst", 1, [](v1::Vacancy* v) { v->set_status(v1::CLOSED); });
  request.Clear();
  request.add_vacancy_ids("v-closed");
  out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status), ElementsAre("vacancy_ids[0]"));

  request.Clear();
  request.add_participant_ids("p-other-org");  // another organisation's participant
  out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status), ElementsAre("participant_ids[0]"));

  request.Clear();
  request.set_objective(v1::STABLE);
  request.set_compare_objectives(true);
  out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status), ElementsAre("compare_objectives"));

  out = Run(v1::AssignRequest(), employer_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AssignmentServiceTest, DeadlineAndCancellation) {
  auto late = As(coach_a_);
  late->set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  Outcome out = Run(v1::AssignRequest(), coach_a_, std::move(late));
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  auto cancelled = As(coach_a_);
  cancelled->TryCancel();
  out = Run(v1::AssignRequest(), coach_a_, std::move(cancelled));
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(out.summaries, 0);

  // Cancelled by the client after the first message of a running call.
  auto context = As(coach_a_);
  auto reader = assignment_->Assign(context.get(), v1::AssignRequest());
  v1::AssignResponse message;
  ASSERT_TRUE(reader->Read(&message));
  EXPECT_TRUE(message.has_progress());
  context->TryCancel();
  while (reader->Read(&message)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(AssignmentServiceTest, ParticipantFilterEachCriterion) {
  AddVariety();
  auto selected = [&](const v1::ParticipantFilter& filter, const std::string& key) {
    v1::AssignRequest request;
    *request.mutable_participant_filter() = filter;
    Outcome out = RunClocked(request, key);
    EXPECT_TRUE(out.status.ok()) << out.status.error_message();
    EXPECT_EQ(out.summary.selection().participants_selected(),
              static_cast<int>(Covered(out).size()));
    return Covered(out);
  };
  v1::ParticipantFilter f;
  // An empty filter keeps everyone the caller may see.
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-0", "p-1", "p-2", "p-zele"));
  EXPECT_THAT(selected(f, coach_b_), ElementsAre("p-other-org"));

  f.mutable_home()->add_municipalities("zele");
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-zele"));
  f.Clear();
  f.mutable_home()->add_postal_code_prefixes("92");
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-zele"));

  // Participants without target outcomes are open to all and stay.
  f.Clear();
  f.add_target_outcomes(v1::PAID_JOB);
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-0", "p-1", "p-2"));
  f.add_target_outcomes(v1::INTERNSHIP);
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-0", "p-1", "p-2", "p-zele"));

  // Barriers: p-0 and p-2 have no car (1), p-1 also a short commute (2), p-zele none.
  f.Clear();
  f.set_max_barriers(0);
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-zele"));
  f.set_max_barriers(1);
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-0", "p-2", "p-zele"));

  // Waiting: p-zele since 2024-01-15 (34 months on the clocked day); the others unknown.
  f.Clear();
  f.set_min_waiting_months(34);
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-zele"));
  f.set_min_waiting_months(35);
  v1::AssignRequest request;
  *request.mutable_participant_filter() = f;
  Outcome none = RunClocked(request, coach_a_);
  ASSERT_TRUE(none.status.ok()) << none.status.error_message();
  EXPECT_EQ(none.summary.selection().participants_selected(), 0);

  // Organisation: admins choose; others only their own.
  const std::string admin = Key("org-admin", "admin");
  f.Clear();
  EXPECT_THAT(selected(f, admin), ElementsAre("p-0", "p-1", "p-2", "p-other-org", "p-zele"));
  f.set_organisation_id("org-b");
  EXPECT_THAT(selected(f, admin), ElementsAre("p-other-org"));
  f.set_organisation_id("org-a");
  EXPECT_THAT(selected(f, coach_a_), ElementsAre("p-0", "p-1", "p-2", "p-zele"));
  f.set_organisation_id("org-b");
  *request.mutable_participant_filter() = f;
  Outcome foreign = RunClocked(request, coach_a_);
  EXPECT_EQ(foreign.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(foreign.summaries, 0);
}

TEST_F(AssignmentServiceTest, VacancyFilterEachCriterion) {
  AddVariety();
  // Open vacancies: v-aalst (I56, OPEN_ENDED, 2 places), v-gent (I56, Gent, 1),
  // v-carved (I56, carved, 1), v-shop (G47, TEMP, INTERNSHIP, 9300, 5).
  struct Selected {
    int count = 0;
    int64_t places = 0;
    std::set<std::string> placed_at;
  };
  auto selected = [&](const v1::VacancyFilter& filter) {
    v1::AssignRequest request;
    *request.mutable_vacancy_filter() = filter;
    Outcome out = Run(request, coach_a_);
    EXPECT_TRUE(out.status.ok()) << out.status.error_message();
    EXPECT_EQ(out.summary.selection().vacancies_open(), 4);
    Selected s;
    s.count = out.summary.selection().vacancies_selected();
    s.places = out.summary.places();
    for (const v1::Placement& p : out.placements) s.placed_at.insert(p.vacancy_id());
    return s;
  };
  auto within = [](const Selected& s, std::set<std::string> allowed) {
    return std::includes(allowed.begin(), allowed.end(), s.placed_at.begin(), s.placed_at.end());
  };
  v1::VacancyFilter f;
  Selected all = selected(f);
  EXPECT_EQ(all.count, 4);
  EXPECT_EQ(all.places, 9);

  f.add_sectors("G4");
  Selected s = selected(f);
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.places, 5);
  EXPECT_TRUE(within(s, {"v-shop"}));

  f.Clear();
  f.add_employer_ids("emp-kitchen");
  s = selected(f);
  EXPECT_EQ(s.count, 3);
  EXPECT_EQ(s.places, 4);
  EXPECT_TRUE(within(s, {"v-aalst", "v-gent", "v-carved"}));

  f.Clear();
  f.mutable_site()->add_municipalities("GENT");
  s = selected(f);
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.places, 1);
  EXPECT_TRUE(within(s, {"v-gent"}));

  f.Clear();
  f.mutable_site()->add_postal_code_prefixes("93");
  s = selected(f);
  EXPECT_EQ(s.count, 1);
  EXPECT_TRUE(within(s, {"v-shop"}));

  f.Clear();
  f.add_contract_types(v1::OPEN_ENDED);
  s = selected(f);
  EXPECT_EQ(s.count, 3);
  EXPECT_TRUE(within(s, {"v-aalst", "v-gent", "v-carved"}));

  f.Clear();
  f.add_outcomes(v1::INTERNSHIP);
  s = selected(f);
  EXPECT_EQ(s.count, 1);
  EXPECT_TRUE(within(s, {"v-shop"}));

  f.Clear();
  f.set_carved_only(true);
  s = selected(f);
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.places, 1);
  EXPECT_TRUE(within(s, {"v-carved"}));

  f.Clear();
  f.set_min_places(2);
  s = selected(f);
  EXPECT_EQ(s.count, 2);
  EXPECT_EQ(s.places, 7);
  EXPECT_TRUE(within(s, {"v-aalst", "v-shop"}));

  // Criteria combine: I56 in Aalst with at least 2 places.
  f.add_sectors("I");
  f.mutable_site()->add_municipalities("Aalst");
  s = selected(f);
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.places, 2);
}

TEST_F(AssignmentServiceTest, EmptySelectionIsASummaryAlone) {
  v1::AssignRequest request;
  request.mutable_vacancy_filter()->add_sectors("Q86");  // no hospital here
  request.set_objective(v1::ANTI_CREAMING);
  Outcome out = Run(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  ASSERT_EQ(out.messages.size(), 1u);  // no progress, no chunks
  ASSERT_EQ(out.summaries, 1);
  EXPECT_EQ(out.summary.selection().participants_visible(), 3);
  EXPECT_EQ(out.summary.selection().participants_selected(), 3);
  EXPECT_EQ(out.summary.selection().vacancies_open(), 2);
  EXPECT_EQ(out.summary.selection().vacancies_selected(), 0);
  EXPECT_EQ(out.summary.result().objective(), v1::ANTI_CREAMING);
  EXPECT_EQ(out.summary.result().placements(), 0);
  EXPECT_EQ(out.summary.participants(), 3);
  EXPECT_EQ(out.summary.vacancies(), 0);

  request.Clear();
  request.mutable_participant_filter()->mutable_home()->add_municipalities("Brugge");
  out = Run(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  ASSERT_EQ(out.messages.size(), 1u);
  EXPECT_EQ(out.summary.selection().participants_selected(), 0);
  EXPECT_EQ(out.summary.selection().vacancies_selected(), 2);
  EXPECT_EQ(out.summary.places(), 3);
}

TEST_F(AssignmentServiceTest, IdsAndFilterAreExclusive) {
  v1::AssignRequest request;
  request.add_participant_ids("p-0");
  request.mutable_participant_filter()->set_max_barriers(2);
  Outcome out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status), ElementsAre("participant_filter"));

  request.Clear();
  request.add_vacancy_ids("v-aalst");
  request.mutable_vacancy_filter();  // set, even empty
  out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status), ElementsAre("vacancy_filter"));

  request.add_participant_ids("p-0");
  request.mutable_participant_filter();
  out = Run(request, coach_a_);
  EXPECT_THAT(ViolatedFields(out.status),
              UnorderedElementsAre("participant_filter", "vacancy_filter"));

  // Ids of one side with a filter of the other are fine.
  request.Clear();
  request.add_participant_ids("p-0");
  request.mutable_vacancy_filter()->add_sectors("I56");
  out = Run(request, coach_a_);
  EXPECT_TRUE(out.status.ok()) << out.status.error_message();
  EXPECT_EQ(out.summary.participants(), 1);

  // Malformed criteria name their field.
  request.Clear();
  request.mutable_participant_filter()->set_max_barriers(-1);
  request.mutable_participant_filter()->set_min_waiting_months(-2);
  request.mutable_participant_filter()->add_target_outcomes(static_cast<v1::TargetOutcome>(42));
  request.mutable_participant_filter()->mutable_home()->add_municipalities("");
  request.mutable_vacancy_filter()->add_contract_types(static_cast<v1::ContractType>(9));
  request.mutable_vacancy_filter()->add_outcomes(v1::TARGET_OUTCOME_UNSPECIFIED);
  request.mutable_vacancy_filter()->set_min_places(-1);
  request.mutable_vacancy_filter()->mutable_site()->add_postal_code_prefixes("");
  request.mutable_vacancy_filter()->add_sectors("");
  out = Run(request, coach_a_);
  EXPECT_EQ(out.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(out.status),
              UnorderedElementsAre(
                  "participant_filter.max_barriers", "participant_filter.min_waiting_months",
                  "participant_filter.target_outcomes[0]",
                  "participant_filter.home.municipalities[0]", "vacancy_filter.contract_types[0]",
                  "vacancy_filter.outcomes[0]", "vacancy_filter.min_places",
                  "vacancy_filter.site.postal_code_prefixes[0]", "vacancy_filter.sectors[0]"));
}

TEST_F(AssignmentServiceTest, JobSeekerSinceIsStoredAndValidated) {
  v1::Participant p = NewParticipant("p-since", 40, v1::BIKE, 2);
  p.set_job_seeker_since("2025-03-31");
  Create(coach_a_, p);
  v1::GetParticipantRequest get;
  get.set_id("p-since");
  v1::Participant got;
  ASSERT_TRUE(participants_->GetParticipant(As(coach_a_).get(), get, &got).ok());
  EXPECT_EQ(got.job_seeker_since(), "2025-03-31");
  get.set_id("p-0");  // created without it
  ASSERT_TRUE(participants_->GetParticipant(As(coach_a_).get(), get, &got).ok());
  EXPECT_EQ(got.job_seeker_since(), "");

  for (const char* bad : {"2999-01-01", "2025-02-29", "31/03/2025"}) {
    v1::CreateParticipantRequest request;
    *request.mutable_participant() = NewParticipant("p-bad", 40, v1::BIKE, 2);
    request.mutable_participant()->set_job_seeker_since(bad);
    v1::Participant out;
    grpc::Status status = participants_->CreateParticipant(As(coach_a_).get(), request, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("participant.job_seeker_since")) << bad;
  }
}

TEST_F(AssignmentServiceTest, WaitingTimeChangesTheAntiCreamingOptimum) {
  // One place, two participants of the same profile but their skill level and the day
  // they registered as job seekers.
  AddVacancy("v-solo", "aalst", 1);
  v1::Participant strong = NewParticipant("q-strong", 40, v1::BIKE, 4);
  strong.set_job_seeker_since("2026-10-01");
  v1::Participant waiting = NewParticipant("q-waiting", 40, v1::BIKE, 1);
  waiting.set_job_seeker_since("2024-01-15");
  Create(coach_a_, strong);
  Create(coach_a_, waiting);
  std::map<std::string, Pair> pair;
  for (const char* id : {"q-strong", "q-waiting"}) {
    v1::RankVacanciesRequest rank;
    rank.set_participant_id(id);
    v1::RankVacanciesResponse response;
    ASSERT_TRUE(matches_->RankVacancies(As(coach_a_).get(), rank, &response).ok());
    for (const v1::Match& m : response.matches()) {
      if (m.vacancy_id() == "v-solo") pair[id] = {m.tier(), m.score()};
    }
  }
  ASSERT_TRUE(Eligible(pair["q-strong"].tier, true));
  ASSERT_TRUE(Eligible(pair["q-waiting"].tier, true));
  ASSERT_GT(pair["q-strong"].score, pair["q-waiting"].score);

  v1::AssignRequest request;
  request.add_participant_ids("q-strong");
  request.add_participant_ids("q-waiting");
  request.add_vacancy_ids("v-solo");
  request.set_objective(v1::ANTI_CREAMING);
  request.set_compare_objectives(true);
  v1::AntiCreamingWeights* w = request.mutable_anti_creaming();
  w->set_per_barrier(0);
  w->set_max_barriers(4);
  w->set_per_waiting_month(5);
  w->set_max_waiting_months(24);

  // Today 2026-11-23: q-waiting has waited 34 months (counted up to 24), q-strong 1.
  Outcome out = RunClocked(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  ASSERT_EQ(out.placements.size(), 1u);
  EXPECT_EQ(out.placements[0].participant_id(), "q-waiting");
  EXPECT_EQ(out.summary.result().objective_value(),
            std::llround(1000 * (pair["q-waiting"].score + 5 * 24)) + 1);
  EXPECT_EQ(out.summary.other().objective_value(), Weight(pair["q-strong"].score));
  EXPECT_NEAR(out.summary.score_cost(), pair["q-strong"].score - pair["q-waiting"].score, 1e-9);

  // On 2024-01-20 neither had waited a whole month: the better score takes the place.
  now_ = std::chrono::seconds(1705752000);
  out = RunClocked(request, coach_a_);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  ASSERT_EQ(out.placements.size(), 1u);
  EXPECT_EQ(out.placements[0].participant_id(), "q-strong");
  EXPECT_EQ(out.summary.result().objective_value(), Weight(pair["q-strong"].score));
}

TEST_F(AssignmentServiceTest, LargeResultsAreChunkedBelow256KiB) {
  // 2600 participants of org-big with the longest ids allowed (63 characters), one
  // vacancy of 2000 places: 2000 placements of about 140 bytes, ~280 KiB in all.
  constexpr int kPeople = 2600;
  constexpr int kPlaces = 2000;
  const std::string coach_big = Key("org-big", "coach");
  auto long_id = [](const std::string& prefix, int i) {
    std::string n = std::to_string(i);
    return prefix + std::string(63 - prefix.size() - n.size(), '0') + n;
  };
  const std::string vacancy_id = long_id("v-", 1);
  AddVacancy(vacancy_id, "aalst", kPlaces);
  std::vector<std::string> ids;
  v1::Participant proto = NewParticipant("x", 40, v1::BIKE, 2);
  proto.set_organisation_id("org-big");
  ASSERT_TRUE(repo_
                  ->InTransaction([&](Repository& tx) -> absl::Status {
                    for (int i = 0; i < kPeople; ++i) {
                      std::vector<FieldViolation> unparsed;
                      proto.set_id(long_id("p-", i));
                      Participant p = ParticipantFromProto(proto, &unparsed);
                      if (!unparsed.empty()) return absl::InternalError("conversion");
                      ids.push_back(p.id);
                      absl::StatusOr<Participant> stored = tx.CreateParticipant(p);
                      if (!stored.ok()) return stored.status();
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  for (const std::string& id : ids) ASSERT_TRUE(index_->RefreshParticipant(*repo_, id).ok());

  v1::AssignRequest request;
  request.add_vacancy_ids(vacancy_id);
  Outcome out = Run(request, coach_big);
  ASSERT_TRUE(out.status.ok()) << out.status.error_message();
  ASSERT_EQ(out.summary.participants(), kPeople);
  ASSERT_EQ(static_cast<int>(out.placements.size()), kPlaces) << "the profile should fit";

  int placement_messages = 0, unassigned_messages = 0;
  size_t placement_bytes = 0;
  for (const v1::AssignResponse& m : out.messages) {
    EXPECT_LE(m.ByteSizeLong(), 256u * 1024) << "a message over the chunk limit";
    if (m.has_placements()) {
      ++placement_messages;
      placement_bytes += m.ByteSizeLong();
    }
    unassigned_messages += m.has_unassigned();
  }
  EXPECT_GT(placement_bytes, 256u * 1024);
  EXPECT_EQ(placement_messages, 2);
  EXPECT_EQ(unassigned_messages, 1);
  // Reassembled: every participant once, placed or outcompeted, all at the vacancy.
  EXPECT_EQ(out.unassigned.size(), static_cast<size_t>(kPeople - kPlaces));
  EXPECT_THAT(Covered(out), UnorderedElementsAreArray(ids));
  std::set<std::string> placed;
  for (const v1::Placement& p : out.placements) {
    EXPECT_EQ(p.vacancy_id(), vacancy_id);
    placed.insert(p.participant_id());
  }
  EXPECT_EQ(placed.size(), static_cast<size_t>(kPlaces));
  for (const v1::Unassigned& u : out.unassigned) {
    EXPECT_EQ(u.reason(), v1::Unassigned::OUTCOMPETED);
    EXPECT_EQ(placed.count(u.participant_id()), 0u);
  }
  EXPECT_EQ(out.summary.result().placements(), kPlaces);
  EXPECT_EQ(out.summary.unassigned(), kPeople - kPlaces);
}

}  // namespace
}  // namespace carvematch
