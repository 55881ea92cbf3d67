// A compact, versioned binary form of a Timetable, so the server loads a feed imported
// once (and stored as a SQLite blob) in milliseconds instead of re-reading GTFS.
//
// Layout (all integers little-endian):
//   "CMTT"            4 bytes magic
//   version           u32 (kTimetableFormatVersion)
//   payload_size      u64
//   payload_crc32     u32 (CRC-32 of the payload)
//   payload           feeds, stops, services, a string table (route ids, short names,
//                     headsigns), trips, routes, route stops and flags, stop times, the
//                     stop -> route CSR and the footpath CSR; every list is a u32 count
//                     followed by its elements, strings are u32 length + bytes, doubles
//                     their IEEE-754 bits.
// Deserialize checks magic, version, size and checksum, then the structure itself
// (every offset and index in range, CSR offsets monotone) so a router never reads out
// of bounds. Errors: not a timetable -> kInvalidArgument; another format version ->
// kFailedPrecondition; truncated, corrupt or inconsistent -> kDataLoss.
//
// Example usage:
//   std::string blob = Serialize(timetable);
//   ASSIGN_OR_RETURN(Timetable t, Deserialize(blob));
#ifndef CARVEMATCH_TRANSIT_TIMETABLE_IO_H_
#define CARVEMATCH_TRANSIT_TIMETABLE_IO_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "transit/timetable.h"

namespace carvematch::transit {

inline constexpr uint32_t kTimetableFormatVersion = 1;

std::string Serialize(const Timetable& timetable);
absl::StatusOr<Timetable> Deserialize(absl::string_view bytes);

// The structural invariants a router relies on (kDataLoss naming the first broken one).
absl::Status ValidateTimetable(const Timetable& timetable);

}  // namespace carvematch::transit

#endif  // CARVEMATCH_TRANSIT_TIMETABLE_IO_H_
