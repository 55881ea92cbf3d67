// Reports of CarvingService answers for people: `carvematch review` and `carvematch
// carve` print them on the terminal, and `--html FILE` writes them as one
// self-contained page (inline CSS, no scripts, no external resources) an employer can
// read and print. All text from the server is HTML-escaped.
#ifndef CARVEMATCH_CLI_CARVING_REPORT_H_
#define CARVEMATCH_CLI_CARVING_REPORT_H_

#include <ostream>
#include <string>

#include "carvematch/v1/carving.pb.h"

namespace carvematch {

// "essential", "trainable", "nice to have", "alternative exists".
std::string RequirementClassLabel(v1::RequirementClass c);
// "listening A2, reading A1, speaking B2, writing A1"; "none" when no level is set.
std::string DutchLevelsText(const v1::LanguageLevels& levels);
// &, <, >, " and ' as HTML entities.
std::string HtmlEscape(const std::string& text);

void PrintReview(const v1::ReviewRequirementsResponse& review, std::ostream& out);
void PrintCarving(const v1::CarveResponse& carving, std::ostream& out);

// A complete HTML document. `title` names the vacancy or vacancies.
std::string ReviewHtml(const v1::ReviewRequirementsResponse& review, const std::string& title);
std::string CarvingHtml(const v1::CarveResponse& carving, const std::string& title);

}  // namespace carvematch

#endif  // CARVEMATCH_CLI_CARVING_REPORT_H_
