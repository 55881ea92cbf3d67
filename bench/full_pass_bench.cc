// Full-pass benchmark (issue 3, benchmark 1): the engine's RankAll (skill coverage, every
// constraint, top-k both ways) on a synthetic population, timed, with everything a
// reference implementation of the same scoring needs written as .npy files;
// bench/full_pass_reference.py recomputes the scoring with numpy/scipy from them, checks
// the top-k and prints the side-by-side table; bench/run_full_pass.sh runs both.
//
// The population is matcher/testing/synthetic.h's (fixed seed), complete: skills with
// related-skill and level credit, Dutch per skill with coaching, licences, capacities,
// digital tools with workplace learning, exclusions, availability, hours, preferences,
// outcome, sustainability incl. "aim not too low", commute per mode with public-transport
// service hours, company transport / carpool / bike lease, childcare (drop-off and
// pick-up timing, "no childcare that day" with childcare support) and the flexible-start
// search. --full_population=0 takes childcare (arrangements cleared) and flexible start
// (kFlexibleStart removed from the vacancies) out, as the benchmark did before.
//
// Written to --out_dir (all C-contiguous, little endian; "n" participants, "m"
// vacancies, "K" need columns):
//   p_home f8 n x 2 (lat, lon); p_int i8 n x kPCols (see PCol); p_avail u8 n x 11 (the
//   availability's week-mask words); p_hours f8 n x 2 (min, max); p_sector_pref i8 n x S;
//   p_wanted_occ, p_avoided_occ i8 n x W (occupation ids, -1 padded);
//   b_indptr i8 (n+1) x 1, b_indices i8 nnz x 1, b_data f4 nnz x 1: the participants'
//   best credit per need column (CSR, SparseBestCredit);
//   v_site f8 m x 2; v_int i8 m x kVCols (see VCol); v_all_shifts u8 m x 11;
//   v_shifts i8 m x 2T (start, end minute of each commute shift, -1 padded);
//   v_own_shifts i8 m x 3S (day index 0..6 or -1, start, end minute of each of the
//   vacancy's own shifts, -1 padded; count in v_int);
//   c_loc f8 A x 2, c_owner i8 A x 1: every childcare arrangement's location and
//   participant, in the participants' order; c_open i8 O x 4: every opening span
//   (arrangement, day index or -1, start, end minute), in the engine's order;
//   v_real f8 m x 2 (hours, sustainability points);
//   r_ess_indptr, r_ess_indices, r_opt_indptr, r_opt_indices i8: requirement rows (CSR)
//   over the need columns;
//   travel f8 7 x 3 (per TransportMode: speed km/h, detour, overhead minutes);
//   engine_p_{idx,tier,score} n x k and engine_v_{idx,tier,score} m x k (i8, i8, f8; -1
//   and 0 padded): RankAll's top-k;
//   meta.json: sizes, parameters, times, stats.
//
// Usage:
//   full_pass_bench [--n=20000] [--m=5000] [--k=10] [--threads=2] [--repeats=3]
//                   [--seed=7] [--include_blocked=0|1] [--single_thread_runs=0|1]
//                   [--full_population=0|1] [--out_dir=DIR]
//   --include_blocked (default 1): BatchRankOptions.include_blocked; with 0 the reference
//     drops blocked pairs too.
//   --single_thread_runs (default 1): 0 skips the 1-thread timing runs.
//   --full_population (default 1): 0 takes childcare and flexible start out.
//   --check_renderer=N (default 0): re-evaluates every pair in the first N participants'
//     lists with the per-pair renderer (Matcher::Explain) and reports pairs whose tier
//     or score differs from RankAll's.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/bench_util.h"
#include "matcher/batch_ranker.h"
#include "matcher/matcher.h"
#include "matcher/pair_core.h"
#include "matcher/skill_coverage.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch::bench {
namespace {

struct Flags {
  int n = 20000;
  int m = 5000;
  int k = 10;
  int threads = 2;
  int repeats = 3;
  uint64_t seed = 7;
  bool include_blocked = true;     // BatchRankOptions.include_blocked (and the reference's)
  bool single_thread_runs = true;  // false: no 1-thread timing runs
  bool full_population = true;     // false: take childcare and flexible start out
  int check_renderer = 0;          // participants whose lists are re-evaluated by Explain
  std::string out_dir;
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return false;
    }
    const std::string name = arg.substr(0, eq);
    const std::string value = arg.substr(eq + 1);
    if (name == "--out_dir") {
      flags.out_dir = value;
      continue;
    }
    const long long v = std::atoll(value.c_str());
    if (name == "--n") {
      flags.n = static_cast<int>(v);
    } else if (name == "--m") {
      flags.m = static_cast<int>(v);
    } else if (name == "--k") {
      flags.k = static_cast<int>(v);
    } else if (name == "--threads") {
      flags.threads = static_cast<int>(v);
    } else if (name == "--repeats") {
      flags.repeats = static_cast<int>(v);
    } else if (name == "--check_renderer") {
      flags.check_renderer = static_cast<int>(v);
    } else if (name == "--seed") {
      flags.seed = static_cast<uint64_t>(v);
    } else if (name == "--include_blocked" || name == "--single_thread_runs" ||
               name == "--full_population") {
      if (value != "0" && value != "1") {
        std::fprintf(stderr, "%s must be 0 or 1\n", name.c_str());
        return false;
      }
      bool& target = name == "--include_blocked"      ? flags.include_blocked
                     : name == "--single_thread_runs" ? flags.single_thread_runs
                                                      : flags.full_population;
      target = value == "1";
    } else {
      std::fprintf(stderr, "unknown flag %s\n", name.c_str());
      return false;
    }
  }
  return flags.n > 0 && flags.m > 0 && flags.k > 0 && flags.threads > 0 && flags.repeats > 0;
}

// Columns of p_int.
enum PCol {
  kPModes,                    // bit per usable TransportMode
  kPMaxCommute,               // max(1, max_commute_minutes)
  kPAlways,                   // 1: empty availability (available always)
  kPDutch0,                   // 4 columns: listening, reading, speaking, writing
  kPLicences = kPDutch0 + 4,  // licence-id mask
  kPMaxLift,                  // -1: no limit
  kPCapacities,               // kFlag* the participant can
  kPDigital,
  kPExclusions,  // setting-id mask
  kPStatesWishes,
  kPTargets,       // bit per TargetOutcome
  kPDemonstrated,  // demonstrated level
  kPHasChildcare,  // 1: some childcare arrangement (even one never open)
  kPCareDays,      // bit DayIndex of each day some arrangement is open
  kPCols
};
// Columns of v_int.
enum VCol {
  kVDutch0,  // 4 columns
  kVLicences = kVDutch0 + 4,
  kVMaxLift,
  kVDemands,
  kVDigital,
  kVSettings,
  kVSector,
  kVOccupation,
  kVOutcome,
  kVOffers,  // AccommodationBit mask
  kVNeedLevelSum,
  kVNeedCount,
  kVShiftCount,     // commute shifts
  kVShiftDays,      // bit DayIndex of each day of the vacancy's own shifts
  kVOwnShiftCount,  // the vacancy's own shifts (0: none; commute uses Monday 09:00-17:00)
  kVCols
};

// The ids of an IdSet, ascending.
std::vector<int64_t> IdsOf(const IdSet& s) {
  std::vector<int64_t> ids;
  for (int b = 0; b < 64; ++b) {
    if ((s.mask >> b) & 1) ids.push_back(b);
  }
  for (int id : s.rest) ids.push_back(id);
  return ids;
}

// An IdSet as a mask; exits when an id does not fit (not the case for the synthetic
// licences and settings, which are a handful).
int64_t MaskOf(const IdSet& s, const char* what) {
  if (!s.rest.empty()) {
    std::fprintf(stderr, "%s: id >= 64, cannot export as a mask\n", what);
    std::exit(1);
  }
  return static_cast<int64_t>(s.mask);
}

// Rows of ids, padded with -1 to the longest row (at least 1 column).
std::vector<int64_t> Padded(const std::vector<std::vector<int64_t>>& rows, int64_t* cols) {
  size_t w = 1;
  for (const auto& r : rows) w = std::max(w, r.size());
  std::vector<int64_t> out(rows.size() * w, -1);
  for (size_t i = 0; i < rows.size(); ++i) std::copy(rows[i].begin(), rows[i].end(), &out[i * w]);
  *cols = static_cast<int64_t>(w);
  return out;
}

class Writer {
 public:
  explicit Writer(std::string dir) : dir_(std::move(dir)) {}
  template <typename T>
  void Write(const std::string& name, const std::vector<T>& data, const char* dtype, int64_t rows,
             int64_t cols) {
    if (static_cast<int64_t>(data.size()) != rows * cols) {
      std::fprintf(stderr, "%s: size %zu != %lld x %lld\n", name.c_str(), data.size(),
                   static_cast<long long>(rows), static_cast<long long>(cols));
      std::exit(1);
    }
    if (!WriteNpy(dir_ + "/" + name + ".npy", data.data(), dtype, sizeof(T), rows, cols)) {
      std::fprintf(stderr, "cannot write %s/%s.npy\n", dir_.c_str(), name.c_str());
      std::exit(1);
    }
  }
  void I64(const std::string& name, const std::vector<int64_t>& d, int64_t rows, int64_t cols) {
    Write(name, d, "<i8", rows, cols);
  }
  void F64(const std::string& name, const std::vector<double>& d, int64_t rows, int64_t cols) {
    Write(name, d, "<f8", rows, cols);
  }
  void U64(const std::string& name, const std::vector<uint64_t>& d, int64_t rows, int64_t cols) {
    Write(name, d, "<u8", rows, cols);
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

void AppendCsr(const Eigen::SparseMatrix<float, Eigen::RowMajor>& mat, std::vector<int64_t>* indptr,
               std::vector<int64_t>* indices) {
  indptr->assign(1, 0);
  for (int r = 0; r < mat.rows(); ++r) {
    for (Eigen::SparseMatrix<float, Eigen::RowMajor>::InnerIterator it(mat, r); it; ++it) {
      indices->push_back(it.col());
    }
    indptr->push_back(static_cast<int64_t>(indices->size()));
  }
}

void Export(const Flags& flags, const SyntheticInstance& inst, const TravelModelParams& tp,
            const MatcherParams& mp, const BatchRankResult& result,
            const std::vector<double>& times, const std::vector<double>& times_1thread,
            const std::vector<double>& cpu, const std::vector<double>& cpu_1thread) {
  Writer w(flags.out_dir);
  const int n = flags.n, m = flags.m, k = flags.k;

  // Features exactly as the engine builds them (vacancies first, then participants).
  FeatureDictionary dict;
  std::vector<VacancyFeatures> vf;
  vf.reserve(static_cast<size_t>(m));
  for (const VacancyContext& c : inst.contexts) {
    const Site* site = c.site ? c.site : c.employer->FindSite(c.vacancy->site_id);
    vf.push_back(BuildVacancyFeatures(*c.vacancy, *c.employer, *site, &dict));
  }
  std::vector<ParticipantFeatures> pf;
  pf.reserve(static_cast<size_t>(n));
  for (const Participant* p : inst.participant_ptrs)
    pf.push_back(BuildParticipantFeatures(*p, dict));

  // Skills: need columns, requirement rows and the participants' best credits.
  std::vector<const Vacancy*> vacancy_ptrs;
  for (const VacancyContext& c : inst.contexts) vacancy_ptrs.push_back(c.vacancy);
  NeedSpace space(*inst.credit);
  RequirementMatrix reqs = BuildRequirementMatrix(vacancy_ptrs, &space);
  std::vector<int64_t> b_indptr = {0}, b_indices;
  std::vector<float> b_data;
  for (const Participant* p : inst.participant_ptrs) {
    for (const auto& [col, amount] : SparseBestCredit(*p, space, *inst.credit)) {
      b_indices.push_back(col);
      b_data.push_back(amount);
    }
    b_indptr.push_back(static_cast<int64_t>(b_indices.size()));
  }
  const int64_t nnz = static_cast<int64_t>(b_indices.size());
  w.I64("b_indptr", b_indptr, n + 1, 1);
  w.I64("b_indices", b_indices, nnz, 1);
  w.Write("b_data", b_data, "<f4", nnz, 1);
  std::vector<int64_t> indptr, indices;
  AppendCsr(reqs.essential, &indptr, &indices);
  w.I64("r_ess_indptr", indptr, m + 1, 1);
  w.I64("r_ess_indices", indices, static_cast<int64_t>(indices.size()), 1);
  indptr.clear();
  indices.clear();
  AppendCsr(reqs.optional, &indptr, &indices);
  w.I64("r_opt_indptr", indptr, m + 1, 1);
  w.I64("r_opt_indices", indices, static_cast<int64_t>(indices.size()), 1);

  // Participants.
  const int64_t sectors = static_cast<int64_t>(dict.sectors().size());
  std::vector<double> home, hours;
  std::vector<int64_t> pint(static_cast<size_t>(n) * kPCols), sector_pref;
  std::vector<uint64_t> avail;
  std::vector<std::vector<int64_t>> wanted, avoided;
  std::vector<double> care_loc;
  std::vector<int64_t> care_owner, care_open;
  for (int i = 0; i < n; ++i) {
    const ParticipantFeatures& p = pf[static_cast<size_t>(i)];
    home.push_back(p.home.lat);
    home.push_back(p.home.lon);
    int64_t* row = &pint[static_cast<size_t>(i) * kPCols];
    for (TransportMode mode : p.modes) row[kPModes] |= int64_t{1} << static_cast<int>(mode);
    row[kPMaxCommute] = p.max_commute;
    row[kPAlways] = p.always_available ? 1 : 0;
    for (int li = 0; li < kLanguageSkillCount; ++li) row[kPDutch0 + li] = p.dutch[li];
    row[kPLicences] = MaskOf(p.licences, "licences");
    row[kPMaxLift] = p.max_lift_kg;
    row[kPCapacities] = p.capacities;
    row[kPDigital] = p.digital_tools;
    row[kPExclusions] = MaskOf(p.exclusions, "exclusions");
    row[kPStatesWishes] = p.states_wishes ? 1 : 0;
    row[kPTargets] = p.targets;
    row[kPDemonstrated] = p.demonstrated_level;
    row[kPHasChildcare] = p.has_childcare ? 1 : 0;
    row[kPCareDays] = p.care_days;
    // Childcare arrangements and their opening hours, in the participant's order (the
    // order in which the engine meets them).
    for (const Childcare& c : p.participant->childcare) {
      const int64_t arrangement = static_cast<int64_t>(care_loc.size() / 2);
      care_loc.push_back(c.location.point.lat);
      care_loc.push_back(c.location.point.lon);
      care_owner.push_back(i);
      for (const WeeklySpan& o : c.opening_hours) {
        care_open.push_back(arrangement);
        care_open.push_back(o.day == Weekday::kUnspecified ? -1 : DayIndex(o.day));
        care_open.push_back(o.start_minute);
        care_open.push_back(o.end_minute);
      }
    }
    for (uint64_t word : p.availability.words()) avail.push_back(word);
    hours.push_back(p.min_hours);
    hours.push_back(p.max_hours);
    for (int64_t s = 0; s < sectors; ++s) {
      sector_pref.push_back(s < static_cast<int64_t>(p.sector_pref.size())
                                ? p.sector_pref[static_cast<size_t>(s)]
                                : 0);
    }
    wanted.push_back(IdsOf(p.wanted_occupations));
    avoided.push_back(IdsOf(p.avoided_occupations));
  }
  w.F64("p_home", home, n, 2);
  w.I64("p_int", pint, n, kPCols);
  w.U64("p_avail", avail, n, kWeekWords);
  w.F64("p_hours", hours, n, 2);
  w.I64("p_sector_pref", sector_pref, n, sectors);
  int64_t cols = 0;
  std::vector<int64_t> padded = Padded(wanted, &cols);
  w.I64("p_wanted_occ", padded, n, cols);
  padded = Padded(avoided, &cols);
  w.I64("p_avoided_occ", padded, n, cols);
  const int64_t arrangements = static_cast<int64_t>(care_owner.size());
  w.F64("c_loc", care_loc, arrangements, 2);
  w.I64("c_owner", care_owner, arrangements, 1);
  w.I64("c_open", care_open, static_cast<int64_t>(care_open.size() / 4), 4);

  // Vacancies.
  std::vector<double> site, vreal;
  std::vector<int64_t> vint(static_cast<size_t>(m) * kVCols);
  std::vector<uint64_t> all_shifts;
  std::vector<std::vector<int64_t>> shifts, own_shifts;
  for (int j = 0; j < m; ++j) {
    const VacancyFeatures& v = vf[static_cast<size_t>(j)];
    site.push_back(v.site.lat);
    site.push_back(v.site.lon);
    int64_t* row = &vint[static_cast<size_t>(j) * kVCols];
    for (int li = 0; li < kLanguageSkillCount; ++li) row[kVDutch0 + li] = v.dutch_need[li];
    row[kVLicences] = MaskOf(v.licences, "licences");
    row[kVMaxLift] = v.max_lift_kg;
    row[kVDemands] = v.demands;
    row[kVDigital] = v.digital_tools;
    row[kVSettings] = MaskOf(v.settings, "settings");
    row[kVSector] = v.sector;
    row[kVOccupation] = v.occupation;
    row[kVOutcome] = static_cast<int64_t>(v.outcome);
    row[kVOffers] = v.offers;
    row[kVNeedLevelSum] = v.need_level_sum;
    row[kVNeedCount] = v.need_count;
    row[kVShiftCount] = static_cast<int64_t>(v.commute_shifts.size());
    row[kVShiftDays] = v.shift_days;
    row[kVOwnShiftCount] = static_cast<int64_t>(v.shifts->size());
    std::vector<int64_t> own;
    for (const WeeklySpan& sh : *v.shifts) {
      own.push_back(sh.day == Weekday::kUnspecified ? -1 : DayIndex(sh.day));
      own.push_back(sh.start_minute);
      own.push_back(sh.end_minute);
    }
    own_shifts.push_back(std::move(own));
    for (uint64_t word : v.all_shifts.words()) all_shifts.push_back(word);
    std::vector<int64_t> s;
    for (const WeeklySpan& sh : v.commute_shifts) {
      s.push_back(sh.start_minute);
      s.push_back(sh.end_minute);
    }
    shifts.push_back(std::move(s));
    vreal.push_back(v.hours);
    vreal.push_back(v.sustainability);
  }
  w.F64("v_site", site, m, 2);
  w.I64("v_int", vint, m, kVCols);
  w.U64("v_all_shifts", all_shifts, m, kWeekWords);
  padded = Padded(shifts, &cols);
  w.I64("v_shifts", padded, m, cols);
  padded = Padded(own_shifts, &cols);
  w.I64("v_own_shifts", padded, m, cols);
  w.F64("v_real", vreal, m, 2);

  // Travel model: per TransportMode (index = enum value).
  std::vector<double> travel(7 * 3, 0.0);
  auto put = [&](TransportMode mode, const ModeParams& p) {
    const size_t i = static_cast<size_t>(mode) * 3;
    travel[i] = p.speed_kmh;
    travel[i + 1] = p.detour_factor;
    travel[i + 2] = p.overhead_minutes;
  };
  put(TransportMode::kWalk, tp.walk);
  put(TransportMode::kBike, tp.bike);
  put(TransportMode::kEBike, tp.ebike);
  put(TransportMode::kMoped, tp.moped);
  put(TransportMode::kCar, tp.car);
  put(TransportMode::kPublicTransport, tp.public_transport);
  w.F64("travel", travel, 7, 3);

  // The engine's top-k.
  std::vector<int64_t> idx(static_cast<size_t>(n) * k, -1), tier(static_cast<size_t>(n) * k, 0);
  std::vector<double> score(static_cast<size_t>(n) * k, 0.0);
  for (int i = 0; i < n; ++i) {
    const auto& list = result.for_participant[static_cast<size_t>(i)];
    for (size_t r = 0; r < list.size() && r < static_cast<size_t>(k); ++r) {
      const size_t at = static_cast<size_t>(i) * k + r;
      idx[at] = list[r].vacancy;
      tier[at] = static_cast<int64_t>(list[r].tier);
      score[at] = list[r].score;
    }
  }
  w.I64("engine_p_idx", idx, n, k);
  w.I64("engine_p_tier", tier, n, k);
  w.F64("engine_p_score", score, n, k);
  idx.assign(static_cast<size_t>(m) * k, -1);
  tier.assign(static_cast<size_t>(m) * k, 0);
  score.assign(static_cast<size_t>(m) * k, 0.0);
  for (int j = 0; j < m; ++j) {
    const auto& list = result.for_vacancy[static_cast<size_t>(j)];
    for (size_t r = 0; r < list.size() && r < static_cast<size_t>(k); ++r) {
      const size_t at = static_cast<size_t>(j) * k + r;
      idx[at] = list[r].participant;
      tier[at] = static_cast<int64_t>(list[r].tier);
      score[at] = list[r].score;
    }
  }
  w.I64("engine_v_idx", idx, m, k);
  w.I64("engine_v_tier", tier, m, k);
  w.F64("engine_v_score", score, m, k);

  const std::string meta = absl::StrFormat(
      "{\n  \"n\": %d, \"m\": %d, \"k\": %d, \"seed\": %d, \"threads\": %d,\n"
      "  \"include_blocked\": %d, \"full_population\": %d,\n"
      "  \"need_columns\": %d, \"sectors\": %d,\n"
      "  \"engine_seconds\": [%s], \"engine_median_seconds\": %.6f,\n"
      "  \"engine_1thread_seconds\": [%s], \"engine_1thread_median_seconds\": %.6f,\n"
      "  \"engine_cpu_seconds\": [%s], \"engine_1thread_cpu_seconds\": [%s],\n"
      "  \"stats\": {\"pairs\": %d, \"static_checks\": %d, \"settled_far\": %d, "
      "\"completed\": %d},\n"
      "  \"pt_first_departure\": %d, \"pt_last_departure\": %d,\n"
      "  \"shared_ride_max_km\": %.17g, \"hours_blocker_fraction\": %.17g,\n"
      "  \"avoided_penalty\": %.17g, \"aim_too_low_penalty\": %.17g,\n"
      "  \"max_flexible_start_minutes\": %d, \"flexible_start_step_minutes\": %d\n}\n",
      n, m, k, flags.seed, flags.threads, flags.include_blocked ? 1 : 0,
      flags.full_population ? 1 : 0, space.size(), sectors, absl::StrJoin(times, ", "),
      Median(times), absl::StrJoin(times_1thread, ", "),
      times_1thread.empty() ? 0.0 : Median(times_1thread), absl::StrJoin(cpu, ", "),
      absl::StrJoin(cpu_1thread, ", "), result.stats.pairs, result.stats.static_checks,
      result.stats.settled_far, result.stats.completed, tp.public_transport_first_departure_minute,
      tp.public_transport_last_departure_minute, mp.shared_ride_max_km, mp.hours_blocker_fraction,
      mp.avoided_penalty, mp.aim_too_low_penalty, mp.max_flexible_start_minutes,
      mp.flexible_start_step_minutes);
  std::FILE* f = std::fopen((flags.out_dir + "/meta.json").c_str(), "w");
  if (f == nullptr || std::fputs(meta.c_str(), f) < 0 || std::fclose(f) != 0) {
    std::fprintf(stderr, "cannot write %s/meta.json\n", flags.out_dir.c_str());
    std::exit(1);
  }
}

int Run(const Flags& flags) {
  SyntheticInstance inst = MakeSyntheticInstance(flags.n, flags.m, flags.seed);
  // Without --full_population=1, leave out childcare and flexible start (see the file
  // comment).
  int cleared_childcare = 0, cleared_flexible = 0;
  if (!flags.full_population) {
    for (Participant& p : inst.participants) {
      if (!p.childcare.empty()) ++cleared_childcare;
      p.childcare.clear();
    }
    for (Vacancy& v : inst.vacancies) {
      auto& acc = v.accommodations;
      const size_t before = acc.size();
      acc.erase(std::remove(acc.begin(), acc.end(), Accommodation::kFlexibleStart), acc.end());
      if (acc.size() != before) ++cleared_flexible;
    }
  }
  TravelModelParams travel_params;
  TravelModel travel(travel_params);
  MatcherParams matcher_params;
  Matcher matcher(*inst.credit, travel, matcher_params);

  BatchRankOptions options;
  options.top_k_per_participant = flags.k;
  options.top_k_per_vacancy = flags.k;
  options.threads = flags.threads;
  options.include_blocked = flags.include_blocked;
  absl::StatusOr<BatchRankResult> result;
  auto run = [&](int threads) {
    options.threads = threads;
    result = RankAll(matcher, inst.participant_ptrs, inst.contexts, options);
    if (!result.ok()) {
      std::fprintf(stderr, "RankAll: %s\n", result.status().ToString().c_str());
      std::exit(1);
    }
  };
  std::printf("full pass: %d participants x %d vacancies, top-%d both ways, seed %llu\n", flags.n,
              flags.m, flags.k, static_cast<unsigned long long>(flags.seed));
  if (flags.full_population) {
    std::printf("full population (childcare and flexible start in)\n");
  } else {
    std::printf("left out: childcare of %d participants, flexible start of %d vacancies\n",
                cleared_childcare, cleared_flexible);
  }
  std::printf("include_blocked %d\n", flags.include_blocked ? 1 : 0);
  // Wall and process CPU time per run (on the shared machine the CPU time is the steadier
  // figure: it counts only the time this process ran).
  auto split = [](const std::vector<Timing>& runs, std::vector<double>* wall,
                  std::vector<double>* cpu) {
    for (const Timing& t : runs) {
      wall->push_back(t.wall_seconds);
      cpu->push_back(t.cpu_seconds);
    }
  };
  auto report = [](const std::string& what, const std::vector<double>& wall,
                   const std::vector<double>& cpu) {
    std::vector<std::string> runs;
    for (size_t r = 0; r < wall.size(); ++r) {
      runs.push_back(absl::StrFormat("%.0f/%.0f", wall[r] * 1e3, cpu[r] * 1e3));
    }
    std::printf("engine RankAll, %s: median %.0f ms wall, %.0f ms CPU (runs wall/CPU: %s ms)\n",
                what.c_str(), Median(wall) * 1e3, Median(cpu) * 1e3,
                absl::StrJoin(runs, ", ").c_str());
  };
  std::vector<double> times_1thread, cpu_1thread, times, cpu;
  if (flags.threads != 1 && flags.single_thread_runs) {
    split(TimeRepeatsWithCpu(flags.repeats, [&] { run(1); }), &times_1thread, &cpu_1thread);
  }
  split(TimeRepeatsWithCpu(flags.repeats, [&] { run(flags.threads); }), &times, &cpu);
  report(absl::StrFormat("%d threads", flags.threads), times, cpu);
  if (!times_1thread.empty()) report("1 thread", times_1thread, cpu_1thread);
  const BatchRankStats& st = result->stats;
  std::printf("pairs %lld: static checks %lld, settled far %lld, completed %lld; K = %d\n",
              static_cast<long long>(st.pairs), static_cast<long long>(st.static_checks),
              static_cast<long long>(st.settled_far), static_cast<long long>(st.completed),
              st.need_columns);
  if (flags.check_renderer > 0) {
    // The per-pair renderer (Matcher::Explain) on every pair in the first participants'
    // lists: tier and score must be the batch path's, bit for bit.
    int64_t checked = 0, differ = 0;
    const int upto = std::min(flags.check_renderer, flags.n);
    for (int i = 0; i < upto; ++i) {
      for (const RankedVacancy& e : result->for_participant[static_cast<size_t>(i)]) {
        absl::StatusOr<MatchResult> r =
            matcher.Explain(*inst.participant_ptrs[static_cast<size_t>(i)],
                            inst.contexts[static_cast<size_t>(e.vacancy)]);
        ++checked;
        if (!r.ok() || r->tier != e.tier || r->score != e.score) {
          if (++differ <= 5) {
            std::printf(
                "renderer differs: participant %d, vacancy %d: batch tier %d score %.17g, "
                "renderer %s\n",
                i, static_cast<int>(e.vacancy), static_cast<int>(e.tier), e.score,
                r.ok() ? absl::StrFormat("tier %d score %.17g", static_cast<int>(r->tier), r->score)
                             .c_str()
                       : r.status().ToString().c_str());
          }
        }
      }
    }
    std::printf("renderer check: %lld pairs of the first %d participants' lists, %lld differ\n",
                static_cast<long long>(checked), upto, static_cast<long long>(differ));
  }
  if (!flags.out_dir.empty()) {
    Export(flags, inst, travel_params, matcher_params, *result, times, times_1thread, cpu,
           cpu_1thread);
    std::printf("wrote inputs and top-k to %s\n", flags.out_dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace carvematch::bench

int main(int argc, char** argv) {
  carvematch::bench::Flags flags;
  if (!carvematch::bench::ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: full_pass_bench [--n=20000] [--m=5000] [--k=10] [--threads=2] "
                 "[--repeats=3] [--seed=7] [--include_blocked=0|1] [--single_thread_runs=0|1] "
                 "[--full_population=0|1] [--check_renderer=N] [--out_dir=DIR]\n");
    return 2;
  }
  return carvematch::bench::Run(flags);
}
