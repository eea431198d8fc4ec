// Observations survive a restart, stay bounded per job, count a reprocessed run once, and a line
// cut by a crash costs that line only.
#include "advisors/regression/observation_store.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fstream>

using namespace spot::advisors::regression;
using namespace spot::test;

namespace {

Observation run(const std::string& job, int i) {
    Observation o;
    o.job = job;
    o.app_id = job + "-" + std::to_string(i);
    o.end_ms = 1000 + i;
    o.duration_ms = 1000.0 * (i + 1);
    o.config = {2, 2, 1e9, 0, 200};
    return o;
}

}  // namespace

TEST_CASE("observation store: restart, bound, one observation per run, cut line",
          "[unit][regression]") {
    TempDir dir;
    const auto file = dir / "p.regression.observations.jsonl";
    {
        ObservationStore s(file, 5);
        REQUIRE(s.load().has_value());  // no file yet: empty
        for (int i = 0; i < 8; ++i) {
            s.add(run("a", i));
            REQUIRE(s.append(run("a", i)).has_value());
        }
        s.add(run("a", 7));  // reprocessed
        REQUIRE(s.append(run("a", 7)).has_value());
        s.add(run("b", 0));
        REQUIRE(s.append(run("b", 0)).has_value());
        CHECK(s.runs_of("a").size() == 5);
        CHECK(s.runs_of("a").front().app_id == "a-3");
    }
    std::ofstream(file, std::ios::app) << "{\"job\":\"a\",\"dur";  // a crash mid-append
    ObservationStore again(file, 5);
    REQUIRE(again.load().has_value());
    CHECK(again.skipped_lines() == 1);
    CHECK(again.runs_of("a").size() == 5);
    CHECK(again.runs_of("a").back().duration_ms == 8000);
    CHECK(again.runs_of("b").size() == 1);
    CHECK(again.all_runs().size() == 6);
    CHECK(again.jobs().size() == 2);

    // The daemon sets the unreadable file aside for a person and keeps what it could read.
    std::ofstream(file, std::ios::app) << "\n\x01\x02 not json at all\n";
    ObservationStore corrupt(file, 5);
    REQUIRE(corrupt.load().has_value());
    CHECK(corrupt.skipped_lines() == 2);
    const auto aside = corrupt.set_aside_unreadable();
    REQUIRE(aside.has_value());
    CHECK(aside->string() == file.string() + ".corrupt");
    CHECK(read_file(*aside).find("not json at all") != std::string::npos);
    ObservationStore rebuilt(file, 5);
    REQUIRE(rebuilt.load().has_value());
    CHECK(rebuilt.skipped_lines() == 0);
    CHECK(rebuilt.all_runs().size() == 6);
    CHECK(rebuilt.set_aside_unreadable()->empty());  // nothing to set aside
}

TEST_CASE("observation: from an agg document, job key template and rewrites",
          "[unit][regression]") {
    const auto doc = boost::json::parse(R"({
      "id": "app-1", "name": "daily_load_20261201",
      "app_specific_data": {"classification": {"app": "daily_load_20261201"}},
      "attempt": {"duration": 60000, "endTime": "2026-12-01T10:00:00.000Z", "completed": true,
        "environment": {"sparkProperties": {"spark_executor_cores": 4,
          "spark_executor_memory": 4294967296, "spark_sql_shuffle_partitions": 64,
          "spark_executor_instances": 3}},
        "aggs": {"stages": {"inputBytes": {"sum": 5000, "max": 4000}},
                 "allexecutors": {"executors": {"peakMemoryMetrics.JVMHeapMemory": {"max": 123}}}},
        "analysis": {"core_hours": 0.2, "whatif": {"executors_used": 3,
          "points": [{"executors": 1, "duration_ms": 150000, "core_hours": 0.1}]}}}
    })")
                         .as_object();
    JobKey key;
    key.rewrites.emplace_back(std::regex("_[0-9]{8}$"), "");
    auto o = observation_of(doc, key);
    REQUIRE(o.has_value());
    CHECK(o->job == "daily_load");
    CHECK(o->config == Config{3, 4, 4294967296.0, 0, 64});
    CHECK(o->input_bytes == 5000);
    CHECK(o->peak_heap == 123);
    CHECK(o->core_hours == 0.2);
    CHECK(o->whatif.size() == 1);
    const auto back = observation_from_json(to_json(*o));
    REQUIRE(back.has_value());
    CHECK(back->config == o->config);
    CHECK(back->duration_ms == 60000);
    key.key_template = "{name}-{attempt.nothing}";
    CHECK(observation_of(doc, key)->job == "daily_load_20261201-");  // rewrites after the template
    CHECK_FALSE(observation_of(boost::json::object{{"id", "x"}}, JobKey{}).has_value());
}
