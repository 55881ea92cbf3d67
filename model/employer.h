// An employer and its work sites.
#ifndef CARVEMATCH_MODEL_EMPLOYER_H_
#define CARVEMATCH_MODEL_EMPLOYER_H_

#include <string>
#include <vector>

#include "model/common.h"

namespace carvematch {

struct Site {
  std::string id;  // unique within the employer
  std::string name;
  Location location;
};

struct Employer {
  std::string id;
  std::string organisation_id;  // whose employer-role keys may manage it
  std::string display_name;
  // Sector code: a NACE section letter with an optional division ("Q86" for
  // hospitals, "C10" for food production, "H52" for warehousing, "N81" for cleaning,
  // "G47" for retail, "O84" for public administration).
  std::string sector;
  std::vector<Site> sites;
  int64_t create_time_unix = 0;
  int64_t update_time_unix = 0;

  const Site* FindSite(const std::string& site_id) const;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_EMPLOYER_H_
