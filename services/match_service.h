// carvematch.v1.MatchService: ranks vacancies for a participant (coaches, agencies,
// admins) and candidates for a vacancy (anonymous cards; participant ids only for the
// participant's own organisation).
#ifndef CARVEMATCH_SERVICES_MATCH_SERVICE_H_
#define CARVEMATCH_SERVICES_MATCH_SERVICE_H_

#include "carvematch/v1/match.grpc.pb.h"
#include "matcher/matcher.h"
#include "services/candidate_card.h"
#include "services/context.h"

namespace carvematch {

class MatchServiceImpl final : public v1::MatchService::Service {
 public:
  explicit MatchServiceImpl(ServiceContext services);

  grpc::Status RankVacancies(grpc::ServerContext* context, const v1::RankVacanciesRequest* request,
                             v1::RankVacanciesResponse* response) override;
  grpc::Status RankParticipants(grpc::ServerContext* context,
                                const v1::RankParticipantsRequest* request,
                                v1::RankParticipantsResponse* response) override;
  grpc::Status ExplainMatch(grpc::ServerContext* context, const v1::ExplainMatchRequest* request,
                            v1::ExplainMatchResponse* response) override;
  grpc::Status BulkRank(grpc::ServerContext* context, const v1::BulkRankRequest* request,
                        grpc::ServerWriter<v1::BulkRankResponse>* writer) override;

 private:
  // The participant, when the caller may rank for them (NotFound otherwise).
  absl::StatusOr<std::shared_ptr<const Participant>> OwnParticipant(const Caller& caller,
                                                                    const std::string& id) const;
  void FillMatch(const MatchResult& r, const Vacancy& v, const Employer& e, const Site& site,
                 v1::Match* m) const;

  ServiceContext services_;
  CandidateCards cards_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_MATCH_SERVICE_H_
