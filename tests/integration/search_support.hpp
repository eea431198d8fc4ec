// A search node of the "servers" fixture (tests/integration/search.sh) as the tests use it:
// its port, requests with curl, counts and documents read back after a refresh, mapped types.
#pragma once

#include "integration/shs_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fnmatch.h>
#include <map>
#include <set>
#include <thread>

namespace spot::test {

namespace json = boost::json;
namespace fs = std::filesystem;

inline unsigned short node_port(const fs::path& work) {
    return shs_port(work / "state");  // same "port=<p>" line
}

// One request to the node; the body is JSON or empty.
inline HttpAnswer node(unsigned short port,
                       const std::string& method,
                       const std::string& target,
                       const std::string& body = "") {
    std::string out;
    std::vector<std::string> argv{"/usr/bin/curl",
                                  "-s",
                                  "-X",
                                  method,
                                  "-H",
                                  "Content-Type: application/json",
                                  "-w",
                                  "\n%{http_code}",
                                  "http://127.0.0.1:" + std::to_string(port) + target};
    if (!body.empty()) {
        argv.insert(argv.end() - 1, {"--data-binary", body});
    }
    REQUIRE(run(argv, &out) == 0);
    const auto nl = out.rfind('\n');
    return HttpAnswer{std::stoi(out.substr(nl + 1)), "application/json", out.substr(0, nl)};
}

// Refreshes `index` and sends the request; a shard still being allocated (a new index, a
// restarted node) answers 503 for a moment, which is waited out.
inline HttpAnswer after_refresh(unsigned short port,
                                const std::string& index,
                                const std::string& method,
                                const std::string& target,
                                const std::string& body = "") {
    HttpAnswer a;
    for (int i = 0; i < 40; ++i) {
        node(port, "POST", "/" + index + "/_refresh");
        a = node(port, method, target, body);
        if (a.status != 503) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return a;
}

inline std::int64_t count(unsigned short port, const std::string& index) {
    auto a = after_refresh(port, index, "GET", "/" + index + "/_count");
    if (a.status == 404) {
        return 0;
    }
    REQUIRE(a.status == 200);
    return json::parse(a.body).at("count").as_int64();
}

inline std::map<std::string, json::object> all_docs(unsigned short port, const std::string& index) {
    auto a = after_refresh(port, index, "POST", "/" + index + "/_search",
                           R"({"size": 10000, "query": {"match_all": {}}})");
    REQUIRE(a.status == 200);
    std::map<std::string, json::object> out;
    const auto answer =
        json::parse(a.body);  // named: a range-for over a temporary's member dangles
    for (const auto& h : answer.at("hits").at("hits").as_array()) {
        out[std::string(h.at("_id").as_string())] = h.at("_source").as_object();
    }
    return out;
}

// The types the node mapped for the fields of `index` matching `pattern`.
inline std::map<std::string, std::string> mapped_types(unsigned short port,
                                                       const std::string& index,
                                                       const std::string& pattern) {
    const auto a = node(port, "GET", "/" + index + "/_mapping/field/" + pattern);
    REQUIRE(a.status == 200);
    std::map<std::string, std::string> out;
    const auto answer = json::parse(a.body);
    for (const auto& [name, m] : answer.at(index).at("mappings").as_object()) {
        for (const auto& [leaf, def] : m.at("mapping").as_object()) {
            out[std::string(name)] = std::string(def.at("type").as_string());
        }
    }
    return out;
}

namespace detail {

// The dotted paths of the fields a mapping's properties hold (not their keyword subfields), each
// with a type.
inline void leaf_paths(const json::object& properties,
                       const std::string& prefix,
                       std::set<std::string>& out) {
    for (const auto& [name, def] : properties) {
        const std::string path = prefix + std::string(name);
        if (const auto* nested = def.as_object().if_contains("properties")) {
            leaf_paths(nested->as_object(), path + ".", out);
        } else if (const auto* type = def.as_object().if_contains("type");
                   type != nullptr && type->as_string() != "object") {
            out.insert(path);
        }  // else an object that held no field yet (an empty {} in every document): no type
    }
}

}  // namespace detail

struct TemplateCoverage {
    std::size_t explicit_fields = 0;   // fields of the index the template's properties name
    std::size_t family_fields = 0;     // fields one of its path templates types
    std::vector<std::string> untyped;  // fields only the last, catch-all rules typed
};

// How the fields `index` has mapped were typed by the sink's index template (spot-<index>):
// by its explicit properties, by a path template, or (untyped) by neither.
inline TemplateCoverage template_coverage(unsigned short port, const std::string& index) {
    const auto m = node(port, "GET", "/" + index + "/_mapping");
    REQUIRE(m.status == 200);
    const auto mapping = json::parse(m.body);
    std::set<std::string> fields;
    detail::leaf_paths(mapping.at(index).at("mappings").at("properties").as_object(), "", fields);
    const auto t = node(port, "GET", "/_index_template/spot-" + index);
    REQUIRE(t.status == 200);
    const auto answer = json::parse(t.body);
    const auto& mappings =
        answer.at("index_templates").at(0).at("index_template").at("template").at("mappings");
    std::set<std::string> named;
    detail::leaf_paths(mappings.at("properties").as_object(), "", named);
    std::vector<std::string> globs;
    for (const auto& entry : mappings.at("dynamic_templates").as_array()) {
        for (const auto& [name, rule] : entry.as_object()) {
            if (const auto* path = rule.as_object().if_contains("path_match")) {
                globs.emplace_back(path->as_string());
            }
        }
    }
    TemplateCoverage c;
    for (const auto& f : fields) {
        if (named.contains(f)) {
            ++c.explicit_fields;
        } else if (std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
                       return fnmatch(g.c_str(), f.c_str(), 0) == 0;
                   })) {
            ++c.family_fields;
        } else {
            c.untyped.push_back(f);
        }
    }
    return c;
}

}  // namespace spot::test
