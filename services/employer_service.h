// carvematch.v1.EmployerService and carvematch.v1.VacancyService: everyone may read
// employers and vacancies (they are public job offers); employers, agencies and admins
// write those of their own organisation.
#ifndef CARVEMATCH_SERVICES_EMPLOYER_SERVICE_H_
#define CARVEMATCH_SERVICES_EMPLOYER_SERVICE_H_

#include "carvematch/v1/employer.grpc.pb.h"
#include "carvematch/v1/vacancy.grpc.pb.h"
#include "services/context.h"

namespace carvematch {

class EmployerServiceImpl final : public v1::EmployerService::Service {
 public:
  explicit EmployerServiceImpl(ServiceContext services) : services_(services) {}

  grpc::Status CreateEmployer(grpc::ServerContext* context,
                              const v1::CreateEmployerRequest* request,
                              v1::Employer* response) override;
  grpc::Status GetEmployer(grpc::ServerContext* context, const v1::GetEmployerRequest* request,
                           v1::Employer* response) override;
  grpc::Status ListEmployers(grpc::ServerContext* context, const v1::ListEmployersRequest* request,
                             v1::ListEmployersResponse* response) override;
  grpc::Status UpdateEmployer(grpc::ServerContext* context,
                              const v1::UpdateEmployerRequest* request,
                              v1::Employer* response) override;
  grpc::Status DeleteEmployer(grpc::ServerContext* context,
                              const v1::DeleteEmployerRequest* request,
                              google::protobuf::Empty* response) override;

 private:
  ServiceContext services_;
};

class VacancyServiceImpl final : public v1::VacancyService::Service {
 public:
  explicit VacancyServiceImpl(ServiceContext services) : services_(services) {}

  grpc::Status CreateVacancy(grpc::ServerContext* context, const v1::CreateVacancyRequest* request,
                             v1::Vacancy* response) override;
  grpc::Status GetVacancy(grpc::ServerContext* context, const v1::GetVacancyRequest* request,
                          v1::Vacancy* response) override;
  grpc::Status ListVacancies(grpc::ServerContext* context, const v1::ListVacanciesRequest* request,
                             v1::ListVacanciesResponse* response) override;
  grpc::Status UpdateVacancy(grpc::ServerContext* context, const v1::UpdateVacancyRequest* request,
                             v1::Vacancy* response) override;
  grpc::Status DeleteVacancy(grpc::ServerContext* context, const v1::DeleteVacancyRequest* request,
                             google::protobuf::Empty* response) override;

 private:
  ServiceContext services_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_EMPLOYER_SERVICE_H_
