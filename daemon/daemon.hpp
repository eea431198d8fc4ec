// The running daemon: one event loop, a worker pool, the pipelines of the current config, the
// admin endpoint and the signal handling (SIGTERM/SIGINT drain, SIGHUP reload).
#pragma once

#include "admin_server.hpp"
#include "config/config.hpp"
#include "pipeline/pipeline.hpp"

#include <spot/http.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>

namespace spot::daemon {

class Daemon {
   public:
    Daemon(core::PluginRegistry& registry, core::Config config, bool once);
    // Runs until every pipeline has ended (once) or a stop signal has been handled.
    // Returns the process exit code.
    int run();

   private:
    [[nodiscard]] Result<std::vector<std::shared_ptr<core::Pipeline>>> create_pipelines(
        const core::Config& config);
    void start_pipelines();
    void on_pipeline_done(const std::string& name, const Result<void>& result);
    void on_signal(int signal);
    void reload();
    void begin_shutdown();
    void schedule_watchdog();
    AdminResponse admin(const std::string& target);
    [[nodiscard]] std::string status_line() const;
    // The pipelines that have work and made no progress for their stall_limit; empty if none.
    [[nodiscard]] std::string stalled_pipelines() const;

    core::PluginRegistry& registry_;
    core::Config config_;
    const bool once_;
    // Declared first so they are destroyed last, workers after the loop: handlers still queued
    // on io_ at exit hold pipelines whose sinks own strands on workers_.
    boost::asio::thread_pool workers_{2};
    boost::asio::io_context io_{1};
    boost::asio::signal_set signals_;
    boost::asio::steady_timer grace_;
    boost::asio::steady_timer watchdog_;
    MetricsRegistry metrics_;
    http::Client http_{io_.get_executor(), &metrics_};  // shared by every pipeline's plugins
    std::unique_ptr<core::StateStore> state_;
    std::vector<std::shared_ptr<core::Pipeline>> pipelines_;
    std::size_t running_ = 0;
    // A reloaded config, its pipelines already created (so factory errors reject the reload),
    // waiting for the old pipelines to finish their pass.
    struct Pending {
        core::Config config;
        std::vector<std::shared_ptr<core::Pipeline>> pipelines;
    };
    std::optional<Pending> pending_;
    std::unique_ptr<AdminServer> admin_;
    std::shared_ptr<spdlog::logger> log_;
    bool shutting_down_ = false;
    bool failed_ = false;
    bool watchdog_withheld_ = false;
    std::uint64_t generation_ = 1;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    Counter* reloads_ok_ = nullptr;
    Counter* reloads_failed_ = nullptr;
};

}  // namespace spot::daemon
