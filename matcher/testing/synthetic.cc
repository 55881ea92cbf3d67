#include "matcher/testing/synthetic.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace carvematch {

int SyntheticSkillCredit::AddSkill(const std::string& uri, const std::string& label) {
  const int index = size();
  uris_.push_back(uri);
  labels_.push_back(label);
  index_[uri] = index;
  related_.emplace_back();
  return index;
}

void SyntheticSkillCredit::Relate(int have, int need, float credit) {
  related_[static_cast<size_t>(have)].push_back({need, credit, "essential related skill"});
}

int SyntheticSkillCredit::Index(std::string_view uri) const {
  auto it = index_.find(std::string(uri));
  return it == index_.end() ? -1 : it->second;
}

std::string SyntheticSkillCredit::Label(std::string_view uri) const {
  const int i = Index(uri);
  return i < 0 ? std::string(uri) : labels_[static_cast<size_t>(i)];
}

const std::vector<CreditEdge>& SyntheticSkillCredit::Related(int have) const {
  static const std::vector<CreditEdge>* const kNone = new std::vector<CreditEdge>();
  if (have < 0 || have >= size()) return *kNone;
  return related_[static_cast<size_t>(have)];
}

namespace {

constexpr int kFamilySize = 20;

// Portable draws on top of mt19937_64 (the standard distributions differ between
// library implementations; these do not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  double Uniform() { return static_cast<double>(gen_() >> 11) * (1.0 / 9007199254740992.0); }
  int Int(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(gen_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  double Normal() {  // Box-Muller
    double u1 = std::max(Uniform(), 1e-12);
    double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& xs) {
    return xs[static_cast<size_t>(Int(0, static_cast<int>(xs.size()) - 1))];
  }

 private:
  std::mt19937_64 gen_;
};

struct Town {
  const char* name;
  double lat, lon;
};

const std::vector<Town>& Towns() {
  static const std::vector<Town>* const kTowns = new std::vector<Town>{
      {"Gent", 51.054, 3.717},         {"Antwerpen", 51.219, 4.402},
      {"Brugge", 51.209, 3.224},       {"Leuven", 50.879, 4.701},
      {"Mechelen", 51.026, 4.478},     {"Aalst", 50.938, 4.039},
      {"Kortrijk", 50.828, 3.265},     {"Hasselt", 50.931, 5.338},
      {"Sint-Niklaas", 51.165, 4.144}, {"Oostende", 51.216, 2.927},
      {"Genk", 50.965, 5.500},         {"Roeselare", 50.946, 3.123},
      {"Dendermonde", 51.028, 4.101},  {"Turnhout", 51.322, 4.944},
      {"Lokeren", 51.104, 3.993},      {"Geel", 51.162, 4.991},
      {"Vilvoorde", 50.928, 4.429},    {"Ninove", 50.828, 4.024},
      {"Waregem", 50.889, 3.426},      {"Ieper", 50.851, 2.886},
      {"Lier", 51.131, 4.570},         {"Eeklo", 51.185, 3.557},
      {"Oudenaarde", 50.845, 3.605},   {"Tienen", 50.807, 4.938},
      {"Mol", 51.191, 5.116},          {"Tongeren", 50.781, 5.464},
      {"Herentals", 51.177, 4.836},    {"Zottegem", 50.869, 3.810},
      {"Deinze", 50.984, 3.527},       {"Wetteren", 51.006, 3.883},
  };
  return *kTowns;
}

// A point around a town: ~3 km standard deviation, a few further out.
Location Around(Rng& rng, const Town& town) {
  const double sd_km = rng.Chance(0.15) ? 8.0 : 3.0;
  const double dlat = rng.Normal() * sd_km / 111.0;
  const double dlon = rng.Normal() * sd_km / (111.0 * std::cos(town.lat * M_PI / 180.0));
  Location l;
  l.point = {town.lat + dlat, town.lon + dlon};
  l.municipality = town.name;
  return l;
}

const std::vector<std::string>& Sectors() {
  static const std::vector<std::string>* const kSectors = new std::vector<std::string>{
      "C10", "C25", "F41", "F43", "G46", "G47", "H49", "H52", "I55", "I56",
      "N81", "N78", "Q86", "Q87", "Q88", "S96", "A01", "E38", "M73", "R93"};
  return *kSectors;
}

const std::vector<std::string>& Settings() {
  static const std::vector<std::string>* const kSettings =
      new std::vector<std::string>{"private_homes", "outdoor", "cold_storage", "heights"};
  return *kSettings;
}

std::vector<Weekday> Weekdays(int first, int last) {
  std::vector<Weekday> days;
  for (int d = first; d <= last; ++d) days.push_back(static_cast<Weekday>(d));
  return days;
}

CefrLevel Level(int x) { return static_cast<CefrLevel>(std::clamp(x, 0, 6)); }

}  // namespace

SyntheticInstance MakeSyntheticInstance(int num_participants, int num_vacancies, uint64_t seed,
                                        const SyntheticParams& params) {
  Rng rng(seed);
  SyntheticInstance inst;
  inst.credit = std::make_unique<SyntheticSkillCredit>();
  SyntheticSkillCredit& credit = *inst.credit;
  const int skill_count = std::max(kFamilySize, params.skill_count);
  for (int s = 0; s < skill_count; ++s) {
    credit.AddSkill(absl::StrFormat("synth:skill/%05d", s), absl::StrCat("skill ", s));
  }
  const int families = skill_count / kFamilySize;
  for (int s = 0; s < skill_count; ++s) {
    const int family = std::min(s / kFamilySize, families - 1);
    const int edges = rng.Int(2, 6);
    for (int e = 0; e < edges; ++e) {
      int need = family * kFamilySize + rng.Int(0, kFamilySize - 1);
      if (rng.Chance(0.1)) need = rng.Int(0, skill_count - 1);
      if (need == s || need >= skill_count) continue;
      credit.Relate(s, need, static_cast<float>(rng.Int(3, 9)) / 10.0f);
    }
  }
  auto skill_in = [&](int family) {
    return credit.uri(
        std::min(skill_count - 1, family * kFamilySize + rng.Int(0, kFamilySize - 1)));
  };
  const std::vector<Town>& towns = Towns();
  auto town = [&]() -> const Town& {
    // Bigger towns first in the list: favour them.
    const int n = std::clamp(params.towns, 1, static_cast<int>(towns.size()));
    const int i = std::min(rng.Int(0, n - 1), rng.Int(0, n - 1));
    return towns[static_cast<size_t>(i)];
  };

  // ---- Participants.
  const std::vector<EvidenceSource> sources = {EvidenceSource::kWork,
                                               EvidenceSource::kWork,
                                               EvidenceSource::kDiploma,
                                               EvidenceSource::kForeignDiploma,
                                               EvidenceSource::kVolunteering,
                                               EvidenceSource::kCare,
                                               EvidenceSource::kYouthWork,
                                               EvidenceSource::kHobby,
                                               EvidenceSource::kTraining,
                                               EvidenceSource::kPartialCertificate,
                                               EvidenceSource::kWorkshopObservation};
  inst.participants.resize(static_cast<size_t>(std::max(0, num_participants)));
  for (int i = 0; i < num_participants; ++i) {
    Participant& p = inst.participants[static_cast<size_t>(i)];
    p.id = absl::StrFormat("p-%06d", i);
    p.organisation_id = "org-1";
    p.home = Around(rng, town());
    p.transport_modes = {TransportMode::kWalk};
    if (rng.Chance(0.6)) p.transport_modes.push_back(TransportMode::kBike);
    if (rng.Chance(0.1)) p.transport_modes.push_back(TransportMode::kEBike);
    if (rng.Chance(0.05)) p.transport_modes.push_back(TransportMode::kMoped);
    if (rng.Chance(0.5)) p.transport_modes.push_back(TransportMode::kPublicTransport);
    if (rng.Chance(0.4)) p.licences.push_back("B");
    if (rng.Chance(0.05)) p.licences.push_back("AM");
    if (rng.Chance(0.03)) p.licences.push_back("C");
    if (rng.Chance(0.35)) p.transport_modes.push_back(TransportMode::kCar);
    p.max_commute_minutes = rng.Int(4, 12) * 5;
    const double avail = rng.Uniform();
    if (avail < 0.35) {
      // available always
    } else if (avail < 0.6) {
      for (Weekday d : Weekdays(1, 5)) p.availability.push_back({d, 7 * 60, 19 * 60});
    } else if (avail < 0.8) {
      for (Weekday d : Weekdays(1, 5)) p.availability.push_back({d, 8 * 60 + 30, 15 * 60});
    } else if (avail < 0.9) {
      for (Weekday d : Weekdays(1, 6)) p.availability.push_back({d, 6 * 60, 22 * 60});
    } else {
      // Evenings and nights, Sunday included (runs past midnight into the next day).
      for (Weekday d : Weekdays(1, 7)) p.availability.push_back({d, 17 * 60, 30 * 60 + 30});
    }
    if (rng.Chance(0.25)) {
      Childcare school;
      school.label = "school + after-school care";
      school.location = Around(rng, town());
      school.location.point = {p.home.point.lat + rng.Normal() * 0.01,
                               p.home.point.lon + rng.Normal() * 0.015};
      const int opens = rng.Chance(0.5) ? 7 * 60 : 7 * 60 + 30;
      const int closes = rng.Chance(0.5) ? 18 * 60 : 17 * 60 + 30;
      for (Weekday d :
           {Weekday::kMonday, Weekday::kTuesday, Weekday::kThursday, Weekday::kFriday}) {
        school.opening_hours.push_back({d, opens, closes});
      }
      school.opening_hours.push_back({Weekday::kWednesday, opens, 12 * 60 + 30});
      p.childcare.push_back(school);
      if (rng.Chance(0.6)) {
        Childcare wednesday;
        wednesday.label = "Wednesday afternoon care";
        wednesday.location = school.location;
        wednesday.opening_hours.push_back({Weekday::kWednesday, 12 * 60, closes});
        p.childcare.push_back(wednesday);
      }
    }
    p.min_hours_per_week = rng.Pick(std::vector<double>{0, 0, 12.7, 19, 25, 30});
    p.max_hours_per_week =
        std::max(p.min_hours_per_week, rng.Pick(std::vector<double>{19, 25, 30, 38, 38, 40}));
    const int families_of_p = rng.Chance(0.6) ? 1 : 2;
    const int f1 = rng.Int(0, families - 1);
    const int f2 = rng.Int(0, families - 1);
    const int n_skills = std::max(3, std::min(16, params.skills_per_participant + rng.Int(-4, 4)));
    for (int s = 0; s < n_skills; ++s) {
      SkillClaim c;
      const double where = rng.Uniform();
      c.skill_uri = where < 0.1                          ? credit.uri(rng.Int(0, skill_count - 1))
                    : where < 0.55 || families_of_p == 1 ? skill_in(f1)
                                                         : skill_in(f2);
      int level = rng.Int(0, 4);
      if (rng.Chance(0.5)) level -= 1;
      if (rng.Chance(0.3)) level += 1;
      c.level = std::clamp(level, 0, 4);
      c.source = rng.Pick(sources);
      p.skills.push_back(c);
    }
    const int dutch = rng.Int(0, 5);
    for (int li = 0; li < kLanguageSkillCount; ++li) {
      p.dutch.levels[li] = Level(dutch + rng.Int(-1, 1) - (li == 3 ? 1 : 0));
    }
    if (rng.Chance(0.2)) p.capacities.max_lift_kg = rng.Pick(std::vector<int>{5, 10, 15, 20});
    p.capacities.prolonged_standing = !rng.Chance(0.1);
    p.capacities.night_work = !rng.Chance(0.3);
    p.capacities.customer_contact = !rng.Chance(0.1);
    p.capacities.working_alone = !rng.Chance(0.15);
    p.capacities.digital_tools = rng.Int(1, 4);
    if (rng.Chance(0.1)) p.exclusions.push_back(rng.Pick(Settings()));
    if (rng.Chance(0.3)) p.wanted_sectors.push_back(rng.Pick(Sectors()).substr(0, rng.Int(1, 3)));
    if (rng.Chance(0.1)) p.avoided_sectors.push_back(rng.Pick(Sectors()));
    if (rng.Chance(0.1)) p.wanted_occupations.push_back(absl::StrCat("synth:occ/", f1));
    if (rng.Chance(0.03)) p.avoided_occupations.push_back(absl::StrCat("synth:occ/", f2));
    if (rng.Chance(0.3)) {
      p.target_outcomes.push_back(TargetOutcome::kPaidJob);
      if (rng.Chance(0.5)) p.target_outcomes.push_back(TargetOutcome::kInternship);
      if (rng.Chance(0.3)) p.target_outcomes.push_back(TargetOutcome::kVolunteering);
    }
  }

  // ---- Employers and sites.
  const int num_employers =
      std::max(1, (std::max(0, num_vacancies) + params.vacancies_per_employer - 1) /
                      std::max(1, params.vacancies_per_employer));
  inst.employers.resize(static_cast<size_t>(num_employers));
  for (int e = 0; e < num_employers; ++e) {
    Employer& emp = inst.employers[static_cast<size_t>(e)];
    emp.id = absl::StrFormat("e-%06d", e);
    emp.organisation_id = "org-1";
    emp.display_name = absl::StrCat("employer ", e);
    emp.sector = rng.Pick(Sectors());
    const Town& home_town = town();
    const int n_sites = rng.Int(1, 3);
    for (int s = 0; s < n_sites; ++s) {
      Site site;
      site.id = absl::StrCat("s-", s);
      site.name = absl::StrCat("site ", s);
      site.location = Around(rng, s == 0 ? home_town : town());
      emp.sites.push_back(site);
    }
  }

  // ---- Vacancies.
  const std::vector<Accommodation> all_acc = {
      Accommodation::kLanguageCoaching, Accommodation::kMentor,
      Accommodation::kFlexibleStart,    Accommodation::kCompanyTransport,
      Accommodation::kCarpool,          Accommodation::kBikeLease,
      Accommodation::kChildcareSupport, Accommodation::kWorkplaceLearning};
  inst.vacancies.resize(static_cast<size_t>(std::max(0, num_vacancies)));
  std::vector<int> employer_of;
  for (int i = 0; i < num_vacancies; ++i) {
    Vacancy& v = inst.vacancies[static_cast<size_t>(i)];
    const int employer = rng.Int(0, num_employers - 1);
    employer_of.push_back(employer);
    const Employer& emp = inst.employers[static_cast<size_t>(employer)];
    v.id = absl::StrFormat("v-%06d", i);
    v.employer_id = emp.id;
    v.site_id = rng.Pick(emp.sites).id;
    const int family = rng.Int(0, families - 1);
    v.occupation_uri = absl::StrCat("synth:occ/", family);
    v.title = absl::StrCat("job ", i);
    const double pattern = rng.Uniform();
    if (pattern < 0.35) {
      for (Weekday d : Weekdays(1, 5)) v.shifts.push_back({d, 8 * 60, 16 * 60 + 30});
      v.hours_per_week = 38;
    } else if (pattern < 0.5) {
      for (Weekday d : Weekdays(1, 5)) v.shifts.push_back({d, 6 * 60, 14 * 60});
      v.hours_per_week = 38;
    } else if (pattern < 0.6) {
      for (Weekday d : Weekdays(1, 5)) v.shifts.push_back({d, 14 * 60, 22 * 60});
      v.hours_per_week = 38;
    } else if (pattern < 0.67) {
      // Sunday to Thursday nights; the Sunday one runs into Monday (the week wraps).
      for (Weekday d : Weekdays(1, 4)) v.shifts.push_back({d, 22 * 60, 30 * 60});
      v.shifts.push_back({Weekday::kSunday, 22 * 60, 30 * 60});
      v.hours_per_week = 38;
    } else if (pattern < 0.75) {
      for (Weekday d : Weekdays(6, 7)) v.shifts.push_back({d, 9 * 60, 17 * 60 + 30});
      v.hours_per_week = 16;
    } else if (pattern < 0.9) {
      const int start = rng.Pick(std::vector<int>{7 * 60 + 30, 8 * 60, 8 * 60 + 45, 9 * 60});
      for (Weekday d : Weekdays(1, 4)) v.shifts.push_back({d, start, start + 4 * 60});
      v.hours_per_week = 16;
    } else {
      v.hours_per_week = rng.Chance(0.5) ? 0 : 20;
    }
    v.contract_type = static_cast<ContractType>(rng.Int(0, 4));
    v.predictable_schedule = !rng.Chance(0.2);
    const double outcome = rng.Uniform();
    v.outcome = outcome < 0.75   ? TargetOutcome::kPaidJob
                : outcome < 0.85 ? TargetOutcome::kTempWork
                : outcome < 0.93 ? TargetOutcome::kInternship
                                 : TargetOutcome::kVolunteering;
    const int n_req = rng.Int(params.min_requirements, params.max_requirements);
    const int n_tasks = rng.Int(1, 4);
    v.tasks.resize(static_cast<size_t>(n_tasks));
    for (int t = 0; t < n_tasks; ++t) {
      Task& task = v.tasks[static_cast<size_t>(t)];
      task.id = absl::StrCat("t-", t);
      task.description = absl::StrCat("task ", t, " of ", v.id);
      task.hours_per_week = v.hours_per_week > 0 ? v.hours_per_week / n_tasks : 5;
      task.dutch.levels[0] = Level(rng.Int(0, 3));
      task.dutch.levels[1] = Level(rng.Int(0, 3));
      task.dutch.levels[2] = Level(rng.Int(0, 3));
      task.dutch.levels[3] = Level(rng.Int(0, 2));
      task.lift_kg = rng.Pick(std::vector<int>{0, 0, 0, 5, 10, 15, 25});
      task.prolonged_standing = rng.Chance(0.3);
      if (rng.Chance(0.05)) task.licence = "B";
      if (rng.Chance(0.02)) task.licence = "C";
      if (rng.Chance(0.03)) task.reserved_to_qualification = "registered nurse";
      task.time_of_day = rng.Chance(0.05) ? TimeOfDay::kNight : TimeOfDay::kDay;
      task.alongside_colleagues = !rng.Chance(0.1);
      task.customer_contact = rng.Chance(0.3);
      task.digital_tools = rng.Pick(std::vector<int>{0, 0, 1, 1, 2, 3});
    }
    for (int r = 0; r < n_req; ++r) {
      SkillRequirement req;
      req.skill_uri = rng.Chance(0.85) ? skill_in(family) : credit.uri(rng.Int(0, skill_count - 1));
      req.level = rng.Int(1, 3);
      if (rng.Chance(0.1)) req.level = rng.Chance(0.5) ? 0 : 4;
      req.essential = rng.Chance(0.7);
      v.tasks[static_cast<size_t>(rng.Int(0, n_tasks - 1))].skills.push_back(req);
    }
    for (Accommodation a : all_acc) {
      if (rng.Chance(0.2)) v.accommodations.push_back(a);
    }
    if (rng.Chance(0.15)) v.work_settings.push_back(rng.Pick(Settings()));
    v.capacity = rng.Int(1, 3);
    v.hourly_cost_eur = 20 + rng.Int(0, 20);
  }

  for (const Participant& p : inst.participants) inst.participant_ptrs.push_back(&p);
  for (size_t i = 0; i < inst.vacancies.size(); ++i) {
    inst.contexts.push_back(
        {&inst.vacancies[i], &inst.employers[static_cast<size_t>(employer_of[i])], nullptr});
  }
  return inst;
}

}  // namespace carvematch
