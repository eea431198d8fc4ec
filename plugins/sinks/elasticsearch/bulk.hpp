// The _bulk protocol as plain functions: NDJSON items out, per-item results in.
#pragma once

#include <spot/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace spot::sinks::elasticsearch {

// One document as it goes to _bulk: its action line and source line.
struct BulkItem {
    std::string index;
    std::string id;
    std::string app_id;  // for err documents about it
    std::string history_host;
    std::string lines;       // action + source, each ending in '\n'
    std::size_t fields = 0;  // mapped fields it needs (objects, leaves, keyword subfields)
};

// Documents with an id (SPEC §4) are `index`ed: a replay overwrites. Documents without one (err
// documents) get an id derived from their content and are `create`d: a replay of the same
// document answers 409, counted as stored.
BulkItem make_item(const Document& doc, const std::string& index);

struct ItemResult {
    unsigned status = 0;
    std::string type;    // error type, e.g. mapper_parsing_exception
    std::string reason;  // error reason
};

// Per-item results of a _bulk answer, in request order.
Result<std::vector<ItemResult>> parse_bulk_response(const std::string& body, std::size_t items);

// N from "Limit of total fields [N] has been exceeded" (also in a caused_by), if present.
std::optional<std::int64_t> total_fields_limit_in(const std::string& reason);

// Retried: the cluster was busy or failing, not the document.
inline bool transient_item(unsigned status) { return status == 429 || status >= 500; }

}  // namespace spot::sinks::elasticsearch

namespace spot::sinks::elasticsearch {

// The items of a spooled _bulk body (pairs of action and source lines).
std::vector<BulkItem> items_from_ndjson(const std::string& body);

}  // namespace spot::sinks::elasticsearch
