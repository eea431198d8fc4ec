#include "mappings.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <map>
#include <string_view>
#include <utility>

namespace spot::sinks::elasticsearch {

namespace mapping_files {
// Generated from mappings/*.json by cmake/EmbedText.cmake.
extern const std::pair<std::string_view, std::string_view> all[];
extern const std::size_t all_size;
}  // namespace mapping_files

namespace json = boost::json;

namespace {

std::string_view file(std::string_view name) {
    for (std::size_t i = 0; i < mapping_files::all_size; ++i) {
        if (mapping_files::all[i].first == name) {
            return mapping_files::all[i].second;
        }
    }
    return {};
}

// Adds `from` into `into`; objects merge field by field, the first type of a leaf stays.
void merge(json::object& into, const json::object& from) {
    for (const auto& [key, value] : from) {
        auto* mine = into.if_contains(key);
        if (mine == nullptr) {
            into[key] = value;
            continue;
        }
        const auto* theirs = value.as_object().if_contains("properties");
        auto* ours = mine->as_object().if_contains("properties");
        if (theirs != nullptr && ours != nullptr) {
            merge(ours->as_object(), theirs->as_object());
        }
    }
}

}  // namespace

const json::array& family_templates() {
    static const json::array templates =
        json::parse(file("families")).as_object().at("dynamic_templates").as_array();
    return templates;
}

json::object stream_properties(const std::vector<std::string>& streams) {
    // Parsed once: a template is installed per index at start and again after a limit raise.
    static const std::map<std::string_view, json::object> parsed = [] {
        std::map<std::string_view, json::object> out;
        for (std::size_t i = 0; i < mapping_files::all_size; ++i) {
            const auto& [name, text] = mapping_files::all[i];
            if (name != "families") {
                out.emplace(name, json::parse(text).as_object().at("properties").as_object());
            }
        }
        return out;
    }();
    json::object properties;
    for (const auto& stream : streams) {
        if (auto it = parsed.find(stream); it != parsed.end()) {
            merge(properties, it->second);
        }
    }
    return properties;
}

std::size_t mapped_fields(const json::object& properties) {
    std::size_t n = 0;
    for (const auto& [key, value] : properties) {
        const auto& field = value.as_object();
        ++n;
        if (const auto* nested = field.if_contains("properties")) {
            n += mapped_fields(nested->as_object());
        }
        if (const auto* subfields = field.if_contains("fields")) {
            n += subfields->as_object().size();
        }
    }
    return n;
}

}  // namespace spot::sinks::elasticsearch
