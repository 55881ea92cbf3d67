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

absl::StatusOr<std::unique_ptr<MatchIndex>> MatchIndex::Load(Repository& repository) {
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
    index->vacancies_[id] = std::make_shared<const Vacancy>(std::move(v));
  }
  return index;
}

absl::Status MatchIndex::RefreshParticipant(Repository& repository, const std::string& id) {
  std::unique_lock lock(mutex_);
  return Refresh(repository.GetParticipant(id), id, participants_);
}

absl::Status MatchIndex::RefreshEmployer(Repository& repository, const std::string& id) {
  std::unique_lock lock(mutex_);
  return Refresh(repository.GetEmployer(id), id, employers_);
}

absl::Status MatchIndex::RefreshVacancy(Repository& repository, const std::string& id) {
  std::unique_lock lock(mutex_);
  return Refresh(repository.GetVacancy(id), id, vacancies_);
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
