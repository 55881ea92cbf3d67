#include "services/candidate_card.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/convert.h"

namespace carvematch {

CandidateCards::CandidateCards() {
  unsigned char salt[16];
  RAND_bytes(salt, sizeof(salt));
  salt_.assign(reinterpret_cast<const char*>(salt), sizeof(salt));
}

void CandidateCards::Fill(const Participant& p, const std::string& vacancy_id, const MatchResult& r,
                          bool anonymous, const Caller& caller, v1::CandidateCard* card) const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const std::string material = absl::StrCat(salt_, vacancy_id, "\n", p.id);
  SHA256(reinterpret_cast<const unsigned char*>(material.data()), material.size(), digest);
  card->set_card_id(absl::StrCat("cand-", absl::BytesToHexString(absl::string_view(
                                              reinterpret_cast<const char*>(digest), 6))));
  card->set_tier(static_cast<v1::Tier>(static_cast<int>(r.tier)));
  card->set_score(r.score);
  for (const SkillClaim& s : p.skills) {
    v1::SkillClaim* c = card->add_skills();
    c->set_skill_uri(s.skill_uri);
    c->set_level(s.level);
    c->set_source(static_cast<v1::EvidenceSource>(static_cast<int>(s.source)));
  }
  *card->mutable_dutch() = LanguageToProto(p.dutch);
  card->set_commute_mode(r.commute_mode
                             ? static_cast<v1::TransportMode>(static_cast<int>(*r.commute_mode))
                             : v1::TRANSPORT_MODE_UNSPECIFIED);
  card->set_commute_minutes(std::max(0, r.commute_minutes));
  ExplanationItemsToProto(r.items, anonymous, card->mutable_items());
  for (Accommodation a : r.accommodations) {
    card->add_accommodations(static_cast<v1::Accommodation>(static_cast<int>(a)));
  }
  card->set_min_hours_per_week(p.min_hours_per_week);
  card->set_max_hours_per_week(p.max_hours_per_week);
  if (!anonymous && caller.SameOrganisation(p.organisation_id)) card->set_participant_id(p.id);
}

void ExplanationItemsToProto(const std::vector<ExplanationItem>& items, bool anonymous,
                             google::protobuf::RepeatedPtrField<v1::ExplanationItem>* out) {
  for (const ExplanationItem& item : items) {
    v1::ExplanationItem* p = out->Add();
    const bool private_item = anonymous && item.criterion == "childcare";
    p->set_criterion(private_item ? "schedule" : item.criterion);
    p->set_status(static_cast<v1::ExplanationItem::Status>(static_cast<int>(item.status)));
    p->set_message(private_item ? "personal schedule constraint around the shift times"
                                : item.message);
    p->set_accommodation(static_cast<v1::Accommodation>(static_cast<int>(item.accommodation)));
  }
}

}  // namespace carvematch
