#include "matcher/vacancy_catalog.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch {
namespace {

// A TravelModel the catalog cannot derive a distance bound for (not exactly the type):
// every pair is completed with travel times.
class UnboundedTravel : public TravelModel {};

// The reference: Explain on every pair, then the filter, then the Matcher's order.
std::vector<MatchResult> Reference(const Matcher& matcher, const Participant& p,
                                   const std::vector<VacancyContext>& contexts,
                                   const CatalogFilter& f) {
  std::vector<MatchResult> out;
  for (const VacancyContext& c : contexts) {
    absl::StatusOr<MatchResult> r = matcher.Explain(p, c);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) continue;
    if (r->tier == Tier::kBlocked && !f.include_blocked) continue;
    if (!f.tiers.empty() && std::find(f.tiers.begin(), f.tiers.end(), r->tier) == f.tiers.end()) {
      continue;
    }
    if (!f.sector_prefixes.empty() &&
        std::none_of(f.sector_prefixes.begin(), f.sector_prefixes.end(),
                     [&](const std::string& prefix) {
                       return c.employer->sector.compare(0, prefix.size(), prefix) == 0 &&
                              c.employer->sector.size() >= prefix.size();
                     })) {
      continue;
    }
    if (f.max_commute_minutes > 0 &&
        (r->commute_minutes < 0 || r->commute_minutes > f.max_commute_minutes)) {
      continue;
    }
    if (!f.outcomes.empty() &&
        std::find(f.outcomes.begin(), f.outcomes.end(), c.vacancy->outcome) == f.outcomes.end()) {
      continue;
    }
    out.push_back(*std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const MatchResult& a, const MatchResult& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.score != b.score) return a.score > b.score;
    return a.vacancy_id < b.vacancy_id;
  });
  return out;
}

// Records of shared copies of an instance's vacancies and employers.
struct Shared {
  std::map<std::string, std::shared_ptr<const Employer>> employers;
  std::vector<VacancyCatalog::Record> records;
  std::vector<VacancyContext> contexts;  // into the shared copies

  explicit Shared(const SyntheticInstance& inst) {
    for (const Employer& e : inst.employers) employers[e.id] = std::make_shared<const Employer>(e);
    for (const Vacancy& v : inst.vacancies) {
      auto vp = std::make_shared<const Vacancy>(v);
      const auto& ep = employers.at(v.employer_id);
      records.push_back({vp, ep});
      contexts.push_back({vp.get(), ep.get(), ep->FindSite(v.site_id)});
    }
  }
};

void ExpectSame(const std::vector<CatalogMatch>& got, const std::vector<MatchResult>& want,
                const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(what + " #" + std::to_string(i) + " " + want[i].vacancy_id);
    EXPECT_EQ(got[i].entry->vacancy->id, want[i].vacancy_id);
    EXPECT_EQ(got[i].tier, want[i].tier);
    EXPECT_EQ(got[i].score, want[i].score);  // bit for bit
    EXPECT_EQ(got[i].parts.skills, want[i].parts.skills);
    EXPECT_EQ(got[i].parts.commute, want[i].parts.commute);
    EXPECT_EQ(got[i].parts.language, want[i].parts.language);
    EXPECT_EQ(got[i].parts.hours, want[i].parts.hours);
    EXPECT_EQ(got[i].parts.preferences, want[i].parts.preferences);
    EXPECT_EQ(got[i].parts.penalty, want[i].parts.penalty);
    EXPECT_EQ(got[i].parts.sustainability, want[i].parts.sustainability);
    EXPECT_EQ(got[i].commute_minutes, want[i].commute_minutes);
    EXPECT_EQ(got[i].commute_mode, want[i].commute_mode);
  }
}

class VacancyCatalogTest : public ::testing::TestWithParam<int> {};

// Every pair of random instances (dense: one town; sparse: 30 towns, mostly far pairs
// settled by the distance bound), with and without the distance bound: the numbers
// are exactly Explain's, and the order is the Matcher's.
TEST_P(VacancyCatalogTest, NumbersAgreeWithExplainOnEveryPair) {
  SyntheticParams params;
  params.towns = GetParam();
  SyntheticInstance inst = MakeSyntheticInstance(40, 250, /*seed=*/900 + GetParam(), params);
  Shared shared(inst);
  TravelModel travel;
  UnboundedTravel unbounded;
  Matcher matcher(*inst.credit, travel);
  Matcher slow(*inst.credit, unbounded);
  VacancyCatalog catalog(*inst.credit);
  catalog.Upsert(shared.records);
  auto snap = catalog.snapshot();
  ASSERT_EQ(snap->size(), inst.vacancies.size());
  CatalogFilter all;
  CatalogFilter fitting;  // far pairs dropped: whole grid cells can be skipped
  fitting.include_blocked = false;
  int fits = 0;
  int64_t far_cells = 0;
  for (const Participant& p : inst.participants) {
    const std::vector<MatchResult> want = Reference(matcher, p, shared.contexts, all);
    ExpectSame(RankVacanciesNumeric(matcher, p, *snap, all), want, p.id + " bounded");
    CatalogRankStats stats;
    ExpectSame(RankVacanciesNumeric(matcher, p, *snap, fitting, -1, &stats),
               Reference(matcher, p, shared.contexts, fitting), p.id + " fitting");
    far_cells += stats.far_cells;
    // The page variant: the same total and the best k, for a k below and above it.
    const std::vector<MatchResult> want_fitting = Reference(matcher, p, shared.contexts, fitting);
    for (int k : {0, 1, 7, 100000}) {
      const CatalogPage page = RankVacanciesTop(matcher, p, *snap, fitting, k);
      EXPECT_EQ(page.total, want_fitting.size()) << p.id << " k " << k;
      const size_t n = std::min(want_fitting.size(), static_cast<size_t>(k));
      ExpectSame(page.best,
                 std::vector<MatchResult>(want_fitting.begin(), want_fitting.begin() + n),
                 p.id + " top " + std::to_string(k));
    }
    ExpectSame(RankVacanciesNumeric(slow, p, *snap, all), want, p.id + " unbounded");
    for (const MatchResult& r : want) fits += r.tier != Tier::kBlocked;
    // The Matcher's own ranking gives the same order.
    absl::StatusOr<std::vector<MatchResult>> ranked =
        matcher.RankVacancies(p, shared.contexts, MatchOptions{0, true});
    ASSERT_TRUE(ranked.ok());
    ASSERT_EQ(ranked->size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ((*ranked)[i].vacancy_id, want[i].vacancy_id);
  }
  EXPECT_GT(fits, 0) << "the instance should have fitting pairs";
  if (GetParam() == 30) {
    EXPECT_GT(far_cells, 0) << "30 towns: some squares are out of reach";
  }
}

INSTANTIATE_TEST_SUITE_P(Towns, VacancyCatalogTest, ::testing::Values(1, 30));

TEST(VacancyCatalog, FiltersGiveTheFilteredReference) {
  SyntheticParams params;
  params.towns = 2;
  SyntheticInstance inst = MakeSyntheticInstance(12, 300, /*seed=*/31, params);
  Shared shared(inst);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  VacancyCatalog catalog(*inst.credit);
  catalog.Upsert(shared.records);
  auto snap = catalog.snapshot();
  std::vector<std::string> sectors;
  for (const Employer& e : inst.employers) sectors.push_back(e.sector);
  std::mt19937 rng(5);
  for (int round = 0; round < 40; ++round) {
    CatalogFilter f;
    f.include_blocked = rng() % 2;
    if (rng() % 2) {
      for (Tier t : {Tier::kFits, Tier::kFitsWithAccommodations, Tier::kBlocked}) {
        if (rng() % 2) f.tiers.push_back(t);
      }
    }
    if (rng() % 3 == 0) {
      const std::string& s = sectors[rng() % sectors.size()];
      f.sector_prefixes.push_back(s.substr(0, 1 + rng() % s.size()));
      if (rng() % 4 == 0) f.sector_prefixes.push_back("");
    }
    if (rng() % 3 == 0) f.max_commute_minutes = 10 + static_cast<int>(rng() % 50);
    if (rng() % 3 == 0) {
      f.outcomes.push_back(static_cast<TargetOutcome>(1 + rng() % 8));
      f.outcomes.push_back(static_cast<TargetOutcome>(1 + rng() % 8));
    }
    const Participant& p = inst.participants[static_cast<size_t>(round) % inst.participants.size()];
    const std::vector<MatchResult> want = Reference(matcher, p, shared.contexts, f);
    ExpectSame(RankVacanciesNumeric(matcher, p, *snap, f), want, "round " + std::to_string(round));
    // A sorted prefix: the first k are the reference's first k, the total is the same.
    const int k = static_cast<int>(rng() % 8);
    std::vector<CatalogMatch> part = RankVacanciesNumeric(matcher, p, *snap, f, k);
    ASSERT_EQ(part.size(), want.size());
    for (size_t i = 0; i < part.size() && i < static_cast<size_t>(k); ++i) {
      EXPECT_EQ(part[i].entry->vacancy->id, want[i].vacancy_id);
    }
    const CatalogPage page = RankVacanciesTop(matcher, p, *snap, f, k);
    EXPECT_EQ(page.total, want.size());
    ExpectSame(
        page.best,
        std::vector<MatchResult>(want.begin(), want.begin() + std::min<size_t>(want.size(), k)),
        "top of round " + std::to_string(round));
  }
}

// CompletePair's options for callers that drop BLOCKED pairs (stop_when_blocked) and
// rank one participant against many vacancies (FlexibleStartMemo) change no number of
// a pair that is not BLOCKED, and no pair's tier, on every pair of a random instance
// (limited availabilities, childcare, flexible starts); a memo shared by all pairs of
// a participant, as in a ranking.
TEST(CompletePairOptions, SameNumbersWithEarlyStopAndFlexibleStartMemo) {
  SyntheticInstance inst = MakeSyntheticInstance(60, 400, /*seed=*/77);
  Shared shared(inst);
  TravelModel travel;
  const MatcherParams params;
  FeatureDictionary dict;
  std::vector<VacancyFeatures> vfs;
  for (const VacancyContext& c : shared.contexts) {
    vfs.push_back(BuildVacancyFeatures(*c.vacancy, *c.employer, *c.site, &dict));
  }
  int blocked = 0, fitting = 0, memo_used = 0;
  for (const Participant& p : inst.participants) {
    const ParticipantFeatures pf = BuildParticipantFeatures(p, dict);
    FlexibleStartMemo memo;
    for (size_t v = 0; v < vfs.size(); ++v) {
      SCOPED_TRACE(p.id + " x " + shared.contexts[v].vacancy->id);
      const StaticPart st = CheckStatic(pf, vfs[v], 0.5f, 0.25f, params);
      const PairNumbers plain = CompletePair(pf, vfs[v], st, travel, params);
      const PairNumbers fast =
          CompletePair(pf, vfs[v], st, travel, params, /*score_only=*/false,
                       /*mode_bounds=*/nullptr, /*stop_when_blocked=*/true, &memo);
      const PairNumbers memo_only =
          CompletePair(pf, vfs[v], st, travel, params, /*score_only=*/false,
                       /*mode_bounds=*/nullptr, /*stop_when_blocked=*/false, &memo);
      EXPECT_EQ(fast.tier, plain.tier);
      EXPECT_EQ(memo_only.tier, plain.tier);
      EXPECT_EQ(memo_only.score, plain.score);
      EXPECT_EQ(memo_only.accommodations, plain.accommodations);
      EXPECT_EQ(memo_only.commute_minutes, plain.commute_minutes);
      if (plain.tier == Tier::kBlocked) {
        ++blocked;
        continue;
      }
      ++fitting;
      EXPECT_EQ(fast.score, plain.score);
      EXPECT_EQ(fast.accommodations, plain.accommodations);
      EXPECT_EQ(fast.commute_minutes, plain.commute_minutes);
      EXPECT_EQ(fast.commute_mode, plain.commute_mode);
      EXPECT_EQ(fast.parts.commute, plain.parts.commute);
      if ((plain.accommodations & AccommodationBit(Accommodation::kFlexibleStart)) != 0) {
        ++memo_used;
      }
    }
  }
  EXPECT_GT(blocked, 0);
  EXPECT_GT(fitting, 0);
  EXPECT_GT(memo_used, 0) << "some pairs should rely on a flexible start";
}

// The service explains a page in one Matcher::RankVacancies call over the page's
// vacancies: every result, explanation text included, is the one Matcher::Explain
// gives for the pair alone (the need space and best credits of the page do not change
// a pair's numbers or words).
TEST(VacancyCatalog, ExplainingAPageAtOnceGivesExplainPerPair) {
  SyntheticInstance inst = MakeSyntheticInstance(25, 300, /*seed=*/404);
  Shared shared(inst);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  VacancyCatalog catalog(*inst.credit);
  catalog.Upsert(shared.records);
  auto snap = catalog.snapshot();
  MatchOptions all;
  all.limit = 0;
  all.include_blocked = true;
  int compared = 0;
  for (const Participant& p : inst.participants) {
    for (bool include_blocked : {false, true}) {
      CatalogFilter f;
      f.include_blocked = include_blocked;
      const CatalogPage page = RankVacanciesTop(matcher, p, *snap, f, 20);
      std::vector<VacancyContext> contexts;
      for (const CatalogMatch& m : page.best) contexts.push_back(m.entry->context());
      absl::StatusOr<std::vector<MatchResult>> batch = matcher.RankVacancies(p, contexts, all);
      ASSERT_TRUE(batch.ok()) << batch.status();
      ASSERT_EQ(batch->size(), contexts.size());
      for (size_t i = 0; i < contexts.size(); ++i) {
        const MatchResult& got = (*batch)[i];
        // Same order as the page.
        EXPECT_EQ(got.vacancy_id, contexts[i].vacancy->id);
        absl::StatusOr<MatchResult> want = matcher.Explain(p, contexts[i]);
        ASSERT_TRUE(want.ok());
        SCOPED_TRACE(p.id + " x " + want->vacancy_id);
        EXPECT_EQ(got.participant_id, want->participant_id);
        EXPECT_EQ(got.tier, want->tier);
        EXPECT_EQ(got.score, want->score);
        EXPECT_EQ(got.parts.skills, want->parts.skills);
        EXPECT_EQ(got.parts.commute, want->parts.commute);
        EXPECT_EQ(got.coverage_essential, want->coverage_essential);
        EXPECT_EQ(got.coverage_optional, want->coverage_optional);
        EXPECT_EQ(got.commute_mode, want->commute_mode);
        EXPECT_EQ(got.commute_minutes, want->commute_minutes);
        EXPECT_EQ(got.accommodations, want->accommodations);
        ASSERT_EQ(got.items.size(), want->items.size());
        for (size_t k = 0; k < got.items.size(); ++k) {
          EXPECT_EQ(got.items[k].criterion, want->items[k].criterion);
          EXPECT_EQ(got.items[k].status, want->items[k].status);
          EXPECT_EQ(got.items[k].message, want->items[k].message);
          EXPECT_EQ(got.items[k].accommodation, want->items[k].accommodation);
        }
        ASSERT_EQ(got.credits.size(), want->credits.size());
        for (size_t k = 0; k < got.credits.size(); ++k) {
          EXPECT_EQ(got.credits[k].need_uri, want->credits[k].need_uri);
          EXPECT_EQ(got.credits[k].have_uri, want->credits[k].have_uri);
          EXPECT_EQ(got.credits[k].have_level, want->credits[k].have_level);
          EXPECT_EQ(got.credits[k].relation, want->credits[k].relation);
          EXPECT_EQ(got.credits[k].amount, want->credits[k].amount);
          EXPECT_EQ(got.credits[k].message, want->credits[k].message);
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100);
}

// The same for a page of candidates: Matcher::RankParticipants over the page gives
// each candidate the result Matcher::Explain gives for the pair alone.
TEST(VacancyCatalog, ExplainingACandidatePageAtOnceGivesExplainPerPair) {
  SyntheticInstance inst = MakeSyntheticInstance(200, 12, /*seed=*/405);
  Shared shared(inst);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  std::vector<const Participant*> everyone;
  for (const Participant& p : inst.participants) everyone.push_back(&p);
  MatchOptions all;
  all.limit = 0;
  all.include_blocked = true;
  int compared = 0;
  for (const VacancyContext& c : shared.contexts) {
    CatalogFilter f;
    f.include_blocked = true;
    absl::StatusOr<std::vector<ParticipantMatch>> ranked =
        RankParticipantsNumeric(matcher, c, everyone, f, 20);
    ASSERT_TRUE(ranked.ok());
    std::vector<const Participant*> page;
    for (size_t i = 0; i < ranked->size() && i < 20; ++i) {
      page.push_back(everyone[static_cast<size_t>((*ranked)[i].index)]);
    }
    absl::StatusOr<std::vector<MatchResult>> batch = matcher.RankParticipants(c, page, all);
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_EQ(batch->size(), page.size());
    for (size_t i = 0; i < page.size(); ++i) {
      const MatchResult& got = (*batch)[i];
      EXPECT_EQ(got.participant_id, page[i]->id);  // the page's order
      absl::StatusOr<MatchResult> want = matcher.Explain(*page[i], c);
      ASSERT_TRUE(want.ok());
      SCOPED_TRACE(want->participant_id + " x " + want->vacancy_id);
      EXPECT_EQ(got.tier, want->tier);
      EXPECT_EQ(got.score, want->score);
      EXPECT_EQ(got.coverage_essential, want->coverage_essential);
      EXPECT_EQ(got.coverage_optional, want->coverage_optional);
      EXPECT_EQ(got.commute_minutes, want->commute_minutes);
      EXPECT_EQ(got.accommodations, want->accommodations);
      ASSERT_EQ(got.items.size(), want->items.size());
      for (size_t k = 0; k < got.items.size(); ++k) {
        EXPECT_EQ(got.items[k].criterion, want->items[k].criterion);
        EXPECT_EQ(got.items[k].message, want->items[k].message);
      }
      ASSERT_EQ(got.credits.size(), want->credits.size());
      for (size_t k = 0; k < got.credits.size(); ++k) {
        EXPECT_EQ(got.credits[k].message, want->credits[k].message);
        EXPECT_EQ(got.credits[k].amount, want->credits[k].amount);
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 100);
}

// FlexibleStartMemo stores answers per shift (day, start, end) and answers -1 for an
// unknown shift.
TEST(FlexibleStartMemo, StoresPerShift) {
  FlexibleStartMemo memo;
  const WeeklySpan monday{Weekday::kMonday, 8 * 60, 16 * 60};
  const WeeklySpan tuesday{Weekday::kTuesday, 8 * 60, 16 * 60};
  EXPECT_EQ(memo.Find(monday), -1);
  memo.Put(monday, true);
  memo.Put(tuesday, false);
  EXPECT_EQ(memo.Find(monday), 1);
  EXPECT_EQ(memo.Find(tuesday), 0);
  EXPECT_EQ(memo.Find(WeeklySpan{Weekday::kMonday, 8 * 60, 16 * 60 + 15}), -1);
  // Beyond half its capacity it stores nothing more, and still answers what it has.
  for (int i = 0; i < FlexibleStartMemo::kCapacity; ++i) {
    memo.Put(WeeklySpan{Weekday::kSunday, i, i + 60}, i % 2 == 0);
  }
  EXPECT_EQ(memo.Find(monday), 1);
  EXPECT_EQ(memo.Find(tuesday), 0);
  EXPECT_EQ(memo.Find(WeeklySpan{Weekday::kSunday, 0, 60}), 1);
  EXPECT_EQ(memo.Find(WeeklySpan{Weekday::kSunday, FlexibleStartMemo::kCapacity - 1,
                                 FlexibleStartMemo::kCapacity + 59}),
            -1);
}

TEST(VacancyCatalog, UpdatesAreIncrementalAndSnapshotsStayIntact) {
  SyntheticParams params;
  params.towns = 2;
  SyntheticInstance inst = MakeSyntheticInstance(6, 120, /*seed=*/77, params);
  Shared shared(inst);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  VacancyCatalog catalog(*inst.credit);
  catalog.Upsert(shared.records);
  auto before = catalog.snapshot();
  const Participant& p = inst.participants[0];
  const std::vector<CatalogMatch> ranked_before = RankVacanciesNumeric(matcher, p, *before, {});
  ASSERT_EQ(ranked_before.size(), 120u);

  // Change: one vacancy closed, one deleted, one with new hours and a new skill (a new
  // need column), one with a new work setting and licence (the dictionary grows); one
  // employer moves its sites and changes sector.
  std::map<std::string, Vacancy> now;
  for (const Vacancy& v : inst.vacancies) now[v.id] = v;
  std::map<std::string, Employer> employers;
  for (const Employer& e : inst.employers) employers[e.id] = e;
  now["v-000003"].status = VacancyStatus::kClosed;
  now.erase("v-000004");
  Vacancy& changed = now["v-000005"];
  changed.hours_per_week = 12;
  ASSERT_FALSE(changed.tasks.empty());
  changed.tasks[0].skills.push_back({p.skills[0].skill_uri, 1, true});
  Vacancy& grown = now["v-000006"];
  grown.work_settings.push_back("a brand-new setting");
  grown.tasks[0].licence = "CE";
  Employer& moved = employers[now["v-000007"].employer_id];
  moved.sector = "Z99";
  for (Site& s : moved.sites) s.location.point.lat += 0.05;

  std::vector<VacancyCatalog::Record> upserts;
  auto moved_ptr = std::make_shared<const Employer>(moved);
  for (const auto& [id, v] : now) {
    if (v.employer_id == moved.id)
      upserts.push_back({std::make_shared<const Vacancy>(v), moved_ptr});
  }
  for (const char* id : {"v-000003", "v-000005", "v-000006"}) {
    const Vacancy& v = now[id];
    upserts.push_back({std::make_shared<const Vacancy>(v),
                       v.employer_id == moved.id
                           ? moved_ptr
                           : std::make_shared<const Employer>(employers[v.employer_id])});
  }
  catalog.Upsert(upserts);
  catalog.Remove({"v-000004", "v-unknown"});
  auto after = catalog.snapshot();
  EXPECT_EQ(after->size(), 118u);

  // The old snapshot still ranks as before (copy-on-write).
  const std::vector<CatalogMatch> again = RankVacanciesNumeric(matcher, p, *before, {});
  ASSERT_EQ(again.size(), ranked_before.size());
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].entry->vacancy->id, ranked_before[i].entry->vacancy->id);
    EXPECT_EQ(again[i].score, ranked_before[i].score);
  }

  // The new one equals a catalog built from scratch on the changed records, and Explain.
  std::vector<VacancyContext> contexts;
  std::vector<std::shared_ptr<const Employer>> keep;
  VacancyCatalog fresh(*inst.credit);
  std::vector<VacancyCatalog::Record> all;
  for (const auto& [id, v] : now) {
    auto ep = std::make_shared<const Employer>(employers[v.employer_id]);
    auto vp = std::make_shared<const Vacancy>(v);
    all.push_back({vp, ep});
    if (v.status == VacancyStatus::kOpen) contexts.push_back({vp.get(), ep.get(), nullptr});
  }
  fresh.Upsert(all);
  EXPECT_EQ(fresh.size(), 118u);
  for (const Participant& q : inst.participants) {
    const std::vector<MatchResult> want = Reference(matcher, q, contexts, {});
    ExpectSame(RankVacanciesNumeric(matcher, q, *after, {}), want, q.id + " incremental");
    ExpectSame(RankVacanciesNumeric(matcher, q, *fresh.snapshot(), {}), want, q.id + " fresh");
    // Without blocked pairs the grid skips squares: the moved sites are in theirs.
    CatalogFilter fitting;
    fitting.include_blocked = false;
    ExpectSame(RankVacanciesNumeric(matcher, q, *after, fitting),
               Reference(matcher, q, contexts, fitting), q.id + " incremental, fitting");
  }
  CatalogFilter z;
  z.sector_prefixes = {"Z9"};
  std::vector<CatalogMatch> in_z = RankVacanciesNumeric(matcher, p, *after, z);
  EXPECT_FALSE(in_z.empty());
  for (const CatalogMatch& m : in_z) EXPECT_EQ(m.entry->employer->id, moved.id);

  // A vacancy whose employer lost its site is not rankable: removed.
  Employer siteless = moved;
  siteless.sites.clear();
  auto siteless_ptr = std::make_shared<const Employer>(siteless);
  std::vector<VacancyCatalog::Record> gone;
  for (const auto& [id, v] : now) {
    if (v.employer_id == moved.id)
      gone.push_back({std::make_shared<const Vacancy>(v), siteless_ptr});
  }
  catalog.Upsert(gone);
  EXPECT_EQ(catalog.size(), 118u - gone.size());
  EXPECT_TRUE(RankVacanciesNumeric(matcher, p, *catalog.snapshot(), z).empty());
}

// Readers rank snapshots while a writer removes and re-inserts vacancies: every
// snapshot is complete in itself (each of its entries is ranked, none is half-built).
TEST(VacancyCatalog, ReadersSeeWholeSnapshotsWhileAWriterChangesTheCatalog) {
  SyntheticParams params;
  params.towns = 2;
  SyntheticInstance inst = MakeSyntheticInstance(4, 200, /*seed=*/12, params);
  Shared shared(inst);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  VacancyCatalog catalog(*inst.credit);
  catalog.Upsert(shared.records);
  std::atomic<bool> done{false};
  std::thread writer([&]() {
    for (int round = 0; round < 60; ++round) {
      const size_t k = static_cast<size_t>(round * 7) % shared.records.size();
      catalog.Remove({shared.records[k].vacancy->id});
      Vacancy changed = *shared.records[k].vacancy;
      changed.work_settings.push_back("setting " + std::to_string(round));  // grows the dictionary
      catalog.Upsert({{std::make_shared<const Vacancy>(changed), shared.records[k].employer}});
    }
    done = true;
  });
  int rounds = 0;
  while (!done || rounds < 5) {
    std::shared_ptr<const VacancyCatalog::Snapshot> snap = catalog.snapshot();
    const std::vector<CatalogMatch> all =
        RankVacanciesNumeric(matcher, inst.participants[rounds % 4], *snap, {});
    ASSERT_EQ(all.size(), snap->size());
    std::set<std::string> ids;
    for (const CatalogMatch& m : all) ids.insert(m.entry->vacancy->id);
    ASSERT_EQ(ids.size(), all.size());
    ++rounds;
  }
  writer.join();
  EXPECT_EQ(catalog.size(), 200u);
}

TEST(VacancyCatalog, ParticipantsAgainstOneVacancyAgreeWithExplain) {
  SyntheticParams params;
  params.towns = 2;
  SyntheticInstance inst = MakeSyntheticInstance(300, 25, /*seed=*/4, params);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  CatalogFilter f;
  for (const VacancyContext& c : inst.contexts) {
    absl::StatusOr<std::vector<ParticipantMatch>> got =
        RankParticipantsNumeric(matcher, c, inst.participant_ptrs, f);
    ASSERT_TRUE(got.ok()) << got.status();
    absl::StatusOr<std::vector<MatchResult>> want =
        matcher.RankParticipants(c, inst.participant_ptrs, MatchOptions{0, true});
    ASSERT_TRUE(want.ok());
    ASSERT_EQ(got->size(), want->size());
    for (size_t i = 0; i < got->size(); ++i) {
      const ParticipantMatch& g = (*got)[i];
      const MatchResult& w = (*want)[i];
      EXPECT_EQ(inst.participants[static_cast<size_t>(g.index)].id, w.participant_id);
      EXPECT_EQ(g.tier, w.tier);
      EXPECT_EQ(g.score, w.score);
      EXPECT_EQ(g.commute_minutes, w.commute_minutes);
      EXPECT_EQ(g.commute_mode, w.commute_mode);
      EXPECT_EQ(g.parts.commute, w.parts.commute);
    }
  }
  CatalogFilter fitting;
  fitting.include_blocked = false;
  absl::StatusOr<std::vector<ParticipantMatch>> some =
      RankParticipantsNumeric(matcher, inst.contexts[0], inst.participant_ptrs, fitting);
  ASSERT_TRUE(some.ok());
  for (const ParticipantMatch& m : *some) EXPECT_NE(m.tier, Tier::kBlocked);
}

TEST(VacancyCatalog, ParticipantRankingErrors) {
  SyntheticInstance inst = MakeSyntheticInstance(2, 1, /*seed=*/1);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  VacancyContext no_employer{&inst.vacancies[0], nullptr, nullptr};
  EXPECT_EQ(
      RankParticipantsNumeric(matcher, no_employer, inst.participant_ptrs, {}).status().code(),
      absl::StatusCode::kInvalidArgument);
  Vacancy lost = inst.vacancies[0];
  lost.site_id = "no-such-site";
  VacancyContext bad_site{&lost, inst.contexts[0].employer, nullptr};
  EXPECT_EQ(RankParticipantsNumeric(matcher, bad_site, inst.participant_ptrs, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RankParticipantsNumeric(matcher, inst.contexts[0], {nullptr}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carvematch
