// The withSummaries quantiles follow the History Server's own rules (checked against the real
// server by the eventlog parity test); here each rule on tasks made to tell them apart.
#include "sources/eventlog/stage_summaries.hpp"

#include <catch2/catch.hpp>

using namespace spot::sources::eventlog;
namespace json = boost::json;

namespace {

TaskEnd task(std::string executor, std::int64_t duration, std::int64_t run, bool metrics = true) {
    TaskEnd t;
    t.executor = std::move(executor);
    t.launch = 1000;
    t.finish = 1000 + duration;
    t.has_metrics = metrics;
    t.metrics[task_metric_index("executorRunTime")] = run;
    t.metrics[task_metric_index("shuffleRemoteBytesRead")] = run * 10;
    t.metrics[task_metric_index("shuffleLocalBytesRead")] = run;
    return t;
}

json::array q(std::initializer_list<double> v) {
    json::array a;
    for (double x : v) {
        a.push_back(x);
    }
    return a;
}

}  // namespace

TEST_CASE(
    "stage summaries: positions from the successful count, failed tasks where the server "
    "lists them",
    "[unit][eventlog]") {
    StageSamples s;
    for (std::int64_t run : {40, 10, 30, 20}) {
        s.add_task(task("1", run + 5, run), true, false);
    }
    s.add_task(task("2", 1000, 2), false, false);     // failed, with metrics
    s.add_task(task("2", 3, 0, false), false, true);  // killed, without metrics
    const auto out = s.summaries();
    const auto& d = out.at("taskMetricsDistributions").as_object();
    CHECK(d.at("quantiles") == q({0.0, 0.25, 0.5, 0.75, 1.0}));
    // index = min(floor(q * 4), 3) over the successful tasks' run times
    CHECK(d.at("executorRunTime") == q({10, 20, 30, 40, 40}));
    CHECK(d.at("shuffleReadMetrics").at("readBytes") == q({110, 220, 330, 440, 440}));
    // durations of all six tasks, positions still from the four successes
    CHECK(d.at("duration") == q({3, 15, 25, 35, 35}));
    // scheduler delay of every task with metrics: 5 for each success, 998 for the failure
    CHECK(d.at("schedulerDelay") == q({5, 5, 5, 5, 5}));
    // Two executors: index = min(floor(q * 2), 1), so the smaller value twice, the larger thrice.
    const auto& e = out.at("executorMetricsDistributions").as_object();
    CHECK(e.at("succeededTasks") == q({0, 0, 4, 4, 4}));
    CHECK(e.at("failedTasks") == q({0, 0, 1, 1, 1}));
    CHECK(e.at("killedTasks") == q({0, 0, 1, 1, 1}));
    CHECK(e.at("taskTime") == q({120, 120, 1003, 1003, 1003}));
}

TEST_CASE(
    "stage summaries: no success, no task quantiles, and an executor that only reported peaks "
    "still counts",
    "[unit][eventlog]") {
    StageSamples s;
    CHECK(s.summaries().empty());  // a skipped stage: the server omits both
    s.add_task(task("1", 50, 40), false, false);
    s.add_peaks("<driver>", json::object{{"JVMHeapMemory", 512}});
    const auto out = s.summaries();
    CHECK_FALSE(out.contains("taskMetricsDistributions"));
    const auto& e = out.at("executorMetricsDistributions").as_object();
    CHECK(e.at("taskTime") == q({0, 0, 50, 50, 50}));  // the driver, then executor 1
    // Both have peaks set (the task end's zeros, the driver's report).
    CHECK(e.at("peakMemoryMetrics").at("JVMHeapMemory") == q({0, 0, 512, 512, 512}));
}
