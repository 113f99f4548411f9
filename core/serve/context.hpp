// What every route handler shares: the store, the plugins, the clock, the options, and the
// caches of loaded assessments and of presentations. Handlers receive it as a parameter.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api.hpp"
#include "assay/clock.hpp"
#include "assay/delivery.hpp"
#include "assay/model.hpp"
#include "assay/store.hpp"
#include "http_util.hpp"

namespace assay::serve::detail {

/// What a candidate's save needs of the attempt their link opened when the server last read it:
/// what never changes once the attempt started (its id and form) and where its campaign's
/// assessment is (which never changes either). Everything else a save depends on is checked by
/// the store as it saves (Store::save_answer_if_open), so a stale entry only costs the full path.
struct OpenedAttempt {
  std::string attempt_id;
  delivery::Form form;
  std::string assessment_path, assessment_sha256;
};

class ApiContext {
 public:
  ApiContext(Store& store, const plugins::Registry& registry, const Clock& clock, ApiOptions options);

  Store& store;
  const plugins::Registry& registry;
  const Clock& clock;
  const ApiOptions options;
  std::mutex attempt_mu;  // serialises starting attempts, so one link never starts two

  TimePoint now() const { return clock.now(); }

  /// HTTPS directly or, behind a trusted proxy, as the proxy says (X-Forwarded-Proto).
  bool https(const HttpRequest& req) const { return options.tls || req.https; }
  /// "https://HOST" or "http://HOST", for the links the server hands out.
  std::string base_url(const HttpRequest& req) const;
  /// What every cookie the server sets ends with.
  std::string cookie_attributes(const HttpRequest& req) const;

  /// The assessment at `path`, loaded and prepared once and then shared. Refuses 500 when it no
  /// longer loads, or when its digest is not `sha256` (unless that is "").
  std::shared_ptr<const model::LoadedAssessment> load(const std::string& path, const std::string& sha256);
  /// The campaign's assessment, as it was when the campaign was created.
  std::shared_ptr<const model::LoadedAssessment> load(const Campaign& c);

  /// The item's presentation as the candidate sees it. Kept by assessment digest, item and seed:
  /// a presentation is a function of these alone.
  std::shared_ptr<const json> presentation(const model::LoadedAssessment& loaded, const delivery::FormItem& fi);

  /// Keeps the running attempt `a` that the link of hash `link_hash` opens, for that link's next
  /// saves.
  void remember_attempt(const std::string& link_hash, const StoredAttempt& a, const Campaign& c);
  /// The attempt remembered for the link of hash `link_hash`, or null.
  std::shared_ptr<const OpenedAttempt> remembered_attempt(const std::string& link_hash);

  /// Adds an entry to the campaign's log (0: the server's own log), at the current time.
  void log(std::int64_t campaign_id, const std::string& user, const std::string& action, const std::string& detail);

  /// The campaign with the id in the path; refuses 404.
  Campaign campaign_or_404(const std::string& id);

 private:
  static constexpr std::size_t kShownKept = 50000;  // then the presentation cache starts over

  std::mutex cache_mu_;
  std::map<std::string, std::shared_ptr<const model::LoadedAssessment>> cache_;  // by path + digest
  std::mutex shown_mu_;
  std::unordered_map<std::string, std::shared_ptr<const json>> shown_;
  static constexpr std::size_t kOpenedKept = 20000;  // then the remembered attempts start over
  std::mutex opened_mu_;
  std::unordered_map<std::string, std::shared_ptr<const OpenedAttempt>> opened_;  // by link hash
};

}  // namespace assay::serve::detail
