// One pipeline: a source, enrichers, aggregators and sinks, run on its own strand.
//
// A pass asks the source for new runs. Each run is enriched and aggregated on the worker pool,
// written to every sink, and only when every sink has acknowledged it is the source told to
// commit it and the state saved. At most `concurrency` runs are in flight: submit() suspends the
// source beyond that, so slow sinks slow the source down instead of filling memory.
#pragma once

#include "config/config.hpp"
#include "normalize/normalizer.hpp"
#include "state/state_store.hpp"

#include <spot/plugin.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <mutex>
#include <optional>

namespace spot::core {

struct Services {
    asio::any_io_executor io;       // the event loop
    asio::any_io_executor workers;  // thread pool for CPU work
    MetricsRegistry* metrics = nullptr;
    StateStore* state = nullptr;
    http::Client* http = nullptr;
};

class Pipeline final : public RunQueue, public std::enable_shared_from_this<Pipeline> {
   public:
    // Creates every plugin instance through its factory; the first failure is returned.
    static Result<std::shared_ptr<Pipeline>> create(const PipelineConfig& config,
                                                    const Services& services);

    // Passes until stopped (daemon) or exactly one (once). Returns the error that stopped the
    // pipeline when skip_exceptions is false. Must be spawned on executor().
    static asio::awaitable<Result<void>> run(std::shared_ptr<Pipeline> self, bool once);
    // Safe from any thread: no new runs are taken, in-flight runs finish.
    void request_stop();
    // Builds the plugin instances only (I/O-free by the lifecycle contract), so that their own
    // cross-field checks run; what `spotd --check-config` calls.
    static Result<void> check(const PipelineConfig& config, const Services& services);
    // Seconds without progress while the pipeline had work, when over stall_limit; else nullopt.
    // Call on the event loop.
    [[nodiscard]] std::optional<double> stalled_seconds() const;

    [[nodiscard]] asio::any_io_executor executor() const { return strand_; }
    [[nodiscard]] const std::string& name() const { return config_.name; }
    // For /api/v1/status; call on the event loop.
    [[nodiscard]] json::object status() const;
    // A question to the pipeline's advisors (the first that knows the answer); call on the
    // event loop. NotFound when there is no advisor or none knows.
    Result<json::value> query_advisors(
        std::string_view path, const std::vector<std::pair<std::string, std::string>>& params);
    [[nodiscard]] bool has_advisors() const { return !advisors_.empty(); }
    // Has every advisor read what it learned, without starting anything (`spotd advise`).
    Result<void> load_advisors();

    // RunQueue
    asio::awaitable<void> submit(Run run) override;
    asio::awaitable<Result<void>> fail(Error error,
                                       std::string app_id,
                                       std::string history_host,
                                       std::string stage) override;
    asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> known_runs(
        std::int64_t from_ms, std::int64_t to_ms) override;
    [[nodiscard]] bool stopping() const noexcept override { return stopping_; }
    void progress() noexcept override;

   private:
    struct Processed;
    Pipeline(PipelineConfig config, const Services& services);
    static asio::awaitable<void> process(std::shared_ptr<Pipeline> self, Run run);
    static asio::awaitable<Processed> transform(std::shared_ptr<Pipeline> self, Run run);
    asio::awaitable<Result<void>> start_plugins();
    asio::awaitable<void> stop_plugins();
    std::vector<Plugin*> plugins_in_order() const;
    // Failures of the plugins' background work, reported from any thread; written as err
    // documents at the end of each pass and before the sinks stop.
    void report_failure(Error error, std::string stage);
    asio::awaitable<void> write_reported_failures();
    asio::awaitable<Result<void>> run_pass();
    asio::awaitable<void> wait_for_change();
    asio::awaitable<std::vector<std::string>> write_to_sinks(std::vector<Document> docs);
    // Hands a committed run's agg documents to the advisors and stores what they return.
    asio::awaitable<void> advise(std::vector<Document> agg);
    // The advisors' observe() of one run's acknowledged agg documents, on the worker pool.
    static asio::awaitable<std::vector<Document>> observe(std::shared_ptr<Pipeline> self,
                                                          std::vector<Document> agg);
    void save_state();
    // Records a committed run's checkpoint in the journal (the state file is rewritten now and
    // then, not after every run).
    void checkpoint(const json::value& checkpoint);
    std::size_t journaled_ = 0;  // checkpoints journaled since the state file was written
    void fatal(Error error);

    PipelineConfig config_;
    Services services_;
    asio::strand<asio::any_io_executor> strand_;
    std::shared_ptr<spdlog::logger> log_;
    Normalizer normalizer_;
    std::unique_ptr<Source> source_;
    std::vector<std::unique_ptr<Enricher>> enrichers_;
    std::vector<std::unique_ptr<Aggregator>> aggregators_;
    std::vector<std::unique_ptr<Sink>> sinks_;
    std::vector<std::unique_ptr<Advisor>> advisors_;
    std::vector<std::string> sink_ids_, enricher_ids_, advisor_ids_;

    asio::steady_timer wake_;   // cancelled whenever in_flight_ drops
    asio::steady_timer sleep_;  // the pause between passes; cancelled on stop
    std::size_t in_flight_ = 0;
    std::atomic<bool> stopping_{false};
    std::optional<Error> fatal_;
    std::size_t started_plugins_ = 0;
    std::mutex reported_mutex_;
    std::vector<Document> reported_;
    // Progress, for the stall check: steady-clock nanoseconds of the last sign of life.
    std::atomic<std::int64_t> last_progress_ns_{0};
    bool in_pass_ = false;

    // Status and metrics.
    std::string phase_ = "starting";
    std::uint64_t passes_ = 0;
    std::string last_pass_end_;
    std::string last_error_;
    Counter* runs_processed_ = nullptr;
    Counter* runs_failed_ = nullptr;
    Counter* err_documents_ = nullptr;
    Counter* plugin_failures_ = nullptr;
    Gauge* in_flight_gauge_ = nullptr;
    Gauge* last_pass_time_ = nullptr;
    Gauge* last_pass_seconds_ = nullptr;
    Gauge* last_good_pass_time_ = nullptr;
};

}  // namespace spot::core
