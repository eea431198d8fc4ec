#include "advise_command.hpp"

#include "jobs_api.hpp"
#include "pipeline/pipeline.hpp"

#include <spot/http.hpp>

#include <boost/asio/io_context.hpp>
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

int advise_command(const core::Config& config, const CommandLine& cl) {
    boost::asio::io_context io;
    MetricsRegistry metrics;
    http::Client http(io.get_executor(), &metrics);
    core::StateStore state(config.state_dir);  // read only: no lock, no directory made
    core::Services services{io.get_executor(), io.get_executor(), &metrics, &state, &http};
    std::vector<std::shared_ptr<core::Pipeline>> pipelines;
    for (const auto& pc : config.pipelines) {
        if (pc.advisors.empty() || (!cl.pipeline.empty() && pc.name != cl.pipeline)) {
            continue;
        }
        auto p = core::Pipeline::create(pc, services);
        if (!p) {
            std::cerr << "spotd: " << p.error().describe() << "\n";
            return 2;
        }
        if (auto loaded = (*p)->load_advisors(); !loaded) {
            std::cerr << "spotd: " << loaded.error().describe() << "\n";
            return 1;
        }
        pipelines.push_back(std::move(*p));
    }
    Params params;
    for (auto [k, v] : {std::pair{"input_bytes", &cl.input_bytes}, {"goal", &cl.goal},
                        {"deadline", &cl.deadline}}) {
        if (!v->empty()) {
            params.emplace_back(k, *v);
        }
    }
    const std::string question = cl.job.empty() ? "jobs" : "jobs/" + cl.job + "/advice";
    auto answer = ask_advisors(pipelines, question, params);
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
