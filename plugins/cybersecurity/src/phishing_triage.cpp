#include "phishing_triage.hpp"

#include <algorithm>

#include "response.hpp"

namespace assay::cyber {

namespace {

using sdk::json;

std::vector<std::string> indicator_ids() {
  std::vector<std::string> out;
  for (const auto& i : email::indicators()) out.emplace_back(i.id);
  return out;
}

}  // namespace

json PhishingTriage::schema() {
  json link = {{"type", "object"},
               {"properties", {{"text", {{"type", "string"}}}, {"href", {{"type", "string"}}}}},
               {"required", {"text", "href"}}};
  json message = {{"type", "object"},
                  {"description", "an author's message instead of a generated one"},
                  {"properties",
                   {{"from", {{"type", "string"}}},
                    {"reply_to", {{"type", "string"}}},
                    {"return_path", {{"type", "string"}}},
                    {"to", {{"type", "string"}}},
                    {"subject", {{"type", "string"}}},
                    {"authentication_results", {{"type", "string"}}},
                    {"dmarc_record", {{"type", "string"}}},
                    {"body", {{"type", "string"}}},
                    {"links", {{"type", "array"}, {"items", link}}}}},
                  {"required", {"from", "authentication_results", "body"}}};
  json action = {{"type", "object"}, {"properties", {{"id", {{"type", "string"}}}, {"text", {{"type", "string"}}}}}};
  // A lookalike message can be drawn from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"organization_domain", {{"type", "string"}, {"description", "the hospital's mail domain"}}},
       {"alignment",
        {{"type", "object"},
         {"properties", {{"spf", {{"enum", {"relaxed", "strict"}}}}, {"dkim", {{"enum", {"relaxed", "strict"}}}}}},
         {"description", "DMARC aspf/adkim of the sender's policy (RFC 7489 §3.1), default relaxed"}}},
       {"lookalike_distance", {{"type", "integer"}, {"minimum", 1}, {"maximum", 4}}},
       {"multi_label_suffixes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"inject", {{"type", "array"}, {"items", {{"enum", indicator_ids()}}}}},
       {"message", message},
       {"actions", {{"type", "array"}, {"items", action}}},
       {"action_if_phishing", sdk::secret({{"type", "string"}})},
       {"action_if_legitimate", sdk::secret({{"type", "string"}})}},
      {"organization_domain"}));
}

std::vector<sdk::Criterion> PhishingTriage::criteria() {
  return {{"indicators", "indicators marked: (right - wrong) / indicators shown, at least 0"},
          {"verdict", "phishing when any indicator shows, legitimate otherwise (an accuracy criterion)"},
          {"action",
           "the next action the hospital's policy sets for that verdict; reporting a legitimate message is accepted too, "
           "since reporting is never wrong for staff"},
          {"not-missed",
           "a phishing message is neither called legitimate nor given an action other than the phishing one (a safety "
           "criterion: treating a legitimate message as phishing keeps it)",
           false, true}};
}

PhishingTriage PhishingTriage::prepare(const json& params) {
  sdk::Params p(params);
  static const std::vector<std::string> known = {
      "organization_domain", "alignment",           "lookalike_distance", "multi_label_suffixes", "inject", "message", "actions",
      "action_if_phishing",  "action_if_legitimate"};
  for (const auto& [k, v] : p.members()) {
    if (std::find(known.begin(), known.end(), k) == known.end()) v.fail("unknown parameter '" + k + "'");
  }
  PhishingTriage item;
  auto org = p.at("organization_domain");
  item.policy_.organization_domain = email::lower(org.str());
  if (email::host_of(item.policy_.organization_domain) != item.policy_.organization_domain) {
    org.fail("expected a domain name like \"stmarys-hospital.org\", found \"" + org.str() + "\"");
  }
  if (auto a = p.find("alignment")) {
    for (const auto& [k, v] : a->members()) {
      if (k != "spf" && k != "dkim") v.fail("unknown alignment '" + k + "' (expected 'spf' or 'dkim')");
      auto mode = v.one_of({"relaxed", "strict"}) == "strict" ? email::Alignment::kStrict : email::Alignment::kRelaxed;
      (k == "spf" ? item.policy_.aspf : item.policy_.adkim) = mode;
    }
  }
  if (auto d = p.find("lookalike_distance")) {
    auto n = d->integer();
    if (n < 1 || n > 4) d->fail("expected an integer from 1 to 4, found " + std::to_string(n));
    item.policy_.lookalike_distance = static_cast<int>(n);
  }
  if (auto s = p.find("multi_label_suffixes")) item.policy_.multi_label_suffixes = s->strings();
  if (auto m = p.find("message")) {
    if (auto i = p.find("inject")) i->fail("give either 'message' or 'inject', not both");
    email::Message msg;
    for (const auto& [k, v] : m->members()) {
      if (k == "links") {
        for (const auto& l : v.items()) msg.links.push_back({l.at("text").str(), l.at("href").str()});
        continue;
      }
      std::string* field = k == "from"                     ? &msg.from
                           : k == "reply_to"               ? &msg.reply_to
                           : k == "return_path"            ? &msg.return_path
                           : k == "to"                     ? &msg.to
                           : k == "subject"                ? &msg.subject
                           : k == "authentication_results" ? &msg.authentication_results
                           : k == "dmarc_record"           ? &msg.dmarc_record
                           : k == "body"                   ? &msg.body
                                                           : nullptr;
      if (field == nullptr) v.fail("unknown message field '" + k + "'");
      *field = v.str();
    }
    if (email::domain_of(m->at("from").str()).empty()) m->at("from").fail("expected an address like \"Name <user@domain>\"");
    if (!email::parse_auth_results(m->at("authentication_results").str())) {
      m->at("authentication_results").fail("expected \"authserv-id; method=result property=value; ...\" (RFC 8601)");
    }
    (void)m->at("body").str();
    item.fixed_ = msg;
  } else {
    auto inject = p.at("inject");
    for (const auto& e : inject.items()) {
      const auto* ind = email::find_indicator(e.str());
      if (ind == nullptr) {
        std::string list;
        for (const auto& id : indicator_ids()) list += (list.empty() ? "'" : ", '") + id + "'";
        e.fail("unknown indicator '" + e.str() + "' (expected one of " + list + ")");
      }
      if (std::find(item.inject_.begin(), item.inject_.end(), ind->indicator) != item.inject_.end()) {
        e.fail("indicator '" + e.str() + "' is listed twice");
      }
      item.inject_.push_back(ind->indicator);
    }
  }
  if (auto a = p.find("actions")) {
    for (const auto& e : a->items()) item.actions_.emplace_back(e.at("id").str(), e.at("text").str());
    if (item.actions_.size() < 2) a->fail("expected at least two actions");
    item.default_actions_ = false;
  } else {
    item.actions_ = {{"report", "Report it with the phishing-report button, then delete it"},
                     {"verify", "Reply to the sender and ask whether it is genuine"},
                     {"open", "Open the link in a private browser window to check it"},
                     {"none", "No action: it is legitimate"}};
  }
  auto action = [&](const char* name, std::string& out) {
    if (auto v = p.find(name)) out = v->str();
    bool known_action = std::any_of(item.actions_.begin(), item.actions_.end(), [&](const auto& x) { return x.first == out; });
    if (!known_action) (p.has(name) ? p.at(name) : p).fail(std::string(name) + ": no action has the id '" + out + "'");
  };
  action("action_if_phishing", item.if_phishing_);
  action("action_if_legitimate", item.if_legitimate_);
  return item;
}

email::Message PhishingTriage::message(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  return email::generate(inject_, policy_, seed);
}

std::vector<email::Indicator> PhishingTriage::key(std::uint64_t seed) const { return email::analyse(message(seed), policy_); }

json PhishingTriage::present(std::uint64_t seed) const {
  auto m = message(seed);
  std::string headers;
  auto header = [&](const char* name, const std::string& value) {
    if (!value.empty()) headers += std::string(name) + ": " + value + "\n";
  };
  header("Return-Path", m.return_path);
  header("Authentication-Results", m.authentication_results);
  header("From", m.from);
  header("Reply-To", m.reply_to);
  header("To", m.to);
  header("Subject", m.subject);
  std::string links;
  for (std::size_t i = 0; i < m.links.size(); ++i) {
    links += "[link " + std::to_string(i + 1) + "] text: " + m.links[i].text + "\n          target: " + m.links[i].href + "\n";
  }
  std::string context = "Reported by a nurse on the ICU. The hospital's mail domain is " + policy_.organization_domain + ".";
  if (!m.dmarc_record.empty()) context += "\nDNS: " + m.dmarc_record;
  json material = json::array(
      {{{"kind", "text"}, {"text", context}}, {{"kind", "code"}, {"language", "email"}, {"text", headers + "\n" + m.body}}});
  if (!links.empty()) material.push_back({{"kind", "code"}, {"language", "text"}, {"text", links}});
  json options = json::array();
  for (const auto& i : email::indicators()) options.push_back({{"id", std::string(i.id)}, {"text", std::string(i.text)}});
  std::vector<json> shuffled(options.begin(), options.end());
  sdk::Rng rng(seed ^ 0x9a15b7e3u);
  rng.shuffle(shuffled);
  json actions = json::array();
  for (const auto& [id, text] : actions_) actions.push_back({{"id", id}, {"text", text}});
  return {{"presentation", 1},
          {"prompt", "Triage this reported e-mail."},
          {"material", material},
          {"interactions", json::array({{{"id", "indicators"},
                                         {"type", "choice"},
                                         {"prompt", "Which indicators does the message show? (none for a clean message)"},
                                         {"multiple", true},
                                         {"min", 0},
                                         {"options", shuffled}},
                                        {{"id", "verdict"},
                                         {"type", "choice"},
                                         {"prompt", "Verdict"},
                                         {"multiple", false},
                                         {"options", json::array({{{"id", "phishing"}, {"text", "Phishing"}},
                                                                  {{"id", "legitimate"}, {"text", "Legitimate"}}})}},
                                        {{"id", "action"},
                                         {"type", "choice"},
                                         {"prompt", "What should the nurse do next?"},
                                         {"multiple", false},
                                         {"options", actions}}})}};
}

PhishingTriage::Answer PhishingTriage::read(const json& response) const {
  auto ids = indicator_ids();
  std::vector<std::string> actions;
  for (const auto& [id, text] : actions_) actions.push_back(id);
  Answer a;
  a.indicators = ids_answer(response, "indicators", std::set<std::string>(ids.begin(), ids.end()), "indicators", "indicator");
  a.verdict = single_answer(response, "verdict", {"phishing", "legitimate"}, "verdict");
  a.action = single_answer(response, "action", actions, "next action");
  return a;
}

std::vector<sdk::Credit> PhishingTriage::score(std::uint64_t seed, const json& response) const {
  auto a = read(response);
  auto k = key(seed);
  std::set<std::string> expected;
  for (auto i : k) expected.emplace(email::info(i).id);
  bool phishing = !k.empty();
  bool action_ok = phishing ? a.action == if_phishing_ : (a.action == if_legitimate_ || a.action == if_phishing_);
  // The unsafe error: a phishing message let through, by the verdict or by the action taken.
  bool missed = phishing && (a.verdict == "legitimate" || (a.action && *a.action != if_phishing_));
  return {selection_credit(expected, a.indicators), sdk::Credit::of(a.verdict == (phishing ? "phishing" : "legitimate")),
          sdk::Credit::of(action_ok), sdk::Credit::of(!missed)};
}

json PhishingTriage::solve(std::uint64_t seed) const {
  auto k = key(seed);
  json ids = json::array();
  for (auto i : k) ids.push_back(std::string(email::info(i).id));
  bool phishing = !k.empty();
  return {{"indicators", ids},
          {"verdict", {phishing ? "phishing" : "legitimate"}},
          {"action", {phishing ? if_phishing_ : if_legitimate_}}};
}

std::string PhishingTriage::feedback(std::uint64_t seed, const json& response) const {
  auto a = read(response);
  auto k = key(seed);
  const auto& marked = a.indicators;
  std::string out;
  for (const auto& i : email::indicators()) {
    bool shown = std::find(k.begin(), k.end(), i.indicator) != k.end();
    bool chosen = marked.count(std::string(i.id)) != 0;
    if (shown && chosen) out += std::string(i.text) + ": right\n";
    if (shown && !chosen) out += std::string(i.text) + ": missed\n";
    if (!shown && chosen) out += std::string(i.text) + ": not shown by this message\n";
  }
  bool phishing = !k.empty();
  out += std::string("verdict: ") + (phishing ? "phishing" : "legitimate");
  if (phishing && (a.verdict == "legitimate" || (a.action && *a.action != if_phishing_)))
    out += "; you let a phishing message through, the unsafe error";
  else if (!phishing && a.verdict == "phishing")
    out += "; you treated a legitimate message as phishing: over-cautious, not unsafe";
  out += "\n";
  // Every action chosen is explained: what the policy asks, and why the chosen one is wrong.
  if (a.action) {
    const std::string& want = phishing ? if_phishing_ : if_legitimate_;
    bool accepted = *a.action == want || (!phishing && *a.action == if_phishing_);
    out += "action: you chose \"" + action_text(*a.action) + "\"";
    if (accepted) {
      out += *a.action == want ? ": right\n" : ": accepted, reporting a message you doubt is never wrong\n";
    } else {
      out += "; the hospital's policy for a " + std::string(phishing ? "phishing" : "legitimate") + " message is \"" +
             action_text(want) + "\"";
      std::string why = phishing && default_actions_ ? why_not(*a.action) : "";
      out += (why.empty() ? "" : ": " + why) + "\n";
    }
  }
  return out;
}

std::string PhishingTriage::action_text(const std::string& id) const {
  for (const auto& [action_id, text] : actions_)
    if (action_id == id) return text;
  return id;
}

std::string PhishingTriage::why_not(const std::string& id) {
  // The built-in actions' dangers; an author's own actions get the policy's text only.
  if (id == "verify") return "a reply goes to the sender, who will say it is genuine; check through a known contact instead";
  if (id == "open") return "a private window does not protect you: the page can still capture what you type or deliver malware";
  if (id == "none") return "a message left alone can still catch a colleague; reporting lets the security team block it";
  return "";
}

std::vector<sdk::Example> PhishingTriage::examples() {
  using sdk::Credit;
  std::vector<sdk::Example> out;
  {
    sdk::Example ex;
    ex.name = "an author's message: third-party DKIM passes, DMARC fails";
    ex.params = {
        {"organization_domain", "stmarys-hospital.org"},
        {"message",
         {{"from", "Payroll <payroll@stmarys-hospital.org>"},
          {"return_path", "<bounce@mailercloud.example>"},
          {"authentication_results",
           "mx.stmarys-hospital.org; spf=pass smtp.mailfrom=mailercloud.example; dkim=pass header.d=mailercloud.example"},
          {"subject", "Your payslip"},
          {"body", "Your payslip is ready: [link 1]"},
          {"links",
           {{{"text", "https://payroll.stmarys-hospital.org"}, {"href", "https://payroll.stmarys-hospital.org/slip"}}}}}}};
    ex.alt_secret = {{"action_if_phishing", "verify"}, {"action_if_legitimate", "open"}};
    ex.seed = 4;
    ex.responses = {{"the key",
                     {{"indicators", {"dmarc-fail"}}, {"verdict", {"phishing"}}, {"action", {"report"}}},
                     {Credit::full(), Credit::full(), Credit::full(), Credit::full()}},
                    {"trusting the DKIM pass",
                     {{"indicators", json::array()}, {"verdict", {"legitimate"}}, {"action", {"none"}}},
                     {Credit::none(), Credit::none(), Credit::none(), Credit::none()}}};
    ex.malformed = {{"both verdicts", {{"verdict", {"phishing", "legitimate"}}}},
                    {"an action the hospital does not list", {{"action", {"forward-to-it"}}}}};
    out.push_back(ex);
  }
  {
    sdk::Example ex;
    ex.name = "a generated lookalike with a mismatched link";
    ex.params = {{"organization_domain", "stmarys-hospital.org"}, {"inject", {"lookalike-sender", "link-mismatch"}}};
    ex.alt_secret = {{"action_if_phishing", "verify"}};
    ex.seed = 12;
    ex.responses = {{"the key",
                     {{"indicators", {"lookalike-sender", "link-mismatch"}}, {"verdict", {"phishing"}}, {"action", {"report"}}},
                     {Credit::full(), Credit::full(), Credit::full(), Credit::full()}},
                    {"one indicator and a wrong extra, then replying to the sender",
                     {{"indicators", {"lookalike-sender", "dmarc-fail"}}, {"verdict", {"phishing"}}, {"action", {"verify"}}},
                     {Credit::none(), Credit::full(), Credit::none(), Credit::none()}}};
    ex.malformed = {{"an indicator that is not offered", {{"indicators", {"lookalike-sender", "urgent-tone"}}}}};
    out.push_back(ex);
  }
  return out;
}

}  // namespace assay::cyber
