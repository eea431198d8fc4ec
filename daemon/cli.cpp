#include "cli.hpp"

#include <string_view>

namespace spot::daemon {

const char* usage_text() {
    return R"(spotd: records every finished Spark run as a document of statistics.

Usage:
  spotd [--config FILE] [--once]     run the pipelines of FILE (default /etc/spot/spot.yaml):
                                     as a daemon, or one pass then exit 0 with --once
  spotd --check-config [--config FILE]
                                     validate FILE, print every error, exit 0 or 2
  spotd plugins [--plugin-dir DIR]   list the plugins spotd can load
  spotd describe PLUGIN... [--format text|md|yaml|json]
                                     options of a plugin (yaml: a sample config section)
  spotd reference                    the configuration reference (docs/configuration.md)
  spotd analyze LOG... [--format text|json] [--gates]
                                     what is wrong with each run of these Spark event logs (any
                                     codec, rolling folders): findings ranked by severity with
                                     the Spark settings to change, the executor-count what-if
                                     and the core-hours; json: one object per attempt. Every
                                     finding is shown; --gates skips what the daemon's analyze
                                     aggregator would gate (runs under 5 min, short skew)
  spotd advise --config FILE [--job NAME] [--input-bytes N] [--goal cost|time|deadline]
               [--deadline 45m] [--pipeline P] [--format text|json|spark-submit|properties]
                                     the configuration of a recurring job's next run, from what
                                     the pipelines' advisors learned (state_dir); works whether
                                     or not the daemon runs. Without --job: the jobs known, with
                                     their runs and model error. --input-bytes: the expected
                                     input (default: the latest run's; 5GB, 300MiB accepted)
  spotd report --config FILE --job NAME [--input-bytes N] [--goal G] [--pipeline P] > job.html
                                     one recurring job as a self-contained HTML page: duration
                                     and core-hours against input size with the fitted curves
                                     and 90% bands, the configurations tried, the latest run's
                                     executor-count what-if, and the advice with its savings
  spotd --version | --help

Signals: SIGTERM/SIGINT finish in-flight runs (within shutdown_grace), flush the sinks, save the
state and exit 0; SIGHUP reloads the config file (an invalid file is rejected and the running
pipelines go on).
Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
)";
}

std::optional<CommandLine> parse_command_line(int argc, char** argv, std::string& error) {
    CommandLine cl;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                error = "option " + std::string(a) + " needs a value";
                return false;
            }
            out = argv[++i];
            return true;
        };
        if (a == "--config" || a == "-c") {
            if (!value(cl.config)) {
                return std::nullopt;
            }
        } else if (a.starts_with("--config=")) {
            cl.config = a.substr(9);
        } else if (a == "--once") {
            cl.once = true;
        } else if (a == "--check-config") {
            cl.check_config = true;
        } else if (a == "--plugin-dir") {
            if (!value(cl.plugin_dir)) {
                return std::nullopt;
            }
        } else if (a == "--format") {
            if (!value(cl.format)) {
                return std::nullopt;
            }
        } else if (a == "--job" || a == "--input-bytes" || a == "--goal" || a == "--deadline" ||
                   a == "--pipeline") {
            std::string& target = a == "--job"           ? cl.job
                                  : a == "--input-bytes" ? cl.input_bytes
                                  : a == "--goal"        ? cl.goal
                                  : a == "--deadline"    ? cl.deadline
                                                         : cl.pipeline;
            if (!value(target)) {
                return std::nullopt;
            }
        } else if (a == "--gates") {
            cl.gates = true;
        } else if (a == "--version" || a == "-V") {
            cl.command = "version";
        } else if (a == "--help" || a == "-h" || a == "help") {
            cl.command = "help";
        } else if ((a == "plugins" || a == "describe" || a == "reference" || a == "analyze" ||
                    a == "advise" || a == "report") &&
                   cl.command == "run") {
            cl.command = std::string(a);
        } else if (!a.starts_with("-") && (cl.command == "describe" || cl.command == "analyze")) {
            cl.args.emplace_back(a);
        } else {
            error = "unknown argument '" + std::string(a) + "'";
            return std::nullopt;
        }
    }
    if (cl.command == "describe" && cl.args.empty()) {
        error = "describe needs a plugin name (see `spotd plugins`)";
        return std::nullopt;
    }
    if (cl.command == "analyze" && cl.args.empty()) {
        error = "analyze needs at least one event-log file";
        return std::nullopt;
    }
    if (cl.command == "analyze" && cl.format != "text" && cl.format != "json") {
        error = "analyze --format takes text or json";
        return std::nullopt;
    }
    if (cl.command == "advise" && cl.format != "text" && cl.format != "json" &&
        cl.format != "spark-submit" && cl.format != "properties") {
        error = "advise --format takes text, json, spark-submit or properties";
        return std::nullopt;
    }
    if (cl.command == "report" && cl.job.empty()) {
        error = "report needs --job (spotd advise --config FILE lists the jobs)";
        return std::nullopt;
    }
    if ((cl.command == "describe" || cl.command == "run") && cl.format != "text" &&
        cl.format != "md" && cl.format != "yaml" && cl.format != "json") {
        error = "--format takes text, md, yaml or json";
        return std::nullopt;
    }
    if (cl.command != "advise" && cl.command != "report" &&
        !(cl.job.empty() && cl.input_bytes.empty() && cl.goal.empty() && cl.deadline.empty() &&
          cl.pipeline.empty())) {
        error =
            "--job, --input-bytes, --goal, --deadline and --pipeline belong to advise and report";
        return std::nullopt;
    }
    return cl;
}

}  // namespace spot::daemon
