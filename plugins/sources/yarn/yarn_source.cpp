#include "yarn_source.hpp"

#include "rm_documents.hpp"

#include <spot/time.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace spot::sources::yarn {

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The object at `key` of an answer, or an error naming what was expected.
Result<json::object> object_at(const json::value& answer,
                               std::string_view key,
                               const std::string& where) {
    const auto* o = answer.is_object() ? answer.get_object().if_contains(key) : nullptr;
    if (o == nullptr || !o->is_object()) {
        return make_error(ErrorCode::Json, "answer without a '" + std::string(key) + "' object",
                          where);
    }
    return o->get_object();
}

}  // namespace

YarnSource::YarnSource(const PluginContext& ctx, YarnOptions options)
    : log_(ctx.log), options_(std::move(options)) {
    auto endpoint = ctx.http->endpoint(options_.url, options_.client, ctx.log);
    if (!endpoint) {
        throw Exception(endpoint.error());
    }
    rm_ = std::move(*endpoint);
    if (options_.yarn_host.empty()) {
        options_.yarn_host = rm_->url().host;
    }
    apps_total_ =
        &ctx.metrics->counter("spot_yarn_apps_total", "YARN applications handed to the pipeline.",
                              {{"pipeline", ctx.pipeline}});
}

asio::awaitable<Result<void>> YarnSource::pass(RunQueue& queue) {
    const std::string now = iso_utc_now();
    if (auto listed = co_await list_apps(queue, now); !listed) {
        co_return listed;
    }
    if (options_.snapshot && !queue.stopping()) {
        co_return co_await take_snapshot(queue, now);
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> YarnSource::list_apps(RunQueue& queue, const std::string& now) {
    const std::int64_t from = newest_ms_ == 0 ? now_ms() - options_.lookback.count()
                                              : newest_ms_ - options_.overlap.count();
    const std::string target =
        "/ws/v1/cluster/apps?states=" + options_.states +
        "&finishedTimeBegin=" + std::to_string(std::max<std::int64_t>(0, from));
    auto answer = co_await rm_->get_json(target, "apps");
    if (!answer) {
        co_return co_await queue.fail(answer.error(), "", options_.yarn_host, "source");
    }
    // {"apps": null} when there is none; {"apps": {"app": [...]}} otherwise.
    struct Listed {
        std::int64_t finished;
        std::string id;
        const json::object* app;
    };
    std::vector<Listed> fresh;
    const auto* apps = answer->is_object() ? answer->get_object().if_contains("apps") : nullptr;
    if (apps == nullptr || !(apps->is_null() || apps->is_object())) {
        co_return co_await queue.fail(make_error(ErrorCode::Json, "answer without 'apps'",
                                                 rm_->describe(target)),
                                      "", options_.yarn_host, "source");
    }
    const auto* list = apps->is_object() ? apps->get_object().if_contains("app") : nullptr;
    if (list != nullptr && list->is_array()) {
        for (const auto& a : list->get_array()) {
            const auto* app = a.is_object() ? &a.get_object() : nullptr;
            const auto* id = app != nullptr ? app->if_contains("id") : nullptr;
            const auto* finished = app != nullptr ? app->if_contains("finishedTime") : nullptr;
            if (id == nullptr || !id->is_string() || finished == nullptr ||
                !finished->is_number()) {
                continue;  // not an application entry
            }
            const std::string app_id(id->get_string());
            if (!stored_.contains(app_id)) {
                fresh.push_back({finished->to_number<std::int64_t>(), app_id, app});
            }
        }
    }
    std::sort(fresh.begin(), fresh.end(), [](const Listed& a, const Listed& b) {
        return std::tie(a.finished, a.id) < std::tie(b.finished, b.id);
    });
    log_->info("pass listed applications={} new={}",
               list != nullptr && list->is_array() ? list->get_array().size() : 0, fresh.size());
    for (const auto& l : fresh) {
        if (queue.stopping()) {
            break;
        }
        Run run;
        run.app_id = l.id;
        run.history_host = options_.yarn_host;
        run.app =
            json::object{{"id", l.id},
                         {"name", l.app->contains("name") ? l.app->at("name") : json::value("")}};
        run.checkpoint = json::object{{"id", l.id}, {"finished_ms", l.finished}};
        run.extra_docs.push_back(
            Document{"yarn_apps", l.id, app_document(*l.app, Snapshot{options_.yarn_host, now})});
        apps_total_->inc();
        co_await queue.submit(std::move(run));
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> YarnSource::take_snapshot(RunQueue& queue, const std::string& now) {
    const Snapshot at{options_.yarn_host, now};
    auto fail = [&](Error e) { return queue.fail(std::move(e), "", options_.yarn_host, "source"); };
    auto metrics = co_await rm_->get_json("/ws/v1/cluster/metrics", "metrics");
    if (!metrics) {
        co_return co_await fail(metrics.error());
    }
    auto cluster_metrics =
        object_at(*metrics, "clusterMetrics", rm_->describe("/ws/v1/cluster/metrics"));
    if (!cluster_metrics) {
        co_return co_await fail(cluster_metrics.error());
    }
    std::vector<std::pair<std::string, json::object>> stats;
    for (const auto& type : options_.app_types) {
        const std::string target = "/ws/v1/cluster/appstatistics" +
                                   (type == "all" ? std::string() : "?applicationTypes=" + type);
        auto answer = co_await rm_->get_json(target, "appstatistics");
        if (!answer) {
            co_return co_await fail(answer.error());
        }
        auto info = object_at(*answer, "appStatInfo", rm_->describe(target));
        if (!info) {
            co_return co_await fail(info.error());
        }
        stats.emplace_back(type, std::move(*info));
    }
    auto scheduler = co_await rm_->get_json("/ws/v1/cluster/scheduler", "scheduler");
    if (!scheduler) {
        co_return co_await fail(scheduler.error());
    }
    auto outer = object_at(*scheduler, "scheduler", rm_->describe("/ws/v1/cluster/scheduler"));
    auto info = outer ? object_at(json::value(*outer), "schedulerInfo",
                                  rm_->describe("/ws/v1/cluster/scheduler"))
                      : Result<json::object>(outer.error());
    if (!info) {
        co_return co_await fail(info.error());
    }
    Run run;
    run.app_id = "yarn-cluster@" + now;
    run.history_host = options_.yarn_host;
    run.app = json::object{{"id", run.app_id}, {"name", "yarn-cluster"}};
    run.extra_docs.push_back(Document{"yarn_cluster", options_.yarn_host + "@" + now,
                                      cluster_document(*cluster_metrics, stats, &*info, at)});
    for (auto& d : scheduler_documents(*info, at)) {
        run.extra_docs.push_back(std::move(d));
    }
    co_await queue.submit(std::move(run));
    co_return Result<void>{};
}

void YarnSource::commit(const json::value& checkpoint) {
    if (!checkpoint.is_object() || !checkpoint.get_object().contains("id")) {
        return;  // a snapshot: nothing to remember
    }
    const auto& c = checkpoint.get_object();
    const auto finished = c.at("finished_ms").to_number<std::int64_t>();
    stored_[std::string(c.at("id").as_string())] = finished;
    newest_ms_ = std::max(newest_ms_, finished);
    // Only what the next listing can return again is worth remembering.
    std::erase_if(stored_, [&](const auto& kv) {
        return kv.second < newest_ms_ - options_.overlap.count();
    });
}

json::value YarnSource::save_state() const {
    json::array stored;
    for (const auto& [id, finished] : stored_) {
        stored.push_back(json::object{{"id", id}, {"finished_ms", finished}});
    }
    return json::object{{"newest_finished_ms", newest_ms_}, {"stored", std::move(stored)}};
}

Result<void> YarnSource::load_state(const json::value& state) {
    if (state.is_null()) {
        return {};
    }
    try {
        const auto& s = state.as_object();
        newest_ms_ = s.at("newest_finished_ms").to_number<std::int64_t>();
        stored_.clear();
        for (const auto& e : s.at("stored").as_array()) {
            stored_[std::string(e.at("id").as_string())] =
                e.at("finished_ms").to_number<std::int64_t>();
        }
    } catch (const std::exception& e) {
        return make_error(ErrorCode::Json,
                          std::string("yarn state of an unexpected shape: ") + e.what(), "");
    }
    return {};
}

}  // namespace spot::sources::yarn
