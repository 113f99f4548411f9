// Item type `phishing-triage`: the candidate reads an e-mail with its headers, marks the
// phishing indicators, gives a verdict and chooses the next action.
//
// The message is generated from the seed (the hospital's service-desk notice altered to show
// the indicators listed in `inject`) or given in `message`; the key is email::analyse run over
// it with the item's policy (organization domain, DMARC alignment modes, lookalike distance).
// The verdict is "phishing" when any indicator shows; the action for each verdict is the
// hospital's policy, given as secret params.
#pragma once

#include <assay/sdk.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "email.hpp"

namespace assay::cyber {

class PhishingTriage {
 public:
  static constexpr const char* kName = "phishing-triage";
  static constexpr const char* kSummary = "mark the phishing indicators of an e-mail, give a verdict and the next action";

  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static PhishingTriage prepare(const sdk::json& params);

  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  email::Message message(std::uint64_t seed) const;
  std::vector<email::Indicator> key(std::uint64_t seed) const;

 private:
  /// The text of the action with this id (the id itself when unknown).
  std::string action_text(const std::string& id) const;
  /// Why a built-in action is wrong for a phishing message; "" for an author's own action.
  static std::string why_not(const std::string& id);
  struct Answer {
    std::set<std::string> indicators;
    std::optional<std::string> verdict, action;
  };
  /// The response's choices; an id that is not offered, or two where one is asked, is malformed.
  Answer read(const sdk::json& response) const;

  email::Policy policy_;
  std::optional<email::Message> fixed_;
  std::vector<email::Indicator> inject_;
  std::vector<std::pair<std::string, std::string>> actions_;
  std::string if_phishing_ = "report", if_legitimate_ = "none";
  bool default_actions_ = true;  // the built-in actions, whose dangers why_not explains
};

}  // namespace assay::cyber
