// The admin endpoint of a running spotd, and SIGHUP reloads seen through it.
#include "daemon/daemon_fixture.hpp"
#include "support/http_get.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <regex>
#include <sstream>

using namespace spot::test;

namespace {

// The Prometheus text exposition format, line by line.
bool valid_prometheus_text(const std::string& text, std::string& bad_line) {
    static const std::regex kHelp(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
    static const std::regex kType(
        R"(# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");
    static const std::regex kSample(
        R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? -?[0-9.eE+-]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (NaN|\+Inf|-Inf))");
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!std::regex_match(line, kHelp) && !std::regex_match(line, kType) &&
            !std::regex_match(line, kSample)) {
            bad_line = line;
            return false;
        }
    }
    return !text.empty() && text.back() == '\n';
}

boost::json::object status_of(unsigned short port) {
    auto a = http_get(port, "/api/v1/status");
    REQUIRE(a.status == 200);
    return boost::json::parse(a.body).as_object();
}

}  // namespace

TEST_CASE("the admin endpoint serves health, readiness, status and Prometheus metrics",
          "[daemon][admin]") {
    DaemonFixture f;
    write_runs(f.runs, 5);
    const auto port = free_port();
    f.write_config(f.pipeline_yaml("p", "    aggregators: [{plugin: test-echo}]\n",
                                   "    poll_interval: 200ms\n"),
                   fmt::format("admin_listen: 127.0.0.1:{}\n", port));
    Process spotd({SPOTD, "--config", f.config.string()}, f.dir.path());
    REQUIRE(eventually([&] { return http_get(port, "/healthz").status == 200; }));
    REQUIRE(eventually([&] { return f.ids().size() == 5; }));
    CHECK(http_get(port, "/readyz").status == 200);
    CHECK(http_get(port, "/nope").status == 404);

    auto metrics = http_get(port, "/metrics");
    REQUIRE(metrics.status == 200);
    CHECK(metrics.content_type.find("text/plain; version=0.0.4") == 0);
    std::string bad;
    INFO(metrics.body);
    CHECK(valid_prometheus_text(metrics.body, bad));
    INFO("bad line: " << bad);
    REQUIRE(eventually([&] {
        return http_get(port, "/metrics")
                   .body.find("spot_runs_processed_total{pipeline=\"p\"} 5\n") != std::string::npos;
    }));

    auto status = status_of(port);
    CHECK(status.at("generation") == 1);
    auto pipelines = status.at("pipelines").as_array();
    REQUIRE(pipelines.size() == 1);
    CHECK(pipelines[0].at("name") == "p");
    CHECK(pipelines[0].at("runs_processed") == 5);

    spotd.signal(SIGTERM);
    CHECK(spotd.wait(std::chrono::seconds(20)) == 0);
}

TEST_CASE("SIGHUP with a bad config keeps the old pipelines and a good one replaces them",
          "[daemon][admin][signals]") {
    DaemonFixture f;
    write_runs(f.runs, 3);
    const auto port = free_port();
    const std::string top = fmt::format("admin_listen: 127.0.0.1:{}\n", port);
    f.write_config(f.pipeline_yaml("old", "    aggregators: [{plugin: test-echo}]\n",
                                   "    poll_interval: 200ms\n"),
                   top);
    Process spotd({SPOTD, "--config", f.config.string()}, f.dir.path());
    REQUIRE(eventually([&] { return f.ids().size() == 3; }));

    write_file(f.config, "pipelines:\n  broken: [\n");
    spotd.signal(SIGHUP);
    REQUIRE(eventually([&] { return status_of(port).at("reloads_rejected") == 1; }));
    auto status = status_of(port);
    CHECK(status.at("generation") == 1);
    CHECK(status.at("pipelines").as_array().at(0).at("name") == "old");
    CHECK(http_get(port, "/readyz").status == 200);
    // The old pipeline still works: a new run is picked up.
    write_runs(f.runs / ".." / "runs", 4);
    REQUIRE(eventually([&] { return f.ids().size() == 4; }));

    f.write_config(f.pipeline_yaml("new", "    aggregators: [{plugin: test-echo}]\n",
                                   "    poll_interval: 200ms\n"),
                   top);
    spotd.signal(SIGHUP);
    REQUIRE(eventually([&] { return status_of(port).at("generation") == 2; }));
    status = status_of(port);
    CHECK(status.at("reloads_applied") == 1);
    CHECK(status.at("pipelines").as_array().at(0).at("name") == "new");
    spotd.signal(SIGTERM);
    CHECK(spotd.wait(std::chrono::seconds(20)) == 0);
    CHECK(spotd.err().find("config reload rejected") != std::string::npos);
}

TEST_CASE("a pipeline stuck in a hung plugin fails /healthz and /readyz, named in the status",
          "[daemon][admin]") {
    // The enricher blocks for 6 s on one run; stall_limit is 1 s. The event loop stays free, so
    // only the pipeline's own progress can tell that something hangs.
    DaemonFixture f;
    write_runs(f.runs, 1);
    const auto port = free_port();
    f.write_config(f.pipeline_yaml("stuck",
                                   "    enrichers: [{plugin: test-slow, delay: 6s}]\n"
                                   "    aggregators: [{plugin: test-echo}]\n",
                                   "    poll_interval: 1h\n    stall_limit: 1s\n"),
                   fmt::format("admin_listen: 127.0.0.1:{}\n", port));
    Process spotd({SPOTD, "--config", f.config.string()}, f.dir.path());
    REQUIRE(eventually([&] { return http_get(port, "/healthz").status != 0; }));
    REQUIRE(eventually([&] { return http_get(port, "/healthz").status == 503; },
                       std::chrono::seconds(5)));
    const auto health = http_get(port, "/healthz");
    CHECK(health.body.find("pipeline 'stuck' made no progress for") != std::string::npos);
    CHECK(http_get(port, "/readyz").status == 503);
    auto pipelines = status_of(port).at("pipelines").as_array();
    REQUIRE(pipelines.size() == 1);
    CHECK(pipelines[0].at("stalled") == true);
    CHECK(pipelines[0].at("seconds_since_progress").to_number<double>() >= 1.0);
    // Once the run lands the pipeline is healthy again.
    REQUIRE(eventually([&] { return f.ids().size() == 1; }, std::chrono::seconds(15)));
    REQUIRE(eventually([&] { return http_get(port, "/healthz").status == 200; }));
    CHECK(status_of(port).at("pipelines").as_array()[0].at("stalled") == false);
    spotd.signal(SIGTERM);
    CHECK(spotd.wait(std::chrono::seconds(20)) == 0);
}
