/* plugin.h is plain C: this file compiles it as C11 with -Werror and pins the layout of the
 * ABI 1.0 and 1.1 structs on LP64. Moving a field breaks this test before it breaks a plugin. */
#include <assay/plugin.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

_Static_assert(offsetof(assay_plugin_table_v1, abi_version) == 0, "ABI header moved");
_Static_assert(offsetof(assay_plugin_table_v1, struct_size) == 4, "ABI header moved");
_Static_assert(offsetof(assay_plugin_table_v1, name) == 8, "plugin table layout changed");
_Static_assert(offsetof(assay_plugin_table_v1, item_types) == 40, "plugin table layout changed");
_Static_assert(sizeof(assay_plugin_table_v1) == 56, "plugin table v1.0 size changed");
_Static_assert(sizeof(assay_credit) == 16, "assay_credit is frozen");
_Static_assert(offsetof(assay_sink, write) == 16, "sink layout changed");
_Static_assert(sizeof(assay_error) == 8 + 2 * sizeof(assay_sink), "error layout changed");
_Static_assert(offsetof(assay_item_type_v1, prepare) == 64, "item type layout changed");
_Static_assert(sizeof(assay_item_type_v1) == 120, "item type v1.0 size changed");
_Static_assert(offsetof(assay_example_v1, seed) == 32, "example layout changed");
/* ABI 1.1: appended, never inserted. */
_Static_assert(offsetof(assay_example_v1, n_responses) == 48, "example v1.0 layout changed");
_Static_assert(offsetof(assay_example_v1, malformed) == 56, "example v1.1 fields must follow the v1.0 ones");
_Static_assert(sizeof(assay_example_v1) == 72, "example v1.1 size changed");
_Static_assert(offsetof(assay_malformed_response_v1, response_json) == 16, "malformed response layout changed");
_Static_assert(ASSAY_ABI_VERSION == 0x00010001u, "ABI version encoding changed");
_Static_assert(ASSAY_CRITERION_RATED == 1u && ASSAY_CRITERION_SAFETY == 2u, "criterion flag bits are fixed");

int main(void) {
  /* The item seed derivation of docs/formats.md, pinned to its values. */
  const char* id = "es-leakage-01";
  uint64_t s = assay_item_seed(42, id, strlen(id));
  assay_rng r = assay_rng_seed(0);
  uint64_t first = assay_rng_next(&r);
  /* SplitMix64 from state 0: the reference generator's first output. */
  if (first != 0xe220a8397b1dcdafull) {
    printf("splitmix64 first output %llx\n", (unsigned long long)first);
    return 1;
  }
  if (assay_fnv1a64("", 0) != 14695981039346656037ull || assay_fnv1a64("a", 1) != 0xaf63dc4c8601ec8cull) {
    printf("fnv1a64 differs from the reference values\n");
    return 1;
  }
  if (s == 0 || s == assay_item_seed(43, id, strlen(id))) return 1;
  for (int i = 0; i < 1000; ++i)
    if (assay_rng_below(&r, 7) >= 7) return 1;
  printf("plugin.h ok\n");
  return 0;
}
