#include "services/auth.h"

#include "absl/strings/str_cat.h"

namespace carvematch {

absl::StatusOr<Role> ParseRole(std::string_view name) {
  if (name == "coach") return Role::kCoach;
  if (name == "employer") return Role::kEmployer;
  if (name == "agency") return Role::kAgency;
  if (name == "admin") return Role::kAdmin;
  return absl::InvalidArgumentError(absl::StrCat("unknown role \"",
                                                 absl::string_view(name.data(), name.size()),
                                                 "\": use coach, employer, agency or admin"));
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kCoach:
      return "coach";
    case Role::kEmployer:
      return "employer";
    case Role::kAgency:
      return "agency";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

absl::StatusOr<std::string> BearerToken(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "missing API key: send metadata \"authorization: Bearer <key>\"");
  }
  std::string value(it->second.data(), it->second.size());
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size() || value.compare(0, kPrefix.size(), kPrefix) != 0) {
    return absl::UnauthenticatedError("authorization metadata must be \"Bearer <key>\"");
  }
  return value.substr(kPrefix.size());
}

}  // namespace carvematch
