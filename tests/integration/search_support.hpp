// A search node of the "servers" fixture (tests/integration/search.sh) as the tests use it:
// its port, requests with curl, counts and documents read back after a refresh, mapped types.
#pragma once

#include "integration/shs_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <map>
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

}  // namespace spot::test
