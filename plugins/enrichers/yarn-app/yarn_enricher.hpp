// yarn enricher: what the cluster charged for a Spark run. The Spark application id of a run on
// YARN is its YARN application id; the enricher asks the ResourceManager for it
// (`ws/v1/cluster/apps/{id}`) and adds its queue, user, tags, allocation, memory and vcore
// seconds, final status and diagnostics under `app_specific_data.yarn`. A run that did not run on
// YARN is left as it is; so is one the RM no longer knows (aged out), counted. An RM that fails
// or is slow is an err document (stage `enrich:yarn`); the run is stored without the fields.
#pragma once

#include <spot/http.hpp>
#include <spot/plugin.hpp>

namespace spot::enrichers::yarn {

// The fields of an RM application kept under app_specific_data.yarn.
json::object yarn_fields(const json::object& app);

class YarnEnricher final : public Enricher {
   public:
    YarnEnricher(const PluginContext& ctx, std::string url, http::ClientOptions client);
    asio::awaitable<Result<void>> enrich_async(Run& run) override;

   private:
    std::shared_ptr<http::Endpoint> rm_;
    Counter* enriched_ = nullptr;
    Counter* not_yarn_ = nullptr;
    Counter* unknown_ = nullptr;
};

}  // namespace spot::enrichers::yarn
