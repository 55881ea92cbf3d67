#include "matcher/skill_coverage.h"

#include <algorithm>
#include <map>

namespace carvematch {
namespace {

constexpr std::string_view kSameSkill = "same skill";

const std::vector<int>& NoColumns() {
  static const std::vector<int>* const kNone = new std::vector<int>();
  return *kNone;
}

float EffectiveLevel(int level) { return level <= 0 ? 0.5f : static_cast<float>(level); }

}  // namespace

float LevelFactor(int have_level, int need_level) {
  return std::min(1.0f, EffectiveLevel(have_level) / EffectiveLevel(need_level));
}

std::vector<Requirement> VacancyRequirements(const Vacancy& vacancy) {
  std::map<std::string, Requirement> merged;
  for (const Task& task : vacancy.tasks) {
    for (const SkillRequirement& s : task.skills) {
      auto [it, inserted] =
          merged.try_emplace(s.skill_uri, Requirement{s.skill_uri, s.level, s.essential});
      if (!inserted) {
        it->second.level = std::max(it->second.level, s.level);
        it->second.essential = it->second.essential || s.essential;
      }
    }
  }
  std::vector<Requirement> out;
  out.reserve(merged.size());
  for (auto& [uri, r] : merged) out.push_back(std::move(r));
  return out;
}

int NeedSpace::Add(const std::string& uri, int level) {
  std::vector<int>& cols = by_uri_[uri];
  for (int c : cols) {
    if (levels_[static_cast<size_t>(c)] == level) return c;
  }
  int col = size();
  uris_.push_back(uri);
  levels_.push_back(level);
  cols.push_back(col);
  const int index = credit_.Index(uri);
  if (index >= 0) {
    if (static_cast<size_t>(index) >= by_index_.size()) {
      by_index_.resize(static_cast<size_t>(index) + 1);
    }
    by_index_[static_cast<size_t>(index)].push_back(col);
  }
  return col;
}

const std::vector<int>& NeedSpace::ColumnsOfUri(const std::string& uri) const {
  auto it = by_uri_.find(uri);
  return it == by_uri_.end() ? NoColumns() : it->second;
}

const std::vector<int>& NeedSpace::ColumnsOfIndex(int skill) const {
  if (skill < 0 || static_cast<size_t>(skill) >= by_index_.size()) return NoColumns();
  return by_index_[static_cast<size_t>(skill)];
}

BestCredit ComputeBestCredit(const Participant& participant, const NeedSpace& space,
                             const SkillCredit& credit) {
  const int k = space.size();
  BestCredit best;
  best.amount = Eigen::VectorXf::Zero(k);
  best.claim.assign(static_cast<size_t>(k), -1);
  best.credit.assign(static_cast<size_t>(k), 0.0f);
  best.level_factor.assign(static_cast<size_t>(k), 0.0f);
  best.relation.assign(static_cast<size_t>(k), std::string_view());
  auto offer = [&](int col, int claim, float c, std::string_view relation) {
    const SkillClaim& s = participant.skills[static_cast<size_t>(claim)];
    float lf = LevelFactor(s.level, space.level(col));
    float amount = c * lf;
    if (amount > best.amount(col)) {
      size_t i = static_cast<size_t>(col);
      best.amount(col) = amount;
      best.claim[i] = claim;
      best.credit[i] = c;
      best.level_factor[i] = lf;
      best.relation[i] = relation;
    }
  };
  for (size_t ci = 0; ci < participant.skills.size(); ++ci) {
    const SkillClaim& s = participant.skills[ci];
    const int claim = static_cast<int>(ci);
    for (int col : space.ColumnsOfUri(s.skill_uri)) offer(col, claim, 1.0f, kSameSkill);
    int have = credit.Index(s.skill_uri);
    if (have < 0) continue;
    for (const CreditEdge& e : credit.Related(have)) {
      if (e.need == have) continue;
      for (int col : space.ColumnsOfIndex(e.need)) offer(col, claim, e.credit, e.relation);
    }
  }
  return best;
}

namespace {

// Calls offer(column, amount) for every credit the participant's skills give a need
// column (its own URI at every level, and related skills through `credit`), amount > 0;
// a column can be offered several times.
template <typename Offer>
void ForEachCreditOffer(const Participant& participant, const NeedSpace& space,
                        const SkillCredit& credit, Offer offer) {
  auto offer_scaled = [&](int col, const SkillClaim& s, float c) {
    const float amount = c * LevelFactor(s.level, space.level(col));
    if (amount > 0.0f) offer(col, amount);
  };
  for (const SkillClaim& s : participant.skills) {
    for (int col : space.ColumnsOfUri(s.skill_uri)) offer_scaled(col, s, 1.0f);
    const int have = credit.Index(s.skill_uri);
    if (have < 0) continue;
    for (const CreditEdge& e : credit.Related(have)) {
      if (e.need == have) continue;
      for (int col : space.ColumnsOfIndex(e.need)) offer_scaled(col, s, e.credit);
    }
  }
}

}  // namespace

void ScatterBestCredit(const Participant& participant, const NeedSpace& space,
                       const SkillCredit& credit, float* dense, std::vector<int>* touched) {
  ForEachCreditOffer(participant, space, credit, [&](int col, float amount) {
    if (amount > dense[col]) {
      dense[col] = amount;
      touched->push_back(col);
    }
  });
}

std::vector<std::pair<int, float>> SparseBestCredit(const Participant& participant,
                                                    const NeedSpace& space,
                                                    const SkillCredit& credit) {
  std::vector<std::pair<int, float>> offers;
  ForEachCreditOffer(participant, space, credit,
                     [&](int col, float amount) { offers.emplace_back(col, amount); });
  std::sort(offers.begin(), offers.end());
  std::vector<std::pair<int, float>> out;
  for (const auto& [col, amount] : offers) {
    if (!out.empty() && out.back().first == col) {
      out.back().second = std::max(out.back().second, amount);
    } else {
      out.emplace_back(col, amount);
    }
  }
  return out;
}

RequirementMatrix BuildRequirementMatrix(const std::vector<const Vacancy*>& vacancies,
                                         NeedSpace* space) {
  RequirementMatrix out;
  using Triplet = Eigen::Triplet<float>;
  std::vector<Triplet> ess, opt;
  const int m = static_cast<int>(vacancies.size());
  for (int row = 0; row < m; ++row) {
    std::vector<Requirement> reqs = VacancyRequirements(*vacancies[static_cast<size_t>(row)]);
    std::vector<int> cols;
    cols.reserve(reqs.size());
    for (const Requirement& r : reqs) {
      int col = space->Add(r.skill_uri, r.level);
      cols.push_back(col);
      (r.essential ? ess : opt).emplace_back(row, col, 1.0f);
    }
    out.requirements.push_back(std::move(reqs));
    out.columns.push_back(std::move(cols));
  }
  out.essential.resize(m, space->size());
  out.optional.resize(m, space->size());
  out.essential.setFromTriplets(ess.begin(), ess.end());
  out.optional.setFromTriplets(opt.begin(), opt.end());
  return out;
}

namespace {

// sum / count per entry, 1 where count is 0.
Eigen::VectorXf Ratio(const Eigen::VectorXd& sum, const Eigen::VectorXd& count) {
  Eigen::VectorXf out(sum.size());
  for (Eigen::Index i = 0; i < sum.size(); ++i) {
    out(i) = CoverageRatio(sum(i), static_cast<int>(count(i)));
  }
  return out;
}

Eigen::VectorXd RowCounts(const Eigen::SparseMatrix<float, Eigen::RowMajor>& r) {
  return r.cast<double>() * Eigen::VectorXd::Ones(r.cols());
}

}  // namespace

Coverage CoverageOfVacancies(const RequirementMatrix& reqs, const Eigen::VectorXf& best) {
  // In double: a sum of a few dozen credits (float values) is exact, so it does not
  // depend on the order of the terms (the batch kernel sums in another order).
  const Eigen::VectorXd b = best.cast<double>();
  Coverage c;
  c.essential = Ratio(reqs.essential.cast<double>() * b, RowCounts(reqs.essential));
  c.optional = Ratio(reqs.optional.cast<double>() * b, RowCounts(reqs.optional));
  return c;
}

Coverage CoverageOfParticipants(
    const RequirementMatrix& reqs, int row,
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>& best_rows) {
  // The requirement row as a dense column vector r (k), then B * r (n).
  Eigen::VectorXd r_ess = Eigen::VectorXd(reqs.essential.row(row).transpose().cast<double>());
  Eigen::VectorXd r_opt = Eigen::VectorXd(reqs.optional.row(row).transpose().cast<double>());
  const Eigen::Index n = best_rows.rows();
  const Eigen::MatrixXd b = best_rows.cast<double>();
  Coverage c;
  c.essential = Ratio(b * r_ess, Eigen::VectorXd::Constant(n, r_ess.sum()));
  c.optional = Ratio(b * r_opt, Eigen::VectorXd::Constant(n, r_opt.sum()));
  return c;
}

}  // namespace carvematch
