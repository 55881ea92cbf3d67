// What every service adapter needs: the store, the taxonomy, the matcher, and the
// authentication of the caller. Services only validate, convert, call the core and
// map statuses (../shared/STYLE.md); the rules of who sees what are in auth.h.
#ifndef CARVEMATCH_SERVICES_CONTEXT_H_
#define CARVEMATCH_SERVICES_CONTEXT_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "matcher/matcher.h"
#include "services/auth.h"
#include "services/match_index.h"
#include "storage/repository.h"
#include "taxonomy/taxonomy.h"

namespace carvematch {

class RankingGate;

struct ServiceContext {
  Repository* repository = nullptr;
  const Taxonomy* taxonomy = nullptr;
  const Matcher* matcher = nullptr;
  // What matching reads, kept current by the services after each write.
  MatchIndex* index = nullptr;
  // The first pass of BulkRank's and Assign's RankAll when a public-transport timetable
  // is loaded: the same matcher over commute::ZoneMatrixTravel (public transport from the
  // zone-to-site matrix, kept current by the server). Its candidates are then re-scored
  // with `matcher` (the exact router), which also gives every explanation. Asked once per
  // call; empty or returning null: one pass with `matcher`.
  std::function<std::shared_ptr<const Matcher>()> bulk_matcher = nullptr;
  // Admits the online rankings a few at a time (services/ranking_gate.h); null: no gate.
  // Server::Start sets it from ServerOptions::ranking_slots.
  RankingGate* ranking_gate = nullptr;
};

// Brings the index up to date after a committed write of one record. A failure is
// logged, not returned: the write itself succeeded and is in the store.
void Reindex(const absl::Status& refresh, const std::string& what);

// Resolves the caller's API key; Unauthenticated for a missing, unknown or revoked key.
absl::StatusOr<Caller> Authenticate(const ServiceContext& services,
                                    const grpc::ServerContext& context);

// Page size of a List request: 0 means the default (50); above 1000 is InvalidArgument.
absl::StatusOr<int> PageSize(int requested);

// Fails with DeadlineExceeded / Cancelled when the client gave up, so long work stops.
absl::Status CheckAlive(const grpc::ServerContext& context);

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_CONTEXT_H_
