#include "interface_queue.hpp"

#include <algorithm>
#include <set>

#include "common.hpp"
#include "synth.hpp"

namespace assay::ehr {

using sdk::json;

namespace {

const char* kQueuePrompt =
    "Messages on the interface channel below are not reaching the receiving system as they should. Read the channel "
    "status, the MLLP connection log, the message list and the acknowledgments the receiver returned (MSA-2 names the "
    "control ID, MSH-10, of the message acknowledged). Name the fault, then decide for every message what happens to it.";

struct ContentError {
  std::string code, text, location, field;
};

struct Flow {
  std::string id, channel, sender, receiver, event, ack_type, prefix;
  int port;
  std::vector<ContentError> errors;  ///< content errors the receiver may report with AE (HL7 table 0357)
};

const std::vector<Flow>& flows() {
  static const std::vector<Flow> kFlows = {
      {"results",
       "LIS_RESULTS_TO_EHR",
       "LIS",
       "EHR",
       "ORU^R01",
       "ACK^R01^ACK",
       "LAB",
       6661,
       {{"101", "Required field missing", "PID^1^3", "PID-3 (patient identifier list)"},
        {"102", "Data type error", "OBX^1^5", "OBX-5 (observation value) of a numeric (NM) result"},
        {"103", "Table value not found", "OBX^1^11", "OBX-11 (observation result status)"}}},
      {"adt",
       "EHR_ADT_TO_LIS",
       "EHR",
       "LIS",
       "ADT^A08",
       "ACK^A08^ACK",
       "ADT",
       6662,
       {{"101", "Required field missing", "PID^1^3", "PID-3 (patient identifier list)"},
        {"103", "Table value not found", "PV1^1^2", "PV1-2 (patient class)"},
        {"102", "Data type error", "PID^1^7", "PID-7 (date/time of birth)"}}},
      {"orders",
       "EHR_ORDERS_TO_LIS",
       "EHR",
       "LIS",
       "ORM^O01",
       "ACK^O01^ACK",
       "ORD",
       6663,
       {{"101", "Required field missing", "PID^1^3", "PID-3 (patient identifier list)"},
        {"101", "Required field missing", "ORC^1^2", "ORC-2 (placer order number)"},
        {"103", "Table value not found", "ORC^1^1", "ORC-1 (order control)"}}},
  };
  return kFlows;
}

const Flow& flow_named(const std::string& id) {
  for (auto& f : flows())
    if (f.id == id) return f;
  return flows().front();
}

struct Option {
  std::string id, text;
};

const std::vector<Option>& cause_options() {
  static const std::vector<Option> kOptions = {
      {"channel-stopped", "The outbound channel was stopped in the engine: start it, and its queue drains"},
      {"connection-refused",
       "The receiving system refuses the connection (its listener is down): have its team restore it; the queue drains once "
       "the engine connects"},
      {"content-rejected",
       "The receiver rejects some messages for their content (AE): have the source correct them, then resend those"},
      {"receiver-error",
       "The receiving application failed internally for a while (AR, application internal error): resend those unchanged once "
       "its team confirms it is fixed"},
      {"engine-down", "The interface engine itself is down: restart it and resend every message of the day"},
  };
  return kOptions;
}

const std::vector<Option>& action_options() {
  static const std::vector<Option> kOptions = {
      {"accepted", "Accepted: do not send it again"},
      {"queued", "Still queued: goes out once the fault is fixed"},
      {"resend", "Resend it unchanged once the receiver is fixed"},
      {"correct", "Correct it at the source, then resend it"},
  };
  return kOptions;
}

std::string text_of(const std::vector<Option>& options, const std::string& id) {
  for (auto& o : options)
    if (o.id == id) return o.text;
  return id;
}

std::string hms(int second) {
  return synth::two(second / 3600 % 24) + ":" + synth::two(second / 60 % 60) + ":" + synth::two(second % 60);
}

std::string hl7_time(const std::string& date, int second) {
  return date + synth::two(second / 3600 % 24) + synth::two(second / 60 % 60) + synth::two(second % 60);
}

/// The acknowledgment of one sent message, segments on their own lines (HL7 v2.5.1: MSH, MSA,
/// ERR when the message was not accepted; ERR-2 location, ERR-3 code from table 0357, ERR-4 E).
std::string ack_text(const InterfaceQueue::Scenario& s, const InterfaceQueue::Message& m, int second) {
  std::string code = m.state == InterfaceQueue::State::kAccepted   ? "AA"
                     : m.state == InterfaceQueue::State::kRejected ? "AE"
                                                                   : "AR";
  std::string out = "MSH|^~\\&|" + s.receiver + "|VALLEYMC|" + s.sender + "|VALLEYMC|" + hl7_time(s.date, second) + "||" +
                    s.ack_type + "|A" + m.control + "|P|2.5.1\n";
  out += "MSA|" + code + "|" + m.control + "\n";
  if (m.state == InterfaceQueue::State::kRejected)
    out += "ERR||" + m.error_location + "|" + m.error_code + "^" + m.error_text + "^HL70357|E\n";
  if (m.state == InterfaceQueue::State::kFailed) out += "ERR|||207^Application internal error^HL70357|E\n";
  return out;
}

bool sent(InterfaceQueue::State s) { return s != InterfaceQueue::State::kQueued; }

std::string msa_code(InterfaceQueue::State s) {
  return s == InterfaceQueue::State::kAccepted ? "AA" : s == InterfaceQueue::State::kRejected ? "AE" : "AR";
}

}  // namespace

const std::vector<std::string>& InterfaceQueue::fault_ids() {
  static const std::vector<std::string> kIds = {"channel-stopped", "connection-refused", "content-rejected", "receiver-error"};
  return kIds;
}

const std::vector<std::string>& InterfaceQueue::flow_ids() {
  static const std::vector<std::string> kIds = {"results", "adt", "orders"};
  return kIds;
}

std::string InterfaceQueue::action_of(State s) {
  switch (s) {
    case State::kAccepted:
      return "accepted";
    case State::kQueued:
      return "queued";
    case State::kFailed:
      return "resend";
    case State::kRejected:
      return "correct";
  }
  return "accepted";
}

json InterfaceQueue::schema() {
  json range = {{"type", "object"},
                {"properties",
                 {{"min", {{"type", "integer"}, {"minimum", 5}, {"maximum", 12}}},
                  {"max", {{"type", "integer"}, {"minimum", 5}, {"maximum", 12}}}}},
                {"required", {"min", "max"}},
                {"additionalProperties", false},
                {"description", "how many messages the channel handled, {min, max} within 5 to 12 (default 6 to 9)"}};
  // The incident (fault, channel, messages, acknowledgments) is generated from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"prompt", {{"type", "string"}}},
       {"faults",
        {{"type", "array"},
         {"items", {{"enum", fault_ids()}}},
         {"minItems", 1},
         {"description", "the faults one is drawn from per seed (default: all)"}}},
       {"flows",
        {{"type", "array"},
         {"items", {{"enum", flow_ids()}}},
         {"minItems", 1},
         {"description", "results (LIS to EHR, ORU^R01), adt (EHR to LIS, ADT^A08), orders (EHR to LIS, ORM^O01)"}}},
       {"messages", range},
       {"notes", sdk::secret({{"type", "object"},
                              {"additionalProperties", {{"type", "string"}}},
                              {"description", "per fault id, a note shown only in feedback"}})}}));
}

std::vector<sdk::Criterion> InterfaceQueue::criteria() {
  return {{"cause", "the fault named from the channel status, the connection log and the acknowledgments"},
          {"actions", "messages whose next step is chosen right, out of all messages; an accuracy criterion"},
          {"no-duplicates",
           "messages the receiver accepted (MSA-1 AA) that are not sent again, out of all accepted; a safety criterion: "
           "holding a message back never loses it, only resending an accepted one (a duplicate order or result)",
           false, true}};
}

InterfaceQueue InterfaceQueue::prepare(const json& params) {
  sdk::Params p(params);
  InterfaceQueue item;
  static const std::set<std::string> kKnown = {"prompt", "faults", "flows", "messages", "notes"};
  for (auto& [k, v] : p.members())
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  item.prompt_ = p.has("prompt") ? p.at("prompt").str() : kQueuePrompt;
  if (auto f = p.find("faults")) {
    item.faults_ = f->id_list(fault_ids(), "fault");
    if (item.faults_.empty()) f->fail("expected at least one fault");
  }
  if (auto f = p.find("flows")) {
    item.flows_ = f->id_list(flow_ids(), "flow");
    if (item.flows_.empty()) f->fail("expected at least one flow");
  }
  read_range(p, "messages", 5, 12, item.min_messages_, item.max_messages_);
  if (auto n = p.find("notes")) {
    for (auto& [k, v] : n->members()) {
      if (std::find(fault_ids().begin(), fault_ids().end(), k) == fault_ids().end())
        v.fail("no fault \"" + k + "\"; the faults are channel-stopped, connection-refused, content-rejected, receiver-error");
      item.notes_[k] = v.str();
    }
  }
  return item;
}

InterfaceQueue::Scenario InterfaceQueue::scenario(std::uint64_t seed) const {
  sdk::Rng rng(seed);
  Scenario s;
  s.fault = rng.pick(faults_);
  s.flow = rng.pick(flows_);
  const Flow& f = flow_named(s.flow);
  s.channel = f.channel;
  s.sender = f.sender;
  s.receiver = f.receiver;
  s.event = f.event;
  s.ack_type = f.ack_type;
  s.port = f.port;
  s.host = "10.20." + std::to_string(rng.between(2, 9)) + "." + std::to_string(rng.between(11, 240));
  auto d = synth::random_date(rng, 2026, 2026);
  s.date = d.hl7();
  static const std::vector<std::string> kUsers = {"jmorgan", "akhan", "tnguyen", "rbauer", "lpatel", "dsilva"};
  s.user = rng.pick(kUsers);
  int n = static_cast<int>(rng.between(min_messages_, max_messages_));
  int second = static_cast<int>(rng.between(7 * 3600, 15 * 3600));
  int control = static_cast<int>(rng.between(10000, 89999));
  for (int i = 0; i < n; ++i) {
    Message m;
    m.id = "m" + std::to_string(i + 1);
    control += static_cast<int>(rng.between(1, 3));  // rising: other channels' messages take the gaps
    m.control = f.prefix + std::to_string(control);
    m.mrn = synth::digits(rng, 7);
    second += static_cast<int>(rng.between(40, 240));
    m.second = second;
    s.messages.push_back(m);
  }
  auto reject = [&](Message& m) {
    const ContentError& e = rng.pick(f.errors);
    m.state = State::kRejected;
    m.error_code = e.code;
    m.error_text = e.text;
    m.error_location = e.location;
    m.error_field = e.field;
  };
  if (s.fault == "channel-stopped" || s.fault == "connection-refused") {
    // At least two accepted before the fault and two queued after it.
    int first_queued = static_cast<int>(rng.between(2, n - 2));
    for (int i = first_queued; i < n; ++i) s.messages[static_cast<std::size_t>(i)].state = State::kQueued;
    int before = s.messages[static_cast<std::size_t>(first_queued - 1)].second;
    int after = s.messages[static_cast<std::size_t>(first_queued)].second;
    s.fault_second = before + 5 + static_cast<int>(rng.below(static_cast<std::uint64_t>(std::max(1, after - before - 10))));
  } else if (s.fault == "content-rejected") {
    // One to a third of the messages rejected, never the first two in a row with nothing accepted.
    int k = static_cast<int>(rng.between(1, std::max(1, n / 3)));
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) order.push_back(i);
    rng.shuffle(order);
    for (int i = 0; i < k; ++i) reject(s.messages[order[static_cast<std::size_t>(i)]]);
    s.fault_second = s.messages.front().second;
  } else {
    // A window of two or three failures with accepted messages on both sides.
    int len = static_cast<int>(rng.between(2, std::min(3, n - 2)));
    int start = static_cast<int>(rng.between(1, n - 1 - len));
    for (int i = start; i < start + len; ++i) s.messages[static_cast<std::size_t>(i)].state = State::kFailed;
    s.fault_second = s.messages[static_cast<std::size_t>(start)].second;
  }
  s.now_second = s.messages.back().second + static_cast<int>(rng.between(120, 600));
  return s;
}

json InterfaceQueue::present(std::uint64_t seed) const {
  Scenario s = scenario(seed);
  std::size_t queued = 0;
  int last_sent = -1;
  for (auto& m : s.messages) {
    if (m.state == State::kQueued)
      ++queued;
    else
      last_sent = m.second;
  }
  bool stopped = s.fault == "channel-stopped", refused = s.fault == "connection-refused";
  std::string destination = s.receiver + " " + s.host + ":" + std::to_string(s.port) + " (MLLP over TCP)";
  json status = json::array(
      {json::array({s.channel, s.sender + " to " + destination, stopped ? "Stopped" : "Started",
                    stopped   ? "Closed"
                    : refused ? "Not connected, retrying"
                              : "Connected",
                    std::to_string(queued), last_sent < 0 ? "-" : hms(last_sent), last_sent < 0 ? "-" : hms(last_sent + 1)})});

  // The connection log: each message framed and sent, each reply, and the fault as the engine saw it.
  json log = json::array();
  auto line = [&](int second, const std::string& text) {
    log.push_back({{"id", "l" + std::to_string(log.size() + 1)}, {"text", hms(second) + "  " + text}});
  };
  int first = s.messages.front().second;
  line(first - 30,
       "connected to " + s.host + ":" + std::to_string(s.port) + "; MLLP framing: start block 0x0B, end block 0x1C 0x0D");
  std::string acks;
  bool fault_logged = false;
  for (auto& m : s.messages) {
    if ((stopped || refused) && !fault_logged && m.second > s.fault_second) {
      fault_logged = true;
      if (stopped) {
        line(s.fault_second, "channel " + s.channel + " stopped by user '" + s.user + "'");
        line(s.fault_second + 1, "connection to " + s.host + ":" + std::to_string(s.port) + " closed (channel stopping)");
      } else {
        line(s.fault_second, "connection to " + s.host + ":" + std::to_string(s.port) + " closed by the remote host");
        int attempts = (s.now_second - s.fault_second) / 30;
        for (int a = 1; a <= attempts && a <= 3; ++a)
          line(s.fault_second + a * 30,
               "connect to " + s.host + ":" + std::to_string(s.port) + " failed: connection refused; retrying in 30 s");
        if (attempts > 3)
          line(s.fault_second + attempts * 30,
               "connect to " + s.host + ":" + std::to_string(s.port) + " failed: connection refused (attempt " +
                   std::to_string(attempts) + "; every attempt since " + hms(s.fault_second) + " refused); retrying in 30 s");
      }
    }
    if (!sent(m.state)) continue;
    line(m.second, "sent " + m.control + " (" + s.event + ")");
    int reply = m.second + 1;
    std::string ack = ack_text(s, m, reply);
    line(reply, "reply received (" + std::to_string(ack.size()) + " bytes)");
    acks += (acks.empty() ? "" : "\n") + ack;
  }

  if (!acks.empty()) acks.pop_back();  // the last segment's line break
  json rows = json::array(), table_rows = json::array();
  for (auto& m : s.messages) {
    rows.push_back({m.id, m.control, s.event, m.mrn, hms(m.second), sent(m.state) ? "Sent, reply received" : "Queued, not sent"});
    table_rows.push_back({{"id", m.id}, {"label", m.id + "  " + m.control + "  MRN " + m.mrn}});
  }
  std::vector<Option> causes = cause_options();
  sdk::Rng order(seed ^ 0x9e3779b97f4a7c15ULL);
  order.shuffle(causes);
  json cause_opts = json::array(), action_opts = json::array();
  for (auto& o : causes) cause_opts.push_back({{"id", o.id}, {"text", o.text}});
  for (auto& o : action_options()) action_opts.push_back({{"id", o.id}, {"text", o.text}});

  json material = json::array(
      {json{{"kind", "text"},
            {"text", "Interface engine, " + s.date.substr(0, 4) + "-" + s.date.substr(4, 2) + "-" + s.date.substr(6, 2) +
                         ", now " + hms(s.now_second) + ". Channel " + s.channel + " sends " + s.event + " messages from " +
                         s.sender + " to " + s.receiver +
                         " in original acknowledgment mode: the receiver answers each "
                         "message with an ACK."}},
       json{{"kind", "table"},
            {"columns", {"Channel", "Destination", "Channel state", "Connection", "Queued", "Last sent", "Last reply"}},
            {"rows", status}},
       json{{"kind", "lines"}, {"lines", log}},
       json{{"kind", "table"},
            {"columns", {"Message", "Control ID (MSH-10)", "Event", "Patient MRN", "Received by the engine", "Engine status"}},
            {"rows", rows}},
       json{{"kind", "code"}, {"language", "hl7"}, {"text", acks}}});
  json interactions = json::array(
      {json{{"id", "cause"},
            {"type", "choice"},
            {"prompt", "What is wrong, and what fixes it?"},
            {"multiple", false},
            {"options", cause_opts}},
       table_interaction("actions", table_rows,
                         json::array({json{{"id", "action"}, {"label", "What happens to it"}, {"options", action_opts}}}),
                         "For each message, what happens to it")});
  return presentation(prompt_, material, interactions);
}

namespace {

struct QueueAnswer {
  std::string cause;  ///< empty when unanswered
  std::map<std::string, std::string> action;
};

QueueAnswer read_queue_answer(const json& checked) {
  QueueAnswer a;
  if (auto c = response_member(checked, "cause", json::value_t::array))
    if (!c->empty()) a.cause = c->front().get<std::string>();
  a.action = table_column(checked, "actions", "action", "an action id");
  return a;
}

bool sends(const std::string& action) { return action == "resend" || action == "correct"; }

}  // namespace

std::vector<sdk::Credit> InterfaceQueue::score(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  Scenario s = scenario(seed);
  QueueAnswer a = read_queue_answer(checked);
  std::uint64_t right = 0, accepted = 0, duplicated = 0;
  for (auto& m : s.messages) {
    auto it = a.action.find(m.id);
    bool answered = it != a.action.end();
    if (answered && it->second == action_of(m.state)) ++right;
    if (m.state == State::kAccepted) {
      ++accepted;
      if (answered && sends(it->second)) ++duplicated;  // only sending an accepted message again is unsafe
    }
  }
  return {sdk::Credit::of(a.cause == s.fault), sdk::Credit::fraction(right, s.messages.size()),
          accepted == 0 ? sdk::Credit::full() : sdk::Credit::fraction(accepted - duplicated, accepted)};
}

json InterfaceQueue::solve(std::uint64_t seed) const {
  Scenario s = scenario(seed);
  json rows = json::object();
  for (auto& m : s.messages) rows[m.id] = {{"action", action_of(m.state)}};
  return json{{"cause", json::array({s.fault})}, {"actions", rows}};
}

namespace {

/// What the material shows about the fault that happened.
std::string evidence(const InterfaceQueue::Scenario& s) {
  std::string where = s.host + ":" + std::to_string(s.port);
  if (s.fault == "channel-stopped")
    return "the channel state is Stopped and the log shows user '" + s.user + "' stopped it at " + hms(s.fault_second) +
           "; the engine has not tried to connect since, and the messages after it wait in the queue: starting the channel "
           "sends them";
  if (s.fault == "connection-refused")
    return "the channel is Started, but since " + hms(s.fault_second) + " every attempt to connect to " + where +
           " is refused: nothing listens there, so the receiving system's team must restore its listener; the queue then "
           "drains by itself";
  if (s.fault == "content-rejected")
    return "the connection is up and every message was sent, but the receiver answered some with MSA-1 AE and an ERR "
           "segment naming the field at fault: those need correcting at the source, then resending";
  return "the connection is up and every message was sent, but a run of them came back MSA-1 AR with ERR-3 207 "
         "(application internal error), a failure of the receiving application, not of the messages: resend them "
         "unchanged once its team confirms it is fixed";
}

/// Why the cause chosen does not fit what the material shows.
std::string why_not(const std::string& chosen, const InterfaceQueue::Scenario& s) {
  bool sent_all = s.fault == "content-rejected" || s.fault == "receiver-error";
  if (chosen == "engine-down")
    return "the engine is running: its log records activity up to the incident and the channel status is live";
  if (chosen == "channel-stopped") return "the channel state is Started, and nobody stopped it";
  if (chosen == "connection-refused")
    return s.fault == "channel-stopped"
               ? "no connection was refused: the engine closed the connection itself when the channel was stopped and has "
                 "not tried since"
               : "no connection was refused: every message was sent and answered";
  if (chosen == "content-rejected")
    return sent_all ? "no acknowledgment says AE: the failed ones are AR with ERR-3 207 (application internal error), "
                      "which blames the receiving application, not the content"
                    : "no acknowledgment says AE: every reply received is AA, and the rest were never sent";
  if (chosen == "receiver-error")
    return sent_all ? "no acknowledgment says AR: the failed ones are AE with an ERR naming a field, an error in the "
                      "content that resending unchanged repeats"
                    : "no acknowledgment says AR: every reply received is AA, and the rest were never sent";
  return "that option does not describe this channel";
}

std::string state_text(const InterfaceQueue::Message& m) {
  using S = InterfaceQueue::State;
  std::string ack = "the ACK whose MSA-2 is " + m.control + " says MSA-1 " + msa_code(m.state);
  switch (m.state) {
    case S::kAccepted:
      return ack + " (application accept): the receiver has filed it";
    case S::kQueued:
      return "it has no ACK and the engine lists it as queued, not sent: it goes out by itself once the fault is fixed, "
             "so nothing needs resending by hand";
    case S::kFailed:
      return ack +
             " (application reject) with ERR-3 207 (application internal error): the receiving application failed, "
             "the message is not filed, and it goes again unchanged once the receiver is fixed";
    case S::kRejected:
      return ack + " (application error) with ERR-3 " + m.error_code + " (" + m.error_text + ") at " + m.error_field +
             ": it is not filed, and resending it unchanged repeats the error; the source must correct it first";
  }
  return "";
}

}  // namespace

std::string InterfaceQueue::feedback(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  Scenario s = scenario(seed);
  QueueAnswer a = read_queue_answer(checked);
  std::string out;
  if (a.cause.empty()) {
    out += "fault: not named; " + evidence(s) + "\n";
  } else if (a.cause != s.fault) {
    out +=
        "fault: you chose \"" + text_of(cause_options(), a.cause) + "\", but " + why_not(a.cause, s) + "; " + evidence(s) + "\n";
  } else {
    out += "fault: correct; " + evidence(s) + "\n";
  }
  std::string noun = s.flow == "results" ? "result" : s.flow == "orders" ? "order" : "patient update";
  for (auto& m : s.messages) {
    auto it = a.action.find(m.id);
    std::string what = m.id + " (" + m.control + "): ";
    std::string key = action_of(m.state);
    if (it == a.action.end()) {
      out += what + "no action chosen; " + state_text(m) + "\n";
      continue;
    }
    if (it->second == key) continue;
    std::string chose = "you chose \"" + text_of(action_options(), it->second) + "\", but ";
    if (m.state == State::kAccepted && sends(it->second)) {
      out += what + chose + state_text(m) + "; sending it again files a second copy, a duplicate " + noun +
             " in the chart (the unsafe error)\n";
    } else if (m.state == State::kAccepted) {
      out += what + chose + state_text(m) + "; nothing is pending for it (not unsafe)\n";
    } else {
      out += what + chose + state_text(m) + "\n";
    }
  }
  auto n = notes_.find(s.fault);
  if (n != notes_.end()) out += "note: " + n->second + "\n";
  return out;
}

std::vector<sdk::Example> InterfaceQueue::examples() {
  sdk::Example stopped;
  stopped.name = "a stopped results channel";
  stopped.params = {{"faults", {"channel-stopped"}},
                    {"flows", {"results"}},
                    {"messages", {{"min", 6}, {"max", 6}}},
                    {"notes", {{"channel-stopped", "a stopped channel keeps its queue"}}}};
  stopped.alt_secret = {{"notes", json::object()}};
  stopped.seed = 7;
  // Credits that hold for every draw: at least two messages are accepted before the channel
  // stops, and none failed at the receiver, so resending all six is wrong on every row.
  stopped.responses = {
      {"nothing answered", json::object(), {sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::full()}},
      {"the engine blamed", {{"cause", {"engine-down"}}}, {sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::full()}},
      {"every message resent after the fix",
       {{"cause", {"channel-stopped"}},
        {"actions",
         {{"m1", {{"action", "resend"}}},
          {"m2", {{"action", "resend"}}},
          {"m3", {{"action", "resend"}}},
          {"m4", {{"action", "resend"}}},
          {"m5", {{"action", "resend"}}},
          {"m6", {{"action", "resend"}}}}}},
       {sdk::Credit::full(), sdk::Credit::none(), sdk::Credit::none()}},
  };
  stopped.malformed = {{"a message the list does not have", {{"actions", {{"m9", {{"action", "queued"}}}}}}},
                       {"an action that is not an option", {{"actions", {{"m1", {{"action", "delete"}}}}}}},
                       {"a cause that is not an option", {{"cause", {"network"}}}}};
  sdk::Example content;
  content.name = "content rejections on any flow";
  content.params = {{"faults", {"content-rejected", "receiver-error"}}, {"notes", json::object()}};
  content.alt_secret = {{"notes", {{"receiver-error", "a note"}}}};
  content.seed = 3;
  content.responses = {{"nothing answered", json::object(), {sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::full()}}};
  return {stopped, content};
}

}  // namespace assay::ehr
