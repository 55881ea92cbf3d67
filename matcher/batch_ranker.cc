#include "matcher/batch_ranker.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "matcher/pair_core.h"
#include "matcher/skill_coverage.h"
#include "matcher/topk.h"
#include "model/status.h"

namespace carvematch {
namespace {

// A pair as seen from one side: `rank` is the other side's position in id order,
// `index` its position in the input.
struct Entry {
  Tier tier;
  double score;
  int32_t rank;
  int32_t index;
};

struct EntryBetter {
  bool operator()(const Entry& a, const Entry& b) const {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.score != b.score) return a.score > b.score;
    return a.rank < b.rank;
  }
};

using Heap = TopK<Entry, EntryBetter>;

// (tier, score) of an entry in fixed point, larger for worse entries: when the keys of
// two entries differ by more than 2, the one with the larger key is worse in
// EntryBetter's order whatever the ranks (scores within 2^-31 count as equal).
uint64_t BarKey(const Entry& e) {
  const double worse = std::clamp(100.0 - e.score, 0.0, 128.0);
  return (static_cast<uint64_t>(e.tier) << 40) | static_cast<uint64_t>(worse * 4294967296.0);
}

// a = min(a, v), atomically.
void AtomicMin(std::atomic<uint64_t>& a, uint64_t v) {
  uint64_t cur = a.load(std::memory_order_relaxed);
  while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

// rank[i]: the position of item i when sorted by (id, index).
template <typename IdOf>
std::vector<int32_t> RanksById(size_t n, IdOf id_of) {
  std::vector<int32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return id_of(a) < id_of(b); });
  std::vector<int32_t> rank(n);
  for (size_t r = 0; r < n; ++r) rank[static_cast<size_t>(order[r])] = static_cast<int32_t>(r);
  return rank;
}

// The 16 low bits of v spread to the even bits of 32.
uint64_t SpreadBits(uint64_t v) {
  v &= 0xFFFFu;
  v = (v | (v << 8)) & 0x00FF00FFu;
  v = (v | (v << 4)) & 0x0F0F0F0Fu;
  v = (v | (v << 2)) & 0x33333333u;
  v = (v | (v << 1)) & 0x55555555u;
  return v;
}

// The indices 0..n-1 in the Morton (Z) order of their points, ties in index order, so
// that runs of consecutive items lie close together.
template <typename PointOf>
std::vector<int32_t> SpatialOrder(size_t n, PointOf point_of) {
  double lat_lo = 90, lat_hi = -90, lon_lo = 180, lon_hi = -180;
  for (size_t i = 0; i < n; ++i) {
    const GeoPoint g = point_of(i);
    lat_lo = std::min(lat_lo, g.lat);
    lat_hi = std::max(lat_hi, g.lat);
    lon_lo = std::min(lon_lo, g.lon);
    lon_hi = std::max(lon_hi, g.lon);
  }
  auto quantize = [](double x, double lo, double hi) -> uint64_t {
    if (!(hi > lo)) return 0;
    return static_cast<uint64_t>(std::clamp((x - lo) / (hi - lo) * 65535.0, 0.0, 65535.0));
  };
  std::vector<std::pair<uint64_t, int32_t>> keyed(n);
  for (size_t i = 0; i < n; ++i) {
    const GeoPoint g = point_of(i);
    keyed[i] = {(SpreadBits(quantize(g.lat, lat_lo, lat_hi)) << 1) |
                    SpreadBits(quantize(g.lon, lon_lo, lon_hi)),
                static_cast<int32_t>(i)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<int32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = keyed[i].second;
  return order;
}

// Vacancies are bucketed in a grid of squares of about kFineCellKm (cells), themselves
// grouped in squares of kCoarseCells x kCoarseCells cells (groups), so that a cell's box
// is small and one bound settles a whole group of far cells.
constexpr double kFineCellKm = 3;
constexpr int kCoarseShift = 2;  // groups of 4 x 4 cells (12 km)

struct GridKey {
  uint64_t group = 0;  // Morton code of the group square
  uint64_t cell = 0;   // the cell square within it
  bool operator==(const GridKey& o) const { return group == o.group && cell == o.cell; }
};

// The indices 0..n-1 sorted by (group, cell, index) of their points, and the key of
// each position.
template <typename PointOf>
std::pair<std::vector<int32_t>, std::vector<GridKey>> GridOrder(size_t n, PointOf point_of) {
  double lat_lo = 90, lon_lo = 180, lat_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const GeoPoint g = point_of(i);
    lat_lo = std::min(lat_lo, g.lat);
    lon_lo = std::min(lon_lo, g.lon);
    lat_sum += g.lat;
  }
  const double mean_lat = n > 0 ? lat_sum / static_cast<double>(n) : 0;
  const double km_per_deg_lat = 111.2;
  const double km_per_deg_lon = std::max(1.0, 111.2 * std::cos(mean_lat * M_PI / 180.0));
  auto square = [](double km) {
    return static_cast<uint64_t>(std::clamp(std::floor(km / kFineCellKm), 0.0, 65535.0));
  };
  std::vector<std::pair<GridKey, int32_t>> keyed(n);
  for (size_t i = 0; i < n; ++i) {
    const GeoPoint g = point_of(i);
    const uint64_t y = square((g.lat - lat_lo) * km_per_deg_lat);
    const uint64_t x = square((g.lon - lon_lo) * km_per_deg_lon);
    GridKey key;
    key.group = (SpreadBits(y >> kCoarseShift) << 1) | SpreadBits(x >> kCoarseShift);
    key.cell = (SpreadBits(y) << 1) | SpreadBits(x);
    keyed[i] = {key, static_cast<int32_t>(i)};
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    if (a.first.group != b.first.group) return a.first.group < b.first.group;
    if (a.first.cell != b.first.cell) return a.first.cell < b.first.cell;
    return a.second < b.second;
  });
  std::pair<std::vector<int32_t>, std::vector<GridKey>> out;
  out.first.reserve(n);
  out.second.reserve(n);
  for (const auto& [key, index] : keyed) {
    out.first.push_back(index);
    out.second.push_back(key);
  }
  return out;
}

// The most preference points a participant can get from any vacancy (CheckStatic: 4
// for the outcome, plus 6 for a wanted sector or occupation, or 3 when the participant
// states no wishes).
double MaxPreferences(const ParticipantFeatures& p) { return p.states_wishes ? 10.0 : 7.0; }

// The best score a pair can have given its skills, the best commute points, the
// vacancy's sustainability points and the participant's best preference points: every
// other part at its maximum, no penalty.
double ScoreBoundFromSkills(float coverage_essential, float coverage_optional,
                            double commute_points, double sustainability,
                            double max_preferences = 10.0) {
  ScoreParts best;
  best.skills = SkillsPart(coverage_essential, coverage_optional);
  best.commute = commute_points;
  best.language = 15;
  best.hours = 10;
  best.preferences = max_preferences;
  best.sustainability = sustainability;
  return TotalScore(best);
}

// What the straight-line distance says about a pair's commute.
struct CommuteBound {
  bool blocked = false;              // certainly a commute blocker (0 points)
  bool needs_accommodation = false;  // no own mode fits: a gap relying on one, or blocked
  double max_points = 15;            // the commute part is at most this
};

CommuteBound BoundCommute(const TravelLowerBound& tb, const ParticipantFeatures& pf,
                          const CommuteReach& reach, const VacancyFeatures& vf, double km,
                          const MatcherParams& params) {
  CommuteBound b;
  if (CommuteCertainlyBlocked(reach, vf.offers, km, params)) {
    b.blocked = true;
    b.needs_accommodation = true;
    b.max_points = 0;
    return b;
  }
  const double max_commute = pf.max_commute;
  double best = std::numeric_limits<double>::infinity();
  for (TransportMode m : pf.modes) best = std::min(best, MinutesBound(tb, m, km));
  b.needs_accommodation = !(best <= max_commute);
  const uint32_t shared = AccommodationBit(Accommodation::kCompanyTransport) |
                          AccommodationBit(Accommodation::kCarpool);
  const bool shared_ride = (vf.offers & shared) && km < params.shared_ride_max_km;
  const bool bike_lease =
      (vf.offers & AccommodationBit(Accommodation::kBikeLease)) && km <= reach.ebike;
  if (shared_ride) best = std::min(best, MinutesBound(tb, TransportMode::kCar, km));
  if (bike_lease) best = std::min(best, MinutesBound(tb, TransportMode::kEBike, km));
  b.max_points = std::isfinite(best) ? 15.0 * std::max(0.0, 1.0 - best / max_commute) : 0.0;
  return b;
}

absl::StatusOr<const Site*> ResolveSite(const VacancyContext& c, size_t i) {
  if (c.vacancy == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("vacancies[", i, "].vacancy is missing"));
  }
  if (c.employer == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("vacancies[", i, "].employer is missing"));
  }
  if (c.site != nullptr) return c.site;
  const Site* site = c.employer->FindSite(c.vacancy->site_id);
  if (site == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("vacancy ", c.vacancy->id, " names site \"",
                                                      c.vacancy->site_id, "\", which employer ",
                                                      c.employer->id, " does not have"));
  }
  return site;
}

// Vacancies in spatial order, cut into cells of consecutive vacancies, and cells into
// groups; each knows its bounding box and which shared-transport accommodations it
// offers, so one distance bound can settle a whole cell for a participant.
struct Cell {
  int begin = 0, end = 0;  // positions in spatial order
  RadianBox box;
  bool shared_ride = false;  // some vacancy offers company transport or a carpool
  bool bike_lease = false;   // some vacancy offers a bike lease
  void Add(const RadianPoint& p, uint32_t offers) {
    box.Add(p);
    shared_ride |= (offers & (AccommodationBit(Accommodation::kCompanyTransport) |
                              AccommodationBit(Accommodation::kCarpool))) != 0;
    bike_lease |= (offers & AccommodationBit(Accommodation::kBikeLease)) != 0;
  }
};

// True when no pair of a participant with `reach` and a vacancy of `cell` can have a
// commute: the mirror of BoundCommute's "blocked" for every point of the cell.
bool CellOutOfReach(const RadianPoint& home, const CommuteReach& reach, const Cell& cell,
                    const MatcherParams& params) {
  const double km = KmLowerBound(home, cell.box);
  return km > reach.own && (!cell.bike_lease || km > reach.ebike) &&
         (!cell.shared_ride || km >= params.shared_ride_max_km);
}

// All of one RankAll call; vacancies are held by their position q in spatial order,
// participants by their position i in spatial order.
class Ranker {
 public:
  Ranker(const Matcher& matcher, const BatchRankOptions& options)
      : matcher_(matcher), options_(options) {}

  absl::Status Prepare(const std::vector<const Participant*>& participants,
                       const std::vector<VacancyContext>& vacancies);
  BatchRankResult Run();
  bool cancelled() const { return cancelled_.load(); }

 private:
  // A certainly blocked pair of a cell within reach (pass 0).
  struct BlockedItem {
    int q = 0;
    double km = 0;         // the distance bound
    bool far = false;      // the commute certainly blocks (0 points)
    float ce = 0, co = 0;  // coverage
  };
  // A pair within reach that passed the static checks and its bounds.
  struct Candidate {
    int q = 0;
    double km = 0;
    StaticPart st;
    Tier tier_bound = Tier::kUnspecified;
    double score_bound = 0;
  };
  // Per worker thread.
  struct Worker {
    std::vector<Heap> v_heaps;  // per vacancy position
    // Per vacancy position, what a pair must beat to enter v_heaps[q]: its worst entry
    // when full, else an entry every pair beats (nothing beats it when k is 0). One
    // contiguous array, so the common test reads no heap.
    std::vector<Entry> v_bar;
    // With several workers, per vacancy position the smallest BarKey of the worst
    // entry of any worker's full heap (shared; all ones when none is full): a pair
    // clearly worse than it cannot be in the vacancy's final list either.
    std::atomic<uint64_t>* shared_bar = nullptr;
    bool VKeeps(size_t q, const Entry& e) const {
      if (!EntryBetter()(e, v_bar[q])) return false;
      if (shared_bar == nullptr) return true;
      const uint64_t bar = shared_bar[q].load(std::memory_order_relaxed);
      const uint64_t key = BarKey(e);
      return !(key > bar && key - bar > 2);
    }
    void VPush(size_t q, const Entry& e) {
      if (v_heaps[q].Push(e) && v_heaps[q].full()) {
        v_bar[q] = v_heaps[q].worst();
        if (shared_bar != nullptr) AtomicMin(shared_bar[q], BarKey(v_bar[q]));
      }
    }
    void ResetBars() {
      v_bar.resize(v_heaps.size());
      for (size_t q = 0; q < v_heaps.size(); ++q) {
        const Heap& h = v_heaps[q];
        if (h.capacity() == 0) {
          v_bar[q] = {Tier::kUnspecified, 0.0, -1, -1};  // real tiers are all worse
        } else if (h.full()) {
          v_bar[q] = h.worst();
        } else {
          v_bar[q] = {static_cast<Tier>(static_cast<int>(Tier::kBlocked) + 1), 0.0, 0, 0};
        }
      }
    }
    std::vector<float> credit;  // dense best credit of the current participant, per column
    std::vector<int> touched;   // the columns of `credit` set (to reset)
    // Pass 1: the coverage sums of every vacancy sharing a column with the participant
    // (from the postings); the others have sums 0.
    bool summed = false;
    std::vector<double> ess_sum, opt_sum;  // by position
    std::vector<uint8_t> q_summed;         // by position
    std::vector<int> q_list;               // positions with sums (to reset)
    std::vector<uint8_t> cell_far;         // pass 1: by cell
    std::vector<uint8_t> evaluated;        // pass 1: by position
    std::vector<int> evaluated_list;
    std::vector<std::pair<double, int>> far_order;  // (bound, position)
    std::vector<double> km;                         // distance bounds to the vacancies of one cell
    std::vector<uint8_t> in_reach;      // of one cell: within reach by the distance bound
    std::vector<Candidate> candidates;  // of the current participant, to complete
    std::vector<Entry> order;           // their bounds, index = position in candidates
    // Pass 0, BLOCKED pairs included: the participant's pairs in cells within reach
    // that are certainly blocked (a static blocker, or the commute by the pair's own
    // distance bound), ranked best bound first after its other candidates.
    std::vector<BlockedItem> blocked;
    std::vector<Entry> blocked_order;  // (bound, id rank, index into `blocked`)
    BatchRankStats stats;
  };

  void Pass(int pass, int t);
  void RankParticipant(int pass, int i, Worker& w);
  // The pair (i, q) within reach by the distance bound `km` and without a static
  // blocker, in pass 0.
  void NearPair(int i, int q, double km, Worker& w);
  // Pass 1 for participant i: its far pairs that can still enter a list.
  void SecondPass(int i, Worker& w);
  // w.cell_far[c]: cell c is out of participant i's reach.
  void MarkFarCells(int i, Worker& w) const;
  // Completes the candidates NearPair collected for participant i, best bound first,
  // then ranks its blocked pairs within reach.
  void CompleteCandidates(int i, Worker& w);
  // Ranks the pairs in w.blocked (BLOCKED pairs included only), best bound first.
  void RankBlocked(int i, Worker& w);
  // One of them, with the score bound `ub`.
  void BlockedPair(int i, const BlockedItem& b, double ub, Worker& w);
  // A pair certainly BLOCKED by its commute (0 points): pushed when its exact score can
  // enter a heap; `v_limit` is the heap that decides for the vacancy side.
  void FarPair(int i, int q, const Heap& v_limit, Worker& w);
  // Coverage of vacancy q for the participant in w.credit (from w's sums once
  // SumThroughPostings ran).
  void Coverage(int q, const Worker& w, float* essential, float* optional) const;
  // Pass 1: sums every vacancy's coverage for the participant in w.credit at once,
  // walking the postings of its credited columns.
  void SumThroughPostings(Worker& w);
  void ReportProgress(int64_t pairs);

  const Matcher& matcher_;
  const BatchRankOptions& options_;
  std::optional<TravelLowerBound> bound_;
  int passes_ = 1;

  // Vacancy side (spatial order).
  std::vector<int32_t> v_input_;  // input index of position q
  std::vector<int32_t> v_rank_;   // id rank of position q
  std::vector<VacancyFeatures> vf_;
  std::vector<HardNeeds> hard_v_;
  std::vector<PackedNeeds> packed_v_;
  std::vector<double> site_lat_, site_lon_, site_cos_;  // radians, by position
  std::vector<uint8_t> shared_ride_, bike_lease_;       // offered, by position
  std::vector<int> req_begin_;  // CSR over positions: essential columns first...
  std::vector<int> opt_begin_;  // ...then optional ones, up to req_begin_[q + 1]
  std::vector<int> req_cols_;
  std::vector<int> post_begin_;  // CSR over need columns
  std::vector<int> postings_;
  std::vector<Cell> cells_;
  std::vector<Cell> groups_;
  std::vector<int> cell_of_;  // by position
  // Pass 1: the score bound of a far pair with coverage sums 0 for a participant with
  // at most 7 ([0]) or 10 ([1]) preference points (MaxPreferences), and the positions
  // by that bound, best first, then by id rank.
  std::array<std::vector<double>, 2> zero_bound_;
  std::array<std::vector<int>, 2> zero_order_;
  std::vector<int> open_list_;  // positions of the vacancies that can take a blocked pair  //
                                // kCellsPerGroup cells each
  int k_cols_ = 0;
  FeatureDictionary dict_;

  // Participant side (spatial order).
  std::vector<int32_t> p_input_;
  std::vector<int32_t> p_rank_;
  std::vector<ParticipantFeatures> pf_;
  std::vector<HardAbilities> hard_p_;
  std::vector<PackedAbilities> packed_p_;
  std::vector<RadianPoint> home_points_;
  std::vector<CommuteReach> reach_;
  std::unique_ptr<NeedSpace> space_;
  const Participant* const* participants_ = nullptr;  // by input index

  // The pass.
  std::vector<Heap> p_heaps_;
  std::vector<Worker> workers_;
  std::vector<Heap> v_limits_;  // pass 1: the vacancies' merged heaps after pass 0
  int64_t open_vacancies_ = 0;
  std::atomic<int> next_block_{0};
  std::atomic<bool> cancelled_{false};
  std::unique_ptr<std::atomic<uint64_t>[]> shared_bar_;  // Worker::shared_bar
  std::mutex progress_mu_;
  int64_t visits_done_ = 0;
};

absl::Status Ranker::Prepare(const std::vector<const Participant*>& participants,
                             const std::vector<VacancyContext>& vacancies) {
  for (size_t i = 0; i < participants.size(); ++i) {
    if (participants[i] == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("participants[", i, "] is missing"));
    }
  }
  std::vector<const Site*> sites;
  sites.reserve(vacancies.size());
  for (size_t i = 0; i < vacancies.size(); ++i) {
    absl::StatusOr<const Site*> site = ResolveSite(vacancies[i], i);
    if (!site.ok()) return site.status();
    sites.push_back(*site);
  }
  const SkillCredit& credit = matcher_.credit();
  bound_ = options_.travel_bound;
  if (!bound_) bound_ = TravelLowerBoundFor(matcher_.travel());
  passes_ = bound_ && options_.include_blocked ? 2 : 1;

  // ---- Vacancies.
  const size_t nv = vacancies.size();
  std::vector<GridKey> grid;
  std::tie(v_input_, grid) = GridOrder(nv, [&](size_t v) { return sites[v]->location.point; });
  const std::vector<int32_t> rank_by_input = RanksById(nv, [&](int32_t v) -> const std::string& {
    return vacancies[static_cast<size_t>(v)].vacancy->id;
  });
  std::vector<const Vacancy*> rows(nv);
  for (size_t q = 0; q < nv; ++q) rows[q] = vacancies[static_cast<size_t>(v_input_[q])].vacancy;
  space_ = std::make_unique<NeedSpace>(credit);
  const RequirementMatrix reqs = BuildRequirementMatrix(rows, space_.get());
  k_cols_ = space_->size();
  v_rank_.resize(nv);
  vf_.reserve(nv);
  site_lat_.reserve(nv);
  site_lon_.reserve(nv);
  site_cos_.reserve(nv);
  req_begin_.assign(nv + 1, 0);
  opt_begin_.assign(nv, 0);
  for (size_t q = 0; q < nv; ++q) {
    const size_t v = static_cast<size_t>(v_input_[q]);
    v_rank_[q] = rank_by_input[v];
    vf_.push_back(BuildVacancyFeatures(*rows[q], *vacancies[v].employer, *sites[v], &dict_));
    const RadianPoint site = ToRadians(sites[v]->location.point);
    site_lat_.push_back(site.lat);
    site_lon_.push_back(site.lon);
    site_cos_.push_back(site.cos_lat);
    req_begin_[q] = static_cast<int>(req_cols_.size());
    for (bool essential : {true, false}) {
      if (!essential) opt_begin_[q] = static_cast<int>(req_cols_.size());
      for (size_t r = 0; r < reqs.requirements[q].size(); ++r) {
        if (reqs.requirements[q][r].essential == essential) req_cols_.push_back(reqs.columns[q][r]);
      }
    }
  }
  req_begin_[nv] = static_cast<int>(req_cols_.size());
  // Postings: per need column, the vacancies asking it (2 q + 1 when essential).
  post_begin_.assign(static_cast<size_t>(k_cols_) + 1, 0);
  for (int col : req_cols_) ++post_begin_[static_cast<size_t>(col) + 1];
  for (size_t c = 1; c < post_begin_.size(); ++c) post_begin_[c] += post_begin_[c - 1];
  postings_.resize(req_cols_.size());
  {
    std::vector<int> fill(post_begin_.begin(), post_begin_.end() - 1);
    for (size_t q = 0; q < nv; ++q) {
      for (int r = req_begin_[q]; r < req_begin_[q + 1]; ++r) {
        const int col = req_cols_[static_cast<size_t>(r)];
        postings_[static_cast<size_t>(fill[static_cast<size_t>(col)]++)] =
            2 * static_cast<int>(q) + (r < opt_begin_[q] ? 1 : 0);
      }
    }
  }
  hard_v_.reserve(nv);
  for (const VacancyFeatures& f : vf_) {
    hard_v_.push_back(HardNeedsOf(f));
    packed_v_.push_back(PackedNeedsOf(f));
    shared_ride_.push_back((f.offers & (AccommodationBit(Accommodation::kCompanyTransport) |
                                        AccommodationBit(Accommodation::kCarpool))) != 0);
    bike_lease_.push_back((f.offers & AccommodationBit(Accommodation::kBikeLease)) != 0);
  }
  // Cells: runs of one grid cell, at most vacancy_block long; groups: runs of one
  // grid group.
  const int cell_size = options_.vacancy_block;
  for (int q = 0; q < static_cast<int>(nv); ++q) {
    const size_t qq = static_cast<size_t>(q);
    const bool new_group = q == 0 || grid[qq].group != grid[qq - 1].group;
    if (new_group || !(grid[qq] == grid[qq - 1]) ||
        cells_.back().end - cells_.back().begin >= cell_size) {
      cells_.emplace_back();
      cells_.back().begin = q;
      cells_.back().end = q;
    }
    if (new_group) {
      groups_.emplace_back();
      groups_.back().begin = static_cast<int>(cells_.size()) - 1;
    }
    const RadianPoint site{site_lat_[qq], site_lon_[qq], site_cos_[qq]};
    cells_.back().end = q + 1;
    cells_.back().Add(site, vf_[qq].offers);
    groups_.back().end = static_cast<int>(cells_.size());
    groups_.back().Add(site, vf_[qq].offers);
  }

  cell_of_.assign(nv, 0);
  for (size_t c = 0; c < cells_.size(); ++c) {
    for (int q = cells_[c].begin; q < cells_[c].end; ++q) {
      cell_of_[static_cast<size_t>(q)] = static_cast<int>(c);
    }
  }
  if (passes_ == 2) {
    for (size_t w = 0; w < 2; ++w) {
      std::vector<double>& bound = zero_bound_[w];
      bound.resize(nv);
      for (size_t q = 0; q < nv; ++q) {
        const int ess = opt_begin_[q] - req_begin_[q], opt = req_begin_[q + 1] - opt_begin_[q];
        bound[q] = ScoreBoundFromSkills(CoverageRatio(0.0, ess), CoverageRatio(0.0, opt), 0.0,
                                        vf_[q].sustainability, w == 0 ? 7.0 : 10.0);
      }
      // Ties by id rank, so that the first bound that cannot enter a list (with its
      // rank) ends the walk: every later pair is worse in the list's order.
      std::vector<int>& order = zero_order_[w];
      order.resize(nv);
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](int a, int b) {
        const size_t aa = static_cast<size_t>(a), bb = static_cast<size_t>(b);
        if (bound[aa] != bound[bb]) return bound[aa] > bound[bb];
        return v_rank_[aa] < v_rank_[bb];
      });
    }
  }

  // ---- Participants (features in parallel).
  const size_t np = participants.size();
  p_input_ = SpatialOrder(np, [&](size_t p) { return participants[p]->home.point; });
  const std::vector<int32_t> p_rank_by_input = RanksById(np, [&](int32_t p) -> const std::string& {
    return participants[static_cast<size_t>(p)]->id;
  });
  p_rank_.resize(np);
  pf_.resize(np);
  hard_p_.resize(np);
  packed_p_.resize(np);
  home_points_.resize(np);
  reach_.resize(np);
  participants_ = participants.data();
  std::atomic<int> next{0};
  auto build = [&]() {
    for (int i = next++; i < static_cast<int>(np); i = next++) {
      const size_t ii = static_cast<size_t>(i);
      const Participant& p = *participants[static_cast<size_t>(p_input_[ii])];
      p_rank_[ii] = p_rank_by_input[static_cast<size_t>(p_input_[ii])];
      pf_[ii] = BuildParticipantFeatures(p, dict_);
      hard_p_[ii] = HardAbilitiesOf(pf_[ii]);
      packed_p_[ii] = PackedAbilitiesOf(pf_[ii]);
      home_points_[ii] = ToRadians(pf_[ii].home);
      if (bound_) reach_[ii] = ReachOf(*bound_, pf_[ii]);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < options_.threads; ++t) pool.emplace_back(build);
  build();
  for (std::thread& th : pool) th.join();
  return absl::OkStatus();
}

void Ranker::Coverage(int q, const Worker& w, float* essential, float* optional) const {
  const size_t qq = static_cast<size_t>(q);
  const int b = req_begin_[qq], o = opt_begin_[qq], e = req_begin_[qq + 1];
  // Sums of float credits in double: exact, so the order of the terms does not matter.
  double ess = 0, opt = 0;
  if (w.summed) {
    if (w.q_summed[qq]) {
      ess = w.ess_sum[qq];
      opt = w.opt_sum[qq];
    }
  } else {
    for (int r = b; r < o; ++r) {
      ess += w.credit[static_cast<size_t>(req_cols_[static_cast<size_t>(r)])];
    }
    for (int r = o; r < e; ++r) {
      opt += w.credit[static_cast<size_t>(req_cols_[static_cast<size_t>(r)])];
    }
  }
  *essential = CoverageRatio(ess, o - b);
  *optional = CoverageRatio(opt, e - o);
}

void Ranker::SumThroughPostings(Worker& w) {
  std::sort(w.touched.begin(), w.touched.end());
  w.touched.erase(std::unique(w.touched.begin(), w.touched.end()), w.touched.end());
  for (int col : w.touched) {
    const double amount = w.credit[static_cast<size_t>(col)];
    for (int k = post_begin_[static_cast<size_t>(col)];
         k < post_begin_[static_cast<size_t>(col) + 1]; ++k) {
      const int code = postings_[static_cast<size_t>(k)];
      const size_t qq = static_cast<size_t>(code / 2);
      if (!w.q_summed[qq]) {
        w.q_summed[qq] = 1;
        w.ess_sum[qq] = 0;
        w.opt_sum[qq] = 0;
        w.q_list.push_back(code / 2);
      }
      (code % 2 ? w.ess_sum : w.opt_sum)[qq] += amount;
    }
  }
  w.summed = true;
}

void Ranker::FarPair(int i, int q, const Heap& v_limit, Worker& w) {
  const size_t ii = static_cast<size_t>(i), qq = static_cast<size_t>(q);
  Heap& p_heap = p_heaps_[ii];
  const int32_t vrank = v_rank_[qq], prank = p_rank_[ii];
  const int32_t vidx = v_input_[qq], pidx = p_input_[ii];
  if (!p_heap.WouldKeep({Tier::kBlocked, 100.0, vrank, vidx}) &&
      !(v_limit.WouldKeep({Tier::kBlocked, 100.0, prank, pidx}) &&
        w.VKeeps(qq, {Tier::kBlocked, 100.0, prank, pidx}))) {
    return;
  }
  float ce, co;
  Coverage(q, w, &ce, &co);
  const VacancyFeatures& vfeat = vf_[qq];
  const double ub =
      ScoreBoundFromSkills(ce, co, 0.0, vfeat.sustainability, MaxPreferences(pf_[ii]));
  const bool to_p = p_heap.WouldKeep({Tier::kBlocked, ub, vrank, vidx});
  // Every heap holds real pairs, so a pair that this worker's heap or the limit
  // rejects cannot be in the vacancy's final list.
  const bool to_v = v_limit.WouldKeep({Tier::kBlocked, ub, prank, pidx}) &&
                    w.VKeeps(qq, {Tier::kBlocked, ub, prank, pidx});
  if (!to_p && !to_v) return;
  const StaticPart st = CheckStatic(pf_[ii], vfeat, ce, co, matcher_.params(), /*parts_only=*/true);
  ++w.stats.static_checks;
  const double score = TotalScore(st.parts);  // exact: the commute part is 0
  if (to_p) p_heap.Push({Tier::kBlocked, score, vrank, vidx});
  if (to_v) w.VPush(qq, {Tier::kBlocked, score, prank, pidx});
}

void Ranker::NearPair(int i, int q, double km, Worker& w) {
  const size_t ii = static_cast<size_t>(i), qq = static_cast<size_t>(q);
  const MatcherParams& params = matcher_.params();
  const VacancyFeatures& vfeat = vf_[qq];
  const ParticipantFeatures& pfeat = pf_[ii];
  const Heap& p_heap = p_heaps_[ii];
  const int32_t vrank = v_rank_[qq], prank = p_rank_[ii];
  const int32_t vidx = v_input_[qq], pidx = p_input_[ii];
  CommuteBound cb;
  if (bound_) cb = BoundCommute(*bound_, pfeat, reach_[ii], vfeat, km, params);
  float ce, co;
  Coverage(q, w, &ce, &co);
  // The best this pair can be before the other checks: the best tier the blockers and
  // the commute allow, every other part at its maximum.
  {
    const double ub = ScoreBoundFromSkills(ce, co, cb.max_points, vfeat.sustainability);
    const Tier tier = cb.needs_accommodation ? Tier::kFitsWithAccommodations : Tier::kFits;
    if (!p_heap.WouldKeep({tier, ub, vrank, vidx}) && !w.VKeeps(qq, {tier, ub, prank, pidx})) {
      ++w.stats.bounded_out;
      return;
    }
  }
  Candidate c;
  c.q = q;
  c.km = km;
  c.st = CheckStatic(pfeat, vfeat, ce, co, params);
  ++w.stats.static_checks;
  if (c.st.blocked && !options_.include_blocked) return;
  c.tier_bound = TierLowerBound(c.st);
  if (cb.needs_accommodation && c.tier_bound == Tier::kFits) {
    c.tier_bound = Tier::kFitsWithAccommodations;
  }
  ScoreParts parts = c.st.parts;
  parts.commute = cb.max_points;
  c.score_bound = TotalScore(parts);
  if (!p_heap.WouldKeep({c.tier_bound, c.score_bound, vrank, vidx}) &&
      !w.VKeeps(qq, {c.tier_bound, c.score_bound, prank, pidx})) {
    return;
  }
  w.candidates.push_back(c);
}

void Ranker::CompleteCandidates(int i, Worker& w) {
  const size_t ii = static_cast<size_t>(i);
  // Best bound first: the heaps fill with the strongest pairs early, so the bounds of
  // the later candidates are more often too weak to enter.
  w.order.clear();
  for (size_t k = 0; k < w.candidates.size(); ++k) {
    const Candidate& c = w.candidates[k];
    w.order.push_back(
        {c.tier_bound, c.score_bound, v_rank_[static_cast<size_t>(c.q)], static_cast<int32_t>(k)});
  }
  const ParticipantFeatures& pfeat = pf_[ii];
  Heap& p_heap = p_heaps_[ii];
  const int32_t prank = p_rank_[ii], pidx = p_input_[ii];
  // The best few sorted first; of the rest, only those that can still enter a heap
  // after them (the order among the completed ones is then best bound first too).
  constexpr size_t kFirst = 32;
  if (w.order.size() > kFirst) {
    std::nth_element(w.order.begin(), w.order.begin() + kFirst, w.order.end(), EntryBetter());
  }
  const size_t first = std::min(kFirst, w.order.size());
  std::sort(w.order.begin(), w.order.begin() + static_cast<std::ptrdiff_t>(first), EntryBetter());
  bool rest_sorted = first == w.order.size();
  for (size_t k = 0; k < w.order.size(); ++k) {
    if (k == first && !rest_sorted) {
      auto keep_end = std::remove_if(
          w.order.begin() + static_cast<std::ptrdiff_t>(first), w.order.end(), [&](const Entry& e) {
            const Candidate& c = w.candidates[static_cast<size_t>(e.index)];
            const size_t qq = static_cast<size_t>(c.q);
            return !p_heap.WouldKeep({c.tier_bound, c.score_bound, v_rank_[qq], v_input_[qq]}) &&
                   !w.VKeeps(qq, {c.tier_bound, c.score_bound, prank, pidx});
          });
      w.order.erase(keep_end, w.order.end());
      std::sort(w.order.begin() + static_cast<std::ptrdiff_t>(first), w.order.end(), EntryBetter());
      rest_sorted = true;
      if (k >= w.order.size()) break;
    }
    const Entry& e = w.order[k];
    const Candidate& c = w.candidates[static_cast<size_t>(e.index)];
    const size_t qq = static_cast<size_t>(c.q);
    const int32_t vrank = v_rank_[qq], vidx = v_input_[qq];
    const bool to_p = p_heap.WouldKeep({c.tier_bound, c.score_bound, vrank, vidx});
    const bool to_v = w.VKeeps(qq, {c.tier_bound, c.score_bound, prank, pidx});
    if (!to_p && !to_v) continue;
    ModeMinutesBound mode_bounds{};
    if (bound_) {
      for (TransportMode m : pfeat.modes) {
        mode_bounds[static_cast<size_t>(m)] = MinutesBound(*bound_, m, c.km);
      }
    }
    const PairNumbers n = CompletePair(pfeat, vf_[qq], c.st, matcher_.travel(), matcher_.params(),
                                       c.st.blocked, bound_ ? &mode_bounds : nullptr);
    ++w.stats.completed;
    if (n.tier == Tier::kBlocked && !options_.include_blocked) continue;
    if (to_p) p_heap.Push({n.tier, n.score, vrank, vidx});
    if (to_v) w.VPush(qq, {n.tier, n.score, prank, pidx});
  }
  w.candidates.clear();
  if (!w.blocked.empty()) RankBlocked(i, w);
}

void Ranker::RankBlocked(int i, Worker& w) {
  const size_t ii = static_cast<size_t>(i);
  const MatcherParams& params = matcher_.params();
  const ParticipantFeatures& pfeat = pf_[ii];
  const Heap& p_heap = p_heaps_[ii];
  const int32_t prank = p_rank_[ii], pidx = p_input_[ii];
  const bool p_open = p_heap.WouldKeep({Tier::kBlocked, 100.0, -1, -1});
  const double max_pref = MaxPreferences(pfeat);
  // Many pairs for one participant: sum every vacancy's coverage at once through the
  // postings of the participant's columns (pass 1 has the arrays).
  if (p_open && passes_ == 2 && !w.summed && w.blocked.size() > 64) SumThroughPostings(w);
  w.blocked_order.clear();
  for (size_t k = 0; k < w.blocked.size(); ++k) {
    BlockedItem& b = w.blocked[k];
    const size_t qq = static_cast<size_t>(b.q);
    if (!p_open && !w.VKeeps(qq, {Tier::kBlocked, 100.0, prank, pidx})) continue;
    Coverage(b.q, w, &b.ce, &b.co);
    double commute = 0;
    if (!b.far) {
      commute = bound_ ? BoundCommute(*bound_, pfeat, reach_[ii], vf_[qq], b.km, params).max_points
                       : CommuteBound().max_points;
    }
    const double ub = ScoreBoundFromSkills(b.ce, b.co, commute, vf_[qq].sustainability, max_pref);
    w.blocked_order.push_back({Tier::kBlocked, ub, v_rank_[qq], static_cast<int32_t>(k)});
  }
  // Best bound first, so that the participant's list fills with its best blocked pairs
  // early and the bounds of the others stop them before any check: the best few are
  // selected and sorted, then only those that can still enter a list.
  constexpr size_t kFirst = 32;
  auto run = [&](std::vector<Entry>::iterator begin, std::vector<Entry>::iterator end) {
    std::sort(begin, end, EntryBetter());
    for (auto it = begin; it != end; ++it) {
      BlockedPair(i, w.blocked[static_cast<size_t>(it->index)], it->score, w);
    }
  };
  std::vector<Entry>& order = w.blocked_order;
  if (order.size() <= kFirst) {
    run(order.begin(), order.end());
  } else {
    std::nth_element(order.begin(), order.begin() + kFirst, order.end(), EntryBetter());
    run(order.begin(), order.begin() + kFirst);
    auto rest = std::remove_if(order.begin() + kFirst, order.end(), [&](const Entry& e) {
      const BlockedItem& b = w.blocked[static_cast<size_t>(e.index)];
      const size_t qq = static_cast<size_t>(b.q);
      return !p_heap.WouldKeep({Tier::kBlocked, e.score, e.rank, v_input_[qq]}) &&
             !w.VKeeps(qq, {Tier::kBlocked, e.score, prank, pidx});
    });
    w.stats.bounded_out += order.end() - rest;
    run(order.begin() + kFirst, rest);
  }
  w.blocked.clear();
  if (w.summed) {
    for (int q : w.q_list) w.q_summed[static_cast<size_t>(q)] = 0;
    w.q_list.clear();
    w.summed = false;
  }
}

void Ranker::BlockedPair(int i, const BlockedItem& b, double ub, Worker& w) {
  const size_t ii = static_cast<size_t>(i), qq = static_cast<size_t>(b.q);
  const MatcherParams& params = matcher_.params();
  const VacancyFeatures& vfeat = vf_[qq];
  const ParticipantFeatures& pfeat = pf_[ii];
  Heap& p_heap = p_heaps_[ii];
  const int32_t vrank = v_rank_[qq], prank = p_rank_[ii];
  const int32_t vidx = v_input_[qq], pidx = p_input_[ii];
  const bool to_p = p_heap.WouldKeep({Tier::kBlocked, ub, vrank, vidx});
  const bool to_v = w.VKeeps(qq, {Tier::kBlocked, ub, prank, pidx});
  if (!to_p && !to_v) {
    ++w.stats.bounded_out;
    return;
  }
  if (b.far) {
    const StaticPart st = CheckStatic(pfeat, vfeat, b.ce, b.co, params, /*parts_only=*/true);
    ++w.stats.static_checks;
    const double score = TotalScore(st.parts);  // exact: the commute part is 0
    if (to_p) p_heap.Push({Tier::kBlocked, score, vrank, vidx});
    if (to_v) w.VPush(qq, {Tier::kBlocked, score, prank, pidx});
    return;
  }
  CommuteBound cb;
  if (bound_) cb = BoundCommute(*bound_, pfeat, reach_[ii], vfeat, b.km, params);
  const StaticPart st = CheckStatic(pfeat, vfeat, b.ce, b.co, params);
  ++w.stats.static_checks;
  ScoreParts parts = st.parts;
  parts.commute = cb.max_points;
  const double score_bound = TotalScore(parts);
  const bool to_p2 = to_p && p_heap.WouldKeep({Tier::kBlocked, score_bound, vrank, vidx});
  const bool to_v2 = to_v && w.VKeeps(qq, {Tier::kBlocked, score_bound, prank, pidx});
  if (!to_p2 && !to_v2) return;
  ModeMinutesBound mode_bounds{};
  if (bound_) {
    for (TransportMode m : pfeat.modes) {
      mode_bounds[static_cast<size_t>(m)] = MinutesBound(*bound_, m, b.km);
    }
  }
  // Blocked for sure: only the score (the commute's points) is needed.
  const PairNumbers n = CompletePair(pfeat, vfeat, st, matcher_.travel(), params,
                                     /*score_only=*/true, bound_ ? &mode_bounds : nullptr);
  ++w.stats.completed;
  if (to_p2) p_heap.Push({Tier::kBlocked, n.score, vrank, vidx});
  if (to_v2) w.VPush(qq, {Tier::kBlocked, n.score, prank, pidx});
}

void Ranker::RankParticipant(int pass, int i, Worker& w) {
  const size_t ii = static_cast<size_t>(i);
  const MatcherParams& params = matcher_.params();
  bool scattered = false;
  auto scatter = [&] {
    if (scattered) return;
    ScatterBestCredit(*participants_[static_cast<size_t>(p_input_[ii])], *space_, matcher_.credit(),
                      w.credit.data(), &w.touched);
    scattered = true;
  };
  if (pass == 1) {
    SecondPass(i, w);
    return;
  }
  for (const Cell& group : groups_) {
    const bool group_far = bound_ && CellOutOfReach(home_points_[ii], reach_[ii], group, params);
    if (group_far) {
      for (int c = group.begin; c < group.end; ++c) {
        const Cell& cell = cells_[static_cast<size_t>(c)];
        w.stats.settled_far += cell.end - cell.begin;
        w.stats.settled_by_cell += cell.end - cell.begin;
      }
      continue;
    }
    for (int c = group.begin; c < group.end; ++c) {
      const Cell& cell = cells_[static_cast<size_t>(c)];
      const bool far =
          group_far || (bound_ && CellOutOfReach(home_points_[ii], reach_[ii], cell, params));
      if (pass == 0) {
        if (far) {
          w.stats.settled_far += cell.end - cell.begin;
          w.stats.settled_by_cell += cell.end - cell.begin;
          continue;
        }
        scatter();
        const int n = cell.end - cell.begin;
        const PackedAbilities& packed = packed_p_[ii];
        // The packed prefilter first (most pairs within reach stop there), then the
        // exact compact check for the pairs it lets through.
        auto blocked = [&](size_t qq) {
          return SurelyBlocked(packed_v_[qq], packed, params) ||
                 CertainlyBlocked(hard_v_[qq], hard_p_[ii], params);
        };
        if (!bound_) {
          for (int q = cell.begin; q < cell.end; ++q) {
            if (blocked(static_cast<size_t>(q))) {
              ++w.stats.static_blocked;
              if (options_.include_blocked) w.blocked.push_back({q, 0.0, false, 0, 0});
            } else {
              NearPair(i, q, 0.0, w);
            }
          }
          continue;
        }
        const size_t b = static_cast<size_t>(cell.begin);
        KmLowerBounds(home_points_[ii], &site_lat_[b], &site_lon_[b], &site_cos_[b], n,
                      w.km.data());
        const CommuteReach& reach = reach_[ii];
        // BoundCommute's "blocked", without its other work, for the whole cell at once
        // (branch-free).
        const double shared_max = params.shared_ride_max_km;
        const uint8_t* bike = &bike_lease_[b];
        const uint8_t* shared = &shared_ride_[b];
        uint8_t* in_reach = w.in_reach.data();
        int reached = 0;
        for (int j = 0; j < n; ++j) {
          const double km = w.km[static_cast<size_t>(j)];
          const uint8_t r =
              static_cast<uint8_t>((km <= reach.own) | (bike[j] & (km <= reach.ebike)) |
                                   (shared[j] & (km < shared_max)));
          in_reach[j] = r;
          reached += r;
        }
        w.stats.settled_far += n - reached;
        if (reached == 0 && !options_.include_blocked) continue;
        for (int j = 0; j < n; ++j) {
          const double km = w.km[static_cast<size_t>(j)];
          const size_t qq = b + static_cast<size_t>(j);
          if (in_reach[j]) {
            if (blocked(qq)) {
              ++w.stats.static_blocked;
              // Ranked after the participant's other pairs, when its heap is fuller.
              if (options_.include_blocked) w.blocked.push_back({cell.begin + j, km, false, 0, 0});
            } else {
              NearPair(i, cell.begin + j, km, w);
            }
          } else {
            if (options_.include_blocked) w.blocked.push_back({cell.begin + j, km, true, 0, 0});
          }
        }
      }
    }
  }
  CompleteCandidates(i, w);
  if (scattered) {
    for (int col : w.touched) w.credit[static_cast<size_t>(col)] = 0;
    w.touched.clear();
  }
}

void Ranker::MarkFarCells(int i, Worker& w) const {
  const size_t ii = static_cast<size_t>(i);
  const MatcherParams& params = matcher_.params();
  for (const Cell& group : groups_) {
    const bool group_far = CellOutOfReach(home_points_[ii], reach_[ii], group, params);
    for (int c = group.begin; c < group.end; ++c) {
      w.cell_far[static_cast<size_t>(c)] =
          group_far ||
          CellOutOfReach(home_points_[ii], reach_[ii], cells_[static_cast<size_t>(c)], params);
    }
  }
}

void Ranker::SecondPass(int i, Worker& w) {
  const size_t ii = static_cast<size_t>(i);
  const Heap& p_heap = p_heaps_[ii];
  const bool p_open = p_heap.WouldKeep({Tier::kBlocked, 100.0, -1, -1});
  if (p_open) ++w.stats.open_participants;
  if (!p_open && open_list_.empty()) return;
  MarkFarCells(i, w);  // pass 0 ranked every pair of the other cells
  auto far = [&](int q) {
    return w.cell_far[static_cast<size_t>(cell_of_[static_cast<size_t>(q)])];
  };
  auto evaluate = [&](int q) {
    FarPair(i, q, v_limits_[static_cast<size_t>(q)], w);
    w.evaluated[static_cast<size_t>(q)] = 1;
    w.evaluated_list.push_back(q);
  };
  auto sum = [&] {
    if (w.summed) return;
    ScatterBestCredit(*participants_[static_cast<size_t>(p_input_[ii])], *space_, matcher_.credit(),
                      w.credit.data(), &w.touched);
    SumThroughPostings(w);
  };
  if (p_open) {
    sum();
    // The far vacancies sharing a skill column with the participant, best bound first:
    // once a bound cannot enter the participant's list, no later one can.
    // Ties by id rank: the first pair whose bound cannot enter (with its rank) ends
    // the walk, since every later one is worse in the list's order.
    const double max_pref = MaxPreferences(pf_[ii]);
    w.far_order.clear();
    for (int q : w.q_list) {
      if (!far(q)) continue;
      float ce, co;
      Coverage(q, w, &ce, &co);
      w.far_order.emplace_back(
          ScoreBoundFromSkills(ce, co, 0.0, vf_[static_cast<size_t>(q)].sustainability, max_pref),
          q);
    }
    std::sort(w.far_order.begin(), w.far_order.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return v_rank_[static_cast<size_t>(a.second)] < v_rank_[static_cast<size_t>(b.second)];
    });
    for (const auto& [ub, q] : w.far_order) {
      const size_t qq = static_cast<size_t>(q);
      if (!p_heap.WouldKeep({Tier::kBlocked, ub, v_rank_[qq], v_input_[qq]})) break;
      evaluate(q);
    }
    // The other far vacancies have coverage 0: their bounds are known in advance.
    const size_t which = pf_[ii].states_wishes ? 1 : 0;
    const std::vector<double>& zero_bound = zero_bound_[which];
    for (int q : zero_order_[which]) {
      const size_t qq = static_cast<size_t>(q);
      if (!p_heap.WouldKeep({Tier::kBlocked, zero_bound[qq], v_rank_[qq], v_input_[qq]})) break;
      if (w.q_summed[qq] || !far(q)) continue;
      evaluate(q);
    }
  }
  // The vacancies whose lists can still take a blocked pair, whatever this
  // participant's list says.
  for (int q : open_list_) {
    if (w.evaluated[static_cast<size_t>(q)] || !far(q)) continue;
    sum();
    evaluate(q);
  }
  for (int q : w.evaluated_list) w.evaluated[static_cast<size_t>(q)] = 0;
  w.evaluated_list.clear();
  for (int col : w.touched) w.credit[static_cast<size_t>(col)] = 0;
  w.touched.clear();
  if (w.summed) {
    for (int q : w.q_list) w.q_summed[static_cast<size_t>(q)] = 0;
    w.q_list.clear();
    w.summed = false;
  }
}

void Ranker::ReportProgress(int64_t pairs) {
  if (!options_.progress) return;
  std::lock_guard<std::mutex> lock(progress_mu_);
  visits_done_ += pairs;
  const int64_t total = static_cast<int64_t>(pf_.size()) * static_cast<int64_t>(vf_.size());
  // With two passes each pair is visited twice; the caller sees pairs.
  const int64_t done = visits_done_ / passes_;
  if (!cancelled_.load() && !options_.progress(done, total)) cancelled_.store(true);
}

void Ranker::Pass(int pass, int t) {
  Worker& w = workers_[static_cast<size_t>(t)];
  const int np = static_cast<int>(pf_.size());
  const int pb = options_.participant_block;
  const int64_t nv = static_cast<int64_t>(vf_.size());
  for (int b = next_block_++; b * static_cast<int64_t>(pb) < np && !cancelled_.load();
       b = next_block_++) {
    const int i0 = b * pb;
    const int i1 = std::min(np, i0 + pb);
    for (int i = i0; i < i1; ++i) RankParticipant(pass, i, w);
    ReportProgress(static_cast<int64_t>(i1 - i0) * nv);
  }
}

BatchRankResult Ranker::Run() {
  const size_t np = pf_.size(), nv = vf_.size();
  p_heaps_.assign(np, Heap(options_.top_k_per_participant));
  workers_.resize(static_cast<size_t>(options_.threads));
  if (options_.threads > 1) {
    shared_bar_.reset(new std::atomic<uint64_t>[nv]);
    for (size_t q = 0; q < nv; ++q) shared_bar_[q].store(~uint64_t{0});
    for (Worker& w : workers_) w.shared_bar = shared_bar_.get();
  }
  for (Worker& w : workers_) {
    w.v_heaps.assign(nv, Heap(options_.top_k_per_vacancy));
    w.ResetBars();
    w.credit.assign(static_cast<size_t>(k_cols_), 0.0f);
    w.km.assign(static_cast<size_t>(options_.vacancy_block), 0.0);
    w.in_reach.assign(static_cast<size_t>(options_.vacancy_block), 0);
    if (passes_ == 2) {
      w.ess_sum.assign(nv, 0.0);
      w.opt_sum.assign(nv, 0.0);
      w.q_summed.assign(nv, 0);
      w.cell_far.assign(cells_.size(), 0);
      w.evaluated.assign(nv, 0);
    }
  }
  auto merged_vacancy_heaps = [&]() {
    std::vector<Heap> merged(nv, Heap(options_.top_k_per_vacancy));
    for (size_t q = 0; q < nv; ++q) {
      for (const Worker& w : workers_) merged[q].Merge(w.v_heaps[q]);
    }
    return merged;
  };
  for (int pass = 0; pass < passes_ && !cancelled_.load(); ++pass) {
    if (pass == 1) {
      // Pass 0 ranked every pair within reach: the vacancies' heaps now decide which
      // far (blocked) pairs are still worth scoring.
      v_limits_ = merged_vacancy_heaps();
      open_list_.clear();
      for (size_t q = 0; q < nv; ++q) {
        if (v_limits_[q].WouldKeep({Tier::kBlocked, 100.0, -1, -1})) {
          open_list_.push_back(static_cast<int>(q));
        }
      }
      open_vacancies_ = static_cast<int64_t>(open_list_.size());
      // The merged heaps move to worker 0 (the others start empty, so the final merge
      // sees every pair once): each worker then also prunes by its own heap, which
      // fills during the pass.
      for (size_t t = 0; t < workers_.size(); ++t) {
        for (size_t q = 0; q < nv; ++q) {
          workers_[t].v_heaps[q] = t == 0 ? v_limits_[q] : Heap(options_.top_k_per_vacancy);
        }
        workers_[t].ResetBars();
      }
    }
    next_block_.store(0);
    std::vector<std::thread> pool;
    for (int t = 1; t < options_.threads; ++t)
      pool.emplace_back([this, pass, t] { Pass(pass, t); });
    Pass(pass, 0);
    for (std::thread& th : pool) th.join();
  }

  BatchRankResult result;
  result.stats.pairs = static_cast<int64_t>(np) * static_cast<int64_t>(nv);
  result.stats.need_columns = k_cols_;
  result.stats.open_vacancies = open_vacancies_;
  for (const Worker& w : workers_) {
    result.stats.static_checks += w.stats.static_checks;
    result.stats.completed += w.stats.completed;
    result.stats.settled_far += w.stats.settled_far;
    result.stats.settled_by_cell += w.stats.settled_by_cell;
    result.stats.bounded_out += w.stats.bounded_out;
    result.stats.static_blocked += w.stats.static_blocked;
    result.stats.open_participants += w.stats.open_participants;
  }
  result.for_participant.resize(np);
  for (size_t i = 0; i < np; ++i) {
    std::vector<RankedVacancy>& out = result.for_participant[static_cast<size_t>(p_input_[i])];
    for (const Entry& e : p_heaps_[i].Sorted()) out.push_back({e.index, e.tier, e.score});
  }
  const std::vector<Heap> v_final = merged_vacancy_heaps();
  result.for_vacancy.resize(nv);
  for (size_t q = 0; q < nv; ++q) {
    std::vector<RankedParticipant>& out = result.for_vacancy[static_cast<size_t>(v_input_[q])];
    for (const Entry& e : v_final[q].Sorted()) out.push_back({e.index, e.tier, e.score});
  }
  return result;
}

}  // namespace

absl::StatusOr<BatchRankResult> RankAll(const Matcher& matcher,
                                        const std::vector<const Participant*>& participants,
                                        const std::vector<VacancyContext>& vacancies,
                                        const BatchRankOptions& options) {
  if (options.top_k_per_participant < 0 || options.top_k_per_vacancy < 0) {
    return absl::InvalidArgumentError("top_k_per_participant and top_k_per_vacancy must be >= 0");
  }
  if (options.threads < 1 || options.threads > 256) {
    return absl::InvalidArgumentError("threads must be in 1..256");
  }
  if (options.participant_block < 1 || options.vacancy_block < 1) {
    return absl::InvalidArgumentError("participant_block and vacancy_block must be >= 1");
  }
  Ranker ranker(matcher, options);
  RETURN_IF_ERROR(ranker.Prepare(participants, vacancies));
  BatchRankResult result = ranker.Run();
  if (ranker.cancelled()) return absl::CancelledError("bulk ranking cancelled by the caller");
  return result;
}

}  // namespace carvematch
