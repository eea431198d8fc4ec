// Built as if against a future ABI: the loader must refuse it before reading anything else.
#include <spot/plugin.hpp>

namespace {
std::unique_ptr<spot::Plugin> create(const spot::PluginContext&, const spot::Options&) {
    return nullptr;
}
constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor{999,
                                             sizeof(spot_plugin_descriptor),
                                             SPOT_TOOLCHAIN,
                                             "test-bad-abi",
                                             SPOT_KIND_SINK,
                                             "0",
                                             "Bad ABI.",
                                             nullptr,
                                             0,
                                             &kFactory};
}  // namespace

SPOT_PLUGIN(kDescriptor)
