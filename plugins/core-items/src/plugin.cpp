// core-items: the generic interactions, registered like any other plugin.
#include <assay/sdk.hpp>

#include "extended_text.hpp"
#include "match.hpp"
#include "multiple_choice.hpp"
#include "numeric.hpp"
#include "order.hpp"
#include "single_choice.hpp"
#include "text_entry.hpp"

using namespace assay::core_items;

ASSAY_PLUGIN("core-items", "1.3.0", "general",
             "Generic interactions: single and multiple choice, numeric with units, text entry, order, match, extended text",
             SingleChoice, MultipleChoice, Numeric, TextEntry, Order, Match, ExtendedText)
