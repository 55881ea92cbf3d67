// Hand-written SkillCredit and TravelTimeEstimator for matcher tests.
#ifndef CARVEMATCH_TESTS_MATCHER_FAKES_H_
#define CARVEMATCH_TESTS_MATCHER_FAKES_H_

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "matcher/skill_credit.h"
#include "mobility/travel.h"

namespace carvematch {

// Skills are registered by URI with a label; Relate(a, b, c) lets a credit b by c.
class FakeSkillCredit : public SkillCredit {
 public:
  int AddSkill(const std::string& uri, const std::string& label) {
    int index = static_cast<int>(uris_.size());
    uris_.push_back(uri);
    index_[uri] = index;
    labels_[uri] = label;
    related_.emplace_back();
    return index;
  }
  void Relate(const std::string& have, const std::string& need, float credit) {
    related_[static_cast<size_t>(index_.at(have))].push_back(
        {index_.at(need), credit, "essential related skill"});
  }
  int Index(std::string_view uri) const override {
    auto it = index_.find(std::string(uri));
    return it == index_.end() ? -1 : it->second;
  }
  std::string Label(std::string_view uri) const override {
    auto it = labels_.find(std::string(uri));
    return it == labels_.end() ? std::string(uri) : it->second;
  }
  const std::vector<CreditEdge>& Related(int have) const override {
    static const std::vector<CreditEdge> kNone;
    if (have < 0 || have >= static_cast<int>(related_.size())) return kNone;
    return related_[static_cast<size_t>(have)];
  }

 private:
  std::vector<std::string> uris_;
  std::map<std::string, int> index_;
  std::map<std::string, std::string> labels_;
  std::vector<std::vector<CreditEdge>> related_;
};

// Travel on a line of latitude: 0.001 degree of latitude difference is one minute by
// bike. Walking takes 3x, an e-bike 0.75x, a moped 0.6x, a car 0.5x + 5 min, public
// transport 1x + 10 min and does not run for trips to shifts starting before 06:00.
// Minutes are rounded up.
class FakeTravel : public TravelTimeEstimator {
 public:
  std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                             const WeeklySpan& shift, TripLeg leg) const override {
    double bike = std::fabs(from.lat - to.lat) * 1000.0;
    double m = 0;
    switch (mode) {
      case TransportMode::kWalk:
        m = 3 * bike;
        break;
      case TransportMode::kBike:
        m = bike;
        break;
      case TransportMode::kEBike:
        m = 0.75 * bike;
        break;
      case TransportMode::kMoped:
        m = 0.6 * bike;
        break;
      case TransportMode::kCar:
        m = 0.5 * bike + 5;
        break;
      case TransportMode::kPublicTransport:
        if (leg == TripLeg::kToShift && shift.start_minute < 6 * 60) return std::nullopt;
        m = bike + 10;
        break;
      case TransportMode::kUnspecified:
        return std::nullopt;
    }
    return static_cast<int>(std::ceil(m - 1e-9));
  }
};

// A point `bike_minutes` by bike north of the origin (51.0, 4.0).
inline GeoPoint At(double bike_minutes) { return {51.0 + bike_minutes / 1000.0, 4.0}; }

}  // namespace carvematch

#endif  // CARVEMATCH_TESTS_MATCHER_FAKES_H_
