// The History Server started by the CTest fixture "shs" (tests/integration/shs.sh).
#pragma once

#include "support/http_get.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace spot::test {

// `spotd --once --config <config>` (at most 5 minutes); its stdout and stderr into `log`.
inline int spotd_once(const std::filesystem::path& config, std::string* log = nullptr) {
    std::string o, e;
    const int code =
        run({SPOTD, "--once", "--config", config.string()}, &o, &e, std::chrono::minutes(5));
    if (log) {
        *log = o + e;
    }
    return code;
}

inline unsigned short shs_port(const std::filesystem::path& state_file = SPOT_SHS_STATE) {
    const auto state = read_file(state_file);
    INFO("the History Server did not start: no port in "
         << state_file << " (see the 'integration: start History Server' test's output)");
    std::smatch m;
    REQUIRE(std::regex_search(state, m, std::regex("port=(\\d+)")));
    return static_cast<unsigned short>(std::stoi(m[1]));
}

// GET /api/v1/<path>, which must answer 200 with JSON.
inline boost::json::value shs_get(unsigned short port, const std::string& path) {
    auto a = http_get(port, "/api/v1/" + path);
    INFO("GET /api/v1/" << path);
    REQUIRE(a.status == 200);
    return boost::json::parse(a.body);
}

// One spotd configuration with the history source and the file sink, in its own directory.
// `details: rest` unless the source lines choose otherwise.
struct Crawl {
    TempDir dir;
    std::filesystem::path config = dir / "spot.yaml", out = dir / "out", state = dir / "state";

    void write(unsigned short port,
               const std::string& source_extra,
               const std::string& pipeline_extra = "",
               const std::string& top_extra = "") const {
        auto unless = [&](const char* key, const char* line) {
            return source_extra.find(key) == std::string::npos ? std::string(line) : std::string();
        };
        write_file(config,
                   "state_dir: " + state.string() + "\nlog_format: text\n" +
                       (top_extra.find("admin_listen") == std::string::npos ? "admin_listen: \"\"\n"
                                                                            : "") +
                       top_extra + "pipelines:\n  shs:\n" + pipeline_extra +
                       "    source:\n      plugin: history\n      url: http://127.0.0.1:" +
                       std::to_string(port) + "\n      lookback: 36500d\n      time_step: 365d\n" +
                       unless("completion_timeout", "      completion_timeout: 0s\n") +
                       unless("details:", "      details: rest\n") + source_extra +
                       "    aggregators:\n      - plugin: spot-aggregate\n        raw: true\n"
                       "    sinks:\n      - plugin: file\n        dir: " +
                       out.string() + "\n");
    }
    int once(std::string* log = nullptr) const { return spotd_once(config, log); }
    [[nodiscard]] std::vector<boost::json::object> docs(const std::string& stream) const {
        std::vector<boost::json::object> out_docs;
        if (!std::filesystem::exists(out / (stream + ".jsonl"))) {
            return out_docs;
        }
        for (const auto& line : read_lines(out / (stream + ".jsonl"))) {
            if (!line.empty()) {
                out_docs.push_back(boost::json::parse(line).as_object());
            }
        }
        return out_docs;
    }
    [[nodiscard]] std::multiset<std::string> ids(const std::string& stream) const {
        std::multiset<std::string> s;
        for (const auto& d : docs(stream)) {
            s.insert(std::string(d.at("_id").as_string()));
        }
        return s;
    }
};

// The completed applications the server lists: id -> number of attempts.
inline std::map<std::string, std::size_t> server_apps(unsigned short port) {
    std::map<std::string, std::size_t> apps;
    const auto listed = shs_get(port, "applications?status=completed");
    for (const auto& a : listed.as_array()) {
        apps[std::string(a.at("id").as_string())] = a.at("attempts").as_array().size();
    }
    return apps;
}

// tests/integration/fault_proxy.py in front of the real server, with the given rules.
struct FaultProxy {
    TempDir dir;
    std::unique_ptr<Process> proc;
    unsigned short port = 0;
    FaultProxy(unsigned short upstream, const std::string& rules) {
        write_file(dir / "rules.json", rules);
        proc =
            std::make_unique<Process>(std::vector<std::string>{"/usr/bin/python3",
                                                               SPOT_SOURCE_DIR
                                                               "/tests/integration/fault_proxy.py",
                                                               std::to_string(upstream),
                                                               (dir / "rules.json").string(),
                                                               (dir / "port").string()},
                                      dir.path());
        REQUIRE(eventually([&] { return std::filesystem::exists(dir / "port"); }));
        port = static_cast<unsigned short>(std::stoi(read_file(dir / "port")));
    }
    // The faults it injected, one line each ("<fault> <path>").
    [[nodiscard]] std::vector<std::string> injected() const {
        std::vector<std::string> lines;
        std::istringstream in(proc->out());
        for (std::string line; std::getline(in, line);) {
            if (!line.empty()) {
                lines.push_back(line);
            }
        }
        return lines;
    }
};

}  // namespace spot::test
