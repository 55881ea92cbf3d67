// `carvematch transit import FEED [FEED...] [--name N] [--db FILE]`: reads GTFS feeds
// (.zip files or folders) into one timetable and stores it in the database as a binary
// blob (storage/transit_store.h), which the server loads at start.
//
// Each feed's ids are prefixed with a feed name taken from its file name ("delijn.zip"
// -> "delijn"; characters outside [A-Za-z0-9_-] become '_'). --name names the stored
// timetable ("default", the one the server uses). The output lists the importer's
// warnings (file:line), a summary of counts, the validity of the feeds and the feed
// version (a digest of the feed files, which keys the zone-to-site matrices). An
// importer error names the feed, the file, the line and the field; nothing is stored.
#ifndef CARVEMATCH_CLI_TRANSIT_H_
#define CARVEMATCH_CLI_TRANSIT_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/transit_store.h"

namespace carvematch {

int TransitCommand(const std::vector<std::string>& args);

// The feed name of a path: its file name without ".zip", sanitised.
std::string FeedNameOf(const std::string& path);

// A digest of the feed files' bytes (a folder: its files by name), in path order.
absl::StatusOr<std::string> FeedVersionOf(const std::vector<std::string>& paths);

// Imports `paths` into one timetable, prints warnings and the summary to `out`, and
// saves it under `name` in `store`. Returns what was stored (with its data).
absl::StatusOr<StoredTimetable> ImportAndStoreFeeds(const std::vector<std::string>& paths,
                                                    const std::string& name, TransitStore& store,
                                                    std::ostream& out);

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_TRANSIT_H_
