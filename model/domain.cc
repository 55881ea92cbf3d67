// Small accessors of the domain structs (participant.h, employer.h, vacancy.h).
#include <algorithm>

#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

bool Participant::HasMode(TransportMode m) const {
  return std::find(transport_modes.begin(), transport_modes.end(), m) != transport_modes.end();
}

bool Participant::HasLicence(const std::string& category) const {
  return std::find(licences.begin(), licences.end(), category) != licences.end();
}

const Site* Employer::FindSite(const std::string& site_id) const {
  for (const Site& s : sites) {
    if (s.id == site_id) return &s;
  }
  return nullptr;
}

bool Vacancy::Offers(Accommodation a) const {
  return std::find(accommodations.begin(), accommodations.end(), a) != accommodations.end();
}

}  // namespace carvematch
