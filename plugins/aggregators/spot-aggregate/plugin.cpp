// spot-aggregate: per attempt, the aggregated document of SPEC §4.3 (statistics over executors
// and stages, custom metrics, summary); optionally the raw document of SPEC §4.1.
#include "documents.hpp"

#include <spot/plugin.hpp>
#include <spot/time.hpp>

namespace spot::aggregators::aggregate {

namespace {

class SpotAggregate final : public Aggregator {
   public:
    SpotAggregate(const PluginContext& ctx, Settings settings)
        : settings_(settings), log_(ctx.log) {}

    Result<std::vector<Document>> aggregate(const Run& run) override {
        const auto* attempts = run.app.if_contains("attempts");
        if (attempts == nullptr || !attempts->is_array()) {
            return make_error(ErrorCode::Parse, "run has no 'attempts' array", run.app_id);
        }
        for (const auto& a : attempts->get_array()) {
            if (!a.is_object()) {
                return make_error(ErrorCode::Parse, "an attempt is not an object", run.app_id);
            }
        }
        const std::string now = iso_utc_now();
        std::vector<Document> docs;
        if (settings_.raw) {
            docs.push_back(raw_document(run, now));
        }
        std::vector<std::string> untimed;
        for (std::size_t i = 0; i < attempts->get_array().size(); ++i) {
            docs.push_back(agg_document(run, i, settings_, now, untimed));
        }
        if (!untimed.empty()) {
            // One line per run, not per stage: skipped stages are common in large runs.
            log_->warn(
                "stages without first-task or completion time count as 0 s and have no "
                "throughput app='{}' stages={} first='{}'",
                run.app_id, untimed.size(), untimed.front());
        }
        return docs;
    }

   private:
    Settings settings_;
    std::shared_ptr<spdlog::logger> log_;
};

constexpr spot_option_decl kOptions[] = {
    option("raw",
           SPOT_OPT_BOOL,
           "false",
           "Also emit the raw document (stream 'raw', id = application id): the whole run, "
           "normalised. Off by default: it is large."),
    option("block_size",
           SPOT_OPT_SIZE,
           "128MiB",
           "Storage block size for stages_max_input_blocks and executors_total_input_blocks.",
           0,
           nullptr,
           "1MiB",
           "16GiB"),
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    Settings s;
    s.raw = options.flag("raw");
    s.block_size = static_cast<double>(options.integer("block_size"));
    return std::make_unique<SpotAggregate>(ctx, s);
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("spot-aggregate",
                    SPOT_KIND_AGGREGATOR,
                    "1.0.0",
                    "Per attempt: statistics over executors and stages, custom metrics and the run "
                    "summary.",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::aggregators::aggregate

SPOT_PLUGIN(spot::aggregators::aggregate::kDescriptor)
