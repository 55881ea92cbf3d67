// Everything a carvematch server process holds: the store, the taxonomy (the one
// imported into the store, else the ESCO extract shipped in data/esco), the travel
// model (timetable-aware when a public-transport timetable was imported) and the
// matcher, wired into the services' context.
#ifndef CARVEMATCH_CLI_RUNTIME_H_
#define CARVEMATCH_CLI_RUNTIME_H_

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "commute/anchored_travel.h"
#include "commute/zone_matrix.h"
#include "commute/zone_matrix_keeper.h"
#include "matcher/matcher.h"
#include "matcher/taxonomy_credit.h"
#include "mobility/travel.h"
#include "routing/raptor.h"
#include "services/context.h"
#include "services/match_index.h"
#include "storage/sqlite_repository.h"
#include "taxonomy/taxonomy.h"
#include "transit/timetable.h"

namespace carvematch {

class Runtime {
 public:
  // Opens (and migrates) the database at `db_path`; `log` receives progress lines.
  static absl::StatusOr<std::unique_ptr<Runtime>> Open(const std::string& db_path,
                                                       std::ostream& log);

  ServiceContext context() const;
  // Waits until no background rebuild of the zone matrix is running (tests, tools);
  // the last rebuild's status. OK without a timetable.
  absl::Status WaitForZoneMatrix() const;
  SqliteRepository& repository() { return *repository_; }
  const Taxonomy& taxonomy() const { return *taxonomy_; }

 private:
  absl::Status LoadTransit(const std::string& db_path, std::ostream& log);
  // With a timetable: the zone-to-site matrix for the indexed participants and open
  // vacancies, loaded from the store when its feed version and site set are current,
  // else built and stored; and the bulk path's first-pass matcher over it.
  absl::Status PrepareZoneMatrix(const std::string& db_path, std::ostream& log);
  // What the matrix should cover now: the indexed participants and open vacancies.
  commute::MatrixRequest MatrixRequestNow() const;
  // The first-pass matcher over the keeper's current matrix; null without a timetable.
  std::shared_ptr<const Matcher> BulkMatcher() const;

  std::unique_ptr<SqliteRepository> repository_;
  std::unique_ptr<Taxonomy> taxonomy_;
  // Public transport: the stored timetable "default" when one was imported
  // (`carvematch transit import`); travel_ is then a commute::TransitTravel over it, else
  // the geometric TravelModel.
  std::unique_ptr<transit::Timetable> timetable_;
  std::unique_ptr<routing::TransitNetwork> network_;
  std::unique_ptr<TravelTimeEstimator> travel_;
  // With a timetable: the exact matcher's estimator (travel_ behind a cache of
  // site-anchored searches, commute/anchored_travel.h).
  std::unique_ptr<commute::AnchoredTransitTravel> anchored_;
  std::string feed_version_;
  // With a timetable: the bulk path's zone-to-site matrix, rebuilt in the background
  // when the sites, shifts or zones change, and the first-pass matcher over its current
  // matrix (made anew when the matrix changes).
  std::unique_ptr<commute::ZoneMatrixKeeper> keeper_;
  mutable std::mutex bulk_mu_;
  mutable std::shared_ptr<const commute::ZoneMatrixTravel> bulk_travel_;
  mutable std::shared_ptr<const Matcher> bulk_matcher_;
  std::unique_ptr<TaxonomyCredit> credit_;
  std::unique_ptr<Matcher> matcher_;
  std::unique_ptr<MatchIndex> index_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_RUNTIME_H_
