// The in-memory copy of what matching reads — participants, employers and open
// vacancies — loaded once from the store and kept current after every committed write,
// so a ranking never scans the database and a write never rebuilds the index.
//
// Consistency: after a service commits a write it calls Refresh*(id), which re-reads
// that one record from the store while holding the index's write lock; concurrent
// refreshes of one record therefore end with the latest committed version. Rankings
// take a snapshot of shared pointers under the read lock and work on it unlocked.
// Another process writing to the same database file is not seen until a restart.
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<MatchIndex> index, MatchIndex::Load(repo));
//   ... after CreateParticipant commits:
//   RETURN_IF_ERROR(index->RefreshParticipant(repo, id));
#ifndef CARVEMATCH_SERVICES_MATCH_INDEX_H_
#define CARVEMATCH_SERVICES_MATCH_INDEX_H_

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"
#include "storage/repository.h"

namespace carvematch {

class MatchIndex {
 public:
  static absl::StatusOr<std::unique_ptr<MatchIndex>> Load(Repository& repository);

  // Re-reads one record from the store (removing it when it is gone).
  absl::Status RefreshParticipant(Repository& repository, const std::string& id);
  absl::Status RefreshEmployer(Repository& repository, const std::string& id);
  absl::Status RefreshVacancy(Repository& repository, const std::string& id);

  // Participants of one organisation ("" = all), in id order.
  std::vector<std::shared_ptr<const Participant>> Participants(
      const std::string& organisation_id) const;
  std::shared_ptr<const Participant> FindParticipant(const std::string& id) const;
  // Open vacancies with their employers, in vacancy id order.
  struct OpenVacancy {
    std::shared_ptr<const Vacancy> vacancy;
    std::shared_ptr<const Employer> employer;
  };
  std::vector<OpenVacancy> OpenVacancies() const;
  // One vacancy (open or not) with its employer; vacancy null when unknown.
  OpenVacancy FindVacancy(const std::string& id) const;
  std::shared_ptr<const Employer> FindEmployer(const std::string& id) const;

  size_t participant_count() const;
  size_t vacancy_count() const;

 private:
  MatchIndex() = default;

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<const Participant>> participants_;
  std::map<std::string, std::shared_ptr<const Employer>> employers_;
  std::map<std::string, std::shared_ptr<const Vacancy>> vacancies_;  // all statuses
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_MATCH_INDEX_H_
