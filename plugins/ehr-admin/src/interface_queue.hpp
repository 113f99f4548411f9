// interface-queue: an interface engine's outbound channel in trouble. The candidate reads the
// channel status, the MLLP connection log, the message list and the HL7 v2 acknowledgments the
// receiver returned, names the fault, and decides per message what happens to it: accepted (AA,
// never sent again), still queued (goes out once the fault is fixed), failed at the receiver
// (AR with ERR-3 207: resend unchanged once fixed) or rejected for its content (AE with an ERR
// naming the field: corrected at the source, then resent). HL7 v2.5.1 Chapter 2: MSA-1 (table
// 0008), MSA-2 (the control ID acknowledged), ERR-2 (error location), ERR-3 (table 0357), ERR-4
// (severity); MLLP framing: start block 0x0B, end block 0x1C 0x0D. The material and the key come
// from one generated scenario, so an acknowledgment that says accepted is never keyed otherwise.
#ifndef ASSAY_EHR_INTERFACE_QUEUE_HPP
#define ASSAY_EHR_INTERFACE_QUEUE_HPP

#include <assay/sdk.hpp>

#include <map>
#include <string>
#include <vector>

namespace assay::ehr {

class InterfaceQueue {
 public:
  static constexpr const char* kName = "interface-queue";
  static constexpr const char* kSummary =
      "troubleshoot an interface-engine channel: name the fault from its status, MLLP log and HL7 ACKs, and decide which "
      "messages to resend";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static InterfaceQueue prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  /// What the receiver did with one message, which decides what happens to it next.
  enum class State { kAccepted, kQueued, kFailed, kRejected };
  struct Message {
    std::string id;       ///< row id: m1, m2, ...
    std::string control;  ///< MSH-10, acknowledged in MSA-2
    std::string mrn;
    int second = 0;  ///< of the day, when the engine took it in
    State state = State::kAccepted;
    std::string error_code, error_text, error_location, error_field;  ///< ERR-3, ERR-2 and the field's name
  };
  /// One generated incident: the fault, the channel and its messages in order.
  struct Scenario {
    std::string fault;
    std::string flow;
    std::string channel, sender, receiver, event, ack_type, host;
    int port = 0;
    int fault_second = 0, now_second = 0;
    std::string date;  ///< YYYYMMDD
    std::string user;  ///< who stopped the channel (channel-stopped)
    std::vector<Message> messages;
  };
  Scenario scenario(std::uint64_t seed) const;

  /// Every fault an item may draw, and every flow.
  static const std::vector<std::string>& fault_ids();
  static const std::vector<std::string>& flow_ids();
  /// The action id each state is keyed to: accepted, queued, resend, correct.
  static std::string action_of(State s);

 private:
  std::vector<std::string> faults_ = fault_ids();
  std::vector<std::string> flows_ = flow_ids();
  int min_messages_ = 6, max_messages_ = 9;
  std::string prompt_;
  std::map<std::string, std::string> notes_;  ///< secret: per fault id, shown only in feedback
};

}  // namespace assay::ehr

#endif
