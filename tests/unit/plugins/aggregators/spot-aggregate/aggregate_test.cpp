// Hand-worked expectations for small runs, one per formula branch of SPEC §4.3.
#include "aggregate_support.hpp"

#include <catch2/catch.hpp>

using namespace spot;
using namespace spot::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;
constexpr std::int64_t kMiB = 1024LL * 1024;

// 2024-01-01T00:00:00.000GMT plus `s` seconds, in the History Server's form.
std::string at(int s) { return fmt::format("2024-01-01T00:{:02}:{:02}.000GMT", s / 60, s % 60); }

json::object executor(const char* id, json::object extra) {
    json::object e{{"id", id},
                   {"hostPort", "h:1"},
                   {"executorLogs", json::object{{"stdout", "x"}}}};
    for (auto& [k, v] : extra) {
        e[k] = v;
    }
    return e;
}

json::object stage(int id, json::object extra) {
    json::object s{{"stageId", id}, {"attemptId", 0}, {"details", "stack"}};
    for (auto& [k, v] : extra) {
        s[k] = v;
    }
    return s;
}

json::object the_run() {
    json::array executors{
        executor("driver", {{"totalCores", 0}, {"maxMemory", kGiB}, {"addTime", at(0)}}),
        executor("1", {{"totalCores", 2},
                       {"maxMemory", kGiB},
                       {"addTime", at(10)},
                       {"removeTime", at(60)},
                       {"totalDuration", 40000},
                       {"totalInputBytes", 300 * kMiB},
                       {"isActive", false},
                       {"memoryMetrics", json::object{{"usedOnHeapStorageMemory", 10}}}}),
        executor("2", {{"totalCores", 4},
                       {"maxMemory", 2 * kGiB},
                       {"addTime", at(10)},
                       {"totalDuration", 100000},
                       {"totalInputBytes", 0},
                       {"isActive", true},
                       {"memoryMetrics", json::object{{"usedOnHeapStorageMemory", 30}}}}),
    };
    json::array stages{
        stage(0, {{"status", "COMPLETE"},
                  {"submissionTime", at(10)},
                  {"firstTaskLaunchedTime", at(12)},
                  {"completionTime", at(30)},
                  {"inputBytes", 256 * kMiB},
                  {"outputBytes", 1000},
                  {"inputRecords", 1000},
                  {"numCompleteTasks", 4},
                  {"executorCpuTime", 2'000'000'000}}),
        stage(1, {{"status", "COMPLETE"},
                  {"submissionTime", at(20)},
                  {"firstTaskLaunchedTime", at(25)},
                  {"completionTime", at(40)},
                  {"inputBytes", 0},
                  {"outputBytes", 5000},
                  {"numCompleteTasks", 0}}),
        stage(2, {{"status", "COMPLETE"},
                  {"submissionTime", at(50)},
                  {"firstTaskLaunchedTime", at(60)},
                  {"completionTime", at(60)},
                  {"inputBytes", 10},
                  {"numCompleteTasks", 1}}),
        stage(3, {{"status", "SKIPPED"}, {"killedTasksSummary", json::object{{"a.b c", 2}}}}),
    };
    json::object attempt{{"startTime", at(0)}, {"endTime", at(100)},
                         {"duration", 100000}, {"sparkUser", "etl"},
                         {"completed", true},  {"allexecutors", executors},
                         {"stages", stages},   {"environment", json::object{}}};
    return json::object{{"id", "app-1"},
                        {"name", "Nightly load"},
                        {"attempts", json::array{attempt}}};
}

const json::object& aggs_of(const Document& d) {
    return d.body.at("attempt").at("aggs").as_object();
}

}  // namespace

TEST_CASE("executor statistics exclude the driver and carry the custom metrics",
          "[unit][aggregate]") {
    auto docs = process(make_run(the_run()));
    REQUIRE(docs.size() == 1);
    CHECK(docs[0].id == "app-1-0");
    CHECK(docs[0].body.at("isFinalAttempt") == true);
    const auto& ex = aggs_of(docs[0]).at("allexecutors").at("executors").as_object();
    CHECK(ex.at("elements_count") == 2);
    CHECK(ex.at("totalCores").at("min") == 2);
    CHECK(ex.at("totalCores").at("max") == 4);
    CHECK(ex.at("totalCores").at("sum") == 6);
    CHECK(ex.at("totalCores").at("mean") == 3.0);
    CHECK(ex.at("totalCores").at("nunique") == 2);
    CHECK(ex.at("totalCores").at("count_zeroes") == 0);
    CHECK(ex.at("totalInputBytes").at("count_zeroes") == 1);
    CHECK(ex.at("isActive").at("any") == true);
    CHECK(ex.at("isActive").at("all") == false);
    CHECK(ex.at("isActive").at("sum") == 1);
    CHECK(ex.at("id").at("nunique") == 2);
    CHECK(ex.at("memoryMetrics.usedOnHeapStorageMemory").at("sum") == 40);
    // executor 2 has no removeTime: it lives until the attempt ends (90 s)
    CHECK(ex.at("x_durationMilliseconds").at("sum") == 140000);
    CHECK(ex.at("x_coreCost").at("sum").to_number<double>() == 460000.0);
    CHECK(ex.at("x_storageCost").at("sum").to_number<double>() == 230000.0);
    CHECK(ex.at("x_stopTime").at("max") == "2024-01-01T00:01:40.000Z");
    CHECK(ex.at("addTime").at("min") == "2024-01-01T00:00:10.000Z");
    CHECK_FALSE(ex.contains("hostPort"));
    const auto& driver = aggs_of(docs[0]).at("allexecutors").at("driver").as_object();
    CHECK(driver.at("id") == "driver");
    CHECK(driver.at("x_durationMilliseconds") == 100000);
    CHECK(driver.at("x_startTime") == "2024-01-01T00:00:00.000Z");
}

TEST_CASE("stage statistics leave placeholder throughputs out", "[unit][aggregate]") {
    auto docs = process(make_run(the_run()));
    const auto& st = aggs_of(docs[0]).at("stages").as_object();
    CHECK(st.at("elements_count") == 4);
    CHECK(st.at("x_duration").at("sum") == 33000);
    CHECK(st.at("x_duration").at("count_zeroes") == 2);
    CHECK(st.at("x_scheduling_overhead").at("sum") == 17000);
    // only stages 0 and 1 have a duration > 0: no -1 placeholders in the statistics
    CHECK(st.at("throughput_bytes").at("count_not_null") == 2);
    CHECK(st.at("throughput_bytes").at("min").to_number<double>() == 0.0);
    CHECK(st.at("throughput_bytes").at("max").to_number<double>() ==
          Approx(256.0 * kMiB / 18000.0));
    CHECK(st.at("x_executorCpuTime_ms").at("max").to_number<double>() == 2000.0);
    CHECK(st.at("x_average_task_input_bytes").at("count_not_null") == 2);  // tasks != 0
    CHECK(st.at("x_average_task_input_bytes").at("max").to_number<double>() == 64.0 * kMiB);
    CHECK(st.at("status").at("nunique") == 2);
    CHECK(st.at("status").at("count_not_null") == 4);
    CHECK(st.at("completionTime").at("min") == "2024-01-01T00:00:30.000Z");
    CHECK(st.at("completionTime").at("max") == "2024-01-01T00:01:00.000Z");
    CHECK_FALSE(st.contains("details"));
}

TEST_CASE("the summary follows every formula", "[unit][aggregate][summary]") {
    auto docs = process(make_run(the_run()));
    const auto& s = aggs_of(docs[0]).at("summary").as_object();
    CHECK(s.at("parallel_work") == 140000);
    CHECK(s.at("stages_sum") == 33000);
    CHECK(s.at("stages_interval") == 48000);
    CHECK(s.at("parallel_part") == 28000);  // [12,40] and [60,60]
    CHECK(s.at("stages_in_parallel") == true);
    CHECK(s.at("seq_part") == 72000);
    CHECK(s.at("est_seq_time") == 212000);
    CHECK(s.at("core_cost") == 460000);
    CHECK(s.at("stages_max_input_blocks") == 2);
    CHECK(s.at("executors_total_input_blocks") == 3);
    CHECK(s.at("unused_storage_memory") == 3 * kGiB - 256 * kMiB);
    CHECK(s.at("estimated_speedup").as_double() == Approx(2.12));
    CHECK(s.at("parallel_fraction").as_double() == Approx(0.28));
    CHECK(s.at("seq_fraction").as_double() == Approx(0.72));
    CHECK(s.at("average_throughput").as_double() == Approx(2e-5));
    CHECK(s.at("estimated_core_efficiency").as_double() == Approx(140000.0 / 460000.0));
    CHECK(s.at("unused_core_cost") == 320000);
    CHECK(s.at("x_unused_core_cost_hours").as_double() == Approx(320000.0 / 3.6e6));
    CHECK(s.at("est_peak_memory_usage") == 256 * kMiB + 5000);
    CHECK(s.at("storage_memory_usage").as_double() ==
          Approx(double(256 * kMiB + 5000) / double(3 * kGiB)));
    CHECK(s.at("x_unused_storage_memory_bytes") == 3 * kGiB - 256 * kMiB - 5000);
}

TEST_CASE("no summary without an executor besides the driver", "[unit][aggregate][summary]") {
    auto app = the_run();
    auto& ex = app.at("attempts").as_array()[0].as_object().at("allexecutors").as_array();
    ex.erase(ex.begin() + 1, ex.end());
    auto docs = process(make_run(std::move(app)));
    const auto& aggs = aggs_of(docs[0]);
    CHECK_FALSE(aggs.contains("summary"));
    CHECK(aggs.at("allexecutors").at("executors").as_object().size() == 1);  // elements_count
    CHECK(aggs.at("allexecutors").at("executors").at("elements_count") == 0);
    CHECK(aggs.at("allexecutors").as_object().contains("driver"));
}

TEST_CASE("no summary when no stage has both first-task and completion times",
          "[unit][aggregate][summary]") {
    auto app = the_run();
    auto& st = app.at("attempts").as_array()[0].as_object().at("stages").as_array();
    st.erase(st.begin(), st.begin() + 3);  // only the skipped stage is left
    auto docs = process(make_run(std::move(app)));
    CHECK_FALSE(aggs_of(docs[0]).contains("summary"));
    CHECK(aggs_of(docs[0]).at("stages").at("x_duration").at("sum") == 0);
}

TEST_CASE("zero duration and zero core cost omit their ratios", "[unit][aggregate][summary]") {
    auto app = the_run();
    auto& attempt = app.at("attempts").as_array()[0].as_object();
    attempt["duration"] = 0;
    for (auto& e : attempt.at("allexecutors").as_array()) {
        e.as_object().erase("totalCores");
    }
    auto docs = process(make_run(std::move(app)));
    const auto& s = aggs_of(docs[0]).at("summary").as_object();
    for (const char* gone :
         {"estimated_speedup", "parallel_fraction", "seq_fraction", "average_throughput",
          "estimated_core_efficiency", "unused_core_cost", "x_unused_core_cost_hours"}) {
        INFO(gone);
        CHECK_FALSE(s.contains(gone));
    }
    CHECK(s.at("core_cost") == 0);
    CHECK(s.at("seq_part") == -28000);
    CHECK(s.contains("storage_memory_usage"));
}

TEST_CASE("disjoint stage intervals do not count as parallel", "[unit][aggregate][summary]") {
    auto app = the_run();
    auto& st = app.at("attempts").as_array()[0].as_object().at("stages").as_array();
    st[1].as_object()["firstTaskLaunchedTime"] = at(31);
    auto docs = process(make_run(std::move(app)));
    const auto& s = aggs_of(docs[0]).at("summary").as_object();
    CHECK(s.at("stages_in_parallel") == false);
    CHECK(s.at("parallel_part") == 18000 + 9000);
}

TEST_CASE("each attempt gets its own document and only the newest is final", "[unit][aggregate]") {
    auto app = the_run();
    auto first = app.at("attempts").as_array()[0].as_object();
    auto second = first;
    first["attemptId"] = "1";
    second["attemptId"] = "2";
    second["startTime"] = at(200);
    second["endTime"] = at(300);
    app["attempts"] = json::array{second, first};  // the server lists the newest first
    auto docs = process(make_run(std::move(app)), true);
    REQUIRE(docs.size() == 3);
    CHECK(docs[0].stream == "raw");
    CHECK(docs[0].id == "app-1");
    CHECK(docs[0].body.at("attempts").as_array().size() == 2);
    CHECK(docs[1].id == "app-1-2");
    CHECK(docs[1].body.at("isFinalAttempt") == true);
    CHECK(docs[2].id == "app-1-1");
    CHECK(docs[2].body.at("isFinalAttempt") == false);
    CHECK_FALSE(docs[1].body.contains("attempts"));
    CHECK(docs[1].body.at("attempt").at("startTime") == "2024-01-01T00:03:20.000Z");
    CHECK(docs[1].body.at("app_specific_data").at("classification").at("1") == "Nightly");
    CHECK(docs[1].body.at("history_host") == "shs.example");
    CHECK(docs[1].body.at("spot").at("history_host") == "shs.example");
}

TEST_CASE("maps keyed by data become key/value arrays", "[unit][aggregate]") {
    auto docs = process(make_run(the_run()), true);
    const auto& stage3 = docs[0].body.at("attempts").at(0).at("stages").at(3).as_object();
    REQUIRE(stage3.at("killedTasksSummary").is_array());
    CHECK(stage3.at("killedTasksSummary").at(0).at("key") == "a.b c");
    CHECK(stage3.at("killedTasksSummary").at(0).at("value") == 2);
}
