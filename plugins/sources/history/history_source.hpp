// history: Runs from a Spark History Server's REST API (SPEC §3). Each pass lists the completed
// runs of the window [now - lookback, now - completion_timeout] (method `all`: in time steps;
// `latest`: from the newest end time already processed), keeps the new ones, fetches their
// details (up to `concurrency` runs at once) and hands them to the pipeline, oldest first.
#pragma once

#include "crawl_state.hpp"
#include "history_api.hpp"
#include "log_details.hpp"

#include <spot/name_filter.hpp>
#include <spot/plugin.hpp>
#include <spot/task_group.hpp>

#include <boost/asio/steady_timer.hpp>

namespace spot::sources::history {

enum class Method { All, Latest };
enum class Details { Rest, Logs, Auto };

struct HistoryOptions {
    std::string url;
    Method method = Method::All;
    std::chrono::milliseconds completion_timeout{30 * 60'000};
    std::chrono::milliseconds lookback{168 * 3'600'000LL};
    std::chrono::milliseconds time_step{3'600'000};
    std::int64_t min_end_ms = 0;  // 0: none
    std::string include, exclude;
    std::size_t concurrency = 8;
    std::string history_host;  // empty: the URL's host
    ApiOptions api;
    http::ClientOptions client;
    Details details = Details::Auto;
    LogOptions logs;  // work_dir empty: <state_dir>/downloads/<pipeline>
};

class HistorySource final : public Source {
   public:
    HistorySource(const PluginContext& ctx, HistoryOptions options);

    // Prepares the download directory (details: logs|auto).
    asio::awaitable<Result<void>> start() override;
    asio::awaitable<void> stop() override;
    asio::awaitable<Result<void>> pass(RunQueue& queue) override;
    void commit(const json::value& checkpoint) override;
    [[nodiscard]] json::value save_state() const override;
    Result<void> load_state(const json::value& state) override;

   private:
    struct Listed {
        json::object app;
        std::string id;
        std::int64_t end_ms = 0;
    };
    struct Window {
        std::int64_t from_ms, to_ms;
    };
    struct PassCounts {
        std::size_t listed = 0, matched = 0, fresh = 0, held_back = 0, skipped = 0, failed = 0;
    };
    asio::awaitable<Result<void>> learn_from_sinks(RunQueue& queue,
                                                   std::int64_t from_ms,
                                                   std::int64_t to_ms);
    asio::awaitable<Result<void>> crawl(RunQueue& queue,
                                        Window w,
                                        std::int64_t horizon_ms,
                                        PassCounts& counts);
    // Fetches one run's details and submits it (or records its failure); runs in tasks_.
    asio::awaitable<void> fetch_and_submit(RunQueue& queue, Listed run);
    // The details by the configured path; `via` says which one gave them (spot.details_source).
    asio::awaitable<Result<json::object>> details(const json::object& app,
                                                  json::object& via,
                                                  std::vector<AttemptTasks>& tasks);
    [[nodiscard]] std::vector<Window> windows(std::int64_t now_ms) const;

    HistoryOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    asio::any_io_executor io_;
    std::unique_ptr<HistoryApi> api_;
    std::unique_ptr<LogDetails> logs_;  // details: logs or auto
    bool logs_unsupported_ = false;  // the server answered 404 on /logs (auto: rest from then on)
    NameFilter selected_;
    CrawlState state_;
    bool asked_sinks_ = false;

    // Runs whose details are being fetched now; a pass ends once all have.
    TaskGroup fetches_;
    std::optional<Error> fatal_;  // skip_exceptions is false and a run failed
    std::size_t failed_in_pass_ = 0;

    Counter* listed_total_ = nullptr;
    Counter* skipped_total_ = nullptr;
    Counter* fetch_failed_total_ = nullptr;
    Gauge* held_back_ = nullptr;
    Counter* via_logs_total_ = nullptr;
    Counter* via_rest_total_ = nullptr;
    Counter* fallback_total_ = nullptr;
};

}  // namespace spot::sources::history
