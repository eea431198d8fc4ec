// Regression and Setter on the recurring-job corpus (tests/fixtures/recurring-corpus), from the
// agg documents spotd wrote for it (tests/bench/run.sh makes them with the file sink).
//   regression_bench AGG_JSONL
// 1. Time-ordered prediction: each run's duration predicted only from the runs before it, once
//    its job has 5; median absolute percentage error per job, beside three baselines (the job's
//    last run, its median, a least-squares fit on input size alone). Target: <= 15% and better
//    than every baseline.
// 2. Setter on the measured grid: for every (job, input level), the configuration advised from
//    the job's runs at the other levels, restricted to the grid's configurations, against the
//    default configuration (2 executors x 2 cores, 200 partitions), both scored with the runs
//    measured at that point. Targets: goal cost, median core-hours saved >= 30% with median
//    slowdown <= 10%; goal time, median >= 15% faster.
// 3. Refit cost: a job of 1,000 runs (the corpus' runs of one job, repeated with new ids and
//    times), the work the advisor does after each run (fit and Setter) timed 30 times. Target:
//    at most 50 ms.
#include "advisors/regression/setter.hpp"

#include <spot/json_fields.hpp>

#include <Eigen/Dense>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace json = boost::json;
using namespace spot::advisors::regression;

namespace {

double median(std::vector<double> v) {
    if (v.empty()) {
        return NAN;
    }
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Baseline: duration = a + b x input, ordinary least squares.
double input_only(const std::vector<Observation>& runs, double input) {
    Eigen::MatrixXd x(static_cast<Eigen::Index>(runs.size()), 2);
    Eigen::VectorXd y(static_cast<Eigen::Index>(runs.size()));
    for (std::size_t i = 0; i < runs.size(); ++i) {
        x(static_cast<Eigen::Index>(i), 0) = 1;
        x(static_cast<Eigen::Index>(i), 1) = runs[i].input_bytes / 1e9;
        y(static_cast<Eigen::Index>(i)) = runs[i].duration_ms;
    }
    const Eigen::VectorXd b = x.colPivHouseholderQr().solve(y);
    return b(0) + b(1) * input / 1e9;
}

struct Run {
    Observation o;
    double rows = 0;  // the corpus' input level (spark.corpus.rows)
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: regression_bench AGG_JSONL\n");
        return 2;
    }
    std::ifstream in(argv[1]);
    std::vector<Run> runs;
    JobKey key;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) {
            continue;
        }
        const auto doc = json::parse(line).at("_source").as_object();
        auto o = observation_of(doc, key);
        if (!o) {
            std::fprintf(stderr, "skipped: %s\n", o.error().describe().c_str());
            continue;
        }
        const auto& props = doc.at("attempt").at("environment").at("sparkProperties").as_object();
        runs.push_back({std::move(*o), spot::property_of(props, "spark.corpus.rows").value_or(0)});
    }
    std::sort(runs.begin(), runs.end(),
              [](const Run& a, const Run& b) { return a.o.end_ms < b.o.end_ms; });
    std::map<std::string, std::vector<std::size_t>> by_job;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        by_job[runs[i].o.job].push_back(i);
    }
    fmt::print(
        "== regression: time-ordered median absolute % error of duration ({} runs, {} jobs)\n",
        runs.size(), by_job.size());
    fmt::print("{:<36} {:>5} {:>8} {:>8} {:>8} {:>8}\n", "job", "runs", "model", "last", "median",
               "input");
    ModelOptions options;
    bool met = true;
    for (const auto& [job, idx] : by_job) {
        std::vector<double> model, last, med, inp;
        for (std::size_t k = 5; k < idx.size(); ++k) {
            std::vector<Observation> before, cluster;
            for (std::size_t j = 0; j < k; ++j) {
                before.push_back(runs[idx[j]].o);
            }
            for (std::size_t j = 0; j < idx[k]; ++j) {
                cluster.push_back(runs[j].o);
            }
            const auto& t = runs[idx[k]].o;
            auto ape = [&](double p) { return std::abs(p - t.duration_ms) / t.duration_ms * 100; };
            const auto m = DurationModel::fit(before, cluster, options);
            model.push_back(ape(m.predict(t.input_bytes, t.config).duration_ms));
            last.push_back(ape(before.back().duration_ms));
            std::vector<double> d;
            for (const auto& b : before) {
                d.push_back(b.duration_ms);
            }
            med.push_back(ape(median(d)));
            inp.push_back(ape(input_only(before, t.input_bytes)));
        }
        const double m = median(model);
        met = met && m <= 15 && m < median(last) && m < median(med) && m < median(inp);
        fmt::print("{:<36} {:>5} {:>7.1f}% {:>7.1f}% {:>7.1f}% {:>7.1f}%\n", job, idx.size(), m,
                   median(last), median(med), median(inp));
    }
    fmt::print("target (<= 15%, better than every baseline, every job): {}\n\n",
               met ? "met" : "NOT met");

    fmt::print(
        "== setter on the measured grid: advised vs default (2 x 2 cores, 200 partitions)\n");
    const Config kDefault{2, 2, 0, 0, 200};
    auto same = [](const Config& a, const Config& b) {
        return a.executors == b.executors && a.cores == b.cores && a.partitions == b.partitions;
    };
    for (const Goal goal : {Goal::Cost, Goal::Time}) {
        std::vector<double> saved, slowdown;
        for (const auto& [job, idx] : by_job) {
            std::set<double> levels;
            std::vector<Config> grid;
            for (auto i : idx) {
                levels.insert(runs[i].rows);
                const auto& c = runs[i].o.config;
                if (std::none_of(grid.begin(), grid.end(),
                                 [&](const Config& g) { return same(g, c); })) {
                    grid.push_back(c);
                }
            }
            for (double level : levels) {
                std::vector<Observation> train, cluster;
                std::vector<const Observation*> at;
                for (auto i : idx) {
                    if (runs[i].rows != level) {
                        train.push_back(runs[i].o);
                    } else {
                        at.push_back(&runs[i].o);
                    }
                }
                for (const auto& r : runs) {
                    if (!(r.o.job == job && r.rows == level)) {
                        cluster.push_back(r.o);
                    }
                }
                std::vector<double> inputs;
                for (const auto* o : at) {
                    inputs.push_back(o->input_bytes);
                }
                AdviceRequest req;
                req.job = job;
                req.goal = goal;
                req.input_bytes = median(inputs);
                req.candidates = grid;
                Config current = kDefault;
                current.memory_bytes = train.back().config.memory_bytes;
                req.current = current;
                auto a = advise(train, cluster, req, Bounds{}, options);
                if (!a) {
                    fmt::print("{} level {}: {}\n", job, level, a.error().describe());
                    continue;
                }
                auto measured = [&](const Config& c) {
                    double d = 0, ch = 0, n = 0;
                    for (const auto* o : at) {
                        if (same(o->config, c)) {
                            d += o->duration_ms;
                            ch += o->core_hours;
                            ++n;
                        }
                    }
                    return std::tuple{d / n, ch / n, n};
                };
                const auto [ad, ach, an] = measured(a->advised);
                const auto [dd, dch, dn] = measured(kDefault);
                if (an == 0 || dn == 0) {
                    continue;
                }
                saved.push_back((1 - ach / dch) * 100);
                slowdown.push_back((ad / dd - 1) * 100);
                fmt::print(
                    "  {:<4} {:<36} rows {:>8.0f}: advised {}x{} p{} -> {:+.0f}% core-hours, "
                    "{:+.0f}% duration\n",
                    goal_name(goal), job, level, a->advised.executors, a->advised.cores,
                    a->advised.partitions, -saved.back(), slowdown.back());
            }
        }
        if (goal == Goal::Cost) {
            fmt::print(
                "goal cost: median core-hours saved {:.1f}% (target >= 30%), median slowdown "
                "{:.1f}% (target <= 10%)\n",
                median(saved), median(slowdown));
        } else {
            fmt::print("goal time: median {:.1f}% faster (target >= 15%)\n", -median(slowdown));
        }
    }
    // 3. What one more run of a big job costs the advisor: the fit and the Setter over 1,000 runs.
    std::vector<Observation> big;
    const auto& first_job = by_job.begin()->second;
    for (std::size_t i = 0; big.size() < 1000; ++i) {
        Observation o = runs[first_job[i % first_job.size()]].o;
        o.app_id = fmt::format("app-{}", i);
        o.end_ms = static_cast<std::int64_t>(i) * 60'000;
        big.push_back(std::move(o));
    }
    std::vector<double> took;
    for (int rep = 0; rep < 30; ++rep) {
        AdviceRequest req;
        req.job = big.front().job;
        const auto started = std::chrono::steady_clock::now();
        auto a = advise(big, {}, req, Bounds{}, options);
        took.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count());
        if (!a || a->status != "ok") {
            fmt::print("refit of 1,000 runs failed\n");
            return 1;
        }
    }
    std::sort(took.begin(), took.end());
    fmt::print(
        "== refit: one job of {} runs, fit and Setter: median {:.1f} ms, max {:.1f} ms (target <= "
        "50 ms)\n",
        big.size(), median(took), took.back());
    return 0;
}
