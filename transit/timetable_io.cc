#include "transit/timetable_io.h"

#include <cstring>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "archive/zip.h"
#include "model/status.h"

namespace carvematch::transit {
namespace {

constexpr char kMagic[4] = {'C', 'M', 'T', 'T'};
constexpr size_t kHeaderSize = 4 + 4 + 8 + 4;

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    char b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    out_.append(b, 4);
  }
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void U64(uint64_t v) {
    U32(static_cast<uint32_t>(v & 0xffffffffu));
    U32(static_cast<uint32_t>(v >> 32));
  }
  void F64(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof(bits));
    U64(bits);
  }
  void Str(const std::string& s) {
    U32(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  void Count(size_t n) { U32(static_cast<uint32_t>(n)); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}

  bool U8(uint8_t* v) {
    if (pos_ + 1 > in_.size()) return Fail();
    *v = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  bool U32(uint32_t* v) {
    if (pos_ + 4 > in_.size()) return Fail();
    uint32_t r = 0;
    for (int i = 0; i < 4; ++i)
      r |= static_cast<uint32_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += 4;
    *v = r;
    return true;
  }
  bool I32(int32_t* v) {
    uint32_t u;
    if (!U32(&u)) return false;
    *v = static_cast<int32_t>(u);
    return true;
  }
  bool U64(uint64_t* v) {
    uint32_t lo, hi;
    if (!U32(&lo) || !U32(&hi)) return false;
    *v = (static_cast<uint64_t>(hi) << 32) | lo;
    return true;
  }
  bool F64(double* d) {
    uint64_t bits;
    if (!U64(&bits)) return false;
    std::memcpy(d, &bits, sizeof(bits));
    return true;
  }
  bool Str(std::string* s) {
    uint32_t n;
    if (!U32(&n)) return false;
    if (pos_ + n > in_.size()) return Fail();
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // A count of elements at least `min_bytes` each: refuses counts the rest of the
  // input cannot hold (so a corrupt count never allocates gigabytes).
  bool Count(size_t min_bytes, size_t* n) {
    uint32_t c;
    if (!U32(&c)) return false;
    if (static_cast<uint64_t>(c) * min_bytes > in_.size() - pos_) return Fail();
    *n = c;
    return true;
  }
  bool at_end() const { return pos_ == in_.size(); }
  bool failed() const { return failed_; }

 private:
  bool Fail() {
    failed_ = true;
    return false;
  }
  absl::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

absl::Status Corrupt(const std::string& what) {
  return absl::DataLossError(absl::StrCat("timetable blob: ", what));
}

}  // namespace

std::string Serialize(const Timetable& t) {
  Writer w;
  w.Count(t.feeds.size());
  for (const FeedInfo& f : t.feeds) {
    w.Str(f.name);
    w.Count(f.agencies.size());
    for (const std::string& a : f.agencies) w.Str(a);
    w.I32(f.first_day);
    w.I32(f.last_day);
  }
  w.Count(t.stops.size());
  for (const Stop& s : t.stops) {
    w.Str(s.id);
    w.Str(s.name);
    w.F64(s.point.lat);
    w.F64(s.point.lon);
  }
  w.Count(t.services.size());
  for (const ServiceCalendar& s : t.services) {
    w.Str(s.id);
    w.I32(s.first_day);
    w.Count(s.day_bits.size());
    for (uint64_t b : s.day_bits) w.U64(b);
  }
  // Route ids, short names and headsigns repeat across trips: one table of them.
  absl::flat_hash_map<std::string, uint32_t> index;
  std::vector<std::string> table;
  auto intern = [&](const std::string& s) {
    auto [it, inserted] = index.try_emplace(s, static_cast<uint32_t>(table.size()));
    if (inserted) table.push_back(s);  // (map keys move when the map grows)
    return it->second;
  };
  std::vector<uint32_t> refs;
  refs.reserve(t.trips.size() * 3);
  for (const TripInfo& trip : t.trips) {
    refs.push_back(intern(trip.route_id));
    refs.push_back(intern(trip.short_name));
    refs.push_back(intern(trip.headsign));
  }
  w.Count(table.size());
  for (const std::string& s : table) w.Str(s);
  w.Count(t.trips.size());
  for (size_t i = 0; i < t.trips.size(); ++i) {
    const TripInfo& trip = t.trips[i];
    w.Str(trip.trip_id);
    w.U32(refs[3 * i]);
    w.U32(refs[3 * i + 1]);
    w.U32(refs[3 * i + 2]);
    w.U8(static_cast<uint8_t>(trip.mode));
    w.U32(trip.service);
  }
  w.Count(t.routes.size());
  for (const Route& r : t.routes) {
    w.U32(r.first_route_stop);
    w.U32(r.num_stops);
    w.U32(r.first_trip);
    w.U32(r.num_trips);
    w.U32(r.first_stop_time);
  }
  w.Count(t.route_stops.size());
  for (StopIndex s : t.route_stops) w.U32(s);
  w.Count(t.route_stop_flags.size());
  for (uint8_t f : t.route_stop_flags) w.U8(f);
  w.Count(t.stop_times.size());
  for (const StopTime& st : t.stop_times) {
    w.I32(st.arrival);
    w.I32(st.departure);
  }
  w.Count(t.stop_route_offsets.size());
  for (uint32_t o : t.stop_route_offsets) w.U32(o);
  w.Count(t.stop_routes.size());
  for (const StopRoute& sr : t.stop_routes) {
    w.U32(sr.route);
    w.U32(sr.position);
  }
  w.Count(t.footpath_offsets.size());
  for (uint32_t o : t.footpath_offsets) w.U32(o);
  w.Count(t.footpaths.size());
  for (const Footpath& f : t.footpaths) {
    w.U32(f.to);
    w.I32(f.duration);
  }

  std::string payload = std::move(w.out());
  Writer h;
  h.out().append(kMagic, 4);
  h.U32(kTimetableFormatVersion);
  h.U64(payload.size());
  h.U32(Crc32(payload));
  std::string out = std::move(h.out());
  out += payload;
  return out;
}

absl::StatusOr<Timetable> Deserialize(absl::string_view bytes) {
  if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, 4) != 0) {
    return absl::InvalidArgumentError("not a carvematch timetable (magic 'CMTT' missing)");
  }
  if (bytes.size() < kHeaderSize) return Corrupt("truncated header");
  Reader head(bytes.substr(4, kHeaderSize - 4));
  uint32_t version = 0, crc = 0;
  uint64_t size = 0;
  head.U32(&version);
  head.U64(&size);
  head.U32(&crc);
  if (version != kTimetableFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("timetable blob has format version ", version, ", this program reads ",
                     kTimetableFormatVersion, "; import the feed again"));
  }
  const absl::string_view payload = bytes.substr(kHeaderSize);
  if (payload.size() < size) {
    return Corrupt(absl::StrCat("truncated: ", payload.size(), " of ", size, " payload bytes"));
  }
  if (payload.size() > size) {
    return Corrupt(absl::StrCat(payload.size() - size, " bytes after the payload"));
  }
  if (Crc32(payload) != crc) return Corrupt("checksum mismatch");

  Reader r(payload);
  Timetable t;
  size_t n = 0;
  auto fail = [&](const char* section) { return Corrupt(absl::StrCat("damaged ", section)); };
  if (!r.Count(12, &n)) return fail("feeds");
  t.feeds.resize(n);
  for (FeedInfo& f : t.feeds) {
    size_t agencies = 0;
    if (!r.Str(&f.name) || !r.Count(4, &agencies)) return fail("feeds");
    f.agencies.resize(agencies);
    for (std::string& a : f.agencies) {
      if (!r.Str(&a)) return fail("feeds");
    }
    if (!r.I32(&f.first_day) || !r.I32(&f.last_day)) return fail("feeds");
  }
  if (!r.Count(24, &n)) return fail("stops");
  t.stops.resize(n);
  for (Stop& s : t.stops) {
    if (!r.Str(&s.id) || !r.Str(&s.name) || !r.F64(&s.point.lat) || !r.F64(&s.point.lon)) {
      return fail("stops");
    }
  }
  if (!r.Count(12, &n)) return fail("services");
  t.services.resize(n);
  for (ServiceCalendar& s : t.services) {
    size_t words = 0;
    if (!r.Str(&s.id) || !r.I32(&s.first_day) || !r.Count(8, &words)) return fail("services");
    s.day_bits.resize(words);
    for (uint64_t& b : s.day_bits) {
      if (!r.U64(&b)) return fail("services");
    }
  }
  if (!r.Count(4, &n)) return fail("string table");
  std::vector<std::string> table(n);
  for (std::string& s : table) {
    if (!r.Str(&s)) return fail("string table");
  }
  if (!r.Count(21, &n)) return fail("trips");
  t.trips.resize(n);
  for (TripInfo& trip : t.trips) {
    uint32_t ref[3];
    uint8_t mode = 0;
    if (!r.Str(&trip.trip_id) || !r.U32(&ref[0]) || !r.U32(&ref[1]) || !r.U32(&ref[2]) ||
        !r.U8(&mode) || !r.U32(&trip.service)) {
      return fail("trips");
    }
    if (ref[0] >= table.size() || ref[1] >= table.size() || ref[2] >= table.size() ||
        mode > static_cast<uint8_t>(RouteMode::kOther)) {
      return fail("trips");
    }
    trip.route_id = table[ref[0]];
    trip.short_name = table[ref[1]];
    trip.headsign = table[ref[2]];
    trip.mode = static_cast<RouteMode>(mode);
  }
  if (!r.Count(20, &n)) return fail("routes");
  t.routes.resize(n);
  for (Route& route : t.routes) {
    if (!r.U32(&route.first_route_stop) || !r.U32(&route.num_stops) || !r.U32(&route.first_trip) ||
        !r.U32(&route.num_trips) || !r.U32(&route.first_stop_time)) {
      return fail("routes");
    }
  }
  if (!r.Count(4, &n)) return fail("route stops");
  t.route_stops.resize(n);
  for (StopIndex& s : t.route_stops) {
    if (!r.U32(&s)) return fail("route stops");
  }
  if (!r.Count(1, &n)) return fail("route stop flags");
  t.route_stop_flags.resize(n);
  for (uint8_t& f : t.route_stop_flags) {
    if (!r.U8(&f)) return fail("route stop flags");
  }
  if (!r.Count(8, &n)) return fail("stop times");
  t.stop_times.resize(n);
  for (StopTime& st : t.stop_times) {
    if (!r.I32(&st.arrival) || !r.I32(&st.departure)) return fail("stop times");
  }
  if (!r.Count(4, &n)) return fail("stop route offsets");
  t.stop_route_offsets.resize(n);
  for (uint32_t& o : t.stop_route_offsets) {
    if (!r.U32(&o)) return fail("stop route offsets");
  }
  if (!r.Count(8, &n)) return fail("stop routes");
  t.stop_routes.resize(n);
  for (StopRoute& sr : t.stop_routes) {
    if (!r.U32(&sr.route) || !r.U32(&sr.position)) return fail("stop routes");
  }
  if (!r.Count(4, &n)) return fail("footpath offsets");
  t.footpath_offsets.resize(n);
  for (uint32_t& o : t.footpath_offsets) {
    if (!r.U32(&o)) return fail("footpath offsets");
  }
  if (!r.Count(8, &n)) return fail("footpaths");
  t.footpaths.resize(n);
  for (Footpath& f : t.footpaths) {
    if (!r.U32(&f.to) || !r.I32(&f.duration)) return fail("footpaths");
  }
  if (!r.at_end()) return Corrupt("trailing bytes inside the payload");
  RETURN_IF_ERROR(ValidateTimetable(t));
  return t;
}

absl::Status ValidateTimetable(const Timetable& t) {
  const size_t ns = t.stops.size();
  if (t.route_stop_flags.size() != t.route_stops.size()) {
    return Corrupt("route_stop_flags and route_stops differ in length");
  }
  uint64_t trips = 0, route_stops = 0, stop_times = 0;
  for (size_t i = 0; i < t.routes.size(); ++i) {
    const Route& r = t.routes[i];
    if (r.first_trip != trips || r.first_route_stop != route_stops ||
        r.first_stop_time != stop_times || r.num_stops < 2 || r.num_trips < 1) {
      return Corrupt(absl::StrCat("route ", i, " has inconsistent offsets"));
    }
    trips += r.num_trips;
    route_stops += r.num_stops;
    stop_times += static_cast<uint64_t>(r.num_trips) * r.num_stops;
  }
  if (trips != t.trips.size() || route_stops != t.route_stops.size() ||
      stop_times != t.stop_times.size()) {
    return Corrupt("routes do not cover trips, route stops and stop times exactly");
  }
  for (StopIndex s : t.route_stops) {
    if (s >= ns) return Corrupt(absl::StrCat("route stop ", s, " out of range"));
  }
  for (const TripInfo& trip : t.trips) {
    if (trip.service >= t.services.size()) {
      return Corrupt(absl::StrCat("trip '", trip.trip_id, "' has an unknown service"));
    }
  }
  auto check_csr = [&](const std::vector<uint32_t>& offsets, size_t items, const char* what) {
    if (offsets.empty() && ns == 0 && items == 0) return absl::OkStatus();
    if (offsets.size() != ns + 1 || offsets[0] != 0 || offsets[ns] != items) {
      return Corrupt(absl::StrCat(what, " offsets do not match the stops"));
    }
    for (size_t s = 0; s < ns; ++s) {
      if (offsets[s] > offsets[s + 1]) return Corrupt(absl::StrCat(what, " offsets decrease"));
    }
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(check_csr(t.stop_route_offsets, t.stop_routes.size(), "stop route"));
  RETURN_IF_ERROR(check_csr(t.footpath_offsets, t.footpaths.size(), "footpath"));
  for (const StopRoute& sr : t.stop_routes) {
    if (sr.route >= t.routes.size() || sr.position >= t.routes[sr.route].num_stops) {
      return Corrupt("stop route out of range");
    }
  }
  for (const Footpath& f : t.footpaths) {
    if (f.to >= ns || f.duration < 0) return Corrupt("footpath out of range");
  }
  return absl::OkStatus();
}

}  // namespace carvematch::transit
