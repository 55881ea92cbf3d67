// The carvematch gRPC server: all v1 services, the standard health service and server
// reflection, message size limits, and a graceful stop.
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(services, options));
//   ... server->Shutdown();  // from a signal thread; Wait() returns afterwards
#ifndef CARVEMATCH_SERVICES_SERVER_H_
#define CARVEMATCH_SERVICES_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/server.h"
#include "services/context.h"

namespace carvematch {

struct ServerOptions {
  // host:port; loopback by default. Port 0 picks a free port (see Server::port()).
  std::string listen = "127.0.0.1:50051";
  int max_message_bytes = 16 * 1024 * 1024;
  // Online rankings computing at once (services/ranking_gate.h): negative for the
  // hardware threads (which overstates the cores a container with a CPU quota gets: set
  // it there), 0 for no limit.
  int ranking_slots = -1;
};

class Server {
 public:
  // Starts serving; InvalidArgument / Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServiceContext& services,
                                                       const ServerOptions& options);
  ~Server();

  int port() const { return port_; }
  // A channel to this server that bypasses the network (for tests and the demo).
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // Stops accepting calls; calls in flight get up to `grace` to finish.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // Blocks until Shutdown() completes.
  void Wait();

 private:
  Server() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_SERVER_H_
