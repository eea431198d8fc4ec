// yarn-app enricher plugin (plugin names are unique across kinds; `yarn` is the source):
// options and factory (see yarn_enricher.hpp).
#include "yarn_enricher.hpp"

#include <spot/http_options.hpp>

namespace spot::enrichers::yarn {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("url",
           SPOT_OPT_URL,
           nullptr,
           "The ResourceManager's web address, e.g. http://rm.example:8088 (https with TLS "
           "options below; SPNEGO/Kerberos is not supported). Keep read_timeout and "
           "http_attempts small: a slow RM delays every run by up to their product.",
           SPOT_OPT_REQUIRED),
    SPOT_HTTP_CLIENT_OPTIONS,
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    return std::make_unique<YarnEnricher>(ctx, options.str("url"), http::client_options(options));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("yarn-app",
                    SPOT_KIND_ENRICHER,
                    "0.1.0",
                    "Adds what YARN charged for a Spark run (queue, user, memory and vcore "
                    "seconds, final "
                    "status) under app_specific_data.yarn.",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::enrichers::yarn

SPOT_PLUGIN(spot::enrichers::yarn::kDescriptor)
