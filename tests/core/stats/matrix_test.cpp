#include <catch2/catch.hpp>
#include <cmath>

#include "assay/stats.hpp"

using Catch::Matchers::Contains;
namespace stats = assay::stats;

TEST_CASE("a matrix CSV gives item ids, points and cells not presented", "[stats][matrix]") {
  auto m = stats::try_read_matrix("m.csv", "q1,q2,q3\n1,0,\n0,2,1\n,1.5,0\n");
  REQUIRE(m.ok());
  REQUIRE(m->items == std::vector<std::string>{"q1", "q2", "q3"});
  REQUIRE(m->rows() == 3);
  CHECK(m->max == std::vector<double>{1, 2, 1});
  CHECK(m->at(1, 1) == 2);
  CHECK(m->at(2, 1) == 1.5);
  CHECK_FALSE(m->presented(0, 2));
  CHECK_FALSE(m->presented(2, 0));
  CHECK_FALSE(m->complete());
  CHECK(m->persons == std::vector<std::string>{"1", "2", "3"});
}

TEST_CASE("a first column named person holds the person ids", "[stats][matrix]") {
  auto m = stats::try_read_matrix("m.csv", "person,a,b\nann,1,0\nbob,0,1\n");
  REQUIRE(m.ok());
  CHECK(m->items == std::vector<std::string>{"a", "b"});
  CHECK(m->persons == std::vector<std::string>{"ann", "bob"});
  CHECK(m->complete());
}

TEST_CASE("a bad matrix is refused naming the file and line", "[stats][matrix]") {
  auto [text, message] = GENERATE(table<std::string, std::string>({
      {"",
       "m.csv: error: empty matrix: expected a header row of item ids\n"
       "  hint: write one column per item, one row per person: 0/1 or points, empty when not presented"},
      {"a,b\n", "m.csv:1: error: no persons: expected one row per person after the header"},
      {"a,b\n1,0\n1\n",
       "m.csv:3: error: expected 2 cells as in the header, found 1\n"
       "  hint: every row needs a cell for every column: leave it empty for an item not presented"},
      {"a,b\n1,0\n1,yes\n",
       "m.csv:3: error: item 'b' (column 2): expected points (a number from 0), found \"yes\"\n"
       "  hint: write 0/1 or the points earned, or leave the cell empty when the item was not presented"},
      {"a,b\n-1,0\n",
       "m.csv:2: error: item 'a' (column 1): expected points (a number from 0), found \"-1\"\n"
       "  hint: write 0/1 or the points earned, or leave the cell empty when the item was not presented"},
      {"a,b,a\n1,0,1\n", "m.csv:1: error: column 3: duplicate item id 'a' (also column 1)"},
      {"a,,b\n1,0,1\n", "m.csv:1: error: column 2: expected an item id, found an empty header cell"},
  }));
  CAPTURE(text);
  auto m = stats::try_read_matrix("m.csv", text);
  REQUIRE_FALSE(m.ok());
  REQUIRE(m.error().format() == message);
}

TEST_CASE("a matrix that is not UTF-8 is refused with the CSV reader's message", "[stats][matrix]") {
  auto m = stats::try_read_matrix("m.csv", "a,b\n1,\xC0\x80\n");
  REQUIRE_FALSE(m.ok());
  REQUIRE_THAT(m.error().format(), Contains("m.csv:2:") && Contains("expected UTF-8 text"));
}
