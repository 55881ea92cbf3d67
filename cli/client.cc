#include "cli/client.h"

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace carvematch {

Client::Client(std::shared_ptr<grpc::Channel> channel, std::string api_key,
               std::chrono::seconds deadline)
    : channel_(std::move(channel)),
      api_key_(std::move(api_key)),
      deadline_(deadline),
      participants_(v1::ParticipantService::NewStub(channel_)),
      employers_(v1::EmployerService::NewStub(channel_)),
      vacancies_(v1::VacancyService::NewStub(channel_)),
      matches_(v1::MatchService::NewStub(channel_)),
      carving_(v1::CarvingService::NewStub(channel_)),
      assignment_(v1::AssignmentService::NewStub(channel_)) {}

std::shared_ptr<grpc::Channel> Client::Connect(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(16 * 1024 * 1024);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> Client::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + api_key_);
  context->set_deadline(std::chrono::system_clock::now() + deadline_);
  return context;
}

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  std::string message = status.error_message();
  google::rpc::Status rich;
  if (!status.error_details().empty() && rich.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : rich.details()) {
      google::rpc::BadRequest bad_request;
      if (!detail.UnpackTo(&bad_request)) continue;
      for (const auto& v : bad_request.field_violations()) {
        absl::StrAppend(&message, "\n  ", v.field(), ": ", v.description());
      }
    }
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), message);
}

}  // namespace carvematch
