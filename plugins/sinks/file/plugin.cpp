// file: the embedded default sink. JSON lines per stream in a directory; fsync before a batch is
// acknowledged; rotation by size.
#include "file_sink.hpp"

#include <spot/plugin.hpp>

namespace spot::sinks::file {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("dir",
           SPOT_OPT_PATH,
           nullptr,
           "Directory of the <stream>.jsonl files (raw, agg, err, ...); created when missing.",
           SPOT_OPT_REQUIRED),
    option("max_file_size",
           SPOT_OPT_SIZE,
           "256MiB",
           "Rotate <stream>.jsonl to <stream>.<UTC time>.jsonl before it grows past this size.",
           0,
           nullptr,
           "4KiB",
           "1TiB"),
    option("fsync",
           SPOT_OPT_BOOL,
           "true",
           "fdatasync before acknowledging a batch; false acknowledges once the kernel has it "
           "(faster, may lose the last batches on power loss)."),
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    FileSinkOptions o{options.str("dir"), options.integer("max_file_size"), options.flag("fsync")};
    return std::make_unique<FileSink>(ctx, std::move(o));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("file",
                    SPOT_KIND_SINK,
                    "1.0.0",
                    "Writes documents as JSON lines, one file per stream, fsync'd before ack.",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::sinks::file

SPOT_PLUGIN(spot::sinks::file::kDescriptor)
