// Master patient index material: patient records with near-duplicates (transposed dates,
// nicknames, typos) and twins who are different people, plus pairwise scoring of a grouping.
#ifndef ASSAY_EHR_MPI_RECORDS_HPP
#define ASSAY_EHR_MPI_RECORDS_HPP

#include <assay/sdk.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace assay::ehr::mpi {

struct Record {
  std::string id, mrn, family, given, dob, sex, zip, created;  ///< dates as YYYY-MM-DD
};

/// Groups of record ids that are one person (only groups of two or more are listed).
using Truth = std::vector<std::vector<std::string>>;

struct Material {
  std::vector<Record> records;
  Truth truth;
  /// Records a registration clerk sends to review rather than merge or leave alone: a father
  /// and son of one name and address (two people, but a possible duplicate to a clerk).
  std::set<std::string> review;
};

const std::vector<std::string>& variation_kinds();  ///< transposed-date, nickname, typo

struct GenOptions {
  int min_persons = 6, max_persons = 8;
  int min_duplicates = 2, max_duplicates = 4;  ///< extra records of people already listed
  bool twins = true;                           ///< add a twin pair who are not duplicates
  bool namesakes = false;                      ///< add a father and son of one name and address
  std::vector<std::string> variations = variation_kinds();
};

Material generate(const GenOptions& opt, sdk::Rng& rng);

/// The common short form of a given name in the generator's table, or "" when it has none.
std::string nickname(const std::string& given);

using Pair = std::pair<std::string, std::string>;  ///< ordered: first < second
std::set<Pair> pairs_of(const Truth& groups);

/// The record a merge keeps: the earliest (or latest) `created` in the group, ties by id.
std::string survivor(const std::vector<Record>& records, const std::vector<std::string>& group, bool earliest);

}  // namespace assay::ehr::mpi

#endif
