// What Store::repair_out_of_range changes, worked out from the rows either back end reads: the
// one place the repair rules live. Private to core/store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace assay::serve::detail {

struct RepairInput {
  struct Campaign {
    std::int64_t id = 0;
    std::string opens, closes;  // as stored
    std::int64_t time_limit = 0, retakes = 0, retention_days = 0;
  };
  struct Candidate {
    std::int64_t id = 0, campaign_id = 0, extra_time = 0;
  };
  struct Attempt {
    std::string id;
    std::int64_t candidate_id = 0;
    std::string started, deadline, submitted;  // "" when absent
  };
  std::vector<Campaign> campaigns;
  std::vector<Candidate> candidates;
  std::vector<Attempt> attempts;
};

struct RepairPlan {
  struct Campaign {
    std::int64_t id = 0;
    std::string opens, closes;
    std::int64_t time_limit = 0, retakes = 0, retention_days = 0;
  };
  struct Candidate {
    std::int64_t id = 0, extra_time = 0;
  };
  struct Attempt {
    std::string id;
    bool submitted = false;  // the column to set: submitted, else deadline
    std::string value;
  };
  std::vector<Campaign> campaigns;
  std::vector<Candidate> candidates;
  std::vector<Attempt> attempts;   // in order: an attempt's deadline before its submission
  std::vector<std::string> lines;  // one per repair, for the server's terminal
};

/// The repairs the rows need (Store::repair_out_of_range).
RepairPlan plan_repairs(const RepairInput& in);

}  // namespace assay::serve::detail
