#include "commute/zone_matrix.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace carvematch::commute {
namespace {

constexpr double kKmPerDegreeLat = 111.2;
constexpr uint32_t kMagic = 0x4d5a4d43;  // "CMZM"
constexpr uint32_t kFormatVersion = 1;

uint64_t PointBits(GeoPoint p) {
  uint64_t a, b;
  std::memcpy(&a, &p.lat, 8);
  std::memcpy(&b, &p.lon, 8);
  return a * 0x9e3779b97f4a7c15ULL ^ (b + 0x7f4a7c159e3779b9ULL + (a << 6) + (a >> 2));
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The representative weekday of a day class.
Weekday DayOfClass(int day_class) {
  return day_class == 0 ? Weekday::kTuesday
                        : (day_class == 1 ? Weekday::kSaturday : Weekday::kSunday);
}

struct Band {
  int day_class;
  TripLeg leg;
  int minute;  // deadline (kToShift) or departure (kFromShift)
  bool operator<(const Band& o) const {
    return std::tie(day_class, leg, minute) < std::tie(o.day_class, o.leg, o.minute);
  }
};

// The bands of one shift: the way there rounded down, the way back rounded up.
std::pair<Band, Band> BandsOf(const WeeklySpan& s, int band_minutes) {
  const int c = DayClassOf(s.day);
  const int to = static_cast<int>(FloorDiv(s.start_minute, band_minutes) * band_minutes);
  const int back = static_cast<int>(-FloorDiv(-s.end_minute, band_minutes) * band_minutes);
  return {{c, TripLeg::kToShift, to}, {c, TripLeg::kFromShift, back}};
}

std::vector<WeeklySpan> ShiftsOrDefault(const SiteShifts& s) {
  if (!s.shifts.empty()) return s.shifts;
  return {{Weekday::kMonday, 9 * 60, 17 * 60}};
}

absl::Status ValidateOptions(const ZoneMatrixOptions& o) {
  if (!(o.cell_km > 0.01 && o.cell_km <= 100)) {
    return absl::InvalidArgumentError("cell_km must be in (0.01, 100]");
  }
  if (!(std::fabs(o.reference_lat) < 85)) {
    return absl::InvalidArgumentError("reference_lat must be within (-85, 85)");
  }
  if (o.band_minutes < 1 || o.band_minutes > 240) {
    return absl::InvalidArgumentError("band_minutes must be in [1, 240]");
  }
  if (o.max_minutes < 1 || o.max_minutes > 254) {
    return absl::InvalidArgumentError("max_minutes must be in [1, 254]");
  }
  return absl::OkStatus();
}

// Little-endian writer and reader of the blob.
class Writer {
 public:
  template <typename T>
  void Put(const T& v) {
    const char* p = reinterpret_cast<const char*>(&v);
    out_.append(p, sizeof(T));
  }
  template <typename T>
  void PutVector(const std::vector<T>& v) {
    Put<uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  template <typename T>
  bool Get(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool GetVector(std::vector<T>* v) {
    uint64_t n = 0;
    if (!Get(&n) || n > (in_.size() - pos_) / sizeof(T)) return false;
    v->resize(n);
    if (n > 0) std::memcpy(v->data(), in_.data() + pos_, n * sizeof(T));  // data() may be null
    pos_ += n * sizeof(T);
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  const std::string& in_;
  size_t pos_ = 0;
};

static_assert(sizeof(GeoPoint) == 16, "GeoPoint is two doubles");

}  // namespace

MatrixInputs InputsOf(const std::vector<const Participant*>& participants,
                      const std::vector<std::pair<const Vacancy*, const Employer*>>& vacancies,
                      int flexible_start_minutes) {
  MatrixInputs in;
  for (const Participant* p : participants) {
    if (p == nullptr) continue;
    in.points.push_back(p->home.point);
    for (const Childcare& c : p->childcare) in.points.push_back(c.location.point);
  }
  std::map<std::string, SiteShifts> sites;
  for (const auto& [v, e] : vacancies) {
    if (v == nullptr || e == nullptr) continue;
    const Site* site = e->FindSite(v->site_id);
    if (site == nullptr) continue;
    SiteShifts& s = sites[absl::StrCat(e->id, "/", site->id)];
    s.point = site->location.point;
    // No shifts counts as Monday 09:00-17:00 (ShiftsOrDefault), listed explicitly so
    // that it survives merging with other vacancies of the site.
    const std::vector<WeeklySpan> shifts =
        v->shifts.empty() ? std::vector<WeeklySpan>{{Weekday::kMonday, 9 * 60, 17 * 60}}
                          : v->shifts;
    s.shifts.insert(s.shifts.end(), shifts.begin(), shifts.end());
    if (!v->Offers(Accommodation::kFlexibleStart)) continue;
    // The matcher's flexible-start search moves a shift in steps of 5 minutes: every
    // such start and end falls into a band of one of these.
    for (const WeeklySpan& w : shifts) {
      for (int m = -flexible_start_minutes; m <= flexible_start_minutes; m += 5) {
        if (m == 0 || w.start_minute + m < 0) continue;
        s.shifts.push_back({w.day, w.start_minute + m, w.end_minute + m});
      }
    }
  }
  for (auto& [id, s] : sites) {
    s.id = id;
    in.sites.push_back(std::move(s));
  }
  return in;
}

int DayClassOf(Weekday day) {
  switch (day) {
    case Weekday::kSaturday:
      return 1;
    case Weekday::kSunday:
      return 2;
    case Weekday::kUnspecified:
      return -1;
    default:
      return 0;
  }
}

std::string SiteSetKey(const std::vector<SiteShifts>& sites, const ZoneMatrixOptions& options) {
  // FNV-1a over a canonical text of the sites (by id) and the options. Bands of options
  // out of range (Build refuses them) are taken per minute, so the key stays defined.
  const int band_minutes = std::max(1, options.band_minutes);
  std::vector<std::string> lines;
  lines.reserve(sites.size());
  for (const SiteShifts& s : sites) {
    std::set<Band> bands;
    for (const WeeklySpan& w : ShiftsOrDefault(s)) {
      if (DayClassOf(w.day) < 0) continue;
      auto [to, back] = BandsOf(w, band_minutes);
      bands.insert(to);
      bands.insert(back);
    }
    std::string line = absl::StrFormat("%s@%.7f,%.7f", s.id, s.point.lat, s.point.lon);
    for (const Band& b : bands) {
      absl::StrAppend(&line, ";", b.day_class, static_cast<int>(b.leg), ":", b.minute);
    }
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  lines.push_back(absl::StrFormat("options %.6f %.6f %d %d", options.cell_km, options.reference_lat,
                                  options.band_minutes, options.max_minutes));
  uint64_t h = 1469598103934665603ULL;
  for (const std::string& l : lines) {
    for (char c : l) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= '\n';
    h *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x-%d", h, sites.size());
}

int64_t ZoneMatrix::CellOf(GeoPoint p) const {
  const double dlat = options_.cell_km / kKmPerDegreeLat;
  const double dlon = dlat / std::cos(options_.reference_lat * M_PI / 180.0);
  const int64_t row = static_cast<int64_t>(std::floor(p.lat / dlat));
  const int64_t col = static_cast<int64_t>(std::floor(p.lon / dlon));
  return row * (int64_t{1} << 32) + col;
}

double ZoneMatrix::CellDiagonalKm() const {
  // A cell spans cell_km / 111.2 degrees of latitude (at most cell_km of arc) and
  // cell_km x cos(lat) / cos(reference_lat) km of longitude at latitude lat, at most
  // cell_km / cos(reference_lat): the diagonal bounds the distance of two of its points.
  const double c = std::cos(options_.reference_lat * M_PI / 180.0);
  return options_.cell_km * std::sqrt(1.0 + 1.0 / (c * c)) * 1.001;
}

uint64_t ZoneMatrix::RowKey(uint32_t site, int day_class, TripLeg leg, int band_minute) {
  // Band minutes from -2 days to +9 days fit in 14 bits after the offset.
  const uint64_t minute = static_cast<uint64_t>(band_minute + 2 * 1440) & 0x3fff;
  return (static_cast<uint64_t>(site) << 20) | (static_cast<uint64_t>(day_class & 3) << 16) |
         (static_cast<uint64_t>(leg == TripLeg::kFromShift) << 15) | (minute & 0x3fff);
}

void ZoneMatrix::Index() {
  zone_of_cell_.clear();
  site_of_point_.clear();
  for (uint32_t z = 0; z < zone_cells_.size(); ++z) zone_of_cell_[zone_cells_[z]] = z;
  for (uint32_t s = 0; s < site_points_.size(); ++s) {
    site_of_point_.emplace(PointBits(site_points_[s]), s);
  }
  stats_.zones = zone_cells_.size();
  stats_.sites = site_points_.size();
  stats_.rows = row_keys_.size();
  stats_.entries = entry_zones_.size();
  stats_.bytes = MemoryBytes();
}

size_t ZoneMatrix::MemoryBytes() const {
  return zone_cells_.size() * (sizeof(int64_t) + sizeof(GeoPoint)) +
         site_points_.size() * sizeof(GeoPoint) +
         row_keys_.size() * (sizeof(uint64_t) + sizeof(uint32_t)) +
         entry_zones_.size() * (sizeof(uint32_t) + sizeof(uint8_t));
}

int ZoneMatrix::ZoneOf(GeoPoint p) const {
  auto it = zone_of_cell_.find(CellOf(p));
  return it == zone_of_cell_.end() ? -1 : static_cast<int>(it->second);
}

absl::StatusOr<ZoneMatrix> ZoneMatrix::Build(const TransitTravel& exact,
                                             const std::vector<GeoPoint>& points,
                                             const std::vector<SiteShifts>& sites,
                                             const ZoneMatrixOptions& options) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  ZoneMatrix m;
  m.options_ = options;
  // Zones: occupied cells, by cell key, with the mean of their points.
  std::map<int64_t, std::tuple<double, double, int>> cells;
  for (const GeoPoint& p : points) {
    auto& [lat, lon, n] = cells[m.CellOf(p)];
    lat += p.lat;
    lon += p.lon;
    ++n;
  }
  for (const auto& [cell, sum] : cells) {
    const auto& [lat, lon, n] = sum;
    m.zone_cells_.push_back(cell);
    m.zone_points_.push_back({lat / n, lon / n});
  }
  // Sites: distinct points, the union of their bands.
  std::vector<std::set<Band>> bands;
  absl::flat_hash_map<uint64_t, uint32_t> site_index;
  for (const SiteShifts& s : sites) {
    auto [it, added] =
        site_index.emplace(PointBits(s.point), static_cast<uint32_t>(m.site_points_.size()));
    if (added) {
      m.site_points_.push_back(s.point);
      bands.emplace_back();
    }
    for (const WeeklySpan& w : ShiftsOrDefault(s)) {
      if (DayClassOf(w.day) < 0) continue;
      auto [to, back] = BandsOf(w, options.band_minutes);
      bands[it->second].insert(to);
      bands[it->second].insert(back);
    }
  }
  // The straight-line bound prunes zone lookups after each search.
  const ModeLowerBound bound = *exact.LowerBound(TransportMode::kPublicTransport);
  const routing::AccessOptions& access = exact.options().access;
  const int max_transfers = exact.options().max_transfers;

  // Each zone's access stops, looked up once for all searches.
  std::vector<std::vector<routing::StopSeconds>> zone_access(m.zone_points_.size());
  for (size_t z = 0; z < m.zone_points_.size(); ++z) {
    zone_access[z] = exact.network().AccessStops(m.zone_points_[z], access);
  }

  struct Row {
    uint64_t key;
    std::vector<std::pair<uint32_t, uint8_t>> entries;
  };
  const int threads = std::max(1, options.threads);
  std::vector<std::vector<Row>> rows_of(static_cast<size_t>(threads));
  std::vector<size_t> lookups(static_cast<size_t>(threads), 0);
  auto work = [&](int t) {
    TransitTravel::Lease router = exact.Borrow();
    router->set_horizon(options.max_minutes * 60 + options.band_minutes * 60);
    std::vector<uint32_t> near;
    for (size_t s = static_cast<size_t>(t); s < m.site_points_.size();
         s += static_cast<size_t>(threads)) {
      const GeoPoint site = m.site_points_[s];
      near.clear();
      for (uint32_t z = 0; z < m.zone_points_.size(); ++z) {
        const double km = HaversineKm(site, m.zone_points_[z]);
        if (bound.overhead_minutes + bound.minutes_per_km * km <= options.max_minutes + 1e-9) {
          near.push_back(z);
        }
      }
      for (const Band& b : bands[s]) {
        Row row;
        row.key = RowKey(static_cast<uint32_t>(s), b.day_class, b.leg, b.minute);
        const transit::Day date = exact.DateOf(DayOfClass(b.day_class));
        const routing::Seconds t0 = b.minute * 60;
        if (b.leg == TripLeg::kToShift) {
          router->LatestDeparturesTo(site, date, t0, access, max_transfers);
        } else {
          router->EarliestArrivalsFrom(site, date, t0, access, max_transfers);
        }
        for (uint32_t z : near) {
          ++lookups[static_cast<size_t>(t)];
          // Walking the whole way, as the point queries allow.
          const double meters = HaversineKm(site, m.zone_points_[z]) * 1000.0;
          const int64_t direct = meters <= access.max_meters
                                     ? static_cast<int64_t>(access.SecondsFor(meters))
                                     : int64_t{1} << 40;
          int64_t seconds = direct;
          if (b.leg == TripLeg::kToShift) {
            const routing::Seconds dep = router->DepartureVia(zone_access[z]);
            if (dep != routing::kNoDeparture) {
              seconds = std::min(seconds, static_cast<int64_t>(t0) - dep);
            }
          } else {
            const routing::Seconds arr = router->ArrivalVia(zone_access[z]);
            if (arr != routing::kUnreachable) {
              seconds = std::min(seconds, static_cast<int64_t>(arr) - t0);
            }
          }
          if (seconds >= (int64_t{1} << 40)) continue;
          const int64_t minutes = -FloorDiv(-seconds, 60);
          if (minutes <= options.max_minutes) {
            row.entries.push_back({z, static_cast<uint8_t>(std::max<int64_t>(0, minutes))});
          }
        }
        rows_of[static_cast<size_t>(t)].push_back(std::move(row));
      }
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (std::thread& th : pool) th.join();
  }
  std::vector<Row> rows;
  for (auto& part : rows_of) {
    for (Row& r : part) rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
  m.row_offsets_.push_back(0);
  for (const Row& r : rows) {
    m.row_keys_.push_back(r.key);
    for (const auto& [z, minutes] : r.entries) {
      m.entry_zones_.push_back(z);
      m.entry_minutes_.push_back(minutes);
    }
    m.row_offsets_.push_back(static_cast<uint32_t>(m.entry_zones_.size()));
  }
  m.Index();
  for (size_t l : lookups) m.stats_.lookups += l;
  return m;
}

ZoneMatrix::Answer ZoneMatrix::Lookup(GeoPoint site, GeoPoint point, const WeeklySpan& shift,
                                      TripLeg leg, int* minutes) const {
  const int c = DayClassOf(shift.day);
  if (c < 0) return Answer::kUnknown;
  auto s = site_of_point_.find(PointBits(site));
  if (s == site_of_point_.end() ||
      !(site_points_[s->second].lat == site.lat && site_points_[s->second].lon == site.lon)) {
    return Answer::kUnknown;
  }
  const int zone = ZoneOf(point);
  if (zone < 0) return Answer::kUnknown;
  auto [to, back] = BandsOf(shift, options_.band_minutes);
  const Band& band = leg == TripLeg::kToShift ? to : back;
  const uint64_t key = RowKey(s->second, c, leg, band.minute);
  auto row = std::lower_bound(row_keys_.begin(), row_keys_.end(), key);
  if (row == row_keys_.end() || *row != key) return Answer::kUnknown;
  const size_t r = static_cast<size_t>(row - row_keys_.begin());
  auto first = entry_zones_.begin() + row_offsets_[r];
  auto last = entry_zones_.begin() + row_offsets_[r + 1];
  auto hit = std::lower_bound(first, last, static_cast<uint32_t>(zone));
  if (hit == last || *hit != static_cast<uint32_t>(zone)) return Answer::kNoTrip;
  const int rounding =
      leg == TripLeg::kToShift ? shift.start_minute - band.minute : band.minute - shift.end_minute;
  *minutes = entry_minutes_[static_cast<size_t>(hit - entry_zones_.begin())] + rounding;
  return Answer::kMinutes;
}

std::string ZoneMatrix::Serialize() const {
  Writer w;
  w.Put(kMagic);
  w.Put(kFormatVersion);
  w.Put(options_.cell_km);
  w.Put(options_.reference_lat);
  w.Put<int32_t>(options_.band_minutes);
  w.Put<int32_t>(options_.max_minutes);
  w.PutVector(zone_cells_);
  w.PutVector(zone_points_);
  w.PutVector(site_points_);
  w.PutVector(row_keys_);
  w.PutVector(row_offsets_);
  w.PutVector(entry_zones_);
  w.PutVector(entry_minutes_);
  w.Put<uint64_t>(stats_.lookups);
  return w.Take();
}

absl::StatusOr<ZoneMatrix> ZoneMatrix::Deserialize(const std::string& blob) {
  Reader r(blob);
  uint32_t magic = 0, version = 0;
  if (!r.Get(&magic) || magic != kMagic) {
    return absl::InvalidArgumentError("not a zone matrix (bad magic)");
  }
  if (!r.Get(&version) || version != kFormatVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("zone matrix format version ", version, " is not ", kFormatVersion));
  }
  ZoneMatrix m;
  int32_t band = 0, max_minutes = 0;
  uint64_t lookups = 0;
  if (!r.Get(&m.options_.cell_km) || !r.Get(&m.options_.reference_lat) || !r.Get(&band) ||
      !r.Get(&max_minutes) || !r.GetVector(&m.zone_cells_) || !r.GetVector(&m.zone_points_) ||
      !r.GetVector(&m.site_points_) || !r.GetVector(&m.row_keys_) ||
      !r.GetVector(&m.row_offsets_) || !r.GetVector(&m.entry_zones_) ||
      !r.GetVector(&m.entry_minutes_) || !r.Get(&lookups) || !r.AtEnd()) {
    return absl::InvalidArgumentError("zone matrix blob is truncated or has trailing bytes");
  }
  m.options_.band_minutes = band;
  m.options_.max_minutes = max_minutes;
  if (absl::Status s = ValidateOptions(m.options_); !s.ok()) return s;
  // Structure: one offset more than rows, non-decreasing, ending at the entry count;
  // zones in range and sorted within a row; rows sorted.
  const size_t rows = m.row_keys_.size();
  bool ok = m.zone_cells_.size() == m.zone_points_.size() && m.row_offsets_.size() == rows + 1 &&
            m.entry_zones_.size() == m.entry_minutes_.size() && m.row_offsets_.front() == 0 &&
            m.row_offsets_.back() == m.entry_zones_.size() &&
            std::is_sorted(m.row_keys_.begin(), m.row_keys_.end());
  for (size_t i = 0; ok && i < rows; ++i) {
    ok = m.row_offsets_[i] <= m.row_offsets_[i + 1];
    for (uint32_t e = m.row_offsets_[i]; ok && e < m.row_offsets_[i + 1]; ++e) {
      ok = m.entry_zones_[e] < m.zone_cells_.size() &&
           (e == m.row_offsets_[i] || m.entry_zones_[e - 1] < m.entry_zones_[e]);
    }
    ok = ok && (m.row_keys_[i] >> 20) < m.site_points_.size();
  }
  if (!ok) return absl::InvalidArgumentError("zone matrix blob is inconsistent");
  m.Index();
  m.stats_.lookups = lookups;
  return m;
}

ZoneMatrixTravel::ZoneMatrixTravel(const ZoneMatrix& matrix, const TransitTravel& exact)
    : matrix_(matrix), exact_(exact) {}

std::optional<int> ZoneMatrixTravel::Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                                             const WeeklySpan& shift, TripLeg leg) const {
  if (mode != TransportMode::kPublicTransport) return exact_.Minutes(mode, from, to, shift, leg);
  const GeoPoint site = leg == TripLeg::kToShift ? to : from;
  const GeoPoint point = leg == TripLeg::kToShift ? from : to;
  int minutes = 0;
  switch (matrix_.Lookup(site, point, shift, leg, &minutes)) {
    case ZoneMatrix::Answer::kMinutes:
      return minutes;
    case ZoneMatrix::Answer::kNoTrip:
      return std::nullopt;
    case ZoneMatrix::Answer::kUnknown:
      break;
  }
  exact_answers_.fetch_add(1, std::memory_order_relaxed);
  return exact_.Minutes(mode, from, to, shift, leg);
}

std::optional<ModeLowerBound> ZoneMatrixTravel::LowerBound(TransportMode mode) const {
  std::optional<ModeLowerBound> b = exact_.LowerBound(mode);
  if (b && mode == TransportMode::kPublicTransport) {
    b->overhead_minutes -= b->minutes_per_km * matrix_.CellDiagonalKm();
  }
  return b;
}

}  // namespace carvematch::commute
