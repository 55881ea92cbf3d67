// carvematch.v1.AssignmentService: who goes where for agencies (assignment/assignment.h
// and assignment/stable_matching.h on each participant's best candidate vacancies from
// RankAll), streamed: progress, placements and unassigned participants in chunks, and a
// summary with the fairness report.
#ifndef CARVEMATCH_SERVICES_ASSIGNMENT_SERVICE_H_
#define CARVEMATCH_SERVICES_ASSIGNMENT_SERVICE_H_

#include "carvematch/v1/assignment.grpc.pb.h"
#include "services/context.h"

namespace carvematch {

class AssignmentServiceImpl final : public v1::AssignmentService::Service {
 public:
  explicit AssignmentServiceImpl(ServiceContext services) : services_(services) {}

  // Tenancy as MatchService.BulkRank: agencies, coaches and admins; participants of the
  // caller's organisation (all for admins); unknown or foreign ids are InvalidArgument
  // naming the field ("participant_ids[2]", "vacancy_ids[0]").
  grpc::Status Assign(grpc::ServerContext* context, const v1::AssignRequest* request,
                      grpc::ServerWriter<v1::AssignResponse>* writer) override;

 private:
  ServiceContext services_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_ASSIGNMENT_SERVICE_H_
