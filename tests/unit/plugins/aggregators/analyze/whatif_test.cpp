// The executor-count what-if on task timings built by hand, where the right answer is known.
#include <aggregators/analyze/whatif.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

using namespace spot;
using namespace spot::aggregators::analyze;

namespace {

// One stage of `n` tasks of `ms` each, launched `per_wave` at a time from t=1000.
AttemptTasks waves(int n, int per_wave, std::int64_t ms) {
    AttemptTasks a;
    a.executors = {"1", "2"};
    StageTasks s{0, 0, {}};
    for (int i = 0; i < n; ++i) {
        s.tasks.push_back(
            TaskTiming{1000 + (i / per_wave) * ms, ms,
                       static_cast<std::uint32_t>(i % per_wave < per_wave / 2 ? 0 : 1), true});
    }
    a.stages.push_back(std::move(s));
    return a;
}

// The replay written out the slow way: each task in launch order on the slot that frees first.
double replay(const StageTasks& stage, std::int64_t slots) {
    std::vector<double> free_at(static_cast<std::size_t>(slots), 0.0);
    double end = 0;
    for (const auto& t : stage.tasks) {
        auto slot = std::min_element(free_at.begin(), free_at.end());
        *slot += static_cast<double>(t.duration_ms);
        end = std::max(end, *slot);
    }
    return end;
}

}  // namespace

TEST_CASE("what-if: the replay on the actual executors gives the actual time", "[unit][analyze]") {
    // 2 executors x 2 cores, 8 tasks of 1 s in 2 waves: 2 s of stage, 0.5 s of driver.
    const auto tasks = waves(8, 4, 1000);
    const auto w = what_if(tasks, 2500, 2, 1);
    REQUIRE(w.has_value());
    CHECK(w->executors_used == 2);
    CHECK(w->driver_ms == Approx(500));
    CHECK(w->simulated_actual_ms == Approx(2500));
    CHECK(w->error == Approx(0));
    REQUIRE(w->points.size() == 9);
    // 10%, 20% and 50% of 2 executors are 1 executor: 4 waves.
    CHECK(w->points[0].executors == 1);
    CHECK(w->points[0].duration_ms == Approx(4500));
    CHECK(w->points[2].duration_ms == Approx(4500));
    // 200%: 4 executors, 16 slots, one wave.
    CHECK(w->points[6].executors == 4);
    CHECK(w->points[6].duration_ms == Approx(1500));
    // Utilisation at the actual count: 8 s of tasks over 4 slots x 2.5 s.
    CHECK(w->points[4].utilization == Approx(0.8));
    CHECK(w->points[4].core_hours == Approx(2 * 2 * 2500 / 3.6e6));
    // Best 1.5 s; the fewest executors within 10% of it: 4.
    CHECK(w->knee_executors == 4);
}

TEST_CASE("what-if: concurrent stages are replayed together, driver time kept", "[unit][analyze]") {
    AttemptTasks a;
    a.executors = {"1"};
    a.stages.push_back(
        StageTasks{0, 0, {TaskTiming{0, 1000, 0, true}, TaskTiming{0, 1000, 0, true}}});
    a.stages.push_back(StageTasks{1, 0, {TaskTiming{500, 1000, 0, true}}});
    a.stages.push_back(StageTasks{2, 0, {TaskTiming{5000, 300, 0, true}}});
    // Stages 0 and 1 overlap: one group spanning 0..1500; stage 2 alone: 300 ms; 6000 ms run.
    const auto w = what_if(a, 6000, 2, 1);
    REQUIRE(w.has_value());
    CHECK(w->driver_ms == Approx(6000 - 1500 - 300));
    // On 2 slots: the group's 3 tasks of 1 s take 2 s.
    CHECK(w->simulated_actual_ms == Approx(4200 + 2000 + 300));
    CHECK(simulate(a, 4200, 3) == Approx(4200 + 1000 + 300));
}

TEST_CASE("what-if: nothing to replay gives no what-if", "[unit][analyze]") {
    AttemptTasks empty;
    CHECK_FALSE(what_if(empty, 1000, 2, 1).has_value());
    CHECK_FALSE(what_if(waves(4, 2, 100), 1000, 0, 1).has_value());  // cores unknown
}

TEST_CASE("what-if: groups answered from Graham's bounds stay within 0.5% of the replay",
          "[unit][analyze]") {
    // 5,000 tasks of 20 ms to 2 s (a long tail), and 40 tasks of 1 to 60 s: on the first the
    // bounds are tight for small slot counts and the midpoint answers; on the second they never
    // are, and the tasks are replayed.
    std::mt19937 rng(7);
    for (auto [n, lo, hi] : {std::tuple{5000, 20, 2000}, std::tuple{40, 1000, 60000}}) {
        AttemptTasks a;
        a.executors = {"1"};
        StageTasks s{0, 0, {}};
        std::uniform_int_distribution<std::int64_t> ms(lo, hi);
        for (int i = 0; i < n; ++i) {
            s.tasks.push_back(TaskTiming{i, ms(rng), 0, true});
        }
        a.stages.push_back(s);
        for (std::int64_t slots : {1, 2, 3, 7, 16, 39, 40, 64, 500, 5000}) {
            const double exact = replay(s, slots);
            INFO(n << " tasks on " << slots << " slots");
            CHECK(std::abs(simulate(a, 0, slots) - exact) <= 0.005 * exact);
        }
    }
}
