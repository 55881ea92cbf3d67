// Readable terminal output: aligned tables, and matches with their explanations.
#ifndef CARVEMATCH_CLI_FORMAT_H_
#define CARVEMATCH_CLI_FORMAT_H_

#include <ostream>
#include <string>
#include <vector>

#include "carvematch/v1/match.pb.h"
#include "google/protobuf/message.h"

namespace carvematch {

// A table with a header row; columns are as wide as their widest cell (UTF-8 aware).
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

std::string TierName(v1::Tier tier);
std::string ModeName(v1::TransportMode mode);
std::string AccommodationLabel(v1::Accommodation a);

// Ranked vacancies for one participant, each with its explanation items.
void PrintMatches(const std::vector<v1::Match>& matches, std::ostream& out);
// Anonymous candidate cards for one vacancy.
void PrintCandidates(const std::vector<v1::CandidateCard>& cards, std::ostream& out);

// One message in the protobuf JSON mapping (for --json), on one line.
std::string ToJsonLine(const google::protobuf::Message& message);

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_FORMAT_H_
