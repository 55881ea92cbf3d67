#include "services/participant_service.h"

#include "absl/strings/str_cat.h"
#include "model/status.h"
#include "model/validation.h"
#include "services/convert.h"
#include "services/field_mask.h"
#include "services/grpc_status.h"

namespace carvematch {
namespace {

absl::Status RequireCoach(const Caller& caller) {
  if (caller.is_admin() || caller.coaches()) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("role ", RoleName(caller.role),
                   " cannot read or change participant records; employers see anonymous "
                   "candidate cards through MatchService.RankParticipants"));
}

// A participant of another organisation is reported as not found, so ids of other
// organisations cannot be probed.
absl::Status RequireOwn(const Caller& caller, const Participant& p) {
  if (caller.SameOrganisation(p.organisation_id)) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("participant \"", p.id, "\" not found"));
}

absl::Status RequireId(const std::string& id) {
  if (id.empty()) return InvalidField("id", "id is required");
  return absl::OkStatus();
}

}  // namespace

grpc::Status ParticipantServiceImpl::CreateParticipant(grpc::ServerContext* context,
                                                       const v1::CreateParticipantRequest* request,
                                                       v1::Participant* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireCoach(caller));
    std::vector<FieldViolation> unparsed;
    Participant p = ParticipantFromProto(request->participant(), &unparsed);
    if (p.organisation_id.empty()) p.organisation_id = caller.organisation_id;
    if (!caller.SameOrganisation(p.organisation_id)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "participant.organisation_id: a ", RoleName(caller.role), " of \"",
          caller.organisation_id, "\" cannot create participants for \"", p.organisation_id, "\""));
    }
    RETURN_IF_ERROR(MergeViolations(unparsed, ValidateParticipant(p, *services_.taxonomy),
                                    "invalid participant"));
    RETURN_IF_ERROR(services_.repository->EnsureOrganisation(p.organisation_id));
    ASSIGN_OR_RETURN(Participant stored, services_.repository->CreateParticipant(p));
    Reindex(services_.index->RefreshParticipant(*services_.repository, stored.id), stored.id);
    *response = ParticipantToProto(stored);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status ParticipantServiceImpl::GetParticipant(grpc::ServerContext* context,
                                                    const v1::GetParticipantRequest* request,
                                                    v1::Participant* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireCoach(caller));
    RETURN_IF_ERROR(RequireId(request->id()));
    ASSIGN_OR_RETURN(Participant p, services_.repository->GetParticipant(request->id()));
    RETURN_IF_ERROR(RequireOwn(caller, p));
    *response = ParticipantToProto(p);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status ParticipantServiceImpl::ListParticipants(grpc::ServerContext* context,
                                                      const v1::ListParticipantsRequest* request,
                                                      v1::ListParticipantsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireCoach(caller));
    ListQuery query;
    ASSIGN_OR_RETURN(query.page_size, PageSize(request->page_size()));
    query.page_token = request->page_token();
    query.organisation_id = request->organisation_id();
    if (!caller.is_admin()) {
      if (!query.organisation_id.empty() && query.organisation_id != caller.organisation_id) {
        return absl::PermissionDeniedError(absl::StrCat(
            "organisation_id: you may list only participants of \"", caller.organisation_id, "\""));
      }
      query.organisation_id = caller.organisation_id;
    }
    ASSIGN_OR_RETURN(ListPage<Participant> page, services_.repository->ListParticipants(query));
    for (const Participant& p : page.items) *response->add_participants() = ParticipantToProto(p);
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status ParticipantServiceImpl::UpdateParticipant(grpc::ServerContext* context,
                                                       const v1::UpdateParticipantRequest* request,
                                                       v1::Participant* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireCoach(caller));
    const std::string& id = request->participant().id();
    if (id.empty()) return InvalidField("participant.id", "id is required");
    // Read, merge, validate and write in one transaction of the store.
    ASSIGN_OR_RETURN(
        Participant stored,
        services_.repository->UpdateParticipant(id, [&](Participant& p) -> absl::Status {
          RETURN_IF_ERROR(RequireOwn(caller, p));
          v1::Participant merged = ParticipantToProto(p);
          std::vector<std::string> immutable = {"id", "create_time", "update_time"};
          if (!caller.is_admin()) immutable.push_back("organisation_id");
          RETURN_IF_ERROR(
              ApplyFieldMask(request->participant(), request->update_mask(), immutable, &merged));
          std::vector<FieldViolation> unparsed;
          Participant updated = ParticipantFromProto(merged, &unparsed);
          RETURN_IF_ERROR(MergeViolations(
              unparsed, ValidateParticipant(updated, *services_.taxonomy), "invalid participant"));
          p = std::move(updated);
          return absl::OkStatus();
        }));
    Reindex(services_.index->RefreshParticipant(*services_.repository, stored.id), stored.id);
    *response = ParticipantToProto(stored);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status ParticipantServiceImpl::DeleteParticipant(grpc::ServerContext* context,
                                                       const v1::DeleteParticipantRequest* request,
                                                       google::protobuf::Empty*) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireCoach(caller));
    RETURN_IF_ERROR(RequireId(request->id()));
    ASSIGN_OR_RETURN(Participant p, services_.repository->GetParticipant(request->id()));
    RETURN_IF_ERROR(RequireOwn(caller, p));
    RETURN_IF_ERROR(services_.repository->DeleteParticipant(request->id()));
    Reindex(services_.index->RefreshParticipant(*services_.repository, request->id()),
            request->id());
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
