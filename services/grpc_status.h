// The one place where an absl::Status becomes a grpc::Status. The codes already mean the
// same; field violations carried by the status (model/status.h) become a
// google.rpc.BadRequest detail in the `grpc-status-details-bin` trailer, which standard
// gRPC clients decode.
#ifndef CARVEMATCH_SERVICES_GRPC_STATUS_H_
#define CARVEMATCH_SERVICES_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace carvematch {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_GRPC_STATUS_H_
