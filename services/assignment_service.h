// carvematch.v1.AssignmentService: who goes where for agencies (assignment/assignment.h
// and assignment/stable_matching.h on each participant's best candidate vacancies from
// RankAll), streamed: progress, placements and unassigned participants in chunks, and a
// summary with the fairness report.
#ifndef CARVEMATCH_SERVICES_ASSIGNMENT_SERVICE_H_
#define CARVEMATCH_SERVICES_ASSIGNMENT_SERVICE_H_

#include <chrono>
#include <functional>
#include <utility>

#include "carvematch/v1/assignment.grpc.pb.h"
#include "services/context.h"

namespace carvematch {

class AssignmentServiceImpl final : public v1::AssignmentService::Service {
 public:
  // The clock gives "today" for waiting times (Participant::job_seeker_since, the UTC
  // day of now()); tests inject a fixed one.
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  explicit AssignmentServiceImpl(
      ServiceContext services, Clock now = [] { return std::chrono::system_clock::now(); })
      : services_(services), now_(std::move(now)) {}

  // Tenancy as MatchService.BulkRank: agencies, coaches and admins; participants of the
  // caller's organisation (all for admins); unknown or foreign ids are InvalidArgument
  // naming the field ("participant_ids[2]", "vacancy_ids[0]"). Ids and a filter of the
  // same side together are InvalidArgument on "participant_filter" / "vacancy_filter";
  // a participant_filter.organisation_id of another organisation (non-admins) is
  // PermissionDenied. A selection without participants or vacancies is answered with
  // the summary alone (AssignSummary.selection has the counts).
  grpc::Status Assign(grpc::ServerContext* context, const v1::AssignRequest* request,
                      grpc::ServerWriter<v1::AssignResponse>* writer) override;

 private:
  ServiceContext services_;
  Clock now_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_ASSIGNMENT_SERVICE_H_
