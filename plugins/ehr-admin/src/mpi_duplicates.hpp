// mpi-duplicates: the candidate groups patient records that are the same person and marks the
// survivor of each merge; scored per pair against the truth (precision and recall).
#ifndef ASSAY_EHR_MPI_DUPLICATES_HPP
#define ASSAY_EHR_MPI_DUPLICATES_HPP

#include <assay/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

#include "mpi_records.hpp"

namespace assay::ehr {

class MpiDuplicates {
 public:
  static constexpr const char* kName = "mpi-duplicates";
  static constexpr const char* kSummary =
      "group duplicate patient records in a master patient index and pick each merge's survivor";
  static sdk::json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static MpiDuplicates prepare(const sdk::json& params);
  sdk::json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
  sdk::json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const sdk::json& response) const;

  mpi::Material material(std::uint64_t seed) const;

 private:
  std::optional<mpi::Material> fixed_;
  mpi::GenOptions gen_;
  bool earliest_ = true;
  std::string prompt_;
};

}  // namespace assay::ehr

#endif
