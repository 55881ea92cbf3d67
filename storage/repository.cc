#include "storage/repository.h"

#include <utility>

#include "model/status.h"

namespace carvematch {

bool IsValidApiKeyRole(const std::string& role) {
  for (const char* r : kApiKeyRoles) {
    if (role == r) return true;
  }
  return false;
}

namespace {

// Pages through a List method until the last page.
template <typename T, typename Query, typename ListFn>
absl::StatusOr<std::vector<T>> CollectAll(Query query, ListFn list) {
  std::vector<T> out;
  query.page_size = kMaxPageSize;
  query.page_token.clear();
  while (true) {
    ASSIGN_OR_RETURN(ListPage<T> page, list(query));
    for (T& item : page.items) out.push_back(std::move(item));
    if (page.next_page_token.empty()) return out;
    query.page_token = std::move(page.next_page_token);
  }
}

}  // namespace

absl::StatusOr<std::vector<Participant>> ListAllParticipants(Repository& repo,
                                                             const std::string& organisation_id) {
  ListQuery q;
  q.organisation_id = organisation_id;
  return CollectAll<Participant>(
      q, [&](const ListQuery& page_query) { return repo.ListParticipants(page_query); });
}

absl::StatusOr<std::vector<Employer>> ListAllEmployers(Repository& repo,
                                                       const std::string& organisation_id) {
  ListQuery q;
  q.organisation_id = organisation_id;
  return CollectAll<Employer>(
      q, [&](const ListQuery& page_query) { return repo.ListEmployers(page_query); });
}

absl::StatusOr<std::vector<Vacancy>> ListAllVacancies(Repository& repo, VacancyListQuery query) {
  return CollectAll<Vacancy>(std::move(query), [&](const VacancyListQuery& page_query) {
    return repo.ListVacancies(page_query);
  });
}

}  // namespace carvematch
