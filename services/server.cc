#include "services/server.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "services/assignment_service.h"
#include "services/carving_service.h"
#include "services/employer_service.h"
#include "services/match_service.h"
#include "services/participant_service.h"
#include "services/ranking_gate.h"

namespace carvematch {

struct Server::Impl {
  // The services see `services` with this server's ranking gate.
  Impl(const ServiceContext& services, int ranking_slots)
      : gate(ranking_slots > 0 ? std::make_unique<RankingGate>(ranking_slots) : nullptr),
        context(WithGate(services, gate.get())),
        participants(context),
        employers(context),
        vacancies(context),
        matches(context),
        carving(context),
        assignment(context) {}
  static ServiceContext WithGate(ServiceContext services, RankingGate* gate) {
    services.ranking_gate = gate;
    return services;
  }
  std::unique_ptr<RankingGate> gate;
  ServiceContext context;
  ParticipantServiceImpl participants;
  EmployerServiceImpl employers;
  VacancyServiceImpl vacancies;
  MatchServiceImpl matches;
  CarvingServiceImpl carving;
  AssignmentServiceImpl assignment;
};

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServiceContext& services,
                                                      const ServerOptions& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<Server> server(new Server());
  server->impl_ = std::make_unique<Impl>(services, RankingSlotsFor(options.ranking_slots));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(&server->impl_->participants);
  builder.RegisterService(&server->impl_->employers);
  builder.RegisterService(&server->impl_->vacancies);
  builder.RegisterService(&server->impl_->matches);
  builder.RegisterService(&server->impl_->carving);
  builder.RegisterService(&server->impl_->assignment);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on \"", options.listen, "\" (address in use or invalid)"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

Server::~Server() {
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
}

std::shared_ptr<grpc::Channel> Server::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + grace);
}

void Server::Wait() { server_->Wait(); }

}  // namespace carvematch
