#include "assignment/stable_matching.h"

#include <algorithm>
#include <queue>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch {
namespace {

int64_t PairKey(int a, int b) { return (static_cast<int64_t>(a) << 32) | static_cast<uint32_t>(b); }

// Position of each entry in its list: key (owner, entry) -> rank (0 = best).
absl::flat_hash_map<int64_t, int> Ranks(const std::vector<std::vector<int>>& lists) {
  absl::flat_hash_map<int64_t, int> ranks;
  size_t total = 0;
  for (const auto& l : lists) total += l.size();
  ranks.reserve(total);
  for (size_t owner = 0; owner < lists.size(); ++owner) {
    for (size_t i = 0; i < lists[owner].size(); ++i) {
      ranks.emplace(PairKey(static_cast<int>(owner), lists[owner][i]), static_cast<int>(i));
    }
  }
  return ranks;
}

absl::Status ValidateLists(const std::vector<std::vector<int>>& lists, size_t owners, int entries,
                           const std::string& name) {
  if (lists.size() != owners) {
    return InvalidField(name, absl::StrCat("has ", lists.size(), " lists, expected ", owners));
  }
  std::vector<int> seen(static_cast<size_t>(std::max(0, entries)), -1);
  for (size_t o = 0; o < lists.size(); ++o) {
    for (size_t i = 0; i < lists[o].size(); ++i) {
      const int x = lists[o][i];
      const std::string field = absl::StrCat(name, "[", o, "][", i, "]");
      if (x < 0 || x >= entries) {
        return InvalidField(field, absl::StrCat("is ", x, ", outside [0, ", entries, ")"));
      }
      if (seen[static_cast<size_t>(x)] == static_cast<int>(o)) {
        return InvalidField(field, absl::StrCat("repeats ", x));
      }
      seen[static_cast<size_t>(x)] = static_cast<int>(o);
    }
  }
  return absl::OkStatus();
}

// Tier first (FITS best), then score descending; the caller adds the index last.
bool Better(const CandidateEdge& a, const CandidateEdge& b) {
  if (a.tier != b.tier) return static_cast<int>(a.tier) < static_cast<int>(b.tier);
  return a.score > b.score;
}

}  // namespace

absl::StatusOr<Preferences> DerivePreferences(const AssignmentProblem& problem,
                                              const AssignmentOptions& options) {
  RETURN_IF_ERROR(ValidateAssignment(problem, options));
  std::vector<std::vector<const CandidateEdge*>> by_p(static_cast<size_t>(problem.participants));
  std::vector<std::vector<const CandidateEdge*>> by_v(static_cast<size_t>(problem.vacancies()));
  for (const CandidateEdge& e : problem.edges) {
    if (!IsEligible(e.tier, options)) continue;
    by_p[static_cast<size_t>(e.participant)].push_back(&e);
    by_v[static_cast<size_t>(e.vacancy)].push_back(&e);
  }
  Preferences prefs;
  prefs.participant.resize(by_p.size());
  prefs.vacancy.resize(by_v.size());
  for (size_t p = 0; p < by_p.size(); ++p) {
    auto& l = by_p[p];
    std::sort(l.begin(), l.end(), [](const CandidateEdge* a, const CandidateEdge* b) {
      if (Better(*a, *b)) return true;
      if (Better(*b, *a)) return false;
      return a->vacancy < b->vacancy;
    });
    for (const CandidateEdge* e : l) prefs.participant[p].push_back(e->vacancy);
  }
  for (size_t v = 0; v < by_v.size(); ++v) {
    auto& l = by_v[v];
    std::sort(l.begin(), l.end(), [](const CandidateEdge* a, const CandidateEdge* b) {
      if (Better(*a, *b)) return true;
      if (Better(*b, *a)) return false;
      return a->participant < b->participant;
    });
    for (const CandidateEdge* e : l) prefs.vacancy[v].push_back(e->participant);
  }
  return prefs;
}

absl::StatusOr<StableResult> DeferredAcceptance(const AssignmentProblem& problem,
                                                const Preferences& preferences,
                                                const AssignmentOptions& options) {
  RETURN_IF_ERROR(ValidateAssignment(problem, options));
  const int n = problem.participants;
  const int m = problem.vacancies();
  RETURN_IF_ERROR(
      ValidateLists(preferences.participant, static_cast<size_t>(n), m, "preferences.participant"));
  RETURN_IF_ERROR(
      ValidateLists(preferences.vacancy, static_cast<size_t>(m), n, "preferences.vacancy"));
  const int limit = options.proposals_per_participant;
  const absl::flat_hash_map<int64_t, int> vacancy_rank = Ranks(preferences.vacancy);

  // Per vacancy the held participants as a max-heap on the vacancy's rank (worst on top).
  std::vector<std::priority_queue<std::pair<int, int>>> held(static_cast<size_t>(m));
  std::vector<int> held_count(static_cast<size_t>(n), 0);
  std::vector<size_t> next(static_cast<size_t>(n), 0);
  StableResult result;
  std::vector<int> pending;
  for (int start = 0; start < n; ++start) {
    pending.push_back(start);
    while (!pending.empty()) {
      const int p = pending.back();
      pending.pop_back();
      const size_t up = static_cast<size_t>(p);
      const std::vector<int>& list = preferences.participant[up];
      while (held_count[up] < limit && next[up] < list.size()) {
        const int v = list[next[up]++];
        ++result.proposals;
        const auto it = vacancy_rank.find(PairKey(v, p));
        if (it == vacancy_rank.end()) continue;  // v does not accept p
        auto& h = held[static_cast<size_t>(v)];
        if (static_cast<int>(h.size()) < problem.capacity[static_cast<size_t>(v)]) {
          h.push({it->second, p});
          ++held_count[up];
        } else if (h.top().first > it->second) {
          const int displaced = h.top().second;
          h.pop();
          h.push({it->second, p});
          ++held_count[up];
          --held_count[static_cast<size_t>(displaced)];
          pending.push_back(displaced);
        }
      }
    }
    if (options.progress && ((start + 1) % 1024 == 0 || start + 1 == n) &&
        !options.progress(start + 1, n)) {
      return absl::CancelledError(
          absl::StrCat("deferred acceptance cancelled after ", start + 1, " of ", n));
    }
  }

  absl::flat_hash_map<int64_t, const CandidateEdge*> edge_of;
  edge_of.reserve(problem.edges.size());
  std::vector<int> eligible(static_cast<size_t>(n), 0);
  for (const CandidateEdge& e : problem.edges) {
    edge_of.emplace(PairKey(e.participant, e.vacancy), &e);
    if (IsEligible(e.tier, options)) ++eligible[static_cast<size_t>(e.participant)];
  }
  for (int v = 0; v < m; ++v) {
    auto& h = held[static_cast<size_t>(v)];
    while (!h.empty()) {
      Placement pl;
      pl.participant = h.top().second;
      pl.vacancy = v;
      h.pop();
      const auto it = edge_of.find(PairKey(pl.participant, v));
      if (it != edge_of.end()) {
        pl.score = it->second->score;
        pl.tier = it->second->tier;
      }
      result.placements.push_back(pl);
    }
  }
  std::sort(result.placements.begin(), result.placements.end(),
            [](const Placement& a, const Placement& b) {
              return std::make_pair(a.participant, a.vacancy) <
                     std::make_pair(b.participant, b.vacancy);
            });
  for (int p = 0; p < n; ++p) {
    if (held_count[static_cast<size_t>(p)] > 0) {
      ++result.assigned_participants;
      continue;
    }
    UnassignedParticipant u;
    u.participant = p;
    u.eligible_vacancies = eligible[static_cast<size_t>(p)];
    u.reason = u.eligible_vacancies > 0 ? UnassignedReason::kOutcompeted
                                        : UnassignedReason::kNoFeasibleVacancy;
    result.unassigned.push_back(u);
  }
  result.fairness = MakeFairnessReport(problem, options, result.placements);
  result.blocking_pairs = CountBlockingPairs(problem, preferences, result.placements, limit);
  return result;
}

int64_t CountBlockingPairs(const AssignmentProblem& problem, const Preferences& preferences,
                           const std::vector<Placement>& placements,
                           int proposals_per_participant) {
  const size_t n = preferences.participant.size();
  const size_t m = preferences.vacancy.size();
  const absl::flat_hash_map<int64_t, int> participant_rank = Ranks(preferences.participant);
  const absl::flat_hash_map<int64_t, int> vacancy_rank = Ranks(preferences.vacancy);
  absl::flat_hash_map<int64_t, bool> placed;
  placed.reserve(placements.size());
  // Worst held rank per side; a placement outside a list counts as worse than any entry.
  std::vector<int> p_count(n, 0);
  std::vector<int> p_worst(n, -1);
  std::vector<int> v_count(m, 0);
  std::vector<int> v_worst(m, -1);
  for (const Placement& pl : placements) {
    const size_t p = static_cast<size_t>(pl.participant);
    const size_t v = static_cast<size_t>(pl.vacancy);
    if (p >= n || v >= m) continue;
    placed[PairKey(pl.participant, pl.vacancy)] = true;
    ++p_count[p];
    ++v_count[v];
    const auto pr = participant_rank.find(PairKey(pl.participant, pl.vacancy));
    p_worst[p] = std::max(p_worst[p], pr == participant_rank.end()
                                          ? static_cast<int>(preferences.participant[p].size())
                                          : pr->second);
    const auto vr = vacancy_rank.find(PairKey(pl.vacancy, pl.participant));
    v_worst[v] = std::max(v_worst[v], vr == vacancy_rank.end()
                                          ? static_cast<int>(preferences.vacancy[v].size())
                                          : vr->second);
  }
  int64_t blocking = 0;
  for (size_t p = 0; p < n; ++p) {
    const std::vector<int>& list = preferences.participant[p];
    const bool p_free = p_count[p] < proposals_per_participant;
    for (size_t i = 0; i < list.size(); ++i) {
      if (!p_free && static_cast<int>(i) >= p_worst[p]) break;
      const int v = list[i];
      if (placed.contains(PairKey(static_cast<int>(p), v))) continue;
      const auto vr = vacancy_rank.find(PairKey(v, static_cast<int>(p)));
      if (vr == vacancy_rank.end()) continue;
      const size_t uv = static_cast<size_t>(v);
      if (uv >= problem.capacity.size()) continue;
      if (v_count[uv] < problem.capacity[uv] || vr->second < v_worst[uv]) ++blocking;
    }
  }
  return blocking;
}

}  // namespace carvematch
