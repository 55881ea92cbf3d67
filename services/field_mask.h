// Partial updates with a google.protobuf.FieldMask, the AIP-134 way: the paths name the
// fields of the resource to replace (nested paths like "home.municipality" allowed;
// repeated and message fields are replaced whole); an empty mask replaces every
// field the caller may change.
#ifndef CARVEMATCH_SERVICES_FIELD_MASK_H_
#define CARVEMATCH_SERVICES_FIELD_MASK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace carvematch {

// Merges the fields of `update` named by `mask` into `stored` (same message type).
// Fields in `immutable` (top-level names such as "id", "create_time") keep their stored
// value; naming one in the mask, or a path that does not exist, is InvalidArgument with
// a violation on "update_mask.paths[i]".
absl::Status ApplyFieldMask(const google::protobuf::Message& update,
                            const google::protobuf::FieldMask& mask,
                            const std::vector<std::string>& immutable,
                            google::protobuf::Message* stored);

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_FIELD_MASK_H_
