#include "bulk.hpp"

#include <spot/sigv4.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>

namespace spot::sinks::elasticsearch {

namespace {

std::size_t count_fields(const json::value& v) {
    std::size_t n = 0;
    if (const auto* o = v.if_object()) {
        for (const auto& [k, x] : *o) {
            n += 1 + count_fields(x);
        }
    } else if (const auto* a = v.if_array()) {
        for (const auto& x : *a) {
            if (x.is_object()) {
                n += count_fields(x);
            }
        }
    } else if (v.is_string()) {
        n += 1;  // the .keyword subfield
    }
    return n;
}

// 128 bits of the content's SHA-256: the same err document gets the same id on a replay.
std::string content_id(const std::string& source) { return http::sha256_hex(source).substr(0, 32); }

}  // namespace

BulkItem make_item(const Document& doc, const std::string& index) {
    BulkItem item;
    item.index = index;
    const std::string source = json::serialize(doc.body);
    const bool appended = doc.id.empty();
    item.id = appended ? content_id(source) : doc.id;
    if (const auto* id = doc.body.if_contains("id"); id != nullptr && id->is_string()) {
        item.app_id = std::string(id->as_string());
    } else if (const auto* s = doc.body.if_contains("spot"); s != nullptr && s->is_object()) {
        if (const auto* a = s->as_object().if_contains("spark_app_id"); a && a->is_string()) {
            item.app_id = std::string(a->as_string());
        }
    }
    if (const auto* h = doc.body.if_contains("history_host"); h != nullptr && h->is_string()) {
        item.history_host = std::string(h->as_string());
    }
    json::object meta{{"_index", index}, {"_id", item.id}};
    item.lines = json::serialize(json::object{{appended ? "create" : "index", std::move(meta)}});
    item.lines += '\n';
    item.lines += source;
    item.lines += '\n';
    item.fields = count_fields(doc.body);
    return item;
}

Result<std::vector<ItemResult>> parse_bulk_response(const std::string& body, std::size_t items) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    const auto* o = ec ? nullptr : v.if_object();
    const auto* list = o != nullptr ? o->if_contains("items") : nullptr;
    if (list == nullptr || !list->is_array() || list->as_array().size() != items) {
        return make_error(ErrorCode::Json, "bulk answer without one result per item");
    }
    std::vector<ItemResult> out;
    for (const auto& entry : list->as_array()) {
        const auto* e = entry.if_object();
        if (e == nullptr || e->empty() || !e->begin()->value().is_object()) {
            return make_error(ErrorCode::Json, "malformed bulk item result");
        }
        const auto& r = e->begin()->value().as_object();
        ItemResult res;
        if (const auto* st = r.if_contains("status"); st != nullptr && st->is_number()) {
            res.status = static_cast<unsigned>(st->to_number<std::int64_t>());
        }
        if (const auto* err = r.if_contains("error"); err != nullptr && err->is_object()) {
            const auto& eo = err->as_object();
            if (const auto* t = eo.if_contains("type"); t && t->is_string()) {
                res.type = std::string(t->as_string());
            }
            if (const auto* reason = eo.if_contains("reason"); reason && reason->is_string()) {
                res.reason = std::string(reason->as_string());
            }
            if (const auto* cause = eo.if_contains("caused_by"); cause && cause->is_object()) {
                if (const auto* cr = cause->as_object().if_contains("reason");
                    cr && cr->is_string()) {
                    res.reason += " (caused by: " + std::string(cr->as_string()) + ")";
                }
            }
        }
        out.push_back(std::move(res));
    }
    return out;
}

std::optional<std::int64_t> total_fields_limit_in(const std::string& reason) {
    static const std::regex kLimit(R"(Limit of total fields \[(\d+)\])");
    std::smatch m;
    if (std::regex_search(reason, m, kLimit)) {
        return std::stoll(m[1]);
    }
    return std::nullopt;
}

}  // namespace spot::sinks::elasticsearch

namespace spot::sinks::elasticsearch {

std::vector<BulkItem> items_from_ndjson(const std::string& body) {
    std::vector<BulkItem> out;
    std::size_t pos = 0;
    while (pos < body.size()) {
        const auto a_end = body.find('\n', pos);
        if (a_end == std::string::npos) {
            break;
        }
        const auto s_end = body.find('\n', a_end + 1);
        if (s_end == std::string::npos) {
            break;
        }
        boost::system::error_code ec;
        auto action = json::parse(std::string_view(body).substr(pos, a_end - pos), ec);
        auto source =
            ec ? json::value()
               : json::parse(std::string_view(body).substr(a_end + 1, s_end - a_end - 1), ec);
        if (!ec && action.is_object() && !action.as_object().empty() && source.is_object()) {
            const auto& meta = action.as_object().begin()->value().as_object();
            Document d{"", std::string(meta.at("_id").as_string()), std::move(source.as_object())};
            BulkItem item = make_item(d, std::string(meta.at("_index").as_string()));
            item.lines = body.substr(pos, s_end + 1 - pos);  // exactly as spooled
            out.push_back(std::move(item));
        }
        pos = s_end + 1;
    }
    return out;
}

}  // namespace spot::sinks::elasticsearch
