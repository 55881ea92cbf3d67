// Small helpers around absl::Status that abseil 20220623 does not ship, and the
// field-violation payload that carries "which field is wrong and why" from the
// core libraries to the service edge (where it becomes google.rpc.BadRequest).
//
// Example usage:
//   absl::Status Store(const Participant& p) {
//     RETURN_IF_ERROR(ValidateParticipant(p, catalog));
//     ASSIGN_OR_RETURN(int64_t version, repo.Put(p));
//     ...
//   }
#ifndef CARVEMATCH_MODEL_STATUS_H_
#define CARVEMATCH_MODEL_STATUS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CM_STATUS_CONCAT_INNER_(a, b) a##b
#define CM_STATUS_CONCAT_(a, b) CM_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                \
  do {                                       \
    ::absl::Status cm_status_ = (expr);      \
    if (!cm_status_.ok()) return cm_status_; \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(CM_STATUS_CONCAT_(cm_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                           \
  if (!statusor.ok()) return statusor.status();     \
  lhs = std::move(statusor).value()

namespace carvematch {

// One offending field: `field` is the request path in the API's snake_case names
// ("participant.skills[2].level"), `description` says why in plain words.
struct FieldViolation {
  std::string field;
  std::string description;
  bool operator==(const FieldViolation& o) const {
    return field == o.field && description == o.description;
  }
};

// Collects violations while a validator walks a message; Finish() turns them into
// one InvalidArgument status carrying all of them, or OK when there are none.
class ViolationCollector {
 public:
  // Pushes a path segment ("skills[2]") for the duration of a scope.
  class Scope {
   public:
    Scope(ViolationCollector& c, std::string segment);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ViolationCollector& c_;
    size_t saved_size_;
  };

  explicit ViolationCollector(std::string root = "") : path_(std::move(root)) {}

  // Records a violation at the current path, extended by `field` when non-empty.
  void Add(const std::string& field, std::string description);
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }
  std::string Path(const std::string& field) const;
  absl::Status Finish(const std::string& summary = "invalid request") const;

 private:
  std::string path_;
  std::vector<FieldViolation> violations_;
};

// InvalidArgument status with the violations attached as a payload.
absl::Status InvalidArgumentWithViolations(const std::string& message,
                                           const std::vector<FieldViolation>& violations);
// Convenience for a single offending field.
absl::Status InvalidField(const std::string& field, const std::string& description);
// `earlier` violations (found before `status` was computed) together with those of
// `status`: OK when both are empty, else one InvalidArgument carrying all of them. A
// status that is an error of another kind wins as it is.
absl::Status MergeViolations(const std::vector<FieldViolation>& earlier, const absl::Status& status,
                             const std::string& summary);
// The violations a status carries (empty when it carries none).
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_STATUS_H_
