#include "model/week.h"

#include <algorithm>

namespace carvematch {

WeekMask WeekMask::Full() {
  WeekMask m;
  for (int q = 0; q < kQuartersPerWeek; ++q) m.Set(q);
  return m;
}

WeekMask WeekMask::FromSpan(const WeeklySpan& span) {
  WeekMask m;
  if (span.day == Weekday::kUnspecified || span.end_minute <= span.start_minute) return m;
  int start = DayIndex(span.day) * 1440 + span.start_minute;
  int end = DayIndex(span.day) * 1440 + span.end_minute;
  int first_quarter = start / 15;
  int last_quarter = (end + 14) / 15;  // exclusive, partial quarters count
  for (int q = first_quarter; q < last_quarter; ++q) m.Set(q % kQuartersPerWeek);
  return m;
}

WeekMask WeekMask::FromSpans(const std::vector<WeeklySpan>& spans) {
  WeekMask m;
  for (const WeeklySpan& s : spans) m = m | FromSpan(s);
  return m;
}

void WeekMask::Set(int quarter) { words_[quarter / 64] |= uint64_t{1} << (quarter % 64); }

bool WeekMask::Test(int quarter) const { return (words_[quarter / 64] >> (quarter % 64)) & 1; }

bool WeekMask::Empty() const {
  return std::all_of(words_.begin(), words_.end(), [](uint64_t w) { return w == 0; });
}

int WeekMask::Count() const {
  int n = 0;
  for (uint64_t w : words_) n += __builtin_popcountll(w);
  return n;
}

bool WeekMask::Within(const WeekMask& outer) const {
  for (int i = 0; i < kWeekWords; ++i) {
    if (words_[i] & ~outer.words_[i]) return false;
  }
  return true;
}

WeekMask WeekMask::operator&(const WeekMask& o) const {
  WeekMask r;
  for (int i = 0; i < kWeekWords; ++i) r.words_[i] = words_[i] & o.words_[i];
  return r;
}

WeekMask WeekMask::operator|(const WeekMask& o) const {
  WeekMask r;
  for (int i = 0; i < kWeekWords; ++i) r.words_[i] = words_[i] | o.words_[i];
  return r;
}

WeekMask WeekMask::operator~() const {
  WeekMask r;
  for (int i = 0; i < kWeekWords; ++i) r.words_[i] = ~words_[i];
  // Keep the bits past the last quarter clear, so Count() and == stay meaningful.
  constexpr int kTailBits = kQuartersPerWeek % 64;
  if (kTailBits != 0) r.words_[kWeekWords - 1] &= (uint64_t{1} << kTailBits) - 1;
  return r;
}

}  // namespace carvematch
