// The regression model on runs whose truth is known: a job of the model's family with noise,
// the same with one run disturbed by something the features do not see, and a job too young for
// a model of its own. (How well the family fits real jobs: tests/bench/regression_bench.cpp.)
#include "advisors/regression/model.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace spot::advisors::regression;

namespace {

// A job of the model's own family: log(duration) linear in input, executors, slots and
// partitions (more input slower, more slots faster, each executor a little overhead).
double truth(double input, const Config& c) {
    return 30'000 * std::exp(0.004 * input / 1e9 + 0.05 * c.executors - 0.03 * c.slots() +
                             0.02 * c.partitions / 100);
}

std::vector<Observation> runs_of(const std::string& job, int n, double noise = 0) {
    std::vector<Observation> out;
    const double inputs[] = {10e9, 40e9, 160e9};
    const Config configs[] = {{2, 2, 4e9, 0, 200},
                              {4, 2, 4e9, 0, 200},
                              {8, 4, 4e9, 0, 400},
                              {4, 4, 4e9, 0, 100}};
    for (int i = 0; i < n; ++i) {
        Observation o;
        o.job = job;
        o.app_id = job + "-" + std::to_string(i);
        o.end_ms = 1'000'000 + i * 1000;
        o.input_bytes = inputs[i % 3];
        o.config = configs[(i / 3) % 4];
        o.duration_ms = truth(o.input_bytes, o.config) * (1 + noise * ((i % 2) ? 1 : -1));
        o.core_hours = o.duration_ms * o.config.slots() / 3.6e6 * 0.8;
        out.push_back(o);
    }
    return out;
}

}  // namespace

TEST_CASE("regression: a job's own model predicts configurations it ran within 10%",
          "[unit][regression]") {
    const auto runs = runs_of("etl", 24, 0.03);
    const auto m = DurationModel::fit(runs, runs, ModelOptions{});
    REQUIRE(m.valid());
    for (const Config c : {Config{2, 2, 4e9, 0, 200}, Config{8, 4, 4e9, 0, 400}}) {
        const auto p = m.predict(40e9, c);
        INFO(c.executors << "x" << c.cores);
        CHECK(p.model == "job");
        CHECK(std::abs(p.duration_ms / truth(40e9, c) - 1) < 0.10);
        CHECK(p.duration_low < p.duration_ms);
        CHECK(p.duration_high > p.duration_ms);
        // core-hours follow from the duration and what the runs actually held (0.8 of it)
        CHECK(p.core_hours == Approx(p.duration_ms * c.slots() / 3.6e6 * 0.8).epsilon(0.01));
    }
    CHECK(m.predict(40e9, {2, 2, 4e9, 0, 200}).past_error < 0.10);
}

TEST_CASE("regression: one run slowed tenfold by something unseen does not bend the fit",
          "[unit][regression]") {
    auto runs = runs_of("etl", 24);
    const auto clean =
        DurationModel::fit(runs, runs, ModelOptions{}).predict(40e9, {4, 2, 4e9, 0, 200});
    runs[22].duration_ms *= 10;  // recent, so heavily weighted: only the Huber weights save it
    const auto disturbed =
        DurationModel::fit(runs, runs, ModelOptions{}).predict(40e9, {4, 2, 4e9, 0, 200});
    CHECK(std::abs(disturbed.duration_ms / clean.duration_ms - 1) < 0.15);
}

TEST_CASE("regression: a job with too few runs borrows the cluster's shape at its own level",
          "[unit][regression]") {
    auto cluster = runs_of("big", 24);
    auto young = runs_of("young", 2);
    for (auto& r : young) {
        r.duration_ms *= 2;  // the same shape, twice as slow
    }
    auto all = cluster;
    all.insert(all.end(), young.begin(), young.end());
    const auto m = DurationModel::fit(young, all, ModelOptions{});
    REQUIRE(m.valid());
    const Config c{8, 4, 4e9, 0, 400};
    const auto p = m.predict(160e9, c);
    CHECK(p.model == "cluster");
    CHECK(std::abs(p.duration_ms / (2 * truth(160e9, c)) - 1) < 0.25);
    CHECK_FALSE(DurationModel::fit({}, all, ModelOptions{}).valid());  // no run at all: no model
}
