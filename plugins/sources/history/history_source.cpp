#include "history_source.hpp"

#include <spot/time.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spot/http.hpp>

namespace spot::sources::history {

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// End time of an attempt in epoch ms: endTimeEpoch, or the endTime string of older servers.
std::optional<std::int64_t> attempt_end(const json::object& attempt) {
    if (const auto* e = attempt.if_contains("endTimeEpoch"); e != nullptr && e->is_int64()) {
        return e->as_int64();
    }
    if (const auto* e = attempt.if_contains("endTime"); e != nullptr && e->is_string()) {
        return parse_timestamp(e->as_string());
    }
    return std::nullopt;
}

}  // namespace

HistorySource::HistorySource(const PluginContext& ctx, HistoryOptions options)
    : options_(std::move(options)),
      log_(ctx.log),
      io_(ctx.io),
      selected_(options_.include, options_.exclude),
      fetches_(ctx.io, task_failures(ctx, "raw"), ctx.pipeline + "." + ctx.instance_id) {
    if (ctx.http == nullptr) {
        throw Exception(make_error(ErrorCode::Internal, "no HTTP client in the plugin context"));
    }
    auto endpoint = ctx.http->endpoint(options_.url, options_.client, ctx.log);
    if (!endpoint) {
        throw Exception(endpoint.error());
    }
    if (options_.history_host.empty()) {
        options_.history_host = (*endpoint)->url().host;
    }
    api_ = std::make_unique<HistoryApi>(std::move(*endpoint), options_.api, ctx.log);
    const Labels labels{{"pipeline", ctx.pipeline}};
    listed_total_ =
        &ctx.metrics->counter("spot_source_runs_listed_total",
                              "Completed runs the source listed (with repeats).", labels);
    skipped_total_ = &ctx.metrics->counter("spot_runs_skipped_total",
                                           "Runs left out by the name filter.", labels);
    fetch_failed_total_ =
        &ctx.metrics->counter("spot_source_fetch_failed_total",
                              "Runs whose details could not be fetched (an err document each).",
                              labels);
    held_back_ =
        &ctx.metrics
             ->gauge("spot_source_runs_held_back",
                     "Runs listed but not yet older than completion_timeout, in the last pass.",
                     labels);
    const char* details_help = "Runs whose details came from the downloaded log or the REST API.";
    via_logs_total_ = &ctx.metrics->counter("spot_history_details_total", details_help,
                                            {{"pipeline", ctx.pipeline}, {"via", "logs"}});
    via_rest_total_ = &ctx.metrics->counter("spot_history_details_total", details_help,
                                            {{"pipeline", ctx.pipeline}, {"via", "rest"}});
    fallback_total_ = &ctx.metrics->counter("spot_history_logs_fallback_total",
                                            "Runs (details: auto) whose log could not be had or "
                                            "read, taken through the REST API.",
                                            labels);
    if (options_.details != Details::Rest) {
        if (options_.logs.work_dir.empty()) {
            const auto base =
                ctx.state_dir.empty() ? std::filesystem::temp_directory_path() : ctx.state_dir;
            options_.logs.work_dir = base / "downloads" / ctx.pipeline;
        }
        logs_ = std::make_unique<
            LogDetails>(*api_, options_.logs, ctx.workers, ctx.log,
                        &ctx.metrics
                             ->counter("spot_history_log_bytes_total",
                                       "Uncompressed event-log bytes parsed from /logs downloads.",
                                       labels));
    }
}

std::vector<HistorySource::Window> HistorySource::windows(std::int64_t now) const {
    const std::int64_t hi = now - options_.completion_timeout.count();
    std::int64_t lo = std::max(now - options_.lookback.count(), options_.min_end_ms);
    std::vector<Window> out;
    if (options_.method == Method::Latest) {
        lo = std::max(lo, state_.watermark());
        if (lo < hi) {
            out.push_back({lo, hi});
        }
        return out;
    }
    for (std::int64_t t = lo; t < hi; t += options_.time_step.count()) {
        out.push_back({t, std::min(t + options_.time_step.count(), hi)});
    }
    return out;
}

asio::awaitable<Result<void>> HistorySource::learn_from_sinks(RunQueue& queue,
                                                              std::int64_t from_ms,
                                                              std::int64_t to_ms) {
    auto known = co_await queue.known_runs(from_ms, to_ms);
    if (!known) {
        // Not fatal: documents have ids, so processing a stored run again rewrites it.
        log_->warn(
            "state is empty and the sinks cannot tell which runs they hold ({}); "
            "processing the whole window",
            known.error().describe());
        co_return Result<void>{};
    }
    if (!known->has_value()) {
        log_->info(
            "state is empty and no sink can tell which runs it holds: processing the "
            "whole window");
        co_return Result<void>{};
    }
    for (const auto& k : **known) {
        state_.mark_done(k.app_id, k.end_ms);
    }
    log_->info("state is empty; the sinks already hold {} runs of the window, kept as processed",
               (*known)->size());
    co_return Result<void>{};
}

asio::awaitable<Result<void>> HistorySource::pass(RunQueue& queue) {
    const std::int64_t now = now_ms();
    const std::int64_t horizon = now - options_.completion_timeout.count();
    const std::int64_t start = std::max(now - options_.lookback.count(), options_.min_end_ms);
    failed_in_pass_ = 0;
    fatal_.reset();
    if (!asked_sinks_) {
        asked_sinks_ = true;
        if (state_.empty()) {
            if (auto learned = co_await learn_from_sinks(queue, start, now); !learned) {
                co_return learned.error();
            }
        }
    }
    state_.prune(options_.method == Method::All ? start : state_.watermark());
    const auto ws = windows(now);
    api_->set_stop_check([&queue] { return queue.stopping(); });  // reset before returning
    PassCounts total;
    const auto started = std::chrono::steady_clock::now();
    const std::uint64_t logs0 = via_logs_total_->value(), rest0 = via_rest_total_->value(),
                        fallback0 = fallback_total_->value();
    Result<void> listed;
    for (std::size_t i = 0; i < ws.size() && !queue.stopping() && !fatal_; ++i) {
        PassCounts step;
        const auto step_started = std::chrono::steady_clock::now();
        listed = co_await crawl(queue, ws[i], horizon, step);
        if (!listed) {
            break;
        }
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - step_started).count();
        const auto level = step.fresh > 0 ? spdlog::level::info : spdlog::level::debug;
        log_->log(level,
                  "step {}/{} [{} .. {}) listed={} matched={} new={} skipped={} "
                  "rate={:.1f} runs/s",
                  i + 1, ws.size(), iso_utc(SysMillis(std::chrono::milliseconds(ws[i].from_ms))),
                  iso_utc(SysMillis(std::chrono::milliseconds(ws[i].to_ms))), step.listed,
                  step.matched, step.fresh, step.skipped, secs > 0 ? step.fresh / secs : 0.0);
        total.listed += step.listed;
        total.matched += step.matched;
        total.fresh += step.fresh;
        total.held_back += step.held_back;
        total.skipped += step.skipped;
        queue.progress();
    }
    co_await fetches_.join();
    api_->set_stop_check(nullptr);
    held_back_->set(static_cast<double>(total.held_back));
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    log_->info(
        "pass {} windows={} listed={} matched={} new={} failed={} held_back={} "
        "details_logs={} details_rest={} logs_fallback={} seconds={:.2f} rate={:.1f} "
        "runs/s",
        options_.method == Method::All ? "all" : "latest", ws.size(), total.listed, total.matched,
        total.fresh, failed_in_pass_, total.held_back, via_logs_total_->value() - logs0,
        via_rest_total_->value() - rest0, fallback_total_->value() - fallback0, secs,
        secs > 0 ? total.fresh / secs : 0.0);
    if (!listed) {
        co_return listed.error();
    }
    if (fatal_) {
        co_return *fatal_;
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> HistorySource::crawl(RunQueue& queue,
                                                   Window w,
                                                   std::int64_t horizon,
                                                   PassCounts& counts) {
    auto listed = co_await api_->list(w.from_ms, w.to_ms);
    if (!listed) {
        co_return listed.error();
    }
    std::vector<Listed> fresh_runs;
    for (auto& v : *listed) {
        auto* app = v.if_object();
        const auto* id = app != nullptr ? app->if_contains("id") : nullptr;
        const auto* attempts = app != nullptr ? app->if_contains("attempts") : nullptr;
        if (id == nullptr || !id->is_string() || attempts == nullptr || !attempts->is_array()) {
            co_return make_error(ErrorCode::Json, "listed application without id or attempts",
                                 "applications");
        }
        std::int64_t end = -1;
        for (const auto& a : attempts->as_array()) {
            const auto e = a.is_object() ? attempt_end(a.as_object()) : std::nullopt;
            end = std::max(end, e.value_or(-1));
        }
        ++counts.listed;
        listed_total_->inc();
        // A run belongs to the window holding the end of its newest attempt (the server lists
        // it in every window that holds the end of any attempt).
        if (end < w.from_ms || end >= w.to_ms) {
            counts.held_back += end >= horizon ? 1 : 0;
            continue;
        }
        const auto* name = app->if_contains("name");
        if (!selected_(name != nullptr && name->is_string() ? std::string(name->as_string())
                                                            : std::string())) {
            ++counts.skipped;
            skipped_total_->inc();
            continue;
        }
        ++counts.matched;
        const std::string app_id(id->as_string());
        if (!state_.is_new(app_id, end)) {
            continue;
        }
        ++counts.fresh;
        fresh_runs.push_back(Listed{std::move(*app), app_id, end});
    }
    std::stable_sort(fresh_runs.begin(), fresh_runs.end(),
                     [](const Listed& a, const Listed& b) { return a.end_ms < b.end_ms; });
    for (auto& run : fresh_runs) {
        co_await fetches_.wait_below(options_.concurrency);
        if (queue.stopping() || fatal_) {
            break;
        }
        state_.mark_pending(run.end_ms);
        const std::string what = "fetching run " + run.id;
        fetches_.spawn(fetch_and_submit(queue, std::move(run)), what);
    }
    co_return Result<void>{};
}

asio::awaitable<Result<json::object>> HistorySource::details(const json::object& app,
                                                             json::object& via,
                                                             std::vector<AttemptTasks>& tasks) {
    if (logs_ && !(options_.details == Details::Auto && logs_unsupported_)) {
        auto from_log = co_await logs_->details(app, options_.details == Details::Logs, tasks);
        if (from_log || options_.details == Details::Logs) {
            if (from_log) {
                via_logs_total_->inc();
                via["details_source"] = "logs";
            }
            co_return from_log;
        }
        const Error& why = from_log.error();
        tasks.clear();  // the REST details have no task timings
        fallback_total_->inc();
        via["details_fallback"] = why.describe();
        if (why.code == ErrorCode::Http && why.http_status == 404) {
            logs_unsupported_ = true;
            log_->warn(
                "the History Server answers 404 on /logs ({}): details through the REST "
                "API from now on (until restart)",
                why.describe());
        } else {
            log_->warn("log of app='{}' not usable, details through the REST API: {}",
                       std::string(app.at("id").as_string()), why.describe());
        }
    }
    auto from_rest = co_await api_->details(app);
    if (from_rest) {
        via_rest_total_->inc();
        via["details_source"] = "rest";
    }
    co_return from_rest;
}

asio::awaitable<void> HistorySource::fetch_and_submit(RunQueue& queue, Listed listed) {
    json::object via;
    std::vector<AttemptTasks> tasks;
    auto details = co_await this->details(listed.app, via, tasks);
    if (details) {
        Run run;
        run.tasks = std::move(tasks);
        run.app_id = listed.id;
        run.history_host = options_.history_host;
        run.app = std::move(*details);
        run.checkpoint = json::object{{"id", listed.id}, {"end_ms", listed.end_ms}};
        run.spot_fields = std::move(via);
        co_await queue.submit(std::move(run));
    } else if (queue.stopping()) {
        // Cut short by shutdown: neither recorded nor marked, so the next start asks again.
        log_->info("run not fetched before shutdown; taken again at the next start app='{}'",
                   listed.id);
    } else {
        ++failed_in_pass_;
        fetch_failed_total_->inc();
        // Recorded as an err document: not asked again until it ends anew (a new attempt).
        // Marked first, so the state the pipeline saves with the err document includes it.
        state_.commit(listed.id, listed.end_ms);
        auto recorded = co_await queue.fail(details.error(), listed.id, options_.history_host,
                                            options_.details == Details::Logs ? "logs" : "raw");
        if (!recorded && !fatal_) {
            fatal_ = recorded.error();
        }
    }
}

asio::awaitable<Result<void>> HistorySource::start() {
    co_return logs_ ? logs_->prepare() : Result<void>{};
}

asio::awaitable<void> HistorySource::stop() { co_await fetches_.join(); }

void HistorySource::commit(const json::value& checkpoint) {
    const auto& o = checkpoint.as_object();
    state_.commit(std::string(o.at("id").as_string()), o.at("end_ms").as_int64());
}

json::value HistorySource::save_state() const { return state_.to_json(); }

Result<void> HistorySource::load_state(const json::value& state) { return state_.load(state); }

}  // namespace spot::sources::history
