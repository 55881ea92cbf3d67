#include "services/field_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "model/status.h"

namespace carvematch {

using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

absl::Status ApplyFieldMask(const Message& update, const FieldMask& mask,
                            const std::vector<std::string>& immutable, Message* stored) {
  const google::protobuf::Descriptor* descriptor = stored->GetDescriptor();
  auto is_immutable = [&](const std::string& path) {
    std::string top = path.substr(0, path.find('.'));
    return std::find(immutable.begin(), immutable.end(), top) != immutable.end();
  };

  FieldMask effective;
  if (mask.paths().empty()) {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const std::string& name = descriptor->field(i)->name();
      if (!is_immutable(name)) effective.add_paths(name);
    }
  } else {
    ViolationCollector c("update_mask");
    for (int i = 0; i < mask.paths_size(); ++i) {
      const std::string& path = mask.paths(i);
      std::string field = absl::StrCat("paths[", i, "]");
      if (!FieldMaskUtil::GetFieldDescriptors(descriptor, path, nullptr)) {
        c.Add(field, absl::StrCat("\"", path, "\" is not a field of ", descriptor->name()));
      } else if (is_immutable(path)) {
        c.Add(field, absl::StrCat("\"", path, "\" cannot be changed"));
      }
    }
    RETURN_IF_ERROR(c.Finish("invalid update_mask"));
    effective = mask;
  }

  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  // MergeMessageTo merges into the destination; clear the masked fields first so an
  // unset scalar in `update` clears the stored value too.
  for (const std::string& path : effective.paths()) {
    if (path.find('.') == std::string::npos) {
      const google::protobuf::FieldDescriptor* f = descriptor->FindFieldByName(path);
      if (f != nullptr) stored->GetReflection()->ClearField(stored, f);
    }
  }
  FieldMaskUtil::MergeMessageTo(update, effective, options, stored);
  return absl::OkStatus();
}

}  // namespace carvematch
