#include "cli/runtime.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <ostream>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "commute/anchored_travel.h"
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
  runtime->matcher_ = std::make_unique<Matcher>(
      *runtime->credit_, runtime->anchored_ != nullptr ? *runtime->anchored_ : *runtime->travel_);
  ASSIGN_OR_RETURN(runtime->index_, MatchIndex::Load(*runtime->repository_));
  log << "carvematch: index: " << runtime->index_->participant_count() << " participants, "
      << runtime->index_->vacancy_count() << " vacancies\n";
  RETURN_IF_ERROR(runtime->PrepareZoneMatrix(db_path, log));
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
  auto exact = std::make_unique<commute::TransitTravel>(*network_, TravelModel(), options);
  // The exact answers, one search per site and shift for many homes (RankParticipants,
  // the re-check of BulkRank's and Assign's candidates).
  anchored_ = std::make_unique<commute::AnchoredTransitTravel>(*exact);
  travel_ = std::move(exact);
  feed_version_ = stored->feed_version;
  int y = 0, m = 0, d = 0;
  transit::CivilFromDay(options.week_start, &y, &m, &d);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  log << "carvematch: public transport: timetable \"default\" (" << stored->summary
      << absl::StrFormat("), reference week from %04d-%02d-%02d, loaded in %.0f ms\n", y, m, d, ms);
  return absl::OkStatus();
}

commute::MatrixRequest Runtime::MatrixRequestNow() const {
  const std::vector<std::shared_ptr<const Participant>> participants = index_->Participants("");
  const std::vector<MatchIndex::OpenVacancy> open = index_->OpenVacancies();
  std::vector<const Participant*> people;
  for (const auto& p : participants) people.push_back(p.get());
  std::vector<std::pair<const Vacancy*, const Employer*>> vacancies;
  for (const MatchIndex::OpenVacancy& v : open) {
    vacancies.emplace_back(v.vacancy.get(), v.employer.get());
  }
  commute::MatrixRequest request;
  request.inputs = commute::InputsOf(people, vacancies);
  request.options.threads = std::max(1u, std::thread::hardware_concurrency());
  // Pairs slower than anyone's limit need no entry ("no trip" blocks them all the same).
  for (const Participant* p : people) {
    request.options.max_minutes =
        std::min(254, std::max(request.options.max_minutes, p->max_commute_minutes));
  }
  return request;
}

absl::Status Runtime::PrepareZoneMatrix(const std::string& db_path, std::ostream& log) {
  const auto* exact = dynamic_cast<const commute::TransitTravel*>(travel_.get());
  if (exact == nullptr) return absl::OkStatus();
  const auto start = std::chrono::steady_clock::now();
  // Rebuilt matrices (sites, shifts or zones changed while the server runs) are stored
  // from the keeper's thread on a connection of their own.
  auto save = [db_path, feed = feed_version_](const commute::ZoneMatrix& m,
                                              const std::string& key) {
    absl::StatusOr<std::unique_ptr<TransitStore>> store = TransitStore::Open(db_path);
    absl::Status saved = store.ok()
                             ? (*store)->SaveZoneMatrix({"default", feed, key, m.Serialize(), 0})
                             : store.status();
    if (!saved.ok()) {
      std::cerr << "carvematch: zone matrix rebuilt but not stored: " << saved.message() << "\n";
    }
  };
  keeper_ = std::make_unique<commute::ZoneMatrixKeeper>(
      *exact, [this] { return MatrixRequestNow(); }, save);

  const commute::MatrixRequest request = MatrixRequestNow();
  const std::string key = commute::SiteSetKey(request.inputs.sites, request.options);
  ASSIGN_OR_RETURN(std::unique_ptr<TransitStore> store, TransitStore::Open(db_path));
  std::string how = "loaded";
  std::optional<commute::ZoneMatrix> matrix;
  absl::StatusOr<StoredZoneMatrix> stored = store->LoadZoneMatrix("default", feed_version_, key);
  if (stored.ok()) {
    absl::StatusOr<commute::ZoneMatrix> m = commute::ZoneMatrix::Deserialize(stored->data);
    if (m.ok()) matrix = std::move(*m);
  }
  if (!matrix.has_value()) {
    ASSIGN_OR_RETURN(matrix, commute::ZoneMatrix::Build(*exact, request.inputs.points,
                                                        request.inputs.sites, request.options));
    absl::Status saved =
        store->SaveZoneMatrix({"default", feed_version_, key, matrix->Serialize(), 0});
    how =
        saved.ok() ? "built and stored" : absl::StrCat("built (not stored: ", saved.message(), ")");
  }
  const commute::ZoneMatrixStats st = matrix->stats();
  keeper_->Install(*std::move(matrix), key);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  log << absl::StrFormat(
      "carvematch: zone matrix: %d zones x %d sites, %d rows, %d entries, %.1f MB, %s in %.0f "
      "ms\n",
      st.zones, st.sites, st.rows, st.entries, st.bytes / 1e6, how, ms);
  return absl::OkStatus();
}

absl::Status Runtime::WaitForZoneMatrix() const {
  return keeper_ == nullptr ? absl::OkStatus() : keeper_->WaitIdle();
}

std::shared_ptr<const Matcher> Runtime::BulkMatcher() const {
  if (keeper_ == nullptr) return nullptr;
  std::shared_ptr<const commute::ZoneMatrixTravel> travel = keeper_->Current();
  if (travel == nullptr) return nullptr;
  std::lock_guard<std::mutex> lock(bulk_mu_);
  if (bulk_travel_ != travel) {
    // A matcher over the new matrix; the pair keeps the matrix alive for running calls.
    struct Bundle {
      std::shared_ptr<const commute::ZoneMatrixTravel> travel;
      Matcher matcher;
    };
    auto bundle = std::make_shared<const Bundle>(Bundle{travel, Matcher(*credit_, *travel)});
    bulk_travel_ = travel;
    bulk_matcher_ = std::shared_ptr<const Matcher>(bundle, &bundle->matcher);
  }
  return bulk_matcher_;
}

ServiceContext Runtime::context() const {
  ServiceContext context;
  context.repository = repository_.get();
  context.taxonomy = taxonomy_.get();
  context.matcher = matcher_.get();
  if (keeper_ != nullptr) context.bulk_matcher = [this] { return BulkMatcher(); };
  context.index = index_.get();
  return context;
}

}  // namespace carvematch
