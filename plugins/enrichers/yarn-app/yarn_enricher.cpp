#include "yarn_enricher.hpp"

#include <spot/time.hpp>

#include <boost/json.hpp>

namespace spot::enrichers::yarn {

json::object yarn_fields(const json::object& app) {
    json::object out;
    for (const char* key : {"id", "queue", "user", "applicationType", "applicationTags", "state",
                            "finalStatus", "diagnostics", "allocatedMB", "allocatedVCores",
                            "memorySeconds", "vcoreSeconds", "preemptedResourceMB",
                            "preemptedResourceVCores", "elapsedTime", "clusterId", "priority"}) {
        const auto* v = app.if_contains(key);
        // YARN reports -1 allocated once an application ended: no value, not a negative one.
        if (v != nullptr && !v->is_null() && !(v->is_number() && v->to_number<double>() < 0)) {
            out[key] = *v;
        }
    }
    for (const char* key : {"startedTime", "finishedTime"}) {
        if (const auto* v = app.if_contains(key);
            v != nullptr && v->is_number() && v->to_number<std::int64_t>() > 0) {
            out[key] = iso_utc(SysMillis(std::chrono::milliseconds(v->to_number<std::int64_t>())));
        }
    }
    return out;
}

YarnEnricher::YarnEnricher(const PluginContext& ctx, std::string url, http::ClientOptions client) {
    auto endpoint = ctx.http->endpoint(url, client, ctx.log);
    if (!endpoint) {
        throw Exception(endpoint.error());
    }
    rm_ = std::move(*endpoint);
    auto counter = [&](const char* outcome) {
        return &ctx.metrics->counter("spot_yarn_enriched_runs_total",
                                     "Runs the yarn enricher saw, by outcome.",
                                     {{"pipeline", ctx.pipeline}, {"outcome", outcome}});
    };
    enriched_ = counter("enriched");
    not_yarn_ = counter("not_yarn");
    unknown_ = counter("unknown_to_rm");
}

asio::awaitable<Result<void>> YarnEnricher::enrich_async(Run& run) {
    if (!run.app_id.starts_with("application_")) {
        not_yarn_->inc();  // a local or standalone run: nothing to ask
        co_return Result<void>{};
    }
    http::Request request;
    request.target = "/ws/v1/cluster/apps/" + run.app_id;
    request.label = "app";
    auto answer = co_await rm_->send(std::move(request));
    if (!answer) {
        co_return answer.error();
    }
    if (answer->status == 404) {
        unknown_->inc();  // aged out of the RM's memory: the run is stored as it is
        co_return Result<void>{};
    }
    const std::string where = rm_->describe("/ws/v1/cluster/apps/" + run.app_id);
    if (answer->status != 200) {
        co_return http::status_error(*answer, where);
    }
    boost::system::error_code ec;
    auto v = json::parse(answer->body, ec);
    const auto* app = !ec && v.is_object() ? v.get_object().if_contains("app") : nullptr;
    if (app == nullptr || !app->is_object()) {
        co_return make_error(ErrorCode::Json,
                             "not a YARN application: " + http::body_excerpt(answer->body), where);
    }
    auto& data = run.app["app_specific_data"];
    if (!data.is_object()) {
        data = json::object{};
    }
    data.get_object()["yarn"] = yarn_fields(app->get_object());
    enriched_->inc();
    co_return Result<void>{};
}

}  // namespace spot::enrichers::yarn
