#include "matcher/batch_ranker.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <typeinfo>
#include <utility>

#include "Eigen/Core"
#include "Eigen/SparseCore"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "matcher/pair_core.h"
#include "matcher/skill_coverage.h"
#include "matcher/topk.h"

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
using SparseColMajor = Eigen::SparseMatrix<double, Eigen::ColMajor>;

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

// A point in radians with the cosine of its latitude.
struct Point {
  double lat = 0, lon = 0, cos_lat = 1;
};

Point ToPoint(GeoPoint g) {
  constexpr double kRad = M_PI / 180.0;
  return {g.lat * kRad, g.lon * kRad, std::cos(g.lat * kRad)};
}

// A lower bound of HaversineKm(a, b): with half-angles x, sin(x) >= x (1 - x^2 / 6) and
// asin(y) >= y, so the haversine distance is at least the scaled chord below.
double KmLowerBound(const Point& a, const Point& b) {
  const double dlon_full = b.lon - a.lon;
  if (std::fabs(dlon_full) > M_PI) return 0;  // across the antimeridian: no bound
  const double dlat = 0.5 * (b.lat - a.lat);
  const double dlon = 0.5 * dlon_full;
  const double t = std::max(std::fabs(dlat), std::fabs(dlon));
  const double shrink = std::max(0.0, 1.0 - t * t / 6.0);
  const double chord = std::sqrt(dlat * dlat + a.cos_lat * b.cos_lat * dlon * dlon);
  return 2.0 * 6371.0 * shrink * chord * (1.0 - 1e-9);
}

// What the straight-line distance says about a pair's commute.
struct CommuteBound {
  bool blocked = false;              // certainly a commute blocker (0 points)
  bool needs_accommodation = false;  // no own mode fits: a gap relying on one, or blocked
  double max_points = 15;            // the commute part is at most this
};

// Per participant: how far (km, lower-bound distance) its own modes and a leased e-bike
// can possibly reach within its maximum commute.
struct Reach {
  double own = -1;  // -1: no usable mode can ever fit
  double ebike = -1;
};

double MinutesBound(const TravelLowerBound& tb, TransportMode m, double km) {
  const size_t i = static_cast<size_t>(m);
  return tb.overhead_minutes[i] + tb.minutes_per_km[i] * km - 1e-6;
}

Reach ReachOf(const TravelLowerBound& tb, const ParticipantFeatures& pf) {
  // Solve overhead + per_km * km - 1e-6 <= max for km, with a little slack so that the
  // reach test never claims "too far" for a pair the minutes bound would let through.
  auto reach = [&](TransportMode m) {
    const size_t i = static_cast<size_t>(m);
    const double room = pf.max_commute + 1e-6 - tb.overhead_minutes[i];
    if (room < 0 || tb.minutes_per_km[i] <= 0) return room < 0 ? -1.0 : 1e18;
    return room / tb.minutes_per_km[i] * (1 + 1e-9) + 1e-9;
  };
  Reach r;
  for (TransportMode m : pf.modes) r.own = std::max(r.own, reach(m));
  r.ebike = reach(TransportMode::kEBike);
  return r;
}

CommuteBound BoundCommute(const TravelLowerBound& tb, const ParticipantFeatures& pf,
                          const Reach& reach, const VacancyFeatures& vf, double km,
                          const MatcherParams& params) {
  CommuteBound b;
  const uint32_t shared = AccommodationBit(Accommodation::kCompanyTransport) |
                          AccommodationBit(Accommodation::kCarpool);
  const bool shared_ride = (vf.offers & shared) && km < params.shared_ride_max_km;
  const bool bike_lease =
      (vf.offers & AccommodationBit(Accommodation::kBikeLease)) && km <= reach.ebike;
  const bool own = km <= reach.own;
  if (!own && !shared_ride && !bike_lease) {
    b.blocked = true;
    b.needs_accommodation = true;
    b.max_points = 0;
    return b;
  }
  const double max_commute = pf.max_commute;
  double best = std::numeric_limits<double>::infinity();
  for (TransportMode m : pf.modes) best = std::min(best, MinutesBound(tb, m, km));
  b.needs_accommodation = !(best <= max_commute);
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

}  // namespace

TravelLowerBound TravelLowerBound::Of(const TravelModel& model) {
  TravelLowerBound b;
  for (int m = 1; m <= kTransportModeCount; ++m) {
    const ModeParams& p = model.ParamsFor(static_cast<TransportMode>(m));
    b.overhead_minutes[static_cast<size_t>(m)] = p.overhead_minutes;
    b.minutes_per_km[static_cast<size_t>(m)] =
        p.speed_kmh > 0 ? p.detour_factor / p.speed_kmh * 60.0 : 1e12;
  }
  return b;
}

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
  for (size_t i = 0; i < participants.size(); ++i) {
    if (participants[i] == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("participants[", i, "] is missing"));
    }
  }
  const int num_p = static_cast<int>(participants.size());
  const int num_v = static_cast<int>(vacancies.size());
  std::vector<const Vacancy*> rows;
  std::vector<const Site*> sites;
  rows.reserve(vacancies.size());
  sites.reserve(vacancies.size());
  for (size_t i = 0; i < vacancies.size(); ++i) {
    absl::StatusOr<const Site*> site = ResolveSite(vacancies[i], i);
    if (!site.ok()) return site.status();
    sites.push_back(*site);
    rows.push_back(vacancies[i].vacancy);
  }

  const SkillCredit& credit = matcher.credit();
  const TravelTimeEstimator& travel = matcher.travel();
  const MatcherParams& params = matcher.params();

  std::optional<TravelLowerBound> bound = options.travel_bound;
  if (!bound) {
    // Only the exact type: a subclass may answer differently.
    if (typeid(travel) == typeid(TravelModel)) {
      bound = TravelLowerBound::Of(static_cast<const TravelModel&>(travel));
    }
  }

  // ---- Vacancy side: need columns, requirement tiles, features.
  NeedSpace space(credit);
  RequirementMatrix reqs = BuildRequirementMatrix(rows, &space);
  const int k_cols = space.size();
  std::vector<int> ess_count(vacancies.size()), opt_count(vacancies.size());
  for (size_t v = 0; v < vacancies.size(); ++v) {
    for (const Requirement& r : reqs.requirements[v]) ++(r.essential ? ess_count : opt_count)[v];
  }
  FeatureDictionary dict;
  std::vector<VacancyFeatures> vf;
  vf.reserve(vacancies.size());
  for (size_t v = 0; v < vacancies.size(); ++v) {
    vf.push_back(BuildVacancyFeatures(*rows[v], *vacancies[v].employer, *sites[v], &dict));
  }
  std::vector<Point> site_points;
  site_points.reserve(vacancies.size());
  for (const Site* site : sites) site_points.push_back(ToPoint(site->location.point));
  const int vb = options.vacancy_block;
  const int num_vt = (num_v + vb - 1) / vb;
  std::vector<SparseColMajor> r_tiles(static_cast<size_t>(num_vt));
  for (int t = 0; t < num_vt; ++t) {
    const int v0 = t * vb;
    const int width = std::min(vb, num_v - v0);
    std::vector<Eigen::Triplet<double>> triplets;
    for (int j = 0; j < width; ++j) {
      const size_t v = static_cast<size_t>(v0 + j);
      for (size_t q = 0; q < reqs.requirements[v].size(); ++q) {
        triplets.emplace_back(reqs.columns[v][q], reqs.requirements[v][q].essential ? j : width + j,
                              1.0);
      }
    }
    SparseColMajor& r = r_tiles[static_cast<size_t>(t)];
    r.resize(k_cols, 2 * width);
    r.setFromTriplets(triplets.begin(), triplets.end());
  }

  // ---- Participant side: features and sparse best-credit rows.
  std::vector<ParticipantFeatures> pf(participants.size());
  std::vector<Point> home_points(participants.size());
  std::vector<Reach> reach(participants.size());
  std::vector<std::vector<std::pair<int, float>>> best(participants.size());
  {
    std::atomic<int> next{0};
    auto build = [&]() {
      for (int i = next++; i < num_p; i = next++) {
        const size_t ii = static_cast<size_t>(i);
        pf[ii] = BuildParticipantFeatures(*participants[ii], dict);
        home_points[ii] = ToPoint(pf[ii].home);
        if (bound) reach[ii] = ReachOf(*bound, pf[ii]);
        best[ii] = SparseBestCredit(*participants[ii], space, credit);
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < options.threads; ++t) pool.emplace_back(build);
    build();
    for (std::thread& th : pool) th.join();
  }

  const std::vector<int32_t> rank_p = RanksById(
      participants.size(), [&](int32_t i) -> const std::string& { return participants[i]->id; });
  const std::vector<int32_t> rank_v =
      RanksById(vacancies.size(), [&](int32_t i) -> const std::string& { return rows[i]->id; });

  // ---- The fused pass.
  std::vector<Heap> p_heaps(participants.size(), Heap(options.top_k_per_participant));
  std::vector<std::vector<Heap>> v_heaps(static_cast<size_t>(options.threads));
  std::vector<BatchRankStats> thread_stats(static_cast<size_t>(options.threads));
  const int pb = options.participant_block;
  const int num_pt = (num_p + pb - 1) / pb;
  const int64_t total = static_cast<int64_t>(num_p) * num_v;
  std::atomic<int> next_block{0};
  std::atomic<bool> cancelled{false};
  std::mutex progress_mu;
  int64_t done = 0;
  const bool include_blocked = options.include_blocked;

  auto worker = [&](int t) {
    std::vector<Heap>& vh = v_heaps[static_cast<size_t>(t)];
    vh.assign(vacancies.size(), Heap(options.top_k_per_vacancy));
    BatchRankStats& stats = thread_stats[static_cast<size_t>(t)];
    Eigen::MatrixXd s;  // pn x 2 * width, column-major
    std::vector<Eigen::Triplet<double>> triplets;
    for (int b = next_block++; b < num_pt && !cancelled.load(); b = next_block++) {
      const int p0 = b * pb;
      const int pn = std::min(pb, num_p - p0);
      triplets.clear();
      for (int i = 0; i < pn; ++i) {
        for (const auto& [col, amount] : best[static_cast<size_t>(p0 + i)]) {
          triplets.emplace_back(i, col, static_cast<double>(amount));
        }
      }
      SparseColMajor b_tile(pn, k_cols);
      b_tile.setFromTriplets(triplets.begin(), triplets.end());
      for (int vt = 0; vt < num_vt && !cancelled.load(); ++vt) {
        const int v0 = vt * vb;
        const int width = std::min(vb, num_v - v0);
        s = b_tile * r_tiles[static_cast<size_t>(vt)];
        for (int j = 0; j < width; ++j) {
          const int v = v0 + j;
          const size_t vv = static_cast<size_t>(v);
          const VacancyFeatures& vfeat = vf[vv];
          Heap& v_heap = vh[vv];
          for (int i = 0; i < pn; ++i) {
            const int p = p0 + i;
            const size_t pp = static_cast<size_t>(p);
            Heap& p_heap = p_heaps[pp];
            CommuteBound cb;
            double km = 0;
            if (bound) {
              km = KmLowerBound(home_points[pp], site_points[vv]);
              cb = BoundCommute(*bound, pf[pp], reach[pp], vfeat, km, params);
              if (cb.blocked) {
                // Certainly BLOCKED with 0 commute points. Before anything else: can a
                // blocked pair enter a heap at all, and with the best possible other
                // parts?
                ++stats.settled_far;
                if (!include_blocked) continue;
                if (!p_heap.WouldKeep({Tier::kBlocked, 100.0, rank_v[vv], v}) &&
                    !v_heap.WouldKeep({Tier::kBlocked, 100.0, rank_p[pp], p})) {
                  continue;
                }
                ScoreParts best_parts;
                best_parts.skills = SkillsPart(CoverageRatio(s(i, j), ess_count[vv]),
                                               CoverageRatio(s(i, width + j), opt_count[vv]));
                best_parts.language = 15;
                best_parts.hours = 10;
                best_parts.preferences = 10;
                best_parts.sustainability = vfeat.sustainability;
                const double ub = TotalScore(best_parts);
                if (!p_heap.WouldKeep({Tier::kBlocked, ub, rank_v[vv], v}) &&
                    !v_heap.WouldKeep({Tier::kBlocked, ub, rank_p[pp], p})) {
                  continue;
                }
              }
            }
            const float ce = CoverageRatio(s(i, j), ess_count[vv]);
            const float co = CoverageRatio(s(i, width + j), opt_count[vv]);
            const StaticPart st = CheckStatic(pf[pp], vfeat, ce, co, params, cb.blocked);
            ++stats.static_checks;
            if (st.blocked && !include_blocked) continue;
            Tier tier_bound = TierLowerBound(st);
            double score_bound;
            if (bound) {
              if (cb.blocked) {
                // Exact without travel times.
                const double score = TotalScore(st.parts);
                p_heap.Push({Tier::kBlocked, score, rank_v[vv], v});
                v_heap.Push({Tier::kBlocked, score, rank_p[pp], p});
                continue;
              }
              if (cb.needs_accommodation && tier_bound == Tier::kFits) {
                tier_bound = Tier::kFitsWithAccommodations;
              }
              ScoreParts parts = st.parts;
              parts.commute = cb.max_points;
              score_bound = TotalScore(parts);
            } else {
              score_bound = ScoreUpperBound(st);
            }
            const bool to_p = p_heap.WouldKeep({tier_bound, score_bound, rank_v[vv], v});
            const bool to_v = v_heap.WouldKeep({tier_bound, score_bound, rank_p[pp], p});
            if (!to_p && !to_v) continue;
            ModeMinutesBound mode_bounds{};
            if (bound) {
              for (TransportMode m : pf[pp].modes) {
                mode_bounds[static_cast<size_t>(m)] = MinutesBound(*bound, m, km);
              }
            }
            const PairNumbers n = CompletePair(pf[pp], vfeat, st, travel, params, st.blocked,
                                               bound ? &mode_bounds : nullptr);
            ++stats.completed;
            if (n.tier == Tier::kBlocked && !include_blocked) continue;
            if (to_p) p_heap.Push({n.tier, n.score, rank_v[vv], v});
            if (to_v) v_heap.Push({n.tier, n.score, rank_p[pp], p});
          }
        }
        if (options.progress) {
          std::lock_guard<std::mutex> lock(progress_mu);
          done += static_cast<int64_t>(pn) * width;
          if (!cancelled.load() && !options.progress(done, total)) cancelled.store(true);
        }
      }
    }
  };
  {
    std::vector<std::thread> pool;
    for (int t = 1; t < options.threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (std::thread& th : pool) th.join();
  }
  if (cancelled.load()) return absl::CancelledError("bulk ranking cancelled by the caller");

  BatchRankResult result;
  result.stats.pairs = total;
  result.stats.need_columns = k_cols;
  for (const BatchRankStats& st : thread_stats) {
    result.stats.static_checks += st.static_checks;
    result.stats.completed += st.completed;
    result.stats.settled_far += st.settled_far;
  }
  result.for_participant.resize(participants.size());
  for (size_t p = 0; p < participants.size(); ++p) {
    for (const Entry& e : p_heaps[p].Sorted()) {
      result.for_participant[p].push_back({e.index, e.tier, e.score});
    }
  }
  result.for_vacancy.resize(vacancies.size());
  for (size_t v = 0; v < vacancies.size(); ++v) {
    Heap merged(options.top_k_per_vacancy);
    for (const std::vector<Heap>& vh : v_heaps) {
      if (!vh.empty()) merged.Merge(vh[v]);
    }
    for (const Entry& e : merged.Sorted()) {
      result.for_vacancy[v].push_back({e.index, e.tier, e.score});
    }
  }
  return result;
}

}  // namespace carvematch
