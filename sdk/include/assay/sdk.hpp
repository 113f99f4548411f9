// assay/sdk.hpp — write Assay item types as C++ classes (header-only, over <assay/plugin.h>).
//
// One class per item type:
//
//     class Verdict {
//      public:
//       static constexpr const char* kName = "verdict";          // type id within the plugin
//       static constexpr const char* kSummary = "pass/fail on a reading";
//       static sdk::json schema();                               // JSON Schema of the params
//       static std::vector<sdk::Criterion> criteria();           // what the type scores
//       static std::vector<sdk::Example> examples();             // run by `assay plugin-check`
//       static Verdict prepare(const sdk::json& params);         // throw sdk::ParamError on bad params
//       sdk::json present(std::uint64_t seed) const;             // presentation v1; never the key
//       std::vector<sdk::Credit> score(std::uint64_t seed, const sdk::json& response) const;
//       sdk::json solve(std::uint64_t seed) const;               // a full-credit response
//       std::string feedback(std::uint64_t seed, const sdk::json& response) const;
//     };
//     ASSAY_PLUGIN("my-plugin", "1.0.0", "my-domain", "What it scores", Verdict, OtherType)
//
// Optional: `static constexpr bool kSeedFreeScore = true;` promises that `score` ignores its
// seed (the key is in the params alone, as for a choice with a fixed correct option). Batch
// scoring then scores each distinct response text once per batch and gives every candidate who
// sent the same bytes the same credits. Leave it out for a type whose material comes from the seed.
//
// The contract (see plugin.h): `present`, `score`, `solve` and `feedback` are const, deterministic
// for a seed, thread-safe on one prepared item, and draw randomness only from sdk::Rng seeded
// with the item seed. Secret params (schema members with "x-assay-secret": true) never shape
// what `present` shows. Every exception is caught at the boundary: sdk::ParamError becomes
// ASSAY_STATUS_INVALID_PARAMS with its JSON Pointer, sdk::ResponseError and JSON errors while
// scoring become ASSAY_STATUS_INVALID_RESPONSE, anything else ASSAY_STATUS_INTERNAL with a
// message naming the item type.
//
// This header includes them all; each part stands alone too:
//   assay/sdk/credit.hpp    Credit
//   assay/sdk/rng.hpp       Rng
//   assay/sdk/decimal.hpp   Decimal, DecimalOverflow (no JSON library needed)
//   assay/sdk/params.hpp    json, Params, ParamError, ResponseError, decimal_from_json
//   assay/sdk/item.hpp      Criterion, Example, ExampleResponse, object_schema, secret
//   assay/sdk/reading.hpp   read_number, read_quantity, unit_factor, trim_typed
//   assay/sdk/utf8.hpp      valid_utf8, utf8_length, utf8_sequence_length
//   assay/sdk/boundary.hpp  the guarded callbacks, the C tables and ASSAY_PLUGIN
#ifndef ASSAY_SDK_HPP
#define ASSAY_SDK_HPP

#include <assay/plugin.h>
#include <assay/sdk/boundary.hpp>
#include <assay/sdk/credit.hpp>
#include <assay/sdk/decimal.hpp>
#include <assay/sdk/item.hpp>
#include <assay/sdk/params.hpp>
#include <assay/sdk/reading.hpp>
#include <assay/sdk/rng.hpp>
#include <assay/sdk/utf8.hpp>

#include <cstring>  // included by the single header this one replaced; plugins may rely on it

#endif  // ASSAY_SDK_HPP
