#include "services/match_index.h"

#include <mutex>

#include "model/status.h"

namespace carvematch {
namespace {

// Puts the record read from the store into `map`, or removes it when it is gone.
template <typename T>
absl::Status Refresh(absl::StatusOr<T> read, const std::string& id,
                     std::map<std::string, std::shared_ptr<const T>>& map) {
  if (absl::IsNotFound(read.status())) {
    map.erase(id);
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(read.status());
  map[id] = std::make_shared<const T>(std::move(*read));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<MatchIndex>> MatchIndex::Load(Repository& repository,
                                                             const SkillCredit* credit) {
  std::unique_ptr<MatchIndex> index(new MatchIndex());
  ASSIGN_OR_RETURN(std::vector<Participant> participants, ListAllParticipants(repository, ""));
  ASSIGN_OR_RETURN(std::vector<Employer> employers, ListAllEmployers(repository, ""));
  ASSIGN_OR_RETURN(std::vector<Vacancy> vacancies, ListAllVacancies(repository, {}));
  for (Participant& p : participants) {
    std::string id = p.id;
    index->participants_[id] = std::make_shared<const Participant>(std::move(p));
  }
  for (Employer& e : employers) {
    std::string id = e.id;
    index->employers_[id] = std::make_shared<const Employer>(std::move(e));
  }
  for (Vacancy& v : vacancies) {
    std::string id = v.id;
    index->vacancies_of_employer_[v.employer_id].insert(id);
    index->vacancies_[id] = std::make_shared<const Vacancy>(std::move(v));
  }
  if (credit != nullptr) index->BuildCatalogLocked(*credit);
  return index;
}

VacancyCatalog::Record MatchIndex::RecordOf(const std::shared_ptr<const Vacancy>& v) const {
  auto employer = employers_.find(v->employer_id);
  return {v, employer == employers_.end() ? nullptr : employer->second};
}

void MatchIndex::BuildCatalogLocked(const SkillCredit& credit) {
  auto catalog = std::make_unique<VacancyCatalog>(credit);
  std::vector<VacancyCatalog::Record> records;
  records.reserve(vacancies_.size());
  for (const auto& [id, v] : vacancies_) {
    if (v->status == VacancyStatus::kOpen) records.push_back(RecordOf(v));
  }
  catalog->Upsert(records);
  catalog_ = std::move(catalog);
  catalog_credit_ = &credit;
}

void MatchIndex::PrepareCatalog(const SkillCredit& credit) {
  std::unique_lock lock(mutex_);
  if (catalog_ != nullptr && catalog_credit_ == &credit) return;
  BuildCatalogLocked(credit);
}

std::shared_ptr<const VacancyCatalog::Snapshot> MatchIndex::VacancySnapshot() const {
  std::shared_lock lock(mutex_);
  return catalog_ == nullptr ? nullptr : catalog_->snapshot();
}

absl::Status MatchIndex::RefreshParticipant(Repository& repository, const std::string& id) {
  std::unique_lock lock(mutex_);
  return Refresh(repository.GetParticipant(id), id, participants_);
}

absl::Status MatchIndex::RefreshEmployer(Repository& repository, const std::string& id) {
  std::unique_lock lock(mutex_);
  RETURN_IF_ERROR(Refresh(repository.GetEmployer(id), id, employers_));
  if (catalog_ == nullptr) return absl::OkStatus();
  // Re-prepare the employer's vacancies (sector, sites); removed when it is gone.
  std::vector<VacancyCatalog::Record> records;
  auto ids = vacancies_of_employer_.find(id);
  if (ids != vacancies_of_employer_.end()) {
    for (const std::string& vacancy_id : ids->second) {
      auto v = vacancies_.find(vacancy_id);
      if (v != vacancies_.end()) records.push_back(RecordOf(v->second));
    }
  }
  if (!records.empty()) catalog_->Upsert(records);
  return absl::OkStatus();
}

absl::Status MatchIndex::RefreshVacancy(Repository& repository, const std::string& id) {
  std::unique_lock lock(mutex_);
  auto old = vacancies_.find(id);
  const std::string old_employer = old == vacancies_.end() ? "" : old->second->employer_id;
  RETURN_IF_ERROR(Refresh(repository.GetVacancy(id), id, vacancies_));
  auto now = vacancies_.find(id);
  if (!old_employer.empty() &&
      (now == vacancies_.end() || now->second->employer_id != old_employer)) {
    auto ids = vacancies_of_employer_.find(old_employer);
    if (ids != vacancies_of_employer_.end()) {
      ids->second.erase(id);
      if (ids->second.empty()) vacancies_of_employer_.erase(ids);
    }
  }
  if (now != vacancies_.end()) vacancies_of_employer_[now->second->employer_id].insert(id);
  if (catalog_ != nullptr) {
    if (now == vacancies_.end()) {
      catalog_->Remove({id});
    } else {
      catalog_->Upsert({RecordOf(now->second)});
    }
  }
  return absl::OkStatus();
}

std::vector<std::shared_ptr<const Participant>> MatchIndex::Participants(
    const std::string& organisation_id) const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<const Participant>> out;
  for (const auto& [id, p] : participants_) {
    if (organisation_id.empty() || p->organisation_id == organisation_id) out.push_back(p);
  }
  return out;
}

std::shared_ptr<const Participant> MatchIndex::FindParticipant(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = participants_.find(id);
  return it == participants_.end() ? nullptr : it->second;
}

std::vector<MatchIndex::OpenVacancy> MatchIndex::OpenVacancies() const {
  std::shared_lock lock(mutex_);
  std::vector<OpenVacancy> out;
  for (const auto& [id, v] : vacancies_) {
    if (v->status != VacancyStatus::kOpen) continue;
    auto employer = employers_.find(v->employer_id);
    if (employer == employers_.end()) continue;
    out.push_back({v, employer->second});
  }
  return out;
}

MatchIndex::OpenVacancy MatchIndex::FindVacancy(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = vacancies_.find(id);
  if (it == vacancies_.end()) return {};
  auto employer = employers_.find(it->second->employer_id);
  return {it->second, employer == employers_.end() ? nullptr : employer->second};
}

std::shared_ptr<const Employer> MatchIndex::FindEmployer(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = employers_.find(id);
  return it == employers_.end() ? nullptr : it->second;
}

size_t MatchIndex::participant_count() const {
  std::shared_lock lock(mutex_);
  return participants_.size();
}

size_t MatchIndex::vacancy_count() const {
  std::shared_lock lock(mutex_);
  return vacancies_.size();
}

}  // namespace carvematch
