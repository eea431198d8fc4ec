#include "eventlog_source.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <unistd.h>

namespace spot::sources::eventlog {

namespace {

std::string host_name() {
    char buf[256] = {};
    return ::gethostname(buf, sizeof(buf) - 1) == 0 ? std::string(buf) : std::string("localhost");
}

}  // namespace

EventLogSource::EventLogSource(const PluginContext& ctx, EventLogOptions options)
    : options_(std::move(options)),
      store_(local_directory(options_.dir)),
      include_(options_.include),
      exclude_(options_.exclude.empty() ? "$^" : options_.exclude),
      log_(ctx.log),
      workers_(ctx.workers) {
    if (options_.history_host.empty()) {
        options_.history_host = host_name();
    }
    bytes_read_ = &ctx.metrics->counter("spot_eventlog_bytes_total",
                                        "Uncompressed event-log bytes parsed.",
                                        {{"pipeline", ctx.pipeline}});
}

bool EventLogSource::selected(const std::string& name) const {
    return std::regex_search(name, include_) &&
           (options_.exclude.empty() || !std::regex_search(name, exclude_));
}

asio::awaitable<Result<Run>> EventLogSource::build(EventLogSource* self,
                                                   std::vector<LogEntry> entries) {
    Run run;
    json::array attempts;
    json::array logs;
    for (const auto& entry : entries) {
        auto parsed = read_log(*self->store_, entry, self->options_.max_line_size);
        if (!parsed) {
            co_return parsed.error();
        }
        self->bytes_read_->inc(static_cast<std::uint64_t>(parsed->bytes));
        const auto& b = parsed->run;
        if (b.app_id().empty()) {
            co_return make_error(ErrorCode::Parse, "no SparkListenerApplicationStart event",
                                 entry.name);
        }
        if (!run.app_id.empty() && run.app_id != b.app_id()) {
            co_return make_error(ErrorCode::Parse,
                                 "attempt logs of different applications grouped together",
                                 entry.name);
        }
        run.app_id = b.app_id();
        run.app["name"] = b.app_name();
        attempts.push_back(b.attempt(entry.mtime_ms));
        logs.push_back(json::object{{"name", entry.name},
                                    {"size", entry.size},
                                    {"mtime_ms", entry.mtime_ms},
                                    {"app", b.app_id()}});
    }
    // Newest attempt first, as the History Server lists them.
    std::sort(attempts.begin(), attempts.end(), [](const json::value& a, const json::value& b) {
        return a.at("startTimeEpoch").as_int64() > b.at("startTimeEpoch").as_int64();
    });
    run.app = json::object{{"id", run.app_id}, {"name", run.app.at("name")},
                           {"attempts", std::move(attempts)}};
    run.history_host = self->options_.history_host;
    run.checkpoint = json::object{{"logs", std::move(logs)}};
    co_return run;
}

asio::awaitable<Result<void>> EventLogSource::pass(RunQueue& queue) {
    auto listed = store_->list();
    if (!listed) {
        co_return listed.error();
    }
    // Which applications have a new or changed log; every attempt of those is read again so
    // that the Run carries all of them.
    std::map<std::string, std::vector<LogEntry>> by_app;  // app id (or log name) -> entries
    std::size_t fresh = 0;
    for (auto& e : *listed) {
        auto it = done_.find(e.name);
        if (it != done_.end() && it->second.size == e.size && it->second.mtime_ms == e.mtime_ms) {
            continue;
        }
        ++fresh;
        // Spark names attempt logs <appId>_<attemptId>: group new logs by name stem; logs already
        // processed join through the application id recorded in the state.
        std::string key = e.name;
        for (const auto& [name, seen] : done_) {
            if (!seen.app.empty() && e.name.starts_with(seen.app)) {
                key = seen.app;
            }
        }
        by_app[key].push_back(std::move(e));
    }
    for (auto& [key, entries] : by_app) {
        for (const auto& [name, seen] : done_) {
            if (seen.app == key &&
                std::none_of(entries.begin(), entries.end(),
                             [&](const LogEntry& x) { return x.name == name; })) {
                for (const auto& l : *listed) {
                    if (l.name == name) {
                        entries.push_back(l);
                    }
                }
            }
        }
    }
    std::size_t submitted = 0, in_progress = 0;
    for (auto& [key, entries] : by_app) {
        if (queue.stopping()) {
            break;
        }
        auto run = co_await asio::co_spawn(workers_, build(this, entries), asio::use_awaitable);
        if (!run) {
            auto recorded = co_await queue.fail(run.error(), "", "parse");
            if (!recorded) {
                co_return recorded.error();
            }
            for (const auto& e : entries) {  // recorded: not read again until it changes
                done_[e.name] = Seen{e.size, e.mtime_ms, ""};
            }
            continue;
        }
        bool complete = true;
        for (const auto& a : run->app.at("attempts").as_array()) {
            complete = complete && a.at("completed").as_bool();
        }
        if (!complete) {
            ++in_progress;  // no application end yet: taken when it has one
            continue;
        }
        if (!selected(std::string(run->app.at("name").as_string()))) {
            commit(run->checkpoint);
            continue;
        }
        co_await queue.submit(std::move(*run));
        ++submitted;
    }
    log_->info("pass listed logs={} new={} runs={} in_progress={}", listed->size(), fresh,
               submitted, in_progress);
    co_return Result<void>{};
}

void EventLogSource::commit(const json::value& checkpoint) {
    for (const auto& l : checkpoint.at("logs").as_array()) {
        const auto& o = l.as_object();
        done_[std::string(o.at("name").as_string())] =
            Seen{o.at("size").as_int64(), o.at("mtime_ms").as_int64(),
                 std::string(o.at("app").as_string())};
    }
}

json::value EventLogSource::save_state() const {
    json::object logs;
    for (const auto& [name, s] : done_) {
        logs[name] = json::object{{"size", s.size}, {"mtime_ms", s.mtime_ms}, {"app", s.app}};
    }
    return json::object{{"logs", std::move(logs)}};
}

Result<void> EventLogSource::load_state(const json::value& state) {
    const auto* logs = state.is_object() ? state.as_object().if_contains("logs") : nullptr;
    if (logs == nullptr || !logs->is_object()) {
        return make_error(ErrorCode::Parse, "state has no 'logs' object");
    }
    for (const auto& [name, v] : logs->as_object()) {
        const auto* o = v.if_object();
        if (o == nullptr || !o->contains("size") || !o->contains("mtime_ms")) {
            return make_error(ErrorCode::Parse, "bad state entry for '" + std::string(name) + "'");
        }
        done_[std::string(name)] =
            Seen{o->at("size").to_number<std::int64_t>(), o->at("mtime_ms").to_number<std::int64_t>(),
                 o->contains("app") ? std::string(o->at("app").as_string()) : std::string()};
    }
    return {};
}

}  // namespace spot::sources::eventlog
