#include "matcher/recheck.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch {
namespace {

struct Pair {
  int vacancy = 0;
  int participant = 0;
  Tier tier = Tier::kUnspecified;
  double score = 0;
};

// The matcher's order within a list: tier, score descending, the other side's id
// ascending, then its index.
bool Better(Tier ta, double sa, const std::string& ida, int ia, Tier tb, double sb,
            const std::string& idb, int ib) {
  if (ta != tb) return static_cast<int>(ta) < static_cast<int>(tb);
  if (sa != sb) return sa > sb;
  if (ida != idb) return ida < idb;
  return ia < ib;
}

}  // namespace

absl::StatusOr<BatchRankResult> RecheckRanking(const Matcher& exact,
                                               const std::vector<const Participant*>& participants,
                                               const std::vector<VacancyContext>& vacancies,
                                               const BatchRankResult& first,
                                               const RecheckOptions& options, RecheckStats* stats) {
  if (options.top_k_per_participant < 0) {
    return absl::InvalidArgumentError("top_k_per_participant must be >= 0");
  }
  if (options.top_k_per_vacancy < 0) {
    return absl::InvalidArgumentError("top_k_per_vacancy must be >= 0");
  }
  if (options.threads < 1) return absl::InvalidArgumentError("threads must be >= 1");
  if (first.for_participant.size() > participants.size() ||
      first.for_vacancy.size() > vacancies.size()) {
    return absl::InvalidArgumentError("the first pass has more lists than records");
  }
  const int num_p = static_cast<int>(participants.size());
  const int num_v = static_cast<int>(vacancies.size());

  // Every pair of the first pass once, grouped by site.
  for (int p = 0; p < num_p; ++p) {
    if (participants[p] == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("participants[", p, "] is null"));
    }
  }
  std::vector<Pair> pairs;
  for (size_t p = 0; p < first.for_participant.size(); ++p) {
    for (const RankedVacancy& r : first.for_participant[p]) {
      if (r.vacancy < 0 || r.vacancy >= num_v) {
        return absl::InvalidArgumentError(
            absl::StrCat("for_participant[", p, "] has vacancy ", r.vacancy, " of ", num_v));
      }
      pairs.push_back({r.vacancy, static_cast<int>(p), r.tier, r.score});
    }
  }
  for (size_t v = 0; v < first.for_vacancy.size(); ++v) {
    for (const RankedParticipant& r : first.for_vacancy[v]) {
      if (r.participant < 0 || r.participant >= num_p) {
        return absl::InvalidArgumentError(
            absl::StrCat("for_vacancy[", v, "] has participant ", r.participant, " of ", num_p));
      }
      pairs.push_back({static_cast<int>(v), r.participant, r.tier, r.score});
    }
  }
  std::vector<GeoPoint> site_of(num_v);
  for (int v = 0; v < num_v; ++v) {
    const VacancyContext& c = vacancies[v];
    if (c.vacancy == nullptr || c.employer == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("vacancies[", v, "] is incomplete"));
    }
    const Site* site = c.site != nullptr ? c.site : c.employer->FindSite(c.vacancy->site_id);
    if (site != nullptr) site_of[v] = site->location.point;
  }
  auto site_key = [&](const Pair& x) {
    return std::make_tuple(site_of[x.vacancy].lat, site_of[x.vacancy].lon, x.vacancy,
                           x.participant);
  };
  std::sort(pairs.begin(), pairs.end(),
            [&](const Pair& a, const Pair& b) { return site_key(a) < site_key(b); });
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const Pair& a, const Pair& b) {
                            return a.vacancy == b.vacancy && a.participant == b.participant;
                          }),
              pairs.end());
  // Work units: the pairs of one site.
  std::vector<size_t> unit_begin;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const GeoPoint s = site_of[pairs[i].vacancy];
    if (i == 0 || s.lat != site_of[pairs[i - 1].vacancy].lat ||
        s.lon != site_of[pairs[i - 1].vacancy].lon) {
      unit_begin.push_back(i);
    }
  }
  unit_begin.push_back(pairs.size());

  // Re-score, site by site, on the worker threads.
  const int64_t total = static_cast<int64_t>(pairs.size());
  std::vector<Tier> tiers(pairs.size());
  std::vector<double> scores(pairs.size());
  std::atomic<size_t> next_unit{0};
  int64_t done = 0;  // under mu
  std::atomic<bool> stop{false};
  std::mutex mu;  // the first error and the progress callback
  absl::Status error;
  // Per vacancy of a unit, one RankAll of the exact matcher over its proposed
  // participants that keeps them all: the batch kernel's numeric path (tiers and scores
  // equal to Explain's, tests/matcher/batch_ranker_test.cc) without rendering texts or
  // planning trips.
  auto rescore = [&](size_t begin, size_t end) -> absl::Status {
    std::vector<const Participant*> people;
    for (size_t i = begin; i < end; ++i) people.push_back(participants[pairs[i].participant]);
    BatchRankOptions o;
    o.top_k_per_participant = 0;
    o.top_k_per_vacancy = static_cast<int>(people.size());
    o.include_blocked = true;
    o.threads = 1;
    ASSIGN_OR_RETURN(BatchRankResult r,
                     RankAll(exact, people, {vacancies[pairs[begin].vacancy]}, o));
    if (r.for_vacancy.size() != 1 || r.for_vacancy[0].size() != people.size()) {
      return absl::InternalError("the exact pass did not score every proposed pair");
    }
    for (const RankedParticipant& x : r.for_vacancy[0]) {
      tiers[begin + x.participant] = x.tier;
      scores[begin + x.participant] = x.score;
    }
    return absl::OkStatus();
  };
  auto work = [&]() {
    for (size_t u = next_unit++; u + 1 < unit_begin.size() && !stop; u = next_unit++) {
      for (size_t i = unit_begin[u]; i < unit_begin[u + 1];) {
        size_t j = i;
        while (j < unit_begin[u + 1] && pairs[j].vacancy == pairs[i].vacancy) ++j;
        if (absl::Status s = rescore(i, j); !s.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          if (error.ok()) error = s;
          stop = true;
          return;
        }
        i = j;
      }
      std::lock_guard<std::mutex> lock(mu);
      done += static_cast<int64_t>(unit_begin[u + 1] - unit_begin[u]);
      if (options.progress) {
        if (!stop && !options.progress(done, total)) {
          if (error.ok()) error = absl::CancelledError("re-check cancelled");
          stop = true;
        }
      }
    }
  };
  std::vector<std::thread> helpers;
  const size_t units = unit_begin.size() - 1;
  for (int t = 1; t < options.threads && static_cast<size_t>(t) < units; ++t) {
    helpers.emplace_back(work);
  }
  work();
  for (std::thread& t : helpers) t.join();
  if (!error.ok()) return error;

  RecheckStats local;
  local.pairs = total;
  for (size_t i = 0; i < pairs.size(); ++i) {
    local.changed += tiers[i] != pairs[i].tier || scores[i] != pairs[i].score;
    pairs[i].tier = tiers[i];
    pairs[i].score = scores[i];
  }
  if (stats != nullptr) *stats = local;
  // By (vacancy, participant) for the lookups below.
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return std::tie(a.vacancy, a.participant) < std::tie(b.vacancy, b.participant);
  });
  auto find = [&](int v, int p) -> const Pair& {
    return *std::lower_bound(pairs.begin(), pairs.end(), std::make_pair(v, p),
                             [](const Pair& x, const std::pair<int, int>& key) {
                               return std::make_pair(x.vacancy, x.participant) < key;
                             });
  };
  auto keep = [&](Tier t) { return options.include_blocked || t != Tier::kBlocked; };

  BatchRankResult out;
  out.stats = first.stats;
  out.for_participant.resize(first.for_participant.size());
  for (size_t p = 0; p < first.for_participant.size(); ++p) {
    std::vector<RankedVacancy>& list = out.for_participant[p];
    for (const RankedVacancy& r : first.for_participant[p]) {
      const Pair& x = find(r.vacancy, static_cast<int>(p));
      if (keep(x.tier)) list.push_back({r.vacancy, x.tier, x.score});
    }
    std::sort(list.begin(), list.end(), [&](const RankedVacancy& a, const RankedVacancy& b) {
      return Better(a.tier, a.score, vacancies[a.vacancy].vacancy->id, a.vacancy, b.tier, b.score,
                    vacancies[b.vacancy].vacancy->id, b.vacancy);
    });
    if (list.size() > static_cast<size_t>(options.top_k_per_participant)) {
      list.resize(options.top_k_per_participant);
    }
  }
  out.for_vacancy.resize(first.for_vacancy.size());
  for (size_t v = 0; v < first.for_vacancy.size(); ++v) {
    std::vector<RankedParticipant>& list = out.for_vacancy[v];
    for (const RankedParticipant& r : first.for_vacancy[v]) {
      const Pair& x = find(static_cast<int>(v), r.participant);
      if (keep(x.tier)) list.push_back({r.participant, x.tier, x.score});
    }
    std::sort(list.begin(), list.end(),
              [&](const RankedParticipant& a, const RankedParticipant& b) {
                return Better(a.tier, a.score, participants[a.participant]->id, a.participant,
                              b.tier, b.score, participants[b.participant]->id, b.participant);
              });
    if (list.size() > static_cast<size_t>(options.top_k_per_vacancy)) {
      list.resize(options.top_k_per_vacancy);
    }
  }
  return out;
}

}  // namespace carvematch
