#include "eventlog_source.hpp"

#include <set>

#include <spot/all_of.hpp>

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
      selected_(options_.include, options_.exclude),
      log_(ctx.log),
      workers_(ctx.workers) {
    if (options_.history_host.empty()) {
        options_.history_host = host_name();
    }
    bytes_read_ =
        &ctx.metrics->counter("spot_eventlog_bytes_total", "Uncompressed event-log bytes parsed.",
                              {{"pipeline", ctx.pipeline}});
    duplicate_logs_ =
        &ctx.metrics->counter("spot_eventlog_duplicate_logs_total",
                              "Logs set aside because another log holds the same attempt.",
                              {{"pipeline", ctx.pipeline}});
}

asio::awaitable<Result<EventLogSource::Attempt>> EventLogSource::parse(EventLogSource* self,
                                                                       LogEntry entry) {
    auto parsed = read_log(*self->store_, entry, self->options_.max_line_size);
    if (!parsed) {
        co_return parsed.error();
    }
    self->bytes_read_->inc(static_cast<std::uint64_t>(parsed->bytes));
    auto& b = parsed->run;
    if (b.app_id().empty()) {
        co_return make_error(ErrorCode::Parse, "no SparkListenerApplicationStart event",
                             entry.name);
    }
    Attempt a{entry, b.app_id(), b.app_name(), b.attempt(entry.mtime_ms), b.take_tasks()};
    co_return a;
}

std::vector<LogEntry> EventLogSource::drop_duplicate_attempts(
    const std::string& app, std::vector<Attempt>& attempts) const {
    // Two logs claiming the same attempt of one application (a copy, a renamed file): one run,
    // from the newer log, and a warning naming both.
    std::vector<LogEntry> dropped;
    std::map<std::string, std::size_t> kept;  // attempt id -> index in attempts
    std::vector<Attempt> unique;
    for (auto& a : attempts) {
        const auto* id = a.attempt.if_contains("attemptId");
        const std::string key =
            id != nullptr && id->is_string() ? std::string(id->get_string()) : "";
        auto it = kept.find(key);
        if (it == kept.end()) {
            kept[key] = unique.size();
            unique.push_back(std::move(a));
            continue;
        }
        Attempt& other = unique[it->second];
        const bool newer = std::tie(a.entry.mtime_ms, a.entry.size) >
                           std::tie(other.entry.mtime_ms, other.entry.size);
        log_->warn("two logs claim application '{}' attempt '{}': '{}' and '{}'; '{}' is kept", app,
                   key, other.entry.name, a.entry.name, newer ? a.entry.name : other.entry.name);
        duplicate_logs_->inc();
        if (newer) {
            dropped.push_back(other.entry);
            other = std::move(a);
        } else {
            dropped.push_back(a.entry);
        }
    }
    attempts = std::move(unique);
    return dropped;
}

asio::awaitable<Result<LogIdentity>> EventLogSource::identify(EventLogSource* self,
                                                              LogEntry entry) {
    co_return identify_log(*self->store_, entry, self->options_.max_line_size);
}

Run EventLogSource::assemble(std::vector<Attempt> attempts) const {
    // Newest attempt first, as the History Server lists them.
    std::sort(attempts.begin(), attempts.end(), [](const Attempt& x, const Attempt& y) {
        return x.attempt.at("startTimeEpoch").as_int64() >
               y.attempt.at("startTimeEpoch").as_int64();
    });
    Run run;
    run.app_id = attempts.front().app_id;
    run.history_host = options_.history_host;
    json::array list, logs;
    for (auto& a : attempts) {
        logs.push_back(json::object{{"name", a.entry.name},
                                    {"size", a.entry.size},
                                    {"mtime_ms", a.entry.mtime_ms},
                                    {"app", a.app_id}});
        list.push_back(std::move(a.attempt));
        run.tasks.push_back(std::move(a.tasks));
    }
    run.app = json::object{{"id", run.app_id},
                           {"name", attempts.front().app_name},
                           {"attempts", std::move(list)}};
    run.checkpoint = json::object{{"logs", std::move(logs)}};
    return run;
}

asio::awaitable<Result<void>> EventLogSource::pass(RunQueue& queue) {
    auto listed = store_->list();
    if (!listed) {
        co_return listed.error();
    }
    forget_removed(*listed);
    // 1. Which application each new or changed log belongs to, from its first events (names
    //    cannot be trusted: YARN ids contain '_' too). Cheap: no log is parsed whole yet.
    struct AppLogs {
        std::map<std::string, LogEntry> by_attempt;  // one log per attempt id
        std::vector<LogEntry> dropped;               // copies of an attempt another log holds
    };
    std::map<std::string, AppLogs> by_app;
    std::size_t fresh = 0;
    for (const auto& e : *listed) {
        if (unchanged(e) || queue.stopping()) {
            continue;
        }
        ++fresh;
        auto id = co_await asio::co_spawn(workers_, identify(this, e), asio::use_awaitable);
        if (!id) {
            done_[e.name] = Seen{e.size, e.mtime_ms, ""};  // recorded; read again when it changes
            auto recorded = co_await queue.fail(id.error(), "", options_.history_host, "parse");
            if (!recorded) {
                co_return recorded.error();
            }
            continue;
        }
        auto& logs = by_app[id->app_id];
        auto [at, added] = logs.by_attempt.try_emplace(id->attempt_id, e);
        if (!added) {
            // Two logs of one attempt (a copy, a renamed file): the newer is read, the other
            // remembered with the run; never both parsed.
            LogEntry& kept = at->second;
            const bool newer = std::tie(e.mtime_ms, e.size) > std::tie(kept.mtime_ms, kept.size);
            log_->warn("two logs claim application '{}' attempt '{}': '{}' and '{}'; '{}' is kept",
                       id->app_id, id->attempt_id, kept.name, e.name, newer ? e.name : kept.name);
            duplicate_logs_->inc();
            logs.dropped.push_back(newer ? kept : e);
            if (newer) {
                kept = e;
            }
        }
        queue.progress();
    }
    // 2. `parse_concurrency` applications at a time (lanes taking every n-th application): its
    //    logs parsed whole, with its earlier unchanged attempts (so that the Run has all),
    //    assembled and submitted before the lane reads its next one. Memory holds one Run per
    //    lane and those in flight, whatever the number of logs in the directory.
    std::vector<const std::pair<const std::string, AppLogs>*> apps;
    for (const auto& entry : by_app) {
        apps.push_back(&entry);
    }
    // The unchanged logs processed before, by application: found once per pass, not by a walk
    // over every listed log for every application (quadratic over a large directory).
    std::map<std::string, std::vector<LogEntry>> earlier;
    for (const auto& e : *listed) {
        if (unchanged(e)) {
            if (const auto& app = done_.at(e.name).app; !app.empty() && by_app.contains(app)) {
                earlier[app].push_back(e);
            }
        }
    }
    static const std::vector<LogEntry> kNone;
    Tally tally;
    auto lane = [&](std::size_t first) -> asio::awaitable<Result<void>> {
        for (std::size_t i = first; i < apps.size() && !queue.stopping();
             i += options_.parse_concurrency) {
            const auto& [app, logs] = *apps[i];
            const auto it = earlier.find(app);
            auto taken = co_await take_app(queue, app, logs.by_attempt, logs.dropped,
                                           it != earlier.end() ? it->second : kNone, tally);
            if (!taken) {
                co_return taken.error();
            }
        }
        co_return Result<void>{};
    };
    std::vector<asio::awaitable<Result<void>>> lanes;
    for (std::size_t k = 0; k < std::min(options_.parse_concurrency, apps.size()); ++k) {
        lanes.push_back(lane(k));
    }
    const auto results = co_await all_of(std::move(lanes));
    for (const auto& r : results) {
        if (!r) {
            co_return r.error();
        }
    }
    log_->info("pass listed logs={} new={} runs={} in_progress={}", listed->size(), fresh,
               tally.submitted, tally.in_progress);
    co_return Result<void>{};
}

bool EventLogSource::unchanged(const LogEntry& e) const {
    auto it = done_.find(e.name);
    return it != done_.end() && it->second.size == e.size && it->second.mtime_ms == e.mtime_ms;
}

asio::awaitable<Result<void>> EventLogSource::take_app(
    RunQueue& queue,
    const std::string& app,
    const std::map<std::string, LogEntry>& by_attempt,
    const std::vector<LogEntry>& dropped_logs,
    const std::vector<LogEntry>& earlier,
    Tally& tally) {
    std::vector<Attempt> attempts;
    for (const auto& [attempt_id, e] : by_attempt) {
        auto a = co_await asio::co_spawn(workers_, parse(this, e), asio::use_awaitable);
        if (!a) {
            done_[e.name] = Seen{e.size, e.mtime_ms, ""};
            auto recorded = co_await queue.fail(a.error(), "", options_.history_host, "parse");
            if (!recorded) {
                co_return recorded.error();
            }
            continue;
        }
        attempts.push_back(std::move(*a));
    }
    for (const auto& e : earlier) {
        auto a = co_await asio::co_spawn(workers_, parse(this, e), asio::use_awaitable);
        if (a && a->app_id == app) {
            attempts.push_back(std::move(*a));
        }
    }
    if (attempts.empty()) {
        co_return Result<void>{};
    }
    auto dropped = drop_duplicate_attempts(app, attempts);  // an unchanged log of the same attempt
    dropped.insert(dropped.end(), dropped_logs.begin(), dropped_logs.end());
    const bool complete = std::all_of(attempts.begin(), attempts.end(), [](const Attempt& a) {
        return a.attempt.at("completed").as_bool();
    });
    if (!complete) {
        ++tally.in_progress;  // no application end yet: taken once it has one
        co_return Result<void>{};
    }
    Run run = assemble(std::move(attempts));
    for (const auto& e : dropped) {  // remembered with the run: not read again unchanged
        run.checkpoint.as_object()["logs"].as_array().push_back(
            json::object{{"name", e.name},
                         {"size", e.size},
                         {"mtime_ms", e.mtime_ms},
                         {"app", app}});
    }
    if (!selected_(std::string(run.app.at("name").as_string()))) {
        commit(run.checkpoint);
        co_return Result<void>{};
    }
    co_await queue.submit(std::move(run));
    ++tally.submitted;
    co_return Result<void>{};
}

void EventLogSource::forget_removed(const std::vector<LogEntry>& listed) {
    std::set<std::string_view> present;
    for (const auto& e : listed) {
        present.insert(e.name);
    }
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto before = done_.size();
    std::erase_if(done_, [&](const auto& kv) {
        return !present.contains(kv.first) &&
               kv.second.mtime_ms < now - options_.forget_after.count();
    });
    if (done_.size() != before) {
        log_->info("forgot logs gone from the directory count={} remembered={}",
                   before - done_.size(), done_.size());
    }
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
        if (o == nullptr || !o->contains("size") || !o->contains("mtime_ms") ||
            !o->at("size").is_int64() || !o->at("mtime_ms").is_int64()) {
            return make_error(ErrorCode::Parse, "bad state entry for '" + std::string(name) + "'");
        }
        done_[std::string(name)] =
            Seen{o->at("size").as_int64(), o->at("mtime_ms").as_int64(),
                 o->contains("app") ? std::string(o->at("app").as_string()) : std::string()};
    }
    return {};
}

}  // namespace spot::sources::eventlog
