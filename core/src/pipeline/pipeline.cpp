#include "pipeline/pipeline.hpp"

#include <spot/documents.hpp>
#include <spot/logging.hpp>
#include <spot/time.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value_to.hpp>
#include <cmath>

namespace spot::core {

namespace {

template <class T>
std::unique_ptr<T> downcast(std::unique_ptr<Plugin> p) {
    // The kind was checked against the descriptor; static_cast avoids RTTI across libraries.
    return std::unique_ptr<T>(static_cast<T*>(p.release()));
}

std::int64_t steady_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

struct Pipeline::Processed {
    std::vector<Document> docs;
    std::vector<Error> failures;
};

Pipeline::Pipeline(PipelineConfig config, const Services& services)
    : config_(std::move(config)),
      services_(services),
      strand_(asio::make_strand(services.io)),
      log_(logging::get(config_.name + ".pipeline")),
      normalizer_(config_.properties, logging::get(config_.name + ".normalize")),
      wake_(strand_, asio::steady_timer::time_point::max()),
      sleep_(strand_) {
    const Labels labels{{"pipeline", config_.name}};
    auto& m = *services_.metrics;
    runs_processed_ = &m.counter("spot_runs_processed_total",
                                 "Runs acknowledged by every sink and checkpointed.", labels);
    runs_failed_ = &m.counter("spot_runs_failed_total",
                              "Runs that a sink did not acknowledge; retried next pass.", labels);
    err_documents_ = &m.counter("spot_err_documents_total", "Err documents produced.", labels);
    plugin_failures_ =
        &m.counter("spot_plugin_failures_total",
                   "Failures of plugins' background work (an err document each).", labels);
    last_progress_ns_ = steady_now_ns();
    in_flight_gauge_ = &m.gauge("spot_runs_in_flight", "Runs being processed now.", labels);
    last_pass_time_ = &m.gauge("spot_last_pass_timestamp_seconds",
                               "Unix time at which the last pass ended.", labels);
    last_good_pass_time_ = &m.gauge("spot_last_successful_pass_timestamp_seconds",
                                    "Unix time at which the last pass that listed its source "
                                    "without error ended.",
                                    labels);
    last_pass_seconds_ =
        &m.gauge("spot_last_pass_duration_seconds", "How long the last pass took.", labels);
}

Result<std::shared_ptr<Pipeline>> Pipeline::create(const PipelineConfig& config,
                                                   const Services& services) {
    std::shared_ptr<Pipeline> p(new Pipeline(config, services));
    auto make = [&](const InstanceConfig& inst) -> Result<std::unique_ptr<Plugin>> {
        const std::string context = config.name + "." + inst.id;
        PluginContext ctx{config.name,
                          inst.id,
                          logging::get(context),
                          p->strand_,
                          services.workers,
                          services.metrics,
                          services.http,
                          services.state != nullptr ? services.state->dir()
                                                    : std::filesystem::path(),
                          [weak = std::weak_ptr<Pipeline>(p)](Error e, std::string stage) {
                              if (auto self = weak.lock()) {
                                  self->report_failure(std::move(e), std::move(stage));
                              }
                          }};
        if (!inst.log_level.empty()) {
            ctx.log->set_level(spdlog::level::from_str(inst.log_level));
        }
        try {
            auto obj = inst.loaded->descriptor->factory->create(ctx, inst.options);
            if (!obj || obj->kind() != inst.loaded->descriptor->kind) {
                return make_error(ErrorCode::Plugin, "factory returned no object of its kind",
                                  context);
            }
            return obj;
        } catch (const std::exception& e) {
            // An option the plugin's own checks refuse: named by its place in the config file.
            return error_from_exception(e, inst.location.empty() ? context : inst.location);
        }
    };
    auto source = make(config.source);
    if (!source) {
        return source.error();
    }
    p->source_ = downcast<Source>(std::move(*source));
    for (const auto& inst : config.enrichers) {
        auto e = make(inst);
        if (!e) {
            return e.error();
        }
        p->enrichers_.push_back(downcast<Enricher>(std::move(*e)));
        p->enricher_ids_.push_back(inst.id);
    }
    for (const auto& inst : config.aggregators) {
        auto a = make(inst);
        if (!a) {
            return a.error();
        }
        p->aggregators_.push_back(downcast<Aggregator>(std::move(*a)));
    }
    for (const auto& inst : config.sinks) {
        auto s = make(inst);
        if (!s) {
            return s.error();
        }
        p->sinks_.push_back(downcast<Sink>(std::move(*s)));
        p->sink_ids_.push_back(inst.id);
    }
    for (const auto& inst : config.advisors) {
        auto a = make(inst);
        if (!a) {
            return a.error();
        }
        p->advisors_.push_back(downcast<Advisor>(std::move(*a)));
        p->advisor_ids_.push_back(inst.id);
    }
    return p;
}

Result<void> Pipeline::check(const PipelineConfig& config, const Services& services) {
    auto p = create(config, services);
    if (!p) {
        return p.error();
    }
    return {};
}

asio::awaitable<Result<void>> Pipeline::run(std::shared_ptr<Pipeline> self, bool once) {
    self->in_pass_ = true;  // a start that hangs counts as a stall too
    self->progress();
    auto state = self->services_.state->load(self->name());
    if (!state) {
        self->phase_ = "failed";
        co_return state.error();
    }
    if (!state->is_null()) {
        if (auto loaded = self->source_->load_state(*state); !loaded) {
            self->phase_ = "failed";
            co_return loaded.error();
        }
    }
    // The runs acknowledged since the state was last written, replayed over it, then folded in.
    auto journal = self->services_.state->load_journal(self->name());
    if (!journal) {
        self->phase_ = "failed";
        co_return journal.error();
    }
    for (const auto& checkpoint : *journal) {
        try {
            self->source_->commit(checkpoint);
        } catch (const std::exception& e) {
            self->log_->warn("journal entry not replayed (its run is taken again) error={}",
                             e.what());
        }
    }
    if (!journal->empty()) {
        self->save_state();
    }
    Result<void> result = co_await self->start_plugins();
    self->in_pass_ = false;
    while (result && !self->stopping_) {
        auto pass = co_await self->run_pass();
        self->save_state();  // the pass' journal folded into the state file
        if (!pass) {
            result = pass.error();
            break;
        }
        if (once || self->stopping_) {
            break;
        }
        self->phase_ = "sleeping";
        self->sleep_.expires_after(self->config_.poll_interval);
        co_await self->sleep_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_await self->stop_plugins();
    self->phase_ = result ? "stopped" : "failed";
    co_return result;
}

std::vector<Plugin*> Pipeline::plugins_in_order() const {
    std::vector<Plugin*> all{source_.get()};
    for (const auto& e : enrichers_) {
        all.push_back(e.get());
    }
    for (const auto& a : aggregators_) {
        all.push_back(a.get());
    }
    for (const auto& k : sinks_) {
        all.push_back(k.get());
    }
    for (const auto& a : advisors_) {
        all.push_back(a.get());  // started last, stopped first: the sinks outlive them
    }
    return all;
}

asio::awaitable<Result<void>> Pipeline::start_plugins() {
    phase_ = "starting";
    for (auto* plugin : plugins_in_order()) {
        Result<void> started;
        try {
            started = co_await plugin->start();
        } catch (const std::exception& e) {
            started = error_from_exception(e, name());
        }
        if (!started) {
            log_->error("a plugin could not start error={}", started.error().describe());
            co_return started.error();
        }
        ++started_plugins_;
        progress();
    }
    co_return Result<void>{};
}

asio::awaitable<void> Pipeline::stop_plugins() {
    phase_ = "stopping";
    // Sources, enrichers and aggregators first; then what they reported goes to the sinks,
    // which stop last.
    const auto all = plugins_in_order();
    const std::size_t first_sink = all.size() - sinks_.size();
    for (std::size_t i = 0; i < started_plugins_; ++i) {
        if (i == first_sink) {
            co_await write_reported_failures();
        }
        try {
            co_await all[i]->stop();
        } catch (const std::exception& e) {
            log_->error("a plugin failed to stop error={}",
                        error_from_exception(e, name()).describe());
        }
    }
    started_plugins_ = 0;
}

void Pipeline::report_failure(Error error, std::string stage) {
    log_->error("{} failed in the background error={}", stage, error.describe());
    plugin_failures_->inc();
    std::lock_guard lock(reported_mutex_);
    reported_.push_back(make_error_document(error, "", "", std::move(stage)));
}

asio::awaitable<void> Pipeline::write_reported_failures() {
    std::vector<Document> docs;
    {
        std::lock_guard lock(reported_mutex_);
        docs.swap(reported_);
    }
    if (docs.empty()) {
        co_return;
    }
    last_error_ =
        json::value_to<std::string>(docs.back().body.at("spot").at("error").at("message"));
    err_documents_->inc(docs.size());
    co_await write_to_sinks(std::move(docs));
}

void Pipeline::progress() noexcept { last_progress_ns_ = steady_now_ns(); }

std::optional<double> Pipeline::stalled_seconds() const {
    if (config_.stall_limit.count() <= 0 || (!in_pass_ && in_flight_ == 0)) {
        return std::nullopt;
    }
    const double idle = static_cast<double>(steady_now_ns() - last_progress_ns_) / 1e9;
    if (idle * 1000.0 < static_cast<double>(config_.stall_limit.count())) {
        return std::nullopt;
    }
    return idle;
}

asio::awaitable<Result<void>> Pipeline::run_pass() {
    phase_ = "running";
    in_pass_ = true;
    progress();
    const auto started = std::chrono::steady_clock::now();
    Result<void> listed;
    try {
        listed = co_await source_->pass(*this);
    } catch (const std::exception& e) {
        listed = error_from_exception(e, config_.name + "." + config_.source.id);
    }
    while (in_flight_ > 0) {
        co_await wait_for_change();  // every run of this pass lands before the pass ends
    }
    if (!listed && !fatal_) {
        // The source could not list; record it once, here, and let the next pass try again.
        auto recorded = co_await fail(listed.error(), "", "", "listing");
        if (!recorded) {
            fatal_ = listed.error();
        }
    }
    co_await write_reported_failures();
    for (std::size_t i = 0; i < sinks_.size(); ++i) {
        Result<void> flushed;
        try {
            flushed = co_await sinks_[i]->flush();
        } catch (const std::exception& e) {
            flushed = error_from_exception(e, config_.name + "." + sink_ids_[i]);
        }
        if (!flushed) {
            log_->error("sink flush failed sink='{}' error={}", sink_ids_[i],
                        flushed.error().describe());
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ++passes_;
    last_pass_end_ = iso_utc_now();
    last_pass_time_->set(
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    last_pass_seconds_->set(seconds);
    if (listed && !fatal_) {
        last_good_pass_time_->set(last_pass_time_->value());
    }
    phase_ = "idle";
    in_pass_ = false;
    progress();
    log_->debug("pass finished seconds={:.3f} processed_total={} failed_total={}", seconds,
                runs_processed_->value(), runs_failed_->value());
    if (fatal_) {
        co_return *fatal_;
    }
    co_return Result<void>{};
}

asio::awaitable<void> Pipeline::wait_for_change() {
    // The timer never expires; cancel() wakes every waiter. Re-arming it here would cancel the
    // other waiters' waits (several coroutines of a source may be in submit() at once).
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> Pipeline::submit(Run run) {
    while (!stopping_ && !fatal_ && in_flight_ >= static_cast<std::size_t>(config_.concurrency)) {
        co_await wait_for_change();
    }
    if (stopping_ || fatal_) {
        co_return;  // not committed, so the next pass (or the next start) takes it again
    }
    ++in_flight_;
    in_flight_gauge_->set(static_cast<double>(in_flight_));
    progress();
    asio::co_spawn(strand_, process(shared_from_this(), std::move(run)),
                   [self = shared_from_this()](const std::exception_ptr& e) {
                       if (e) {
                           // process() handles everything it expects; this is a bug.
                           self->log_->critical("run processing threw; the run is not committed");
                           --self->in_flight_;
                           self->wake_.cancel();
                       }
                   });
}

asio::awaitable<Result<void>> Pipeline::fail(Error error,
                                             std::string app_id,
                                             std::string history_host,
                                             std::string stage) {
    last_error_ = error.describe();
    log_->error("{} failed app='{}' error={}", stage, app_id, error.describe());
    std::vector<Document> docs{make_error_document(error, app_id, history_host, stage)};
    err_documents_->inc();
    co_await write_to_sinks(std::move(docs));
    save_state();  // the source may have recorded the failed run as done
    if (!config_.skip_exceptions) {
        fatal(error);  // recorded once, here: the pass ending with it adds no second err document
        co_return error;
    }
    co_return Result<void>{};
}

asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> Pipeline::known_runs(
    std::int64_t from_ms, std::int64_t to_ms) {
    // A run counts as known only when every sink that can tell holds it: a sink that lacks it
    // must get it, and ids are idempotent for the others.
    std::optional<std::map<std::string, std::int64_t>> common;
    for (std::size_t i = 0; i < sinks_.size(); ++i) {
        auto answer = co_await sinks_[i]->known_runs(from_ms, to_ms);
        if (!answer) {
            co_return answer.error();
        }
        if (!answer->has_value()) {
            continue;
        }
        std::map<std::string, std::int64_t> held;
        for (auto& k : **answer) {
            auto& end = held[k.app_id];
            end = std::max(end, k.end_ms);
        }
        if (!common) {
            common = std::move(held);
            continue;
        }
        std::erase_if(*common, [&](const auto& kv) { return !held.contains(kv.first); });
    }
    if (!common) {
        co_return std::optional<std::vector<KnownRun>>{};
    }
    std::vector<KnownRun> out;
    for (auto& [id, end] : *common) {
        out.push_back(KnownRun{id, end});
    }
    co_return out;
}

asio::awaitable<Pipeline::Processed> Pipeline::transform(std::shared_ptr<Pipeline> self, Run run) {
    Processed out;
    self->normalizer_.apply(run);  // every source's runs look the same to what follows
    auto record = [&](Error e, std::string stage) {
        out.docs.push_back(make_error_document(e, run.app_id, run.history_host, stage));
        out.failures.push_back(std::move(e));
    };
    for (std::size_t i = 0; i < self->enrichers_.size(); ++i) {
        const std::string stage = "enrich:" + self->enricher_ids_[i];
        try {
            auto r = co_await self->enrichers_[i]->enrich_async(run);
            if (!r) {
                record(r.error(), stage);
            }
        } catch (const std::exception& e) {
            record(error_from_exception(e, self->name() + "." + self->enricher_ids_[i]), stage);
        }
    }
    for (auto& aggregator : self->aggregators_) {
        try {
            if (auto made = aggregator->aggregate_into(run, out.docs); !made) {
                record(made.error(), "aggregations");
            }
        } catch (const std::exception& e) {
            record(error_from_exception(e, self->name()), "aggregations");
        }
    }
    // Enrichers that refine the aggregates (e.g. Enceladus storage-size metrics), in order.
    for (std::size_t i = 0; i < self->enrichers_.size(); ++i) {
        try {
            if (auto r = self->enrichers_[i]->post_aggregate(run, out.docs); !r) {
                record(r.error(), "enrich:" + self->enricher_ids_[i]);
            }
        } catch (const std::exception& e) {
            record(error_from_exception(e, self->name() + "." + self->enricher_ids_[i]),
                   "enrich:" + self->enricher_ids_[i]);
        }
    }
    for (auto& d : run.extra_docs) {
        out.docs.push_back(std::move(d));
    }
    co_return out;
}

asio::awaitable<void> Pipeline::process(std::shared_ptr<Pipeline> self, Run run) {
    const std::string app_id = run.app_id;
    const std::string host = run.history_host;
    const json::value checkpoint = run.checkpoint;
    // CPU work (enrichers, aggregators) on the worker pool; resumes here, on the strand.
    Processed p = co_await asio::co_spawn(self->services_.workers, transform(self, std::move(run)),
                                          asio::use_awaitable);
    std::size_t err_docs = 0;
    for (const auto& d : p.docs) {
        err_docs += d.stream == "err" ? 1 : 0;
    }
    self->err_documents_->inc(err_docs);
    std::vector<Document> agg;  // what the advisors learn from, once the sinks have it
    if (!self->advisors_.empty()) {
        for (const auto& d : p.docs) {
            if (d.stream == "agg") {
                agg.push_back(d);
            }
        }
    }
    auto failed_sinks = co_await self->write_to_sinks(std::move(p.docs));
    if (failed_sinks.empty()) {
        self->source_->commit(checkpoint);
        self->checkpoint(checkpoint);
        self->runs_processed_->inc();
        if (!agg.empty()) {
            co_await self->advise(std::move(agg));
        }
        if (!p.failures.empty()) {
            self->last_error_ = p.failures.front().describe();
            if (!self->config_.skip_exceptions) {
                self->fatal(p.failures.front());
            }
        }
        self->log_->debug("run done app='{}' host='{}'", app_id, host);
    } else {
        self->runs_failed_->inc();
        self->last_error_ = "sink " + failed_sinks.front() + " did not acknowledge " + app_id;
        if (!self->config_.skip_exceptions) {
            self->fatal(make_error(ErrorCode::Io, self->last_error_, self->name()));
        }
    }
    --self->in_flight_;
    self->in_flight_gauge_->set(static_cast<double>(self->in_flight_));
    self->progress();
    self->wake_.cancel();
}

asio::awaitable<std::vector<Document>> Pipeline::observe(std::shared_ptr<Pipeline> self,
                                                         std::vector<Document> agg) {
    // The run is committed: an advisor's failure is an err document, never a run processed again.
    std::vector<Document> out;
    for (std::size_t i = 0; i < self->advisors_.size(); ++i) {
        const std::string stage = "advise:" + self->advisor_ids_[i];
        Result<std::vector<Document>> made;
        try {
            made = self->advisors_[i]->observe(agg);
        } catch (const std::exception& e) {
            made = error_from_exception(e, self->name() + "." + self->advisor_ids_[i]);
        }
        if (made) {
            for (auto& d : *made) {
                out.push_back(std::move(d));
            }
        } else {
            out.push_back(make_error_document(made.error(), agg.front().id, "", stage));
            self->err_documents_->inc();
        }
    }
    co_return out;
}

asio::awaitable<void> Pipeline::advise(std::vector<Document> agg) {
    // Observing refits models: on the worker pool, as the per-run transforms; the strand only
    // writes what the advisors made.
    auto out =
        co_await asio::co_spawn(services_.workers, observe(shared_from_this(), std::move(agg)),
                                asio::use_awaitable);
    if (!out.empty()) {
        co_await write_to_sinks(std::move(out));  // failures logged and counted there
    }
}

Result<void> Pipeline::load_advisors() {
    for (auto& a : advisors_) {
        if (auto loaded = a->load(); !loaded) {
            return loaded;
        }
    }
    return {};
}

Result<json::value> Pipeline::query_advisors(
    std::string_view path, const std::vector<std::pair<std::string, std::string>>& params) {
    if (advisors_.empty()) {
        return make_error(ErrorCode::NotFound, "pipeline '" + name() + "' has no advisor", name());
    }
    Result<json::value> answer = make_error(ErrorCode::NotFound, "not found", name());
    for (auto& a : advisors_) {
        answer = a->query(path, params);
        if (answer || answer.error().code != ErrorCode::NotFound) {
            return answer;
        }
    }
    return answer;
}

asio::awaitable<std::vector<std::string>> Pipeline::write_to_sinks(std::vector<Document> docs) {
    // Sinks are written one after another: a run is acknowledged only when all have it.
    std::vector<std::string> failed;
    std::vector<Document> sink_errors;
    for (std::size_t i = 0; i < sinks_.size(); ++i) {
        Result<void> written;
        // The last sink gets the documents, the others a copy. Kept out of the co_await
        // expression: GCC 12 mishandles conditional temporaries there (double destruction).
        std::vector<Document> batch;
        if (i + 1 == sinks_.size()) {
            batch = std::move(docs);
        } else {
            batch = docs;
        }
        try {
            written = co_await sinks_[i]->write(std::move(batch));
        } catch (const std::exception& e) {
            written = error_from_exception(e, config_.name + "." + sink_ids_[i]);
        }
        if (!written) {
            log_->error("sink did not acknowledge sink='{}' error={}", sink_ids_[i],
                        written.error().describe());
            failed.push_back(sink_ids_[i]);
            sink_errors.push_back(
                make_error_document(written.error(), "", "", "sink:" + sink_ids_[i]));
        }
    }
    if (!sink_errors.empty() && failed.size() < sinks_.size()) {
        err_documents_->inc(sink_errors.size());
        for (std::size_t i = 0; i < sinks_.size(); ++i) {
            if (std::find(failed.begin(), failed.end(), sink_ids_[i]) == failed.end()) {
                auto ignored = co_await sinks_[i]->write(sink_errors);  // best effort
                (void)ignored;
            }
        }
    }
    co_return failed;
}

void Pipeline::checkpoint(const json::value& checkpoint) {
    // O(1) per run: one journal line; the whole state is written every kJournalFold runs and
    // after each pass.
    constexpr std::size_t kJournalFold = 1000;
    if (checkpoint.is_null()) {
        return;  // nothing to remember (a source's snapshot)
    }
    if (auto appended = services_.state->append_journal(name(), checkpoint); !appended) {
        log_->warn("journal not appended; saving the whole state error={}",
                   appended.error().describe());
        save_state();
        return;
    }
    if (++journaled_ >= kJournalFold) {
        save_state();
    }
}

void Pipeline::save_state() {
    journaled_ = 0;
    if (auto saved = services_.state->save(name(), source_->save_state()); !saved) {
        log_->error("state not saved; acknowledged runs may be processed again error={}",
                    saved.error().describe());
    }
}

void Pipeline::fatal(Error error) {
    if (!fatal_) {
        log_->error("stopping the pipeline (skip_exceptions is false) error={}", error.describe());
        fatal_ = std::move(error);
    }
}

void Pipeline::request_stop() {
    stopping_ = true;
    asio::post(strand_, [self = shared_from_this()] {
        self->sleep_.cancel();
        self->wake_.cancel();
    });
}

json::object Pipeline::status() const {
    const auto stalled = stalled_seconds();
    const double since = static_cast<double>(steady_now_ns() - last_progress_ns_) / 1e9;
    return json::object{
        {"stalled", stalled.has_value()},
        {"seconds_since_progress", std::round(since * 10) / 10},
        {"name", config_.name},
        {"phase", phase_},
        {"passes", passes_},
        {"runs_processed", runs_processed_->value()},
        {"runs_failed", runs_failed_->value()},
        {"in_flight", in_flight_},
        {"last_pass_end", last_pass_end_},
        {"last_error", last_error_},
        {"source", config_.source.plugin},
    };
}

}  // namespace spot::core
