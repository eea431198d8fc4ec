// eventlog: Runs rebuilt from Spark event logs in a directory, without a History Server.
#pragma once

#include "log_reader.hpp"

#include <spot/name_filter.hpp>
#include <spot/plugin.hpp>

#include <map>
#include <regex>

namespace spot::sources::eventlog {

struct EventLogOptions {
    std::filesystem::path dir;
    std::string include, exclude;
    std::string history_host;
    std::size_t max_line_size = 0;
    // A processed log that left the directory is forgotten once its mtime is this old, so that
    // the state follows what Spark's cleaner keeps rather than growing forever.
    std::chrono::milliseconds forget_after{30LL * 24 * 3'600'000};
    std::size_t parse_concurrency = 2;  // applications read at once (worker pool)
};

class EventLogSource final : public Source {
   public:
    EventLogSource(const PluginContext& ctx, EventLogOptions options);

    asio::awaitable<Result<void>> pass(RunQueue& queue) override;
    void commit(const json::value& checkpoint) override;
    [[nodiscard]] json::value save_state() const override;
    Result<void> load_state(const json::value& state) override;

   private:
    struct Seen {
        std::int64_t size = 0, mtime_ms = 0;
        std::string app;  // application id, to gather every attempt of an app into one Run
    };
    // One attempt's log, parsed (CPU work, run on the worker pool).
    struct Attempt {
        LogEntry entry;
        std::string app_id, app_name;
        json::object attempt;
        AttemptTasks tasks;  // for the run analysis; memory only
    };
    static asio::awaitable<Result<Attempt>> parse(EventLogSource* self, LogEntry entry);
    // The application a log belongs to, from its first events (worker pool).
    static asio::awaitable<Result<LogIdentity>> identify(EventLogSource* self, LogEntry entry);
    // Processed before with the same size and modification time.
    [[nodiscard]] bool unchanged(const LogEntry& e) const;
    struct Tally {
        std::size_t submitted = 0, in_progress = 0;
    };
    // Parses one application's new logs and its `earlier` unchanged ones, and submits the Run
    // when every attempt has ended.
    asio::awaitable<Result<void>> take_app(RunQueue& queue,
                                           const std::string& app,
                                           const std::map<std::string, LogEntry>& by_attempt,
                                           const std::vector<LogEntry>& dropped_logs,
                                           const std::vector<LogEntry>& earlier,
                                           Tally& tally);
    // All attempts of one application as one Run.
    Run assemble(std::vector<Attempt> attempts) const;
    // Drops from the state the logs gone from the directory for longer than forget_after.
    void forget_removed(const std::vector<LogEntry>& listed);
    // Keeps one attempt per attempt id; returns the logs of the others (warned about, counted).
    std::vector<LogEntry> drop_duplicate_attempts(const std::string& app,
                                                  std::vector<Attempt>& attempts) const;

    EventLogOptions options_;
    std::unique_ptr<LogStore> store_;
    NameFilter selected_;
    std::shared_ptr<spdlog::logger> log_;
    asio::any_io_executor workers_;
    std::map<std::string, Seen> done_;  // by log name
    Counter* bytes_read_ = nullptr;
    Counter* duplicate_logs_ = nullptr;
};

}  // namespace spot::sources::eventlog
