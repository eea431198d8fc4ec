// Claims another compiler: C++ objects must not cross, so the loader refuses it.
#include <spot/plugin.hpp>

namespace {
std::unique_ptr<spot::Plugin> create(const spot::PluginContext&, const spot::Options&) {
    return nullptr;
}
constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor{SPOT_PLUGIN_ABI_VERSION,
                                             sizeof(spot_plugin_descriptor),
                                             "msvc-19;cxxabi=0;boost=0",
                                             "test-bad-toolchain",
                                             SPOT_KIND_SINK,
                                             "0",
                                             "Bad toolchain.",
                                             nullptr,
                                             0,
                                             &kFactory};
}  // namespace

SPOT_PLUGIN(kDescriptor)
