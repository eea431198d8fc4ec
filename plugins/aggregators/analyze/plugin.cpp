// analyze: per attempt, attempt.analysis in the agg document that spot-aggregate made (SPEC §8):
// findings with severity and score, and the executor-count what-if.
#include "analysis.hpp"

#include <spot/plugin.hpp>
#include <spot/text.hpp>

#include <algorithm>
#include <cmath>

namespace spot::aggregators::analyze {

namespace {

class Analyze final : public Aggregator {
   public:
    explicit Analyze(Thresholds t) : t_(t) {}

    Result<std::vector<Document>> aggregate(const Run&) override { return std::vector<Document>{}; }

    Result<void> aggregate_into(const Run& run, std::vector<Document>& docs) override {
        const auto* attempts = run.app.if_contains("attempts");
        if (attempts == nullptr || !attempts->is_array()) {
            return make_error(ErrorCode::Parse, "run has no 'attempts' array", run.app_id);
        }
        for (const auto& v : attempts->get_array()) {
            const auto* attempt = v.if_object();
            if (attempt == nullptr) {
                continue;
            }
            auto* doc = agg_document_of(docs, *attempt);
            if (doc == nullptr) {
                return make_error(ErrorCode::Config,
                                  "no agg document for an attempt: list spot-aggregate before "
                                  "analyze in the pipeline's aggregators",
                                  run.app_id);
            }
            auto analysis = to_json(analyze_attempt(*attempt, tasks_of(run, *attempt), t_));
            doc->body["attempt"].as_object()["analysis"] = std::move(analysis);
        }
        return {};
    }

   private:
    // The agg document of this run's attempt: same attemptId, or both without one.
    static Document* agg_document_of(std::vector<Document>& docs, const json::object& attempt) {
        const auto* want = attempt.if_contains("attemptId");
        for (auto& d : docs) {
            const auto* a = d.stream == "agg" ? d.body.if_contains("attempt") : nullptr;
            if (a == nullptr || !a->is_object()) {
                continue;
            }
            const auto* have = a->get_object().if_contains("attemptId");
            if ((want == nullptr && have == nullptr) ||
                (want != nullptr && have != nullptr && *want == *have)) {
                return &d;
            }
        }
        return nullptr;
    }

    Thresholds t_;
};

constexpr spot_option_decl kOptions[] = {
    option("gates",
           SPOT_OPT_BOOL,
           "true",
           "Judge only what is big enough to matter (Dr. Elephant's gates below); false judges "
           "every run, as `spotd analyze` does by default."),
    option("min_duration",
           SPOT_OPT_DURATION,
           "5m",
           "Gate: runs shorter than this get only the failures and config findings.",
           0,
           nullptr,
           "0s",
           "30d"),
    option("min_impact",
           SPOT_OPT_DURATION,
           "20s",
           "Findings about time stay low when the time they could win is under this (wasted core "
           "time, driver time, a skewed task's excess, core time saved, GC and shuffle waits); "
           "applied with or without gates.",
           0,
           nullptr,
           "0s",
           "30d"),
    option("idle_cores",
           SPOT_OPT_LIST,
           "0.3, 0.5, 0.7, 0.85",
           "Idle share of the held core time at which idle_cores is low, moderate, severe, "
           "critical."),
    option("driver_bound",
           SPOT_OPT_LIST,
           "0.3, 0.5, 0.7, 0.9",
           "Share of the run the driver worked alone, per level."),
    option("over_provisioned_knee",
           SPOT_OPT_DOUBLE,
           "0.5",
           "over_provisioned_executors fires when the what-if knee is at most this share of the "
           "executors used (severe at half of it).",
           0,
           nullptr,
           "0",
           "1"),
    option("task_skew",
           SPOT_OPT_LIST,
           "2, 4, 8, 16",
           "Longest over median task (duration, input or shuffle-read bytes), per level."),
    option("skew_min_task",
           SPOT_OPT_DURATION,
           "150s",
           "Gate: skew counts only when the longest task ran longer than this...",
           0,
           nullptr,
           "0s",
           "30d"),
    option("skew_min_stage_share",
           SPOT_OPT_DOUBLE,
           "0.75",
           "Gate: ...and longer than this share of its stage. Gates or not, skew whose longest "
           "task "
           "ran less of its stage than this is at most low.",
           0,
           nullptr,
           "0",
           "1"),
    option("skew_min_median",
           SPOT_OPT_SIZE,
           "1MiB",
           "Skew in input or shuffle-read bytes over a median task under this is at most low.",
           0,
           nullptr,
           "0",
           "1TiB"),
    option("spill",
           SPOT_OPT_LIST,
           "0.01, 0.1, 0.25, 0.5",
           "Bytes spilled from memory over the stage's largest data volume, per level."),
    option("spill_min",
           SPOT_OPT_SIZE,
           "64MiB",
           "A stage that spilled less than this from memory is at most low, whatever the ratio.",
           0,
           nullptr,
           "0",
           "1TiB"),
    option("gc", SPOT_OPT_LIST, "0.08, 0.1, 0.15, 0.2", "GC time over task run time, per level."),
    option("gc_min_task_time",
           SPOT_OPT_DURATION,
           "5m",
           "Gate: GC is judged only over at least this much task time.",
           0,
           nullptr,
           "0s",
           "30d"),
    option("memory_low",
           SPOT_OPT_DOUBLE,
           "0.6",
           "Peak JVM heap over executor memory under which memory is over-provisioned.",
           0,
           nullptr,
           "0",
           "1"),
    option("memory_high",
           SPOT_OPT_DOUBLE,
           "0.95",
           "Peak JVM heap over executor memory above which memory is too small.",
           0,
           nullptr,
           "0",
           "1"),
    option("failures",
           SPOT_OPT_LIST,
           "0.05, 0.1, 0.15, 0.2",
           "Failed over all tasks of the attempt, per level (at most low when the failed tasks "
           "ran less than min_impact; moderate when a stage failed or an executor was lost; "
           "severe for out-of-memory failures)."),
    option("long_tasks",
           SPOT_OPT_LIST,
           "2.5, 5, 10, 15",
           "Median task minutes of a stage at which partitions are too few, per level."),
    option("many_tasks",
           SPOT_OPT_INT,
           "5000",
           "A stage with more tasks than this and a median under many_tasks_median has too many "
           "partitions.",
           0,
           nullptr,
           "1",
           "100000000"),
    option("many_tasks_median",
           SPOT_OPT_DURATION,
           "500ms",
           "See many_tasks.",
           0,
           nullptr,
           "0s",
           "1h"),
    option("shuffle_wait_share",
           SPOT_OPT_DOUBLE,
           "0.2",
           "Share of task time in shuffle fetch waits and writes that io_shape reports.",
           0,
           nullptr,
           "0",
           "1"),
    option("data_explosion",
           SPOT_OPT_DOUBLE,
           "5",
           "Output over input at which io_shape reports a data explosion.",
           0,
           nullptr,
           "0",
           "1000000"),
    option("partition_target_size",
           SPOT_OPT_SIZE,
           "128MiB",
           "Shuffle bytes per partition that the spark.sql.shuffle.partitions suggestion aims at.",
           0,
           nullptr,
           "1MiB",
           "64GiB"),
};

// Four limits, as a YAML list or one comma-separated text ("0.3, 0.5, 0.7, 0.85").
Limits limits(const Options& o, const char* name) {
    const auto items = list_items(o.list(name));
    Limits out{};
    if (items.size() != out.size()) {
        throw Exception(make_error(ErrorCode::Config, std::string(name) +
                                                          ": expected 4 numbers (low, moderate, "
                                                          "severe, critical)"));
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::size_t used = 0;
        try {
            out[i] = std::stod(items[i], &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || items[i].find_first_not_of(" ", used) != std::string::npos ||
            !std::isfinite(out[i])) {
            throw Exception(make_error(ErrorCode::Config,
                                       std::string(name) + ": '" + items[i] + "' is not a number"));
        }
        if (i > 0 && out[i] < out[i - 1]) {
            throw Exception(make_error(ErrorCode::Config,
                                       std::string(name) + ": the 4 limits must not decrease"));
        }
    }
    return out;
}

std::unique_ptr<Plugin> create(const PluginContext&, const Options& o) {
    Thresholds t;
    t.gates = o.flag("gates");
    t.min_duration_ms = static_cast<double>(o.duration("min_duration").count());
    t.min_impact_ms = static_cast<double>(o.duration("min_impact").count());
    t.idle_cores = limits(o, "idle_cores");
    t.driver_bound = limits(o, "driver_bound");
    t.over_provisioned_knee = o.number("over_provisioned_knee");
    t.task_skew = limits(o, "task_skew");
    t.skew_min_task_ms = static_cast<double>(o.duration("skew_min_task").count());
    t.skew_min_stage_share = o.number("skew_min_stage_share");
    t.skew_min_median_bytes = static_cast<double>(o.integer("skew_min_median"));
    t.spill = limits(o, "spill");
    t.spill_min_bytes = static_cast<double>(o.integer("spill_min"));
    t.gc = limits(o, "gc");
    t.gc_min_task_ms = static_cast<double>(o.duration("gc_min_task_time").count());
    t.memory_low = o.number("memory_low");
    t.memory_high = o.number("memory_high");
    if (t.memory_low >= t.memory_high) {
        throw Exception(make_error(ErrorCode::Config, "memory_low must be under memory_high"));
    }
    t.failures = limits(o, "failures");
    t.long_tasks_minutes = limits(o, "long_tasks");
    t.many_tasks = static_cast<double>(o.integer("many_tasks"));
    t.many_tasks_median_ms = static_cast<double>(o.duration("many_tasks_median").count());
    t.shuffle_wait_share = o.number("shuffle_wait_share");
    t.data_explosion = o.number("data_explosion");
    t.partition_target_bytes = static_cast<double>(o.integer("partition_target_size"));
    return std::make_unique<Analyze>(t);
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("analyze",
                    SPOT_KIND_AGGREGATOR,
                    "1.0.0",
                    "Per attempt: findings with severity and score, and the executor-count what-if "
                    "(attempt.analysis; after spot-aggregate).",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::aggregators::analyze

SPOT_PLUGIN(spot::aggregators::analyze::kDescriptor)
