// The fast path (`details: logs | auto`): an attempt's details rebuilt from its event log, which
// the History Server serves as a zip at /api/v1/applications/{id}[/{attempt}]/logs, instead of
// asked from its environment/allexecutors/stages endpoints (each of which makes the server
// replay the log). The zip is streamed to a file in the work directory, read in place by the
// event-log reader on the worker pool, and removed on every path out.
#pragma once

#include "history_api.hpp"

#include <sources/eventlog/log_store.hpp>
#include <spot/metrics.hpp>
#include <spot/task_detail.hpp>

#include <atomic>

namespace spot::sources::history {

struct LogOptions {
    std::filesystem::path work_dir;
    std::uint64_t max_download_size = 16ull << 30;
    std::chrono::milliseconds download_timeout{600'000};
    eventlog::ZipLimits zip;
    std::size_t max_line_size = 64u << 20;
};

class LogDetails {
   public:
    LogDetails(HistoryApi& api,
               LogOptions options,
               asio::any_io_executor workers,
               std::shared_ptr<spdlog::logger> log,
               Counter* bytes_total);

    // Creates the work directory and removes the downloads a killed spotd left in it.
    Result<void> prepare();

    // The application as listed, each attempt extended with environment, allexecutors and
    // stages rebuilt from its log. `patient`: server trouble is waited out (retry_sleep).
    // `tasks` gets every attempt's task timings (for the run analysis).
    asio::awaitable<Result<json::object>> details(json::object app,
                                                  bool patient,
                                                  std::vector<AttemptTasks>& tasks);

    [[nodiscard]] const std::filesystem::path& work_dir() const { return options_.work_dir; }

   private:
    // Rebuilds one attempt from its downloaded zip (CPU work: runs on the worker pool).
    struct Rebuilt {
        json::object attempt;
        AttemptTasks tasks;
    };
    static Result<Rebuilt> rebuild(const LogDetails* self,
                                   const std::filesystem::path& zip,
                                   const std::string& app_id,
                                   json::object attempt);

    HistoryApi& api_;
    LogOptions options_;
    asio::any_io_executor workers_;
    std::shared_ptr<spdlog::logger> log_;
    Counter* bytes_total_;
    std::atomic<std::uint64_t> next_file_{0};
};

}  // namespace spot::sources::history
