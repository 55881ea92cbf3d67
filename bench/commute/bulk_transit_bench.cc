// Issue 5: the bulk path with public transport, on the Flanders-sized synthetic feed.
//
// A synthetic population (matcher/testing/synthetic.h) is moved onto the feed: homes up
// to 1.5 km from a random stop, childcare locations near the home, employer sites up to
// 300 m from a random stop; 60 % of the participants travel by public transport (added
// to their modes where missing). Then, as the server does for BulkRank:
//   1. the zone-to-site matrix for these homes and sites (2 threads);
//   2. the first pass: RankAll over the matrix, top 2k both ways;
//   3. the exact re-check (matcher/recheck.h) with AnchoredTransitTravel: one search per
//      (site, weekday, shift start or end, leg), every proposed pair re-scored.
// Side by side, on the first --ref_participants participants and --ref_vacancies
// vacancies: the two-pass answer against one exact pass (RankAll with the exact
// estimator for every pair), with both times and how many lists agree.
//
// Usage: bulk_transit_bench [--participants=20000] [--vacancies=2000] [--k=10]
//                           [--ref_participants=1000] [--ref_vacancies=300] [--seed=1]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "bench/commute/flemish_feed.h"
#include "commute/anchored_travel.h"
#include "commute/transit_travel.h"
#include "commute/zone_matrix.h"
#include "matcher/batch_ranker.h"
#include "matcher/matcher.h"
#include "matcher/recheck.h"
#include "matcher/testing/synthetic.h"
#include "routing/raptor.h"

namespace carvematch {
namespace {

using bench::ProcessCpuSeconds;
using bench::WallSeconds;

int Flag(int argc, char** argv, const char* name, int fallback) {
  const std::string prefix = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) {
      return std::atoi(argv[i] + prefix.size());
    }
  }
  return fallback;
}

struct Timed {
  double wall = 0;
  double cpu = 0;
};
template <typename F>
Timed Time(F&& f) {
  const double w = WallSeconds(), c = ProcessCpuSeconds();
  f();
  return {WallSeconds() - w, ProcessCpuSeconds() - c};
}

// Moves the instance onto the feed's area (see the file comment).
void PlaceOnFeed(SyntheticInstance* inst, const transit::Timetable& t, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> stop(0, t.num_stops() - 1);
  std::uniform_real_distribution<double> u(0, 1);
  for (Participant& p : inst->participants) {
    p.home.point = bench::Jitter(t.stops[stop(rng)].point, 1.5, rng);
    for (Childcare& c : p.childcare) c.location.point = bench::Jitter(p.home.point, 1.0, rng);
    const bool has_pt = std::count(p.transport_modes.begin(), p.transport_modes.end(),
                                   TransportMode::kPublicTransport) > 0;
    if (!has_pt && u(rng) < 0.6) p.transport_modes.push_back(TransportMode::kPublicTransport);
  }
  for (Employer& e : inst->employers) {
    for (Site& s : e.sites) s.location.point = bench::Jitter(t.stops[stop(rng)].point, 0.3, rng);
  }
}

// Lists of `a` equal to those of `b` (same vacancies, tiers and scores, same order).
int SameLists(const std::vector<std::vector<RankedVacancy>>& a,
              const std::vector<std::vector<RankedVacancy>>& b) {
  int same = 0;
  for (size_t p = 0; p < a.size() && p < b.size(); ++p) {
    bool equal = a[p].size() == b[p].size();
    for (size_t i = 0; equal && i < a[p].size(); ++i) {
      equal = a[p][i].vacancy == b[p][i].vacancy && a[p][i].tier == b[p][i].tier &&
              a[p][i].score == b[p][i].score;
    }
    same += equal;
  }
  return same;
}

// Of the pairs in `reference`'s lists, how many `got` has too.
double Recall(const std::vector<std::vector<RankedVacancy>>& reference,
              const std::vector<std::vector<RankedVacancy>>& got) {
  int64_t total = 0, found = 0;
  for (size_t p = 0; p < reference.size(); ++p) {
    for (const RankedVacancy& r : reference[p]) {
      ++total;
      for (const RankedVacancy& g : got[p]) found += g.vacancy == r.vacancy;
    }
  }
  return total ? static_cast<double>(found) / total : 1.0;
}

int Main(int argc, char** argv) {
  const int num_p = Flag(argc, argv, "participants", 20000);
  const int num_v = Flag(argc, argv, "vacancies", 2000);
  const int k = Flag(argc, argv, "k", 10);
  const int ref_p = std::min(num_p, Flag(argc, argv, "ref_participants", 1000));
  const int ref_v = std::min(num_v, Flag(argc, argv, "ref_vacancies", 300));
  const uint64_t seed = static_cast<uint64_t>(Flag(argc, argv, "seed", 1));

  absl::StatusOr<transit::Timetable> t = bench::FlemishFeed(seed);
  if (!t.ok()) {
    std::fprintf(stderr, "feed: %s\n", std::string(t.status().message()).c_str());
    return 1;
  }
  routing::TransitNetwork network(*t);
  commute::TransitTravelOptions to;
  to.week_start = commute::ReferenceWeekStart(*t, t->feeds.front().first_day);
  const commute::TransitTravel exact(network, TravelModel(), to);
  std::printf("feed: %zu stops, %zu routes, %zu trips (FlemishBusLike, seed %d)\n", t->num_stops(),
              t->num_routes(), t->trips.size(), static_cast<int>(seed));

  SyntheticInstance inst = MakeSyntheticInstance(num_p, num_v, seed);
  PlaceOnFeed(&inst, *t, seed);
  int with_pt = 0;
  for (const Participant& p : inst.participants) {
    with_pt += std::count(p.transport_modes.begin(), p.transport_modes.end(),
                          TransportMode::kPublicTransport) > 0;
  }
  std::printf("population: %d participants (%d by public transport), %d vacancies, k = %d\n", num_p,
              with_pt, num_v, k);

  // 1. The matrix.
  std::vector<std::pair<const Vacancy*, const Employer*>> jobs;
  for (const VacancyContext& c : inst.contexts) jobs.emplace_back(c.vacancy, c.employer);
  const commute::MatrixInputs inputs = commute::InputsOf(inst.participant_ptrs, jobs);
  commute::ZoneMatrixOptions mo;
  mo.threads = 2;
  for (const Participant& p : inst.participants) {
    mo.max_minutes = std::min(254, std::max(mo.max_minutes, p.max_commute_minutes));
  }
  absl::StatusOr<commute::ZoneMatrix> matrix;
  const Timed build =
      Time([&] { matrix = commute::ZoneMatrix::Build(exact, inputs.points, inputs.sites, mo); });
  if (!matrix.ok()) return 1;
  std::printf("matrix: %zu zones x %zu sites, %zu rows, %.1f MB: wall %.1f s, cpu %.1f s\n",
              matrix->stats().zones, matrix->stats().sites, matrix->stats().rows,
              matrix->stats().bytes / 1e6, build.wall, build.cpu);

  const commute::ZoneMatrixTravel fast_travel(*matrix, exact);
  const Matcher fast(*inst.credit, fast_travel);
  auto two_pass = [&](const std::vector<const Participant*>& people,
                      const std::vector<VacancyContext>& vacancies, size_t cache, Timed* first_t,
                      Timed* recheck_t, RecheckStats* rs,
                      commute::AnchoredTransitTravel::Stats* as) {
    BatchRankOptions o;
    o.top_k_per_participant = 2 * k;
    o.top_k_per_vacancy = 2 * k;
    absl::StatusOr<BatchRankResult> first;
    *first_t = Time([&] { first = RankAll(fast, people, vacancies, o); });
    const commute::AnchoredTransitTravel anchored(exact, cache);
    const Matcher exact_matcher(*inst.credit, anchored);
    RecheckOptions r;
    r.top_k_per_participant = k;
    r.top_k_per_vacancy = k;
    absl::StatusOr<BatchRankResult> out;
    *recheck_t =
        Time([&] { out = RecheckRanking(exact_matcher, people, vacancies, *first, r, rs); });
    *as = anchored.stats();
    return *std::move(out);
  };

  // 2 + 3. The full job.
  Timed first_t, recheck_t;
  RecheckStats rs;
  commute::AnchoredTransitTravel::Stats as;
  two_pass(inst.participant_ptrs, inst.contexts, 128, &first_t, &recheck_t, &rs, &as);
  std::printf(
      "first pass (matrix, top %d both ways): wall %.2f s, cpu %.2f s, %llu questions the matrix "
      "did not cover (asked to the router)\n",
      2 * k, first_t.wall, first_t.cpu,
      static_cast<unsigned long long>(fast_travel.exact_answers()));
  std::printf(
      "re-check: %lld pairs (%lld changed), %llu searches, %llu answers from kept labels: wall "
      "%.2f s, cpu %.2f s\n",
      static_cast<long long>(rs.pairs), static_cast<long long>(rs.changed),
      static_cast<unsigned long long>(as.searches), static_cast<unsigned long long>(as.hits),
      recheck_t.wall, recheck_t.cpu);

  // Side by side with one exact pass, on a subset.
  std::vector<const Participant*> people(inst.participant_ptrs.begin(),
                                         inst.participant_ptrs.begin() + ref_p);
  std::vector<VacancyContext> vacancies(inst.contexts.begin(), inst.contexts.begin() + ref_v);
  Timed sub_first, sub_recheck;
  const BatchRankResult two = two_pass(people, vacancies, 128, &sub_first, &sub_recheck, &rs, &as);
  // The exact pass keeps every search of the subset (no eviction), as a fair reference.
  const commute::AnchoredTransitTravel anchored_all(exact, 1 << 14);
  const Matcher exact_matcher(*inst.credit, anchored_all);
  BatchRankOptions o;
  o.top_k_per_participant = k;
  o.top_k_per_vacancy = k;
  absl::StatusOr<BatchRankResult> one;
  const Timed one_t = Time([&] { one = RankAll(exact_matcher, people, vacancies, o); });
  if (!one.ok()) return 1;
  const double two_wall = sub_first.wall + sub_recheck.wall;
  const double two_cpu = sub_first.cpu + sub_recheck.cpu;
  std::printf(
      "subset %d x %d: two passes wall %.2f s, cpu %.2f s; one exact pass wall %.2f s, "
      "cpu %.2f s (%llu searches); ratio (exact / two passes) cpu %.1fx\n",
      ref_p, ref_v, two_wall, two_cpu, one_t.wall, one_t.cpu,
      static_cast<unsigned long long>(anchored_all.stats().searches),
      two_cpu > 0 ? one_t.cpu / two_cpu : 0.0);
  std::printf(
      "subset agreement: %d of %d participant lists identical, recall of the exact "
      "top-%d pairs %.4f\n",
      SameLists(one->for_participant, two.for_participant), ref_p, k,
      Recall(one->for_participant, two.for_participant));
  return 0;
}

}  // namespace
}  // namespace carvematch

int main(int argc, char** argv) { return carvematch::Main(argc, argv); }
