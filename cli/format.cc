#include "cli/format.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"

namespace carvematch {
namespace {

// Display width: counts UTF-8 code points, not bytes.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) {
    if ((ch & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string StatusMark(v1::ExplanationItem::Status status) {
  switch (status) {
    case v1::ExplanationItem::OK:
      return "ok     ";
    case v1::ExplanationItem::GAP:
      return "gap    ";
    case v1::ExplanationItem::BLOCKER:
      return "BLOCKER";
    default:
      return "       ";
  }
}

void PrintItems(const google::protobuf::RepeatedPtrField<v1::ExplanationItem>& items,
                std::ostream& out) {
  for (const v1::ExplanationItem& item : items) {
    out << "      " << StatusMark(item.status()) << "  " << item.message();
    if (item.accommodation() != v1::ACCOMMODATION_UNSPECIFIED) {
      out << "  [fix: " << AccommodationLabel(item.accommodation()) << "]";
    }
    out << "\n";
  }
}

// "would fit with: flexible start + bike lease" for a blocked pair that can be unblocked.
std::string Unblock(const google::protobuf::RepeatedField<int>& accommodations) {
  std::vector<std::string> names;
  for (int a : accommodations)
    names.push_back(AccommodationLabel(static_cast<v1::Accommodation>(a)));
  return absl::StrJoin(names, " + ");
}

std::string Commute(v1::TransportMode mode, int minutes) {
  if (mode == v1::TRANSPORT_MODE_UNSPECIFIED) return "-";
  return absl::StrCat(ModeName(mode), " ", minutes, " min");
}

}  // namespace

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      line += cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - Width(cell) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_row(header_);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.push_back(std::string(w, '-'));
  print_row(rule);
  for (const auto& row : rows_) print_row(row);
}

std::string TierName(v1::Tier tier) {
  switch (tier) {
    case v1::FITS:
      return "fits";
    case v1::FITS_WITH_ACCOMMODATIONS:
      return "fits with accommodations";
    case v1::BLOCKED:
      return "blocked";
    default:
      return "?";
  }
}

std::string ModeName(v1::TransportMode mode) {
  switch (mode) {
    case v1::WALK:
      return "walk";
    case v1::BIKE:
      return "bike";
    case v1::E_BIKE:
      return "e-bike";
    case v1::MOPED:
      return "moped";
    case v1::CAR:
      return "car";
    case v1::PUBLIC_TRANSPORT:
      return "public transport";
    default:
      return "-";
  }
}

std::string AccommodationLabel(v1::Accommodation a) {
  switch (a) {
    case v1::LANGUAGE_COACHING:
      return "language coaching on the floor";
    case v1::MENTOR:
      return "mentor";
    case v1::FLEXIBLE_START:
      return "flexible start";
    case v1::COMPANY_TRANSPORT:
      return "company transport";
    case v1::CARPOOL:
      return "carpool";
    case v1::BIKE_LEASE:
      return "bike lease";
    case v1::CHILDCARE_SUPPORT:
      return "childcare support";
    case v1::WORKPLACE_LEARNING:
      return "workplace learning";
    default:
      return "-";
  }
}

void PrintMatches(const std::vector<v1::Match>& matches, std::ostream& out) {
  if (matches.empty()) {
    out << "  no vacancies to show\n";
    return;
  }
  int rank = 0;
  for (const v1::Match& m : matches) {
    out << absl::StrFormat("  %2d. %-24s %5.1f  %s — %s, %s (%s)\n", ++rank, TierName(m.tier()),
                           m.score(), m.vacancy_title(), m.employer_name(), m.municipality(),
                           m.vacancy_id());
    const v1::ScoreParts& sp = m.score_parts();
    out << absl::StrFormat(
        "      score: skills %.1f + commute %.1f + Dutch %.1f + hours %.1f + preferences %.1f"
        " + sustainability %.1f - penalty %.1f\n",
        sp.skills(), sp.commute(), sp.language(), sp.hours(), sp.preferences(), sp.sustainability(),
        sp.penalty());
    out << "      commute: " << Commute(m.commute_mode(), m.commute_minutes());
    if (!m.accommodations().empty()) {
      std::vector<std::string> names;
      for (int a : m.accommodations()) {
        names.push_back(AccommodationLabel(static_cast<v1::Accommodation>(a)));
      }
      out << "   relies on: " << absl::StrJoin(names, ", ");
    }
    if (!m.unblock_with().empty()) out << "   would fit with: " << Unblock(m.unblock_with());
    out << "\n";
    PrintItems(m.items(), out);
  }
}

void PrintCandidates(const std::vector<v1::CandidateCard>& cards, std::ostream& out) {
  if (cards.empty()) {
    out << "  no candidates to show\n";
    return;
  }
  int rank = 0;
  for (const v1::CandidateCard& c : cards) {
    out << absl::StrFormat("  %2d. %-14s %-24s %5.1f  hours %g-%g  commute: %s\n", ++rank,
                           c.card_id(), TierName(c.tier()), c.score(), c.min_hours_per_week(),
                           c.max_hours_per_week(), Commute(c.commute_mode(), c.commute_minutes()));
    if (!c.participant_id().empty()) out << "      participant: " << c.participant_id() << "\n";
    if (!c.unblock_with().empty()) {
      out << "      would fit with: " << Unblock(c.unblock_with()) << "\n";
    }
    PrintItems(c.items(), out);
  }
}

std::string ToJsonLine(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace carvematch
