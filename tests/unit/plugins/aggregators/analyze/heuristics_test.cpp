// The heuristics on attempts in the REST shape built by hand: each fires at its threshold and
// not below, with the figures and suggestion it states.
#include <aggregators/analyze/analysis.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace spot;
using namespace spot::aggregators::analyze;

namespace {

const Finding* find(const AttemptAnalysis& a, const std::string& heuristic) {
    for (const auto& f : a.findings) {
        if (f.heuristic == heuristic) {
            return &f;
        }
    }
    return nullptr;
}

// A ten-minute run on two 4-core executors with one stage; `stage` and `props` patch it.
json::object attempt(const std::string& stage_extra,
                     const std::string& exec_extra = "",
                     const std::string& props =
                         R"("spark_serializer": "org.apache.spark.serializer.KryoSerializer")") {
    const std::string text = R"({
      "attemptId": "1", "duration": 600000,
      "startTime": "2026-01-01T00:00:00.000Z", "endTime": "2026-01-01T00:10:00.000Z",
      "environment": {"sparkProperties": {)" +
                             props + R"(}},
      "allexecutors": [
        {"id": "driver", "totalCores": 0, "totalTasks": 0, "totalDuration": 0},
        {"id": "1", "totalCores": 4, "totalTasks": 50, "totalDuration": 1800000, "totalGCTime": 1000,
         "addTime": "2026-01-01T00:00:00.000Z" )" +
                             exec_extra + R"(},
        {"id": "2", "totalCores": 4, "totalTasks": 50, "totalDuration": 1800000, "totalGCTime": 1000,
         "addTime": "2026-01-01T00:00:00.000Z" )" +
                             exec_extra + R"(}],
      "stages": [{"stageId": 3, "attemptId": 0, "status": "COMPLETE", "numTasks": 100,
        "numFailedTasks": 0, "executorRunTime": 3600000, "jvmGcTime": 2000,
        "firstTaskLaunchedTime": "2026-01-01T00:00:10.000Z",
        "completionTime": "2026-01-01T00:09:50.000Z",
        "inputBytes": 1000000000, "outputBytes": 0, "shuffleReadBytes": 0, "shuffleWriteBytes": 0,
        "memoryBytesSpilled": 0, "diskBytesSpilled": 0 )" +
                             stage_extra + R"(}]})";
    return json::parse(text).as_object();
}

}  // namespace

TEST_CASE("analysis: severity levels follow the four limits", "[unit][analyze]") {
    const Limits l{0.3, 0.5, 0.7, 0.85};
    CHECK(level(0.29, l) == Severity::None);
    CHECK(level(0.3, l) == Severity::Low);
    CHECK(level(0.5, l) == Severity::Moderate);
    CHECK(level(0.84, l) == Severity::Severe);
    CHECK(level(0.85, l) == Severity::Critical);
    CHECK(level(std::nan(""), l) == Severity::None);
}

TEST_CASE("analysis: idle cores and their wasted core-hours", "[unit][analyze]") {
    // 2 x 4 cores held 10 min = 80 core-min; 60 min of tasks: 25% idle, under the 30% limit.
    auto quiet = analyze_attempt(attempt(""), nullptr, Thresholds{});
    CHECK(find(quiet, "idle_cores") == nullptr);
    // The same cores with a third of the task time: 75% idle, severe.
    auto a = attempt("");
    for (auto& e : a["allexecutors"].as_array()) {
        e.as_object()["totalDuration"] = 400000;
    }
    auto idle = analyze_attempt(a, nullptr, Thresholds{});
    const auto* f = find(idle, "idle_cores");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Severe);
    CHECK(f->affected == 2);
    CHECK(f->score() == 6);
    CHECK(f->figures.at("wasted_core_hours").as_double() == Approx((80 - 800000.0 / 60000) / 60));
    CHECK(idle.severity == Severity::Severe);
}

TEST_CASE("analysis: skew needs a long task, then grades max over median", "[unit][analyze]") {
    const std::string dist =
        R"(, "taskMetricsDistributions": {"quantiles": [0.0, 0.25, 0.5, 0.75, 1.0],
        "duration": [1000, 9000, 10000, 11000, %MAX%],
        "inputMetrics": {"bytesRead": [1, 1, 1, 1, 1]},
        "shuffleReadMetrics": {"readBytes": [0, 0, 0, 0, 0]}})";
    auto with_max = [&](const std::string& max) {
        std::string d = dist;
        d.replace(d.find("%MAX%"), 5, max);
        return attempt(d);
    };
    // 90x over the median but only 60 s long: under the 150 s gate.
    CHECK(find(analyze_attempt(with_max("60000"), nullptr, Thresholds{}), "task_skew") == nullptr);
    // Without gates (spotd analyze) it counts.
    Thresholds open;
    open.gates = false;
    CHECK(find(analyze_attempt(with_max("60000"), nullptr, open), "task_skew") != nullptr);
    // 580 s of the stage's 580 s and 58x the median: critical.
    auto a = analyze_attempt(with_max("580000"), nullptr, Thresholds{});
    const auto* f = find(a, "task_skew");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Critical);
    CHECK(f->stages == std::vector<std::int64_t>{3});
    CHECK(f->figures.at("max_over_median").as_double() == Approx(58));
}

TEST_CASE("analysis: spill, GC and failures with their classes", "[unit][analyze]") {
    auto a =
        analyze_attempt(attempt(R"(, "memoryBytesSpilled": 300000000, "diskBytesSpilled": 100000000,
                   "jvmGcTime": 720000, "numFailedTasks": 12)"),
                        nullptr, Thresholds{});
    const auto* spill = find(a, "spill");
    REQUIRE(spill != nullptr);
    CHECK(spill->severity == Severity::Severe);  // 0.3 of the 1 GB read
    REQUIRE(spill->suggestion.size() == 1);
    CHECK(spill->suggestion[0].first == "spark.sql.shuffle.partitions");
    const auto* gc = find(a, "gc");
    REQUIRE(gc != nullptr);
    CHECK(gc->severity == Severity::Critical);  // 0.2 of the run time
    const auto* failures = find(a, "failures");
    REQUIRE(failures != nullptr);
    CHECK(failures->severity == Severity::Moderate);  // 12%: at least 10%, under 15%
    CHECK(failures->affected == 12);

    AttemptTasks tasks;
    tasks.attempt_id = "1";
    tasks.failure_reasons["java.lang.OutOfMemoryError: Java heap space"] = 2;
    tasks.failure_reasons["FetchFailed: BlockManagerId(1)"] = 1;
    auto oom = analyze_attempt(attempt(R"(, "numFailedTasks": 3)"), &tasks, Thresholds{});
    const auto* f = find(oom, "failures");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Severe);  // an OOM is severe whatever the ratio
    CHECK(json::serialize(f->figures.at("classes")).find(R"({"class":"oom","tasks":2})") !=
          std::string::npos);
    REQUIRE_FALSE(f->suggestion.empty());
    CHECK(f->suggestion[0].first == "spark.executor.memory");
}

TEST_CASE(
    "analysis: ratios over almost nothing stay low: skew over a tiny median or a task that "
    "does not hold its stage, a small spill, one retried task of many",
    "[unit][analyze]") {
    Thresholds open;
    open.gates = false;  // as spotd analyze judges: no size gates, only the impact rules
    // Task quantiles (min, 25%, median, 75%, max) of the stage's duration and input bytes.
    auto quantiles = [](const std::string& duration, const std::string& input) {
        return attempt(R"(, "taskMetricsDistributions": {"quantiles": [0.0, 0.25, 0.5, 0.75, 1.0],
            "duration": [)" +
                       duration + R"(], "inputMetrics": {"bytesRead": [)" + input +
                       R"(]}, "shuffleReadMetrics": {"readBytes": [0, 0, 0, 0, 0]}})");
    };
    // 600,000x in input bytes over a median of 1 byte, the longest task holding the stage.
    auto bytes =
        analyze_attempt(quantiles("1000, 9000, 10000, 11000, 580000", "0, 1, 1, 1, 600000"),
                        nullptr, open);
    const auto input_skew = std::find_if(bytes.findings.begin(), bytes.findings.end(), [](auto& f) {
        return f.heuristic == "task_skew" && f.figures.at("axis") == "input_bytes";
    });
    REQUIRE(input_skew != bytes.findings.end());
    CHECK(input_skew->figures.at("max_over_median").as_double() == Approx(600000));
    CHECK(input_skew->severity == Severity::Low);
    // 58x in duration, but the longest task ran 100 s of a 580 s stage.
    auto share = analyze_attempt(quantiles("1000, 1000, 1700, 2000, 100000", "1, 1, 1, 1, 1"),
                                 nullptr, open);
    const auto* skew = find(share, "task_skew");
    REQUIRE(skew != nullptr);
    CHECK(skew->figures.at("max_task_over_stage").as_double() < 0.75);
    CHECK(skew->severity == Severity::Low);
    // 1 MiB spilled of 1.5 MiB moved: 70% is a critical ratio, of a size that costs nothing.
    auto small = analyze_attempt(attempt(R"(, "memoryBytesSpilled": 1048576,
                   "inputBytes": 1500000, "numTasks": 4)"),
                                 nullptr, open);
    const auto* spill = find(small, "spill");
    REQUIRE(spill != nullptr);
    CHECK(spill->severity == Severity::Low);
    // One retried task: 1 of 4 is 25% of its stage (critical by the stage), of the attempt's 296
    // tasks it is 0.3%, and no stage failed. (The second stage closes the first one's braces.)
    auto one = analyze_attempt(attempt(R"(, "numTasks": 4, "numFailedTasks": 1},
        {"stageId": 4, "attemptId": 0, "status": "COMPLETE", "numTasks": 292,
        "numFailedTasks": 0, "executorRunTime": 1000000, "jvmGcTime": 0,
        "firstTaskLaunchedTime": "2026-01-01T00:00:10.000Z",
        "completionTime": "2026-01-01T00:09:50.000Z", "inputBytes": 0, "outputBytes": 0,
        "shuffleReadBytes": 0, "shuffleWriteBytes": 0, "memoryBytesSpilled": 0,
        "diskBytesSpilled": 0)"),
                               nullptr, open);
    const auto* failed = find(one, "failures");
    CHECK((failed == nullptr || failed->severity <= Severity::Low));
}

TEST_CASE("analysis: memory over- and under-provisioning from the heap peak", "[unit][analyze]") {
    const std::string props =
        R"("spark_serializer": "org.apache.spark.serializer.KryoSerializer", "spark_executor_memory": 8589934592)";
    auto low =
        analyze_attempt(attempt("", R"(, "peakMemoryMetrics": {"JVMHeapMemory": 1073741824})",
                                props),
                        nullptr, Thresholds{});
    const auto* f = find(low, "memory");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Moderate);  // 1 of 8 GiB
    REQUIRE(f->suggestion.size() == 1);
    CHECK(f->suggestion[0] ==
          std::pair<std::string, std::string>{"spark.executor.memory", "1229m"});
    auto high =
        analyze_attempt(attempt("", R"(, "peakMemoryMetrics": {"JVMHeapMemory": 8500000000})",
                                props),
                        nullptr, Thresholds{});
    f = find(high, "memory");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Severe);
}

TEST_CASE("analysis: one run's findings never point a setting both ways, nor at its current value",
          "[unit][analyze]") {
    // A stage that spills a third of what it reads (more partitions) and has 6,000 tasks of a
    // 100 ms median (fewer partitions), at 200 partitions and 512m of executor memory.
    const std::string props =
        R"("spark_serializer": "org.apache.spark.serializer.KryoSerializer",
           "spark_sql_shuffle_partitions": 200, "spark_executor_memory": 536870912)";
    auto a =
        analyze_attempt(attempt(R"(, "memoryBytesSpilled": 300000000, "numTasks": 6000,
        "taskMetricsDistributions": {"quantiles": [0.0, 0.25, 0.5, 0.75, 1.0],
        "duration": [50, 80, 100, 120, 400], "inputMetrics": {"bytesRead": [1, 1, 1, 1, 1]},
        "shuffleReadMetrics": {"readBytes": [0, 0, 0, 0, 0]}})",
                                R"(, "peakMemoryMetrics": {"JVMHeapMemory": 104857600})", props),
                        nullptr, Thresholds{});
    const auto* spill = find(a, "spill");
    const auto* many = find(a, "partitions");
    REQUIRE(spill != nullptr);
    REQUIRE(many != nullptr);
    CHECK(many->figures.at("kind") == "too_many");
    CHECK(spill->severity > many->severity);
    std::vector<std::string> partitions;
    for (const auto& f : a.findings) {
        for (const auto& [k, v] : f.suggestion) {
            if (k == "spark.sql.shuffle.partitions") {
                partitions.push_back(v);
            }
            // The heap peaked at 100 MiB of 512m: the memory finding's floor, 512m, is no news.
            CHECK_FALSE((k == "spark.executor.memory" && v == "512m"));
        }
    }
    CHECK(partitions == std::vector<std::string>{"400"});  // the spill's way: up, from 200
    CHECK(many->suggestion.empty());
    const auto* memory = find(a, "memory");
    REQUIRE(memory != nullptr);  // the finding stays, without its restated value
    CHECK(memory->suggestion.empty());
}

TEST_CASE("analysis: config findings are low, and the Java serializer is one", "[unit][analyze]") {
    auto a =
        analyze_attempt(attempt("", "", R"("spark_executor_cores": 8)"), nullptr, Thresholds{});
    int config = 0;
    for (const auto& f : a.findings) {
        if (f.heuristic == "config") {
            ++config;
            CHECK(f.severity == Severity::Low);
            CHECK(f.score() == 0);
        }
    }
    CHECK(config == 2);  // Java serializer, 8 cores per executor
}

TEST_CASE("analysis: the JSON has no data-keyed maps and says why a what-if is missing",
          "[unit][analyze]") {
    auto a = analyze_attempt(attempt(""), nullptr, Thresholds{});
    const auto j = to_json(a);
    CHECK(j.at("whatif").at("available") == false);
    CHECK(j.at("whatif").at("reason").as_string().starts_with("no task detail"));
    CHECK(j.at("findings").is_array());
    CHECK(j.at("severity").is_string());
}

TEST_CASE("analysis: findings about time stay low when the time at stake is small",
          "[unit][analyze]") {
    // The same 75% idle share as above, on a 20-second run: 2 x 4 cores x 20 s held, 40
    // core-seconds of tasks; 120 core-seconds wasted pass the 20 s floor...
    auto a = attempt("");
    a["duration"] = 20000;
    a["endTime"] = "2026-01-01T00:00:20.000Z";
    for (auto& e : a["allexecutors"].as_array()) {
        e.as_object()["totalDuration"] = 20000;
    }
    Thresholds t;
    t.gates = false;
    const auto full = analyze_attempt(a, nullptr, t);  // kept alive: find() points into it
    const auto* f = find(full, "idle_cores");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Severe);
    // ...but not a floor of 5 minutes: the finding is kept, at low.
    t.min_impact_ms = 300'000;
    const auto capped = analyze_attempt(a, nullptr, t);
    f = find(capped, "idle_cores");
    REQUIRE(f != nullptr);
    CHECK(f->severity == Severity::Low);
    CHECK(f->score() == 0);
}
