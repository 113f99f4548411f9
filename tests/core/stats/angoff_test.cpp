// Angoff standard setting: each judge's cut is the mean of their estimates over the items they
// rated, the recommendation the mean over judges with the standard error across judges. The
// figures below are worked out by hand.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "assay/angoff.hpp"

using namespace assay;
using Catch::Matchers::Contains;

namespace {

stats::Matrix ratings(const std::string& csv) {
  auto m = stats::try_read_matrix("ratings.csv", csv);
  REQUIRE(m.ok());
  return m.value();
}

}  // namespace

TEST_CASE("Angoff: judges' cuts, their mean and its standard error", "[stats][angoff]") {
  // J1: (.5 + .6 + .7 + .8) / 4 = 65 %; J2: 55 %; J3: 75 %. Mean 65, SD 10, SE 10 / sqrt(3).
  auto a =
      stats::angoff(ratings("judge,q1,q2,q3,q4\nJ1,0.5,0.6,0.7,0.8\nJ2,0.4,0.5,0.6,0.7\nJ3,0.6,0.7,0.8,0.9\n"), "ratings.csv");
  REQUIRE(a.ok());
  CHECK(a.value().judges == std::vector<std::string>{"J1", "J2", "J3"});
  CHECK(a.value().judge_cut[0] == Approx(65));
  CHECK(a.value().judge_cut[1] == Approx(55));
  CHECK(a.value().cut == Approx(65));
  CHECK(a.value().sd == Approx(10));
  CHECK(a.value().se == Approx(5.773502692));
  CHECK(a.value().item_mean[0] == Approx(0.5));
  CHECK(a.value().item_sd[0] == Approx(0.1));
  CHECK_THAT(stats::to_text(a.value()), Contains("recommended pass mark: 65.0 % (standard error 5.8 %, 3 judges)"));
  CHECK_THAT(stats::to_text(a.value()), Contains("assay never changes it for you"));
  CHECK(stats::to_json(a.value())["angoff"]["cut_percent"].get<double>() == Approx(65));
}

TEST_CASE("Angoff: a judge who skipped an item is averaged over what they rated; bad ratings are refused", "[stats][angoff]") {
  auto a = stats::angoff(ratings("judge,q1,q2\nJ1,0.5,\nJ2,0.7,0.9\n"), "ratings.csv");
  REQUIRE(a.ok());
  CHECK(a.value().judge_cut[0] == Approx(50));
  CHECK(a.value().judge_cut[1] == Approx(80));
  CHECK(a.value().se == Approx(15));  // SD sqrt(450) / sqrt(2)

  auto over = stats::angoff(ratings("judge,q1\nJ1,1.5\n"), "ratings.csv");
  REQUIRE_FALSE(over.ok());
  CHECK_THAT(over.error().message, Contains("expected a probability from 0 to 1"));
  auto none = stats::angoff(ratings("judge,q1,q2\nJ1,,\nJ2,0.5,0.5\n"), "ratings.csv");
  REQUIRE_FALSE(none.ok());
  CHECK_THAT(none.error().message, Contains("judge 'J1' rated no item"));
}
