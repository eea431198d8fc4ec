// The Setter's rules, each on runs made to tell it apart: the goal and its budget, memory never
// below the need seen (more after an OOM), bounded exploration, formats.
#include "advisors/regression/advice_format.hpp"

#include <catch2/catch.hpp>

using namespace spot::advisors::regression;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

// Duration falls with slots but flattens (driver-bound): past a few slots, more cost more.
std::vector<Observation> runs() {
    std::vector<Observation> out;
    int i = 0;
    for (double e : {2.0, 4.0, 8.0}) {
        for (double c : {1.0, 2.0}) {
            for (int rep = 0; rep < 2; ++rep) {
                Observation o;
                o.job = "etl";
                o.app_id = "app-" + std::to_string(i);
                o.end_ms = 1000 + i++;
                o.input_bytes = 50e9;
                o.config = {e, c, 8 * kGiB, 0, 200};
                o.duration_ms = 600'000 + 600'000 / (e * c);
                o.core_hours = o.duration_ms * e * c / 3.6e6;
                o.peak_heap = 2 * kGiB;
                out.push_back(o);
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("setter: goal cost takes the cheapest configuration within the slowdown budget",
          "[unit][regression]") {
    const auto r = runs();
    AdviceRequest req;
    req.job = "etl";
    req.current = Config{8, 2, 8 * kGiB, 0, 200};
    auto a = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(a.has_value());
    CHECK(a->core_hours_saved > 0.3);
    CHECK(a->at_advised.duration_ms <= a->at_current.duration_ms * 1.10 + 1);
    // Memory: the peak heap seen (2 GiB) x 1.2, rounded up to 128 MiB; never the 8 GiB asked.
    CHECK(a->advised.memory_bytes == Approx(2.5 * kGiB));
    // Never beyond twice the largest executors run (8), nor below half the smallest (2).
    CHECK(a->advised.executors >= 1);
    CHECK(a->advised.executors <= 16);

    req.goal = Goal::Time;
    auto t = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(t.has_value());
    CHECK(t->at_advised.duration_ms <= t->at_current.duration_ms);
    CHECK(t->advised.slots() >= a->advised.slots());
}

TEST_CASE("setter: after an OOM the memory grows past what failed, and a deadline is met or said",
          "[unit][regression]") {
    auto r = runs();
    r.back().oom = true;
    r.back().config.memory_bytes = 4 * kGiB;
    AdviceRequest req;
    req.job = "etl";
    auto a = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(a.has_value());
    CHECK(a->advised.memory_bytes >= 6 * kGiB);
    CHECK_FALSE(a->notes.empty());

    req.goal = Goal::Deadline;
    req.deadline_ms = 60'000;  // faster than any configuration can be
    auto d = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(d.has_value());
    CHECK(std::any_of(d->notes.begin(), d->notes.end(), [](const std::string& n) {
        return n.find("deadline") != std::string::npos;
    }));
    req.deadline_ms = 0;
    CHECK_FALSE(advise(r, r, req, Bounds{}, ModelOptions{}).has_value());
    AdviceRequest unknown;
    unknown.job = "nobody";
    CHECK_FALSE(advise({}, r, unknown, Bounds{}, ModelOptions{}).has_value());
}

TEST_CASE("setter: the advice as spark-submit arguments and a properties file",
          "[unit][regression]") {
    const auto r = runs();
    AdviceRequest req;
    req.job = "etl";
    req.candidates = std::vector<Config>{{3, 2, 3 * kGiB, 512 * 1024.0 * 1024, 64}};
    auto a = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(a.has_value());
    CHECK(format_advice(*a, AdviceFormat::SparkSubmit) ==
          "--num-executors 3 --executor-cores 2 --executor-memory 3g --conf "
          "spark.sql.shuffle.partitions=64 --conf spark.executor.memoryOverhead=512m\n");
    const auto props = format_advice(*a, AdviceFormat::Properties);
    CHECK(props.find("spark.executor.instances=3\n") != std::string::npos);
    CHECK(props.find("spark.executor.memory=3g\n") != std::string::npos);
    CHECK(spark_memory(768.0 * 1024 * 1024) == "768m");
    const auto j = to_json(*a);
    CHECK(j.at("advised").as_array().size() == 5);  // {key, value} pairs, no data-keyed map
}

TEST_CASE(
    "setter: a job with one run gets insufficient_history and no invented numbers, even "
    "when the cluster has a model",
    "[unit][regression]") {
    const auto cluster = runs();
    Observation only = cluster.front();
    only.job = "new-job";
    AdviceRequest req;
    req.job = "new-job";
    auto a = advise({only}, cluster, req, Bounds{}, ModelOptions{});
    REQUIRE(a.has_value());
    CHECK(a->status == "insufficient_history");
    CHECK(a->advised == a->current);
    CHECK(a->at_advised.duration_ms == 0);
    const auto j = to_json(*a);
    CHECK(j.at("status").as_string() == "insufficient_history");
    CHECK_FALSE(j.contains("predicted_advised"));
    CHECK_FALSE(j.contains("advised"));
    // Every format says so, and none of them can be pasted as a configuration.
    for (auto f : {AdviceFormat::Text, AdviceFormat::SparkSubmit, AdviceFormat::Properties}) {
        const auto text = format_advice(*a, f);
        CHECK(text.starts_with("# job new-job: insufficient_history"));
        CHECK(text.find("--num-executors") == std::string::npos);
    }
    // Two runs are enough to advise, from the cluster's shape (and it says so).
    Observation second = only;
    second.app_id = "app-2nd";
    second.end_ms += 1;
    auto b = advise({only, second}, cluster, req, Bounds{}, ModelOptions{});
    REQUIRE(b.has_value());
    CHECK(b->status == "ok");
    CHECK(b->at_advised.duration_ms > 0);
}

TEST_CASE(
    "setter: goal time stays within the cost budget, 1.5x the current core-hours by "
    "default",
    "[unit][regression]") {
    const auto r = runs();
    AdviceRequest req;
    req.job = "etl";
    req.goal = Goal::Time;
    req.current = Config{8, 2, 8 * kGiB, 0, 200};
    req.cost_budget = 0;  // any cost: the fastest, whatever it costs
    auto any = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(any.has_value());
    REQUIRE(any->at_advised.core_hours > any->at_current.core_hours * 1.5);  // the budget binds
    req.cost_budget = AdviceRequest{}.cost_budget;
    CHECK(req.cost_budget == 1.5);
    auto t = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(t.has_value());
    CHECK(t->at_advised.core_hours <= t->at_current.core_hours * 1.5 + 1e-9);
    CHECK(t->at_advised.duration_ms >= any->at_advised.duration_ms);
}

TEST_CASE("setter: a predicted gain under min_gain (5%) keeps the current configuration",
          "[unit][regression]") {
    // A job whose time does not depend on its slots: more executors buy nothing.
    auto r = runs();
    for (auto& o : r) {
        o.duration_ms = 600'000 + static_cast<double>(o.end_ms % 3) * 1000;
        o.core_hours = o.duration_ms * o.config.slots() / 3.6e6;
    }
    AdviceRequest req;
    req.job = "etl";
    req.goal = Goal::Time;
    req.current = Config{4, 1, 2.5 * kGiB, 0, 200};
    auto kept = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(kept.has_value());
    CHECK(kept->advised == kept->current);
    CHECK(std::any_of(kept->notes.begin(), kept->notes.end(), [](const std::string& n) {
        return n.find("worth making") != std::string::npos;
    }));
    req.min_gain = 0;  // every gain counts: then the model's smallest edge may move it
    auto moved = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(moved.has_value());
    CHECK(moved->at_advised.duration_ms <= moved->at_current.duration_ms);
    // Goal cost on the same runs: fewer slots save far more than 5%, so it moves.
    req.min_gain = 0.05;
    req.goal = Goal::Cost;
    auto cheaper = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(cheaper.has_value());
    CHECK(cheaper->core_hours_saved > 0.05);
    CHECK(cheaper->advised.slots() < cheaper->current.slots());
}

TEST_CASE("setter: runs without a heap peak say nothing about memory: the current memory is kept",
          "[unit][regression]") {
    auto r = runs();
    for (auto& o : r) {
        o.peak_heap = 0;  // no executor metrics in these logs
    }
    AdviceRequest req;
    req.job = "etl";
    req.current = Config{8, 2, 6 * kGiB, 0, 200};
    auto a = advise(r, r, req, Bounds{}, ModelOptions{});
    REQUIRE(a.has_value());
    CHECK(a->advised.memory_bytes == 6 * kGiB);
    CHECK(std::any_of(a->notes.begin(), a->notes.end(), [](const std::string& n) {
        return n.find("heap peak") != std::string::npos;
    }));
}
