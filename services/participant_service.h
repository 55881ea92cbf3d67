// carvematch.v1.ParticipantService: CRUD on participants, scoped to the caller's
// organisation (coaches and agencies) or unrestricted (admins). Employers get
// PermissionDenied: they see people only as anonymous candidate cards.
#ifndef CARVEMATCH_SERVICES_PARTICIPANT_SERVICE_H_
#define CARVEMATCH_SERVICES_PARTICIPANT_SERVICE_H_

#include "carvematch/v1/participant.grpc.pb.h"
#include "services/context.h"

namespace carvematch {

class ParticipantServiceImpl final : public v1::ParticipantService::Service {
 public:
  explicit ParticipantServiceImpl(ServiceContext services) : services_(services) {}

  grpc::Status CreateParticipant(grpc::ServerContext* context,
                                 const v1::CreateParticipantRequest* request,
                                 v1::Participant* response) override;
  grpc::Status GetParticipant(grpc::ServerContext* context,
                              const v1::GetParticipantRequest* request,
                              v1::Participant* response) override;
  grpc::Status ListParticipants(grpc::ServerContext* context,
                                const v1::ListParticipantsRequest* request,
                                v1::ListParticipantsResponse* response) override;
  grpc::Status UpdateParticipant(grpc::ServerContext* context,
                                 const v1::UpdateParticipantRequest* request,
                                 v1::Participant* response) override;
  grpc::Status DeleteParticipant(grpc::ServerContext* context,
                                 const v1::DeleteParticipantRequest* request,
                                 google::protobuf::Empty* response) override;

 private:
  ServiceContext services_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_PARTICIPANT_SERVICE_H_
