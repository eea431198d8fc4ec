// regression: Regression and Setter (SPEC §7) for the pipeline's recurring jobs. Learns from the
// agg documents the sinks acknowledged, writes an advice document per refit (stream `advice`),
// and answers `spotd advise` and /api/v1/jobs.
#include "regression_advisor.hpp"

#include <spot/plugin.hpp>

namespace spot::advisors::regression {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("job_key",
           SPOT_OPT_STRING,
           "{app_specific_data.classification.app}",
           "Which runs are one job: a template over agg-document fields in braces, e.g. "
           "'{name}' or "
           "'{app_specific_data.enceladus.dataset}-{app_specific_data.enceladus.version}'."),
    option("job_rewrites",
           SPOT_OPT_LIST,
           "",
           "Regex rewrites of the job key, in order, each 'pattern=>replacement' (strip dates or "
           "run numbers: '_[0-9]{8}$=>')."),
    option("max_runs_per_job",
           SPOT_OPT_INT,
           "200",
           "Observations kept per job (the newest).",
           0,
           nullptr,
           "5",
           "100000"),
    option("min_runs",
           SPOT_OPT_INT,
           "5",
           "Runs a job needs for a model of its own; fewer borrow the cluster model's shape.",
           0,
           nullptr,
           "2",
           "1000"),
    option("half_life_runs",
           SPOT_OPT_DOUBLE,
           "4",
           "Weight of a run in the fit halves every this many runs back (newest weighs most).",
           0,
           nullptr,
           "0.5",
           "100000"),
    option("ridge",
           SPOT_OPT_DOUBLE,
           "0.1",
           "Ridge penalty on the standardised features.",
           0,
           nullptr,
           "0",
           "1000"),
    option("goal",
           SPOT_OPT_ENUM,
           "cost",
           "Goal of the advice documents: cost (fewest core-hours within slowdown_budget), time "
           "(fastest within cost_budget), deadline (cheapest within deadline).",
           0,
           "cost|time|deadline"),
    option("slowdown_budget",
           SPOT_OPT_DOUBLE,
           "0.1",
           "Goal cost: at most this much slower than the current configuration.",
           0,
           nullptr,
           "0",
           "10"),
    option("cost_budget",
           SPOT_OPT_DOUBLE,
           "1.5",
           "Goal time: at most this many times the current core-hours; 0: any.",
           0,
           nullptr,
           "0",
           "1000"),
    option("min_gain",
           SPOT_OPT_DOUBLE,
           "0.05",
           "A predicted gain under this share (core-hours for cost and deadline, time for time) "
           "keeps the current configuration: a change must be worth making.",
           0,
           nullptr,
           "0",
           "1"),
    option("deadline",
           SPOT_OPT_DURATION,
           "0s",
           "Goal deadline: the duration to meet.",
           0,
           nullptr,
           "0s",
           "30d"),
    option("min_history",
           SPOT_OPT_INT,
           "2",
           "Runs of a job before it gets advice; fewer: advice marked insufficient_history, "
           "with nothing predicted.",
           0,
           nullptr,
           "1",
           "1000"),
    option("min_executors",
           SPOT_OPT_INT,
           "1",
           "Fewest executors advised.",
           0,
           nullptr,
           "1",
           "100000"),
    option("max_executors",
           SPOT_OPT_INT,
           "100",
           "Most executors advised (the cluster's limit).",
           0,
           nullptr,
           "1",
           "100000"),
    option("max_cores",
           SPOT_OPT_INT,
           "5",
           "Most cores per executor advised.",
           0,
           nullptr,
           "1",
           "256"),
    option("min_memory",
           SPOT_OPT_SIZE,
           "512MiB",
           "Least executor memory advised.",
           0,
           nullptr,
           "64MiB",
           "1TiB"),
    option("max_memory",
           SPOT_OPT_SIZE,
           "64GiB",
           "Most executor memory advised.",
           0,
           nullptr,
           "64MiB",
           "4TiB"),
    option("explore_step",
           SPOT_OPT_DOUBLE,
           "2",
           "Advice stays within this factor of the smallest and largest executors, cores and "
           "partitions the job has run with.",
           0,
           nullptr,
           "1",
           "100"),
    option("seed_file",
           SPOT_OPT_PATH,
           "",
           "Agg documents as JSON lines (the file sink's agg.jsonl), read when nothing is stored "
           "yet, so a new advisor starts from the runs already crawled."),
    option("seed_url",
           SPOT_OPT_URL,
           "",
           "Elasticsearch/OpenSearch URL (credentials as user:password@) whose agg index is read "
           "when nothing is stored yet: a new or reset advisor starts from the runs the cluster "
           "already holds."),
    option("seed_index",
           SPOT_OPT_STRING,
           "spot_agg",
           "The agg index (or pattern) read from seed_url: the elasticsearch sink's agg_index."),
    option("advice_documents",
           SPOT_OPT_BOOL,
           "true",
           "Write an advice document (stream 'advice') each time a job's model is refitted."),
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& o) {
    AdvisorSettings s;
    s.key.key_template = o.str("job_key");
    for (const auto& rule : o.list("job_rewrites")) {
        const auto arrow = rule.find("=>");
        if (arrow == std::string::npos) {
            throw Exception(make_error(ErrorCode::Config, "job_rewrites: '" + rule +
                                                              "' is not 'pattern=>replacement'"));
        }
        try {
            s.key.rewrites.emplace_back(std::regex(rule.substr(0, arrow)), rule.substr(arrow + 2));
        } catch (const std::regex_error& e) {
            throw Exception(
                make_error(ErrorCode::Config, "job_rewrites: '" + rule + "': " + e.what()));
        }
    }
    s.max_runs_per_job = static_cast<std::size_t>(o.integer("max_runs_per_job"));
    s.model.min_runs = static_cast<std::size_t>(o.integer("min_runs"));
    s.model.half_life_runs = o.number("half_life_runs");
    s.model.ridge = o.number("ridge");
    s.defaults.goal = goal_of(o.str("goal")).value_or(Goal::Cost);
    s.defaults.slowdown_budget = o.number("slowdown_budget");
    s.defaults.cost_budget = o.number("cost_budget");
    s.defaults.min_gain = o.number("min_gain");
    s.defaults.deadline_ms = static_cast<double>(o.duration("deadline").count());
    if (s.defaults.goal == Goal::Deadline && s.defaults.deadline_ms <= 0) {
        throw Exception(make_error(ErrorCode::Config, "goal deadline needs deadline (e.g. 45m)"));
    }
    s.bounds.min_executors = static_cast<double>(o.integer("min_executors"));
    s.bounds.max_executors = static_cast<double>(o.integer("max_executors"));
    s.bounds.max_cores = static_cast<double>(o.integer("max_cores"));
    s.bounds.min_memory = static_cast<double>(o.integer("min_memory"));
    s.bounds.max_memory = static_cast<double>(o.integer("max_memory"));
    if (s.bounds.min_executors > s.bounds.max_executors ||
        s.bounds.min_memory > s.bounds.max_memory) {
        throw Exception(make_error(ErrorCode::Config, "min_executors/min_memory above their max"));
    }
    s.bounds.explore_step = o.number("explore_step");
    s.bounds.min_history = static_cast<std::size_t>(o.integer("min_history"));
    s.seed_file = o.str("seed_file");
    s.seed_url = o.str("seed_url");
    s.seed_index = o.str("seed_index");
    s.write_advice = o.flag("advice_documents");
    return std::make_unique<RegressionAdvisor>(ctx, std::move(s));
}

constexpr spot_factory kFactory{&create};
constexpr auto kDescriptor = make_descriptor("regression",
                                             SPOT_KIND_ADVISOR,
                                             "0.1.0",
                                             "Regression and Setter: learns each recurring job's "
                                             "time and cost, advises its next run.",
                                             kOptions,
                                             &kFactory);

}  // namespace

}  // namespace spot::advisors::regression

SPOT_PLUGIN(spot::advisors::regression::kDescriptor)
