// Kibana saved objects: the reference tool's dashboards (tests/fixtures/spot-kibana) and Spot's
// own (deploy/dashboards): the fields their visualizations and saved searches on spot_agg_* and
// spot_err_* use, and a coverage check of documents against them. Shared by the aggregation unit
// test and the Elasticsearch end-to-end tests (documents read back from the index).
#pragma once

#include "support/fixtures.hpp"

#include <spot/time.hpp>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace spot::test {

namespace json = boost::json;

struct Dashboards {
    std::map<std::string, std::map<std::string, std::string>>
        pattern_types;  // title -> field -> type
    std::map<std::string, std::map<std::string, std::string>>
        es_types;                                         // title -> field -> esTypes[0]
    std::map<std::string, std::set<std::string>> fields;  // title -> used fields
};

inline std::filesystem::path reference_dashboards() { return fixtures_dir() / "spot-kibana"; }
inline std::filesystem::path spot_dashboards() {
    return std::filesystem::path(SPOT_SOURCE_DIR) / "deploy" / "dashboards";
}

inline void collect(const json::value& v, std::set<std::string>& out) {
    static const std::regex kKuery(R"(([A-Za-z_][A-Za-z0-9_.]*)\s*(:|<|>))");
    if (v.is_string()) {
        const std::string s(v.as_string());
        if (!s.empty() && (s.front() == '{' || s.front() == '[')) {
            boost::system::error_code ec;
            auto inner = json::parse(s, ec);
            if (!ec) {
                collect(inner, out);
            }
        }
        return;
    }
    if (v.is_array()) {
        for (const auto& x : v.as_array()) {
            collect(x, out);
        }
        return;
    }
    if (!v.is_object()) {
        return;
    }
    for (const auto& [k, x] : v.as_object()) {
        if ((k == "field" || k == "sortField") && x.is_string() && !x.as_string().empty()) {
            out.insert(std::string(x.as_string()));
        } else if (k == "columns" && x.is_array()) {
            for (const auto& c : x.as_array()) {
                out.insert(std::string(c.as_string()));
            }
        } else if (k == "query" && x.is_string()) {
            const std::string q(x.as_string());
            for (std::sregex_iterator it(q.begin(), q.end(), kKuery), end; it != end; ++it) {
                out.insert((*it)[1].str());
            }
        } else {
            collect(x, out);
        }
    }
}

// The fields the saved objects on the index patterns `patterns` use (default: the Spark runs'
// agg and err indices; the YARN dashboards use spot_yarn_*).
inline Dashboards load_dashboards(const std::filesystem::path& dir = reference_dashboards(),
                                  const std::set<std::string>& patterns = {"spot_agg_*",
                                                                           "spot_err_*"}) {
    Dashboards d;
    std::map<std::string, std::string> pattern_titles;  // id -> title
    std::vector<json::object> objects;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() != ".ndjson") {
            continue;  // READMEs beside the saved objects
        }
        std::ifstream in(e.path());
        for (std::string line; std::getline(in, line);) {
            auto o = json::parse(line).as_object();
            if (!o.contains("type")) {
                continue;
            }
            if (o.at("type") == "index-pattern") {
                const std::string title(o.at("attributes").at("title").as_string());
                pattern_titles[std::string(o.at("id").as_string())] = title;
                auto fields = json::parse(o.at("attributes").at("fields").as_string());
                for (const auto& f : fields.as_array()) {
                    const std::string name(f.at("name").as_string());
                    d.pattern_types[title][name] = std::string(f.at("type").as_string());
                    if (const auto* es = f.as_object().if_contains("esTypes");
                        es && es->is_array() && !es->as_array().empty()) {
                        d.es_types[title][name] = std::string(es->as_array()[0].as_string());
                    }
                }
            } else if (o.at("type") == "visualization" || o.at("type") == "search") {
                objects.push_back(std::move(o));
            }
        }
    }
    for (const auto& o : objects) {
        for (const auto& r : o.at("references").as_array()) {
            auto t = pattern_titles.find(std::string(r.at("id").as_string()));
            if (r.at("type") != "index-pattern" || t == pattern_titles.end()) {
                continue;
            }
            if (!patterns.contains(t->second)) {
                continue;
            }
            std::set<std::string> used;
            collect(o.at("attributes"), used);
            for (auto f : used) {
                if (f.ends_with(".keyword")) {
                    f.resize(f.size() - 8);
                }
                d.fields[t->second].insert(f);
            }
        }
    }
    return d;
}

// Fields of the Enceladus module (issue 7), not produced by the default pipeline.
inline bool enceladus_field(const std::string& f) {
    static const std::regex kEnceladus(
        R"(.*enceladus.*|.*\.postprocessing\..*|app_specific_data\.classification\.(app_version|dataset|dataset_version|info_date|info_date_casted|info_version|project))");
    return std::regex_match(f, kEnceladus);
}

// Resolves "a.b.c" through objects whose own keys may contain dots (flattened statistics) and
// through arrays of objects (as the search engines do: `findings.heuristic`).
inline const json::value* resolve(const json::value& v, std::string_view path) {
    if (const auto* a = v.if_array()) {
        for (const auto& e : *a) {
            if (const auto* found = resolve(e, path)) {
                return found;
            }
        }
        return nullptr;
    }
    const auto* o = v.if_object();
    if (o == nullptr) {
        return nullptr;
    }
    for (const auto& [k, x] : *o) {
        std::string_view key = k;
        if (path == key) {
            return &x;
        }
        if (path.starts_with(key) && path.size() > key.size() && path[key.size()] == '.') {
            if (const auto* found = resolve(x, path.substr(key.size() + 1))) {
                return found;
            }
        }
    }
    return nullptr;
}

inline bool has_type(const json::value& v, const std::string& type) {
    if (type == "number") {
        return v.is_number();
    }
    if (type == "boolean") {
        return v.is_bool();
    }
    if (type == "date") {
        return v.is_string() && parse_timestamp(v.as_string()).has_value();
    }
    return v.is_string();
}

struct Coverage {
    std::size_t total = 0, found = 0;
    std::vector<std::string> missing;  // "<pattern> <field> (<type>)"
};

enum class DashboardFields { Default, Enceladus };

// Every dashboard field of the kind asked (the default pipeline's, or the Enceladus module's on
// spot_agg_*) must be in at least one agg document, or in the err document, with the type its
// index pattern declares.
inline Coverage dashboard_coverage(const Dashboards& dashboards,
                                   const std::vector<json::value>& agg_docs,
                                   const json::value& err_doc,
                                   DashboardFields which = DashboardFields::Default) {
    Coverage c;
    for (const auto& [pattern, fields] : dashboards.fields) {
        const auto& types = dashboards.pattern_types.at(pattern);
        for (const auto& f : fields) {
            if (enceladus_field(f) != (which == DashboardFields::Enceladus)) {
                continue;
            }
            ++c.total;
            auto t = types.find(f);
            const std::string type = t == types.end() ? "string" : t->second;
            bool ok = false;
            if (pattern == "spot_err_*") {
                const auto* v = resolve(err_doc, f);
                ok = v && has_type(*v, type);
            } else {
                for (const auto& d : agg_docs) {
                    const auto* v = resolve(d, f);
                    if (v && has_type(*v, type)) {
                        ok = true;
                        break;
                    }
                }
            }
            if (ok) {
                ++c.found;
            } else {
                c.missing.push_back(pattern + " " + f + " (" + type + ")");
            }
        }
    }
    return c;
}

}  // namespace spot::test
