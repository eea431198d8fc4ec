// runfiles: replays Runs saved as JSON files (one per file, REST shape).
#include "runfiles_source.hpp"

namespace spot::sources::runfiles {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("dir",
           SPOT_OPT_PATH,
           nullptr,
           "Directory of *.json files, one Run each.",
           SPOT_OPT_REQUIRED),
    option("include", SPOT_OPT_REGEX, "", "Process only runs whose name matches (search)."),
    option("exclude", SPOT_OPT_REGEX, "", "Skip runs whose name matches (search); empty: none."),
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    return std::make_unique<RunFilesSource>(ctx, options.str("dir"), options.str("include"),
                                            options.str("exclude"));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("runfiles",
                    SPOT_KIND_SOURCE,
                    "1.0.0",
                    "Replays Runs saved as JSON files (History Server REST shape), one per file.",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::sources::runfiles

SPOT_PLUGIN(spot::sources::runfiles::kDescriptor)
