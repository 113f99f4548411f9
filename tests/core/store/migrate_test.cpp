// Moving from SQLite to PostgreSQL: every row copied, checked, and nothing copied into a database
// that holds rows. Hidden ([.postgresql]): runs in the "postgresql: ..." CTest entries.
#include <catch2/catch.hpp>

#include "assay/store_migrate.hpp"
#include "core/store/backends.hpp"
#include "core/test_support.hpp"

#if ASSAY_TEST_WITH_POSTGRES

using Catch::Matchers::Contains;
using store_test::Database;
namespace serve = assay::serve;

namespace {

using assay::test::at;

}  // namespace

TEST_CASE("an SQLite database is copied into an empty PostgreSQL one row for row, and never into a full one",
          "[serve][store][.postgresql]") {
  if (!store_test::postgres_requested()) {
    WARN("a PostgreSQL test: run it with ASSAY_TEST_STORE=postgresql (ctest -L postgresql)");
    return;
  }
  Database sqlite(false), pg(true);
  {
    auto s = sqlite.store();
    serve::User admin{0, "admin", serve::Role::kAdministrator, "$argon2id$x", at("2026-03-01T08:00:00Z")};
    serve::User rater{0, "rater", serve::Role::kRater, "$argon2id$y", at("2026-03-01T08:00:00Z")};
    REQUIRE(s->insert_user(admin));
    REQUIRE(s->insert_user(rater));
    s->insert_session({"tok", admin.id, "csrf", at("2026-03-01T20:00:00Z")});
    s->put_setting("k", "v");
    serve::Campaign c;
    c.title = "March";
    c.opens = at("2026-03-01T09:00:00Z");
    c.closes = at("2026-03-02T09:00:00Z");
    c.privacy_notice = "notice, with \"quotes\" and ünïcode";
    s->insert_campaign(c);
    std::vector<serve::Candidate> cs(3);
    for (std::size_t i = 0; i < cs.size(); ++i) {
      cs[i].campaign_id = c.id;
      cs[i].name = "c" + std::to_string(i);
      cs[i].link_hash = "h" + std::to_string(i);
    }
    s->insert_candidates(cs);
    s->delete_candidate(cs[2].id);  // the id stays given
    for (const char* id : {"z-first", "a-second"}) {
      serve::StoredAttempt a;
      a.attempt.attempt_id = id;
      a.attempt.assessment_sha256 = std::string(64, '0');
      a.attempt.started = at("2026-03-01T09:00:00Z");
      a.candidate_id = id[0] == 'z' ? cs[0].id : cs[1].id;
      a.campaign_id = c.id;
      REQUIRE(s->insert_attempt(a));
    }
    REQUIRE(s->save_answer("z-first", "q1", R"({"answer":"x"})", at("2026-03-01T09:01:00Z"), 4).revision == 4);
    REQUIRE(s->mark_submitted("z-first", at("2026-03-01T09:02:00Z")));
    s->save_rating("z-first", "q1", "accuracy", "good", "rater", at("2026-03-01T10:00:00Z"));
    s->add_signal("z-first", {"paste", "q1", at("2026-03-01T09:01:30Z")});
    s->put_result("z-first", R"({"v":1})");
    s->add_exclusion(c.id, {"q2", "typo", "admin", at("2026-03-01T11:00:00Z")});
    s->log(c.id, {at("2026-03-01T11:00:00Z"), "admin", "exclude", "q2"});
    s->count_hit("login:1.2.3.4", at("2026-03-01T11:00:00Z"), 2);
    s->put_self_identification(cs[0].id, c.id, R"({"sex":"Female"})", at("2026-03-01T09:03:00Z"));
    s->queue_statements({{"st-1", "z-first", R"({"id":"st-1"})", 0}}, at("2026-03-01T09:04:00Z"));
  }
  auto copied = serve::copy_sqlite_to_postgres(sqlite.location(), pg.location());
  if (!copied) FAIL(copied.error());
  REQUIRE(copied.value().size() == 15);
  for (const auto& t : copied.value()) {
    CAPTURE(t.name);
    REQUIRE(t.sha256.size() == 64);
    if (t.name == "candidates") REQUIRE(t.rows == 2);
    if (t.name == "attempts") REQUIRE(t.rows == 2);
  }

  auto p = pg.store();
  REQUIRE(p->users().size() == 2);
  REQUIRE(p->find_session("tok")->user_id == p->find_user("admin")->id);
  REQUIRE(p->setting("k") == "v");
  auto campaign = p->campaigns().at(0);
  REQUIRE(campaign.privacy_notice == "notice, with \"quotes\" and ünïcode");
  auto attempts = p->campaign_attempts(campaign.id);
  REQUIRE(attempts.size() == 2);
  REQUIRE(attempts[0].attempt.attempt_id == "z-first");  // in the order they were started
  REQUIRE(attempts[0].attempt.answers.at("q1") == R"({"answer":"x"})");
  REQUIRE(attempts[0].revisions.at("q1") == 4);
  REQUIRE(attempts[0].attempt.ratings.at("q1").at("accuracy") == "good");
  REQUIRE(attempts[0].attempt.submitted);
  REQUIRE(p->signals("z-first").size() == 1);
  REQUIRE(p->result("z-first") == R"({"v":1})");
  REQUIRE(p->exclusions(campaign.id).at(0).by == "admin");
  REQUIRE(p->log_entries(campaign.id).at(0).user == "admin");
  REQUIRE(p->count_hit("login:1.2.3.4", at("2026-03-01T11:00:00Z"), 0) == 2);
  REQUIRE(p->self_identifications(campaign.id).size() == 1);
  REQUIRE(p->outbox_counts().waiting == 1);
  REQUIRE(p->self_identifications(campaign.id).at(0).second == R"({"sex":"Female"})");
  // Ids go on after the copied ones: none given twice.
  serve::User later{0, "later", serve::Role::kManager, "$argon2id$z", at("2026-03-02T08:00:00Z")};
  REQUIRE(p->insert_user(later));
  REQUIRE(later.id == 3);
  std::vector<serve::Candidate> more(1);
  more[0].campaign_id = campaign.id;
  more[0].link_hash = "h-more";
  p->insert_candidates(more);
  REQUIRE(more[0].id == 4);

  auto again = serve::copy_sqlite_to_postgres(sqlite.location(), pg.location());
  REQUIRE_FALSE(again);
  CHECK_THAT(again.error(), Contains(": error: the target database is not empty: table users holds 3 rows"));
}

#endif
