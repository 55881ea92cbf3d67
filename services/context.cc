#include "services/context.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch {

absl::StatusOr<Caller> Authenticate(const ServiceContext& services,
                                    const grpc::ServerContext& context) {
  ASSIGN_OR_RETURN(std::string token, BearerToken(context.client_metadata()));
  ASSIGN_OR_RETURN(ApiKeyInfo key, services.repository->Authenticate(token));
  Caller caller;
  caller.key_id = key.key_id;
  caller.organisation_id = key.organisation_id;
  ASSIGN_OR_RETURN(caller.role, ParseRole(key.role));
  return caller;
}

void Reindex(const absl::Status& refresh, const std::string& what) {
  if (!refresh.ok()) {
    std::cerr << "carvematch: index not refreshed for " << what << ": " << refresh << "\n";
  }
}

absl::StatusOr<int> PageSize(int requested) {
  if (requested == 0) return 50;
  if (requested < 0 || requested > 1000) {
    return InvalidField("page_size", absl::StrCat(requested, " is outside 1..1000"));
  }
  return requested;
}

absl::Status CheckAlive(const grpc::ServerContext& context) {
  if (context.IsCancelled()) return absl::CancelledError("the client cancelled the call");
  if (context.deadline() < std::chrono::system_clock::now()) {
    return absl::DeadlineExceededError("the call's deadline passed");
  }
  return absl::OkStatus();
}

}  // namespace carvematch
