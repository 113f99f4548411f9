// The Store contract, on whichever back end the run asks for (backends.hpp): the same tests
// run against SQLite and PostgreSQL, as two CTest entries ("core: ..." and "postgresql: ...").
#include <fmt/format.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "core/store/backends.hpp"
#include "core/test_support.hpp"

using Catch::Matchers::Contains;
using store_test::Database;
namespace serve = assay::serve;

namespace {

using assay::test::at;

serve::StoredAttempt an_attempt(std::int64_t candidate, std::int64_t campaign, const char* id = "a-1") {
  serve::StoredAttempt a;
  a.attempt.attempt_id = id;
  a.attempt.candidate_id = "c-1";
  a.attempt.assessment_id = "x";
  a.attempt.assessment_version = "1";
  a.attempt.assessment_sha256 = std::string(64, '0');
  a.attempt.seed = 7;
  a.attempt.form.items = {{"q1", 11}, {"q2", 12}};
  a.attempt.started = at("2026-03-01T09:00:00Z");
  a.attempt.deadline = at("2026-03-01T09:10:00Z");
  a.candidate_id = candidate;
  a.campaign_id = campaign;
  a.browser_hash = "b";
  return a;
}

serve::Campaign a_campaign(serve::Store& store) {
  serve::Campaign c;
  c.title = "t";
  c.opens = at("2026-03-01T09:00:00Z");
  c.closes = at("2026-03-02T09:00:00Z");
  c.created = at("2026-02-01T09:00:00Z");
  store.insert_campaign(c);
  return c;
}

std::vector<serve::Candidate> some_candidates(serve::Store& store, std::int64_t campaign, std::vector<std::string> links) {
  std::vector<serve::Candidate> cs;
  for (auto& l : links) {
    serve::Candidate c;
    c.campaign_id = campaign;
    c.name = "n-" + l;
    c.link_hash = l;
    cs.push_back(c);
  }
  store.insert_candidates(cs);
  return cs;
}

serve::User a_user(const char* name, serve::Role role) {
  return serve::User{0, name, role, "$argon2id$x", at("2026-03-01T09:00:00Z")};
}

}  // namespace

TEST_CASE("the store creates its schema, keeps user names unique and reopens it", "[serve][store]") {
  Database db;
  {
    auto store = db.store();
    auto u = a_user("admin", serve::Role::kAdministrator);
    REQUIRE(store->insert_user(u));
    REQUIRE(u.id > 0);
    REQUIRE_FALSE(store->insert_user(u));  // the name is taken
    REQUIRE(store->user_count() == 1);
  }
  auto again = db.store();
  REQUIRE(again->find_user("admin")->role == serve::Role::kAdministrator);
  REQUIRE_FALSE(again->find_user("nobody"));
}

TEST_CASE("of stores racing to make the first account on one database, one makes it", "[serve][store]") {
  Database db;
  // Two stores on one database, as two servers have, each with four threads trying at once.
  auto first = db.store();
  auto second = db.store();
  std::atomic<int> made{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < 8; ++i)
    racers.emplace_back([&, i] {
      auto u = a_user(("admin-" + std::to_string(i)).c_str(), serve::Role::kAdministrator);
      if ((i % 2 == 0 ? first : second)->insert_first_user(u)) {
        CHECK(u.id > 0);
        ++made;
      }
    });
  for (auto& t : racers) t.join();
  CHECK(made == 1);
  CHECK(first->user_count() == 1);
  auto late = a_user("late", serve::Role::kAdministrator);
  CHECK_FALSE(second->insert_first_user(late));
  CHECK(second->insert_user(late));  // accounts after the first are made as before
}

TEST_CASE("the store keeps answers until submission and none after", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  auto cs = some_candidates(*store, c.id, {"h"});
  REQUIRE(store->insert_attempt(an_attempt(cs[0].id, c.id)));
  REQUIRE_FALSE(store->insert_attempt(an_attempt(cs[0].id, c.id, "a-2")));        // one running attempt per candidate
  REQUIRE_FALSE(store->insert_attempt(an_attempt(cs[0].id + 100, c.id, "a-3")));  // no such candidate

  auto first = store->save_answer("a-1", "q1", R"({"answer":"first"})", at("2026-03-01T09:01:00Z"));
  REQUIRE(first.outcome == serve::SavedAnswer::kSaved);
  REQUIRE(first.revision == 1);
  auto second = store->save_answer("a-1", "q1", R"({"answer":"second"})", at("2026-03-01T09:02:00Z"));
  REQUIRE(second.outcome == serve::SavedAnswer::kSaved);
  REQUIRE(second.revision == 2);  // no revision given: the next one
  REQUIRE(store->mark_submitted("a-1", at("2026-03-01T09:03:00Z")));
  REQUIRE_FALSE(store->mark_submitted("a-1", at("2026-03-01T09:04:00Z")));  // once
  REQUIRE(store->save_answer("a-1", "q2", R"({"answer":"late"})", at("2026-03-01T09:05:00Z")).outcome ==
          serve::SavedAnswer::kSubmitted);
  REQUIRE(store->save_answer("a-1", "q1", R"({"answer":"late"})", at("2026-03-01T09:05:00Z"), 9).outcome ==
          serve::SavedAnswer::kSubmitted);
  REQUIRE(store->save_answer("no-such-attempt", "q2", "{}", at("2026-03-01T09:05:00Z")).outcome ==
          serve::SavedAnswer::kSubmitted);
  auto a = store->attempt("a-1");
  REQUIRE(a->attempt.answers == std::map<std::string, std::string>{{"q1", R"({"answer":"second"})"}});
  REQUIRE(a->revisions == std::map<std::string, std::int64_t>{{"q1", 2}});
  REQUIRE(assay::format_time(*a->attempt.submitted) == "2026-03-01T09:03:00Z");
  REQUIRE(a->attempt.form == an_attempt(0, 0).attempt.form);
  REQUIRE_FALSE(store->attempt("no-such-attempt"));

  SECTION("a submitted attempt makes room for the next one, and they are read back oldest first") {
    REQUIRE(store->insert_attempt(an_attempt(cs[0].id, c.id, "a-0")));
    auto all = store->attempts_of(cs[0].id);
    REQUIRE(all.size() == 2);
    REQUIRE(all[0].attempt.attempt_id == "a-1");
    REQUIRE(all[1].attempt.attempt_id == "a-0");
    REQUIRE_FALSE(all[1].attempt.submitted);
    REQUIRE(store->campaign_attempts(c.id).size() == 2);
    REQUIRE(store->campaign_attempts(c.id + 1).empty());
  }
  SECTION("a rate-limit counter restarts in a new window") {
    auto w1 = at("2026-03-01T09:00:00Z"), w2 = at("2026-03-01T09:10:00Z");
    REQUIRE(store->count_hit("k", w1, 0) == 0);
    REQUIRE(store->count_hit("k", w1, 1) == 1);
    REQUIRE(store->count_hit("k", w1, 1) == 2);
    REQUIRE(store->count_hit("k", w1, 0) == 2);
    REQUIRE(store->count_hit("k", w2, 0) == 0);
    REQUIRE(store->count_hit("k", w2, 1) == 1);
    REQUIRE(store->count_hit("other", w2, 3) == 3);
  }
}

TEST_CASE("opening a link reads its holder, their campaign and their attempts oldest first in one go", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  auto cs = some_candidates(*store, c.id, {"h-none", "h-two", "h-other"});
  REQUIRE_FALSE(store->open_link("h-unknown"));

  auto none = store->open_link("h-none").value();  // a candidate who has not started
  CHECK(none.candidate.id == cs[0].id);
  CHECK(none.candidate.name == "n-h-none");
  CHECK(none.campaign.id == c.id);
  CHECK(none.campaign.title == "t");
  CHECK(none.attempts.empty());

  REQUIRE(store->insert_attempt(an_attempt(cs[1].id, c.id, "a-old")));
  REQUIRE(store->save_answer("a-old", "q1", R"({"answer":"x"})", at("2026-03-01T09:01:00Z")).outcome ==
          serve::SavedAnswer::kSaved);
  REQUIRE(store->mark_submitted("a-old", at("2026-03-01T09:02:00Z")));
  REQUIRE(store->insert_attempt(an_attempt(cs[1].id, c.id, "a-new")));
  REQUIRE(store->save_answer("a-new", "q2", R"({"answer":"y"})", at("2026-03-01T09:03:00Z"), 4).outcome ==
          serve::SavedAnswer::kSaved);
  REQUIRE(store->insert_attempt(an_attempt(cs[2].id, c.id, "a-someone-else")));

  auto two = store->open_link("h-two").value();
  CHECK(two.candidate.id == cs[1].id);
  CHECK(two.campaign.closes == c.closes);
  REQUIRE(two.attempts.size() == 2);
  // The same attempts, answers, revisions and states as attempts_of reads.
  auto expected = store->attempts_of(cs[1].id);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(two.attempts[i].attempt.attempt_id == expected[i].attempt.attempt_id);
    CHECK(two.attempts[i].attempt.answers == expected[i].attempt.answers);
    CHECK(two.attempts[i].revisions == expected[i].revisions);
    CHECK(two.attempts[i].attempt.submitted.has_value() == expected[i].attempt.submitted.has_value());
    CHECK(two.attempts[i].browser_hash == expected[i].browser_hash);
  }
  CHECK(two.attempts[0].attempt.attempt_id == "a-old");
  CHECK(two.attempts[1].attempt.answers == std::map<std::string, std::string>{{"q2", R"({"answer":"y"})"}});
  CHECK(two.attempts[1].revisions == std::map<std::string, std::int64_t>{{"q2", 4}});
  CHECK_FALSE(two.attempts[1].attempt.submitted);
}

TEST_CASE("the store reads back ratings, signals, results, the browser and the deadline of an attempt", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  auto cs = some_candidates(*store, c.id, {"h"});
  REQUIRE(store->insert_attempt(an_attempt(cs[0].id, c.id)));
  store->save_rating("a-1", "q1", "accuracy", "good", "rater", at("2026-03-01T10:00:00Z"));
  store->save_rating("a-1", "q1", "accuracy", "fair", "rater", at("2026-03-01T10:01:00Z"));  // replaced
  store->save_rating("a-1", "q2", "clarity", "poor", "rater", at("2026-03-01T10:02:00Z"));
  store->add_signal("a-1", {"focus_lost", "3 s", at("2026-03-01T09:05:00Z")});
  store->add_signal("a-1", {"paste", "q1", at("2026-03-01T09:04:00Z")});
  store->bind_browser("a-1", "other");
  store->browser_seen("a-1", at("2026-03-01T09:06:30Z"));
  store->set_deadline("a-1", at("2026-03-01T09:20:00Z"));
  store->put_result("a-1", R"({"v":1})");
  store->put_result("a-1", R"({"v":2})");

  auto a = store->attempt("a-1").value();
  REQUIRE(a.attempt.ratings.at("q1").at("accuracy") == "fair");
  REQUIRE(a.attempt.ratings.at("q2").at("clarity") == "poor");
  REQUIRE(a.browser_hash == "other");
  REQUIRE(assay::format_time(a.browser_seen.value()) == "2026-03-01T09:06:30Z");
  REQUIRE(assay::format_time(a.attempt.deadline.value()) == "2026-03-01T09:20:00Z");
  auto sig = store->signals("a-1");
  REQUIRE(sig.size() == 2);
  REQUIRE(sig[0].kind == "focus_lost");  // in the order they were added
  REQUIRE(sig[1].detail == "q1");
  REQUIRE(store->result("a-1") == R"({"v":2})");
  REQUIRE_FALSE(store->result("a-2"));

  store->bind_browser("a-1", "");
  store->set_deadline("a-1", std::nullopt);
  a = store->attempt("a-1").value();
  REQUIRE(a.browser_hash.empty());
  REQUIRE_FALSE(a.browser_seen);  // forgotten with the old browser
  REQUIRE_FALSE(a.attempt.deadline);

  SECTION("deleting a candidate deletes everything of theirs") {
    store->delete_candidate(cs[0].id);
    REQUIRE_FALSE(store->candidate(cs[0].id));
    REQUIRE_FALSE(store->attempt("a-1"));
    REQUIRE(store->signals("a-1").empty());
    REQUIRE_FALSE(store->result("a-1"));
  }
}

TEST_CASE("the store never gives a candidate id twice and adds candidates all or none", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  auto first = some_candidates(*store, c.id, {"h1", "h2", "h3"});
  REQUIRE(first[0].id == 1);
  REQUIRE(first[2].id == 3);
  store->delete_candidate(first[2].id);
  auto next = some_candidates(*store, c.id, {"h4"});
  REQUIRE(next[0].id == 4);  // 3 named a deleted candidate: never given again

  std::vector<serve::Candidate> clash(2);
  clash[0].campaign_id = clash[1].campaign_id = c.id;
  clash[0].link_hash = "h5";
  clash[1].link_hash = "h1";  // taken
  REQUIRE_THROWS_AS(store->insert_candidates(clash), serve::StoreError);
  REQUIRE_FALSE(store->link("h5"));
  REQUIRE(store->candidates(c.id).size() == 3);
  REQUIRE(some_candidates(*store, c.id, {"h6"})[0].id == 5);

  store->set_link(first[0].id, "h1-new");
  store->revoke(first[1].id);
  store->set_extra_time(first[0].id, 600, "manager", "dyslexia");
  REQUIRE_FALSE(store->link("h1"));
  auto [one, its_campaign] = store->link("h1-new").value();
  REQUIRE(its_campaign.id == c.id);
  REQUIRE(its_campaign.title == c.title);
  REQUIRE(its_campaign.closes == store->campaign(c.id)->closes);
  REQUIRE(its_campaign.retention_days == store->campaign(c.id)->retention_days);
  REQUIRE(one.extra_time == 600);
  REQUIRE(one.extra_time_by == "manager");
  REQUIRE(one.extra_time_note == "dyslexia");
  REQUIRE(store->candidate(first[1].id)->revoked);
  REQUIRE(store->campaigns().size() == 1);
  REQUIRE(store->campaign(c.id)->title == "t");
  REQUIRE_FALSE(store->campaign(c.id + 1));
}

TEST_CASE("the store keeps one enabled administrator and ends the sessions of changed accounts", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto admin = a_user("admin", serve::Role::kAdministrator);
  auto zed = a_user("Zed", serve::Role::kRater);
  REQUIRE(store->insert_user(admin));
  REQUIRE(store->insert_user(zed));
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& u : store->users()) out.push_back(u.username);
    return out;
  };
  REQUIRE(names() == std::vector<std::string>{"Zed", "admin"});  // byte order on both back ends

  REQUIRE_FALSE(store->update_user(admin.id, serve::Role::kAdministrator, true));
  REQUIRE_FALSE(store->update_user(admin.id, serve::Role::kManager, false));
  REQUIRE_FALSE(store->delete_user(admin.id));
  REQUIRE(store->user_by_id(admin.id)->role == serve::Role::kAdministrator);

  store->insert_session({"t-zed", zed.id, "csrf", at("2026-03-01T12:00:00Z")});
  REQUIRE(store->find_session("t-zed")->csrf == "csrf");
  store->set_password(zed.id, "$argon2id$y");
  REQUIRE_FALSE(store->find_session("t-zed"));
  REQUIRE(store->user_by_id(zed.id)->password_hash == "$argon2id$y");

  REQUIRE(store->update_user(zed.id, serve::Role::kAdministrator, false));
  store->insert_session({"t-admin", admin.id, "c", at("2026-03-01T12:00:00Z")});
  REQUIRE(store->update_user(admin.id, serve::Role::kAdministrator, true));  // Zed is one now
  REQUIRE(store->user_by_id(admin.id)->disabled);
  REQUIRE_FALSE(store->find_session("t-admin"));
  REQUIRE_FALSE(store->delete_user(zed.id));
  REQUIRE(store->delete_user(admin.id));
  REQUIRE(store->user_count() == 1);
  store->insert_session({"t-zed2", zed.id, "c", at("2026-03-01T12:00:00Z")});
  store->delete_session("t-zed2");
  REQUIRE_FALSE(store->find_session("t-zed2"));
}

TEST_CASE("the store lets one caller of many take a setting", "[serve][store]") {
  Database db;
  auto store = db.store();
  REQUIRE_FALSE(store->setting("setup"));
  store->put_setting("setup", "old");
  store->put_setting("setup", "token");
  REQUIRE(store->setting("setup") == "token");
  REQUIRE_FALSE(store->take_setting("setup", "other"));
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (store->take_setting("setup", "token")) ++winners;
    });
  for (auto& t : threads) t.join();
  REQUIRE(winners == 1);
  REQUIRE_FALSE(store->setting("setup"));
}

TEST_CASE("the store keeps the newest revision of an answer whatever order its saves arrive in", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  auto cs = some_candidates(*store, c.id, {"h"});
  REQUIRE(store->insert_attempt(an_attempt(cs[0].id, c.id)));
  auto t = at("2026-03-01T09:01:00Z");
  using serve::SavedAnswer;
  auto third = store->save_answer("a-1", "q1", R"({"answer":"third"})", t, 3);
  REQUIRE(third.outcome == SavedAnswer::kSaved);
  REQUIRE(third.revision == 3);
  // A retry of the same save writes nothing and says so.
  auto again = store->save_answer("a-1", "q1", R"({"answer":"third"})", t, 3);
  REQUIRE(again.outcome == SavedAnswer::kRepeat);
  REQUIRE(again.revision == 3);
  // An older save arriving late, or another answer under the same revision, is stale.
  auto late = store->save_answer("a-1", "q1", R"({"answer":"second"})", t, 2);
  REQUIRE(late.outcome == SavedAnswer::kStale);
  REQUIRE(late.revision == 3);
  REQUIRE(store->save_answer("a-1", "q1", R"({"answer":"other"})", t, 3).outcome == SavedAnswer::kStale);
  REQUIRE(store->attempt("a-1")->attempt.answers.at("q1") == R"({"answer":"third"})");
  // Revisions may skip; a save without one follows the stored revision.
  REQUIRE(store->save_answer("a-1", "q1", R"({"answer":"tenth"})", t, 10).revision == 10);
  REQUIRE(store->save_answer("a-1", "q1", R"({"answer":"next"})", t).revision == 11);
  REQUIRE(store->save_answer("a-1", "q2", R"({"answer":"x"})", t).revision == 1);  // per item

  SECTION("two stores on one database saving one item at once keep the highest revision") {
    auto other = db.store();
    std::vector<std::thread> threads;
    for (int w = 0; w < 2; ++w)
      threads.emplace_back([&, w] {
        auto& s = w == 0 ? *store : *other;
        // Each writer sends the revisions in its own shuffled order.
        for (int k = 0; k < 60; ++k) {
          int revision = 12 + (w == 0 ? k : 59 - k) * 2 + w;
          s.save_answer("a-1", "q3", fmt::format(R"({{"answer":"{}"}})", revision), t, revision);
        }
      });
    for (auto& th : threads) th.join();
    auto read = other->attempt("a-1");
    REQUIRE(read->revisions.at("q3") == 12 + 59 * 2 + 1);
    REQUIRE(read->attempt.answers.at("q3") == fmt::format(R"({{"answer":"{}"}})", 12 + 59 * 2 + 1));
  }
}

TEST_CASE("a save in one step is written only while everything a candidate's save checks holds", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  auto cs = some_candidates(*store, c.id, {"h", "g"});
  REQUIRE(store->insert_attempt(an_attempt(cs[0].id, c.id)));
  const auto t = at("2026-03-01T09:01:00Z");
  const std::string first = R"({"answer":"first"})";
  serve::OpenSave ok{"h", "a-1", "b", "q1", first, t, 0, 1000};
  auto answers = [&] { return store->attempt("a-1")->attempt.answers; };

  auto saved = store->save_answer_if_open(ok);
  REQUIRE(saved);
  REQUIRE(saved->revision == 1);
  REQUIRE(saved->deadline == at("2026-03-01T09:10:00Z"));
  REQUIRE_FALSE(saved->browser_seen);
  REQUIRE(answers().at("q1") == first);
  store->browser_seen("a-1", t);
  ok.response = R"({"answer":"second"})";
  saved = store->save_answer_if_open(ok);
  REQUIRE(saved);
  REQUIRE(saved->revision == 2);
  REQUIRE(saved->browser_seen == t);
  const auto before = answers();

  auto refused = [&](serve::OpenSave s) {
    s.response = R"({"answer":"refused"})";
    REQUIRE_FALSE(store->save_answer_if_open(s));
    REQUIRE(answers() == before);
    REQUIRE(store->attempt("a-1")->revisions.at("q1") == 2);
  };
  SECTION("another candidate's link, an unknown attempt, another browser") {
    auto s = ok;
    s.link_hash = "g";
    refused(s);
    s = ok;
    s.attempt_id = "a-2";
    refused(s);
    s = ok;
    s.browser_hash = "c";
    refused(s);
  }
  SECTION("at the deadline, and after the campaign closed when untimed") {
    auto s = ok;
    s.at = at("2026-03-01T09:10:00Z");
    refused(s);
    store->set_deadline("a-1", std::nullopt);
    s.at = at("2026-03-02T09:00:00Z");
    refused(s);
    s.at = at("2026-03-02T08:59:59Z");
    REQUIRE(store->save_answer_if_open(s));
  }
  SECTION("answers that would not fit together, and exactly fitting ones") {
    REQUIRE(store->save_answer("a-1", "q2", R"({"answer":"x"})", t).outcome == serve::SavedAnswer::kSaved);
    auto s = ok;
    s.response = R"({"answer":"fits"})";
    s.max_answers = static_cast<std::int64_t>(s.response.size() + std::string(R"({"answer":"x"})").size());
    --s.max_answers;
    REQUIRE_FALSE(store->save_answer_if_open(s));
    ++s.max_answers;
    REQUIRE(store->save_answer_if_open(s));
  }
  SECTION("a stale revision and a repeat") {
    auto s = ok;
    s.revision = 2;
    refused(s);
    s.response = before.at("q1");
    REQUIRE_FALSE(store->save_answer_if_open(s));
    s.revision = 3;
    REQUIRE(store->save_answer_if_open(s)->revision == 3);
  }
  SECTION("a revoked link, a new link, a submitted attempt, an attempt handed on") {
    auto other = db.store();  // as another server would change it
    SECTION("revoked") {
      other->revoke(cs[0].id);
      refused(ok);
    }
    SECTION("a new link") {
      other->set_link(cs[0].id, "n");
      refused(ok);
      auto s = ok;
      s.link_hash = "n";
      REQUIRE(store->save_answer_if_open(s));
    }
    SECTION("submitted") {
      REQUIRE(other->mark_submitted("a-1", t));
      refused(ok);
    }
    SECTION("handed on") {
      other->bind_browser("a-1", "");
      refused(ok);
      auto s = ok;
      s.browser_hash = "";
      refused(s);
      other->bind_browser("a-1", "d");
      s.browser_hash = "d";
      REQUIRE(store->save_answer_if_open(s));
    }
  }
}

TEST_CASE("saves in one step from many requests at once are each written once, whatever else comes with them", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  constexpr int kCandidates = 8, kSaves = 40;
  std::vector<std::string> links, ids;
  for (int i = 0; i < kCandidates; ++i) {
    links.push_back(fmt::format("h{}", i));
    ids.push_back(fmt::format("a-{}", i));
  }
  auto cs = some_candidates(*store, c.id, links);
  for (int i = 0; i < kCandidates; ++i) REQUIRE(store->insert_attempt(an_attempt(cs[i].id, c.id, ids[i].c_str())));
  const auto t = at("2026-03-01T09:01:00Z");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCandidates; ++i)
    threads.emplace_back([&, i] {
      for (int k = 1; k <= kSaves; ++k) {
        // Revisions of each candidate's own: a group's results handed to the wrong callers show.
        const int revision = 1000 * i + k;
        serve::OpenSave s{links[i], ids[i], "b", "q1", fmt::format(R"({{"answer":"{}"}})", revision), t, revision, 100000};
        auto saved = store->save_answer_if_open(s);
        if (!saved || saved->revision != revision) ++wrong;
        // Beside it, a save from another browser, which writes nothing, and one the database
        // may refuse (bytes that are not UTF-8: PostgreSQL refuses them, SQLite keeps them).
        s.browser_hash = "other";
        s.revision = revision + 1;
        if (store->save_answer_if_open(s)) ++wrong;
        if (k % 10 == 0) {
          s.browser_hash = "b";
          s.item_id = "q2";
          s.response = "\xff\xfe";
          try {
            (void)store->save_answer_if_open(s);
          } catch (const serve::StoreError&) {
          }
        }
      }
    });
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
  for (int i = 0; i < kCandidates; ++i) {
    auto a = store->attempt(ids[i]);
    CHECK(a->revisions.at("q1") == 1000 * i + kSaves);
    CHECK(a->attempt.answers.at("q1") == fmt::format(R"({{"answer":"{}"}})", 1000 * i + kSaves));
  }
}

TEST_CASE("the store counts hits, starts attempts and adds candidates from many threads at once", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  auto cs = some_candidates(*store, c.id, {"h"});
  auto w = at("2026-03-01T09:00:00Z");
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; k < 10; ++k) store->count_hit("login:1.2.3.4", w, 1);
      auto id = "a-" + std::to_string(i);
      if (store->insert_attempt(an_attempt(cs[0].id, c.id, id.c_str()))) ++started;
      some_candidates(*store, c.id, {"t" + std::to_string(i)});
    });
  for (auto& t : threads) t.join();
  REQUIRE(store->count_hit("login:1.2.3.4", w, 0) == 80);
  REQUIRE(started == 1);
  auto all = store->candidates(c.id);
  REQUIRE(all.size() == 9);
  for (std::size_t i = 0; i < all.size(); ++i) REQUIRE(all[i].id == static_cast<std::int64_t>(i + 1));
}

TEST_CASE("the store keeps a campaign's exclusions and its action log in order", "[serve][store]") {
  Database db;
  auto store = db.store();
  auto c = a_campaign(*store);
  store->add_exclusion(c.id, {"q2", "ambiguous", "manager", at("2026-03-01T10:00:00Z")});
  store->add_exclusion(c.id, {"Q1", "typo", "manager", at("2026-03-01T10:00:00Z")});
  store->add_exclusion(c.id, {"q0", "first", "manager", at("2026-03-01T09:00:00Z")});
  store->add_exclusion(c.id, {"q2", "still ambiguous", "admin", at("2026-03-01T10:00:00Z")});
  auto ex = store->exclusions(c.id);
  REQUIRE(ex.size() == 3);
  REQUIRE(ex[0].item == "q0");
  REQUIRE(ex[1].item == "Q1");  // same time: by item, in byte order
  REQUIRE(ex[2].reason == "still ambiguous");
  REQUIRE(ex[2].by == "admin");
  REQUIRE(store->remove_exclusion(c.id, "q2"));
  REQUIRE_FALSE(store->remove_exclusion(c.id, "q2"));
  REQUIRE(store->exclusions(c.id).size() == 2);

  store->log(c.id, {at("2026-03-01T10:00:00Z"), "manager", "invite", "n-1"});
  store->log(c.id, {at("2026-03-01T09:00:00Z"), "admin", "exclude", "q2"});
  auto log = store->log_entries(c.id);
  REQUIRE(log.size() == 2);
  REQUIRE(log[0].action == "invite");  // in the order written
  REQUIRE(log[1].user == "admin");
  REQUIRE(store->log_entries(c.id + 1).empty());
}

TEST_CASE("the store repairs durations and deadlines out of range, naming each", "[serve][store]") {
  Database db;
  auto store = db.store();
  serve::Campaign c;
  c.title = "t";
  c.opens = at("2026-03-01T09:00:00Z");
  c.closes = at("2026-03-02T09:00:00Z");
  c.time_limit = 100000;  // past the 24 h limit
  c.retakes = 1000;
  store->insert_campaign(c);
  auto cs = some_candidates(*store, c.id, {"h"});
  store->set_extra_time(cs[0].id, 200000, "m", "");
  auto a = an_attempt(cs[0].id, c.id);
  a.attempt.deadline = at("2026-03-05T09:00:00Z");  // past the close
  REQUIRE(store->insert_attempt(a));
  auto repairs = store->repair_out_of_range();
  REQUIRE(repairs == std::vector<std::string>{
                         "campaign 1: opens 2026-03-01T09:00:00Z -> 2026-03-01T09:00:00Z, closes 2026-03-02T09:00:00Z -> "
                         "2026-03-02T09:00:00Z, time limit 100000 -> 86400 s, retakes 1000 -> 100, retention 0 -> 0 days",
                         "candidate 1: extra time 200000 -> 86400 s",
                         "attempt a-1: deadline 2026-03-05T09:00:00Z -> 2026-03-02T09:00:00Z"});
  REQUIRE(store->campaign(c.id)->time_limit == 86400);
  REQUIRE(store->candidate(cs[0].id)->extra_time == 86400);
  REQUIRE(assay::format_time(*store->attempt("a-1")->attempt.deadline) == "2026-03-02T09:00:00Z");
  REQUIRE(store->repair_out_of_range().empty());  // nothing left
}

TEST_CASE("the store names the back end it could not open", "[serve][store]") {
  Database db;
  if (db.postgres()) {
    auto bad = store_test::with_database(db.cluster(), "assay_no_such_database");
    auto s = serve::open_store(bad);
    REQUIRE_FALSE(s);
    CHECK_THAT(s.error(), Contains("assay_no_such_database") && Contains("error: cannot connect to the database"));
  } else {
    auto s = serve::open_store((db.dir() / "no-such-dir" / "serve.db").string());
    REQUIRE_FALSE(s);
    CHECK_THAT(s.error(), Contains("error: cannot open the database"));
  }
}
