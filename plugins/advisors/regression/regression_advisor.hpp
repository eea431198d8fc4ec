// The regression advisor: observations from every agg document the sinks acknowledged, a model
// per job refitted as its runs arrive, an advice document per refit (stream `advice`), and the
// answers behind `spotd advise` and /api/v1/jobs.
#pragma once

#include "observation_store.hpp"
#include "setter.hpp"

#include <spot/http.hpp>
#include <spot/plugin.hpp>

#include <map>
#include <mutex>

namespace spot::advisors::regression {

struct AdvisorSettings {
    JobKey key;
    ModelOptions model;
    Bounds bounds;
    AdviceRequest defaults;  // goal and budgets of the advice documents
    std::size_t max_runs_per_job = 200;
    std::filesystem::path seed_file;  // agg documents as JSON lines, read when nothing is stored
    std::string seed_url, seed_index = "spot_agg";  // an agg index, read when nothing is stored
    bool write_advice = true;
};

class RegressionAdvisor final : public Advisor {
   public:
    RegressionAdvisor(const PluginContext& ctx, AdvisorSettings s);

    asio::awaitable<Result<void>> start() override;
    Result<void> load() override;
    Result<std::vector<Document>> observe(const std::vector<Document>& acknowledged) override;
    Result<json::value> query(
        std::string_view path,
        const std::vector<std::pair<std::string, std::string>>& params) override;

   private:
    Result<Advice> advice_for(const std::string& job, const AdviceRequest& request) const;
    Result<AdviceRequest> request_of(
        const std::string& job,
        const std::vector<std::pair<std::string, std::string>>& params) const;
    json::value jobs() const;
    Error unknown_job(const std::string& name) const;
    // Observes one agg document's _source without advising; false when it is not a run of a job.
    bool learn(const json::object& agg);
    void count_skipped(const Error& why);
    Result<json::value> job(const std::string& name) const;

    std::shared_ptr<spdlog::logger> log_;
    std::string pipeline_;
    AdvisorSettings settings_;
    std::function<void(Error, std::string)> report_failure_;
    std::shared_ptr<http::Endpoint> seed_endpoint_;
    std::map<std::string, Counter*> skipped_;  // spot_advisor_runs_skipped_total by reason
    mutable std::mutex mutex_;  // observe() on the pipeline's strand, query() from the admin side
    ObservationStore store_;
};

}  // namespace spot::advisors::regression
