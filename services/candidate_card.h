// Candidate cards: what a caller sees of a participant for one vacancy, shared by
// MatchService.RankParticipants and CarvingService's proposals.
//
// - An anonymous card (for employers) carries no participant id, and its explanation
//   says "personal schedule constraint" where the matcher says childcare: family
//   situation is a protected ground. A coach sees the id of their own organisation's
//   participants only.
// - A card id is a salted hash of (vacancy, participant): stable within one server
//   process, not linkable across vacancies, and not reversible by hashing candidate ids
//   (the salt is random per CandidateCards object).
//
// Example usage:
//   CandidateCards cards;  // one per service
//   ASSIGN_OR_RETURN(MatchResult r, matcher.Explain(participant, vacancy_context));
//   cards.Fill(participant, vacancy.id, r, /*anonymous=*/caller.role == Role::kEmployer,
//              caller, response->add_candidates());
#ifndef CARVEMATCH_SERVICES_CANDIDATE_CARD_H_
#define CARVEMATCH_SERVICES_CANDIDATE_CARD_H_

#include <string>
#include <vector>

#include "carvematch/v1/match.pb.h"
#include "matcher/matcher.h"
#include "model/participant.h"
#include "services/auth.h"

namespace carvematch {

class CandidateCards {
 public:
  CandidateCards();  // draws the salt

  void Fill(const Participant& p, const std::string& vacancy_id, const MatchResult& r,
            bool anonymous, const Caller& caller, v1::CandidateCard* card) const;

 private:
  std::string salt_;
};

// Explanation items as the API sends them; `anonymous` hides childcare as above.
void ExplanationItemsToProto(const std::vector<ExplanationItem>& items, bool anonymous,
                             google::protobuf::RepeatedPtrField<v1::ExplanationItem>* out);

}  // namespace carvematch

#endif  // CARVEMATCH_SERVICES_CANDIDATE_CARD_H_
