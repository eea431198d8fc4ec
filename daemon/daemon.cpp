#include "daemon.hpp"

#include "systemd_notify.hpp"
#include "jobs_api.hpp"

#include <spot/logging.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <fmt/format.h>

namespace spot::daemon {

namespace asio = boost::asio;

Daemon::Daemon(core::PluginRegistry& registry, core::Config config, bool once)
    : registry_(registry),
      config_(std::move(config)),
      once_(once),
      signals_(io_, SIGTERM, SIGINT, SIGHUP),
      grace_(io_),
      watchdog_(io_),
      log_(logging::get("core.daemon")) {
    reloads_ok_ = &metrics_.counter("spot_config_reloads_total", "Config reloads by outcome.",
                                    {{"result", "applied"}});
    reloads_failed_ = &metrics_.counter("spot_config_reloads_total", "Config reloads by outcome.",
                                        {{"result", "rejected"}});
    metrics_
        .gauge("spot_build_info", "Always 1; the labels carry the version.",
               {{"version", SPOT_VERSION}})
        .set(1);
}

int Daemon::run() {
    state_ = std::make_unique<core::StateStore>(config_.state_dir);
    if (auto opened = state_->open(); !opened) {
        log_->error("cannot use state_dir: {}", opened.error().describe());
        return 1;
    }
    auto created = create_pipelines(config_);
    if (!created) {
        log_->error("cannot start: {}", created.error().describe());
        return 1;
    }
    pipelines_ = std::move(*created);
    if (!once_ && !config_.admin_listen.empty()) {
        admin_ = std::make_unique<AdminServer>(io_.get_executor(), workers_.get_executor(),
                                               [this](const std::string& t) { return admin(t); });
        if (auto started = admin_->start(config_.admin_listen); !started) {
            log_->error("cannot start the admin endpoint: {}", started.error().describe());
            return 1;
        }
        log_->info("admin endpoint listening on {}", config_.admin_listen);
    }
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (!ec) {
            on_signal(signal);
        }
    });
    start_pipelines();
    schedule_watchdog();
    log_->info("spotd {} started config='{}' pipelines={} mode={}", SPOT_VERSION,
               config_.file.string(), pipelines_.size(), once_ ? "once" : "daemon");
    systemd::ready(status_line());
    io_.run();
    workers_.join();
    log_->info("spotd stopped exit_code={}", failed_ ? 1 : 0);
    return failed_ ? 1 : 0;
}

Result<std::vector<std::shared_ptr<core::Pipeline>>> Daemon::create_pipelines(
    const core::Config& config) {
    core::Services services{io_.get_executor(), workers_.get_executor(), &metrics_, state_.get(),
                            &http_};
    std::vector<std::shared_ptr<core::Pipeline>> out;
    for (const auto& pc : config.pipelines) {
        auto p = core::Pipeline::create(pc, services);
        if (!p) {
            return p.error();
        }
        out.push_back(std::move(*p));
    }
    return out;
}

void Daemon::start_pipelines() {
    for (const auto& p : pipelines_) {
        ++running_;
        asio::co_spawn(p->executor(), core::Pipeline::run(p, once_),
                       [this, name = p->name()](const std::exception_ptr& e, Result<void> r) {
                           if (e) {
                               r = make_error(ErrorCode::Internal, "pipeline threw", name);
                           }
                           on_pipeline_done(name, r);
                       });
    }
}

void Daemon::on_pipeline_done(const std::string& name, const Result<void>& result) {
    --running_;
    if (!result) {
        log_->error("pipeline '{}' stopped: {}", name, result.error().describe());
        failed_ = true;
        if (!shutting_down_) {
            begin_shutdown();
        }
    } else {
        log_->info("pipeline '{}' finished", name);
    }
    if (running_ > 0) {
        return;
    }
    if (pending_ && !shutting_down_) {
        config_ = std::move(pending_->config);
        pipelines_ = std::move(pending_->pipelines);
        pending_.reset();
        ++generation_;
        start_pipelines();
        log_->info("reloaded config generation={} pipelines={}", generation_, pipelines_.size());
        systemd::ready(status_line());
        return;
    }
    // Everything has drained: stop the loop.
    grace_.cancel();
    watchdog_.cancel();
    signals_.cancel();
    if (admin_) {
        admin_->stop();
    }
    io_.stop();
}

void Daemon::on_signal(int signal) {
    if (signal == SIGHUP) {
        reload();
    } else if (shutting_down_) {
        log_->warn("second stop signal: stopping now; runs in flight are not committed");
        io_.stop();
        return;
    } else {
        log_->info("received {}; finishing in-flight runs (grace {} ms)",
                   signal == SIGTERM ? "SIGTERM" : "SIGINT", config_.shutdown_grace.count());
        begin_shutdown();
    }
    signals_.async_wait([this](const boost::system::error_code& ec, int next) {
        if (!ec) {
            on_signal(next);
        }
    });
}

void Daemon::reload() {
    systemd::reloading();
    auto cfg = core::load_config(config_.file, registry_);
    if (!cfg) {
        reloads_failed_->inc();
        log_->error("config reload rejected; the running pipelines go on:\n{}",
                    cfg.error().describe());
        systemd::ready(status_line());
        return;
    }
    if (cfg->state_dir != config_.state_dir || cfg->admin_listen != config_.admin_listen) {
        log_->warn("state_dir and admin_listen change only on restart; keeping the old values");
        cfg->state_dir = config_.state_dir;
        cfg->admin_listen = config_.admin_listen;
    }
    auto created = create_pipelines(*cfg);
    if (!created) {
        reloads_failed_->inc();
        log_->error("config reload rejected; the running pipelines go on: {}",
                    created.error().describe());
        systemd::ready(status_line());
        return;
    }
    reloads_ok_->inc();
    logging::setup(spdlog::level::from_str(cfg->log_level), logging::parse_format(cfg->log_format));
    pending_ = Pending{std::move(*cfg), std::move(*created)};
    log_->info("config reloaded; pipelines restart after their current pass");
    for (const auto& p : pipelines_) {
        p->request_stop();
    }
    if (running_ == 0) {
        on_pipeline_done("", Result<void>{});
    }
}

void Daemon::begin_shutdown() {
    shutting_down_ = true;
    pending_.reset();
    systemd::stopping();
    for (const auto& p : pipelines_) {
        p->request_stop();
    }
    if (running_ == 0) {
        io_.stop();
        return;
    }
    grace_.expires_after(config_.shutdown_grace);
    grace_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            log_->warn(
                "shutdown grace of {} ms is over; runs still in flight are not committed "
                "and will be processed again",
                config_.shutdown_grace.count());
            io_.stop();
        }
    });
}

void Daemon::schedule_watchdog() {
    auto interval = config_.watchdog_interval.count() > 0 ? config_.watchdog_interval
                                                          : systemd::watchdog_interval();
    if (interval.count() == 0) {
        return;
    }
    watchdog_.expires_after(interval);
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        // Sent from the event loop: a stalled loop stops the pings and systemd restarts us; so
        // does a pipeline stuck on a hung plugin (no progress for stall_limit while it has work).
        const auto stalled = stalled_pipelines();
        if (stalled.empty()) {
            systemd::watchdog();
        } else if (!watchdog_withheld_) {
            log_->error("watchdog withheld: {}", stalled);
        }
        watchdog_withheld_ = !stalled.empty();
        systemd::status(status_line());
        schedule_watchdog();
    });
}

std::string Daemon::stalled_pipelines() const {
    std::string out;
    for (const auto& p : pipelines_) {
        if (auto s = p->stalled_seconds()) {
            out += fmt::format("{}pipeline '{}' made no progress for {:.0f} s",
                               out.empty() ? "" : "; ", p->name(), *s);
        }
    }
    return out;
}

std::string Daemon::status_line() const {
    const auto stalled = stalled_pipelines();
    return fmt::format("{} pipeline(s), generation {}{}{}", pipelines_.size(), generation_,
                       shutting_down_ ? ", stopping" : "", stalled.empty() ? "" : ", " + stalled);
}

AdminResponse Daemon::admin(const std::string& target) {
    const std::string path = target.substr(0, target.find('?'));
    const bool health = path == "/healthz" || path == "/readyz";
    if (health) {
        if (auto stalled = stalled_pipelines(); !stalled.empty()) {
            return {503, "text/plain; charset=utf-8", "stalled: " + stalled + "\n"};
        }
    }
    if (path == "/healthz") {
        return {200, "text/plain; charset=utf-8", "ok\n"};
    }
    if (path == "/readyz") {
        bool ready = !shutting_down_ && running_ > 0;
        return {ready ? 200u : 503u, "text/plain; charset=utf-8",
                ready ? "ready\n" : "not ready\n"};
    }
    if (path == "/metrics") {
        return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render_prometheus()};
    }
    if (path == "/api/v1/status") {
        json::array pipelines;
        for (const auto& p : pipelines_) {
            pipelines.push_back(p->status());
        }
        auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::steady_clock::now() - started_);
        json::object status{
            {"version", SPOT_VERSION},
            {"config", config_.file.string()},
            {"generation", generation_},
            {"uptime_seconds", uptime.count()},
            {"stopping", shutting_down_},
            {"reloads_applied", reloads_ok_->value()},
            {"reloads_rejected", reloads_failed_->value()},
            {"pipelines", std::move(pipelines)},
        };
        return {200, "application/json", json::serialize(status) + "\n"};
    }
    if (path == "/api/v1/jobs" || path.starts_with("/api/v1/jobs/")) {
        const auto q = target.find('?');
        // Answering may refit models: on the worker pool, over the pipelines of this moment.
        AdminResponse deferred;
        deferred.off_loop = [pipelines = pipelines_, question = path.substr(8),
                             query =
                                 q == std::string::npos ? std::string() : target.substr(q + 1)] {
            return jobs_response(pipelines, question, query);
        };
        return deferred;
    }
    return {404, "text/plain; charset=utf-8",
            "not found; try /healthz, /readyz, /metrics, /api/v1/status, /api/v1/jobs\n"};
}

}  // namespace spot::daemon
