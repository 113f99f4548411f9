/*
 * assay/plugin.h — the C ABI between the Assay engine and its plugins (ABI 1).
 *
 * This header is the only contract between the engine ("host") and a plugin. It is plain C11:
 * fixed-width integers, pointer + length, function pointers and opaque handles. No C++ type,
 * exception, RTTI or STL object ever crosses it.
 *
 * Rules of the boundary
 * ---------------------
 *  - Names carry the major version. A plugin exports the function `assay_plugin_v1` and the data
 *    symbol `assay_abi_1`. The host reads the exports of a file (without running it) and refuses
 *    a file without both.
 *  - Every struct that crosses starts with `struct_size` (the plugin table starts with
 *    `abi_version`, then `struct_size`). Minor versions only append fields at the end; a reader
 *    uses a field only when `struct_size` covers it. A table smaller than the ABI 1.0 size is
 *    refused. `assay_credit` is the one frozen value type: two integers, never extended.
 *  - Memory never changes owner. Inputs are UTF-8 bytes with a length, owned by the host for the
 *    duration of the call. All text a plugin returns is written through a host-provided
 *    `assay_sink`; numbers are written into host-provided arrays. Strings in the plugin's static
 *    tables (names, schemas, examples) are NUL-terminated and live as long as the library.
 *  - No exception or longjmp crosses. Failures are an `assay_status` plus, where the host passes
 *    an `assay_error`, a message and an RFC 6901 JSON Pointer into the item's params.
 *  - Determinism: for the same params, seed and response, every function returns the same bytes
 *    and credits on every platform. Plugins draw randomness only from the generator below,
 *    seeded with the item seed, never from the C or C++ library.
 *  - Concurrency: `present`, `score`, `score_batch`, `solve` and `feedback` may be called at the
 *    same time from several threads on one handle. They must not mutate the handle.
 *  - No I/O. Large material arrives inside the params (the engine reads `{ file = "..." }`).
 *  - Secret params (the answer key; marked `"x-assay-secret": true` in the params schema) never
 *    shape what `present` shows: `present` is byte-identical when they are swapped for another
 *    value set. `present` never contains the key, nor anything the key can be read off.
 *
 * A minimal plugin (C)
 * --------------------
 *     #include <assay/plugin.h>
 *     static const assay_item_type_v1 *types[] = { &my_type };   // filled in elsewhere
 *     static const assay_plugin_table_v1 table = {
 *         ASSAY_ABI_VERSION, sizeof(assay_plugin_table_v1),
 *         "my-plugin", "1.0.0", "example", "What this plugin scores", types, 1 };
 *     ASSAY_EXPORT const uint32_t assay_abi_1 = ASSAY_ABI_VERSION;
 *     ASSAY_EXPORT const assay_plugin_table_v1 *assay_plugin_v1(void) { return &table; }
 *
 * Authors in C++ use <assay/sdk.hpp>, which writes all of this from one class per item type.
 */
#ifndef ASSAY_PLUGIN_H
#define ASSAY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @since ABI 1.0 — major and minor version of this header. */
#define ASSAY_ABI_MAJOR 1
#define ASSAY_ABI_MINOR 1 /* ABI 1.1: malformed responses, safety criteria; a 1.1 host loads 1.0 plugins */
/** @since ABI 1.0 — `abi_version` of a plugin table: major in the high 16 bits, minor low. */
#define ASSAY_ABI_VERSION ((uint32_t)((ASSAY_ABI_MAJOR << 16) | ASSAY_ABI_MINOR))

#if defined(_WIN32)
#define ASSAY_EXPORT __declspec(dllexport)
#else
#define ASSAY_EXPORT __attribute__((visibility("default")))
#endif

/** @since ABI 1.0 — outcome of every plugin function. */
typedef int32_t assay_status;
#define ASSAY_STATUS_OK 0               /* done */
#define ASSAY_STATUS_INVALID_PARAMS 1   /* prepare: params refused (error has message + pointer) */
#define ASSAY_STATUS_INVALID_RESPONSE 2 /* score/feedback: response malformed for this item */
#define ASSAY_STATUS_INTERNAL 3         /* a bug or an exception inside the plugin */
#define ASSAY_STATUS_UNSUPPORTED 4      /* the item type does not offer this function */

/**
 * @since ABI 1.0 — a host-provided text output. The plugin calls `write` zero or more times;
 * the bytes are appended. `data` need not be NUL-terminated and is only valid during the call.
 */
typedef struct assay_sink {
  uint32_t struct_size;
  uint32_t reserved; /* zero */
  void* ctx;
  void (*write)(void* ctx, const char* data, size_t len);
} assay_sink;

/**
 * @since ABI 1.0 — where a failing call explains itself. The host passes it (or NULL, when it
 * only needs the status); the plugin writes a lowercase message without a final period to
 * `message` and, for a params problem, an RFC 6901 JSON Pointer into the params to `pointer`
 * (e.g. "/readings/2/value_uA"; "" means the params as a whole).
 */
typedef struct assay_error {
  uint32_t struct_size;
  uint32_t reserved; /* zero */
  assay_sink message;
  assay_sink pointer;
} assay_error;

/**
 * @since ABI 1.0 — exact credit on one criterion: numerator / denominator, with
 * 0 <= numerator <= denominator and denominator >= 1. Frozen: never extended.
 */
typedef struct assay_credit {
  uint64_t numerator;
  uint64_t denominator;
} assay_credit;

/** @since ABI 1.0 — criterion flags. New flags take the next free bit, never a used one. */
#define ASSAY_CRITERION_RATED 1u /* scored by a person against the rubric levels given in TOML */
/**
 * @since ABI 1.1 — a safety criterion: full credit unless the response makes the unsafe error
 * the type names (returns a failed device to service, misses a violation that must be reported,
 * grants a forbidden access). An over-cautious answer always earns full credit on it. Only such
 * criteria are meant to be marked critical by an author; `assay validate` warns about others.
 * A host reads this bit only from plugins whose table declares ABI 1.1 or later; a 1.0 plugin's
 * criteria are never safety criteria.
 */
#define ASSAY_CRITERION_SAFETY 2u

/**
 * @since ABI 1.0 — one criterion an item type scores. The assessment author gives it points.
 * A type with a single criterion calls it "correct". For a rated criterion, `score` writes 0/1
 * and the engine takes the rater's level instead.
 */
typedef struct assay_criterion_v1 {
  uint32_t struct_size;
  uint32_t flags; /* ASSAY_CRITERION_* */
  const char* id; /* kebab-case, unique within the type */
  const char* description;
} assay_criterion_v1;

/**
 * @since ABI 1.0 — one response of an example and the credit it must earn, one entry per
 * criterion of the type, in declaration order. Rated criteria are not checked.
 */
typedef struct assay_example_response_v1 {
  uint32_t struct_size;
  uint32_t reserved;         /* zero */
  const char* label;         /* e.g. "correct", "wrong verdict" */
  const char* response_json; /* a response v1 document (docs/formats.md) */
  const assay_credit* expected_credits;
} assay_example_response_v1;

/**
 * @since ABI 1.1 — a response that is malformed for its example's params: it cannot be read as
 * an answer to the item (an unknown unit, a vector or rule that does not parse, a number outside
 * the item's stated range, a value that is not an option). `score` must return
 * ASSAY_STATUS_INVALID_RESPONSE for it and, given an `assay_error`, write a message the candidate
 * can act on. `assay plugin-check` runs each one.
 */
typedef struct assay_malformed_response_v1 {
  uint32_t struct_size;
  uint32_t reserved;         /* zero */
  const char* label;         /* e.g. "unknown unit" */
  const char* response_json; /* a response v1 document */
} assay_malformed_response_v1;

/**
 * @since ABI 1.0 — a worked example that `assay plugin-check` runs: params that `prepare`
 * accepts, an alternative set of secret params (a JSON object whose members replace the
 * params' members of the same names; each must be marked secret) for the key-flip check,
 * the seed the responses are written for, and responses with their expected credit.
 */
typedef struct assay_example_v1 {
  uint32_t struct_size;
  uint32_t reserved; /* zero */
  const char* name;
  const char* params_json;
  const char* alt_secret_params_json; /* "{}" when the type has no secret params */
  uint64_t seed;
  const assay_example_response_v1* const* responses;
  size_t n_responses;
  /* ABI 1.1 and later: new slots go here, never above. */
  /** @since ABI 1.1 — responses malformed for these params (see assay_malformed_response_v1). */
  const assay_malformed_response_v1* const* malformed;
  size_t n_malformed;
} assay_example_v1;

/** @since ABI 1.0 — a prepared item: opaque to the host, owned by the plugin until `release`. */
typedef struct assay_handle assay_handle;

/**
 * @since ABI 1.0 — one item type: its contract and its functions. Every function pointer is
 * set (a type without feedback writes nothing and returns OK). All functions but `prepare` and
 * `release` are const on the handle and may run concurrently.
 */
typedef struct assay_item_type_v1 {
  uint32_t struct_size;
  uint32_t reserved;   /* zero */
  const char* name;    /* kebab-case, unique within the plugin: "single-choice" */
  const char* summary; /* one line */
  /** JSON Schema (2020-12) of the params object; secret members carry "x-assay-secret": true. */
  const char* params_schema_json;
  const assay_criterion_v1* const* criteria;
  size_t n_criteria;
  const assay_example_v1* const* examples;
  size_t n_examples;

  /** Validate params (a JSON object, UTF-8) and compile them. Called once per item at load. */
  assay_status (*prepare)(const char* params, size_t params_len, assay_handle** out, assay_error* error);
  /** Write the candidate's presentation v1 document for `seed`. Never the key. */
  assay_status (*present)(const assay_handle* item, uint64_t seed, assay_sink* out, assay_error* error);
  /**
   * Score one response v1 document: write `n_criteria` credits. `error` may be NULL (batch
   * scoring asks for no text).
   *
   * Malformed and wrong are two answers. A response that cannot be read as an answer to this
   * item (an unknown or unconvertible unit, a vector or rule that does not parse, a number
   * outside the item's stated range, a value that is not an option) is *malformed*: return
   * ASSAY_STATUS_INVALID_RESPONSE (credits are then unspecified; the engine scores the item 0),
   * and from ABI 1.1, when `error` is not NULL, write a message saying what could not be read and
   * what form is expected. The host shows it to the candidate while they may still fix the
   * answer, so it never says whether the answer is right. A readable answer that earns less than
   * full credit is *wrong*: return OK with its credits. Be forgiving about form (case where case
   * means nothing, surrounding white space, the Unicode minus) and strict about substance.
   */
  assay_status (*score)(const assay_handle* item, uint64_t seed, const char* response, size_t response_len, assay_credit* credits,
                        assay_error* error);
  /**
   * Score `n` responses: entry i reads seeds[i], responses[i] (responses_len[i] bytes) and writes
   * credits[i * n_criteria ...] and statuses[i]. Returns OK unless the batch as a whole failed.
   */
  assay_status (*score_batch)(const assay_handle* item, size_t n, const uint64_t* seeds, const char* const* responses,
                              const size_t* responses_len, assay_credit* credits, assay_status* statuses);
  /** Write a response that earns full credit on every non-rated criterion for `seed`. */
  assay_status (*solve)(const assay_handle* item, uint64_t seed, assay_sink* out, assay_error* error);
  /** Write plain-text feedback on this response: what was right or wrong. Review only. */
  assay_status (*feedback)(const assay_handle* item, uint64_t seed, const char* response, size_t response_len, assay_sink* out,
                           assay_error* error);
  /** Free a prepared item. NULL is allowed. */
  void (*release)(assay_handle* item);
  /* ABI 1.1 and later: new slots go here, never above. */
} assay_item_type_v1;

/**
 * @since ABI 1.0 — what `assay_plugin_v1` returns: static for the library's lifetime.
 */
typedef struct assay_plugin_table_v1 {
  uint32_t abi_version; /* ASSAY_ABI_VERSION: these two never move, the host reads them first */
  uint32_t struct_size; /* sizeof(assay_plugin_table_v1) as the plugin was compiled */
  const char* name;     /* kebab-case plugin name, the prefix of its type ids: "core-items" */
  const char* version;  /* semantic version: "1.2.0" */
  const char* domain;   /* e.g. "cybersecurity" */
  const char* description;
  const assay_item_type_v1* const* item_types;
  size_t n_item_types;
  /* ABI 1.1 and later: new slots go here, never above. */
} assay_plugin_table_v1;

/** @since ABI 1.0 — the entry symbol's signature. */
typedef const assay_plugin_table_v1* (*assay_plugin_v1_fn)(void);

/* ---------------------------------------------------------------------------------------------
 * Portable randomness (@since ABI 1.0). Identical results on every compiler and platform.
 * The engine derives each item's seed with assay_item_seed(attempt_seed, item_id); a plugin
 * seeds an assay_rng with it and draws only from it.
 * ------------------------------------------------------------------------------------------- */

/** 64-bit FNV-1a of `len` bytes. */
static inline uint64_t assay_fnv1a64(const char* data, size_t len) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < len; ++i) {
    h ^= (uint64_t)(unsigned char)data[i];
    h *= 1099511628211ull;
  }
  return h;
}

/** SplitMix64 finaliser (Steele, Lea, Flood 2014). */
static inline uint64_t assay_mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/** An item's seed: mix64(attempt_seed ^ fnv1a64(item_id)). docs/formats.md specifies it. */
static inline uint64_t assay_item_seed(uint64_t attempt_seed, const char* item_id, size_t item_id_len) {
  return assay_mix64(attempt_seed ^ assay_fnv1a64(item_id, item_id_len));
}

/** SplitMix64 generator state. */
typedef struct assay_rng {
  uint64_t state;
} assay_rng;

static inline assay_rng assay_rng_seed(uint64_t seed) {
  assay_rng r;
  r.state = seed;
  return r;
}

static inline uint64_t assay_rng_next(assay_rng* r) {
  r->state += 0x9e3779b97f4a7c15ull;
  return assay_mix64(r->state);
}

/** Uniform integer in [0, bound) without modulo bias; bound 0 gives 0. */
static inline uint64_t assay_rng_below(assay_rng* r, uint64_t bound) {
  if (bound == 0) return 0;
  uint64_t threshold = (0 - bound) % bound; /* 2^64 mod bound */
  for (;;) {
    uint64_t x = assay_rng_next(r);
    if (x >= threshold) return x % bound;
  }
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ASSAY_PLUGIN_H */
