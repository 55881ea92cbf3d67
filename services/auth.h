// Who is calling, and what they may see. Every call carries an API key as
// `authorization: Bearer <key>` metadata; the store resolves it to an organisation
// and a role. The rules (docs/api.md, "Tenancy"):
//   - coach:    participants of their own organisation (read/write); vacancies and
//               employers read-only; ranks candidates only among their own participants.
//   - agency:   as a coach, and manages employers/vacancies of their own organisation.
//   - employer: employers/vacancies of their own organisation (read/write), other
//               vacancies read-only; sees candidates only as anonymous cards of
//               participants who consented; never reads participant records.
//   - admin:    everything.
#ifndef CARVEMATCH_SERVICES_AUTH_H_
#define CARVEMATCH_SERVICES_AUTH_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "grpcpp/support/string_ref.h"

namespace carvematch {

enum class Role { kCoach, kEmployer, kAgency, kAdmin };

absl::StatusOr<Role> ParseRole(std::string_view name);
const char* RoleName(Role role);

struct Caller {
  std::string key_id;
  std::string organisation_id;
  Role role = Role::kCoach;

  bool is_admin() const { return role == Role::kAdmin; }
  // Coaches and agencies work with participants of their own organisation.
  bool coaches() const { return role == Role::kCoach || role == Role::kAgency; }
  // Employers and agencies manage employers and vacancies of their own organisation.
  bool manages_vacancies() const { return role == Role::kEmployer || role == Role::kAgency; }
  bool SameOrganisation(const std::string& other) const {
    return is_admin() || other == organisation_id;
  }
};

// The key from the `authorization` metadata ("Bearer <key>"); Unauthenticated when the
// header is missing or malformed.
absl::StatusOr<std::string> BearerToken(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_AUTH_H_
