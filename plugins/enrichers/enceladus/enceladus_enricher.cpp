#include "enceladus_enricher.hpp"

#include "json_path.hpp"
#include "naming.hpp"
#include "post_aggregation.hpp"
#include "run_matching.hpp"

namespace spot::enrichers::enceladus {

EnceladusEnricher::EnceladusEnricher(const PluginContext& ctx, EnceladusOptions options)
    : options_(std::move(options)), log_(ctx.log) {
    auto zone = TimeZone::parse(options_.time_zone);
    if (!zone) {
        throw Exception(zone.error());
    }
    zone_ = *zone;
    if (!options_.url.empty()) {
        if (ctx.http == nullptr) {
            throw Exception(
                make_error(ErrorCode::Internal, "no HTTP client in the plugin context"));
        }
        auto endpoint = ctx.http->endpoint(options_.url, options_.client, ctx.log);
        if (!endpoint) {
            throw Exception(endpoint.error());
        }
        menas_ = std::make_unique<MenasClient>(ctx.workers, std::move(*endpoint), options_.menas,
                                               ctx.log);
    }
    const Labels labels{{"pipeline", ctx.pipeline}};
    enriched_total_ = &ctx.metrics->counter("spot_enceladus_runs_total",
                                            "Enceladus runs recognised by name.", labels);
    unmatched_total_ =
        &ctx.metrics->counter("spot_enceladus_unmatched_total",
                              "Enceladus runs for which Menas holds no matching Run document.",
                              labels);
    menas_failed_total_ = &ctx.metrics->counter("spot_enceladus_menas_failed_total",
                                                "Enceladus runs stored without Menas data because "
                                                "Menas failed (an err document each).",
                                                labels);
}

std::optional<Error> EnceladusEnricher::paused() const {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() < paused_until_) {
        return make_error(ErrorCode::Connection,
                          "Menas failed " + std::to_string(failures_in_row_) +
                              " times in a row; not asked for " +
                              std::to_string(options_.pause.count() / 1000) + " s",
                          options_.url);
    }
    return std::nullopt;
}

void EnceladusEnricher::record_outcome(bool ok) {
    std::lock_guard lock(mutex_);
    failures_in_row_ = ok ? 0 : failures_in_row_ + 1;
    if (!ok && failures_in_row_ >= options_.pause_after_failures) {
        paused_until_ = std::chrono::steady_clock::now() + options_.pause;
    }
}

asio::awaitable<Result<void>> EnceladusEnricher::enrich_async(Run& run) {
    const auto* name = run.app.if_contains("name");
    const std::string text = name && name->is_string() ? std::string(name->get_string()) : "";
    auto classification = classify_name(text);
    if (!classification) {
        co_return Result<void>{};  // not an Enceladus run: the default classification stands
    }
    enriched_total_->inc();
    auto& data = run.app["app_specific_data"];
    if (!data.is_object()) {
        data = json::object{};
    }
    data.get_object()["tag"] = tag_of(*classification);
    data.get_object()["classification"] = *classification;
    if (!menas_) {
        co_return Result<void>{};
    }
    if (auto p = paused()) {
        menas_failed_total_->inc();
        co_return *p;
    }
    auto runs = co_await menas_->runs_by_app_id(run.app_id);
    record_outcome(runs.has_value());
    if (!runs) {
        menas_failed_total_->inc();
        // The run goes on to the aggregators without Enceladus data; the pipeline records this
        // as an err document (stage enrich:<id>).
        Error e = runs.error();
        e.message = "Menas: " + e.message;
        co_return e;
    }
    std::vector<std::string> rejected;
    auto matching = matching_runs(*runs, run.app_id, *classification, rejected);
    for (const auto& why : rejected) {
        log_->debug("app='{}' Menas run left out: {}", run.app_id, why);
    }
    if (matching.empty()) {
        unmatched_total_->inc();
        log_->warn("app='{}' name='{}': Menas holds {} run(s) for it, none matching", run.app_id,
                   text, runs->size());
        co_return Result<void>{};
    }
    auto& attempts = run.app["attempts"];
    if (!attempts.is_array()) {
        co_return Result<void>{};
    }
    const std::string type(classification->at("type").as_string());
    auto paired = pair_with_attempts(attempts.get_array(), std::move(matching), own_prefix(type));
    for (std::size_t i = 0; i < paired.size(); ++i) {
        if (!paired[i] || !attempts.get_array()[i].is_object()) {
            continue;
        }
        type_run(*paired[i], zone_);
        auto& a = attempts.get_array()[i].get_object();
        auto& asd = a["app_specific_data"];
        if (!asd.is_object()) {
            asd = json::object{};
        }
        asd.get_object()["enceladus_run"] = std::move(*paired[i]);
    }
    co_return Result<void>{};
}

Result<void> EnceladusEnricher::post_aggregate(const Run&, std::vector<Document>& docs) {
    for (auto& d : docs) {
        if (d.stream != "agg") {
            continue;
        }
        const auto* project = find_path(d.body, {"app_specific_data", "classification", "project"});
        if (project != nullptr && *project == "enceladus") {
            add_postprocessing(d.body, options_.hdfs_block_size);
        }
    }
    return {};
}

}  // namespace spot::enrichers::enceladus
