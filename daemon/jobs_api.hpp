// Questions about recurring jobs, answered by the pipelines' advisors (Regression and Setter):
// GET /api/v1/jobs, /api/v1/jobs/{job}, /api/v1/jobs/{job}/advice?goal=...&input_bytes=...,
// and `spotd advise`, which asks the same without a running daemon.
#pragma once

#include "admin_server.hpp"
#include "pipeline/pipeline.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spot::daemon {

using Params = std::vector<std::pair<std::string, std::string>>;

std::string percent_decode(std::string_view s);
Params query_params(std::string_view query);

// `question`: "jobs", "jobs/<job>" or "jobs/<job>/advice". A `pipeline` parameter picks one
// pipeline; otherwise "jobs" lists every pipeline's jobs and a job is answered by the first
// pipeline whose advisor knows it.
Result<boost::json::value> ask_advisors(
    const std::vector<std::shared_ptr<core::Pipeline>>& pipelines,
    std::string_view question,
    const Params& params);

// The admin endpoint's side: `path` is below /api/v1/ and already starts with "jobs".
AdminResponse jobs_response(const std::vector<std::shared_ptr<core::Pipeline>>& pipelines,
                            std::string_view path,
                            std::string_view query);

}  // namespace spot::daemon
