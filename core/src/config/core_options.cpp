// Options the core owns: the top level, every pipeline, and every plugin instance.
#include "config/config.hpp"

#include <spot/plugin.hpp>

namespace spot::core {

namespace {

constexpr spot_option_decl kTopLevel[] = {
    option("state_dir",
           SPOT_OPT_PATH,
           "/var/lib/spot",
           "Directory for pipeline state and spools; relative paths start at the config file."),
    option("plugin_dir",
           SPOT_OPT_PATH,
           "",
           "Extra directory of plugin libraries, loaded after the built-in one."),
    option("log_level",
           SPOT_OPT_ENUM,
           "info",
           "Default log level of every logger.",
           0,
           "trace|debug|info|warn|error|critical|off"),
    option("log_format",
           SPOT_OPT_ENUM,
           "auto",
           "Log as human text, JSON lines, or auto (text on a terminal, JSON otherwise).",
           0,
           "auto|text|json"),
    option("admin_listen",
           SPOT_OPT_STRING,
           "127.0.0.1:9180",
           "host:port of the admin endpoint (/healthz, /readyz, /metrics, /api/v1/status); "
           "empty disables it."),
    option("shutdown_grace",
           SPOT_OPT_DURATION,
           "30s",
           "On SIGTERM, how long in-flight runs may take to finish before spotd stops anyway.",
           0,
           nullptr,
           "0s",
           "1h"),
    option("watchdog_interval",
           SPOT_OPT_DURATION,
           "0s",
           "Ping the systemd watchdog this often; 0s uses half of WATCHDOG_USEC when set.",
           0,
           nullptr,
           "0s",
           "1h"),
};

constexpr spot_option_decl kPipeline[] = {
    option("skip_exceptions",
           SPOT_OPT_BOOL,
           "true",
           "Record a failing run as an err document and go on (true), or stop the pipeline on "
           "the first failure (false, for debugging)."),
    option("concurrency",
           SPOT_OPT_INT,
           "8",
           "Runs processed at the same time; the source waits when this many are in flight.",
           0,
           nullptr,
           "1",
           "1024"),
    option("poll_interval",
           SPOT_OPT_DURATION,
           "10s",
           "Daemon mode: pause between the end of a pass and the start of the next.",
           0,
           nullptr,
           "0s",
           "24h"),
    option("stall_limit",
           SPOT_OPT_DURATION,
           "15m",
           "A pipeline that has work (a pass or runs in flight) and makes no progress for this "
           "long is stalled: /healthz and /readyz answer 503 naming it and the systemd watchdog "
           "is no longer fed, so systemd restarts spotd. 0s turns the check off.",
           0,
           nullptr,
           "0s",
           "24h"),
    option("redact_pattern",
           SPOT_OPT_REGEX,
           "secret|password|token|access[.]key|credential",
           "Spark properties whose key matches (case-insensitively) are stored as "
           "'*** redacted ***'."),
    option("typed_int",
           SPOT_OPT_LIST,
           "",
           "Spark properties stored as integers, besides the built-in ones (SPEC 4.2)."),
    option("typed_float", SPOT_OPT_LIST, "", "Spark properties stored as floats."),
    option("typed_bool",
           SPOT_OPT_LIST,
           "",
           "Spark properties stored as booleans (true/1/y/yes, false/0/n/no)."),
    option("typed_bytes",
           SPOT_OPT_LIST,
           "",
           "Spark properties stored as bytes; a bare number means bytes."),
    option("typed_kib",
           SPOT_OPT_LIST,
           "",
           "Spark properties stored as bytes; a bare number means KiB."),
    option("typed_mib",
           SPOT_OPT_LIST,
           "",
           "Spark properties stored as bytes; a bare number means MiB."),
    option("typed_seconds",
           SPOT_OPT_LIST,
           "",
           "Spark properties stored as milliseconds; a bare number means seconds."),
};

constexpr spot_option_decl kInstance[] = {
    option("plugin",
           SPOT_OPT_STRING,
           nullptr,
           "Name of the plugin (see `spotd plugins`).",
           SPOT_OPT_REQUIRED),
    option("id",
           SPOT_OPT_STRING,
           "",
           "Instance name, unique in the pipeline; defaults to the plugin name (with a number "
           "when repeated). Names the logger <pipeline>.<id>."),
    option("log_level",
           SPOT_OPT_ENUM,
           "",
           "Log level of this instance; empty: the default.",
           0,
           "|trace|debug|info|warn|error|critical|off"),
};

}  // namespace

std::span<const spot_option_decl> top_level_options() { return kTopLevel; }
std::span<const spot_option_decl> pipeline_options() { return kPipeline; }
std::span<const spot_option_decl> instance_options() { return kInstance; }

}  // namespace spot::core
