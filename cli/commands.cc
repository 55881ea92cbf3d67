#include "cli/commands.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/carving_report.h"
#include "cli/client.h"
#include "cli/flags.h"
#include "cli/format.h"
#include "cli/import.h"
#include "cli/runtime.h"
#include "model/status.h"
#include "services/server.h"
#include "taxonomy/esco.h"

namespace carvematch {
namespace {

constexpr char kDefaultDb[] = "carvematch.db";
constexpr char kDefaultServer[] = "127.0.0.1:50051";

// Runs `body` and turns its status into an exit code.
template <typename Body>
int Run(Body body) {
  absl::Status status = body();
  return status.ok() ? 0 : Fail(status);
}

absl::StatusOr<Client> ConnectClient(const Flags& flags) {
  std::string key = flags.Get("key", "", "CARVEMATCH_KEY");
  if (key.empty()) {
    return absl::UnauthenticatedError(
        "no API key: pass --key KEY or set CARVEMATCH_KEY (create one with "
        "`carvematch keys create`)");
  }
  return Client(Client::Connect(flags.Get("server", kDefaultServer, "CARVEMATCH_SERVER")), key);
}

const std::set<std::string> kClientFlags = {"server", "key"};

std::set<std::string> With(std::set<std::string> base, std::initializer_list<std::string> more) {
  base.insert(more.begin(), more.end());
  return base;
}

absl::Status ExpectPositional(const Flags& flags, size_t n, const std::string& usage) {
  if (flags.positional().size() != n) {
    return absl::InvalidArgumentError(absl::StrCat("usage: carvematch ", usage));
  }
  return absl::OkStatus();
}

// Enum value by its API name ("E_BIKE"), with an error naming the flag.
template <typename Enum>
absl::StatusOr<Enum> EnumFlag(const std::string& flag, const std::string& value,
                              bool (*parse)(const std::string&, Enum*)) {
  Enum out;
  if (!parse(value, &out)) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": unknown value \"", value, "\""));
  }
  return out;
}

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    out.emplace_back(part);
  }
  return out;
}

absl::StatusOr<v1::MatchFilter> FilterFromFlags(const Flags& flags) {
  v1::MatchFilter filter;
  for (const std::string& tier : CommaList(flags.Get("tier"))) {
    if (tier == "fits") {
      filter.add_tiers(v1::FITS);
    } else if (tier == "accommodations") {
      filter.add_tiers(v1::FITS_WITH_ACCOMMODATIONS);
    } else if (tier == "blocked") {
      filter.add_tiers(v1::BLOCKED);
    } else {
      return absl::InvalidArgumentError("--tier: fits, accommodations or blocked");
    }
  }
  for (const std::string& sector : CommaList(flags.Get("sector"))) filter.add_sectors(sector);
  ASSIGN_OR_RETURN(int max_commute, flags.GetInt("max-commute", 0));
  filter.set_max_commute_minutes(max_commute);
  for (const std::string& outcome : CommaList(flags.Get("outcome"))) {
    ASSIGN_OR_RETURN(v1::TargetOutcome o,
                     EnumFlag<v1::TargetOutcome>("outcome", outcome, v1::TargetOutcome_Parse));
    filter.add_outcomes(o);
  }
  return filter;
}

// A number flag ("--min-hours 12.5"); `fallback` when it is absent.
absl::StatusOr<double> DoubleFlag(const Flags& flags, const std::string& name, double fallback) {
  if (!flags.Has(name)) return fallback;
  double value = 0;
  if (!absl::SimpleAtod(flags.Get(name), &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": \"", flags.Get(name), "\" is not a number"));
  }
  return value;
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write \"", path, "\""));
  return absl::OkStatus();
}

const std::set<std::string> kCarveFlags = {"max-jobs",       "min-hours",  "full-time",
                                           "proposals",      "candidates", "elementary-cost",
                                           "qualified-cost", "skill-floor"};

absl::StatusOr<v1::CarveRequest> CarveRequestFromFlags(const Flags& flags) {
  v1::CarveRequest request;
  for (const std::string& id : flags.positional()) request.add_vacancy_ids(id);
  v1::CarveOptions* o = request.mutable_options();
  ASSIGN_OR_RETURN(int max_jobs, flags.GetInt("max-jobs", 0));
  o->set_max_new_jobs(max_jobs);
  ASSIGN_OR_RETURN(double min_hours, DoubleFlag(flags, "min-hours", 0));
  o->set_min_bundle_hours(min_hours);
  ASSIGN_OR_RETURN(double full_time, DoubleFlag(flags, "full-time", 0));
  o->set_full_time_hours(full_time);
  ASSIGN_OR_RETURN(int proposals, flags.GetInt("proposals", 0));
  o->set_proposals(proposals);
  if (flags.Has("candidates")) {
    ASSIGN_OR_RETURN(int candidates, flags.GetInt("candidates", 5));
    o->set_top_candidates(candidates);
  }
  if (flags.Has("elementary-cost")) {
    ASSIGN_OR_RETURN(double cost, DoubleFlag(flags, "elementary-cost", 0));
    o->set_elementary_hourly_cost_eur(cost);
  }
  ASSIGN_OR_RETURN(double qualified, DoubleFlag(flags, "qualified-cost", 0));
  o->set_qualified_hourly_cost_eur(qualified);
  if (flags.Has("skill-floor")) {
    ASSIGN_OR_RETURN(double floor, DoubleFlag(flags, "skill-floor", 0.5));
    o->set_skill_credit_floor(floor);
  }
  return request;
}

}  // namespace

int ServeCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "listen", "ranking-slots"}, {}));
    RETURN_IF_ERROR(
        ExpectPositional(flags, 0, "serve [--db FILE] [--listen HOST:PORT] [--ranking-slots N]"));
    // Block the stop signals in every thread; one thread waits for them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    ASSIGN_OR_RETURN(std::unique_ptr<Runtime> runtime,
                     Runtime::Open(flags.Get("db", kDefaultDb, "CARVEMATCH_DB"), std::cerr));
    ServerOptions options;
    options.listen = flags.Get("listen", kDefaultServer);
    // Online rankings computing at once: default the hardware threads, 0 no limit.
    ASSIGN_OR_RETURN(options.ranking_slots, flags.GetInt("ranking-slots", -1));
    if (options.ranking_slots < -1) {
      return absl::InvalidArgumentError("--ranking-slots: a number of slots, 0 for no limit");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(runtime->context(), options));
    std::cerr << "carvematch: serving on port " << server->port() << " (" << options.listen
              << "); stop with Ctrl-C or SIGTERM\n";
    std::cout << "listening " << server->port() << std::endl;
    std::thread waiter([&] {
      int signal = 0;
      sigwait(&stop_signals, &signal);
      std::cerr << "carvematch: signal " << signal << ", finishing calls in flight\n";
      server->Shutdown();
    });
    server->Wait();
    waiter.join();
    std::cerr << "carvematch: stopped\n";
    return absl::OkStatus();
  });
}

int KeysCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "org", "role"}, {}));
    const auto& words = flags.positional();
    std::string db = flags.Get("db", kDefaultDb, "CARVEMATCH_DB");
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteRepository> repo, SqliteRepository::Open(db));
    if (words.size() == 1 && words[0] == "create") {
      std::string org = flags.Get("org");
      if (org.empty()) return absl::InvalidArgumentError("--org is required");
      ASSIGN_OR_RETURN(Role role, ParseRole(flags.Get("role")));
      ASSIGN_OR_RETURN(NewApiKey key, repo->CreateApiKey(org, std::string(RoleName(role))));
      std::cerr << "created key " << key.info.key_id << " for " << RoleName(role) << " of " << org
                << "; it is shown only once:\n";
      std::cout << key.plaintext << std::endl;
      return absl::OkStatus();
    }
    if (words.size() == 1 && words[0] == "list") {
      ASSIGN_OR_RETURN(std::vector<ApiKeyInfo> keys, repo->ListApiKeys(""));
      Table table({"key id", "organisation", "role", "revoked"});
      for (const ApiKeyInfo& k : keys) {
        table.AddRow({k.key_id, k.organisation_id, k.role, k.revoke_time_unix != 0 ? "yes" : "no"});
      }
      table.Print(std::cout);
      return absl::OkStatus();
    }
    if (words.size() == 2 && words[0] == "revoke") return repo->RevokeApiKey(words[1]);
    return absl::InvalidArgumentError(
        "usage: carvematch keys create --org ORG --role coach|employer|agency|admin | "
        "keys list | keys revoke KEY_ID   [--db FILE]");
  });
}

int TaxonomyCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db"}, {}));
    const auto& words = flags.positional();
    if (words.size() != 2 || words[0] != "import") {
      return absl::InvalidArgumentError(
          "usage: carvematch taxonomy import ZIP_OR_FOLDER [--db FILE]");
    }
    ASSIGN_OR_RETURN(EscoRelease release, LoadEscoRelease(words[1]));
    ASSIGN_OR_RETURN(std::unique_ptr<SqliteRepository> repo,
                     SqliteRepository::Open(flags.Get("db", kDefaultDb, "CARVEMATCH_DB")));
    RETURN_IF_ERROR(repo->SaveTaxonomy(release));
    std::cout << absl::StrFormat(
        "imported ESCO %s: %d skills, %d occupations, %d occupation-skill and %d skill-skill "
        "relations\n",
        release.version.empty() ? "release" : release.version, release.skills.size(),
        release.occupations.size(), release.occupation_skills.size(),
        release.skill_relations.size());
    std::cout << "restart the server to use it\n";
    return absl::OkStatus();
  });
}

int ImportCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, kClientFlags, {}));
    if (flags.positional().empty()) {
      return absl::InvalidArgumentError("usage: carvematch import FILE...");
    }
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    ASSIGN_OR_RETURN(ImportReport report, ImportFiles(client, flags.positional()));
    std::cout << "imported: " << report.created << " created, " << report.replaced << " replaced\n";
    return absl::OkStatus();
  });
}

int ListCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, With(kClientFlags, {"page-size"}), {"json"}));
    RETURN_IF_ERROR(ExpectPositional(flags, 1, "list participants|employers|vacancies"));
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    ASSIGN_OR_RETURN(int page_size, flags.GetInt("page-size", 200));
    const std::string& what = flags.positional()[0];
    bool json = flags.Has("json");
    std::string token;
    if (what == "participants") {
      Table table({"id", "organisation", "municipality", "modes", "hours", "skills"});
      do {
        v1::ListParticipantsRequest request;
        request.set_page_size(page_size);
        request.set_page_token(token);
        v1::ListParticipantsResponse response;
        RETURN_IF_ERROR(FromGrpc(
            client.participants().ListParticipants(client.Context().get(), request, &response)));
        for (const v1::Participant& p : response.participants()) {
          if (json) {
            std::cout << ToJsonLine(p) << "\n";
            continue;
          }
          std::string modes;
          for (int m : p.transport_modes()) {
            absl::StrAppend(&modes, modes.empty() ? "" : ",",
                            ModeName(static_cast<v1::TransportMode>(m)));
          }
          table.AddRow({p.id(), p.organisation_id(), p.home().municipality(), modes,
                        absl::StrCat(p.min_hours_per_week(), "-", p.max_hours_per_week()),
                        absl::StrCat(p.skills_size())});
        }
        token = response.next_page_token();
      } while (!token.empty());
      if (!json) table.Print(std::cout);
    } else if (what == "employers") {
      Table table({"id", "name", "sector", "sites"});
      do {
        v1::ListEmployersRequest request;
        request.set_page_size(page_size);
        request.set_page_token(token);
        v1::ListEmployersResponse response;
        RETURN_IF_ERROR(
            FromGrpc(client.employers().ListEmployers(client.Context().get(), request, &response)));
        for (const v1::Employer& e : response.employers()) {
          if (json) {
            std::cout << ToJsonLine(e) << "\n";
            continue;
          }
          std::string sites;
          for (const v1::Site& s : e.sites()) {
            absl::StrAppend(&sites, sites.empty() ? "" : ", ", s.location().municipality());
          }
          table.AddRow({e.id(), e.display_name(), e.sector(), sites});
        }
        token = response.next_page_token();
      } while (!token.empty());
      if (!json) table.Print(std::cout);
    } else if (what == "vacancies") {
      Table table({"id", "title", "employer", "hours", "places", "tasks"});
      do {
        v1::ListVacanciesRequest request;
        request.set_page_size(page_size);
        request.set_page_token(token);
        v1::ListVacanciesResponse response;
        RETURN_IF_ERROR(
            FromGrpc(client.vacancies().ListVacancies(client.Context().get(), request, &response)));
        for (const v1::Vacancy& v : response.vacancies()) {
          if (json) {
            std::cout << ToJsonLine(v) << "\n";
            continue;
          }
          table.AddRow({v.id(), v.title(), v.employer_id(), absl::StrCat(v.hours_per_week()),
                        absl::StrCat(v.capacity()), absl::StrCat(v.tasks_size())});
        }
        token = response.next_page_token();
      } while (!token.empty());
      if (!json) table.Print(std::cout);
    } else {
      return absl::InvalidArgumentError("list what? participants, employers or vacancies");
    }
    return absl::OkStatus();
  });
}

int GetCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, kClientFlags, {"json"}));
    RETURN_IF_ERROR(ExpectPositional(flags, 2, "get participant|employer|vacancy ID"));
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    const std::string& what = flags.positional()[0];
    const std::string& id = flags.positional()[1];
    google::protobuf::util::JsonPrintOptions pretty;
    pretty.add_whitespace = true;
    std::string out;
    if (what == "participant") {
      v1::GetParticipantRequest request;
      request.set_id(id);
      v1::Participant response;
      RETURN_IF_ERROR(FromGrpc(
          client.participants().GetParticipant(client.Context().get(), request, &response)));
      (void)google::protobuf::util::MessageToJsonString(response, &out, pretty);
    } else if (what == "employer") {
      v1::GetEmployerRequest request;
      request.set_id(id);
      v1::Employer response;
      RETURN_IF_ERROR(
          FromGrpc(client.employers().GetEmployer(client.Context().get(), request, &response)));
      (void)google::protobuf::util::MessageToJsonString(response, &out, pretty);
    } else if (what == "vacancy") {
      v1::GetVacancyRequest request;
      request.set_id(id);
      v1::Vacancy response;
      RETURN_IF_ERROR(
          FromGrpc(client.vacancies().GetVacancy(client.Context().get(), request, &response)));
      (void)google::protobuf::util::MessageToJsonString(response, &out, pretty);
    } else {
      return absl::InvalidArgumentError("get what? participant, employer or vacancy");
    }
    std::cout << out;
    return absl::OkStatus();
  });
}

int MatchCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags,
                     Flags::Parse(args,
                                  With(kClientFlags, {"limit", "tier", "sector", "max-commute",
                                                      "outcome", "page-token"}),
                                  {"json", "include-blocked"}));
    RETURN_IF_ERROR(ExpectPositional(flags, 2, "match participant|vacancy ID [--limit N]"));
    ASSIGN_OR_RETURN(v1::MatchFilter filter, FilterFromFlags(flags));
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    ASSIGN_OR_RETURN(int limit, flags.GetInt("limit", 10));
    const std::string& what = flags.positional()[0];
    const std::string& id = flags.positional()[1];
    bool json = flags.Has("json");
    if (what == "participant") {
      v1::RankVacanciesRequest request;
      request.set_participant_id(id);
      request.set_limit(limit);
      request.set_include_blocked(flags.Has("include-blocked"));
      *request.mutable_filter() = filter;
      request.set_page_token(flags.Get("page-token"));
      v1::RankVacanciesResponse response;
      RETURN_IF_ERROR(
          FromGrpc(client.matches().RankVacancies(client.Context().get(), request, &response)));
      if (json) {
        for (const v1::Match& m : response.matches()) std::cout << ToJsonLine(m) << "\n";
      } else {
        std::cout << "Vacancies for participant " << id << " (" << response.total_size()
                  << " in all):\n";
        PrintMatches({response.matches().begin(), response.matches().end()}, std::cout);
        if (!response.next_page_token().empty()) {
          std::cout << "more: --page-token " << response.next_page_token() << "\n";
        }
      }
    } else if (what == "vacancy") {
      v1::RankParticipantsRequest request;
      request.set_vacancy_id(id);
      request.set_limit(limit);
      request.set_include_blocked(flags.Has("include-blocked"));
      *request.mutable_filter() = filter;
      request.set_page_token(flags.Get("page-token"));
      v1::RankParticipantsResponse response;
      RETURN_IF_ERROR(
          FromGrpc(client.matches().RankParticipants(client.Context().get(), request, &response)));
      if (json) {
        for (const v1::CandidateCard& c : response.candidates()) {
          std::cout << ToJsonLine(c) << "\n";
        }
      } else {
        std::cout << "Candidates for vacancy " << id << ":\n";
        PrintCandidates({response.candidates().begin(), response.candidates().end()}, std::cout);
      }
    } else {
      return absl::InvalidArgumentError("match what? participant ID or vacancy ID");
    }
    return absl::OkStatus();
  });
}

int ExplainCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags,
                     Flags::Parse(args,
                                  With(kClientFlags, {"add-mode", "add-licence", "dutch",
                                                      "add-accommodation", "max-commute"}),
                                  {"json"}));
    RETURN_IF_ERROR(ExpectPositional(flags, 2, "explain PARTICIPANT_ID VACANCY_ID [what-if]"));
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    v1::ExplainMatchRequest request;
    request.set_participant_id(flags.positional()[0]);
    request.set_vacancy_id(flags.positional()[1]);
    v1::Hypothesis* h = request.mutable_what_if();
    for (const std::string& m : CommaList(flags.Get("add-mode"))) {
      ASSIGN_OR_RETURN(v1::TransportMode mode,
                       EnumFlag<v1::TransportMode>("add-mode", m, v1::TransportMode_Parse));
      h->add_add_transport_modes(mode);
    }
    for (const std::string& l : CommaList(flags.Get("add-licence"))) h->add_add_licences(l);
    for (const std::string& a : CommaList(flags.Get("add-accommodation"))) {
      ASSIGN_OR_RETURN(v1::Accommodation acc, EnumFlag<v1::Accommodation>("add-accommodation", a,
                                                                          v1::Accommodation_Parse));
      h->add_add_accommodations(acc);
    }
    for (const std::string& pair : CommaList(flags.Get("dutch"))) {
      std::vector<std::string> kv = absl::StrSplit(pair, '=');
      if (kv.size() != 2)
        return absl::InvalidArgumentError("--dutch: skill=level, e.g. speaking=1.2");
      if (kv[0] == "listening") {
        h->mutable_dutch()->set_listening_text(kv[1]);
      } else if (kv[0] == "reading") {
        h->mutable_dutch()->set_reading_text(kv[1]);
      } else if (kv[0] == "speaking") {
        h->mutable_dutch()->set_speaking_text(kv[1]);
      } else if (kv[0] == "writing") {
        h->mutable_dutch()->set_writing_text(kv[1]);
      } else {
        return absl::InvalidArgumentError("--dutch: listening, reading, speaking or writing");
      }
    }
    ASSIGN_OR_RETURN(int max_commute, flags.GetInt("max-commute", 0));
    h->set_max_commute_minutes(max_commute);
    v1::ExplainMatchResponse response;
    RETURN_IF_ERROR(
        FromGrpc(client.matches().ExplainMatch(client.Context().get(), request, &response)));
    if (flags.Has("json")) {
      std::cout << ToJsonLine(response) << "\n";
      return absl::OkStatus();
    }
    std::cout << "Now:\n";
    PrintMatches({response.current()}, std::cout);
    if (response.has_hypothetical()) {
      std::cout << "What if:\n";
      PrintMatches({response.hypothetical()}, std::cout);
    }
    return absl::OkStatus();
  });
}

namespace {

// A progress bar on stderr, redrawn in place: "[####    ]  40% of 1200 pairs".
void DrawProgressBar(int64_t done, int64_t total, const std::string& unit,
                     const std::string& prefix = "") {
  if (total <= 0) return;
  double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  int filled = static_cast<int>(share * 40);
  std::cerr << "\r" << prefix << "[" << std::string(filled, '#') << std::string(40 - filled, ' ')
            << "] " << absl::StrFormat("%3.0f%%", share * 100) << " of " << total << " " << unit
            << std::flush;
}

}  // namespace

int BulkCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        Flags flags,
        Flags::Parse(args, With(kClientFlags, {"participants", "vacancies", "top-k", "out"}),
                     {"include-blocked", "csv", "json"}));
    RETURN_IF_ERROR(ExpectPositional(flags, 0, "bulk [--participants IDS] [--vacancies IDS]"));
    if (flags.Has("csv") && flags.Has("json")) {
      return absl::InvalidArgumentError("choose one of --csv and --json");
    }
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    v1::BulkRankRequest request;
    for (const std::string& id : CommaList(flags.Get("participants"))) {
      request.add_participant_ids(id);
    }
    for (const std::string& id : CommaList(flags.Get("vacancies"))) request.add_vacancy_ids(id);
    ASSIGN_OR_RETURN(int top_k, flags.GetInt("top-k", 10));
    request.set_top_k(top_k);
    request.set_include_blocked(flags.Has("include-blocked"));

    std::ofstream file;
    std::string out_path = flags.Get("out");
    if (!out_path.empty()) {
      file.open(out_path);
      if (!file) return absl::InvalidArgumentError(absl::StrCat("--out: cannot write ", out_path));
    }
    std::ostream& out = out_path.empty() ? std::cout : file;
    const bool csv = flags.Has("csv");
    if (csv) out << "side,id,rank,participant_id,vacancy_id,tier,score\n";
    // A progress bar on stderr when it is a terminal or the output goes to a file.
    const bool bar = !out_path.empty() || isatty(STDERR_FILENO);
    auto write_pairs = [&](const std::string& side, const std::string& id,
                           const google::protobuf::RepeatedPtrField<v1::RankedPair>& pairs) {
      int rank = 0;
      for (const v1::RankedPair& p : pairs) {
        out << side << "," << id << "," << ++rank << "," << p.participant_id() << ","
            << p.vacancy_id() << "," << TierName(p.tier()) << ","
            << absl::StrFormat("%.2f", p.score()) << "\n";
      }
    };
    auto context = client.Context();
    std::unique_ptr<grpc::ClientReader<v1::BulkRankResponse>> reader =
        client.matches().BulkRank(context.get(), request);
    v1::BulkRankResponse message;
    int participants = 0;
    int vacancies = 0;
    while (reader->Read(&message)) {
      if (message.has_progress()) {
        if (bar) {
          const bool recheck =
              message.progress().phase() == v1::BulkRankResponse::Progress::RECHECKING;
          DrawProgressBar(message.progress().pairs_done(), message.progress().pairs_total(),
                          "pairs", recheck ? "re-checking " : "ranking ");
        }
        continue;
      }
      if (!csv) {
        out << ToJsonLine(message) << "\n";
      } else if (message.has_participant()) {
        write_pairs("participant", message.participant().participant_id(),
                    message.participant().vacancies());
      } else if (message.has_vacancy()) {
        write_pairs("vacancy", message.vacancy().vacancy_id(), message.vacancy().participants());
      }
      participants += message.has_participant();
      vacancies += message.has_vacancy();
    }
    if (bar) std::cerr << "\n";
    RETURN_IF_ERROR(FromGrpc(reader->Finish()));
    std::cerr << "ranked " << participants << " participants x " << vacancies << " vacancies (top "
              << top_k << " each way)"
              << (out_path.empty() ? "" : absl::StrCat(", written to ", out_path)) << "\n";
    return absl::OkStatus();
  });
}

namespace {

std::string Percent(double share) { return absl::StrFormat("%.0f%%", share * 100); }

std::string ObjectiveLabel(v1::AssignmentObjective o) {
  switch (o) {
    case v1::ANTI_CREAMING:
      return "anti-creaming";
    case v1::STABLE:
      return "stable";
    default:
      return "match quality";
  }
}

std::string ReasonName(v1::Unassigned::Reason r) {
  switch (r) {
    case v1::Unassigned::NO_FEASIBLE_VACANCY:
      return "no feasible vacancy";
    case v1::Unassigned::OUTCOMPETED:
      return "outcompeted";
    default:
      return "unknown";
  }
}

// The participant and vacancy filters of `carvematch assign`; a filter is set only when
// one of its flags is given.
absl::Status AssignFiltersFromFlags(const Flags& flags, v1::AssignRequest* request) {
  v1::ParticipantFilter who;
  bool any_who = false;
  if (flags.Has("org")) {
    who.set_organisation_id(flags.Get("org"));
    any_who = true;
  }
  for (const std::string& m : CommaList(flags.Get("home"))) {
    who.mutable_home()->add_municipalities(m);
    any_who = true;
  }
  for (const std::string& prefix : CommaList(flags.Get("home-postal"))) {
    who.mutable_home()->add_postal_code_prefixes(prefix);
    any_who = true;
  }
  for (const std::string& target : CommaList(flags.Get("target"))) {
    ASSIGN_OR_RETURN(v1::TargetOutcome o,
                     EnumFlag<v1::TargetOutcome>("target", target, v1::TargetOutcome_Parse));
    who.add_target_outcomes(o);
    any_who = true;
  }
  if (flags.Has("max-barriers")) {
    ASSIGN_OR_RETURN(int n, flags.GetInt("max-barriers", 0));
    who.set_max_barriers(n);
    any_who = true;
  }
  if (flags.Has("min-waiting")) {
    ASSIGN_OR_RETURN(int n, flags.GetInt("min-waiting", 0));
    who.set_min_waiting_months(n);
    any_who = true;
  }
  if (any_who) *request->mutable_participant_filter() = who;

  v1::VacancyFilter where;
  bool any_where = flags.Has("carved-only");
  where.set_carved_only(flags.Has("carved-only"));
  for (const std::string& sector : CommaList(flags.Get("sector"))) {
    where.add_sectors(sector);
    any_where = true;
  }
  for (const std::string& id : CommaList(flags.Get("employer"))) {
    where.add_employer_ids(id);
    any_where = true;
  }
  for (const std::string& m : CommaList(flags.Get("site"))) {
    where.mutable_site()->add_municipalities(m);
    any_where = true;
  }
  for (const std::string& prefix : CommaList(flags.Get("site-postal"))) {
    where.mutable_site()->add_postal_code_prefixes(prefix);
    any_where = true;
  }
  for (const std::string& contract : CommaList(flags.Get("contract"))) {
    ASSIGN_OR_RETURN(v1::ContractType t,
                     EnumFlag<v1::ContractType>("contract", contract, v1::ContractType_Parse));
    where.add_contract_types(t);
    any_where = true;
  }
  for (const std::string& outcome : CommaList(flags.Get("outcome"))) {
    ASSIGN_OR_RETURN(v1::TargetOutcome o,
                     EnumFlag<v1::TargetOutcome>("outcome", outcome, v1::TargetOutcome_Parse));
    where.add_outcomes(o);
    any_where = true;
  }
  if (flags.Has("min-places")) {
    ASSIGN_OR_RETURN(int n, flags.GetInt("min-places", 0));
    where.set_min_places(n);
    any_where = true;
  }
  if (any_where) *request->mutable_vacancy_filter() = where;
  return absl::OkStatus();
}

void PrintFairness(const v1::FairnessReport& report, std::ostream& out) {
  Table table({"Barriers", "Pool", "With a feasible vacancy", "Assigned", "Share assigned",
               "Representation"});
  for (const v1::FairnessGroup& g : report.groups()) {
    table.AddRow({absl::StrCat(g.barriers()), absl::StrCat(g.pool()),
                  absl::StrCat(g.with_eligible_vacancy()), absl::StrCat(g.assigned()),
                  Percent(g.assigned_share()), absl::StrFormat("%.2f", g.representation())});
  }
  table.AddRow({"all", absl::StrCat(report.pool()), "", absl::StrCat(report.assigned()),
                Percent(report.assigned_share()), ""});
  table.Print(out);
}

}  // namespace

int AssignCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        Flags flags,
        Flags::Parse(
            args, With(kClientFlags, {"participants", "vacancies",   "objective", "accommodations",
                                      "proposals",    "candidates",  "csv",       "org",
                                      "home",         "home-postal", "target",    "max-barriers",
                                      "min-waiting",  "sector",      "employer",  "site",
                                      "site-postal",  "contract",    "outcome",   "min-places"}),
            {"compare", "json", "carved-only"}));
    RETURN_IF_ERROR(ExpectPositional(
        flags, 0,
        "assign [--participants IDS | participant filters] [--vacancies IDS | vacancy filters] "
        "[--objective quality|anti-creaming|stable] [--compare] [--accommodations=0|1] "
        "[--proposals N] [--json] [--csv FILE]"));
    v1::AssignRequest request;
    for (const std::string& id : CommaList(flags.Get("participants"))) {
      request.add_participant_ids(id);
    }
    for (const std::string& id : CommaList(flags.Get("vacancies"))) request.add_vacancy_ids(id);
    RETURN_IF_ERROR(AssignFiltersFromFlags(flags, &request));
    const std::string objective = flags.Get("objective", "quality");
    if (objective == "quality") {
      request.set_objective(v1::MATCH_QUALITY);
    } else if (objective == "anti-creaming") {
      request.set_objective(v1::ANTI_CREAMING);
    } else if (objective == "stable") {
      request.set_objective(v1::STABLE);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--objective: expected quality, anti-creaming or stable, got \"", objective, "\""));
    }
    request.set_compare_objectives(flags.Has("compare"));
    if (flags.Has("accommodations")) {
      const std::string a = flags.Get("accommodations");
      if (a != "0" && a != "1") {
        return absl::InvalidArgumentError(
            absl::StrCat("--accommodations: expected 0 or 1, got \"", a, "\""));
      }
      request.set_allow_accommodations(a == "1");
    }
    if (flags.Has("proposals")) {
      ASSIGN_OR_RETURN(int proposals, flags.GetInt("proposals", 1));
      request.set_proposals_per_participant(proposals);
    }
    ASSIGN_OR_RETURN(int candidates, flags.GetInt("candidates", 0));
    request.set_candidates_per_participant(candidates);

    std::ofstream csv;
    const std::string csv_path = flags.Get("csv");
    if (!csv_path.empty()) {
      csv.open(csv_path);
      if (!csv) return absl::InvalidArgumentError(absl::StrCat("--csv: cannot write ", csv_path));
      csv << "participant_id,status,vacancy_id,tier,score,reason,eligible_vacancies\n";
    }
    const bool json = flags.Has("json");
    const bool bar = !csv_path.empty() || isatty(STDERR_FILENO);

    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    auto context = client.Context();
    std::unique_ptr<grpc::ClientReader<v1::AssignResponse>> reader =
        client.assignment().Assign(context.get(), request);
    v1::AssignResponse message;
    std::vector<v1::Placement> placements;
    std::vector<v1::Unassigned> unassigned;
    v1::AssignSummary summary;
    bool drawing = false;
    while (reader->Read(&message)) {
      if (message.has_progress()) {
        if (bar) {
          const bool ranking = message.progress().phase() == v1::AssignResponse::Progress::RANKING;
          DrawProgressBar(message.progress().done(), message.progress().total(),
                          ranking ? "pairs" : "steps", ranking ? "ranking " : "solving ");
          drawing = true;
        }
        continue;
      }
      if (drawing) {
        std::cerr << "\n";
        drawing = false;
      }
      if (json) std::cout << ToJsonLine(message) << "\n";
      if (message.has_placements()) {
        for (const v1::Placement& p : message.placements().placements()) {
          placements.push_back(p);
          if (csv.is_open()) {
            csv << p.participant_id() << ",assigned," << p.vacancy_id() << "," << TierName(p.tier())
                << "," << absl::StrFormat("%.2f", p.score()) << ",,\n";
          }
        }
      }
      if (message.has_unassigned()) {
        for (const v1::Unassigned& u : message.unassigned().unassigned()) {
          unassigned.push_back(u);
          if (csv.is_open()) {
            csv << u.participant_id() << ",unassigned,,,," << ReasonName(u.reason()) << ","
                << u.eligible_vacancies() << "\n";
          }
        }
      }
      if (message.has_summary()) summary = message.summary();
    }
    if (drawing) std::cerr << "\n";
    RETURN_IF_ERROR(FromGrpc(reader->Finish()));
    if (json) return absl::OkStatus();

    const v1::Selection& selection = summary.selection();
    if (selection.participants_selected() == 0 || selection.vacancies_selected() == 0) {
      std::cout << "Nothing to assign: " << selection.participants_selected() << " of "
                << selection.participants_visible() << " participants and "
                << selection.vacancies_selected() << " of " << selection.vacancies_open()
                << " open vacancies selected\n";
      return absl::OkStatus();
    }
    const v1::ObjectiveTotals& result = summary.result();
    std::cout << "Selected " << selection.participants_selected() << " of "
              << selection.participants_visible() << " participants, "
              << selection.vacancies_selected() << " of " << selection.vacancies_open()
              << " open vacancies\n";
    std::cout << "Objective: " << ObjectiveLabel(result.objective()) << "\n"
              << "Assigned " << result.assigned_participants() << " of " << summary.participants()
              << " participants (" << result.placements() << " placements; " << summary.places()
              << " places in " << summary.vacancies() << " vacancies; " << summary.candidate_edges()
              << " candidate pairs)\n"
              << absl::StrFormat("Total match score %.1f", result.total_score());
    if (result.objective() != v1::STABLE) std::cout << ", objective " << result.objective_value();
    std::cout << "\n";
    if (result.objective() == v1::STABLE) {
      std::cout << "Blocking pairs: " << summary.blocking_pairs() << "\n";
    }
    std::cout << "\nPlacements\n";
    Table table({"Participant", "Vacancy", "Tier", "Score"});
    for (const v1::Placement& p : placements) {
      table.AddRow({p.participant_id(), p.vacancy_id(), TierName(p.tier()),
                    absl::StrFormat("%.1f", p.score())});
    }
    table.Print(std::cout);
    if (!unassigned.empty()) {
      std::cout << "\nUnassigned\n";
      Table left({"Participant", "Reason", "Feasible vacancies"});
      for (const v1::Unassigned& u : unassigned) {
        left.AddRow(
            {u.participant_id(), ReasonName(u.reason()), absl::StrCat(u.eligible_vacancies())});
      }
      left.Print(std::cout);
    }
    std::cout << "\nFairness by number of barriers\n";
    PrintFairness(result.fairness(), std::cout);
    if (summary.comparison_size() > 0) {
      std::cout << "\nMatch quality vs anti-creaming, side by side\n";
      Table side(
          {"Barriers", "Pool", "Assigned (quality)", "Share", "Assigned (anti-creaming)", "Share"});
      for (const v1::GroupComparison& g : summary.comparison()) {
        side.AddRow({absl::StrCat(g.barriers()), absl::StrCat(g.pool()),
                     absl::StrCat(g.assigned_quality()), Percent(g.share_quality()),
                     absl::StrCat(g.assigned_anti_creaming()), Percent(g.share_anti_creaming())});
      }
      side.Print(std::cout);
      std::cout << absl::StrFormat(
          "%s: %d assigned, total score %.1f; %s: %d assigned, total score %.1f; "
          "match score given up for fairness: %.1f\n",
          ObjectiveLabel(result.objective()), result.assigned_participants(), result.total_score(),
          ObjectiveLabel(summary.other().objective()), summary.other().assigned_participants(),
          summary.other().total_score(), summary.score_cost());
    }
    if (!csv_path.empty()) std::cerr << "written to " << csv_path << "\n";
    return absl::OkStatus();
  });
}

}  // namespace carvematch

namespace carvematch {

int ReviewCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    ASSIGN_OR_RETURN(Flags flags,
                     Flags::Parse(args, With(kClientFlags, {"html", "skill-floor"}), {"json"}));
    RETURN_IF_ERROR(
        ExpectPositional(flags, 1, "review VACANCY_ID [--skill-floor X] [--json] [--html FILE]"));
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    v1::ReviewRequirementsRequest request;
    request.set_vacancy_id(flags.positional()[0]);
    if (flags.Has("skill-floor")) {
      ASSIGN_OR_RETURN(double floor, DoubleFlag(flags, "skill-floor", 0.5));
      request.mutable_options()->set_skill_credit_floor(floor);
    }
    v1::ReviewRequirementsResponse response;
    RETURN_IF_ERROR(
        FromGrpc(client.carving().ReviewRequirements(client.Context().get(), request, &response)));
    if (flags.Has("html")) {
      RETURN_IF_ERROR(WriteFile(flags.Get("html"), ReviewHtml(response, request.vacancy_id())));
    }
    if (flags.Has("json")) {
      std::cout << ToJsonLine(response) << "\n";
    } else {
      PrintReview(response, std::cout);
      if (flags.Has("html")) std::cout << "\nreport written to " << flags.Get("html") << "\n";
    }
    return absl::OkStatus();
  });
}

int CarveCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    std::set<std::string> valued = With(kClientFlags, {"html"});
    valued.insert(kCarveFlags.begin(), kCarveFlags.end());
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, valued, {"json"}));
    if (flags.positional().empty()) {
      return absl::InvalidArgumentError(
          "usage: carvematch carve VACANCY_ID [VACANCY_ID...] [--max-jobs N] [--min-hours H] "
          "[--json] [--html FILE]");
    }
    ASSIGN_OR_RETURN(v1::CarveRequest request, CarveRequestFromFlags(flags));
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    v1::CarveResponse response;
    RETURN_IF_ERROR(FromGrpc(client.carving().Carve(client.Context().get(), request, &response)));
    const std::string title = absl::StrJoin(flags.positional(), ", ");
    if (flags.Has("html"))
      RETURN_IF_ERROR(WriteFile(flags.Get("html"), CarvingHtml(response, title)));
    if (flags.Has("json")) {
      std::cout << ToJsonLine(response) << "\n";
    } else {
      std::cout << "Job carving of " << title << "\n";
      PrintCarving(response, std::cout);
      if (flags.Has("html")) std::cout << "\nreport written to " << flags.Get("html") << "\n";
    }
    return absl::OkStatus();
  });
}

int PublishCommand(const Args& args) {
  return Run([&]() -> absl::Status {
    std::set<std::string> valued = With(kClientFlags, {"proposal", "job", "id", "title"});
    valued.insert(kCarveFlags.begin(), kCarveFlags.end());
    ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, valued, {"json"}));
    if (flags.positional().empty()) {
      return absl::InvalidArgumentError(
          "usage: carvematch publish VACANCY_ID [VACANCY_ID...] [--proposal N] [--job M] "
          "[--id NEW_ID] [--title TITLE] [carve flags]");
    }
    ASSIGN_OR_RETURN(v1::CarveRequest request, CarveRequestFromFlags(flags));
    ASSIGN_OR_RETURN(int proposal, flags.GetInt("proposal", 1));
    ASSIGN_OR_RETURN(int job, flags.GetInt("job", 1));
    ASSIGN_OR_RETURN(Client client, ConnectClient(flags));
    v1::CarveResponse carved;
    RETURN_IF_ERROR(FromGrpc(client.carving().Carve(client.Context().get(), request, &carved)));
    if (proposal < 1 || proposal > carved.proposals_size()) {
      return absl::NotFoundError(absl::StrCat("--proposal ", proposal, ": the carving has ",
                                              carved.proposals_size(), " proposals"));
    }
    const v1::CarvingProposal& chosen = carved.proposals(proposal - 1);
    if (job < 1 || job > chosen.bundles_size()) {
      return absl::NotFoundError(absl::StrCat("--job ", job, ": proposal ", proposal, " has ",
                                              chosen.bundles_size(), " new jobs"));
    }
    v1::PublishBundleRequest publish;
    *publish.mutable_bundle() = chosen.bundles(job - 1);
    *publish.mutable_roles() = chosen.roles();
    if (flags.Has("id")) publish.mutable_bundle()->mutable_vacancy()->set_id(flags.Get("id"));
    if (flags.Has("title")) {
      publish.mutable_bundle()->mutable_vacancy()->set_title(flags.Get("title"));
    }
    v1::PublishBundleResponse response;
    RETURN_IF_ERROR(
        FromGrpc(client.carving().PublishBundle(client.Context().get(), publish, &response)));
    if (flags.Has("json")) {
      std::cout << ToJsonLine(response) << "\n";
    } else {
      std::cout << "published " << response.vacancy().id() << " (" << response.vacancy().title()
                << ", " << response.vacancy().hours_per_week() << " h/week), carved from "
                << absl::StrJoin(response.vacancy().carved_from(), ", ") << "\n";
      for (const v1::Vacancy& origin : response.origins()) {
        std::cout << "  " << origin.id() << " now has " << origin.tasks_size() << " tasks, "
                  << origin.hours_per_week() << " h/week"
                  << (origin.status() == v1::CLOSED ? " (closed: no tasks left)" : "") << "\n";
      }
    }
    return absl::OkStatus();
  });
}

int Fail(const absl::Status& status) {
  std::cerr << "carvematch: " << status.message() << "\n";
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return 2;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return 3;
    case absl::StatusCode::kNotFound:
      return 4;
    default:
      return 1;
  }
}

}  // namespace carvematch
