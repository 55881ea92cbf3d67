#include "jobcarving/testing/carving_scenario.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace carvematch {
namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int Int(int lo, int hi) {
    return lo + static_cast<int>(gen_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) {
    return static_cast<double>(gen_() >> 11) * (1.0 / 9007199254740992.0) < p;
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace

CarveRequest CarvingScenario::Request() const {
  CarveRequest r;
  r.employer = employer;
  for (const Vacancy& v : *vacancies) r.vacancies.push_back(&v);
  r.pool = pool;
  return r;
}

CarvingScenario MakeCarvingScenario(const CarvingScenarioParams& params, uint64_t seed) {
  CarvingScenario s;
  SyntheticParams sp;
  sp.towns = 2;  // a compact region: most of the pool can reach the site
  s.base = MakeSyntheticInstance(params.pool, 1, seed, sp);
  s.travel = std::make_unique<TravelModel>();
  s.matcher = std::make_unique<Matcher>(*s.base.credit, *s.travel);
  s.employer = &s.base.employers[0];
  s.pool = s.base.participant_ptrs;
  s.vacancies = std::make_unique<std::vector<Vacancy>>();
  Rng rng(seed * 7919 + 13);
  const std::vector<Accommodation> offers = {Accommodation::kLanguageCoaching,
                                             Accommodation::kMentor, Accommodation::kFlexibleStart,
                                             Accommodation::kWorkplaceLearning};
  // Elementary skills many people have (the first 8 of the skill space): each
  // participant gets each one with probability 1/2, at level 0..2.
  std::vector<std::string> elementary;
  for (int k = 0; k < 8 && k < s.base.credit->size(); ++k)
    elementary.push_back(s.base.credit->uri(k));
  for (Participant& p : s.base.participants) {
    for (const std::string& uri : elementary) {
      if (rng.Chance(0.5)) {
        p.skills.push_back({uri, rng.Int(0, 2),
                            rng.Chance(0.5) ? EvidenceSource::kWork : EvidenceSource::kVolunteering,
                            ""});
      }
    }
  }
  // The site where the first participant lives: a compact local labour market.
  s.base.employers[0].sites[0].location = s.pool[0]->home;
  const Site& site = s.employer->sites[0];
  for (int vi = 0; vi < params.vacancies; ++vi) {
    Vacancy v;
    v.id = absl::StrCat("v-carve-", vi);
    v.employer_id = s.employer->id;
    v.site_id = site.id;
    v.title = absl::StrCat("Qualified role ", vi);
    const bool early = rng.Chance(0.3);
    for (int d = 1; d <= 5; ++d) {
      v.shifts.push_back(
          {static_cast<Weekday>(d), early ? 6 * 60 : 8 * 60, early ? 14 * 60 : 16 * 60});
    }
    v.contract_type = ContractType::kOpenEnded;
    v.hourly_cost_eur = 38 + rng.Int(0, 16);
    for (Accommodation a : offers) {
      if (rng.Chance(0.4)) v.accommodations.push_back(a);
    }
    for (int ti = 0; ti < params.tasks; ++ti) {
      Task t;
      t.id = absl::StrCat("t", ti);
      t.description = absl::StrCat("task ", ti, " of role ", vi);
      t.hours_per_week = 0.5 * rng.Int(1, 8);
      // One essential elementary skill, sometimes an optional skill of the pool.
      t.skills.push_back(
          {elementary[static_cast<size_t>(rng.Int(0, static_cast<int>(elementary.size()) - 1))],
           rng.Int(0, 1), true});
      const Participant& donor =
          *s.pool[static_cast<size_t>(rng.Int(0, static_cast<int>(s.pool.size()) - 1))];
      if (!donor.skills.empty() && rng.Chance(0.5)) {
        t.skills.push_back({donor.skills[0].skill_uri, rng.Int(0, 2), false});
      }
      if (rng.Chance(params.expert_share) && !t.skills.empty()) t.skills[0].level = 3;
      if (rng.Chance(params.reserved_share)) t.reserved_to_qualification = "qualified staff";
      t.dutch.at(LanguageSkill::kListening) = static_cast<CefrLevel>(rng.Int(1, 2));
      t.dutch.at(LanguageSkill::kSpeaking) = static_cast<CefrLevel>(rng.Int(0, 2));
      if (rng.Chance(0.3))
        t.dutch.at(LanguageSkill::kReading) = static_cast<CefrLevel>(rng.Int(1, 3));
      t.lift_kg = rng.Chance(0.3) ? rng.Int(5, 25) : 0;
      t.prolonged_standing = rng.Chance(0.4);
      t.time_of_day = early ? (rng.Chance(0.7) ? TimeOfDay::kEarly : TimeOfDay::kDay)
                            : (rng.Chance(0.85) ? TimeOfDay::kDay : TimeOfDay::kLate);
      t.alongside_colleagues = rng.Chance(0.9);
      t.customer_contact = rng.Chance(0.2);
      t.digital_tools = rng.Int(0, 2);
      if (rng.Chance(0.05)) t.licence = "B";
      v.hours_per_week += t.hours_per_week;
      v.tasks.push_back(std::move(t));
    }
    s.vacancies->push_back(std::move(v));
  }
  return s;
}

}  // namespace carvematch
