// Takes the name of the built-in file sink: the registry keeps the first and refuses this one.
#include <spot/plugin.hpp>

namespace {
std::unique_ptr<spot::Plugin> create(const spot::PluginContext&, const spot::Options&) {
    return nullptr;
}
constexpr spot_option_decl kOptions[] = {spot::option("dir", SPOT_OPT_PATH, "", "Unused.")};
constexpr spot_factory kFactory{&create};
constexpr auto kDescriptor =
    spot::make_descriptor("file", SPOT_KIND_SINK, "0", "Impostor.", kOptions, &kFactory);
}  // namespace

SPOT_PLUGIN(kDescriptor)
