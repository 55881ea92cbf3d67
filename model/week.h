// A week as 7 x 96 quarter-hours = 672 bits in 11 machine words, the unit in which
// schedules are compared: "the shift fits the availability" is (shift & ~avail) == 0.
#ifndef CARVEMATCH_MODEL_WEEK_H_
#define CARVEMATCH_MODEL_WEEK_H_

#include <array>
#include <cstdint>
#include <vector>

#include "model/common.h"

namespace carvematch {

inline constexpr int kQuartersPerDay = 96;
inline constexpr int kQuartersPerWeek = kDaysPerWeek * kQuartersPerDay;  // 672
inline constexpr int kWeekWords = (kQuartersPerWeek + 63) / 64;          // 11

class WeekMask {
 public:
  WeekMask() = default;
  static WeekMask Full();
  // The quarter-hours touched by a span; a span past midnight continues into the
  // next day (Sunday wraps to Monday). Partial quarters count as touched.
  static WeekMask FromSpan(const WeeklySpan& span);
  static WeekMask FromSpans(const std::vector<WeeklySpan>& spans);

  void Set(int quarter);
  bool Test(int quarter) const;
  bool Empty() const;
  int Count() const;
  // True when every quarter set here is also set in `outer`.
  bool Within(const WeekMask& outer) const;
  WeekMask operator&(const WeekMask& o) const;
  WeekMask operator|(const WeekMask& o) const;
  WeekMask operator~() const;
  bool operator==(const WeekMask& o) const { return words_ == o.words_; }
  const std::array<uint64_t, kWeekWords>& words() const { return words_; }

 private:
  std::array<uint64_t, kWeekWords> words_{};
};

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_WEEK_H_
