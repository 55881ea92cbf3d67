#include "jobcarving/requirement_review.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "model/status.h"

namespace carvematch {
namespace {

constexpr char kStatedTaskId[] = "stated-requirements";

std::string Str(std::string_view s) { return std::string(s.data(), s.size()); }

std::string Hours(double h) { return absl::StrFormat("%g", std::round(h * 100) / 100); }

std::string TaskName(const Task& t) {
  return absl::StrCat("'", t.description.empty() ? t.id : t.description, "'");
}

bool IsWeekend(Weekday d) { return d == Weekday::kSaturday || d == Weekday::kSunday; }

double SpanHours(const WeeklySpan& s) { return (s.end_minute - s.start_minute) / 60.0; }

std::string_view DiplomaText(DiplomaLevel d) {
  switch (d) {
    case DiplomaLevel::kNone:
      return "no diploma";
    case DiplomaLevel::kPrimary:
      return "primary school";
    case DiplomaLevel::kLowerSecondary:
      return "lower secondary";
    case DiplomaLevel::kSecondary:
      return "secondary school";
    case DiplomaLevel::kBachelor:
      return "bachelor";
    case DiplomaLevel::kMaster:
      return "master";
    case DiplomaLevel::kUnspecified:
      break;
  }
  return "unspecified";
}

// Per-task levels of one requirement and what moving a few tasks would do.
struct LevelProfile {
  int need = 0;                 // max over tasks
  std::vector<size_t> at_need;  // tasks needing `need`
  double need_hours = 0;
  std::optional<int> alternative;  // lowest level reachable by moving a small share
  std::vector<size_t> to_move;     // tasks above `alternative`
  double move_hours = 0;
};

LevelProfile Profile(const Vacancy& v, const std::vector<int>& level, double total, double share) {
  LevelProfile p;
  for (int l : level) p.need = std::max(p.need, l);
  if (p.need == 0) return p;
  for (size_t i = 0; i < level.size(); ++i) {
    if (level[i] == p.need) {
      p.at_need.push_back(i);
      p.need_hours += v.tasks[i].hours_per_week;
    }
  }
  for (int l = 0; l < p.need; ++l) {
    double hours = 0;
    bool reserved = false;
    std::vector<size_t> above;
    for (size_t i = 0; i < level.size(); ++i) {
      if (level[i] > l) {
        hours += v.tasks[i].hours_per_week;
        reserved = reserved || !v.tasks[i].reserved_to_qualification.empty();
        above.push_back(i);
      }
    }
    if (!reserved && total > 0 && hours <= share * total + 1e-9) {
      p.alternative = l;
      p.to_move = std::move(above);
      p.move_hours = hours;
      break;
    }
  }
  return p;
}

std::string TaskList(const Vacancy& v, const std::vector<size_t>& tasks) {
  std::vector<std::string> parts;
  for (size_t i : tasks) {
    parts.push_back(
        absl::StrCat(TaskName(v.tasks[i]), " (", Hours(v.tasks[i].hours_per_week), " h)"));
  }
  if (parts.size() <= 1) return absl::StrJoin(parts, "");
  const std::string last = parts.back();
  parts.pop_back();
  return absl::StrCat(absl::StrJoin(parts, ", "), " and ", last);
}

// One requirement under review, with how to drop it and how to lower it on a copy of
// the "as stated" vacancy.
struct Spec {
  RequirementReviewItem item;
  std::vector<size_t> tasks;  // indexes for item.task_ids
  std::function<void(Vacancy*)> drop;
  std::function<void(Vacancy*)> lower;  // to item.lowered_level
  // How the lowered level reads in the pool sentence ("at A2", "without it").
  std::string lowered_text;
  std::string counts_unknown_reason;  // non-empty: no pool counts
  std::string custom_head;            // replaces the class sentence (the Dutch summary)
};

// Most demanding first: essential, trainable, alternative exists, nice to have.
int Demand(RequirementClass c) {
  switch (c) {
    case RequirementClass::kEssential:
      return 3;
    case RequirementClass::kTrainable:
      return 2;
    case RequirementClass::kAlternativeExists:
      return 1;
    default:
      return 0;
  }
}

// The vacancy as stated: its tasks plus zero-hour pseudo tasks carrying the stated
// Dutch levels, skills and licences.
Vacancy AsStated(const Vacancy& v) {
  Vacancy s = v;
  Task stated;
  stated.id = kStatedTaskId;
  stated.description = "stated requirements";
  stated.hours_per_week = 0;
  stated.dutch = v.stated.dutch;
  stated.skills = v.stated.skills;
  if (!v.stated.licences.empty()) stated.licence = v.stated.licences[0];
  s.tasks.push_back(stated);
  for (size_t i = 1; i < v.stated.licences.size(); ++i) {
    Task lic;
    lic.id = absl::StrCat(kStatedTaskId, "-licence-", i);
    lic.description = "stated licence";
    lic.licence = v.stated.licences[i];
    s.tasks.push_back(lic);
  }
  return s;
}

void RemoveLicence(Vacancy* v, const std::string& category, bool tasks_too) {
  for (Task& t : v->tasks) {
    const bool pseudo = t.id.rfind(kStatedTaskId, 0) == 0;
    if (t.licence == category && (pseudo || tasks_too)) t.licence.clear();
  }
}

// Skill `uri` capped at `level` (-1 removes it) in the pseudo task and, with
// tasks_too, in every task.
void CapSkill(Vacancy* v, const std::string& uri, int level, bool tasks_too) {
  for (Task& t : v->tasks) {
    const bool pseudo = t.id == kStatedTaskId;
    if (!pseudo && !tasks_too) continue;
    std::vector<SkillRequirement> kept;
    for (SkillRequirement s : t.skills) {
      if (s.skill_uri == uri) {
        if (level < 0) continue;
        s.level = pseudo ? level : std::min(s.level, level);
      }
      kept.push_back(s);
    }
    t.skills = std::move(kept);
  }
}

}  // namespace

std::string_view RequirementClassName(RequirementClass c) {
  switch (c) {
    case RequirementClass::kEssential:
      return "essential";
    case RequirementClass::kTrainable:
      return "trainable";
    case RequirementClass::kNiceToHave:
      return "nice to have";
    case RequirementClass::kAlternativeExists:
      return "alternative exists";
    case RequirementClass::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view RequirementKindName(RequirementKind k) {
  switch (k) {
    case RequirementKind::kDiploma:
      return "diploma";
    case RequirementKind::kDutch:
      return "dutch";
    case RequirementKind::kLicence:
      return "licence";
    case RequirementKind::kExperience:
      return "experience";
    case RequirementKind::kSkill:
      return "skill";
    case RequirementKind::kDigitalTools:
      return "digital_tools";
    case RequirementKind::kWeekendAvailability:
      return "weekend_availability";
    case RequirementKind::kEarlyAvailability:
      return "early_availability";
    case RequirementKind::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string LanguageLevelText(CefrLevel level) {
  static constexpr const char* kFlemish[] = {"", "1.1", "1.2", "2", "3", "4", ""};
  if (level == CefrLevel::kNone) return "none";
  const char* f = kFlemish[static_cast<int>(level)];
  if (f[0] == '\0') return Str(CefrName(level));
  return absl::StrCat(Str(CefrName(level)), " (Flemish level ", f, ")");
}

absl::StatusOr<RequirementReview> ReviewRequirements(const Matcher& matcher,
                                                     const VacancyContext& context,
                                                     const std::vector<const Participant*>& pool,
                                                     const ReviewOptions& options) {
  ViolationCollector c;
  if (context.vacancy == nullptr) c.Add("vacancy.vacancy", "is missing");
  if (context.employer == nullptr) c.Add("vacancy.employer", "is missing");
  if (!(options.alternative_max_share > 0 && options.alternative_max_share < 1)) {
    c.Add("options.alternative_max_share", "must be in (0, 1)");
  }
  if (options.dutch_months_per_level < 1) c.Add("options.dutch_months_per_level", "must be >= 1");
  if (options.skill_months_per_level < 1) c.Add("options.skill_months_per_level", "must be >= 1");
  if (options.digital_months_per_level < 1) {
    c.Add("options.digital_months_per_level", "must be >= 1");
  }
  if (options.max_learnable_skill_level < 0 || options.max_learnable_skill_level > 4) {
    c.Add("options.max_learnable_skill_level", "must be 0..4");
  }
  if (options.early_start_minute < 0 || options.early_start_minute > 24 * 60) {
    c.Add("options.early_start_minute", "must be 0..1440");
  }
  if (!(options.fit.skill_credit_floor >= 0 && options.fit.skill_credit_floor <= 1)) {
    c.Add("options.fit.skill_credit_floor", "must be in [0, 1]");
  }
  for (size_t i = 0; i < pool.size(); ++i) {
    if (pool[i] == nullptr) c.Add(absl::StrCat("pool[", i, "]"), "is missing");
  }
  RETURN_IF_ERROR(c.Finish("invalid requirement review request"));

  const Vacancy& v = *context.vacancy;
  const double share = options.alternative_max_share;
  double total = 0;
  for (const Task& t : v.tasks) total += t.hours_per_week;
  const bool coaching = v.Offers(Accommodation::kLanguageCoaching);
  const bool workplace = v.Offers(Accommodation::kWorkplaceLearning);
  const bool mentor = v.Offers(Accommodation::kMentor);
  const Accommodation skill_support =
      workplace ? Accommodation::kWorkplaceLearning
                : (mentor ? Accommodation::kMentor : Accommodation::kUnspecified);

  std::vector<Spec> specs;
  // Fills classification, tasks and lowered level of a levelled requirement.
  // `learnable`: one level can be learned with `support` in `months`.
  auto classify = [&](Spec* s, const LevelProfile& p, bool learnable, Accommodation support,
                      int months) {
    RequirementReviewItem& it = s->item;
    it.needed_level = p.need;
    if (p.need == 0) {
      it.classification = RequirementClass::kNiceToHave;
      it.lowered_level = 0;
    } else if (learnable) {
      it.classification = RequirementClass::kTrainable;
      it.training_months = months;
      it.support = support;
      it.lowered_level = p.need;
      s->tasks = p.at_need;
      it.task_hours = p.need_hours;
    } else if (p.alternative) {
      it.classification = RequirementClass::kAlternativeExists;
      it.lowered_level = *p.alternative;
      s->tasks = p.to_move;
      it.task_hours = p.move_hours;
    } else {
      it.classification = RequirementClass::kEssential;
      it.lowered_level = p.need;
      s->tasks = p.at_need;
      it.task_hours = p.need_hours;
    }
  };

  // Diploma.
  if (v.stated.diploma != DiplomaLevel::kUnspecified && v.stated.diploma != DiplomaLevel::kNone) {
    Spec s;
    s.item.kind = RequirementKind::kDiploma;
    s.item.key = "diploma";
    s.item.label = "Diploma";
    s.item.stated = Str(DiplomaText(v.stated.diploma));
    s.item.stated_level = static_cast<int>(v.stated.diploma);
    std::vector<int> level;
    std::vector<std::string> quals;
    for (const Task& t : v.tasks) {
      level.push_back(t.reserved_to_qualification.empty() ? 0 : 1);
      if (!t.reserved_to_qualification.empty() &&
          std::find(quals.begin(), quals.end(), t.reserved_to_qualification) == quals.end()) {
        quals.push_back(t.reserved_to_qualification);
      }
    }
    // Moving legally reserved tasks to a qualified colleague is the alternative here.
    LevelProfile p = Profile(v, level, total, share);
    if (p.need > 0 && !p.alternative && total > 0 && p.need_hours <= share * total + 1e-9) {
      p.alternative = 0;
      p.to_move = p.at_need;
      p.move_hours = p.need_hours;
    }
    classify(&s, p, false, Accommodation::kUnspecified, 0);
    s.item.needed = p.need > 0 ? absl::StrCat("the qualification of ", absl::StrJoin(quals, ", "))
                               : "none (no task is legally reserved)";
    s.counts_unknown_reason = "the participant records hold no diploma level";
    specs.push_back(std::move(s));
  }

  // Dutch per language skill.
  for (int li = 0; li < kLanguageSkillCount; ++li) {
    const LanguageSkill skill = static_cast<LanguageSkill>(li);
    std::vector<int> level;
    for (const Task& t : v.tasks) level.push_back(static_cast<int>(t.dutch.get(skill)));
    const LevelProfile p = Profile(v, level, total, share);
    const CefrLevel stated = v.stated.dutch.get(skill);
    if (stated == CefrLevel::kNone && p.need == 0) continue;
    Spec s;
    s.item.kind = RequirementKind::kDutch;
    s.item.key = absl::StrCat("dutch_", Str(LanguageSkillName(skill)));
    s.item.label = absl::StrCat("Dutch ", Str(LanguageSkillName(skill)));
    s.item.stated_level = static_cast<int>(stated);
    s.item.stated = LanguageLevelText(stated);
    classify(&s, p, coaching, Accommodation::kLanguageCoaching, options.dutch_months_per_level);
    s.item.needed = LanguageLevelText(static_cast<CefrLevel>(p.need));
    const int lowered = s.item.lowered_level;
    s.lowered_text = lowered == 0
                         ? "without it"
                         : absl::StrCat("at ", Str(CefrName(static_cast<CefrLevel>(lowered))));
    s.drop = [skill](Vacancy* x) {
      for (Task& t : x->tasks) t.dutch.at(skill) = CefrLevel::kNone;
    };
    s.lower = [skill, lowered](Vacancy* x) {
      const CefrLevel cap = static_cast<CefrLevel>(lowered);
      for (Task& t : x->tasks) {
        if (t.id == kStatedTaskId) {
          t.dutch.at(skill) = cap;
        } else {
          t.dutch.at(skill) = std::min(t.dutch.get(skill), cap);
        }
      }
    };
    specs.push_back(std::move(s));
  }

  // Dutch as a whole, before the per-skill items, when two or more skills are reviewed.
  {
    std::vector<size_t> dutch;
    for (size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].item.kind == RequirementKind::kDutch) dutch.push_back(i);
    }
    if (dutch.size() >= 2) {
      Spec g;
      g.item.kind = RequirementKind::kDutch;
      g.item.key = "dutch";
      g.item.label = "Dutch";
      std::vector<std::string> stated_parts, needed_parts;
      std::vector<int> stated_levels;
      std::vector<size_t> tasks;
      std::vector<std::function<void(Vacancy*)>> drops, lowers;
      g.item.classification = RequirementClass::kNiceToHave;
      for (size_t i : dutch) {
        const RequirementReviewItem& it = specs[i].item;
        const std::string skill = it.key.substr(6);  // after "dutch_"
        const CefrLevel st = static_cast<CefrLevel>(it.stated_level);
        if (st != CefrLevel::kNone) {
          stated_parts.push_back(absl::StrCat(skill, " ", LanguageLevelText(st)));
          stated_levels.push_back(it.stated_level);
        }
        if (it.needed_level > 0) {
          needed_parts.push_back(
              absl::StrCat(LanguageLevelText(static_cast<CefrLevel>(it.needed_level)), " ", skill));
        }
        g.item.stated_level = std::max(g.item.stated_level, it.stated_level);
        g.item.needed_level = std::max(g.item.needed_level, it.needed_level);
        g.item.lowered_level = std::max(g.item.lowered_level, it.lowered_level);
        if (Demand(it.classification) > Demand(g.item.classification)) {
          g.item.classification = it.classification;
        }
        tasks.insert(tasks.end(), specs[i].tasks.begin(), specs[i].tasks.end());
        drops.push_back(specs[i].drop);
        lowers.push_back(specs[i].lower);
      }
      std::sort(tasks.begin(), tasks.end());
      tasks.erase(std::unique(tasks.begin(), tasks.end()), tasks.end());
      g.tasks = tasks;
      for (size_t t : tasks) g.item.task_hours += v.tasks[t].hours_per_week;
      const bool uniform = !stated_levels.empty() &&
                           std::all_of(stated_levels.begin(), stated_levels.end(),
                                       [&](int l) { return l == stated_levels.front(); }) &&
                           stated_levels.size() == dutch.size();
      g.item.stated = uniform ? LanguageLevelText(static_cast<CefrLevel>(stated_levels.front()))
                              : (stated_parts.empty() ? std::string("none")
                                                      : absl::StrJoin(stated_parts, ", "));
      g.item.needed = needed_parts.empty() ? "none" : absl::StrJoin(needed_parts, ", ");
      g.lowered_text = "with each skill lowered as below";
      g.drop = [drops](Vacancy* x) {
        for (const auto& d : drops) d(x);
      };
      g.lower = [lowers](Vacancy* x) {
        for (const auto& l : lowers) l(x);
      };
      g.custom_head = absl::StrCat("Dutch as a whole (the text asks ", g.item.stated,
                                   "; the tasks need ", g.item.needed, ") is ",
                                   Str(RequirementClassName(g.item.classification)), ".");
      specs.insert(specs.begin() + static_cast<std::ptrdiff_t>(dutch.front()), std::move(g));
    }
  }

  // Licences.
  for (const std::string& category : v.stated.licences) {
    Spec s;
    s.item.kind = RequirementKind::kLicence;
    s.item.key = absl::StrCat("licence_", category);
    s.item.label = absl::StrCat("Driving licence ", category);
    s.item.stated = category;
    s.item.stated_level = 1;
    std::vector<int> level;
    for (const Task& t : v.tasks) level.push_back(t.licence == category ? 1 : 0);
    const LevelProfile p = Profile(v, level, total, share);
    classify(&s, p, false, Accommodation::kUnspecified, 0);
    s.item.needed = p.need > 0 ? category : "none";
    const bool remove_from_tasks = s.item.lowered_level == 0;
    s.lowered_text = "without it";
    s.drop = [category](Vacancy* x) { RemoveLicence(x, category, true); };
    s.lower = [category, remove_from_tasks](Vacancy* x) {
      RemoveLicence(x, category, remove_from_tasks);
    };
    specs.push_back(std::move(s));
  }

  // Experience.
  if (v.stated.experience_years > 0) {
    Spec s;
    s.item.kind = RequirementKind::kExperience;
    s.item.key = "experience";
    s.item.label = "Experience";
    s.item.stated = absl::StrCat(v.stated.experience_years,
                                 v.stated.experience_years == 1 ? " year" : " years");
    s.item.stated_level = v.stated.experience_years;
    // Experience stands for skill levels: a level above the learnable one needs it; the
    // learnable level 2 can be reached on the job with support; level 1 needs none.
    std::vector<int> level;
    int max_level = 0;
    for (const Task& t : v.tasks) {
      int l = 0;
      for (const SkillRequirement& r : t.skills) {
        if (r.essential) l = std::max(l, r.level);
      }
      max_level = std::max(max_level, l);
      level.push_back(l >= 2 ? l : 0);
    }
    LevelProfile p = Profile(v, level, total, share);
    const bool learnable = p.need >= 2 && p.need <= options.max_learnable_skill_level &&
                           skill_support != Accommodation::kUnspecified;
    // Only levels above the learnable one may be moved away as an alternative.
    if (p.alternative && *p.alternative > 0) p.alternative.reset();
    classify(&s, p, learnable, skill_support, options.skill_months_per_level);
    s.item.needed_level = max_level;
    s.item.needed = p.need > 0
                        ? absl::StrCat("skills up to level ", p.need)
                        : absl::StrCat("none (the tasks need skill level ", max_level, " at most)");
    s.counts_unknown_reason = "the participant records hold no years of experience";
    specs.push_back(std::move(s));
  }

  // Stated skills.
  for (const SkillRequirement& req : v.stated.skills) {
    Spec s;
    s.item.kind = RequirementKind::kSkill;
    s.item.key = absl::StrCat("skill:", req.skill_uri);
    s.item.label = absl::StrCat("Skill '", matcher.credit().Label(req.skill_uri), "'");
    s.item.stated = absl::StrCat("level ", req.level);
    s.item.stated_level = req.level;
    // Encoded as level + 1 so that a need at level 0 ("aware") still counts as a need.
    std::vector<int> level;
    for (const Task& t : v.tasks) {
      int l = 0;
      for (const SkillRequirement& r : t.skills) {
        if (r.skill_uri == req.skill_uri && r.essential) l = std::max(l, r.level + 1);
      }
      level.push_back(l);
    }
    const LevelProfile p = Profile(v, level, total, share);
    const bool learnable = p.need >= 1 && p.need - 1 <= options.max_learnable_skill_level &&
                           skill_support != Accommodation::kUnspecified;
    classify(&s, p, learnable, skill_support, options.skill_months_per_level);
    s.item.needed_level = std::max(0, p.need - 1);
    s.item.needed = p.need > 0 ? absl::StrCat("level ", p.need - 1) : "none";
    const int lowered = s.item.lowered_level - 1;  // -1: removed
    s.item.lowered_level = std::max(0, lowered);
    s.lowered_text = lowered < 0 ? "without it" : absl::StrCat("at level ", lowered);
    const std::string uri = req.skill_uri;
    s.drop = [uri](Vacancy* x) { CapSkill(x, uri, -1, true); };
    s.lower = [uri, lowered](Vacancy* x) { CapSkill(x, uri, lowered, true); };
    specs.push_back(std::move(s));
  }

  // Digital tools (implied by the tasks: the model has no stated digital level).
  {
    std::vector<int> level;
    for (const Task& t : v.tasks) level.push_back(t.digital_tools);
    const LevelProfile p = Profile(v, level, total, share);
    if (p.need > 0) {
      Spec s;
      s.item.kind = RequirementKind::kDigitalTools;
      s.item.key = "digital_tools";
      s.item.label = "Digital tools";
      s.item.stated = absl::StrCat("level ", p.need, " (implied by the tasks)");
      s.item.stated_level = p.need;
      const bool learnable = workplace && p.need <= options.max_learnable_skill_level;
      classify(&s, p, learnable, Accommodation::kWorkplaceLearning,
               options.digital_months_per_level);
      s.item.needed = absl::StrCat("level ", p.need);
      const int lowered = s.item.lowered_level;
      s.lowered_text = absl::StrCat("at level ", lowered);
      s.drop = [](Vacancy* x) {
        for (Task& t : x->tasks) t.digital_tools = 0;
      };
      s.lower = [lowered](Vacancy* x) {
        for (Task& t : x->tasks) t.digital_tools = std::min(t.digital_tools, lowered);
      };
      specs.push_back(std::move(s));
    }
  }

  // Weekend availability.
  {
    double weekend = 0, weekday = 0;
    for (const WeeklySpan& s : v.shifts) (IsWeekend(s.day) ? weekend : weekday) += SpanHours(s);
    double hours = v.hours_per_week > 0 ? v.hours_per_week : total;
    if (weekend > 0) {
      Spec s;
      s.item.kind = RequirementKind::kWeekendAvailability;
      s.item.key = "weekend_availability";
      s.item.label = "Weekend availability";
      s.item.stated = absl::StrCat("shifts on weekends (", Hours(weekend), " of ",
                                   Hours(weekend + weekday), " shift hours)");
      s.item.stated_level = 1;
      s.item.task_hours = weekend;
      if (weekday + 1e-9 >= hours) {
        s.item.classification = RequirementClass::kAlternativeExists;
        s.item.needed = absl::StrCat("none: weekday shifts (", Hours(weekday), " h) cover the ",
                                     Hours(hours), " h");
        s.item.needed_level = 0;
        s.item.lowered_level = 0;
      } else {
        s.item.classification = RequirementClass::kEssential;
        s.item.needed = absl::StrCat("yes: weekday shifts (", Hours(weekday),
                                     " h) do not cover the ", Hours(hours), " h");
        s.item.needed_level = 1;
        s.item.lowered_level = 1;
      }
      s.lowered_text = "with weekday shifts only";
      auto drop = [](Vacancy* x) {
        std::vector<WeeklySpan> kept;
        for (const WeeklySpan& sp : x->shifts) {
          if (!IsWeekend(sp.day)) kept.push_back(sp);
        }
        x->shifts = kept;
      };
      s.drop = drop;
      if (s.item.lowered_level == 0) {
        s.lower = drop;
      } else {
        s.lower = [](Vacancy*) {};
      }
      specs.push_back(std::move(s));
    }
  }

  // Early availability.
  {
    const int early = options.early_start_minute;
    auto is_early = [early](const WeeklySpan& s) {
      const int start = ((s.start_minute % 1440) + 1440) % 1440;
      return start >= 4 * 60 && start < early;
    };
    int earliest = 24 * 60;
    for (const WeeklySpan& s : v.shifts) {
      if (is_early(s)) earliest = std::min(earliest, s.start_minute);
    }
    if (earliest < 24 * 60) {
      Spec s;
      s.item.kind = RequirementKind::kEarlyAvailability;
      s.item.key = "early_availability";
      s.item.label = "Early availability";
      s.item.stated = absl::StrCat("shifts from ", FormatMinutes(earliest));
      s.item.stated_level = 1;
      std::vector<int> level;
      for (const Task& t : v.tasks) level.push_back(t.time_of_day == TimeOfDay::kEarly ? 1 : 0);
      const LevelProfile p = Profile(v, level, total, share);
      classify(&s, p, false, Accommodation::kUnspecified, 0);
      s.item.needed = p.need > 0 ? "early tasks" : "none (no task is early work)";
      auto later = [early, is_early](Vacancy* x) {
        for (WeeklySpan& sp : x->shifts) {
          if (!is_early(sp)) continue;
          const int delta = early - (((sp.start_minute % 1440) + 1440) % 1440);
          sp.start_minute += delta;
          sp.end_minute += delta;
        }
      };
      s.lowered_text = absl::StrCat("with shifts from ", FormatMinutes(early));
      s.drop = later;
      if (s.item.lowered_level == 0) {
        s.lower = later;
      } else {
        s.lower = [](Vacancy*) {};
      }
      specs.push_back(std::move(s));
    }
  }

  // Pool counts: one batch of derived vacancies.
  const Vacancy stated = AsStated(v);
  std::vector<Vacancy> derived = {stated, v};
  std::vector<std::pair<size_t, size_t>> index(specs.size(), {0, 0});  // drop, lower
  for (size_t i = 0; i < specs.size(); ++i) {
    if (!specs[i].counts_unknown_reason.empty()) continue;
    Vacancy d = stated;
    specs[i].drop(&d);
    derived.push_back(std::move(d));
    Vacancy l = stated;
    specs[i].lower(&l);
    derived.push_back(std::move(l));
    index[i] = {derived.size() - 2, derived.size() - 1};
  }
  std::vector<VacancyContext> contexts;
  for (const Vacancy& d : derived) contexts.push_back({&d, context.employer, context.site});
  PoolFit pool_fit(matcher, pool, options.fit);
  ASSIGN_OR_RETURN(std::vector<std::vector<Fit>> fits, pool_fit.Evaluate(contexts));
  auto fitting = [&](size_t d) { return CountFit(fits[d]).total(); };

  RequirementReview review;
  review.vacancy_id = v.id;
  review.pool_size = static_cast<int>(pool.size());
  review.fit_as_stated = fitting(0);
  review.fit_as_needed = fitting(1);
  for (size_t i = 0; i < specs.size(); ++i) {
    Spec& s = specs[i];
    RequirementReviewItem& it = s.item;
    it.total_hours = total;
    for (size_t t : s.tasks) it.task_ids.push_back(v.tasks[t].id);
    it.pool.pool_size = review.pool_size;
    std::string pool_text;
    if (!s.counts_unknown_reason.empty()) {
      it.pool.counts_known = false;
      pool_text = absl::StrCat("The pool cannot be counted on it: ", s.counts_unknown_reason, ".");
    } else {
      it.pool.fit_as_stated = review.fit_as_stated;
      it.pool.excluded = std::max(0, fitting(index[i].first) - review.fit_as_stated);
      it.pool.fit_if_lowered = fitting(index[i].second);
      it.pool.more_if_lowered = it.pool.fit_if_lowered - it.pool.fit_as_stated;
      pool_text =
          absl::StrCat("In the pool of ", review.pool_size, ", it keeps out ", it.pool.excluded,
                       it.pool.excluded == 1 ? " participant who meets" : " participants who meet",
                       " everything else");
      if (!s.custom_head.empty() || (it.classification != RequirementClass::kEssential &&
                                     it.classification != RequirementClass::kTrainable)) {
        absl::StrAppend(&pool_text, "; ", s.lowered_text, ", ", it.pool.more_if_lowered,
                        " more would fit.");
      } else if (it.stated_level > it.lowered_level) {
        absl::StrAppend(&pool_text, "; ", s.lowered_text, " (what the tasks need), ",
                        it.pool.more_if_lowered, " more would fit.");
      } else {
        absl::StrAppend(&pool_text, ".");
      }
    }
    const std::string tasks = TaskList(v, s.tasks);
    std::string head;
    switch (it.classification) {
      case RequirementClass::kNiceToHave:
        head = absl::StrCat(it.label, " (", it.stated, ") is nice to have: no task needs it.");
        break;
      case RequirementClass::kEssential:
        head =
            absl::StrCat(it.label, " (", it.stated, ") is essential: ", tasks,
                         s.tasks.size() == 1 ? " needs " : " need ", it.needed, " from day one.");
        break;
      case RequirementClass::kTrainable:
        head =
            absl::StrCat(it.label, " (", it.stated, ") is trainable: ", tasks,
                         s.tasks.size() == 1 ? " needs " : " need ", it.needed,
                         ", and a starter one level below gets there in about ", it.training_months,
                         " months with the offered ", Str(AccommodationName(it.support)), ".");
        break;
      case RequirementClass::kAlternativeExists:
        if (s.tasks.empty()) {
          head = absl::StrCat(it.label, " (", it.stated, ") has an alternative: ", it.needed,
                              "; a roster without them is possible.");
        } else {
          head = absl::StrCat(
              it.label, " (", it.stated, ") has an alternative: only ", tasks, " need",
              s.tasks.size() == 1 ? "s" : "", " it (", Hours(it.task_hours), " of ", Hours(total),
              " h, ", absl::StrFormat("%.0f", total > 0 ? 100 * it.task_hours / total : 0.0),
              "%); moving ", s.tasks.size() == 1 ? "that task" : "those tasks", " to a colleague ",
              s.lowered_text == "without it" ? "removes it." : "lowers it.");
        }
        break;
      case RequirementClass::kUnspecified:
        break;
    }
    if (!s.custom_head.empty()) {
      head = s.custom_head;
    } else if (it.kind == RequirementKind::kDutch && it.stated_level > it.needed_level &&
               it.needed_level > 0) {
      absl::StrAppend(&head, " The text asks ", it.stated, "; the tasks need ", it.needed, ".");
    }
    it.sentence = absl::StrCat(head, " ", pool_text);
    review.items.push_back(std::move(it));
  }
  return review;
}

}  // namespace carvematch
