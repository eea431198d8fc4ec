// `spotd advise`: asks the advisors of a config's pipelines (Regression and Setter) about a job,
// from what they keep in state_dir, whether or not a daemon runs on that config.
#pragma once

#include "cli.hpp"
#include "config/config.hpp"
#include "jobs_api.hpp"

#include <spot/http.hpp>

#include <boost/asio/io_context.hpp>

namespace spot::daemon {

// The advisors of a config's pipelines (those named by --pipeline, or all), loaded read-only
// from state_dir without a running daemon's lock: what `spotd advise` and `spotd report` ask.
class OfflineAdvisors {
   public:
    explicit OfflineAdvisors(const core::Config& config);
    // An exit code on failure (2: the config's pipelines cannot be built, 1: state unreadable).
    Result<void> open(const std::string& only_pipeline, int& exit_code);
    Result<json::value> ask(std::string_view question, const Params& params) const {
        return ask_advisors(pipelines_, question, params);
    }

   private:
    const core::Config& config_;
    boost::asio::io_context io_;
    MetricsRegistry metrics_;
    http::Client http_;
    core::StateStore state_;
    std::vector<std::shared_ptr<core::Pipeline>> pipelines_;
};

// The question's parameters given on the command line (--input-bytes, --goal, --deadline).
Params question_params(const CommandLine& cl);

// Prints the jobs (no --job) or the advice in the format asked. Exit code: 0; 1 when the job is
// unknown or nothing can be advised; 2 for a bad parameter.
int advise_command(const core::Config& config, const CommandLine& cl);

}  // namespace spot::daemon
