#include "services/employer_service.h"

#include "absl/strings/str_cat.h"
#include "model/status.h"
#include "model/validation.h"
#include "services/convert.h"
#include "services/field_mask.h"
#include "services/grpc_status.h"

namespace carvematch {
namespace {

// Writes need an employer, agency or admin key of the owning organisation.
absl::Status RequireWriter(const Caller& caller, const std::string& organisation_id,
                           const std::string& what) {
  if (!caller.is_admin() && !caller.manages_vacancies()) {
    return absl::PermissionDeniedError(
        absl::StrCat("role ", RoleName(caller.role), " cannot change ", what));
  }
  if (!caller.SameOrganisation(organisation_id)) {
    return absl::PermissionDeniedError(absl::StrCat(what, " belongs to organisation \"",
                                                    organisation_id, "\", not to \"",
                                                    caller.organisation_id, "\""));
  }
  return absl::OkStatus();
}

absl::Status RequireId(const std::string& id, const std::string& field) {
  if (id.empty()) return InvalidField(field, "id is required");
  return absl::OkStatus();
}

}  // namespace

grpc::Status EmployerServiceImpl::CreateEmployer(grpc::ServerContext* context,
                                                 const v1::CreateEmployerRequest* request,
                                                 v1::Employer* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    Employer e = EmployerFromProto(request->employer());
    if (e.organisation_id.empty()) e.organisation_id = caller.organisation_id;
    RETURN_IF_ERROR(RequireWriter(caller, e.organisation_id, "employer"));
    RETURN_IF_ERROR(ValidateEmployer(e));
    RETURN_IF_ERROR(services_.repository->EnsureOrganisation(e.organisation_id));
    ASSIGN_OR_RETURN(Employer stored, services_.repository->CreateEmployer(e));
    Reindex(services_.index->RefreshEmployer(*services_.repository, stored.id), stored.id);
    *response = EmployerToProto(stored);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status EmployerServiceImpl::GetEmployer(grpc::ServerContext* context,
                                              const v1::GetEmployerRequest* request,
                                              v1::Employer* response) {
  absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authenticate(services_, *context).status());
    RETURN_IF_ERROR(RequireId(request->id(), "id"));
    ASSIGN_OR_RETURN(Employer e, services_.repository->GetEmployer(request->id()));
    *response = EmployerToProto(e);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status EmployerServiceImpl::ListEmployers(grpc::ServerContext* context,
                                                const v1::ListEmployersRequest* request,
                                                v1::ListEmployersResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authenticate(services_, *context).status());
    ListQuery query;
    ASSIGN_OR_RETURN(query.page_size, PageSize(request->page_size()));
    query.page_token = request->page_token();
    ASSIGN_OR_RETURN(ListPage<Employer> page, services_.repository->ListEmployers(query));
    for (const Employer& e : page.items) *response->add_employers() = EmployerToProto(e);
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status EmployerServiceImpl::UpdateEmployer(grpc::ServerContext* context,
                                                 const v1::UpdateEmployerRequest* request,
                                                 v1::Employer* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireId(request->employer().id(), "employer.id"));
    ASSIGN_OR_RETURN(
        Employer stored,
        services_.repository->UpdateEmployer(
            request->employer().id(), [&](Employer& e) -> absl::Status {
              RETURN_IF_ERROR(RequireWriter(caller, e.organisation_id, "employer"));
              v1::Employer merged = EmployerToProto(e);
              std::vector<std::string> immutable = {"id", "create_time", "update_time"};
              if (!caller.is_admin()) immutable.push_back("organisation_id");
              RETURN_IF_ERROR(
                  ApplyFieldMask(request->employer(), request->update_mask(), immutable, &merged));
              Employer updated = EmployerFromProto(merged);
              RETURN_IF_ERROR(ValidateEmployer(updated));
              e = std::move(updated);
              return absl::OkStatus();
            }));
    Reindex(services_.index->RefreshEmployer(*services_.repository, stored.id), stored.id);
    *response = EmployerToProto(stored);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status EmployerServiceImpl::DeleteEmployer(grpc::ServerContext* context,
                                                 const v1::DeleteEmployerRequest* request,
                                                 google::protobuf::Empty*) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireId(request->id(), "id"));
    ASSIGN_OR_RETURN(Employer e, services_.repository->GetEmployer(request->id()));
    RETURN_IF_ERROR(RequireWriter(caller, e.organisation_id, "employer"));
    RETURN_IF_ERROR(services_.repository->DeleteEmployer(request->id()));
    Reindex(services_.index->RefreshEmployer(*services_.repository, request->id()), request->id());
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status VacancyServiceImpl::CreateVacancy(grpc::ServerContext* context,
                                               const v1::CreateVacancyRequest* request,
                                               v1::Vacancy* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    std::vector<FieldViolation> unparsed;
    Vacancy v = VacancyFromProto(request->vacancy(), &unparsed);
    RETURN_IF_ERROR(RequireId(v.employer_id, "vacancy.employer_id"));
    absl::StatusOr<Employer> employer = services_.repository->GetEmployer(v.employer_id);
    if (absl::IsNotFound(employer.status())) {
      return InvalidField("vacancy.employer_id",
                          absl::StrCat("no employer \"", v.employer_id, "\""));
    }
    RETURN_IF_ERROR(employer.status());
    RETURN_IF_ERROR(RequireWriter(caller, employer->organisation_id, "vacancies of this employer"));
    RETURN_IF_ERROR(MergeViolations(unparsed, ValidateVacancy(v, *employer, *services_.taxonomy),
                                    "invalid vacancy"));
    ASSIGN_OR_RETURN(Vacancy stored, services_.repository->CreateVacancy(v));
    Reindex(services_.index->RefreshVacancy(*services_.repository, stored.id), stored.id);
    *response = VacancyToProto(stored);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status VacancyServiceImpl::GetVacancy(grpc::ServerContext* context,
                                            const v1::GetVacancyRequest* request,
                                            v1::Vacancy* response) {
  absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authenticate(services_, *context).status());
    RETURN_IF_ERROR(RequireId(request->id(), "id"));
    ASSIGN_OR_RETURN(Vacancy v, services_.repository->GetVacancy(request->id()));
    *response = VacancyToProto(v);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status VacancyServiceImpl::ListVacancies(grpc::ServerContext* context,
                                               const v1::ListVacanciesRequest* request,
                                               v1::ListVacanciesResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authenticate(services_, *context).status());
    VacancyListQuery query;
    ASSIGN_OR_RETURN(query.page_size, PageSize(request->page_size()));
    query.page_token = request->page_token();
    query.employer_id = request->employer_id();
    if (request->status() != v1::VACANCY_STATUS_UNSPECIFIED) {
      query.status = static_cast<VacancyStatus>(static_cast<int>(request->status()));
    }
    ASSIGN_OR_RETURN(ListPage<Vacancy> page, services_.repository->ListVacancies(query));
    for (const Vacancy& v : page.items) *response->add_vacancies() = VacancyToProto(v);
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status VacancyServiceImpl::UpdateVacancy(grpc::ServerContext* context,
                                               const v1::UpdateVacancyRequest* request,
                                               v1::Vacancy* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireId(request->vacancy().id(), "vacancy.id"));
    // The employer cannot change (employer_id is immutable), so it is read before the
    // update transaction; the callback must not call the store again.
    ASSIGN_OR_RETURN(Vacancy current, services_.repository->GetVacancy(request->vacancy().id()));
    ASSIGN_OR_RETURN(Employer employer, services_.repository->GetEmployer(current.employer_id));
    RETURN_IF_ERROR(RequireWriter(caller, employer.organisation_id, "vacancies of this employer"));
    ASSIGN_OR_RETURN(Vacancy stored,
                     services_.repository->UpdateVacancy(
                         request->vacancy().id(), [&](Vacancy& v) -> absl::Status {
                           v1::Vacancy merged = VacancyToProto(v);
                           RETURN_IF_ERROR(ApplyFieldMask(
                               request->vacancy(), request->update_mask(),
                               {"id", "employer_id", "create_time", "update_time"}, &merged));
                           std::vector<FieldViolation> unparsed;
                           Vacancy updated = VacancyFromProto(merged, &unparsed);
                           RETURN_IF_ERROR(MergeViolations(
                               unparsed, ValidateVacancy(updated, employer, *services_.taxonomy),
                               "invalid vacancy"));
                           v = std::move(updated);
                           return absl::OkStatus();
                         }));
    Reindex(services_.index->RefreshVacancy(*services_.repository, stored.id), stored.id);
    *response = VacancyToProto(stored);
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

grpc::Status VacancyServiceImpl::DeleteVacancy(grpc::ServerContext* context,
                                               const v1::DeleteVacancyRequest* request,
                                               google::protobuf::Empty*) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Caller caller, Authenticate(services_, *context));
    RETURN_IF_ERROR(RequireId(request->id(), "id"));
    ASSIGN_OR_RETURN(Vacancy v, services_.repository->GetVacancy(request->id()));
    ASSIGN_OR_RETURN(Employer employer, services_.repository->GetEmployer(v.employer_id));
    RETURN_IF_ERROR(RequireWriter(caller, employer.organisation_id, "vacancies of this employer"));
    RETURN_IF_ERROR(services_.repository->DeleteVacancy(request->id()));
    Reindex(services_.index->RefreshVacancy(*services_.repository, request->id()), request->id());
    return absl::OkStatus();
  }();
  return ToGrpcStatus(status);
}

}  // namespace carvematch
