// A gRPC client of the carvematch API as the CLI (and any integrator) uses it: one
// channel, the API key as `authorization: Bearer` metadata on every call, a deadline.
#ifndef CARVEMATCH_CLI_CLIENT_H_
#define CARVEMATCH_CLI_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "carvematch/v1/assignment.grpc.pb.h"
#include "carvematch/v1/carving.grpc.pb.h"
#include "carvematch/v1/employer.grpc.pb.h"
#include "carvematch/v1/match.grpc.pb.h"
#include "carvematch/v1/participant.grpc.pb.h"
#include "carvematch/v1/vacancy.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace carvematch {

class Client {
 public:
  Client(std::shared_ptr<grpc::Channel> channel, std::string api_key,
         std::chrono::seconds deadline = std::chrono::seconds(60));
  // A channel to "host:port" with the server's message size limit.
  static std::shared_ptr<grpc::Channel> Connect(const std::string& address);

  // A fresh context carrying the key and the deadline, for one call.
  std::unique_ptr<grpc::ClientContext> Context() const;

  v1::ParticipantService::Stub& participants() { return *participants_; }
  v1::EmployerService::Stub& employers() { return *employers_; }
  v1::VacancyService::Stub& vacancies() { return *vacancies_; }
  v1::MatchService::Stub& matches() { return *matches_; }
  v1::CarvingService::Stub& carving() { return *carving_; }
  v1::AssignmentService::Stub& assignment() { return *assignment_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::string api_key_;
  std::chrono::seconds deadline_;
  std::unique_ptr<v1::ParticipantService::Stub> participants_;
  std::unique_ptr<v1::EmployerService::Stub> employers_;
  std::unique_ptr<v1::VacancyService::Stub> vacancies_;
  std::unique_ptr<v1::MatchService::Stub> matches_;
  std::unique_ptr<v1::CarvingService::Stub> carving_;
  std::unique_ptr<v1::AssignmentService::Stub> assignment_;
};

// The call's status as an absl::Status; field violations from the
// google.rpc.BadRequest detail are appended to the message, one per line.
absl::Status FromGrpc(const grpc::Status& status);

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_CLIENT_H_
