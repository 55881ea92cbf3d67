// `carvematch import FILE...`: loads employers, vacancies and participants through the
// API, so every record passes the same validation and access rules as any client's.
//
// Formats:
//   - JSON in the protobuf JSON mapping: an object with any of the arrays
//     "employers", "vacancies", "participants" (data/demo/*.json are examples);
//   - CSV of participants, one row each, in the columns of docs/api.md ("Bulk CSV").
// Records are imported employers first, then vacancies, then participants. A record
// whose id exists is replaced (so importing the same file twice is harmless). The first
// invalid record stops the import with an error naming the file, the record and the
// field; the records before it stay imported and are counted in the report.
#ifndef CARVEMATCH_CLI_IMPORT_H_
#define CARVEMATCH_CLI_IMPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/client.h"

namespace carvematch {

struct ImportReport {
  int created = 0;
  int replaced = 0;
};

absl::StatusOr<ImportReport> ImportFiles(Client& client, const std::vector<std::string>& paths);

// Parses the participant CSV format into API messages (exposed for tests).
absl::StatusOr<std::vector<v1::Participant>> ParseParticipantCsv(const std::string& text,
                                                                 const std::string& file_name);

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_IMPORT_H_
