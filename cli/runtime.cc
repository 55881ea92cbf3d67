#include "cli/runtime.h"

#include <chrono>
#include <ostream>

#include "absl/strings/str_format.h"
#include "commute/transit_travel.h"
#include "model/status.h"
#include "storage/transit_store.h"
#include "transit/timetable_io.h"

namespace carvematch {

absl::StatusOr<std::unique_ptr<Runtime>> Runtime::Open(const std::string& db_path,
                                                       std::ostream& log) {
  auto runtime = std::unique_ptr<Runtime>(new Runtime());
  ASSIGN_OR_RETURN(runtime->repository_, SqliteRepository::Open(db_path));
  ASSIGN_OR_RETURN(std::optional<EscoRelease> imported, runtime->repository_->LoadTaxonomy());
  if (imported.has_value()) {
    log << "carvematch: taxonomy: ESCO " << imported->version << " imported into " << db_path
        << "\n";
    runtime->taxonomy_ = std::make_unique<Taxonomy>(std::move(*imported));
  } else {
    std::string path = DefaultEscoPath();
    log << "carvematch: taxonomy: shipped ESCO extract " << path << "\n";
    ASSIGN_OR_RETURN(runtime->taxonomy_, LoadTaxonomy(path));
  }
  RETURN_IF_ERROR(runtime->LoadTransit(db_path, log));
  runtime->credit_ = std::make_unique<TaxonomyCredit>(*runtime->taxonomy_);
  runtime->matcher_ = std::make_unique<Matcher>(*runtime->credit_, *runtime->travel_);
  ASSIGN_OR_RETURN(runtime->index_, MatchIndex::Load(*runtime->repository_));
  log << "carvematch: index: " << runtime->index_->participant_count() << " participants, "
      << runtime->index_->vacancy_count() << " vacancies\n";
  return runtime;
}

absl::Status Runtime::LoadTransit(const std::string& db_path, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  if (db_path == ":memory:") {  // a private database another connection cannot see
    travel_ = std::make_unique<TravelModel>();
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<TransitStore> store, TransitStore::Open(db_path));
  absl::StatusOr<StoredTimetable> stored = store->LoadTimetable("default");
  if (absl::IsNotFound(stored.status())) {
    log << "carvematch: public transport: no timetable imported (carvematch transit import "
           "FEED.zip); geometric estimate\n";
    travel_ = std::make_unique<TravelModel>();
    return absl::OkStatus();
  }
  if (!stored.ok()) return stored.status();
  ASSIGN_OR_RETURN(transit::Timetable timetable, transit::Deserialize(stored->data));
  timetable_ = std::make_unique<transit::Timetable>(std::move(timetable));
  network_ = std::make_unique<routing::TransitNetwork>(*timetable_);
  // The reference week: the first full week of the feeds from today on.
  const auto today =
      static_cast<transit::Day>(std::chrono::duration_cast<std::chrono::hours>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count() /
                                24);
  commute::TransitTravelOptions options;
  options.week_start = commute::ReferenceWeekStart(*timetable_, today);
  travel_ = std::make_unique<commute::TransitTravel>(*network_, TravelModel(), options);
  int y = 0, m = 0, d = 0;
  transit::CivilFromDay(options.week_start, &y, &m, &d);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  log << "carvematch: public transport: timetable \"default\" (" << stored->summary
      << absl::StrFormat("), reference week from %04d-%02d-%02d, loaded in %.0f ms\n", y, m, d, ms);
  return absl::OkStatus();
}

ServiceContext Runtime::context() const {
  ServiceContext context;
  context.repository = repository_.get();
  context.taxonomy = taxonomy_.get();
  context.matcher = matcher_.get();
  context.index = index_.get();
  return context;
}

}  // namespace carvematch
