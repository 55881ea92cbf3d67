// The subcommands of the `carvematch` tool. Each takes the words after its name and
// returns the process exit code; errors are printed to stderr.
#ifndef CARVEMATCH_CLI_COMMANDS_H_
#define CARVEMATCH_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace carvematch {

using Args = std::vector<std::string>;

// Prints a failed status to stderr and returns the exit code every command uses:
// 2 bad input (InvalidArgument), 3 not allowed (Unauthenticated, PermissionDenied),
// 4 not found, 1 anything else.
int Fail(const absl::Status& status);

int ServeCommand(const Args& args);
int KeysCommand(const Args& args);
int TaxonomyCommand(const Args& args);
int ImportCommand(const Args& args);
int ListCommand(const Args& args);
int GetCommand(const Args& args);
int MatchCommand(const Args& args);
int ExplainCommand(const Args& args);
int BulkCommand(const Args& args);
int AssignCommand(const Args& args);
int ReviewCommand(const Args& args);
int CarveCommand(const Args& args);
int PublishCommand(const Args& args);
int DemoCommand(const Args& args);

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_COMMANDS_H_
