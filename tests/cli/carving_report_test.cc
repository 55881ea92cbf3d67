// The carving reports of the CLI: HTML pages escape every text from the server and are
// self-contained; terminal reports carry the numbers an employer acts on.
#include "cli/carving_report.h"

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CarvingReportTest, HtmlEscapeCoversTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("plain"), "plain");
}

TEST(CarvingReportTest, ReviewPageEscapesServerTextAndLoadsNothing) {
  v1::ReviewRequirementsResponse review;
  review.set_vacancy_id("v-1");
  review.set_pool_size(40);
  review.set_fit_as_stated(3);
  v1::RequirementReviewItem* item = review.add_items();
  item->set_label("<script>alert(1)</script>");
  item->set_stated("B2");
  item->set_needed("A2");
  item->set_classification(v1::ALTERNATIVE_EXISTS);
  item->mutable_pool()->set_counts_known(true);
  item->mutable_pool()->set_pool_size(40);
  item->mutable_pool()->set_excluded(31);
  item->mutable_pool()->set_more_if_lowered(17);
  item->set_sentence("Dutch B2 excludes 31 of 40 & more");
  const std::string page = ReviewHtml(review, "Nurse <ward>");
  EXPECT_THAT(page, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page, HasSubstr("Nurse &lt;ward&gt;"));
  EXPECT_THAT(page, HasSubstr("31 of 40"));
  EXPECT_THAT(page, HasSubstr("+17"));
  EXPECT_THAT(page, HasSubstr("excludes 31 of 40 &amp; more"));
  EXPECT_THAT(page, Not(HasSubstr("src=")));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
}

TEST(CarvingReportTest, CarvingReportShowsMovedTasksHoursAndCosts) {
  v1::CarveResponse carving;
  carving.set_movable_tasks(1);
  carving.set_pool_size(36);
  carving.set_exact(true);
  v1::TaskClassification* t = carving.add_tasks();
  t->set_vacancy_id("v-nurse");
  t->set_task_id("restock");
  t->set_disposition(v1::MOVABLE);
  v1::CarvingProposal* p = carving.add_proposals();
  p->set_freed_qualified_hours(24);
  p->set_yearly_cost_difference_eur(32760);
  v1::BundleProposal* b = p->add_bundles();
  b->set_hours_per_week(24);
  b->set_fits_now(6);
  b->mutable_vacancy()->set_title("Logistics & <assistant>");
  v1::MovedTask* m = b->add_tasks();
  m->set_vacancy_id("v-nurse");
  m->set_task_id("restock");
  m->set_hours_per_week(3);
  m->set_description("Restock <carts>");
  b->mutable_before()->mutable_dutch()->set_speaking(v1::B2);
  b->mutable_after()->mutable_dutch()->set_speaking(v1::A2);
  v1::RoleChange* r = p->add_roles();
  r->set_vacancy_id("v-nurse");
  r->set_hours_before(38);
  r->set_hours_after(35);
  r->add_moved_task_ids("restock");

  std::ostringstream text;
  PrintCarving(carving, text);
  EXPECT_THAT(text.str(), HasSubstr("EUR 32,760"));
  EXPECT_THAT(text.str(), HasSubstr("38.0 -> 35.0 h/week"));
  EXPECT_THAT(text.str(), HasSubstr("6 now"));
  EXPECT_THAT(text.str(), HasSubstr("speaking B2"));

  const std::string page = CarvingHtml(carving, "v-nurse");
  EXPECT_THAT(page, HasSubstr("Logistics &amp; &lt;assistant&gt;"));
  EXPECT_THAT(page, HasSubstr("Restock &lt;carts&gt;"));
  EXPECT_THAT(page, Not(HasSubstr("<carts>")));
  EXPECT_THAT(page, HasSubstr("EUR 32,760"));
  EXPECT_THAT(page, HasSubstr("speaking A2"));
  EXPECT_THAT(page, HasSubstr("@media print"));
}

}  // namespace
}  // namespace carvematch
