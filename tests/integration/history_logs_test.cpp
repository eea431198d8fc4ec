// The history source's fast path (`details: logs | auto`) against the real History Server 3.5.9,
// with tests/integration/fault_proxy.py in front of it breaking the /logs answers of chosen
// runs: a 500, a truncated zip, a zip bomb, an entry escaping with `..`, a server without /logs.
// (That the two paths give equal documents is source_parity_test.cpp.)
#include "integration/shs_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <iostream>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// Runs of the fixture logs, each meeting one fault on its /logs download.
const std::string kFails500 = "app-20161115172038-0000", kTruncated = "app-20161116163331-0000",
                  kBomb = "local-1422981759269", kTraversal = "local-1425081759269";

std::string logs_faults() {
    return R"([
        {"path": ")" +
           kFails500 + R"(.*/logs", "fault": "html500", "times": -1},
        {"path": ")" +
           kTruncated + R"(.*/logs", "fault": "truncated", "times": -1},
        {"path": ")" +
           kBomb + R"(.*/logs", "fault": "zipbomb", "times": -1},
        {"path": ")" +
           kTraversal + R"(.*/logs", "fault": "traversal", "times": -1}
    ])";
}

const std::string kTuning =
    "      http_attempts: 2\n      http_backoff: 50ms\n      retry_sleep: 100ms\n"
    "      retry_attempts: 1\n";

const json::object& spot_of(const json::object& doc) {
    return doc.at("_source").at("spot").as_object();
}

// Every file under `dir` whose name is `name`. The test's directory holds the state and the
// download directory, so an entry `../../spot-escape` extracted from there would land in it.
std::size_t files_named(const fs::path& dir, const std::string& name) {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        n += e.path().filename() == name ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE(
    "history logs: auto falls back to REST for a run whose /logs answers 500, a truncated "
    "zip, a zip bomb or an entry outside the work area") {
    const auto port = shs_port();
    const auto apps = server_apps(port);
    for (const auto& id : {kFails500, kTruncated, kBomb, kTraversal}) {
        REQUIRE(apps.contains(id));
    }
    FaultProxy proxy(port, logs_faults());
    Crawl c;
    c.write(proxy.port, "      details: auto\n" + kTuning);
    std::string log;
    REQUIRE(c.once(&log) == 0);
    INFO(log);

    CHECK(c.docs("err").empty());
    CHECK(c.ids("raw").size() == apps.size());  // every run landed
    const std::map<std::string, std::string> expected_reason{{kFails500, "HTTP 500"},
                                                             {kTruncated, "not a readable zip"},
                                                             {kBomb, "zip bomb"},
                                                             {kTraversal, "'..'"}};
    std::size_t via_logs = 0;
    for (const auto& d : c.docs("agg")) {
        const auto& spot = spot_of(d);
        const std::string app(d.at("_source").at("id").as_string());
        INFO(app << " " << json::serialize(spot));
        if (auto it = expected_reason.find(app); it != expected_reason.end()) {
            CHECK(spot.at("details_source").as_string() == "rest");
            REQUIRE(spot.contains("details_fallback"));
            CHECK(std::string(spot.at("details_fallback").as_string()).find(it->second) !=
                  std::string::npos);
        } else {
            CHECK(spot.at("details_source").as_string() == "logs");
            CHECK(!spot.contains("details_fallback"));
            ++via_logs;
        }
    }
    CHECK(via_logs >= apps.size() - expected_reason.size());
    CHECK(log.find("logs_fallback=4") != std::string::npos);
    // Nothing was extracted, so nothing escaped; and no download is left behind.
    CHECK(files_named(c.dir.path(), "spot-escape") == 0);
    CHECK(fs::is_empty(c.state / "downloads" / "shs"));
    std::cout << "history logs auto: " << apps.size() << " runs, " << via_logs
              << " through their logs, 4 fell back to REST\n";
}

TEST_CASE("history logs: in logs mode a refused or failed download is an err document") {
    const auto port = shs_port();
    const auto apps = server_apps(port);
    FaultProxy proxy(port, logs_faults());
    Crawl c;
    c.write(proxy.port, "      details: logs\n" + kTuning);
    std::string log;
    REQUIRE(c.once(&log) == 0);  // skip_exceptions: the crawl goes on
    INFO(log);
    std::map<std::string, std::string> errs;
    for (const auto& d : c.docs("err")) {
        const auto& spot = spot_of(d);
        CHECK(spot.at("error").at("stage").as_string() == "logs");
        errs.emplace(std::string(spot.at("spark_app_id").as_string()),
                     std::string(spot.at("error").at("type").as_string()) + " " +
                         std::string(spot.at("error").at("message").as_string()));
    }
    REQUIRE(errs.size() == 4);
    CHECK(errs.at(kFails500).starts_with("HttpError"));
    CHECK(errs.at(kTruncated).starts_with("ParseError"));
    CHECK(errs.at(kBomb).find("refused") != std::string::npos);
    CHECK(errs.at(kTraversal).find("refused: entry '../../spot-escape'") != std::string::npos);
    CHECK(c.ids("raw").size() == apps.size() - 4);
    CHECK(files_named(c.dir.path(), "spot-escape") == 0);
    CHECK(fs::is_empty(c.state / "downloads" / "shs"));

    // Recorded: a second pass asks for none of them again.
    REQUIRE(c.once(&log) == 0);
    CHECK(c.docs("err").size() == 4);
}

TEST_CASE("history logs: a server answering 404 on /logs is asked through REST from then on") {
    const auto port = shs_port();
    const auto apps = server_apps(port);
    FaultProxy proxy(port, R"([{"path": "/logs$", "fault": "notfound", "times": -1}])");
    Crawl c;
    const auto admin = free_port();
    c.write(proxy.port, "      details: auto\n      concurrency: 1\n" + kTuning,
            "    poll_interval: 1h\n", "admin_listen: 127.0.0.1:" + std::to_string(admin) + "\n");
    Process daemon({SPOTD, "--config", c.config.string()}, c.dir.path());
    CHECK(
        eventually([&] { return c.ids("raw").size() == apps.size(); }, std::chrono::seconds(120)));
    const auto metrics = http_get(admin, "/metrics");
    daemon.signal(SIGTERM);
    CHECK(daemon.wait(std::chrono::seconds(30)) == 0);
    INFO(daemon.out() << daemon.err() << metrics.body);

    std::size_t asked = 0;
    for (const auto& line : proxy.injected()) {
        asked += line.starts_with("notfound ") ? 1 : 0;
    }
    CHECK(asked == 1);  // one run met the 404; the others went straight to REST
    std::size_t fell_back = 0;
    for (const auto& d : c.docs("agg")) {
        CHECK(spot_of(d).at("details_source").as_string() == "rest");
        fell_back += spot_of(d).contains("details_fallback") ? 1 : 0;
    }
    CHECK(fell_back >= 1);  // every agg document of the run that met it
    CHECK(std::regex_search(metrics.body,
                            std::regex(R"(spot_history_logs_fallback_total\{[^}]*\} 1\n)")));
    CHECK(std::regex_search(metrics.body,
                            std::regex("spot_history_details_total\\{[^}]*via=\"rest\"[^}]*\\} " +
                                       std::to_string(apps.size()) + "\n")));
    CHECK((daemon.out() + daemon.err()).find("answers 404 on /logs") != std::string::npos);
}
