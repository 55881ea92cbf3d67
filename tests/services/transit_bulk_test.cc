// BulkRank and Assign with a public-transport timetable, in-process over a real gRPC
// channel on a real SQLite file: the first pass runs over a (deliberately coarse)
// zone-to-site matrix, and every tier and score that comes back must be the exact
// matcher's (the router at the shift's hour), in the matcher's order.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "carvematch/v1/assignment.grpc.pb.h"
#include "carvematch/v1/employer.grpc.pb.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "carvematch/v1/participant.grpc.pb.h"
#include "carvematch/v1/vacancy.grpc.pb.h"
#include "commute/anchored_travel.h"
#include "commute/transit_travel.h"
#include "commute/zone_matrix.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "matcher/batch_ranker.h"
#include "matcher/matcher.h"
#include "matcher/taxonomy_credit.h"
#include "routing/raptor.h"
#include "services/match_index.h"
#include "services/server.h"
#include "storage/sqlite_repository.h"
#include "taxonomy/taxonomy.h"
#include "tests/commute/regional_feed.h"
#include "tests/services/service_fixture.h"

namespace carvematch {
namespace {

constexpr char kCook[] = "http://data.europa.eu/esco/skill/cook";
constexpr char kCater[] = "http://data.europa.eu/esco/skill/cater";

EscoRelease SmallRelease() {
  EscoRelease r;
  r.version = "test";
  r.skills = {{kCook, "prepare meals", "skill/competence", "cross-sector"},
              {kCater, "cater for groups", "skill/competence", "cross-sector"}};
  r.skill_relations = {{kCater, kCook, true}};
  return r;
}

class TransitBulkTest : public ServiceFixture {
 protected:
  void SetUp() override {
    OpenStore();
    PrepareMatching(SmallRelease());
    timetable_ = std::make_unique<transit::Timetable>(commute::RegionalFeed());
    network_ = std::make_unique<routing::TransitNetwork>(*timetable_);
    commute::TransitTravelOptions travel_options;
    travel_options.week_start = transit::DayFromCivil(2026, 11, 30);
    exact_ = std::make_unique<commute::TransitTravel>(*network_, TravelModel(), travel_options);
    anchored_ = std::make_unique<commute::AnchoredTransitTravel>(*exact_);
    // The exact matcher of a server with a timetable.
    matcher_ = std::make_unique<Matcher>(*credit_, *anchored_);
    coach_ = Key("org-a", "coach");
    employer_key_ = Key("org-e", "employer");

    // Records are written through a first server without the bulk path...
    StartServer(Context());
    Populate();
    // ...then the matrix is built for them, coarse on purpose (4 km zones, half-hour
    // bands), and the server restarted with the two-pass bulk path.
    std::vector<const Participant*> people;
    const auto stored_people = index_->Participants("");
    for (const auto& p : stored_people) people.push_back(p.get());
    std::vector<std::pair<const Vacancy*, const Employer*>> jobs;
    const auto open = index_->OpenVacancies();
    for (const auto& o : open) jobs.emplace_back(o.vacancy.get(), o.employer.get());
    const commute::MatrixInputs inputs = commute::InputsOf(people, jobs);
    commute::ZoneMatrixOptions matrix_options;
    matrix_options.cell_km = 4;
    matrix_options.band_minutes = 30;
    auto matrix = commute::ZoneMatrix::Build(*exact_, inputs.points, inputs.sites, matrix_options);
    ASSERT_TRUE(matrix.ok()) << matrix.status();
    matrix_ = std::make_unique<commute::ZoneMatrix>(std::move(*matrix));
    fast_travel_ = std::make_unique<commute::ZoneMatrixTravel>(*matrix_, *exact_);
    bulk_matcher_ = std::make_unique<Matcher>(*credit_, *fast_travel_);
    StartWithBulkPath(bulk_matcher_.get());
  }

  void StartWithBulkPath(const Matcher* bulk) {
    ServiceContext context = Context();
    // Not owned: the fixture keeps the matcher.
    context.bulk_matcher = [bulk] {
      return std::shared_ptr<const Matcher>(std::shared_ptr<const Matcher>(), bulk);
    };
    StartServer(context);
  }

  static void SetPoint(v1::Location* location, GeoPoint p, const std::string& municipality) {
    location->mutable_point()->set_lat(p.lat);
    location->mutable_point()->set_lon(p.lon);
    location->set_municipality(municipality);
  }

  // Sites and homes near random stops of the feed; shifts from early morning to late
  // evening on weekdays and Saturday; participants who travel by public transport only
  // (some also walk), with commute limits of 40-80 min.
  void Populate() {
    std::mt19937 rng(17);
    std::uniform_int_distribution<size_t> any_stop(0, timetable_->stops.size() - 1);
    std::uniform_real_distribution<double> jitter(-0.004, 0.004);
    auto near_a_stop = [&]() {
      const GeoPoint s = timetable_->stops[any_stop(rng)].point;
      return GeoPoint{s.lat + jitter(rng), s.lon + jitter(rng)};
    };
    for (int e = 0; e < 3; ++e) {
      v1::CreateEmployerRequest request;
      v1::Employer* emp = request.mutable_employer();
      emp->set_id("emp-" + std::to_string(e));
      emp->set_display_name("Employer " + std::to_string(e));
      emp->set_sector("N81");
      for (int s = 0; s < 4; ++s) {
        v1::Site* site = emp->add_sites();
        site->set_id("site-" + std::to_string(s));
        site->set_name("Site " + std::to_string(s));
        SetPoint(site->mutable_location(), near_a_stop(), "Town");
      }
      v1::Employer out;
      grpc::Status status = employers_->CreateEmployer(As(employer_key_).get(), request, &out);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    const int starts[] = {6 * 60, 7 * 60 + 30, 9 * 60, 14 * 60, 21 * 60 + 45};
    for (int i = 0; i < 24; ++i) {
      v1::CreateVacancyRequest request;
      v1::Vacancy* vac = request.mutable_vacancy();
      vac->set_id("v-" + std::to_string(100 + i));
      vac->set_employer_id("emp-" + std::to_string(i % 3));
      vac->set_site_id("site-" + std::to_string((i / 3) % 4));
      vac->set_title("Job " + std::to_string(i));
      vac->set_hours_per_week(20);
      vac->set_contract_type(v1::OPEN_ENDED);
      vac->set_outcome(v1::PAID_JOB);
      vac->set_capacity(2);
      const int start = starts[i % 5];
      for (v1::Weekday d : {v1::MONDAY, v1::WEDNESDAY, i % 4 == 0 ? v1::SATURDAY : v1::FRIDAY}) {
        v1::WeeklySpan* s = vac->add_shifts();
        s->set_day(d);
        s->set_start_minute(start);
        s->set_end_minute(std::min(start + 6 * 60, 24 * 60));
      }
      v1::Task* t = vac->add_tasks();
      t->set_id("t");
      t->set_description("work");
      t->set_hours_per_week(20);
      v1::SkillRequirement* r = t->add_skills();
      r->set_skill_uri(kCook);
      r->set_level(1);
      r->set_essential(true);
      t->mutable_dutch()->set_speaking(v1::A2);
      v1::Vacancy out;
      grpc::Status status = vacancies_->CreateVacancy(As(employer_key_).get(), request, &out);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    for (int p = 0; p < 40; ++p) {
      v1::CreateParticipantRequest request;
      v1::Participant* part = request.mutable_participant();
      part->set_id("p-" + std::to_string(100 + p));
      SetPoint(part->mutable_home(), near_a_stop(), "Town");
      part->add_transport_modes(v1::PUBLIC_TRANSPORT);
      if (p % 3 == 0) part->add_transport_modes(v1::WALK);
      part->set_max_commute_minutes(40 + 10 * (p % 5));
      v1::SkillClaim* s = part->add_skills();
      s->set_skill_uri(p % 2 ? kCook : kCater);
      s->set_level(2);
      s->set_source(v1::WORK);
      part->mutable_dutch()->set_listening(v1::B1);
      part->mutable_dutch()->set_speaking(v1::B1);
      part->mutable_dutch()->set_reading(v1::A2);
      part->mutable_dutch()->set_writing(v1::A2);
      part->set_min_hours_per_week(10);
      part->set_max_hours_per_week(38);
      part->mutable_consent()->set_share_anonymous_card(true);
      v1::Participant out;
      grpc::Status status = participants_->CreateParticipant(As(coach_).get(), request, &out);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  // The exact matcher's answer for one pair.
  MatchResult Exact(const std::string& participant_id, const std::string& vacancy_id) {
    auto p = index_->FindParticipant(participant_id);
    MatchIndex::OpenVacancy v = index_->FindVacancy(vacancy_id);
    EXPECT_TRUE(p != nullptr && v.vacancy != nullptr) << participant_id << " " << vacancy_id;
    if (p == nullptr || v.vacancy == nullptr) return MatchResult();
    absl::StatusOr<MatchResult> r = matcher_->Explain(*p, {v.vacancy.get(), v.employer.get()});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : MatchResult();
  }

  // Checks one list: exact tiers and scores, in the matcher's order (tier, score
  // descending, the other side's id). Returns the pairs seen.
  int ExpectExactAndOrdered(const google::protobuf::RepeatedPtrField<v1::RankedPair>& list,
                            bool by_vacancy_id) {
    for (int i = 0; i < list.size(); ++i) {
      const v1::RankedPair& pair = list[i];
      const MatchResult exact = Exact(pair.participant_id(), pair.vacancy_id());
      EXPECT_EQ(static_cast<int>(pair.tier()), static_cast<int>(exact.tier))
          << pair.participant_id() << " x " << pair.vacancy_id();
      EXPECT_DOUBLE_EQ(pair.score(), exact.score)
          << pair.participant_id() << " x " << pair.vacancy_id();
      if (i > 0) {
        const v1::RankedPair& prev = list[i - 1];
        const std::string& id = by_vacancy_id ? pair.vacancy_id() : pair.participant_id();
        const std::string& prev_id = by_vacancy_id ? prev.vacancy_id() : prev.participant_id();
        const bool ordered =
            prev.tier() < pair.tier() ||
            (prev.tier() == pair.tier() &&
             (prev.score() > pair.score() || (prev.score() == pair.score() && prev_id < id)));
        EXPECT_TRUE(ordered) << prev_id << " before " << id;
      }
    }
    return list.size();
  }

  std::unique_ptr<transit::Timetable> timetable_;
  std::unique_ptr<routing::TransitNetwork> network_;
  std::unique_ptr<commute::TransitTravel> exact_;
  std::unique_ptr<commute::AnchoredTransitTravel> anchored_;
  std::unique_ptr<commute::ZoneMatrix> matrix_;
  std::unique_ptr<commute::ZoneMatrixTravel> fast_travel_;
  std::unique_ptr<Matcher> bulk_matcher_;
  std::string coach_;
  std::string employer_key_;
};

TEST_F(TransitBulkTest, FirstPassOverTheMatrixIsNotExactOnItsOwn) {
  // The premise of the other tests: the coarse matrix gets some returned pairs wrong.
  std::vector<const Participant*> people;
  const auto stored_people = index_->Participants("");
  for (const auto& p : stored_people) people.push_back(p.get());
  std::vector<VacancyContext> jobs;
  const auto open = index_->OpenVacancies();
  for (const auto& o : open) jobs.push_back({o.vacancy.get(), o.employer.get(), nullptr});
  BatchRankOptions options;
  options.top_k_per_participant = 3;
  options.top_k_per_vacancy = 3;
  absl::StatusOr<BatchRankResult> first = RankAll(*bulk_matcher_, people, jobs, options);
  ASSERT_TRUE(first.ok()) << first.status();
  int differ = 0, pairs = 0, transit_fits = 0;
  for (size_t p = 0; p < people.size(); ++p) {
    for (const RankedVacancy& r : first->for_participant[p]) {
      const MatchResult exact = Exact(people[p]->id, jobs[r.vacancy].vacancy->id);
      differ += exact.tier != r.tier || exact.score != r.score;
      transit_fits += exact.tier != Tier::kBlocked;
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 40 * 3);
  EXPECT_GT(differ, 0);
  EXPECT_GT(transit_fits, 0);
}

TEST_F(TransitBulkTest, BulkRankReturnsExactTiersAndScoresInOrder) {
  v1::BulkRankRequest request;
  request.set_top_k(3);
  request.set_include_blocked(true);
  auto context = As(coach_);
  auto reader = matches_->BulkRank(context.get(), request);
  v1::BulkRankResponse message;
  int participant_lists = 0, vacancy_lists = 0, pairs = 0;
  std::vector<v1::BulkRankResponse::Progress> progress;
  while (reader->Read(&message)) {
    if (message.has_progress()) progress.push_back(message.progress());
    if (message.has_participant()) {
      ++participant_lists;
      EXPECT_EQ(message.participant().vacancies_size(), 3);
      pairs += ExpectExactAndOrdered(message.participant().vacancies(), /*by_vacancy_id=*/true);
    } else if (message.has_vacancy()) {
      ++vacancy_lists;
      EXPECT_EQ(message.vacancy().participants_size(), 3);
      pairs += ExpectExactAndOrdered(message.vacancy().participants(), /*by_vacancy_id=*/false);
    }
  }
  grpc::Status status = reader->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(participant_lists, 40);
  EXPECT_EQ(vacancy_lists, 24);
  EXPECT_EQ(pairs, (40 + 24) * 3);
  // Progress: the first pass over all pairs, then the re-check of the proposed pairs up to
  // its end, and the end of the whole job last.
  ASSERT_GE(progress.size(), 3u);
  EXPECT_EQ(progress.front().phase(), v1::BulkRankResponse::Progress::RANKING);
  EXPECT_EQ(progress.front().pairs_done(), 0);
  EXPECT_EQ(progress.back().phase(), v1::BulkRankResponse::Progress::RANKING);
  EXPECT_EQ(progress.back().pairs_done(), 40 * 24);
  const v1::BulkRankResponse::Progress& recheck_end = progress[progress.size() - 2];
  EXPECT_EQ(recheck_end.phase(), v1::BulkRankResponse::Progress::RECHECKING);
  EXPECT_GT(recheck_end.pairs_total(), 0);
  EXPECT_EQ(recheck_end.pairs_done(), recheck_end.pairs_total());
  // The re-check ran one search per site, shift start or end and leg, not one per pair.
  const commute::AnchoredTransitTravel::Stats stats = anchored_->stats();
  EXPECT_GT(stats.searches, 0u);
  EXPECT_GT(stats.hits, stats.searches);
}

TEST_F(TransitBulkTest, BulkRankWithoutBlockedPairsReturnsOnlyExactFits) {
  v1::BulkRankRequest request;
  request.set_top_k(5);
  auto context = As(coach_);
  auto reader = matches_->BulkRank(context.get(), request);
  v1::BulkRankResponse message;
  int pairs = 0;
  while (reader->Read(&message)) {
    if (!message.has_participant()) continue;
    for (const v1::RankedPair& pair : message.participant().vacancies()) {
      EXPECT_NE(pair.tier(), v1::BLOCKED);
    }
    pairs += ExpectExactAndOrdered(message.participant().vacancies(), true);
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_GT(pairs, 0);
}

TEST_F(TransitBulkTest, AssignPlacesOnExactScores) {
  v1::AssignRequest request;
  auto context = As(coach_);
  auto reader = assignment_->Assign(context.get(), request);
  v1::AssignResponse message;
  int placements = 0;
  while (reader->Read(&message)) {
    if (!message.has_placements()) continue;
    for (const v1::Placement& p : message.placements().placements()) {
      const MatchResult exact = Exact(p.participant_id(), p.vacancy_id());
      EXPECT_NE(exact.tier, Tier::kBlocked) << p.participant_id() << " x " << p.vacancy_id();
      EXPECT_EQ(static_cast<int>(p.tier()), static_cast<int>(exact.tier));
      EXPECT_DOUBLE_EQ(p.score(), exact.score) << p.participant_id() << " x " << p.vacancy_id();
      ++placements;
    }
  }
  grpc::Status status = reader->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(placements, 0);
}

}  // namespace
}  // namespace carvematch
