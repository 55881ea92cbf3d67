// The in-memory copy of what matching reads — participants, employers and open
// vacancies — loaded once from the store and kept current after every committed write,
// so a ranking never scans the database and a write never rebuilds the index.
//
// Besides the records, the index keeps the vacancy side of the online ranking prepared
// (a VacancyCatalog, matcher/vacancy_catalog.h: features and need columns of every open
// vacancy whose employer and site exist). A refresh re-prepares only what the written
// record touches: one vacancy, or the vacancies of one employer.
//
// Consistency: after a service commits a write it calls Refresh*(id), which re-reads
// that one record from the store while holding the index's write lock, and updates the
// catalog before releasing it; concurrent refreshes of one record therefore end with
// the latest committed version, in the maps and in the catalog. Rankings take a
// snapshot (shared pointers; the catalog's immutable Snapshot) and work on it
// unlocked. Another process writing to the same database file is not seen until a
// restart.
//
// Example usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<MatchIndex> index, MatchIndex::Load(repo));
//   index->PrepareCatalog(matcher.credit());   // or Load(repo, &matcher.credit())
//   ... after CreateParticipant commits:
//   RETURN_IF_ERROR(index->RefreshParticipant(repo, id));
//   ... ranking:
//   std::shared_ptr<const VacancyCatalog::Snapshot> open = index->VacancySnapshot();
#ifndef CARVEMATCH_SERVICES_MATCH_INDEX_H_
#define CARVEMATCH_SERVICES_MATCH_INDEX_H_

#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/skill_credit.h"
#include "matcher/vacancy_catalog.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"
#include "storage/repository.h"

namespace carvematch {

class MatchIndex {
 public:
  // Loads every record. With `credit`, the vacancy catalog is prepared at once (it
  // must outlive the index); without, on the first PrepareCatalog().
  static absl::StatusOr<std::unique_ptr<MatchIndex>> Load(Repository& repository,
                                                          const SkillCredit* credit = nullptr);

  // Prepares the vacancy catalog for `credit` (the matcher's; it must outlive the
  // index) from the records in the index. A no-op when it is prepared for this credit
  // already; another credit re-prepares it. Thread-safe.
  void PrepareCatalog(const SkillCredit& credit);
  // The prepared open vacancies at this moment; null before PrepareCatalog. Cheap.
  std::shared_ptr<const VacancyCatalog::Snapshot> VacancySnapshot() const;

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
  // The catalog record of one vacancy (its employer may be null). Under the lock.
  VacancyCatalog::Record RecordOf(const std::shared_ptr<const Vacancy>& v) const;
  void BuildCatalogLocked(const SkillCredit& credit);

  mutable std::shared_mutex mutex_;
  const SkillCredit* catalog_credit_ = nullptr;
  std::unique_ptr<VacancyCatalog> catalog_;  // null until prepared
  // Vacancy ids (all statuses) per employer id, for employer refreshes.
  std::map<std::string, std::set<std::string>> vacancies_of_employer_;
  std::map<std::string, std::shared_ptr<const Participant>> participants_;
  std::map<std::string, std::shared_ptr<const Employer>> employers_;
  std::map<std::string, std::shared_ptr<const Vacancy>> vacancies_;  // all statuses
};

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_MATCH_INDEX_H_
