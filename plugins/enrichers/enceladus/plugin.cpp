// enceladus: Enceladus runs classified by name and enriched from Menas (SPEC §6).
#include "enceladus_enricher.hpp"

#include <spot/http_options.hpp>

namespace spot::enrichers::enceladus {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("url",
           SPOT_OPT_STRING,
           "",
           "Menas base URL without /api, e.g. https://menas.example:8080/menas (2.x) or "
           "http://host:8080/rest_api_war (3.x); empty: classify Enceladus runs by name only."),
    option("menas_api",
           SPOT_OPT_ENUM,
           "auto",
           "How the session goes back to Menas: 2 (the JWT cookie of Menas 2.x), 3 (the JWT "
           "header of the 3.x REST API), auto (whichever the login answer gives).",
           0,
           "auto|2|3"),
    option("menas_username", SPOT_OPT_STRING, "", "Menas login user (form login)."),
    option("menas_password", SPOT_OPT_STRING, "", "Menas login password.", SPOT_OPT_SECRET),
    option("login_attempts",
           SPOT_OPT_INT,
           "3",
           "Logins tried per request when Menas answers 401/403 (an expired session); each "
           "waits twice as long as the one before.",
           0,
           nullptr,
           "1",
           "20"),
    option("login_backoff",
           SPOT_OPT_DURATION,
           "1s",
           "Wait before the second login.",
           0,
           nullptr,
           "0s",
           "10m"),
    option("default_time_zone",
           SPOT_OPT_STRING,
           "UTC",
           "Zone of Atum timestamps written without one: UTC, an offset (+02:00), an IANA name "
           "(Europe/Prague: its current rule from /usr/share/zoneinfo) or a POSIX TZ rule."),
    option("hdfs_block_size",
           SPOT_OPT_SIZE,
           "128MiB",
           "Block size for input/output_in_storage_HDFS_blocks.",
           0,
           nullptr,
           "1MiB",
           "2GiB"),
    option("pause_after_failures",
           SPOT_OPT_INT,
           "3",
           "After this many Menas failures in a row, Menas is not asked for `pause` (runs are "
           "stored without Enceladus data, an err document each).",
           0,
           nullptr,
           "1",
           "1000"),
    option("pause",
           SPOT_OPT_DURATION,
           "60s",
           "How long Menas is left alone after such failures.",
           0,
           nullptr,
           "0s",
           "1d"),
    SPOT_HTTP_CLIENT_OPTIONS,
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    EnceladusOptions o;
    o.url = options.str("url");
    const auto& api = options.str("menas_api");
    o.menas.api = api == "2" ? MenasApi::V2 : api == "3" ? MenasApi::V3 : MenasApi::Auto;
    o.menas.username = options.str("menas_username");
    o.menas.password = options.str("menas_password");
    o.menas.login_attempts = static_cast<int>(options.integer("login_attempts"));
    o.menas.login_backoff = options.duration("login_backoff");
    o.time_zone = options.str("default_time_zone");
    o.hdfs_block_size = options.integer("hdfs_block_size");
    o.pause_after_failures = static_cast<int>(options.integer("pause_after_failures"));
    o.pause = options.duration("pause");
    if (!o.url.empty()) {
        o.client = http::client_options(options);
    }
    return std::make_unique<EnceladusEnricher>(ctx, std::move(o));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("enceladus",
                    SPOT_KIND_ENRICHER,
                    "0.1.0",
                    "Classifies Enceladus runs by name, adds each attempt's Run from Menas (typed, "
                    "checkpoints "
                    "aggregated) and storage-size metrics to the agg documents.",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::enrichers::enceladus

SPOT_PLUGIN(spot::enrichers::enceladus::kDescriptor)
