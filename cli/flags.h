// Command-line arguments of the carvematch tool: positional words and --flags
// ("--db FILE", "--db=FILE", boolean "--json"). Unknown flags are errors that name them.
#ifndef CARVEMATCH_CLI_FLAGS_H_
#define CARVEMATCH_CLI_FLAGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace carvematch {

class Flags {
 public:
  // `value_flags` take a value, `bool_flags` do not; anything else starting with "--"
  // is InvalidArgument.
  static absl::StatusOr<Flags> Parse(const std::vector<std::string>& args,
                                     const std::set<std::string>& value_flags,
                                     const std::set<std::string>& bool_flags);

  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The flag's value, else the environment variable `env` (if given), else `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "",
                  const char* env = nullptr) const;
  absl::StatusOr<int> GetInt(const std::string& name, int fallback) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> values_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_FLAGS_H_
