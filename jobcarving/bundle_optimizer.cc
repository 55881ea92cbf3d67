#include "jobcarving/bundle_optimizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "jobcarving/pool_fit.h"

namespace carvematch {
namespace {

constexpr double kEps = 1e-9;
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

int TimeBit(TimeOfDay t) {
  switch (t) {
    case TimeOfDay::kEarly:
      return 2;
    case TimeOfDay::kLate:
      return 4;
    case TimeOfDay::kNight:
      return 8;
    case TimeOfDay::kDay:
    case TimeOfDay::kUnspecified:
      break;
  }
  return 1;
}

bool CompatibleMask(int mask) { return (mask & ~3) == 0 || (mask & ~5) == 0 || mask == 8; }

// Shared evaluation state of one solver call: the instance, word count and a cache of
// "hours acceptable" participant bitsets per bundle hours.
class Evaluator {
 public:
  explicit Evaluator(const OptInstance& inst)
      : inst_(inst), words_((std::max(inst.pool_size, 0) + 63) / 64) {
    for (std::vector<int> f : inst.forbidden) {
      std::sort(f.begin(), f.end());
      forbidden_.insert(std::move(f));
    }
  }

  int words() const { return words_; }
  const OptInstance& inst() const { return inst_; }
  int64_t evaluations() const { return evaluations_; }

  const std::vector<uint64_t>& HoursBits(double hours) {
    const int64_t key = std::llround(hours * 1e6);
    auto it = hours_cache_.find(key);
    if (it != hours_cache_.end()) return it->second;
    std::vector<uint64_t> bits(static_cast<size_t>(words_), 0);
    const double fraction = inst_.rules.hours_blocker_fraction;
    for (int p = 0; p < inst_.pool_size; ++p) {
      const OptParticipantHours& h = inst_.hours[static_cast<size_t>(p)];
      if (HoursAcceptable(h.min_hours, h.max_hours, hours, fraction)) {
        bits[static_cast<size_t>(p / 64)] |= uint64_t{1} << (p % 64);
      }
    }
    return hours_cache_.emplace(key, std::move(bits)).first->second;
  }

  // Score of a bundle whose AND bitsets, hours and value sum are given.
  double Score(const uint64_t* now_and, const uint64_t* any_and, double hours, double value,
               int* fit_now = nullptr, int* fit_acc = nullptr) {
    ++evaluations_;
    const std::vector<uint64_t>& h = HoursBits(hours);
    int now = 0;
    int any = 0;
    for (int w = 0; w < words_; ++w) {
      now += __builtin_popcountll(now_and[w] & h[static_cast<size_t>(w)]);
      any += __builtin_popcountll(any_and[w] & h[static_cast<size_t>(w)]);
    }
    if (fit_now) *fit_now = now;
    if (fit_acc) *fit_acc = any - now;
    return inst_.rules.weight_now * now + inst_.rules.weight_with_accommodations * (any - now) +
           value;
  }

  bool Forbidden(const std::vector<int>& sorted_bundle) const {
    return !forbidden_.empty() && forbidden_.count(sorted_bundle) > 0;
  }
  bool HasForbidden() const { return !forbidden_.empty(); }

  // Full evaluation of a sorted bundle (sums in ascending task order, as every solver).
  BundleFigures Evaluate(const std::vector<int>& bundle) {
    BundleFigures f;
    std::vector<uint64_t> now(static_cast<size_t>(words_), ~uint64_t{0});
    std::vector<uint64_t> any(static_cast<size_t>(words_), ~uint64_t{0});
    double value = 0;
    int band = 0;
    bool colleagues = false;
    for (int t : bundle) {
      const OptTask& task = inst_.tasks[static_cast<size_t>(t)];
      f.hours += task.hours;
      value += task.value;
      band |= TimeBit(task.time_of_day);
      colleagues = colleagues || task.alongside_colleagues;
      for (int w = 0; w < words_; ++w) {
        now[static_cast<size_t>(w)] &= task.fit_now[static_cast<size_t>(w)];
        any[static_cast<size_t>(w)] &= task.fit_any[static_cast<size_t>(w)];
      }
    }
    f.score = Score(now.data(), any.data(), f.hours, value, &f.fit_now, &f.fit_with_accommodations);
    f.feasible = !bundle.empty() && f.hours >= inst_.rules.min_hours - kEps &&
                 f.hours <= inst_.rules.max_hours + kEps && CompatibleMask(band) && colleagues &&
                 !Forbidden(bundle);
    return f;
  }

 private:
  const OptInstance& inst_;
  int words_;
  std::unordered_map<int64_t, std::vector<uint64_t>> hours_cache_;
  std::set<std::vector<int>> forbidden_;
  int64_t evaluations_ = 0;
};

std::vector<int> MaskToTasks(uint32_t mask) {
  std::vector<int> tasks;
  for (int t = 0; mask != 0; ++t, mask >>= 1) {
    if (mask & 1u) tasks.push_back(t);
  }
  return tasks;
}

void SortBundles(std::vector<std::vector<int>>* bundles) {
  for (std::vector<int>& b : *bundles) std::sort(b.begin(), b.end());
  std::sort(bundles->begin(), bundles->end());
}

// ---- Exact -----------------------------------------------------------------------------

class ExactSolver {
 public:
  explicit ExactSolver(const OptInstance& inst)
      : ev_(inst), n_(static_cast<int>(inst.tasks.size())) {}

  // The optimum with the instance's forbidden bundles and `extra_forbidden` (masks)
  // left out. The bundles are enumerated once per solver.
  OptSolution Solve(const std::vector<uint32_t>& extra_forbidden = {}) {
    OptSolution sol;
    if (!enumerated_) {
      Enumerate();
      enumerated_ = true;
    }
    BuildBounds(extra_forbidden);
    memo_.clear();
    const uint32_t full = n_ == 0 ? 0u : static_cast<uint32_t>((uint64_t{1} << n_) - 1);
    const int k = std::max(1, ev_.inst().rules.max_bundles);
    sol.value = F(full, k);
    // Reconstruct.
    uint32_t mask = full;
    int left = k;
    while (mask != 0 && left > 0) {
      uint32_t choice = 0;
      if (left == 1) {
        const double g = g1_[mask];
        if (g > 0) choice = g1_arg_[mask];
        if (choice == 0) break;
      } else {
        choice = memo_.at(Key(mask, left)).second;
      }
      if (choice == 0) {
        mask &= mask - 1;  // the lowest task stays
        continue;
      }
      sol.bundles.push_back(MaskToTasks(choice));
      mask &= ~choice;
      --left;
    }
    SortBundles(&sol.bundles);
    sol.bundles_evaluated = ev_.evaluations();
    return sol;
  }

 private:
  struct Bundle {
    uint32_t mask;
    double score;
  };

  static uint64_t Key(uint32_t mask, int k) {
    return (uint64_t{static_cast<uint32_t>(k)} << 32) | mask;
  }

  // Depth-first over subsets in ascending task order, pruned by max_hours and by
  // incompatible times (adding tasks never repairs either).
  void Enumerate() {
    const int w = ev_.words();
    now_stack_.assign(static_cast<size_t>((n_ + 1) * w), ~uint64_t{0});
    any_stack_.assign(static_cast<size_t>((n_ + 1) * w), ~uint64_t{0});
    Recurse(0, 0, 0u, 0.0, 0.0, 0, false);
    std::sort(bundles_.begin(), bundles_.end(), [](const Bundle& x, const Bundle& y) {
      if (x.score != y.score) return x.score > y.score;
      return x.mask < y.mask;
    });
  }

  void Recurse(int next, int depth, uint32_t mask, double hours, double value, int band,
               bool colleagues) {
    const OptInstance& inst = ev_.inst();
    const int w = ev_.words();
    for (int j = next; j < n_; ++j) {
      const OptTask& t = inst.tasks[static_cast<size_t>(j)];
      const double h = hours + t.hours;
      if (h > inst.rules.max_hours + kEps) continue;
      const int b = band | TimeBit(t.time_of_day);
      if (!CompatibleMask(b)) continue;
      const uint64_t* pn = &now_stack_[static_cast<size_t>(depth * w)];
      const uint64_t* pa = &any_stack_[static_cast<size_t>(depth * w)];
      uint64_t* cn = &now_stack_[static_cast<size_t>((depth + 1) * w)];
      uint64_t* ca = &any_stack_[static_cast<size_t>((depth + 1) * w)];
      for (int x = 0; x < w; ++x) {
        cn[x] = pn[x] & t.fit_now[static_cast<size_t>(x)];
        ca[x] = pa[x] & t.fit_any[static_cast<size_t>(x)];
      }
      const uint32_t m = mask | (1u << j);
      const double v = value + t.value;
      const bool c = colleagues || t.alongside_colleagues;
      if (h >= inst.rules.min_hours - kEps && c &&
          !(ev_.HasForbidden() && ev_.Forbidden(MaskToTasks(m)))) {
        bundles_.push_back({m, ev_.Score(cn, ca, h, v)});
      }
      Recurse(j + 1, depth + 1, m, h, v, b, c);
    }
  }

  void BuildBounds(const std::vector<uint32_t>& extra_forbidden) {
    const size_t size = size_t{1} << n_;
    g1_.assign(size, kMinusInf);
    g1_arg_.assign(size, 0u);
    auto forbidden = [&](uint32_t mask) {
      return std::find(extra_forbidden.begin(), extra_forbidden.end(), mask) !=
             extra_forbidden.end();
    };
    for (const Bundle& b : bundles_) {
      if (forbidden(b.mask)) continue;
      if (b.score > g1_[b.mask]) {
        g1_[b.mask] = b.score;
        g1_arg_[b.mask] = b.mask;
      }
    }
    // Subset-max transform: g1[mask] = best single bundle inside mask.
    for (int bit = 0; bit < n_; ++bit) {
      const uint32_t b = 1u << bit;
      for (uint32_t mask = 0; mask < size; ++mask) {
        if (!(mask & b)) continue;
        const uint32_t sub = mask ^ b;
        if (g1_[sub] > g1_[mask]) {
          g1_[mask] = g1_[sub];
          g1_arg_[mask] = g1_arg_[sub];
        }
      }
    }
    by_lowest_.assign(static_cast<size_t>(n_), {});
    for (size_t i = 0; i < bundles_.size(); ++i) {
      if (forbidden(bundles_[i].mask)) continue;
      const int low = __builtin_ctz(bundles_[i].mask);
      by_lowest_[static_cast<size_t>(low)].push_back(static_cast<int>(i));
    }
    // bundles_ is sorted best first (Enumerate), so each list is too.
  }

  double G1(uint32_t mask) const { return std::max(0.0, g1_[mask]); }

  // Best value of at most k disjoint feasible bundles inside mask (0 = none).
  double F(uint32_t mask, int k) {
    if (mask == 0 || k == 0) return 0;
    if (k == 1) return G1(mask);
    const uint64_t key = Key(mask, k);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second.first;
    const int low = __builtin_ctz(mask);
    const uint32_t rest = mask & (mask - 1);
    double best = F(rest, k);  // the lowest task stays
    uint32_t choice = 0;
    const double rest_bound = (k - 1) * G1(rest);
    for (int idx : by_lowest_[static_cast<size_t>(low)]) {
      const Bundle& b = bundles_[static_cast<size_t>(idx)];
      if (b.score + rest_bound <= best) break;  // later bundles score no more
      if ((b.mask & ~mask) != 0) continue;
      const uint32_t remain = mask & ~b.mask;
      if (b.score + (k - 1) * G1(remain) <= best) continue;
      const double v = b.score + F(remain, k - 1);
      if (v > best) {
        best = v;
        choice = b.mask;
      }
    }
    memo_.emplace(key, std::make_pair(best, choice));
    return best;
  }

  Evaluator ev_;
  int n_;
  bool enumerated_ = false;
  std::vector<uint64_t> now_stack_, any_stack_;
  std::vector<Bundle> bundles_;
  std::vector<double> g1_;
  std::vector<uint32_t> g1_arg_;
  std::vector<std::vector<int>> by_lowest_;
  std::unordered_map<uint64_t, std::pair<double, uint32_t>> memo_;
};

// ---- Heuristic -------------------------------------------------------------------------

class HeuristicSolver {
 public:
  HeuristicSolver(const OptInstance& inst, int seeds, int neighbourhood)
      : ev_(inst),
        n_(static_cast<int>(inst.tasks.size())),
        seeds_(std::max(1, seeds)),
        neighbourhood_(std::min(neighbourhood, kMaxExactTasks)) {}

  // Several starts: bundles grown up to full time, and (for 2..max_bundles bundles) up
  // to an even share of the movable hours, so that the first bundle does not take the
  // hours a second one needs. Each start: construction, local search, and a new bundle
  // from the staying tasks while one fits; the best start wins (the first on a tie).
  OptSolution Solve() {
    const OptRules& rules = ev_.inst().rules;
    double total = 0;
    for (int t = 0; t < n_; ++t) total += T(t).hours;
    std::vector<double> caps = {rules.max_hours};
    for (int k = 2; k <= rules.max_bundles; ++k) {
      const double cap = std::clamp(total / k, rules.min_hours, rules.max_hours);
      if (std::none_of(caps.begin(), caps.end(),
                       [&](double c) { return std::fabs(c - cap) < 1e-9; })) {
        caps.push_back(cap);
      }
    }
    OptSolution sol;
    bool have = false;
    for (double cap : caps) {
      bundles_.clear();
      Construct(cap);
      LocalSearch();
      while (static_cast<int>(bundles_.size()) < std::max(1, rules.max_bundles)) {
        const size_t before = bundles_.size();
        Construct(rules.max_hours);
        if (bundles_.size() == before) break;
        LocalSearch();
      }
      Neighbourhoods();
      std::vector<std::vector<int>> bundles = bundles_;
      SortBundles(&bundles);
      double value = 0;
      for (const std::vector<int>& b : bundles) value += ev_.Evaluate(b).score;
      if (!have || value > sol.value + kEps) {
        sol.value = value;
        sol.bundles = std::move(bundles);
        have = true;
      }
    }
    sol.bundles_evaluated = ev_.evaluations() + sub_evaluations_;
    return sol;
  }

 private:
  // Large-neighbourhood search: for each bundle and each pair of bundles, the exact
  // optimum over their tasks plus the staying tasks of highest value (at most
  // `neighbourhood_` tasks in all) replaces them when it is better; then local search
  // again, until no neighbourhood improves.
  void Neighbourhoods() {
    if (neighbourhood_ < 2) return;
    const OptInstance& inst = ev_.inst();
    for (int round = 0; round < 50; ++round) {
      std::vector<std::vector<size_t>> groups;
      for (size_t i = 0; i < bundles_.size(); ++i) groups.push_back({i});
      for (size_t i = 0; i < bundles_.size(); ++i) {
        for (size_t j = i + 1; j < bundles_.size(); ++j) groups.push_back({i, j});
      }
      bool improved = false;
      for (const std::vector<size_t>& group : groups) {
        std::vector<bool> taken(static_cast<size_t>(n_), false);
        std::vector<int> tasks;
        double current = 0;
        for (size_t g : group) {
          for (int t : bundles_[g]) tasks.push_back(t);
          current += BundleScore(bundles_[g]);
        }
        if (static_cast<int>(tasks.size()) > neighbourhood_) continue;
        for (const std::vector<int>& b : bundles_) {
          for (int t : b) taken[static_cast<size_t>(t)] = true;
        }
        std::vector<int> staying;
        for (int t = 0; t < n_; ++t) {
          if (!taken[static_cast<size_t>(t)]) staying.push_back(t);
        }
        std::stable_sort(staying.begin(), staying.end(),
                         [&](int a, int b) { return T(a).value > T(b).value; });
        for (int t : staying) {
          if (static_cast<int>(tasks.size()) >= neighbourhood_) break;
          tasks.push_back(t);
        }
        std::sort(tasks.begin(), tasks.end());
        OptInstance sub;
        sub.pool_size = inst.pool_size;
        sub.hours = inst.hours;
        sub.rules = inst.rules;
        // One more bundle may appear while the plan has fewer than max_bundles.
        sub.rules.max_bundles =
            static_cast<int>(group.size()) +
            (static_cast<int>(bundles_.size()) < std::max(1, inst.rules.max_bundles) ? 1 : 0);
        std::vector<int> local(static_cast<size_t>(n_), -1);
        for (size_t i = 0; i < tasks.size(); ++i) {
          local[static_cast<size_t>(tasks[i])] = static_cast<int>(i);
          sub.tasks.push_back(T(tasks[i]));
        }
        for (const std::vector<int>& f : inst.forbidden) {
          std::vector<int> mapped;
          for (int t : f) {
            if (t >= 0 && t < n_ && local[static_cast<size_t>(t)] >= 0) {
              mapped.push_back(local[static_cast<size_t>(t)]);
            }
          }
          if (mapped.size() == f.size()) sub.forbidden.push_back(mapped);
        }
        const OptSolution best = SolveExact(sub);
        sub_evaluations_ += best.bundles_evaluated;
        if (best.value > current + kEps) {
          std::vector<std::vector<int>> next;
          for (size_t i = 0; i < bundles_.size(); ++i) {
            if (std::find(group.begin(), group.end(), i) == group.end())
              next.push_back(bundles_[i]);
          }
          for (const std::vector<int>& b : best.bundles) {
            std::vector<int> global;
            for (int t : b) global.push_back(tasks[static_cast<size_t>(t)]);
            next.push_back(global);
          }
          bundles_ = std::move(next);
          improved = true;
          break;
        }
      }
      if (!improved) break;
      LocalSearch();
    }
  }

  const OptTask& T(int t) const { return ev_.inst().tasks[static_cast<size_t>(t)]; }

  // Feasible score of a bundle (kMinusInf when infeasible; an empty bundle scores 0).
  double BundleScore(std::vector<int> b) {
    if (b.empty()) return 0;
    std::sort(b.begin(), b.end());
    BundleFigures f = ev_.Evaluate(b);
    return f.feasible ? f.score : kMinusInf;
  }

  // Adds bundles grown from the tasks not in a bundle yet, each up to `cap` hours, until
  // max_bundles or nothing feasible adds value.
  void Construct(double cap) {
    const OptRules& rules = ev_.inst().rules;
    const int w = ev_.words();
    std::vector<bool> used(static_cast<size_t>(n_), false);
    for (const std::vector<int>& b : bundles_) {
      for (int t : b) used[static_cast<size_t>(t)] = true;
    }
    while (static_cast<int>(bundles_.size()) < std::max(1, rules.max_bundles)) {
      std::vector<int> order;
      for (int t = 0; t < n_; ++t) {
        if (!used[static_cast<size_t>(t)]) order.push_back(t);
      }
      std::stable_sort(order.begin(), order.end(),
                       [&](int a, int b) { return T(a).value > T(b).value; });
      if (order.size() > static_cast<size_t>(seeds_)) order.resize(static_cast<size_t>(seeds_));
      std::vector<int> best_bundle;
      double best_score = 0;  // a bundle must add value
      std::vector<uint64_t> now(static_cast<size_t>(w)), any(static_cast<size_t>(w));
      std::vector<uint64_t> cn(static_cast<size_t>(w)), ca(static_cast<size_t>(w));
      for (int seed : order) {
        std::vector<int> cur = {seed};
        std::vector<bool> in(static_cast<size_t>(n_), false);
        in[static_cast<size_t>(seed)] = true;
        now = T(seed).fit_now;
        any = T(seed).fit_any;
        double hours = T(seed).hours;
        double value = T(seed).value;
        int band = TimeBit(T(seed).time_of_day);
        if (hours > cap + kEps) continue;
        while (true) {
          const double s = BundleScore(cur);
          if (s > kMinusInf && s > best_score + kEps) {
            best_score = s;
            best_bundle = Sorted(cur);
          }
          int pick = -1;
          double pick_score = kMinusInf;
          for (int t = 0; t < n_; ++t) {
            if (used[static_cast<size_t>(t)] || in[static_cast<size_t>(t)]) continue;
            const OptTask& task = T(t);
            if (hours + task.hours > cap + kEps) continue;
            if (!CompatibleMask(band | TimeBit(task.time_of_day))) continue;
            for (int x = 0; x < w; ++x) {
              cn[static_cast<size_t>(x)] =
                  now[static_cast<size_t>(x)] & task.fit_now[static_cast<size_t>(x)];
              ca[static_cast<size_t>(x)] =
                  any[static_cast<size_t>(x)] & task.fit_any[static_cast<size_t>(x)];
            }
            const double sc =
                ev_.Score(cn.data(), ca.data(), hours + task.hours, value + task.value);
            if (sc > pick_score) {
              pick_score = sc;
              pick = t;
            }
          }
          if (pick < 0) break;
          const OptTask& task = T(pick);
          for (int x = 0; x < w; ++x) {
            now[static_cast<size_t>(x)] &= task.fit_now[static_cast<size_t>(x)];
            any[static_cast<size_t>(x)] &= task.fit_any[static_cast<size_t>(x)];
          }
          hours += task.hours;
          value += task.value;
          band |= TimeBit(task.time_of_day);
          cur.push_back(pick);
          in[static_cast<size_t>(pick)] = true;
        }
      }
      if (best_bundle.empty()) break;
      for (int t : best_bundle) used[static_cast<size_t>(t)] = true;
      bundles_.push_back(best_bundle);
    }
  }

  static std::vector<int> Sorted(std::vector<int> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  // First-improvement local search: moves, then swaps, until nothing improves.
  void LocalSearch() {
    std::vector<int> where(static_cast<size_t>(n_), -1);
    for (size_t b = 0; b < bundles_.size(); ++b) {
      for (int t : bundles_[b]) where[static_cast<size_t>(t)] = static_cast<int>(b);
    }
    std::vector<double> score(bundles_.size());
    for (size_t b = 0; b < bundles_.size(); ++b) score[b] = BundleScore(bundles_[b]);
    auto without = [](std::vector<int> v, int t) {
      v.erase(std::find(v.begin(), v.end(), t));
      return v;
    };
    auto with = [](std::vector<int> v, int t) {
      v.insert(std::lower_bound(v.begin(), v.end(), t), t);
      return v;
    };
    for (int round = 0; round < 200; ++round) {
      bool improved = false;
      // Moves: task t from its place to another bundle or out.
      for (int t = 0; t < n_ && !improved; ++t) {
        const int from = where[static_cast<size_t>(t)];
        for (int to = -1; to < static_cast<int>(bundles_.size()) && !improved; ++to) {
          if (to == from) continue;
          double delta = 0;
          std::vector<int> nf, nt;
          if (from >= 0) {
            nf = without(bundles_[static_cast<size_t>(from)], t);
            const double s = BundleScore(nf);
            if (s == kMinusInf) continue;
            delta += s - score[static_cast<size_t>(from)];
          }
          if (to >= 0) {
            nt = with(bundles_[static_cast<size_t>(to)], t);
            const double s = BundleScore(nt);
            if (s == kMinusInf) continue;
            delta += s - score[static_cast<size_t>(to)];
          }
          if (delta > kEps) {
            if (from >= 0) {
              bundles_[static_cast<size_t>(from)] = nf;
              score[static_cast<size_t>(from)] = BundleScore(nf);
            }
            if (to >= 0) {
              bundles_[static_cast<size_t>(to)] = nt;
              score[static_cast<size_t>(to)] = BundleScore(nt);
            }
            where[static_cast<size_t>(t)] = to;
            improved = true;
          }
        }
      }
      // Swaps: a task of a bundle with a task elsewhere (another bundle or staying).
      for (size_t b = 0; b < bundles_.size() && !improved; ++b) {
        const std::vector<int> members = bundles_[b];
        for (int t : members) {
          if (improved) break;
          for (int u = 0; u < n_ && !improved; ++u) {
            const int ub = where[static_cast<size_t>(u)];
            if (ub == static_cast<int>(b)) continue;
            if (ub >= 0 && ub < static_cast<int>(b)) continue;  // that pair was tried from ub
            std::vector<int> nb = with(without(bundles_[b], t), u);
            const double sb = BundleScore(nb);
            if (sb == kMinusInf) continue;
            double delta = sb - score[b];
            std::vector<int> nu;
            double su = 0;
            if (ub >= 0) {
              nu = with(without(bundles_[static_cast<size_t>(ub)], u), t);
              su = BundleScore(nu);
              if (su == kMinusInf) continue;
              delta += su - score[static_cast<size_t>(ub)];
            }
            if (delta > kEps) {
              bundles_[b] = nb;
              score[b] = sb;
              if (ub >= 0) {
                bundles_[static_cast<size_t>(ub)] = nu;
                score[static_cast<size_t>(ub)] = su;
              }
              where[static_cast<size_t>(u)] = static_cast<int>(b);
              where[static_cast<size_t>(t)] = ub;
              improved = true;
            }
          }
        }
      }
      // Drop emptied bundles.
      for (size_t b = bundles_.size(); b-- > 0;) {
        if (bundles_[b].empty()) {
          bundles_.erase(bundles_.begin() + static_cast<std::ptrdiff_t>(b));
          score.erase(score.begin() + static_cast<std::ptrdiff_t>(b));
          for (int& x : where) {
            if (x > static_cast<int>(b)) --x;
          }
        }
      }
      if (!improved) break;
    }
  }

  Evaluator ev_;
  int n_;
  int seeds_;
  int neighbourhood_;
  int64_t sub_evaluations_ = 0;
  std::vector<std::vector<int>> bundles_;
};

// ---- Brute force -----------------------------------------------------------------------

double PlanValueWith(Evaluator& ev, const std::vector<std::vector<int>>& bundles) {
  const OptInstance& inst = ev.inst();
  if (static_cast<int>(bundles.size()) > std::max(1, inst.rules.max_bundles)) return kMinusInf;
  std::vector<bool> seen(inst.tasks.size(), false);
  double total = 0;
  for (std::vector<int> b : bundles) {
    std::sort(b.begin(), b.end());
    for (int t : b) {
      if (t < 0 || t >= static_cast<int>(inst.tasks.size()) || seen[static_cast<size_t>(t)]) {
        return kMinusInf;
      }
      seen[static_cast<size_t>(t)] = true;
    }
    const BundleFigures f = ev.Evaluate(b);
    if (!f.feasible) return kMinusInf;
    total += f.score;
  }
  return total;
}

void BruteRecurse(Evaluator& ev, int t, int used, std::vector<int>* label, double* best,
                  std::vector<std::vector<int>>* best_bundles, int64_t* evaluated) {
  const OptInstance& inst = ev.inst();
  const int n = static_cast<int>(inst.tasks.size());
  if (t == n) {
    std::vector<std::vector<int>> bundles(static_cast<size_t>(used));
    for (int i = 0; i < n; ++i) {
      if ((*label)[static_cast<size_t>(i)] >= 0) {
        bundles[static_cast<size_t>((*label)[static_cast<size_t>(i)])].push_back(i);
      }
    }
    ++*evaluated;
    const double v = PlanValueWith(ev, bundles);
    if (v > *best) {
      *best = v;
      *best_bundles = bundles;
    }
    return;
  }
  for (int l = -1; l <= used && l < std::max(1, inst.rules.max_bundles); ++l) {
    (*label)[static_cast<size_t>(t)] = l;
    BruteRecurse(ev, t + 1, l == used ? used + 1 : used, label, best, best_bundles, evaluated);
  }
}

}  // namespace

bool CompatibleTimes(const std::vector<TimeOfDay>& times) {
  int mask = 0;
  for (TimeOfDay t : times) mask |= TimeBit(t);
  return CompatibleMask(mask);
}

BundleFigures EvaluateBundle(const OptInstance& inst, const std::vector<int>& tasks) {
  Evaluator ev(inst);
  std::vector<int> sorted = tasks;
  std::sort(sorted.begin(), sorted.end());
  return ev.Evaluate(sorted);
}

double PlanValue(const OptInstance& inst, const std::vector<std::vector<int>>& bundles) {
  Evaluator ev(inst);
  return PlanValueWith(ev, bundles);
}

OptSolution SolveExact(const OptInstance& inst) { return ExactSolver(inst).Solve(); }

std::vector<OptSolution> SolvePlans(const OptInstance& inst, int max_plans, bool exact,
                                    int heuristic_seeds, int neighbourhood) {
  std::vector<OptSolution> plans;
  std::optional<ExactSolver> solver;
  if (exact) solver.emplace(inst);
  int64_t evaluations = 0;
  auto solve = [&](const std::vector<std::vector<int>>& forbid) {
    if (exact) {
      std::vector<uint32_t> masks;
      for (const std::vector<int>& b : forbid) {
        uint32_t m = 0;
        for (int t : b) m |= 1u << t;
        masks.push_back(m);
      }
      OptSolution s = solver->Solve(masks);
      const int64_t total = s.bundles_evaluated;
      s.bundles_evaluated = total - evaluations;
      evaluations = total;
      return s;
    }
    OptInstance alt = inst;
    alt.forbidden.insert(alt.forbidden.end(), forbid.begin(), forbid.end());
    return SolveHeuristic(alt, heuristic_seeds, neighbourhood);
  };
  plans.push_back(solve({}));
  if (plans[0].bundles.empty() || max_plans <= 1) return plans;
  const std::vector<std::vector<int>> first = plans[0].bundles;
  for (const std::vector<int>& b : first) {
    OptSolution s = solve({b});
    if (s.bundles.empty()) continue;
    if (std::any_of(plans.begin(), plans.end(),
                    [&](const OptSolution& q) { return q.bundles == s.bundles; })) {
      continue;
    }
    plans.push_back(std::move(s));
  }
  std::stable_sort(plans.begin() + 1, plans.end(),
                   [](const OptSolution& a, const OptSolution& b) { return a.value > b.value; });
  if (plans.size() > static_cast<size_t>(max_plans)) plans.resize(static_cast<size_t>(max_plans));
  return plans;
}

OptSolution SolveHeuristic(const OptInstance& inst, int heuristic_seeds, int neighbourhood) {
  return HeuristicSolver(inst, heuristic_seeds, neighbourhood).Solve();
}

OptSolution SolveBruteForce(const OptInstance& inst) {
  OptSolution sol;
  std::vector<int> label(inst.tasks.size(), -1);
  double best = 0;  // no bundle at all
  Evaluator ev(inst);
  BruteRecurse(ev, 0, 0, &label, &best, &sol.bundles, &sol.bundles_evaluated);
  sol.value = best;
  SortBundles(&sol.bundles);
  return sol;
}

}  // namespace carvematch
