// The eventlog source as a process: two event logs claiming the same application attempt (a
// copied or renamed file) make one run and a warning; the state forgets logs that left the
// directory long ago and remembers those still there.
#include "support/process.hpp"
#include "support/fixtures.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace spot::test;
namespace fs = std::filesystem;

TEST_CASE("eventlog: two logs of one application attempt make one run and a warning naming both",
          "[daemon][eventlog]") {
    const auto src = fixtures_dir() / "spark" / "spark-events" / "local-1422981780767";
    REQUIRE(fs::exists(src));
    TempDir dir;
    fs::create_directories(dir / "logs");
    fs::copy(src, dir / "logs" / "local-1422981780767");
    fs::copy(src, dir / "logs" / "copy-of-local-1422981780767");
    const auto config = dir / "spot.yaml";
    write_file(config, "state_dir: " + (dir / "state").string() +
                           "\nadmin_listen: \"\"\npipelines:\n  p:\n" +
                           "    source: {plugin: eventlog, dir: " + (dir / "logs").string() +
                           "}\n" + "    aggregators: [{plugin: spot-aggregate}]\n" +
                           "    sinks: [{plugin: file, dir: " + (dir / "out").string() + "}]\n");
    std::string out, err;
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, &out, &err) == 0);
    const auto log = out + err;
    CHECK(read_lines(dir / "out" / "agg.jsonl").size() == 1);
    const auto at = log.find("two logs claim application 'local-1422981780767'");
    REQUIRE(at != std::string::npos);
    const auto warning = log.substr(at, log.find('\n', at) - at);
    CHECK(warning.find("'local-1422981780767'") != std::string::npos);
    CHECK(warning.find("'copy-of-local-1422981780767'") != std::string::npos);
    // Both remembered: a second pass reads neither.
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, &out, &err) == 0);
    CHECK(read_lines(dir / "out" / "agg.jsonl").size() == 1);
    CHECK((out + err).find("new=0") != std::string::npos);
}

TEST_CASE(
    "eventlog: a log gone from the directory is forgotten once older than forget_after, and one "
    "still there is never processed again",
    "[daemon][eventlog]") {
    const auto src = fixtures_dir() / "spark" / "spark-events" / "local-1422981780767";
    TempDir dir;
    fs::create_directories(dir / "logs");
    const auto old_log = dir / "logs" / "local-1422981780767";
    fs::copy(src, old_log);
    fs::last_write_time(old_log, fs::file_time_type::clock::now() - std::chrono::hours(24 * 60));
    const auto config = dir / "spot.yaml";
    write_file(config, "state_dir: " + (dir / "state").string() +
                           "\nadmin_listen: \"\"\npipelines:\n  p:\n" +
                           "    source: {plugin: eventlog, dir: " + (dir / "logs").string() +
                           ", forget_after: 30d}\n" +
                           "    aggregators: [{plugin: spot-aggregate}]\n" +
                           "    sinks: [{plugin: file, dir: " + (dir / "out").string() + "}]\n");
    std::string out, err;
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, &out, &err) == 0);
    CHECK(read_lines(dir / "out" / "agg.jsonl").size() == 1);
    CHECK(read_file(dir / "state" / "p.state.json").find("local-1422981780767") !=
          std::string::npos);
    // Still there, 60 days old: remembered, not processed again.
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, &out, &err) == 0);
    CHECK(read_lines(dir / "out" / "agg.jsonl").size() == 1);
    CHECK(read_file(dir / "state" / "p.state.json").find("local-1422981780767") !=
          std::string::npos);
    // Gone (Spark's cleaner): forgotten.
    fs::remove(old_log);
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, &out, &err) == 0);
    CHECK((out + err).find("forgot logs gone from the directory count=1") != std::string::npos);
    CHECK(read_file(dir / "state" / "p.state.json").find("local-1422981780767") ==
          std::string::npos);
}

TEST_CASE("eventlog: a new attempt's log is read with the earlier attempt's unchanged log",
          "[daemon][eventlog]") {
    const auto events = fixtures_dir() / "spark" / "spark-events";
    REQUIRE(fs::exists(events / "local-1430917381535_1"));
    TempDir dir;
    fs::create_directories(dir / "logs");
    fs::copy(events / "local-1430917381535_1", dir / "logs" / "local-1430917381535_1");
    const auto config = dir / "spot.yaml";
    write_file(config, "state_dir: " + (dir / "state").string() +
                           "\nadmin_listen: \"\"\npipelines:\n  p:\n" +
                           "    source: {plugin: eventlog, dir: " + (dir / "logs").string() +
                           "}\n" + "    aggregators: [{plugin: spot-aggregate, raw: true}]\n" +
                           "    sinks: [{plugin: file, dir: " + (dir / "out").string() + "}]\n");
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}) == 0);
    auto raw = read_lines(dir / "out" / "raw.jsonl");
    REQUIRE(raw.size() == 1);
    CHECK(boost::json::parse(raw[0]).at("_source").at("attempts").as_array().size() == 1);
    // The second attempt arrives: its Run holds both, the first read again from its log.
    fs::copy(events / "local-1430917381535_2", dir / "logs" / "local-1430917381535_2");
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}) == 0);
    raw = read_lines(dir / "out" / "raw.jsonl");
    REQUIRE(raw.size() == 2);
    CHECK(boost::json::parse(raw[1]).at("_source").at("attempts").as_array().size() == 2);
}
