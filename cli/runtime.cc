#include "cli/runtime.h"

#include <ostream>

#include "model/status.h"

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
  runtime->travel_ = std::make_unique<TravelModel>();
  runtime->credit_ = std::make_unique<TaxonomyCredit>(*runtime->taxonomy_);
  runtime->matcher_ = std::make_unique<Matcher>(*runtime->credit_, *runtime->travel_);
  ASSIGN_OR_RETURN(runtime->index_, MatchIndex::Load(*runtime->repository_));
  log << "carvematch: index: " << runtime->index_->participant_count() << " participants, "
      << runtime->index_->vacancy_count() << " vacancies\n";
  return runtime;
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
