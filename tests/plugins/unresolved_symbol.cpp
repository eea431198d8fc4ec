// Needs a symbol that no library provides: RTLD_NOW refuses it at load, not at first call.
#include <spot/plugin.hpp>

extern "C" int spot_symbol_that_does_not_exist();

namespace {
std::unique_ptr<spot::Plugin> create(const spot::PluginContext&, const spot::Options&) {
    return spot_symbol_that_does_not_exist() ? nullptr : nullptr;
}
constexpr spot_option_decl kOptions[] = {spot::option("x", SPOT_OPT_STRING, "", "Unused.")};
constexpr spot_factory kFactory{&create};
constexpr auto kDescriptor = spot::make_descriptor("test-unresolved",
                                                   SPOT_KIND_SINK,
                                                   "0",
                                                   "Unresolved.",
                                                   kOptions,
                                                   &kFactory);
}  // namespace

SPOT_PLUGIN(kDescriptor)
