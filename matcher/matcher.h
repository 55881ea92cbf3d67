// Matching: score participants against vacancies, both ways, under the constraints of
// real lives, and explain every score (docs/matching.md has the full semantics).
//
// For one participant x vacancy pair the matcher checks skills (with partial credit for
// related skills), commute, schedule and childcare, Dutch per language skill (against
// what the tasks need, not what the vacancy text states), driving licences, functional
// capacities, exclusions, hours and preferences. Each check gives an ExplanationItem:
// OK, GAP (a difference that lowers the score or that an offered accommodation
// bridges) or BLOCKER (the person cannot start as things are). The tier says whether
// the person can start (FITS), can start thanks to accommodations the vacancy offers
// (FITS_WITH_ACCOMMODATIONS), or not (BLOCKED); the score 0..100 says how well.
//
// Example usage:
//   TravelModel travel;
//   TaxonomyCredit credit(taxonomy);
//   Matcher matcher(credit, travel);
//   std::vector<VacancyContext> vacancies = {{&vacancy, &employer, nullptr}};
//   ASSIGN_OR_RETURN(std::vector<MatchResult> ranked,
//                    matcher.RankVacancies(participant, vacancies, MatchOptions{}));
//
// Outcomes are not errors: a participant with no fitting vacancy gets BLOCKED results
// (or an empty list with include_blocked = false). Only malformed input is an error.
#ifndef CARVEMATCH_MATCHER_MATCHER_H_
#define CARVEMATCH_MATCHER_MATCHER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/skill_credit.h"
#include "mobility/travel.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

// Ordered best first; the values mirror the API enum (UNSPECIFIED = 0).
enum class Tier : int { kUnspecified = 0, kFits, kFitsWithAccommodations, kBlocked };
std::string_view TierName(Tier t);  // "fits", "fits with accommodations", "blocked"

enum class ItemStatus : int { kUnspecified = 0, kOk, kGap, kBlocker };
std::string_view ItemStatusName(ItemStatus s);  // "ok", "gap", "blocker"

// One line of an explanation.
struct ExplanationItem {
  // Stable snake_case key: "skills", "commute", "schedule", "childcare",
  // "dutch_listening", "dutch_reading", "dutch_speaking", "dutch_writing", "licence",
  // "lifting", "standing", "night_work", "customer_contact", "working_alone",
  // "digital_tools", "qualification", "exclusions", "hours", "preferences", "outcome",
  // "contract", "predictability", "level".
  std::string criterion;
  ItemStatus status = ItemStatus::kUnspecified;
  std::string message;  // readable English, with the numbers
  // For a GAP: the accommodation the vacancy offers and the fit relies on.
  // For a BLOCKER: the accommodation that would unblock it if the employer offered it.
  // kUnspecified when none applies.
  Accommodation accommodation = Accommodation::kUnspecified;
};

// How one skill requirement was credited.
struct SkillCreditNote {
  std::string need_uri;
  int need_level = 1;
  bool essential = true;
  std::string have_uri;  // the participant's skill that earned the credit; "" if none
  int have_level = 0;
  EvidenceSource source = EvidenceSource::kUnspecified;
  std::string relation;    // "same skill", "essential related skill", ...
  float credit = 0;        // relation credit, 1 for the same skill
  float level_factor = 0;  // min(1, have/need), level 0 counts as 0.5
  float amount = 0;        // credit x level_factor, in [0, 1]
  std::string message;     // "care for family: 'cook' credits 'prepare meals' 0.6"
};

// The parts of the score (they add up to `score`, before clamping to 0..100).
struct ScoreParts {
  double skills = 0;       // 0..50
  double commute = 0;      // 0..15
  double language = 0;     // 0..15
  double hours = 0;        // 0..10
  double preferences = 0;  // 0..10
  double penalty = 0;      // subtracted: avoided sector or occupation
  // Contract type, schedule predictability and "aim not too low": -12..+3.
  double sustainability = 0;
};

// A vacancy with the records it refers to. `site` may be null: it is then looked up
// as employer->FindSite(vacancy->site_id).
struct VacancyContext {
  const Vacancy* vacancy = nullptr;
  const Employer* employer = nullptr;
  const Site* site = nullptr;
};

struct MatchOptions {
  int limit = 20;  // at most this many results; <= 0 for all
  bool include_blocked = true;
};

struct MatchResult {
  std::string participant_id;
  std::string vacancy_id;
  Tier tier = Tier::kUnspecified;
  double score = 0;  // 0..100
  ScoreParts parts;
  float coverage_essential = 0;  // 0..1
  float coverage_optional = 0;   // 0..1
  // The mode of the commute; nullopt when there is none or when the employer's
  // company transport or a carpool provides it (see the "commute" item).
  std::optional<TransportMode> commute_mode;
  int commute_minutes = -1;  // one way, the longer leg of the worst shift; -1 if none
  std::vector<ExplanationItem> items;
  // Accommodations the fit relies on (distinct, in enum order).
  std::vector<Accommodation> accommodations;
  std::vector<SkillCreditNote> credits;  // one per skill requirement, URI order
};

// Tunable parameters, with the documented defaults (docs/matching.md).
struct MatcherParams {
  // A flexible start moves a shift by at most this many minutes (either way)...
  int max_flexible_start_minutes = 60;
  // ...in steps of this many minutes.
  int flexible_start_step_minutes = 5;
  // Company transport and carpools cover home-site distances under this (straight line).
  double shared_ride_max_km = 40;
  // Hours outside [min, max] wanted by more than this fraction block; less is a gap.
  double hours_blocker_fraction = 0.25;
  // Subtracted from the score for an avoided sector or occupation.
  double avoided_penalty = 25;
  // An essential requirement credited below this counts as missing in the message.
  float missing_below = 0.5f;
  // Subtracted when the vacancy's skill needs are far below the participant's
  // demonstrated level ("aim not too low").
  double aim_too_low_penalty = 5;
};

class Matcher {
 public:
  // Both references must outlive the matcher; both must be thread-safe for const use.
  Matcher(const SkillCredit& credit, const TravelTimeEstimator& travel, MatcherParams params = {});

  // Ranks vacancies for one participant.
  // - Order: tier (fits, with accommodations, blocked), then score descending, then
  //   vacancy id ascending. Deterministic: the same input gives the same output.
  // - Returns at most options.limit results; blocked ones only with include_blocked.
  // - InvalidArgument when a context lacks its vacancy or employer, FailedPrecondition
  //   when a vacancy's site is not among its employer's sites.
  // Thread-safe.
  absl::StatusOr<std::vector<MatchResult>> RankVacancies(
      const Participant& participant, const std::vector<VacancyContext>& vacancies,
      const MatchOptions& options) const;

  // Ranks participants for one vacancy; the same order with participant id as the
  // last key. InvalidArgument for a null participant, and as RankVacancies.
  absl::StatusOr<std::vector<MatchResult>> RankParticipants(
      const VacancyContext& vacancy, const std::vector<const Participant*>& participants,
      const MatchOptions& options) const;

  // The full result of one pair, whatever its tier.
  absl::StatusOr<MatchResult> Explain(const Participant& participant,
                                      const VacancyContext& vacancy) const;

  const MatcherParams& params() const { return params_; }
  const SkillCredit& credit() const { return credit_; }
  const TravelTimeEstimator& travel() const { return travel_; }

 private:
  struct PairSkills;
  MatchResult Evaluate(const Participant& p, const Vacancy& v, const Employer& e, const Site& site,
                       const PairSkills& skills) const;

  const SkillCredit& credit_;
  const TravelTimeEstimator& travel_;
  MatcherParams params_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_MATCHER_H_
