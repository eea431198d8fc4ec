// eventlog: Runs rebuilt from Spark event logs, without a History Server.
#include "eventlog_source.hpp"

namespace spot::sources::eventlog {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("dir",
           SPOT_OPT_PATH,
           nullptr,
           "Directory Spark writes event logs to (spark.eventLog.dir), read-only.",
           SPOT_OPT_REQUIRED),
    option("include", SPOT_OPT_REGEX, "", "Process only runs whose name matches (search)."),
    option("exclude", SPOT_OPT_REGEX, "", "Skip runs whose name matches (search); empty: none."),
    option("history_host",
           SPOT_OPT_STRING,
           "",
           "Value of history_host in the documents (which cluster a run came from); empty: this "
           "machine's host name."),
    option("max_line_size",
           SPOT_OPT_SIZE,
           "64MiB",
           "A log line longer than this is an error for that log (protects memory).",
           0,
           nullptr,
           "64KiB",
           "1GiB"),
    option("forget_after",
           SPOT_OPT_DURATION,
           "30d",
           "A processed log that is no longer in the directory is dropped from the state once its "
           "modification time is this old (logs still there are always remembered).",
           0,
           nullptr,
           "1h",
           "36500d"),
    option("parse_concurrency",
           SPOT_OPT_INT,
           "2",
           "Applications whose logs are read at once on the worker pool (each holds one Run in "
           "memory while it is read).",
           0,
           nullptr,
           "1",
           "64"),
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    EventLogOptions o{options.str("dir"),
                      options.str("include"),
                      options.str("exclude"),
                      options.str("history_host"),
                      static_cast<std::size_t>(options.integer("max_line_size")),
                      options.duration("forget_after"),
                      static_cast<std::size_t>(options.integer("parse_concurrency"))};
    return std::make_unique<EventLogSource>(ctx, std::move(o));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("eventlog",
                    SPOT_KIND_SOURCE,
                    "0.1.0",
                    "Rebuilds Runs from Spark event logs in a directory (any Spark codec, rolling "
                    "folders).",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::sources::eventlog

SPOT_PLUGIN(spot::sources::eventlog::kDescriptor)
