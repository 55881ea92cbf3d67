// The online ranking path (RankVacancies / RankParticipants) in-process over a real gRPC
// channel on a real SQLite file: the response equals the reference (every open vacancy
// ranked and explained by the Matcher, then filtered and paged), paging over a filtered
// ranking gives the same matches as one big page, and after writes (UpdateVacancy,
// DeleteVacancy, UpdateEmployer) the ranking equals the reference computed from a
// fresh load of the store.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "carvematch/v1/employer.grpc.pb.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "carvematch/v1/participant.grpc.pb.h"
#include "carvematch/v1/vacancy.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
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

constexpr char kCook[] = "http://data.europa.eu/esco/skill/cook";
constexpr char kClean[] = "http://data.europa.eu/esco/skill/clean";
constexpr char kCater[] = "http://data.europa.eu/esco/skill/cater";

EscoRelease SmallRelease() {
  EscoRelease r;
  r.version = "test";
  r.skills = {{kCook, "prepare meals", "skill/competence", "cross-sector"},
              {kClean, "clean surfaces", "skill/competence", "transversal"},
              {kCater, "cater for groups", "skill/competence", "cross-sector"}};
  r.skill_relations = {{kCater, kCook, true}};
  return r;
}

struct Town {
  const char* name;
  double lat, lon;
};
constexpr Town kTowns[] = {
    {"Aalst", 50.9378, 4.0403}, {"Erpe-Mere", 50.9290, 3.9660}, {"Gent", 51.0543, 3.7174}};

class RankingTest : public ServiceFixture {
 protected:
  void SetUp() override {
    OpenStore();
    PrepareMatching(SmallRelease());
    StartServer(Context());
    coach_ = Key("org-a", "coach");
    employer_key_ = Key("org-e", "employer");
    Populate();
  }

  // Three employers (sectors I56, N81, Q87) with sites in three towns and 24 vacancies
  // that differ in hours, shifts, Dutch, accommodations, outcomes and skills; three
  // participants in Aalst with a bike, a car, and public transport.
  void Populate() {
    const char* sectors[] = {"I56", "N81", "Q87"};
    for (int e = 0; e < 3; ++e) {
      v1::CreateEmployerRequest request;
      v1::Employer* emp = request.mutable_employer();
      emp->set_id("emp-" + std::to_string(e));
      emp->set_display_name("Employer " + std::to_string(e));
      emp->set_sector(sectors[e]);
      for (int s = 0; s < 3; ++s) {
        v1::Site* site = emp->add_sites();
        site->set_id("site-" + std::to_string(s));
        site->set_name(kTowns[s].name);
        site->mutable_location()->mutable_point()->set_lat(kTowns[s].lat + 0.001 * e);
        site->mutable_location()->mutable_point()->set_lon(kTowns[s].lon);
        site->mutable_location()->set_municipality(kTowns[s].name);
      }
      v1::Employer out;
      grpc::Status status = employers_->CreateEmployer(As(employer_key_).get(), request, &out);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    const v1::Accommodation accommodations[] = {v1::LANGUAGE_COACHING, v1::FLEXIBLE_START,
                                                v1::BIKE_LEASE, v1::COMPANY_TRANSPORT};
    for (int i = 0; i < 24; ++i) {
      v1::CreateVacancyRequest request;
      v1::Vacancy* vac = request.mutable_vacancy();
      vac->set_id("v-" + std::to_string(100 + i));
      vac->set_employer_id("emp-" + std::to_string(i % 3));
      vac->set_site_id("site-" + std::to_string((i / 3) % 3));
      vac->set_title("Job " + std::to_string(i));
      vac->set_hours_per_week(16 + (i * 7) % 23);
      vac->set_contract_type(i % 4 == 0 ? v1::TEMP : v1::OPEN_ENDED);
      vac->set_outcome(i % 5 == 0 ? v1::SOCIAL_ECONOMY : v1::PAID_JOB);
      const int start = (i % 4 == 1) ? 6 * 60 : (i % 4 == 2 ? 13 * 60 : 9 * 60);
      for (v1::Weekday d : {v1::MONDAY, v1::TUESDAY, v1::THURSDAY}) {
        v1::WeeklySpan* s = vac->add_shifts();
        s->set_day(d);
        s->set_start_minute(start);
        s->set_end_minute(start + 5 * 60);
      }
      v1::Task* t = vac->add_tasks();
      t->set_id("t");
      t->set_description("work");
      t->set_hours_per_week(vac->hours_per_week());
      v1::SkillRequirement* r = t->add_skills();
      r->set_skill_uri(i % 2 ? kCook : kClean);
      r->set_level(1 + i % 3);
      r->set_essential(i % 3 != 0);
      t->mutable_dutch()->set_speaking(i % 3 == 0 ? v1::B1 : v1::A2);
      if (i % 2 == 0) vac->add_accommodations(accommodations[(i / 2) % 4]);
      v1::Vacancy out;
      grpc::Status status = vacancies_->CreateVacancy(As(employer_key_).get(), request, &out);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    const v1::TransportMode modes[] = {v1::BIKE, v1::CAR, v1::PUBLIC_TRANSPORT};
    for (int p = 0; p < 3; ++p) {
      v1::CreateParticipantRequest request;
      v1::Participant* part = request.mutable_participant();
      part->set_id("p-" + std::to_string(p));
      part->mutable_home()->mutable_point()->set_lat(kTowns[0].lat);
      part->mutable_home()->mutable_point()->set_lon(kTowns[0].lon);
      part->mutable_home()->set_municipality("Aalst");
      part->add_transport_modes(modes[p]);
      if (modes[p] == v1::CAR) part->add_licences("B");
      part->set_max_commute_minutes(35 + 10 * p);
      v1::SkillClaim* s = part->add_skills();
      s->set_skill_uri(p == 1 ? kCook : kCater);
      s->set_level(2);
      s->set_source(v1::WORK);
      part->mutable_dutch()->set_listening(v1::A2);
      part->mutable_dutch()->set_speaking(v1::A2);
      part->mutable_dutch()->set_reading(v1::A1);
      part->mutable_dutch()->set_writing(v1::A1);
      part->set_min_hours_per_week(15);
      part->set_max_hours_per_week(30);
      part->mutable_consent()->set_share_anonymous_card(true);
      v1::Participant out;
      grpc::Status status = participants_->CreateParticipant(As(coach_).get(), request, &out);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  // All pages of one request, limit `limit`; checks total_size on every page.
  std::vector<v1::Match> AllPages(v1::RankVacanciesRequest request, int limit) {
    std::vector<v1::Match> out;
    request.set_limit(limit);
    int total = -1;
    for (int guard = 0; guard < 100; ++guard) {
      v1::RankVacanciesResponse response;
      grpc::Status status = matches_->RankVacancies(As(coach_).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      if (total >= 0) {
        EXPECT_EQ(response.total_size(), total);
      }
      total = response.total_size();
      EXPECT_LE(response.matches_size(), limit);
      for (const v1::Match& m : response.matches()) out.push_back(m);
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    EXPECT_EQ(static_cast<int>(out.size()), total);
    return out;
  }

  // The reference, from a fresh load of the store: every open vacancy ranked and
  // explained by Matcher::RankVacancies, then the request's filter.
  std::vector<MatchResult> Reference(const std::string& participant_id, bool include_blocked,
                                     const std::vector<Tier>& tiers,
                                     const std::vector<std::string>& sectors, int max_commute) {
    auto fresh = MatchIndex::Load(*repo_);
    EXPECT_TRUE(fresh.ok());
    std::shared_ptr<const Participant> p = (*fresh)->FindParticipant(participant_id);
    EXPECT_NE(p, nullptr);
    std::vector<MatchIndex::OpenVacancy> open = (*fresh)->OpenVacancies();
    std::vector<VacancyContext> contexts;
    for (const MatchIndex::OpenVacancy& o : open) {
      const Site* site = o.employer->FindSite(o.vacancy->site_id);
      if (site != nullptr) contexts.push_back({o.vacancy.get(), o.employer.get(), site});
    }
    auto ranked = matcher_->RankVacancies(*p, contexts, MatchOptions{0, include_blocked});
    EXPECT_TRUE(ranked.ok());
    std::vector<MatchResult> out;
    for (MatchResult& r : *ranked) {
      const MatchIndex::OpenVacancy v = (*fresh)->FindVacancy(r.vacancy_id);
      if (std::find(tiers.begin(), tiers.end(), r.tier) == tiers.end()) continue;
      if (!sectors.empty() && std::none_of(sectors.begin(), sectors.end(), [&](const auto& s) {
            return v.employer->sector.rfind(s, 0) == 0;
          })) {
        continue;
      }
      if (max_commute > 0 && (r.commute_minutes < 0 || r.commute_minutes > max_commute)) continue;
      out.push_back(std::move(r));
    }
    return out;
  }

  static void ExpectSameAsReference(const std::vector<v1::Match>& got,
                                    const std::vector<MatchResult>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      SCOPED_TRACE(want[i].vacancy_id);
      EXPECT_EQ(got[i].vacancy_id(), want[i].vacancy_id);
      EXPECT_EQ(static_cast<int>(got[i].tier()), static_cast<int>(want[i].tier));
      EXPECT_EQ(got[i].score(), want[i].score);
      EXPECT_EQ(got[i].commute_minutes(), std::max(0, want[i].commute_minutes));
      ASSERT_EQ(got[i].items_size(), static_cast<int>(want[i].items.size()));
      for (size_t k = 0; k < want[i].items.size(); ++k) {
        EXPECT_EQ(got[i].items(static_cast<int>(k)).criterion(), want[i].items[k].criterion);
        EXPECT_EQ(got[i].items(static_cast<int>(k)).message(), want[i].items[k].message);
      }
      EXPECT_EQ(got[i].accommodations_size(), static_cast<int>(want[i].accommodations.size()));
    }
  }

  std::string coach_, employer_key_;
};

const std::vector<Tier> kAllTiers = {Tier::kFits, Tier::kFitsWithAccommodations, Tier::kBlocked};
const std::vector<Tier> kFitting = {Tier::kFits, Tier::kFitsWithAccommodations};

TEST_F(RankingTest, ResponsesEqualTheExplainedReference) {
  size_t fitting_pairs = 0;
  for (const char* id : {"p-0", "p-1", "p-2"}) {
    SCOPED_TRACE(id);
    v1::RankVacanciesRequest request;
    request.set_participant_id(id);
    request.set_include_blocked(true);
    std::vector<v1::Match> all = AllPages(request, 500);
    EXPECT_EQ(all.size(), 24u);
    ExpectSameAsReference(all, Reference(id, true, kAllTiers, {}, 0));
    request.set_include_blocked(false);
    std::vector<v1::Match> fitting = AllPages(request, 500);
    ExpectSameAsReference(fitting, Reference(id, false, kFitting, {}, 0));
    fitting_pairs += fitting.size();
  }
  // The instance has both fitting and blocked pairs.
  EXPECT_GT(fitting_pairs, 0u);
  EXPECT_LT(fitting_pairs, 72u);
}

TEST_F(RankingTest, PagingAFilteredRankingGivesTheSameMatchesAsOneBigPage) {
  v1::RankVacanciesRequest request;
  request.set_participant_id("p-1");
  request.set_include_blocked(true);
  request.mutable_filter()->add_sectors("I");
  request.mutable_filter()->add_sectors("Q8");
  request.mutable_filter()->set_max_commute_minutes(40);
  std::vector<v1::Match> one = AllPages(request, 500);
  ASSERT_GE(one.size(), 4u) << "the filter should keep several matches";
  ExpectSameAsReference(one, Reference("p-1", true, kAllTiers, {"I", "Q8"}, 40));
  for (int limit : {1, 3, 4}) {
    SCOPED_TRACE(limit);
    std::vector<v1::Match> paged = AllPages(request, limit);
    ASSERT_EQ(paged.size(), one.size());
    for (size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(paged[i].SerializeAsString(), one[i].SerializeAsString()) << i;
    }
  }
  // Candidates the same way: pages of 1 equal one page of 500.
  v1::RankParticipantsRequest rp;
  rp.set_vacancy_id("v-101");
  rp.set_include_blocked(true);
  rp.set_limit(500);
  v1::RankParticipantsResponse big;
  ASSERT_TRUE(matches_->RankParticipants(As(coach_).get(), rp, &big).ok());
  EXPECT_EQ(big.total_size(), 3);
  rp.set_limit(1);
  std::vector<std::string> paged;
  for (int guard = 0; guard < 10; ++guard) {
    v1::RankParticipantsResponse page;
    ASSERT_TRUE(matches_->RankParticipants(As(coach_).get(), rp, &page).ok());
    EXPECT_EQ(page.total_size(), 3);
    for (const auto& c : page.candidates()) paged.push_back(c.SerializeAsString());
    if (page.next_page_token().empty()) break;
    rp.set_page_token(page.next_page_token());
  }
  ASSERT_EQ(paged.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(paged[static_cast<size_t>(i)], big.candidates(i).SerializeAsString()) << i;
  }
}

TEST_F(RankingTest, RankingFollowsVacancyAndEmployerWrites) {
  v1::RankVacanciesRequest request;
  request.set_participant_id("p-1");
  request.set_include_blocked(true);
  auto check = [&](const std::string& what) {
    SCOPED_TRACE(what);
    ExpectSameAsReference(AllPages(request, 7), Reference("p-1", true, kAllTiers, {}, 0));
  };
  check("before");

  // UpdateVacancy: hours far outside what the participant wants block the pair.
  v1::UpdateVacancyRequest update;
  update.mutable_vacancy()->set_id("v-101");
  update.mutable_vacancy()->set_hours_per_week(38);
  update.mutable_update_mask()->add_paths("hours_per_week");
  v1::Vacancy updated;
  grpc::Status status = vacancies_->UpdateVacancy(As(employer_key_).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  check("after UpdateVacancy hours");
  // Closing a vacancy takes it out of the ranking.
  update.mutable_vacancy()->set_status(v1::CLOSED);
  update.mutable_update_mask()->set_paths(0, "status");
  status = vacancies_->UpdateVacancy(As(employer_key_).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<v1::Match> after_close = AllPages(request, 500);
  EXPECT_EQ(after_close.size(), 23u);
  for (const v1::Match& m : after_close) EXPECT_NE(m.vacancy_id(), "v-101");
  check("after closing");

  // DeleteVacancy.
  v1::DeleteVacancyRequest del;
  del.set_id("v-102");
  google::protobuf::Empty empty;
  status = vacancies_->DeleteVacancy(As(employer_key_).get(), del, &empty);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<v1::Match> after_delete = AllPages(request, 500);
  EXPECT_EQ(after_delete.size(), 22u);
  for (const v1::Match& m : after_delete) EXPECT_NE(m.vacancy_id(), "v-102");
  check("after DeleteVacancy");

  // UpdateEmployer: a new sector (the sector filter follows) and sites moved to Gent.
  v1::UpdateEmployerRequest emp;
  emp.mutable_employer()->set_id("emp-0");
  emp.mutable_employer()->set_sector("S96");
  for (int s = 0; s < 3; ++s) {
    v1::Site* site = emp.mutable_employer()->add_sites();
    site->set_id("site-" + std::to_string(s));
    site->set_name("Gent");
    site->mutable_location()->mutable_point()->set_lat(kTowns[2].lat + 0.01 * s);
    site->mutable_location()->mutable_point()->set_lon(kTowns[2].lon);
    site->mutable_location()->set_municipality("Gent");
  }
  emp.mutable_update_mask()->add_paths("sector");
  emp.mutable_update_mask()->add_paths("sites");
  v1::Employer emp_out;
  status = employers_->UpdateEmployer(As(employer_key_).get(), emp, &emp_out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  check("after UpdateEmployer");
  request.mutable_filter()->add_sectors("S96");
  std::vector<v1::Match> in_s96 = AllPages(request, 500);
  EXPECT_EQ(in_s96.size(), 8u);  // emp-0's vacancies: v-100, v-103, ..., v-121
  for (const v1::Match& m : in_s96) {
    EXPECT_EQ(m.sector(), "S96");
    EXPECT_EQ(m.municipality(), "Gent");
  }
  ExpectSameAsReference(in_s96, Reference("p-1", true, kAllTiers, {"S96"}, 0));
  request.mutable_filter()->set_sectors(0, "I56");
  EXPECT_TRUE(AllPages(request, 500).empty());
}

}  // namespace
}  // namespace carvematch
