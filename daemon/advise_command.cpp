#include "advise_command.hpp"

#include "pipeline/pipeline.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <iostream>

namespace spot::daemon {

namespace json = boost::json;

namespace {

std::string jobs_table(const json::array& jobs) {
    std::string out = fmt::format("{:<40} {:<12} {:>5}  {:<24} {:<8} {:>9}\n", "job", "pipeline",
                                  "runs", "last run ended", "model", "error");
    for (const auto& v : jobs) {
        const auto& j = v.as_object();
        out += fmt::format("{:<40} {:<12} {:>5}  {:<24} {:<8} {:>8.1f}%\n",
                           std::string(j.at("job").as_string()),
                           std::string(j.at("pipeline").as_string()),
                           j.at("runs").to_number<std::int64_t>(),
                           std::string(j.at("last_end").as_string()),
                           std::string(j.at("model").as_string()),
                           j.at("model_error").to_number<double>() * 100);
    }
    return out;
}

}  // namespace

OfflineAdvisors::OfflineAdvisors(const core::Config& config)
    : config_(config),
      http_(io_.get_executor(), &metrics_),
      state_(config.state_dir) {}  // state read only

Result<void> OfflineAdvisors::open(const std::string& only_pipeline, int& exit_code) {
    core::Services services{io_.get_executor(), io_.get_executor(), &metrics_, &state_, &http_};
    for (const auto& pc : config_.pipelines) {
        if (pc.advisors.empty() || (!only_pipeline.empty() && pc.name != only_pipeline)) {
            continue;
        }
        auto p = core::Pipeline::create(pc, services);
        if (!p) {
            exit_code = 2;
            return p.error();
        }
        if (auto loaded = (*p)->load_advisors(); !loaded) {
            exit_code = 1;
            return loaded;
        }
        pipelines_.push_back(std::move(*p));
    }
    return {};
}

Params question_params(const CommandLine& cl) {
    Params params;
    for (auto [k, v] : {std::pair{"input_bytes", &cl.input_bytes},
                        {"goal", &cl.goal},
                        {"deadline", &cl.deadline}}) {
        if (!v->empty()) {
            params.emplace_back(k, *v);
        }
    }
    return params;
}

int advise_command(const core::Config& config, const CommandLine& cl) {
    OfflineAdvisors advisors(config);
    int code = 0;
    if (auto opened = advisors.open(cl.pipeline, code); !opened) {
        std::cerr << "spotd: " << opened.error().describe() << "\n";
        return code;
    }
    const Params params = question_params(cl);
    const std::string question = cl.job.empty() ? "jobs" : "jobs/" + cl.job + "/advice";
    auto answer = advisors.ask(question, params);
    if (!answer) {
        std::cerr << "spotd: " << answer.error().describe() << "\n";
        return answer.error().code == ErrorCode::Config ? 2 : 1;
    }
    if (cl.job.empty()) {
        std::cout << (cl.format == "json" ? json::serialize(*answer) + "\n"
                                          : jobs_table(answer->as_array()));
        return 0;
    }
    auto& advice = answer->as_object();
    if (cl.format == "json") {
        advice.erase("formatted");
        std::cout << json::serialize(advice) << "\n";
    } else {
        std::cout << std::string_view(advice.at("formatted").as_object().at(cl.format).as_string());
    }
    return 0;
}

}  // namespace spot::daemon
