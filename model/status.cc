#include "model/status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace carvematch {
namespace {
constexpr char kViolationsPayloadUrl[] = "type.carvematch/field-violations";
}  // namespace

ViolationCollector::Scope::Scope(ViolationCollector& c, std::string segment)
    : c_(c), saved_size_(c.path_.size()) {
  if (!c_.path_.empty() && !segment.empty() && segment.front() != '[') c_.path_ += '.';
  c_.path_ += segment;
}

ViolationCollector::Scope::~Scope() { c_.path_.resize(saved_size_); }

std::string ViolationCollector::Path(const std::string& field) const {
  if (field.empty()) return path_;
  if (path_.empty()) return field;
  return field.front() == '[' ? path_ + field : absl::StrCat(path_, ".", field);
}

void ViolationCollector::Add(const std::string& field, std::string description) {
  violations_.push_back({Path(field), std::move(description)});
}

absl::Status ViolationCollector::Finish(const std::string& summary) const {
  if (violations_.empty()) return absl::OkStatus();
  std::string message = summary;
  if (violations_.size() == 1) {
    message = absl::StrCat(violations_[0].field, ": ", violations_[0].description);
  } else {
    absl::StrAppend(&message, " (", violations_.size(), " fields: ", violations_[0].field, ": ",
                    violations_[0].description, "; ...)");
  }
  return InvalidArgumentWithViolations(message, violations_);
}

absl::Status InvalidArgumentWithViolations(const std::string& message,
                                           const std::vector<FieldViolation>& violations) {
  absl::Status status = absl::InvalidArgumentError(message);
  std::string encoded;
  for (const FieldViolation& v : violations) {
    // Tab and newline cannot occur in field paths; descriptions are flattened.
    std::string description = v.description;
    for (char& ch : description) {
      if (ch == '\n' || ch == '\t') ch = ' ';
    }
    absl::StrAppend(&encoded, v.field, "\t", description, "\n");
  }
  status.SetPayload(kViolationsPayloadUrl, absl::Cord(encoded));
  return status;
}

absl::Status InvalidField(const std::string& field, const std::string& description) {
  return InvalidArgumentWithViolations(absl::StrCat(field, ": ", description),
                                       {{field, description}});
}

absl::Status MergeViolations(const std::vector<FieldViolation>& earlier, const absl::Status& status,
                             const std::string& summary) {
  std::vector<FieldViolation> later = ViolationsOf(status);
  if (!status.ok() && later.empty()) return status;
  if (earlier.empty()) return status;
  ViolationCollector all;
  for (const FieldViolation& v : earlier) all.Add(v.field, v.description);
  for (const FieldViolation& v : later) all.Add(v.field, v.description);
  return all.Finish(summary);
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kViolationsPayloadUrl);
  if (!payload.has_value()) return out;
  for (absl::string_view line : absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    out.push_back({parts.first, parts.second});
  }
  return out;
}

}  // namespace carvematch
