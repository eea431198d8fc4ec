// spotd entry point: parse the command line, load plugins and config, hand over to Daemon.
// The only place that catches every exception (STYLE §5: boundaries).
#include "advise_command.hpp"
#include "analyze_command.hpp"
#include "report_command.hpp"
#include "cli.hpp"
#include "config/config.hpp"
#include "daemon.hpp"
#include "describe.hpp"
#include "pipeline/pipeline.hpp"

#include <spot/http.hpp>
#include <spot/logging.hpp>

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <iostream>

namespace {

using namespace spot;
namespace asio = boost::asio;

// Built-in plugin directory, then --plugin-dir. Refusals are printed, not fatal: a config that
// uses a refused plugin fails validation with the plugin's name.
void load_plugins(core::PluginRegistry& registry, const std::string& extra_dir) {
    auto report = [](const std::vector<Error>& refused) {
        for (const auto& e : refused) {
            std::cerr << "spotd: warning: " << e.describe() << "\n";
        }
    };
    report(registry.add_directory(core::default_plugin_dir()));
    if (!extra_dir.empty()) {
        report(registry.add_directory(extra_dir));
    }
}

// Builds every plugin instance of every pipeline without starting it (factories do no I/O), so
// that the plugins' own cross-field checks run. Returns one line per failure, empty when none.
std::string check_plugins(const core::Config& config) {
    asio::io_context io;
    MetricsRegistry metrics;
    http::Client http(io.get_executor(), &metrics);
    core::Services services{io.get_executor(), io.get_executor(), &metrics, nullptr, &http};
    std::string out;
    for (const auto& pc : config.pipelines) {
        if (auto checked = core::Pipeline::check(pc, services); !checked) {
            out += checked.error().describe() + "\n";
        }
    }
    return out;
}

int run(const daemon::CommandLine& cl) {
    if (cl.command == "analyze") {  // no config, no plugins: the analysis library itself
        return daemon::analyze_logs(cl.args, cl.format, cl.gates);
    }
    core::PluginRegistry registry;
    load_plugins(registry, cl.plugin_dir);
    if (cl.command == "plugins") {
        std::cout << daemon::list_plugins(registry);
        return 0;
    }
    if (cl.command == "reference") {
        std::cout << daemon::configuration_reference(registry);
        return 0;
    }
    if (cl.command == "describe") {
        for (const auto& name : cl.args) {
            const auto* p = registry.find(name);
            if (p == nullptr) {
                std::string hint = core::nearest(name, registry.names());
                std::cerr << "spotd: unknown plugin '" << name << "'"
                          << (hint.empty() ? "" : "; did you mean '" + hint + "'?") << "\n";
                return 2;
            }
            std::cout << daemon::describe_plugin(*p, cl.format);
        }
        return 0;
    }
    auto config = core::load_config(cl.config, registry);
    if (!config) {
        const Error error = config.error();  // result::error() returns a copy
        std::cerr << error.describe() << "\n";
        if (cl.check_config) {
            std::size_t lines = 1 + std::count(error.message.begin(), error.message.end(), '\n');
            std::cerr << "spotd: " << lines << " error(s) in " << cl.config << "\n";
        }
        return 2;
    }
    if (cl.command == "advise" ||
        cl.command == "report") {  // stdout is the answer; warnings to stderr
        logging::setup(spdlog::level::warn, logging::parse_format(config->log_format));
        return cl.command == "advise" ? daemon::advise_command(*config, cl)
                                      : daemon::report_command(*config, cl);
    }
    if (cl.check_config) {
        if (auto checked = check_plugins(*config); !checked.empty()) {
            std::cerr << checked;
            return 2;
        }
        std::cout << cl.config << ": OK (" << config->pipelines.size() << " pipeline(s))\n";
        return 0;
    }
    logging::setup(spdlog::level::from_str(config->log_level),
                   logging::parse_format(config->log_format));
    daemon::Daemon d(registry, std::move(*config), cl.once);
    return d.run();
}

}  // namespace

int main(int argc, char** argv) {
    std::string error;
    auto cl = spot::daemon::parse_command_line(argc, argv, error);
    if (!cl) {
        std::cerr << "spotd: " << error << "\n\n" << spot::daemon::usage_text();
        return 2;
    }
    if (cl->command == "help") {
        std::cout << spot::daemon::usage_text();
        return 0;
    }
    if (cl->command == "version") {
        std::cout << "spotd " << SPOT_VERSION << " (plugin ABI " << SPOT_PLUGIN_ABI_VERSION << ", "
                  << SPOT_TOOLCHAIN << ")\n";
        return 0;
    }
    try {
        return run(*cl);
    } catch (const std::exception& e) {
        std::cerr << "spotd: fatal: " << e.what() << "\n";
        return 1;
    }
}
