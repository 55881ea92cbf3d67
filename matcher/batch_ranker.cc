#include "matcher/batch_ranker.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
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
  std::vector<std::vector<std::pair<int, float>>> best(participants.size());
  {
    std::atomic<int> next{0};
    auto build = [&]() {
      for (int i = next++; i < num_p; i = next++) {
        const size_t ii = static_cast<size_t>(i);
        pf[ii] = BuildParticipantFeatures(*participants[ii], dict);
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
            const float ce = CoverageRatio(s(i, j), ess_count[vv]);
            const float co = CoverageRatio(s(i, width + j), opt_count[vv]);
            const StaticPart st = CheckStatic(pf[pp], vfeat, ce, co, params);
            ++stats.static_checks;
            if (st.blocked && !include_blocked) continue;
            const Tier tier_bound = TierLowerBound(st);
            const double score_bound = ScoreUpperBound(st);
            Heap& p_heap = p_heaps[pp];
            const bool to_p = p_heap.WouldKeep({tier_bound, score_bound, rank_v[vv], v});
            const bool to_v = v_heap.WouldKeep({tier_bound, score_bound, rank_p[pp], p});
            if (!to_p && !to_v) continue;
            const PairNumbers n = CompletePair(pf[pp], vfeat, st, travel, params, st.blocked);
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
