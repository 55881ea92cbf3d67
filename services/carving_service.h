// carvematch.v1.CarvingService: requirement review, job carving and publishing a
// carved job (proto/carvematch/v1/carving.proto). The service checks who may call,
// picks the participant pool the caller may see, converts, calls jobcarving/ and maps
// statuses; the rules are in jobcarving/requirement_review.h and jobcarving/carving.h.
//
// Who may call (docs/api.md, "CarvingService"):
//   - ReviewRequirements / Carve: employers for their own organisation's vacancies
//     (pool = participants of every organisation who consented to an anonymous card;
//     candidates as anonymous cards without participant ids); coaches and agencies for
//     any open vacancy, and agencies for their own organisation's vacancies in any
//     status (pool = their own organisation's participants; cards carry ids); admins
//     for every vacancy (pool = everyone).
//   - PublishBundle: employers and agencies for their own organisation's vacancies,
//     admins for any; coaches get PERMISSION_DENIED.
#ifndef CARVEMATCH_SERVICES_CARVING_SERVICE_H_
#define CARVEMATCH_SERVICES_CARVING_SERVICE_H_

#include <memory>
#include <string>
#include <vector>

#include "carvematch/v1/carving.grpc.pb.h"
#include "services/candidate_card.h"
#include "services/context.h"

namespace carvematch {

class CarvingServiceImpl final : public v1::CarvingService::Service {
 public:
  explicit CarvingServiceImpl(ServiceContext services);

  grpc::Status ReviewRequirements(grpc::ServerContext* context,
                                  const v1::ReviewRequirementsRequest* request,
                                  v1::ReviewRequirementsResponse* response) override;
  grpc::Status Carve(grpc::ServerContext* context, const v1::CarveRequest* request,
                     v1::CarveResponse* response) override;
  grpc::Status PublishBundle(grpc::ServerContext* context, const v1::PublishBundleRequest* request,
                             v1::PublishBundleResponse* response) override;

 private:
  // The participants a caller may count and see (see the file comment).
  struct Pool {
    std::vector<std::shared_ptr<const Participant>> owned;
    std::vector<const Participant*> participants;
    bool anonymous = false;  // employer view: cards without participant ids
  };
  // The vacancy with its employer and site, when the caller may review or carve it:
  // NotFound (unknown), PermissionDenied (another employer's), FailedPrecondition
  // (closed and not the caller's own; site gone). `field` names it in errors.
  absl::StatusOr<MatchIndex::OpenVacancy> VacancyFor(const Caller& caller, const std::string& id,
                                                     const std::string& field) const;
  Pool PoolFor(const Caller& caller) const;
  // An anonymous card of pool participant `p` for the (carved) vacancy.
  absl::Status FillCard(const Participant& p, const VacancyContext& vacancy, bool anonymous,
                        const Caller& caller, v1::CandidateCard* card) const;

  ServiceContext services_;
  CandidateCards cards_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_CARVING_SERVICE_H_
