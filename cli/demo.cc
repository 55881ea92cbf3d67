// `carvematch demo`: the whole product in one run, on a fresh SQLite file. Starts the
// server on a free loopback port, creates API keys, imports data/demo/ through the API
// and shows what a coach and an employer see (docs/demo.md tells the story).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cli/carving_report.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/format.h"
#include "cli/import.h"
#include "cli/runtime.h"
#include "cli/transit.h"
#include "model/status.h"
#include "services/server.h"
#include "storage/transit_store.h"
#include "transit/feed_generator.h"

namespace carvematch {
namespace {

// The demo picks of docs/demo.md.
constexpr char kCoachOrganisation[] = "org-trajectwerk-aalst";
const char* const kDemoParticipants[] = {"p-aalst-01", "p-aalst-02", "p-aalst-04"};
constexpr char kDemoVacancy[] = "v-az-logistics";
constexpr char kDemoEmployerOrganisation[] = "org-emp-az";
// Requirement review: the order picker whose licence B only a 2 h task needs.
constexpr char kReviewVacancy[] = "v-wh-orderpicker-early";
constexpr char kReviewOrganisation[] = "org-emp-durme-logistics";
// Job carving: the two nurse vacancies of the hospital's Aalst campus.
const char* const kCarveVacancies[] = {"v-az-nurse-internal", "v-az-nurse-weekend"};
// The demo participants' skills are related ESCO skills rather than the very skills
// the tasks name, so with the default floor (0.5 credit on every essential task skill)
// nobody counts as fitting; the demo counts essential skills as learnable on the job.
constexpr double kDemoSkillFloor = 0;

std::string DataDir() {
  if (const char* dir = std::getenv("CARVEMATCH_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return std::string(CARVEMATCH_SOURCE_DIR) + "/data";
}

void Heading(const std::string& text) {
  std::cout << "\n== " << text << " " << std::string(text.size() < 74 ? 74 - text.size() : 0, '=')
            << "\n";
}

// The demo region's municipalities (real centres), for a synthetic bus network: the
// repository has no real GTFS feed.
transit::FeedGeneratorOptions DemoFeedOptions() {
  transit::FeedGeneratorOptions o;
  o.seed = 20261123;
  o.agency_name = "Demo regional buses";
  o.centres = {{"Gent", {51.0543, 3.7174}, 3.0},         {"Aalst", {50.9378, 4.0403}, 2.0},
               {"Ninove", {50.8283, 4.0260}, 1.0},       {"Wetteren", {51.0053, 3.8830}, 1.0},
               {"Sint-Niklaas", {51.1650, 4.1437}, 1.5}, {"Lokeren", {51.1036, 3.9931}, 1.0},
               {"Dendermonde", {51.0286, 4.1008}, 1.0},  {"Zele", {51.0660, 4.0393}, 0.7},
               {"Oosterzele", {50.9530, 3.7990}, 0.5},   {"Merelbeke", {50.9940, 3.7460}, 0.7},
               {"Melle", {51.0030, 3.8000}, 0.5},        {"Lochristi", {51.0960, 3.8320}, 0.5},
               {"Lede", {50.9660, 3.9850}, 0.5},         {"Lebbeke", {50.9990, 4.1340}, 0.5},
               {"Laarne", {51.0300, 3.8500}, 0.4},       {"Hamme", {51.0990, 4.1350}, 0.6}};
  o.num_bus_lines = 40;
  o.num_train_lines = 1;
  o.train_stops = 4;
  // Service from the Monday of this week for ten weeks: the server's reference week (the
  // first full week from today) lies inside it.
  const auto today =
      static_cast<transit::Day>(std::chrono::duration_cast<std::chrono::hours>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count() /
                                24);
  o.first_day = today - transit::WeekdayOf(today);
  o.num_days = 70;
  return o;
}

// Generates the demo feed, imports it with `carvematch transit import`'s code and stores
// it in the demo database, where the runtime finds it.
absl::Status ImportDemoFeed(const std::string& db_path) {
  ASSIGN_OR_RETURN(transit::GeneratedFeed feed, transit::GenerateFeed(DemoFeedOptions()));
  const std::string zip = (std::filesystem::temp_directory_path() / "demobus.zip").string();
  RETURN_IF_ERROR(transit::WriteFeed(feed, zip));
  std::cout << "generated " << zip << ": " << feed.lines << " lines, " << feed.stops << " stops, "
            << feed.trips << " trips around the demo region's municipalities\n";
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteRepository> repo, SqliteRepository::Open(db_path));
  ASSIGN_OR_RETURN(std::unique_ptr<TransitStore> store, TransitStore::Open(db_path));
  RETURN_IF_ERROR(ImportAndStoreFeeds({zip}, "default", *store, std::cout).status());
  std::remove(zip.c_str());
  return absl::OkStatus();
}

// A match whose commute item names a bus that arrives after the shift's start.
bool ShiftTimeBlocker(const v1::Match& m) {
  for (const v1::ExplanationItem& item : m.items()) {
    if (item.criterion() == "commute" &&
        item.message().find("by public transport on") != std::string::npos &&
        item.message().find("min late") != std::string::npos) {
      return true;
    }
  }
  return false;
}

absl::Status RunDemo(const std::string& db_path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db_path + suffix).c_str());
  Heading("carvematch demo: a Flemish labour market in miniature");
  RETURN_IF_ERROR(ImportDemoFeed(db_path));
  ASSIGN_OR_RETURN(std::unique_ptr<Runtime> runtime, Runtime::Open(db_path, std::cout));
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(runtime->context(), options));
  std::string address = absl::StrCat("127.0.0.1:", server->port());
  std::cout << "server: listening on " << address << ", store: " << db_path << "\n";

  SqliteRepository& repo = runtime->repository();
  for (const char* org :
       {"org-demo-admin", kCoachOrganisation, kDemoEmployerOrganisation, kReviewOrganisation}) {
    RETURN_IF_ERROR(repo.EnsureOrganisation(org));
  }
  ASSIGN_OR_RETURN(NewApiKey admin, repo.CreateApiKey("org-demo-admin", "admin"));
  ASSIGN_OR_RETURN(NewApiKey coach, repo.CreateApiKey(kCoachOrganisation, "coach"));
  ASSIGN_OR_RETURN(NewApiKey employer, repo.CreateApiKey(kDemoEmployerOrganisation, "employer"));
  ASSIGN_OR_RETURN(NewApiKey warehouse, repo.CreateApiKey(kReviewOrganisation, "employer"));
  std::cout << "keys: admin, coach of " << kCoachOrganisation << ", employer of "
            << kDemoEmployerOrganisation << " (stored hashed)\n";

  Heading("Importing data/demo through the API");
  Client as_admin(Client::Connect(address), admin.plaintext);
  std::string data = DataDir() + "/demo/";
  ASSIGN_OR_RETURN(ImportReport report,
                   ImportFiles(as_admin, {data + "employers.json", data + "vacancies.json",
                                          data + "participants.json"}));
  std::cout << "imported " << report.created << " records (employers, vacancies, participants)\n";

  Client as_coach(Client::Connect(address), coach.plaintext);
  for (const char* id : kDemoParticipants) {
    Heading(absl::StrCat("Coach: vacancies for participant ", id));
    v1::GetParticipantRequest get;
    get.set_id(id);
    v1::Participant participant;
    RETURN_IF_ERROR(FromGrpc(
        as_coach.participants().GetParticipant(as_coach.Context().get(), get, &participant)));
    std::cout << "lives in " << participant.home().municipality() << ", "
              << participant.skills_size() << " skills, wants " << participant.min_hours_per_week()
              << "-" << participant.max_hours_per_week() << " h/week\n";
    v1::RankVacanciesRequest request;
    request.set_participant_id(id);
    request.set_limit(4);
    request.set_include_blocked(true);
    v1::RankVacanciesResponse response;
    RETURN_IF_ERROR(
        FromGrpc(as_coach.matches().RankVacancies(as_coach.Context().get(), request, &response)));
    PrintMatches({response.matches().begin(), response.matches().end()}, std::cout);
  }

  Heading("Coach: public transport at the hour of the shift");
  {
    v1::ListParticipantsRequest list;
    list.set_page_size(500);
    v1::ListParticipantsResponse listed;
    RETURN_IF_ERROR(FromGrpc(
        as_admin.participants().ListParticipants(as_admin.Context().get(), list, &listed)));
    int blocked_pairs = 0;
    std::optional<std::pair<v1::Participant, v1::Match>> shown;
    for (const v1::Participant& p : listed.participants()) {
      if (std::find(p.transport_modes().begin(), p.transport_modes().end(), v1::PUBLIC_TRANSPORT) ==
          p.transport_modes().end()) {
        continue;
      }
      v1::RankVacanciesRequest request;
      request.set_participant_id(p.id());
      request.set_limit(500);
      request.set_include_blocked(true);
      v1::RankVacanciesResponse response;
      RETURN_IF_ERROR(
          FromGrpc(as_admin.matches().RankVacancies(as_admin.Context().get(), request, &response)));
      for (const v1::Match& m : response.matches()) {
        if (!ShiftTimeBlocker(m)) continue;
        ++blocked_pairs;
        // Show a pair that the late bus blocks (no accommodation bridges it).
        if (!shown && m.tier() == v1::BLOCKED) shown = std::make_pair(p, m);
      }
    }
    std::cout << blocked_pairs
              << " participant-vacancy pairs: the bus a participant can take arrives after the "
                 "shift starts\n";
    if (shown) {
      std::cout << shown->first.id() << " lives in " << shown->first.home().municipality()
                << " and travels by public transport:\n";
      PrintMatches({shown->second}, std::cout);
    }
  }

  Heading("Coach: what if p-aalst-01 accepted a 65-minute commute to the Ninove kitchen?");
  v1::ExplainMatchRequest what_if;
  what_if.set_participant_id(kDemoParticipants[0]);
  what_if.set_vacancy_id("v-ninove-kitchen");
  what_if.mutable_what_if()->set_max_commute_minutes(65);
  v1::ExplainMatchResponse explained;
  RETURN_IF_ERROR(
      FromGrpc(as_coach.matches().ExplainMatch(as_coach.Context().get(), what_if, &explained)));
  std::cout << "now:\n";
  PrintMatches({explained.current()}, std::cout);
  std::cout << "what if:\n";
  PrintMatches({explained.hypothetical()}, std::cout);

  Heading(absl::StrCat("Employer: anonymous candidates for vacancy ", kDemoVacancy));
  Client as_employer(Client::Connect(address), employer.plaintext);
  v1::RankParticipantsRequest rank;
  rank.set_vacancy_id(kDemoVacancy);
  rank.set_limit(6);
  v1::RankParticipantsResponse candidates;
  RETURN_IF_ERROR(FromGrpc(
      as_employer.matches().RankParticipants(as_employer.Context().get(), rank, &candidates)));
  std::cout << "only participants who consented to an anonymous card; no names, no ids\n";
  PrintCandidates({candidates.candidates().begin(), candidates.candidates().end()}, std::cout);

  Heading(absl::StrCat("Employer: requirement review of ", kReviewVacancy));
  Client as_warehouse(Client::Connect(address), warehouse.plaintext);
  v1::ReviewRequirementsRequest review_request;
  review_request.set_vacancy_id(kReviewVacancy);
  review_request.mutable_options()->set_skill_credit_floor(kDemoSkillFloor);
  v1::ReviewRequirementsResponse review;
  RETURN_IF_ERROR(FromGrpc(as_warehouse.carving().ReviewRequirements(as_warehouse.Context().get(),
                                                                     review_request, &review)));
  std::cout << "counts over the participants who consented to an anonymous card; essential "
               "skills counted as learnable on the job (--skill-floor 0)\n";
  PrintReview(review, std::cout);

  Heading(
      absl::StrCat("Employer: job carving of ", kCarveVacancies[0], " and ", kCarveVacancies[1]));
  v1::CarveRequest carve_request;
  for (const char* id : kCarveVacancies) carve_request.add_vacancy_ids(id);
  carve_request.mutable_options()->set_skill_credit_floor(kDemoSkillFloor);
  carve_request.mutable_options()->set_proposals(1);
  carve_request.mutable_options()->set_top_candidates(3);
  v1::CarveResponse carving;
  RETURN_IF_ERROR(
      FromGrpc(as_employer.carving().Carve(as_employer.Context().get(), carve_request, &carving)));
  PrintCarving(carving, std::cout);
  std::cout << "\nPrintable reports: `carvematch review|carve ID --html FILE`; store a new job "
               "with `carvematch publish ID`.\n";

  Heading("Validation: a participant with mistakes is refused, field by field");
  v1::CreateParticipantRequest bad;
  v1::Participant* p = bad.mutable_participant();
  p->set_id("p-typo");
  p->mutable_home()->mutable_point()->set_lat(510.9);
  p->mutable_home()->mutable_point()->set_lon(4.04);
  p->mutable_home()->set_municipality("Aalst");
  p->add_transport_modes(v1::BIKE);
  p->mutable_dutch()->set_speaking_text("1.3");
  v1::WeeklySpan* span = p->add_availability();
  span->set_day(v1::MONDAY);
  span->set_start_minute(17 * 60);
  span->set_end_minute(9 * 60);
  v1::Participant ignored;
  absl::Status refused =
      FromGrpc(as_coach.participants().CreateParticipant(as_coach.Context().get(), bad, &ignored));
  std::cout << absl::StatusCodeToString(refused.code()) << ": " << refused.message() << "\n";

  Heading("Tenancy: the employer key cannot read participant records");
  v1::GetParticipantRequest peek;
  peek.set_id(kDemoParticipants[0]);
  absl::Status denied = FromGrpc(
      as_employer.participants().GetParticipant(as_employer.Context().get(), peek, &ignored));
  std::cout << absl::StatusCodeToString(denied.code()) << ": " << denied.message() << "\n";

  server->Shutdown();
  server->Wait();
  std::cout << "\nThe store stays in " << db_path << "; explore it with `carvematch serve --db "
            << db_path << "`.\n";
  return absl::OkStatus();
}

}  // namespace

int DemoCommand(const Args& args) {
  absl::StatusOr<Flags> flags = Flags::Parse(args, {"db"}, {});
  absl::Status status = flags.status();
  if (status.ok()) status = RunDemo(flags->Get("db", "carvematch-demo.db"));
  if (!status.ok()) {
    std::cerr << "carvematch demo: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace carvematch
