// spotd end to end on the runfiles source and the file sink: batch mode, err documents,
// skip_exceptions, and SIGTERM in the middle of a pass.
#include "daemon/daemon_fixture.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace spot::test;

TEST_CASE("batch mode (--once) processes every run, commits it, and a second pass adds nothing",
          "[daemon][lifecycle]") {
    DaemonFixture f;
    write_runs(f.runs, 12);
    f.write_config(f.pipeline_yaml("p",
                                   "    enrichers: [{plugin: classify}]\n"
                                   "    aggregators: [{plugin: test-echo}]\n"));
    std::string out, err;
    REQUIRE(run({SPOTD, "--once", "--config", f.config.string()}, &out, &err) == 0);
    auto ids = f.ids();
    CHECK(ids.size() == 12);
    CHECK(ids.count("local-0000-0") == 1);
    CHECK(f.committed("p").size() == 12);
    auto doc = f.docs("agg").front();
    CHECK(doc.at("app_specific_data").at("classification").at("1") == "app");
    CHECK(doc.at("app_specific_data").at("tag").as_string().starts_with("app job_"));

    REQUIRE(run({SPOTD, "--once", "--config", f.config.string()}, &out, &err) == 0);
    CHECK(read_lines(f.out / "agg.jsonl").size() == 12);
}

TEST_CASE("a failing enricher gives an err document and the run still lands", "[daemon][errors]") {
    DaemonFixture f;
    write_runs(f.runs, 4);
    f.write_config(f.pipeline_yaml("p",
                                   "    enrichers: [{plugin: test-fail, match: 'job_2$'}]\n"
                                   "    aggregators: [{plugin: test-echo}]\n"));
    std::string err;
    REQUIRE(run({SPOTD, "--once", "--config", f.config.string()}, nullptr, &err) == 0);
    CHECK(f.ids().size() == 4);
    // classify is not listed, yet runs it first (SPEC §5: always on).
    for (const auto& doc : f.docs("agg")) {
        CHECK(doc.at("app_specific_data").at("tag").as_string().starts_with("app job_"));
    }
    auto errs = f.docs("err");
    REQUIRE(errs.size() == 1);
    const auto& spot = errs[0].at("spot").as_object();
    CHECK(spot.at("spark_app_id") == "local-0002");
    CHECK(spot.at("error").at("stage") == "enrich:test-fail");
    CHECK(spot.at("error").at("type") == "ParseError");
    CHECK(spot.at("error").at("message").as_string().find("refused by test-fail") !=
          boost::json::string::npos);
    CHECK(spot.contains("time_processed"));
}

TEST_CASE("skip_exceptions false stops on the first failure with exit code 1", "[daemon][errors]") {
    DaemonFixture f;
    write_runs(f.runs, 6);
    f.write_config(f.pipeline_yaml("p",
                                   "    enrichers: [{plugin: test-fail, match: 'job_0$'}]\n"
                                   "    aggregators: [{plugin: test-echo}]\n",
                                   "    skip_exceptions: false\n    concurrency: 1\n"));
    std::string err;
    CHECK(run({SPOTD, "--once", "--config", f.config.string()}, nullptr, &err) == 1);
    CHECK(err.find("stopping the pipeline (skip_exceptions is false)") != std::string::npos);
    CHECK(f.docs("err").size() == 1);
    CHECK(f.ids().size() < 6);
}

TEST_CASE("a malformed run file becomes an err document and the pass goes on", "[daemon][errors]") {
    DaemonFixture f;
    write_runs(f.runs, 3);
    write_file(f.runs / "broken.json", "{\"id\": \"x\", \"attempts\": [");
    f.write_config(f.pipeline_yaml("p", "    aggregators: [{plugin: test-echo}]\n"));
    REQUIRE(run({SPOTD, "--once", "--config", f.config.string()}) == 0);
    CHECK(f.ids().size() == 3);
    auto errs = f.docs("err");
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].at("spot").at("error").at("type") == "JsonError");
    CHECK(errs[0].at("spot").at("error").at("stage") == "parse");
}

TEST_CASE("SIGTERM during a pass drains in-flight runs and leaves the state consistent",
          "[daemon][lifecycle][signals]") {
    DaemonFixture f;
    const int kRuns = 40;
    write_runs(f.runs, kRuns);
    f.write_config(f.pipeline_yaml("p",
                                   "    enrichers: [{plugin: test-slow, delay: 100ms}]\n"
                                   "    aggregators: [{plugin: test-echo}]\n",
                                   "    concurrency: 2\n"),
                   "shutdown_grace: 20s\nadmin_listen: ''\n");
    {
        Process spotd({SPOTD, "--config", f.config.string()}, f.dir.path());
        REQUIRE(eventually([&] { return f.ids().size() >= 4; }));
        spotd.signal(SIGTERM);
        auto code = spotd.wait(std::chrono::seconds(30));
        INFO(spotd.err());
        REQUIRE(code == 0);
    }
    auto ids = f.ids();
    auto committed = f.committed("p");
    CHECK(ids.size() < static_cast<std::size_t>(kRuns));  // it really stopped mid-pass
    // Every committed run has its document; nothing is committed without one.
    CHECK(committed.size() == ids.size());
    for (const auto& [id, n] : ids) {
        CHECK(n == 1);
    }
    // A restart finishes the rest, without a duplicate.
    REQUIRE(run({SPOTD, "--once", "--config", f.config.string()}) == 0);
    ids = f.ids();
    CHECK(ids.size() == static_cast<std::size_t>(kRuns));
    for (const auto& [id, n] : ids) {
        INFO(id);
        CHECK(n == 1);
    }
    CHECK(f.committed("p").size() == static_cast<std::size_t>(kRuns));
}

TEST_CASE("a corrupt state file stops spotd with a clear error instead of reprocessing",
          "[daemon][lifecycle]") {
    DaemonFixture f;
    write_runs(f.runs, 2);
    f.write_config(f.pipeline_yaml("p", "    aggregators: [{plugin: test-echo}]\n"));
    write_file(f.state / "p.state.json", "{not json");
    std::string err;
    CHECK(run({SPOTD, "--once", "--config", f.config.string()}, nullptr, &err) == 1);
    CHECK(err.find("state file is not valid JSON") != std::string::npos);
    CHECK(f.ids().empty());
}

TEST_CASE("a source's exclude filter skips matching runs", "[daemon][lifecycle]") {
    DaemonFixture f;
    write_runs(f.runs, 3, "keep");
    write_file(f.runs / "run-skip.json",
               R"({"id":"local-skip","name":"skip me","attempts":[{"duration":1}]})");
    write_file(f.config,
               fmt::format("state_dir: {}\nplugin_dir: {}\nlog_format: text\npipelines:\n"
                           "  p:\n    source: {{plugin: runfiles, dir: {}, exclude: '^skip'}}\n"
                           "    aggregators: [{{plugin: test-echo}}]\n"
                           "    sinks: [{{plugin: file, dir: {}}}]\n",
                           f.state.string(), SPOT_TEST_PLUGIN_DIR, f.runs.string(),
                           f.out.string()));
    REQUIRE(run({SPOTD, "--once", "--config", f.config.string()}) == 0);
    auto ids = f.ids();
    CHECK(ids.size() == 3);
    CHECK(ids.count("local-skip-0") == 0);
}
