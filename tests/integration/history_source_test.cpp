// The history source against a real History Server 3.5.9 (the "shs" fixture, over the shared
// fixture logs and logs of real Spark jobs), through spotd as a user runs it.
#include "integration/shs_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Properties SPEC §4.1 removes from documents.
const std::regex kRemoved(
    R"(^spark\.(driver\.(host|port|appUIAddress|extraJavaOptions)|jars|eventLog\.dir|ui\.filters)"
    R"(|yarn\.(app\.container\.log\.dir|keytab|principal|am\.extraJavaOptions))"
    R"(|history\.kerberos\.(keytab|principal)|executor\.extraJavaOptions|executorEnv\.PYTHONPATH)"
    R"(|org\.apache\.hadoop\.yarn\.server\.webproxy\.amfilter\.AmIpFilter\.param\.))");

std::string attempt_path(const std::string& id, const json::object& attempt) {
    const auto* aid = attempt.if_contains("attemptId");
    return "applications/" + id + (aid ? "/" + std::string(aid->as_string()) : std::string());
}

}  // namespace

TEST_CASE(
    "history: every completed application becomes one Run with every attempt and the "
    "server's detail arrays") {
    const auto port = shs_port();
    const auto apps = server_apps(port);
    REQUIRE(apps.size() >= 20);
    Crawl c;
    c.write(port, "");
    std::string log;
    REQUIRE(c.once(&log) == 0);
    INFO(log);

    const auto raw = c.docs("raw");
    std::set<std::string> raw_ids;
    std::size_t attempts_total = 0, arrays_compared = 0;
    for (const auto& d : raw) {
        const std::string id(d.at("_id").as_string());
        CHECK(raw_ids.insert(id).second);  // exactly one Run per application
        const auto& app = d.at("_source").as_object();
        const auto& attempts = app.at("attempts").as_array();
        REQUIRE(apps.contains(id));
        CHECK(attempts.size() == apps.at(id));
        attempts_total += attempts.size();
        for (const auto& av : attempts) {
            const auto& a = av.as_object();
            const auto path = attempt_path(id, a);
            INFO(path);
            CHECK(a.at("allexecutors").as_array().size() ==
                  shs_get(port, path + "/allexecutors").as_array().size());
            CHECK(a.at("stages").as_array().size() ==
                  shs_get(port, path + "/stages").as_array().size());
            // Stages that ran a task carry the server's quantiles (asked withSummaries).
            for (const auto& sv : a.at("stages").as_array()) {
                const auto& st = sv.as_object();
                if (st.at("numCompleteTasks").to_number<std::int64_t>() > 0) {
                    CHECK(
                        st.at("taskMetricsDistributions").at("executorRunTime").as_array().size() ==
                        5);
                    CHECK(st.contains("executorMetricsDistributions"));
                }
            }
            // Every property the server gives is there (SPEC §4.2 key form) or removed by SPEC
            // §4.1.
            const auto env = shs_get(port, path + "/environment");
            const auto& props = a.at("environment").as_object().at("sparkProperties").as_object();
            for (const auto& kv : env.at("sparkProperties").as_array()) {
                std::string key(kv.as_array()[0].as_string());
                if (std::regex_search(key, kRemoved)) {
                    continue;
                }
                std::replace(key.begin(), key.end(), '.', '_');
                CHECK(props.contains(key));
            }
            CHECK(app.at("history_host").as_string() == "127.0.0.1");
            arrays_compared += 3;
        }
    }
    CHECK(raw_ids.size() == apps.size());
    const auto agg = c.ids("agg");
    CHECK(agg.size() == attempts_total);
    CHECK(std::set<std::string>(agg.begin(), agg.end()).size() == agg.size());
    CHECK(c.docs("err").empty());
    std::cout << "history: " << apps.size() << " applications, " << attempts_total << " attempts, "
              << arrays_compared << " detail arrays compared with the server\n";
}

TEST_CASE("history: all and latest find the same runs, and a second pass finds nothing new") {
    const auto port = shs_port();
    Crawl all, latest;
    all.write(port, "");
    latest.write(port, "      method: latest\n");
    REQUIRE(all.once() == 0);
    REQUIRE(latest.once() == 0);
    CHECK(all.ids("agg") == latest.ids("agg"));
    CHECK(all.ids("raw") == latest.ids("raw"));
    CHECK_FALSE(all.ids("agg").empty());

    for (const Crawl* c : {&all, &latest}) {
        const auto before = c->ids("agg").size();
        std::string log;
        REQUIRE(c->once(&log) == 0);
        INFO(log);
        CHECK(c->ids("agg").size() == before);
        CHECK(log.find("new=0") != std::string::npos);
    }
}

TEST_CASE("history: restarting with an empty state but a populated sink reprocesses nothing") {
    const auto port = shs_port();
    Crawl c;
    c.write(port, "");
    REQUIRE(c.once() == 0);
    const auto before = c.ids("agg");
    REQUIRE_FALSE(before.empty());
    fs::remove_all(c.state);
    std::string log;
    REQUIRE(c.once(&log) == 0);
    INFO(log);
    CHECK(c.ids("agg") == before);
    CHECK(log.find("the sinks already hold " + std::to_string(c.ids("raw").size()) + " runs") !=
          std::string::npos);
}

TEST_CASE("history: completion_timeout holds back runs that ended too recently (wall-clock age)") {
    const auto port = shs_port();
    // The timeout is an age, so this test depends on the wall clock: it puts the cut in the middle
    // of the widest gap between two end times of the listed runs (years, between the upstream
    // logs and the suite's own runs), where the seconds the test itself takes cannot move a run
    // across it. As a completion timeout the cut must keep exactly the runs that ended before it.
    std::vector<std::pair<std::int64_t, std::string>> ends;
    const auto listed = shs_get(port, "applications?status=completed");
    for (const auto& a : listed.as_array()) {
        std::int64_t end = 0;
        for (const auto& at : a.at("attempts").as_array()) {
            end = std::max(end, at.at("endTimeEpoch").as_int64());
        }
        ends.emplace_back(end, std::string(a.at("id").as_string()));
    }
    std::sort(ends.begin(), ends.end());
    REQUIRE(ends.size() >= 4);
    std::size_t k = 1;
    for (std::size_t i = 1; i < ends.size(); ++i) {
        if (ends[i].first - ends[i - 1].first > ends[k].first - ends[k - 1].first) {
            k = i;
        }
    }
    INFO("the widest gap between end times, before " << ends[k].second);
    REQUIRE(ends[k].first - ends[k - 1].first > 10 * 60'000);
    const std::int64_t cut = ends[k - 1].first + (ends[k].first - ends[k - 1].first) / 2;
    const std::int64_t timeout_s = (now_ms() - cut) / 1000;
    std::set<std::string> expected;
    for (const auto& [end, id] : ends) {
        if (end < now_ms() - timeout_s * 1000) {
            expected.insert(id);
        }
    }
    Crawl c;
    c.write(port, "      completion_timeout: " + std::to_string(timeout_s) + "s\n");
    std::string log;
    const int code = c.once(&log);
    INFO(log);
    REQUIRE(code == 0);
    const auto raw = c.ids("raw");
    CHECK(std::set<std::string>(raw.begin(), raw.end()) == expected);
    CHECK(expected.size() == k);
    CHECK(expected.size() < ends.size());
}

TEST_CASE("history: a log added while the daemon runs is taken by the next pass") {
    // A History Server of its own, over a folder this test writes to.
    TempDir shs;
    const fs::path logs = shs / "logs";
    fs::create_directories(logs);
    const fs::path fixtures = fs::path(SPOT_SHS_LOGS);
    const std::vector<std::string> first = {"app-20180109111548-0000", "local-1422981759269"};
    const std::string later = "application_1516285256255_0012";
    for (const auto& name : first) {
        REQUIRE(fs::exists(fixtures / name));
        fs::copy_file(fs::canonical(fixtures / name), logs / name);
    }
    REQUIRE(run({"/bin/bash", SPOT_SOURCE_DIR "/tests/integration/shs.sh", "start", logs.string(),
                 (shs / "state").string()},
                nullptr, nullptr, std::chrono::minutes(3)) == 0);
    struct Stop {
        fs::path state;
        ~Stop() {
            run({"/bin/bash", SPOT_SOURCE_DIR "/tests/integration/shs.sh", "stop", state.string()});
        }
    } stop{shs / "state"};
    const auto port = shs_port(shs / "state");
    REQUIRE(eventually([&] { return server_apps(port).size() == first.size(); },
                       std::chrono::seconds(60)));

    Crawl c;
    c.write(port, "", "    poll_interval: 1s\n");
    Process daemon({SPOTD, "--config", c.config.string()}, c.dir.path());
    CHECK(
        eventually([&] { return c.ids("raw").size() == first.size(); }, std::chrono::seconds(60)));

    fs::copy_file(fs::canonical(fixtures / later), logs / (later + ".tmp"));
    fs::rename(logs / (later + ".tmp"), logs / later);
    const bool taken =
        eventually([&] { return c.ids("raw").contains(later); }, std::chrono::seconds(90));
    daemon.signal(SIGTERM);
    const auto code = daemon.wait(std::chrono::seconds(30));
    INFO(daemon.out() << daemon.err());
    CHECK(taken);
    CHECK(code == 0);
    CHECK(c.ids("raw").size() == first.size() + 1);
}

TEST_CASE("history: faults from the server end in a landed run or one err document each") {
    const auto port = shs_port();
    const auto apps = server_apps(port);
    // Applications picked by id, each meeting one fault.
    const std::string html = "app-20161115172038-0000", truncated = "app-20161116163331-0000",
                      missing = "app-20180109111548-0000", reset_once = "local-1422981759269",
                      stall = "local-1425081759269", throttle = "local-1422981780767",
                      reset_always = "local-1430917381534",
                      // A 404 once: what a server evicting an application from its UI cache says.
        evicted = "app-20200706201101-0003";
    for (const auto& id :
         {html, truncated, missing, reset_once, stall, throttle, reset_always, evicted}) {
        REQUIRE(apps.contains(id));
    }
    FaultProxy proxy(port, R"([
        {"path": ")" + html + R"(/environment", "fault": "html500", "times": 1},
        {"path": ")" + truncated +
                               R"(/stages", "fault": "truncated", "times": -1},
        {"path": ")" + missing +
                               R"(/allexecutors", "fault": "notfound", "times": -1},
        {"path": ")" + reset_once +
                               R"(/environment", "fault": "reset", "times": 1},
        {"path": ")" + stall + R"(/stages", "fault": "stall", "times": 1},
        {"path": ")" + throttle +
                               R"(/allexecutors", "fault": "throttle", "times": 1},
        {"path": ")" + reset_always +
                               R"(/", "fault": "reset", "times": -1},
        {"path": ")" + evicted +
                               R"(/environment", "fault": "notfound", "times": 1}
    ])");
    const std::string tuning =
        "      read_timeout: 2s\n      http_attempts: 3\n      http_backoff: 50ms\n"
        "      retry_sleep: 200ms\n      retry_attempts: 1\n";

    Crawl c;
    c.write(proxy.port, tuning);
    std::string log;
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(c.once(&log) == 0);  // skip_exceptions defaults to true: the crawl goes on
    INFO(log);
    const auto raw = c.ids("raw");
    for (const auto& id : {html, reset_once, stall, throttle, evicted}) {
        CHECK(raw.count(id) == 1);  // landed after retries
    }
    std::map<std::string, std::string> err_types;
    for (const auto& d : c.docs("err")) {
        const auto& s = d.at("_source").at("spot").as_object();
        const std::string id(s.at("spark_app_id").as_string());
        CHECK(s.at("error").at("stage").as_string() == "raw");
        CHECK(s.at("history_host").as_string() == "127.0.0.1");
        CHECK(err_types.emplace(id, std::string(s.at("error").at("type").as_string())).second);
    }
    CHECK(err_types == std::map<std::string, std::string>{{truncated, "JsonError"},
                                                          {missing, "HttpError"},
                                                          {reset_always, "ConnectionError"}});
    CHECK(raw.size() == apps.size() - 3);
    std::cout << "history faults: " << raw.size() << " runs landed, " << err_types.size()
              << " err documents, in "
              << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                  t0)
                     .count()
              << " s\n";

    // A second pass asks for none of them again: the failed ones are recorded.
    REQUIRE(c.once(&log) == 0);
    CHECK(c.docs("err").size() == 3);

    // With skip_exceptions false the first failure stops spotd with a non-zero exit.
    Crawl strict;
    strict.write(proxy.port, tuning, "    skip_exceptions: false\n");
    std::string strict_log;
    CHECK(strict.once(&strict_log) != 0);
    INFO(strict_log);
    CHECK(strict_log.find("skip_exceptions is false") != std::string::npos);
}

TEST_CASE("history: name filters and min_end_date select the runs") {
    const auto port = shs_port();
    const std::int64_t min_end = 1609459200000;  // 2021-01-01T00:00:00.000Z
    const std::regex include("^(spot-it|gen)-"), exclude("failing");
    std::set<std::string> expected;
    const auto listed = shs_get(port, "applications?status=completed");
    for (const auto& a : listed.as_array()) {
        std::int64_t end = 0;
        for (const auto& at : a.at("attempts").as_array()) {
            end = std::max(end, at.at("endTimeEpoch").as_int64());
        }
        const std::string name(a.at("name").as_string());
        if (end >= min_end && std::regex_search(name, include) &&
            !std::regex_search(name, exclude)) {
            expected.insert(std::string(a.at("id").as_string()));
        }
    }
    REQUIRE(expected.size() >= 3);
    Crawl c;
    c.write(port,
            "      include: \"^(spot-it|gen)-\"\n      exclude: failing\n"
            "      min_end_date: \"2021-01-01T00:00:00.000Z\"\n");
    std::string log;
    const int code = c.once(&log);
    INFO(log);
    REQUIRE(code == 0);
    const auto raw = c.ids("raw");
    CHECK(std::set<std::string>(raw.begin(), raw.end()) == expected);
    CHECK(raw.size() == expected.size());
}

TEST_CASE("history: SIGTERM cuts a long retry_sleep short") {
    const auto port = shs_port();
    // Every detail request of one application fails; the others land.
    FaultProxy proxy(port,
                     R"([{"path": "local-1430917381534/", "fault": "html500", "times": -1}])");
    Crawl c;
    c.write(proxy.port,
            "      http_attempts: 1\n      retry_sleep: 600s\n      retry_attempts: 5\n");
    Process daemon({SPOTD, "--config", c.config.string()}, c.dir.path());
    // Wait until it sleeps on that run: everything else has landed.
    CHECK(eventually([&] { return c.ids("raw").size() + 1 == server_apps(port).size(); },
                     std::chrono::seconds(60)));
    const auto t0 = std::chrono::steady_clock::now();
    daemon.signal(SIGTERM);
    const auto code = daemon.wait(std::chrono::seconds(20));
    const auto waited = std::chrono::steady_clock::now() - t0;
    INFO(daemon.out() << daemon.err());
    CHECK(code == 0);
    CHECK(waited < std::chrono::seconds(10));  // not 600 s, nor the 30 s shutdown grace
    CHECK(c.docs("err").empty());              // not given up on: asked again at the next start
}
