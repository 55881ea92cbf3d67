#include "matcher/matcher.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "matcher/pair_core.h"
#include "matcher/skill_coverage.h"
#include "model/week.h"

namespace carvematch {

std::string_view TierName(Tier t) {
  switch (t) {
    case Tier::kFits:
      return "fits";
    case Tier::kFitsWithAccommodations:
      return "fits with accommodations";
    case Tier::kBlocked:
      return "blocked";
    case Tier::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view ItemStatusName(ItemStatus s) {
  switch (s) {
    case ItemStatus::kOk:
      return "ok";
    case ItemStatus::kGap:
      return "gap";
    case ItemStatus::kBlocker:
      return "blocker";
    case ItemStatus::kUnspecified:
      break;
  }
  return "unspecified";
}

// The skill results of one pair, computed in the vectorised pass.
struct Matcher::PairSkills {
  const std::vector<Requirement>* requirements = nullptr;
  const std::vector<int>* columns = nullptr;
  const BestCredit* best = nullptr;
  float coverage_essential = 1;
  float coverage_optional = 1;
};

namespace {

std::string Str(std::string_view s) { return std::string(s.data(), s.size()); }

std::string Quote(const std::string& s) { return absl::StrCat("'", s, "'"); }

// "0.6", "0.45", "1": at most two decimals, no trailing zeros.
std::string Amount(float x) {
  std::string s = absl::StrFormat("%.2f", x);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string SpanText(const WeeklySpan& s) {
  return absl::StrCat(FormatMinutes(s.start_minute), "-", FormatMinutes(s.end_minute));
}

WeeklySpan Shifted(const WeeklySpan& s, int delta) {
  return {s.day, s.start_minute + delta, s.end_minute + delta};
}

std::string_view SourceName(EvidenceSource s) {
  return s == EvidenceSource::kUnspecified ? std::string_view("profile") : EvidenceSourceName(s);
}

// Collects explanation lines grouped by (criterion, status, accommodation); lines
// that differ only by weekday are merged ("Monday, Tuesday: shift starts 06:00, ...").
class ItemBuilder {
 public:
  void Add(const std::string& criterion, ItemStatus status, const std::string& text,
           Accommodation acc = Accommodation::kUnspecified, Weekday day = Weekday::kUnspecified) {
    Key key{criterion, status, acc};
    auto it =
        std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.key == key; });
    if (it == groups_.end()) {
      groups_.push_back(Group{key, {}});
      it = groups_.end() - 1;
    }
    auto line = std::find_if(it->lines.begin(), it->lines.end(),
                             [&](const Line& l) { return l.text == text; });
    if (line == it->lines.end()) {
      it->lines.push_back(Line{text, {}});
      line = it->lines.end() - 1;
    }
    if (day != Weekday::kUnspecified &&
        std::find(line->days.begin(), line->days.end(), day) == line->days.end()) {
      line->days.push_back(day);
    }
  }

  bool Has(const std::string& criterion) const {
    return std::any_of(groups_.begin(), groups_.end(),
                       [&](const Group& g) { return g.key.criterion == criterion; });
  }

  std::vector<ExplanationItem> Build() const {
    std::vector<ExplanationItem> items;
    for (const Group& g : groups_) {
      std::vector<std::string> parts;
      for (const Line& l : g.lines) {
        if (l.days.empty()) {
          parts.push_back(l.text);
        } else {
          std::vector<Weekday> days = l.days;
          std::sort(days.begin(), days.end());
          std::vector<std::string> names;
          for (Weekday d : days) names.push_back(Str(WeekdayName(d)));
          parts.push_back(absl::StrCat(absl::StrJoin(names, ", "), ": ", l.text));
        }
      }
      items.push_back(
          ExplanationItem{g.key.criterion, g.key.status, absl::StrJoin(parts, "; "), g.key.acc});
    }
    return items;
  }

 private:
  struct Key {
    std::string criterion;
    ItemStatus status;
    Accommodation acc;
    bool operator==(const Key& o) const {
      return criterion == o.criterion && status == o.status && acc == o.acc;
    }
  };
  struct Line {
    std::string text;
    std::vector<Weekday> days;
  };
  struct Group {
    Key key;
    std::vector<Line> lines;
  };
  std::vector<Group> groups_;
};

// A clock time of the shift's day; times of the day before or after say so.
std::string ClockText(int minute) {
  const int day = minute >= 0 ? minute / 1440 : -((-minute + 1439) / 1440);
  const int m = minute - day * 1440;
  std::string s = absl::StrFormat("%02d:%02d", m / 60, m % 60);
  if (day < 0) absl::StrAppend(&s, " the day before");
  if (day > 0) absl::StrAppend(&s, " the day after");
  return s;
}

// "bus 36 at 06:12 from 'Station', then train IC at 06:40 from 'Gent'": the vehicles of a plan
// with their boarding times (the walk only when it is the whole trip).
std::string PlanRideText(const TripPlan& plan) {
  std::vector<std::string> rides;
  for (const TripPlanLeg& leg : plan.legs) {
    if (leg.mode == LegMode::kWalk || leg.mode == LegMode::kBike) continue;
    std::string ride = Str(LegModeName(leg.mode));
    if (!leg.line.empty()) absl::StrAppend(&ride, " ", leg.line);
    absl::StrAppend(&ride, " at ", ClockText(leg.board_minute));
    if (!leg.board_stop.empty()) absl::StrAppend(&ride, " from ", Quote(leg.board_stop));
    rides.push_back(std::move(ride));
  }
  if (rides.empty()) {
    return absl::StrCat(Str(LegModeName(plan.legs.empty() ? LegMode::kWalk : plan.legs[0].mode)),
                        " the whole way, leaving ", ClockText(plan.depart_minute));
  }
  return absl::StrJoin(rides, ", then ");
}

// The way there: "bus 36 at 06:12 from 'Station', arrives 06:47, shift starts 06:30: 17
// min late" (or "..., 13 min early" / "on time").
std::string PlanToShiftText(const TripPlan& plan, const WeeklySpan& s) {
  std::string text = absl::StrCat(PlanRideText(plan), ", arrives ", ClockText(plan.arrive_minute),
                                  ", shift starts ", ClockText(s.start_minute));
  const int late = plan.arrive_minute - s.start_minute;
  if (late > 0) {
    absl::StrAppend(&text, ": ", late, " min late");
  } else if (late < 0) {
    absl::StrAppend(&text, ": ", -late, " min early");
  }
  return text;
}

// The way back: "shift ends 22:00, bus 36 at 22:14 from 'Zone Nord', home 22:51".
std::string PlanFromShiftText(const TripPlan& plan, const WeeklySpan& s) {
  return absl::StrCat("shift ends ", ClockText(s.end_minute), ", ", PlanRideText(plan), ", home ",
                      ClockText(plan.arrive_minute));
}

// What the public-transport trip looks like, appended to the commute item when the
// estimator plans trips ("" otherwise):
// - `used` (public transport is the commute): ": <the trip of the longest leg>";
// - else, for the first shift it fails: "; by public transport on Monday: bus 36 at
//   06:12, arrives 06:47, shift starts 06:30: 17 min late", and when the vacancy offers
//   a flexible start whether one within the matcher's limits would make the trip
//   ("; works with a flexible start of 07:00"). The note is text only: the item's
//   status and the score stay those of the batch kernel (matcher/pair_core.h).
std::string PublicTransportNote(const TravelTimeEstimator& travel, const MatcherParams& params,
                                const Vacancy& v, GeoPoint home, GeoPoint work,
                                const std::vector<WeeklySpan>& shifts, int max_commute, bool used) {
  constexpr TransportMode kPt = TransportMode::kPublicTransport;
  auto to_minutes = [&](const WeeklySpan& s) {
    return travel.Minutes(kPt, home, work, s, TripLeg::kToShift);
  };
  auto back_minutes = [&](const WeeklySpan& s) {
    return travel.Minutes(kPt, work, home, s, TripLeg::kFromShift);
  };
  auto fits = [&](const std::optional<int>& m) { return m && *m <= max_commute; };
  if (used) {
    // The longest leg (the first on a tie), as the commute minutes report it.
    const WeeklySpan* worst = nullptr;
    TripLeg worst_leg = TripLeg::kToShift;
    int worst_minutes = -1;
    for (const WeeklySpan& s : shifts) {
      const std::optional<int> to = to_minutes(s);
      const std::optional<int> back = back_minutes(s);
      if (to && *to > worst_minutes) {
        worst = &s, worst_leg = TripLeg::kToShift, worst_minutes = *to;
      }
      if (back && *back > worst_minutes) {
        worst = &s, worst_leg = TripLeg::kFromShift, worst_minutes = *back;
      }
    }
    if (worst == nullptr) return "";
    const bool to = worst_leg == TripLeg::kToShift;
    const std::optional<TripPlan> plan =
        travel.Plan(kPt, to ? home : work, to ? work : home, *worst, worst_leg, max_commute);
    if (!plan) return "";
    return absl::StrCat(": ", Str(WeekdayName(worst->day)), " ",
                        to ? PlanToShiftText(*plan, *worst) : PlanFromShiftText(*plan, *worst));
  }
  for (const WeeklySpan& s : shifts) {
    const std::optional<int> to = to_minutes(s);
    const std::optional<int> back = back_minutes(s);
    if (fits(to) && fits(back)) continue;
    std::string text;
    if (!fits(to)) {
      const std::optional<TripPlan> plan =
          travel.Plan(kPt, home, work, s, TripLeg::kToShift, max_commute);
      if (!plan) return "";
      text = absl::StrCat("; by public transport on ", Str(WeekdayName(s.day)), ": ",
                          PlanToShiftText(*plan, s));
      if (plan->arrive_minute <= s.start_minute) {
        absl::StrAppend(&text, ", ", s.start_minute - plan->depart_minute, " min door to door");
      }
    } else {
      const std::optional<TripPlan> plan =
          travel.Plan(kPt, work, home, s, TripLeg::kFromShift, max_commute);
      if (!plan) return "";
      text = absl::StrCat("; by public transport back on ", Str(WeekdayName(s.day)), ": ",
                          PlanFromShiftText(*plan, s), ", ", plan->arrive_minute - s.end_minute,
                          " min");
    }
    if (v.Offers(Accommodation::kFlexibleStart)) {
      const int step = std::max(1, params.flexible_start_step_minutes);
      std::optional<int> delta;
      for (int d = step; d <= params.max_flexible_start_minutes && !delta; d += step) {
        for (int signed_d : {d, -d}) {
          const WeeklySpan moved{s.day, s.start_minute + signed_d, s.end_minute + signed_d};
          if (moved.start_minute < 0) continue;
          if (fits(to_minutes(moved)) && fits(back_minutes(moved))) {
            delta = signed_d;
            break;
          }
        }
      }
      if (delta) {
        absl::StrAppend(&text, "; works with a flexible start of ",
                        ClockText(s.start_minute + *delta));
      } else {
        absl::StrAppend(&text, "; a flexible start (up to ", params.max_flexible_start_minutes,
                        " min either way) does not help");
      }
    }
    return text;
  }
  return "";
}

struct Commute {
  ItemStatus status = ItemStatus::kOk;
  std::optional<TransportMode> mode;
  int minutes = -1;
  Accommodation acc = Accommodation::kUnspecified;
  std::string message;
  TransportMode travel_mode = TransportMode::kWalk;  // for trips to and from childcare
};

}  // namespace

Matcher::Matcher(const SkillCredit& credit, const TravelTimeEstimator& travel, MatcherParams params)
    : credit_(credit), travel_(travel), params_(params) {}

MatchResult Matcher::Evaluate(const Participant& p, const Vacancy& v, const Employer& e,
                              const Site& site, const PairSkills& sk) const {
  MatchResult r;
  r.participant_id = p.id;
  r.vacancy_id = v.id;
  ItemBuilder items;
  const GeoPoint home = p.home.point;
  const GeoPoint work = site.location.point;

  // ---- Skills -------------------------------------------------------------------
  r.coverage_essential = sk.coverage_essential;
  r.coverage_optional = sk.coverage_optional;
  r.parts.skills = SkillsPart(sk.coverage_essential, sk.coverage_optional);
  {
    std::vector<std::string> missing, partial;
    int n_ess = 0, n_opt = 0;
    for (size_t i = 0; i < sk.requirements->size(); ++i) {
      const Requirement& req = (*sk.requirements)[i];
      const size_t col = static_cast<size_t>((*sk.columns)[i]);
      (req.essential ? n_ess : n_opt)++;
      SkillCreditNote note;
      note.need_uri = req.skill_uri;
      note.need_level = req.level;
      note.essential = req.essential;
      const std::string need_label = credit_.Label(req.skill_uri);
      int claim = sk.best->claim[col];
      if (claim >= 0) {
        const SkillClaim& have = p.skills[static_cast<size_t>(claim)];
        note.have_uri = have.skill_uri;
        note.have_level = have.level;
        note.source = have.source;
        note.relation = Str(sk.best->relation[col]);
        note.credit = sk.best->credit[col];
        note.level_factor = sk.best->level_factor[col];
        note.amount = sk.best->amount(static_cast<Eigen::Index>(col));
        std::string levels;
        if (note.level_factor < 1.0f) {
          levels = absl::StrCat(" (level ", have.level, " of ", req.level, " needed)");
        }
        note.message =
            absl::StrCat(Str(SourceName(have.source)), ": ", Quote(credit_.Label(have.skill_uri)),
                         " credits ", Quote(need_label), " ", Amount(note.amount), levels);
        if (note.amount < 1.0f && note.amount >= params_.missing_below) {
          partial.push_back(note.message);
        }
      } else {
        note.message = absl::StrCat("nothing in the profile credits ", Quote(need_label));
      }
      if (req.essential && note.amount < params_.missing_below) {
        missing.push_back(absl::StrCat(Quote(need_label), " (level ", req.level, ")"));
      }
      r.credits.push_back(std::move(note));
    }
    if (sk.requirements->empty()) {
      items.Add("skills", ItemStatus::kOk, "the tasks list no skill requirements");
    } else {
      std::string msg = n_ess > 0
                            ? absl::StrFormat("essential skills %.0f%% covered (%d requirements)",
                                              100.0 * sk.coverage_essential, n_ess)
                            : std::string("no essential skill requirements");
      if (n_opt > 0) {
        absl::StrAppend(
            &msg, absl::StrFormat(", optional %.0f%% (%d)", 100.0 * sk.coverage_optional, n_opt));
      }
      if (!missing.empty()) absl::StrAppend(&msg, "; missing ", absl::StrJoin(missing, ", "));
      if (!partial.empty()) {
        if (partial.size() > 3) partial.resize(3);
        absl::StrAppend(&msg, "; ", absl::StrJoin(partial, "; "));
      }
      if (!missing.empty() && v.Offers(Accommodation::kWorkplaceLearning)) {
        absl::StrAppend(&msg, "; the employer offers workplace learning");
      }
      items.Add("skills", missing.empty() ? ItemStatus::kOk : ItemStatus::kGap, msg);
    }
  }

  // ---- Commute --------------------------------------------------------------------
  std::vector<WeeklySpan> commute_shifts = v.shifts;
  if (commute_shifts.empty()) commute_shifts.push_back({Weekday::kMonday, 9 * 60, 17 * 60});
  auto mode_minutes = [&](TransportMode mode) -> std::optional<int> {
    int worst = 0;
    for (const WeeklySpan& s : commute_shifts) {
      std::optional<int> to = travel_.Minutes(mode, home, work, s, TripLeg::kToShift);
      std::optional<int> back = travel_.Minutes(mode, work, home, s, TripLeg::kFromShift);
      if (!to || !back) return std::nullopt;
      worst = std::max({worst, *to, *back});
    }
    return worst;
  };
  const int max_commute = std::max(1, p.max_commute_minutes);
  Commute commute;
  {
    std::optional<TransportMode> best_mode;
    int best_minutes = 0;
    std::vector<std::string> tried;
    for (TransportMode m : UsableModes(p)) {
      std::optional<int> minutes = mode_minutes(m);
      if (!minutes) {
        tried.push_back(absl::StrCat(Str(TransportModeName(m)), " not at these hours"));
        continue;
      }
      tried.push_back(absl::StrCat(Str(TransportModeName(m)), " ", *minutes, " min"));
      if (!best_mode || *minutes < best_minutes) {
        best_mode = m;
        best_minutes = *minutes;
      }
    }
    const double km = HaversineKm(home, work);
    if (best_mode && best_minutes <= max_commute) {
      commute.mode = best_mode;
      commute.minutes = best_minutes;
      commute.travel_mode = *best_mode;
      commute.message =
          absl::StrFormat("%s %d min to the site (max %d)", Str(TransportModeName(*best_mode)),
                          best_minutes, max_commute);
    } else {
      std::string own = absl::StrCat("own modes: ", absl::StrJoin(tried, ", "), " (max ",
                                     max_commute, " min, ", absl::StrFormat("%.1f", km), " km)");
      // Accommodations that could bridge it, best (fewest minutes) first.
      struct Option {
        Accommodation acc;
        int minutes;
        TransportMode travel_mode;
        std::string text;
      };
      std::vector<Option> options;
      if (km < params_.shared_ride_max_km) {
        std::optional<int> car = mode_minutes(TransportMode::kCar);
        if (car) {
          options.push_back({Accommodation::kCompanyTransport, *car, TransportMode::kCar,
                             absl::StrFormat("company transport covers the %.1f km (about %d "
                                             "min)",
                                             km, *car)});
          options.push_back(
              {Accommodation::kCarpool, *car, TransportMode::kCar,
               absl::StrFormat("a carpool covers the %.1f km (about %d min)", km, *car)});
        }
      }
      std::optional<int> ebike = mode_minutes(TransportMode::kEBike);
      if (ebike && *ebike <= max_commute) {
        options.push_back({Accommodation::kBikeLease, *ebike, TransportMode::kEBike,
                           absl::StrFormat("a leased e-bike takes %d min", *ebike)});
      }
      std::stable_sort(options.begin(), options.end(),
                       [](const Option& a, const Option& b) { return a.minutes < b.minutes; });
      auto offered = std::find_if(options.begin(), options.end(),
                                  [&](const Option& o) { return v.Offers(o.acc); });
      if (offered != options.end()) {
        commute.status = ItemStatus::kGap;
        commute.acc = offered->acc;
        commute.minutes = offered->minutes;
        commute.travel_mode = offered->travel_mode;
        if (offered->acc == Accommodation::kBikeLease) commute.mode = TransportMode::kEBike;
        commute.message = absl::StrCat(own, "; offered by the employer: ", offered->text);
      } else {
        commute.status = ItemStatus::kBlocker;
        commute.travel_mode = best_mode.value_or(TransportMode::kWalk);
        commute.message = absl::StrCat("no way to the site within ", max_commute, " min; ", own);
        if (!options.empty()) {
          commute.acc = options.front().acc;
          absl::StrAppend(&commute.message, "; ", options.front().text, " if offered");
        }
      }
    }
    // The public-transport trip behind the answer, when the estimator plans trips: when
    // public transport is the commute, or when the commute does not simply work.
    const std::vector<TransportMode> usable = UsableModes(p);
    const bool pt_used = commute.mode == TransportMode::kPublicTransport;
    if ((pt_used || commute.status != ItemStatus::kOk) &&
        std::find(usable.begin(), usable.end(), TransportMode::kPublicTransport) != usable.end()) {
      absl::StrAppend(&commute.message, PublicTransportNote(travel_, params_, v, home, work,
                                                            commute_shifts, max_commute, pt_used));
    }
    items.Add("commute", commute.status, commute.message, commute.acc);
    r.commute_mode = commute.mode;
    r.commute_minutes = commute.minutes;
    if (commute.status != ItemStatus::kBlocker && commute.minutes >= 0) {
      r.parts.commute = 15.0 * std::max(0.0, 1.0 - static_cast<double>(commute.minutes) /
                                                       static_cast<double>(max_commute));
    }
  }

  // ---- Schedule and childcare -------------------------------------------------------
  {
    const bool always = p.availability.empty();
    const WeekMask avail = WeekMask::FromSpans(p.availability);
    auto available = [&](const WeeklySpan& s) {
      return always || WeekMask::FromSpan(s).Within(avail);
    };
    auto availability_text = [&](Weekday day) {
      std::vector<std::string> spans;
      for (const WeeklySpan& a : p.availability) {
        if (a.day == day) spans.push_back(SpanText(a));
      }
      return spans.empty() ? std::string("not available that day")
                           : absl::StrCat("available ", absl::StrJoin(spans, ", "));
    };
    // A child may be in several arrangements on one day (school until 15:30, then
    // after-school care). The shift fits when the child can be dropped off at an
    // arrangement early enough to reach work, picked up from one late enough after the
    // shift, and the day's opening hours together cover the time in between.
    // Returns "" when it fits (or no arrangement is open that day: checked separately),
    // else the problem with its times.
    auto care_problem = [&](const WeeklySpan& s) -> std::string {
      struct Open {
        const Childcare* care;
        const WeeklySpan* span;
      };
      std::vector<Open> open;
      for (const Childcare& c : p.childcare) {
        for (const WeeklySpan& o : c.opening_hours) {
          if (o.day == s.day) open.push_back({&c, &o});
        }
      }
      if (open.empty()) return "";
      std::optional<int> drop_off;  // latest time the child must be in care
      std::optional<int> pick_up;   // earliest time the child can leave care
      const Open* earliest = nullptr;
      const Open* latest = nullptr;
      std::optional<int> earliest_to, latest_back;
      for (const Open& o : open) {
        std::optional<int> to = travel_.Minutes(commute.travel_mode, o.care->location.point, work,
                                                s, TripLeg::kToShift);
        std::optional<int> back = travel_.Minutes(commute.travel_mode, work, o.care->location.point,
                                                  s, TripLeg::kFromShift);
        if (!earliest || o.span->start_minute < earliest->span->start_minute) {
          earliest = &o;
          earliest_to = to;
        }
        if (!latest || o.span->end_minute > latest->span->end_minute) {
          latest = &o;
          latest_back = back;
        }
        if (to && o.span->start_minute + *to <= s.start_minute &&
            o.span->end_minute > s.start_minute - *to) {
          drop_off = std::min(drop_off.value_or(s.start_minute - *to), s.start_minute - *to);
        }
        if (back && s.end_minute + *back <= o.span->end_minute &&
            o.span->start_minute < s.end_minute + *back) {
          pick_up = std::max(pick_up.value_or(s.end_minute + *back), s.end_minute + *back);
        }
      }
      if (!earliest_to || !latest_back) {
        return absl::StrCat("no ", Str(TransportModeName(commute.travel_mode)), " trip between ",
                            Quote(earliest->care->label), " and the site around the shift ",
                            SpanText(s));
      }
      if (!drop_off) {
        return absl::StrCat("shift starts ", FormatMinutes(s.start_minute), ", ",
                            Quote(earliest->care->label), " opens ",
                            FormatMinutes(earliest->span->start_minute), " and is ", *earliest_to,
                            " min away");
      }
      if (!pick_up) {
        return absl::StrCat("shift ends ", FormatMinutes(s.end_minute), ", ",
                            Quote(latest->care->label), " closes ",
                            FormatMinutes(latest->span->end_minute), " and is ", *latest_back,
                            " min away");
      }
      // The day's opening hours together must cover drop-off to pick-up.
      int covered_until = *drop_off;
      bool extended = true;
      while (extended && covered_until < *pick_up) {
        extended = false;
        for (const Open& o : open) {
          if (o.span->start_minute <= covered_until && o.span->end_minute > covered_until) {
            covered_until = o.span->end_minute;
            extended = true;
          }
        }
      }
      if (covered_until < *pick_up) {
        return absl::StrCat("no childcare from ", FormatMinutes(covered_until), " on ",
                            Str(WeekdayName(s.day)), " while the shift ", SpanText(s), " runs");
      }
      return "";
    };
    const bool flexible = v.Offers(Accommodation::kFlexibleStart);
    const int step = std::max(1, params_.flexible_start_step_minutes);
    for (const WeeklySpan& s : v.shifts) {
      // A day on which no care arrangement is open.
      const bool care_open =
          std::any_of(p.childcare.begin(), p.childcare.end(), [&](const Childcare& c) {
            return std::any_of(c.opening_hours.begin(), c.opening_hours.end(),
                               [&](const WeeklySpan& o) { return o.day == s.day; });
          });
      if (!p.childcare.empty() && !care_open) {
        std::string text = "no childcare arrangement is open that day";
        if (v.Offers(Accommodation::kChildcareSupport)) {
          items.Add("childcare", ItemStatus::kGap,
                    absl::StrCat(text, "; the employer offers childcare support"),
                    Accommodation::kChildcareSupport, s.day);
        } else {
          items.Add("childcare", ItemStatus::kBlocker, text, Accommodation::kChildcareSupport,
                    s.day);
        }
      }
      const bool avail_ok = available(s);
      const std::string care = care_problem(s);
      if (avail_ok && care.empty()) continue;
      // The smallest move of the shift (later first on a tie) that fits both.
      std::optional<int> delta;
      for (int d = step; d <= params_.max_flexible_start_minutes && !delta; d += step) {
        for (int signed_d : {d, -d}) {
          WeeklySpan moved = Shifted(s, signed_d);
          if (moved.start_minute < 0) continue;
          if (available(moved) && care_problem(moved).empty()) {
            delta = signed_d;
            break;
          }
        }
      }
      std::string fix;
      if (delta) {
        fix = absl::StrCat("a flexible start at ", FormatMinutes(s.start_minute + *delta),
                           flexible ? " fits" : " would fit");
      }
      const ItemStatus status = delta && flexible ? ItemStatus::kGap : ItemStatus::kBlocker;
      const Accommodation acc = delta ? Accommodation::kFlexibleStart : Accommodation::kUnspecified;
      auto with_fix = [&](const std::string& text) {
        return fix.empty() ? text : absl::StrCat(text, ", ", fix);
      };
      if (!avail_ok) {
        items.Add("schedule", status,
                  with_fix(absl::StrCat("shift ", SpanText(s), " is outside the availability (",
                                        availability_text(s.day), ")")),
                  acc, s.day);
      }
      if (!care.empty()) items.Add("childcare", status, with_fix(care), acc, s.day);
    }
    if (!items.Has("schedule")) {
      if (v.shifts.empty()) {
        items.Add("schedule", ItemStatus::kOk, "the vacancy lists no fixed shifts");
      } else if (always) {
        items.Add("schedule", ItemStatus::kOk,
                  absl::StrCat("no availability limits given; ", v.shifts.size(), " shifts"));
      } else {
        items.Add("schedule", ItemStatus::kOk,
                  absl::StrCat("all ", v.shifts.size(), " shifts lie within the availability"));
      }
    }
    if (!p.childcare.empty() && !items.Has("childcare")) {
      items.Add("childcare", ItemStatus::kOk,
                v.shifts.empty() ? "no fixed shifts to check against childcare"
                                 : "drop-off and pick-up fit around every shift");
    }
  }

  // ---- Dutch per language skill -----------------------------------------------------
  {
    double language_sum = 0;
    for (int li = 0; li < kLanguageSkillCount; ++li) {
      const LanguageSkill skill = static_cast<LanguageSkill>(li);
      CefrLevel need = CefrLevel::kNone;
      const Task* need_task = nullptr;
      for (const Task& t : v.tasks) {
        if (t.dutch.get(skill) > need) {
          need = t.dutch.get(skill);
          need_task = &t;
        }
      }
      if (need == CefrLevel::kNone) {
        language_sum += 1;
        continue;
      }
      const CefrLevel have = p.dutch.get(skill);
      const int gap = static_cast<int>(need) - static_cast<int>(have);
      const std::string criterion = absl::StrCat("dutch_", Str(LanguageSkillName(skill)));
      std::string msg = absl::StrCat("Dutch ", Str(LanguageSkillName(skill)), " ",
                                     Str(CefrName(have)), ", tasks need ", Str(CefrName(need)),
                                     " (", Quote(need_task->description), ")");
      const CefrLevel stated = v.stated.dutch.get(skill);
      if (stated > need) absl::StrAppend(&msg, "; the vacancy text asks ", Str(CefrName(stated)));
      const bool coaching = v.Offers(Accommodation::kLanguageCoaching);
      if (gap <= 0) {
        language_sum += 1;
        items.Add(criterion, ItemStatus::kOk, msg);
      } else if (gap == 1 && coaching) {
        language_sum += 0.5;
        items.Add(criterion, ItemStatus::kGap,
                  absl::StrCat(msg, "; employer offers language coaching on the floor"),
                  Accommodation::kLanguageCoaching);
      } else if (gap == 1) {
        items.Add(criterion, ItemStatus::kBlocker,
                  absl::StrCat(msg, "; no language coaching offered"),
                  Accommodation::kLanguageCoaching);
      } else {
        items.Add(criterion, ItemStatus::kBlocker, absl::StrCat(msg, "; ", gap, " levels apart"));
      }
    }
    r.parts.language = 15.0 * language_sum / kLanguageSkillCount;
  }

  // ---- Licences, capacities, qualifications --------------------------------------
  {
    std::map<std::string, std::vector<std::string>> licences;  // category -> tasks
    int lift = 0;
    const Task* lift_task = nullptr;
    const Task* standing = nullptr;
    const Task* contact = nullptr;
    const Task* alone = nullptr;
    const Task* night_task = nullptr;
    int digital = 0;
    const Task* digital_task = nullptr;
    for (const Task& t : v.tasks) {
      if (!t.licence.empty()) licences[t.licence].push_back(Quote(t.description));
      if (t.lift_kg > lift) {
        lift = t.lift_kg;
        lift_task = &t;
      }
      if (t.prolonged_standing && !standing) standing = &t;
      if (t.customer_contact && !contact) contact = &t;
      if (!t.alongside_colleagues && !alone) alone = &t;
      if (t.time_of_day == TimeOfDay::kNight && !night_task) night_task = &t;
      if (t.digital_tools > digital) {
        digital = t.digital_tools;
        digital_task = &t;
      }
      if (!t.reserved_to_qualification.empty()) {
        items.Add("qualification", ItemStatus::kGap,
                  absl::StrCat("task ", Quote(t.description), " is legally reserved to ",
                               t.reserved_to_qualification,
                               "; check the participant's diploma or carve the task out"));
      }
    }
    for (const auto& [category, tasks] : licences) {
      if (p.HasLicence(category)) {
        items.Add(
            "licence", ItemStatus::kOk,
            absl::StrCat("holds driving licence ", category, " for ", absl::StrJoin(tasks, ", ")));
      } else {
        items.Add("licence", ItemStatus::kBlocker,
                  absl::StrCat(absl::StrJoin(tasks, ", "), " needs driving licence ", category,
                               ", which the participant does not hold"));
      }
    }
    const FunctionalCapacities& cap = p.capacities;
    if (lift > 0) {
      if (cap.max_lift_kg && lift > *cap.max_lift_kg) {
        items.Add("lifting", ItemStatus::kBlocker,
                  absl::StrCat(Quote(lift_task->description), " lifts up to ", lift,
                               " kg; the participant can lift ", *cap.max_lift_kg, " kg"));
      } else {
        items.Add("lifting", ItemStatus::kOk, absl::StrCat("tasks lift up to ", lift, " kg"));
      }
    }
    if (standing) {
      items.Add("standing", cap.prolonged_standing ? ItemStatus::kOk : ItemStatus::kBlocker,
                cap.prolonged_standing
                    ? absl::StrCat(Quote(standing->description), " needs prolonged standing")
                    : absl::StrCat(Quote(standing->description),
                                   " needs prolonged standing, which the participant cannot do"));
    }
    const WeeklySpan* night_shift = nullptr;
    for (const WeeklySpan& s : v.shifts) {
      if (OverlapsNight(s)) {
        night_shift = &s;
        break;
      }
    }
    if (night_task || night_shift) {
      std::string what = night_shift
                             ? absl::StrCat("the ", Str(WeekdayName(night_shift->day)), " shift ",
                                            SpanText(*night_shift), " runs between 22:00 and 06:00")
                             : absl::StrCat(Quote(night_task->description), " is night work");
      items.Add("night_work", cap.night_work ? ItemStatus::kOk : ItemStatus::kBlocker,
                cap.night_work ? what : absl::StrCat(what, "; the participant cannot work nights"));
    }
    if (contact) {
      items.Add("customer_contact", cap.customer_contact ? ItemStatus::kOk : ItemStatus::kBlocker,
                absl::StrCat(Quote(contact->description), " involves customer contact",
                             cap.customer_contact ? "" : ", which the participant avoids"));
    }
    if (alone) {
      items.Add("working_alone", cap.working_alone ? ItemStatus::kOk : ItemStatus::kBlocker,
                absl::StrCat(Quote(alone->description), " is done alone",
                             cap.working_alone ? "" : "; the participant needs colleagues around"));
    }
    if (digital > 0) {
      const int gap = digital - cap.digital_tools;
      std::string msg = absl::StrCat("digital tools level ", cap.digital_tools, ", ",
                                     Quote(digital_task->description), " needs ", digital);
      if (gap <= 0) {
        items.Add("digital_tools", ItemStatus::kOk, msg);
      } else if (gap == 1 && v.Offers(Accommodation::kWorkplaceLearning)) {
        items.Add("digital_tools", ItemStatus::kGap,
                  absl::StrCat(msg, "; the employer offers workplace learning"),
                  Accommodation::kWorkplaceLearning);
      } else {
        items.Add("digital_tools", ItemStatus::kBlocker, msg,
                  gap == 1 ? Accommodation::kWorkplaceLearning : Accommodation::kUnspecified);
      }
    }
  }

  // ---- Exclusions --------------------------------------------------------------------
  if (!p.exclusions.empty()) {
    std::vector<std::string> hit;
    for (const std::string& setting : v.work_settings) {
      if (std::find(p.exclusions.begin(), p.exclusions.end(), setting) != p.exclusions.end()) {
        hit.push_back(setting);
      }
    }
    if (hit.empty()) {
      items.Add("exclusions", ItemStatus::kOk, "no excluded work setting");
    } else {
      items.Add("exclusions", ItemStatus::kBlocker,
                absl::StrCat("the work involves ", absl::StrJoin(hit, ", "),
                             ", which the participant excludes"));
    }
  }

  // ---- Hours -------------------------------------------------------------------------
  {
    double hours = v.hours_per_week;
    if (hours <= 0) {
      for (const Task& t : v.tasks) hours += t.hours_per_week;
    }
    const double lo = p.min_hours_per_week;
    const double hi = p.max_hours_per_week;
    if (hours <= 0) {
      r.parts.hours = 10;
      items.Add("hours", ItemStatus::kOk, "the vacancy gives no hours");
    } else if (hours >= lo && hours <= hi) {
      r.parts.hours = 10;
      items.Add("hours", ItemStatus::kOk,
                absl::StrFormat("%g h/week within the wanted %g-%g h", hours, lo, hi));
    } else {
      const double off = hours < lo ? (lo - hours) / lo : (hours - hi) / std::max(hi, 1.0);
      const double limit = params_.hours_blocker_fraction;
      std::string msg = absl::StrFormat("%g h/week, wanted %g-%g h (%.0f%% %s)", hours, lo, hi,
                                        100.0 * off, hours < lo ? "below" : "above");
      if (off <= limit) {
        r.parts.hours = 10.0 * (1.0 - off / limit);
        items.Add("hours", ItemStatus::kGap, msg);
      } else {
        items.Add("hours", ItemStatus::kBlocker, msg);
      }
    }
  }

  // ---- Preferences and target outcome ---------------------------------------------
  {
    auto prefix_of = [](const std::string& prefix, const std::string& s) {
      return !prefix.empty() && s.compare(0, prefix.size(), prefix) == 0;
    };
    auto any_prefix = [&](const std::vector<std::string>& prefixes) {
      return std::any_of(prefixes.begin(), prefixes.end(),
                         [&](const std::string& x) { return prefix_of(x, e.sector); });
    };
    auto contains = [](const std::vector<std::string>& xs, const std::string& x) {
      return !x.empty() && std::find(xs.begin(), xs.end(), x) != xs.end();
    };
    const bool avoided_sector = any_prefix(p.avoided_sectors);
    const bool avoided_occupation = contains(p.avoided_occupations, v.occupation_uri);
    const bool wanted_sector = any_prefix(p.wanted_sectors);
    const bool wanted_occupation = contains(p.wanted_occupations, v.occupation_uri);
    const bool states_wishes = !p.wanted_sectors.empty() || !p.wanted_occupations.empty();
    const bool outcome_ok =
        p.target_outcomes.empty() || std::find(p.target_outcomes.begin(), p.target_outcomes.end(),
                                               v.outcome) != p.target_outcomes.end();
    double pref = outcome_ok ? 4 : 0;
    if (avoided_sector || avoided_occupation) {
      pref = 0;
      r.parts.penalty = params_.avoided_penalty;
      items.Add("preferences", ItemStatus::kGap,
                avoided_sector ? absl::StrCat("the participant avoids sector ", e.sector)
                               : absl::StrCat("the participant avoids the occupation ",
                                              Quote(credit_.Label(v.occupation_uri))));
    } else if (wanted_sector || wanted_occupation) {
      pref += 6;
      items.Add("preferences", ItemStatus::kOk,
                wanted_occupation ? absl::StrCat("a wanted occupation (",
                                                 Quote(credit_.Label(v.occupation_uri)), ")")
                                  : absl::StrCat("a wanted sector (", e.sector, ")"));
    } else if (states_wishes) {
      items.Add("preferences", ItemStatus::kGap,
                absl::StrCat("sector ", e.sector.empty() ? "unknown" : e.sector,
                             " is not among the wanted sectors or occupations"));
    } else {
      pref += 3;
      items.Add("preferences", ItemStatus::kOk, "no sector or occupation preferences given");
    }
    r.parts.preferences = pref;
    if (!p.target_outcomes.empty()) {
      std::vector<std::string> targets;
      for (TargetOutcome t : p.target_outcomes) targets.push_back(Str(TargetOutcomeName(t)));
      items.Add("outcome", outcome_ok ? ItemStatus::kOk : ItemStatus::kGap,
                absl::StrCat("the vacancy is ", Str(TargetOutcomeName(v.outcome)),
                             outcome_ok ? ", a target of the participant"
                                        : absl::StrCat("; the participant aims at ",
                                                       absl::StrJoin(targets, ", "))));
    }
  }

  // ---- Sustainability ----------------------------------------------------------------
  {
    const double contract = SustainabilityPoints(v.contract_type, true);
    if (v.contract_type != ContractType::kUnspecified) {
      items.Add("contract", contract >= 0 ? ItemStatus::kOk : ItemStatus::kGap,
                absl::StrFormat("contract type %s (%+g)", Str(ContractTypeName(v.contract_type)),
                                contract));
    }
    if (!v.predictable_schedule) {
      items.Add("predictability", ItemStatus::kGap,
                absl::StrFormat("rotating or on-call roster, hard to plan around (%+g)",
                                SustainabilityPoints(ContractType::kUnspecified, false)));
    }
    r.parts.sustainability = SustainabilityPoints(v.contract_type, v.predictable_schedule);
    const int demonstrated = DemonstratedLevel(p);
    int need_sum = 0;
    for (const Requirement& req : *sk.requirements) need_sum += req.level;
    const int need_count = static_cast<int>(sk.requirements->size());
    if (AimsTooLow(demonstrated, need_sum, need_count)) {
      r.parts.sustainability -= params_.aim_too_low_penalty;
      const SkillClaim* top = nullptr;
      for (const SkillClaim& c : p.skills) {
        if (c.level == demonstrated &&
            (c.source == EvidenceSource::kDiploma || c.source == EvidenceSource::kWork ||
             c.source == EvidenceSource::kForeignDiploma)) {
          top = &c;
          break;
        }
      }
      items.Add(
          "level", ItemStatus::kGap,
          absl::StrFormat("aim not too low: the participant shows level %d (%s: %s); the "
                          "tasks need level %.1f on average (-%g)",
                          demonstrated, Str(SourceName(top->source)),
                          Quote(credit_.Label(top->skill_uri)),
                          static_cast<double>(need_sum) / need_count, params_.aim_too_low_penalty));
    }
  }

  // ---- Tier and score --------------------------------------------------------------
  r.items = items.Build();
  bool blocked = false;
  std::set<Accommodation> used;
  for (const ExplanationItem& item : r.items) {
    if (item.status == ItemStatus::kBlocker) blocked = true;
    if (item.status == ItemStatus::kGap && item.accommodation != Accommodation::kUnspecified) {
      used.insert(item.accommodation);
    }
  }
  r.accommodations.assign(used.begin(), used.end());
  r.tier = blocked ? Tier::kBlocked : !used.empty() ? Tier::kFitsWithAccommodations : Tier::kFits;
  r.score = TotalScore(r.parts);
  return r;
}

namespace {

// Checks a context and resolves its site.
absl::StatusOr<const Site*> ResolveSite(const VacancyContext& c, const std::string& field) {
  if (c.vacancy == nullptr) return absl::InvalidArgumentError(field + ".vacancy is missing");
  if (c.employer == nullptr) return absl::InvalidArgumentError(field + ".employer is missing");
  if (c.site != nullptr) return c.site;
  const Site* site = c.employer->FindSite(c.vacancy->site_id);
  if (site == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("vacancy ", c.vacancy->id, " names site \"",
                                                      c.vacancy->site_id, "\", which employer ",
                                                      c.employer->id, " does not have"));
  }
  return site;
}

// A pair ranked by the numeric core, rendered only when it is returned.
struct Ranked {
  size_t index;  // vacancy (RankVacancies) or participant (RankParticipants)
  Tier tier;
  double score;
  const std::string* vacancy_id;
  const std::string* participant_id;
};

// Orders by tier, score descending, vacancy id, participant id; drops blocked pairs
// unless asked for, then keeps at most options.limit.
void SortAndCut(const MatchOptions& options, std::vector<Ranked>* ranked) {
  if (!options.include_blocked) {
    ranked->erase(std::remove_if(ranked->begin(), ranked->end(),
                                 [](const Ranked& r) { return r.tier == Tier::kBlocked; }),
                  ranked->end());
  }
  std::stable_sort(ranked->begin(), ranked->end(), [](const Ranked& a, const Ranked& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.score != b.score) return a.score > b.score;
    if (*a.vacancy_id != *b.vacancy_id) return *a.vacancy_id < *b.vacancy_id;
    return *a.participant_id < *b.participant_id;
  });
  if (options.limit > 0 && ranked->size() > static_cast<size_t>(options.limit)) {
    ranked->resize(static_cast<size_t>(options.limit));
  }
}

}  // namespace

absl::StatusOr<std::vector<MatchResult>> Matcher::RankVacancies(
    const Participant& participant, const std::vector<VacancyContext>& vacancies,
    const MatchOptions& options) const {
  std::vector<const Site*> sites;
  std::vector<const Vacancy*> rows;
  for (size_t i = 0; i < vacancies.size(); ++i) {
    absl::StatusOr<const Site*> site =
        ResolveSite(vacancies[i], absl::StrCat("vacancies[", i, "]"));
    if (!site.ok()) return site.status();
    sites.push_back(*site);
    rows.push_back(vacancies[i].vacancy);
  }
  NeedSpace space(credit_);
  RequirementMatrix reqs = BuildRequirementMatrix(rows, &space);
  BestCredit best = ComputeBestCredit(participant, space, credit_);
  Coverage coverage = CoverageOfVacancies(reqs, best.amount);
  // Rank every pair with the numeric core; render only the returned ones.
  FeatureDictionary dict;
  std::vector<VacancyFeatures> features;
  features.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    features.push_back(BuildVacancyFeatures(*rows[i], *vacancies[i].employer, *sites[i], &dict));
  }
  const ParticipantFeatures pf = BuildParticipantFeatures(participant, dict);
  std::vector<Ranked> ranked;
  ranked.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Eigen::Index row = static_cast<Eigen::Index>(i);
    PairNumbers n = EvaluatePair(pf, features[i], coverage.essential(row), coverage.optional(row),
                                 travel_, params_);
    ranked.push_back({i, n.tier, n.score, &rows[i]->id, &participant.id});
  }
  SortAndCut(options, &ranked);
  std::vector<MatchResult> results;
  results.reserve(ranked.size());
  for (const Ranked& k : ranked) {
    const Eigen::Index row = static_cast<Eigen::Index>(k.index);
    PairSkills sk{&reqs.requirements[k.index], &reqs.columns[k.index], &best,
                  coverage.essential(row), coverage.optional(row)};
    results.push_back(
        Evaluate(participant, *rows[k.index], *vacancies[k.index].employer, *sites[k.index], sk));
  }
  return results;
}

absl::StatusOr<std::vector<MatchResult>> Matcher::RankParticipants(
    const VacancyContext& vacancy, const std::vector<const Participant*>& participants,
    const MatchOptions& options) const {
  absl::StatusOr<const Site*> site = ResolveSite(vacancy, "vacancy");
  if (!site.ok()) return site.status();
  for (size_t i = 0; i < participants.size(); ++i) {
    if (participants[i] == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("participants[", i, "] is missing"));
    }
  }
  NeedSpace space(credit_);
  RequirementMatrix reqs = BuildRequirementMatrix({vacancy.vacancy}, &space);
  const Eigen::Index n = static_cast<Eigen::Index>(participants.size());
  std::vector<BestCredit> best;
  best.reserve(participants.size());
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows(n, space.size());
  for (Eigen::Index j = 0; j < n; ++j) {
    best.push_back(ComputeBestCredit(*participants[static_cast<size_t>(j)], space, credit_));
    rows.row(j) = best.back().amount.transpose();
  }
  Coverage coverage = CoverageOfParticipants(reqs, 0, rows);
  FeatureDictionary dict;
  const VacancyFeatures vf =
      BuildVacancyFeatures(*vacancy.vacancy, *vacancy.employer, **site, &dict);
  std::vector<Ranked> ranked;
  ranked.reserve(participants.size());
  for (Eigen::Index j = 0; j < n; ++j) {
    const size_t jj = static_cast<size_t>(j);
    const ParticipantFeatures pf = BuildParticipantFeatures(*participants[jj], dict);
    PairNumbers num =
        EvaluatePair(pf, vf, coverage.essential(j), coverage.optional(j), travel_, params_);
    ranked.push_back({jj, num.tier, num.score, &vacancy.vacancy->id, &participants[jj]->id});
  }
  SortAndCut(options, &ranked);
  std::vector<MatchResult> results;
  results.reserve(ranked.size());
  for (const Ranked& k : ranked) {
    const Eigen::Index j = static_cast<Eigen::Index>(k.index);
    PairSkills sk{&reqs.requirements[0], &reqs.columns[0], &best[k.index], coverage.essential(j),
                  coverage.optional(j)};
    results.push_back(
        Evaluate(*participants[k.index], *vacancy.vacancy, *vacancy.employer, **site, sk));
  }
  return results;
}

absl::StatusOr<MatchResult> Matcher::Explain(const Participant& participant,
                                             const VacancyContext& vacancy) const {
  MatchOptions all;
  all.limit = 0;
  all.include_blocked = true;
  absl::StatusOr<std::vector<MatchResult>> ranked = RankVacancies(participant, {vacancy}, all);
  if (!ranked.ok()) return ranked.status();
  return std::move(ranked->front());
}

}  // namespace carvematch
