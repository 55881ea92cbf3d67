// carvematch: the command-line tool and server of the carvematch engine.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/transit.h"

namespace {

constexpr char kUsage[] = R"(carvematch — inclusive matching and job carving

Server and store (local, on a SQLite file):
  carvematch serve [--db FILE] [--listen HOST:PORT]     run the gRPC server (default
                                                        carvematch.db, 127.0.0.1:50051)
  carvematch keys create --org ORG --role ROLE [--db FILE]
                                                        ROLE: coach|employer|agency|admin
  carvematch keys list [--db FILE]
  carvematch keys revoke KEY_ID [--db FILE]
  carvematch taxonomy import ZIP_OR_FOLDER [--db FILE]  load an official ESCO CSV release
  carvematch transit import FEED.zip [FEED2.zip ...] [--name N] [--db FILE]
                                                        load GTFS public-transport feeds
  carvematch demo [--db FILE]                           load the demo data and show it

Client (talks to a server: --server HOST:PORT or $CARVEMATCH_SERVER,
        --key KEY or $CARVEMATCH_KEY; add --json for JSON lines):
  carvematch import FILE...                  JSON (protobuf mapping) or participant CSV
  carvematch list participants|employers|vacancies
  carvematch get participant|employer|vacancy ID
  carvematch match participant ID [--limit N] [--include-blocked]
  carvematch match vacancy ID [--limit N] [--include-blocked]
      filters for match: --tier fits|accommodations|blocked  --sector Q86
                         --max-commute MIN  --outcome PAID_JOB|INTERNSHIP|...
      --page-token T continues a listing (the token is printed after each page)
  carvematch explain PARTICIPANT_ID VACANCY_ID [what-if flags]
      --add-mode E_BIKE  --add-licence B  --dutch speaking=1.2  --add-accommodation FLEXIBLE_START
  carvematch bulk [--participants ID,ID] [--vacancies ID,ID] [--top-k N]
                  [--include-blocked] [--csv | --json] [--out FILE]
                                             top-k both ways, with a progress bar
  carvematch assign [--participants ID,ID] [--vacancies ID,ID]
                    [--objective quality|anti-creaming|stable] [--compare]
                    [--accommodations=0|1] [--proposals N] [--candidates N]
                    [--json] [--csv FILE]        who goes where (places per vacancy),
                                             unassigned with reasons, fairness by barriers
      participants by filter instead of ids: --org ORG  --home Aalst,Zele  --home-postal 93
                         --target PAID_JOB,...  --max-barriers N  --min-waiting MONTHS
      vacancies by filter instead of ids:    --sector Q86  --employer ID  --site Gent
                         --site-postal 90  --contract OPEN_ENDED,...  --outcome PAID_JOB,...
                         --carved-only  --min-places N
  carvematch review VACANCY_ID [--html FILE]  which requirements the tasks really need
  carvematch carve VACANCY_ID [VACANCY_ID...] [--html FILE]
                                             new jobs carved from one vacancy or a site's
      --max-jobs N  --min-hours H  --full-time H  --proposals N  --candidates N
      --elementary-cost EUR  --qualified-cost EUR
      --skill-floor X  (review too) an essential task skill counts as met at this
                       credit (0..1, default 0.5; 0 = skills never exclude anyone)
  carvematch publish VACANCY_ID... [--proposal N] [--job M] [--id NEW_ID] [--title T]
                                             store a carved job as a vacancy (carve flags
                                             as for carve; refused if the vacancies changed)
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "serve") return carvematch::ServeCommand(rest);
  if (command == "keys") return carvematch::KeysCommand(rest);
  if (command == "taxonomy") return carvematch::TaxonomyCommand(rest);
  if (command == "transit") return carvematch::TransitCommand(rest);
  if (command == "import") return carvematch::ImportCommand(rest);
  if (command == "list") return carvematch::ListCommand(rest);
  if (command == "get") return carvematch::GetCommand(rest);
  if (command == "match") return carvematch::MatchCommand(rest);
  if (command == "explain") return carvematch::ExplainCommand(rest);
  if (command == "bulk") return carvematch::BulkCommand(rest);
  if (command == "assign") return carvematch::AssignCommand(rest);
  if (command == "review") return carvematch::ReviewCommand(rest);
  if (command == "carve") return carvematch::CarveCommand(rest);
  if (command == "publish") return carvematch::PublishCommand(rest);
  if (command == "demo") return carvematch::DemoCommand(rest);
  std::cerr << "carvematch: unknown command \"" << command << "\"\n\n" << kUsage;
  return 2;
}
