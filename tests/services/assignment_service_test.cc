// AssignmentService.Assign in-process over a real gRPC channel on a real SQLite file:
// three participants x two vacancies with capacities, where the optimum is checked
// against a brute force over the tiers and scores the MatchService reports for the same
// pairs; capacities hold; BLOCKED pairs are never assigned; the stable mode leaves no
// blocking pair (checked here independently); the side-by-side comparison; tenancy,
// bad input and cancellation / deadlines.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
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
#include "gtest/gtest.h"
#include "matcher/matcher.h"
#include "matcher/taxonomy_credit.h"
#include "mobility/travel.h"
#include "services/match_index.h"
#include "services/server.h"
#include "storage/sqlite_repository.h"
#include "taxonomy/taxonomy.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;

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

class AssignmentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("carvematch-assignment-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto repo = SqliteRepository::Open((dir_ / "store.db").string());
    ASSERT_TRUE(repo.ok()) << repo.status();
    repo_ = std::move(*repo);
    taxonomy_ = std::make_unique<Taxonomy>(SmallRelease());
    credit_ = std::make_unique<TaxonomyCredit>(*taxonomy_);
    matcher_ = std::make_unique<Matcher>(*credit_, travel_);
    auto index = MatchIndex::Load(*repo_);
    ASSERT_TRUE(index.ok()) << index.status();
    index_ = std::move(*index);
    ServiceContext context{repo_.get(), taxonomy_.get(), matcher_.get(), index_.get()};
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    auto server = Server::Start(context, options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = server_->InProcessChannel();
    participants_ = v1::ParticipantService::NewStub(channel_);
    employers_ = v1::EmployerService::NewStub(channel_);
    vacancies_ = v1::VacancyService::NewStub(channel_);
    matches_ = v1::MatchService::NewStub(channel_);
    assignment_ = v1::AssignmentService::NewStub(channel_);
    coach_a_ = Key("org-a", "coach");
    coach_b_ = Key("org-b", "coach");
    employer_ = Key("org-e", "employer");
    Populate();
  }

  void TearDown() override {
    server_.reset();
    repo_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Key(const std::string& org, const std::string& role) {
    EXPECT_TRUE(repo_->EnsureOrganisation(org).ok());
    auto key = repo_->CreateApiKey(org, role);
    EXPECT_TRUE(key.ok()) << key.status();
    return key->plaintext;
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& key) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + key);
    return context;
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

  void AddVacancy(const std::string& id, const std::string& site, int capacity) {
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
              std::unique_ptr<grpc::ClientContext> context = nullptr) {
    if (context == nullptr) context = As(key);
    Outcome out;
    auto reader = assignment_->Assign(context.get(), request);
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

  static constexpr const char* kOwn[] = {"p-0", "p-1", "p-2"};
  static constexpr const char* kVacancies[] = {"v-aalst", "v-gent"};
  static constexpr int kCapacity[] = {2, 1};

  std::filesystem::path dir_;
  std::unique_ptr<SqliteRepository> repo_;
  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<TaxonomyCredit> credit_;
  TravelModel travel_;
  std::unique_ptr<Matcher> matcher_;
  std::unique_ptr<MatchIndex> index_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ParticipantService::Stub> participants_;
  std::unique_ptr<v1::EmployerService::Stub> employers_;
  std::unique_ptr<v1::VacancyService::Stub> vacancies_;
  std::unique_ptr<v1::MatchService::Stub> matches_;
  std::unique_ptr<v1::AssignmentService::Stub> assignment_;
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

}  // namespace
}  // namespace carvematch
