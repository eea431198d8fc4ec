#define BOOST_DLL_USE_STD_FS
#include "plugins/loader.hpp"

#include <spot/plugin.hpp>
#include <spot/toolchain.hpp>

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

namespace spot::core {

const char* kind_name(spot_plugin_kind kind) noexcept {
    switch (kind) {
        case SPOT_KIND_SOURCE: return "source";
        case SPOT_KIND_ENRICHER: return "enricher";
        case SPOT_KIND_AGGREGATOR: return "aggregator";
        case SPOT_KIND_SINK: return "sink";
        case SPOT_KIND_ADVISOR: return "advisor";
    }
    return "unknown";
}

const char* option_type_name(spot_option_type type) noexcept {
    switch (type) {
        case SPOT_OPT_STRING: return "string";
        case SPOT_OPT_BOOL: return "bool";
        case SPOT_OPT_INT: return "int";
        case SPOT_OPT_DOUBLE: return "double";
        case SPOT_OPT_DURATION: return "duration";
        case SPOT_OPT_SIZE: return "size";
        case SPOT_OPT_URL: return "url";
        case SPOT_OPT_PATH: return "path";
        case SPOT_OPT_ENUM: return "enum";
        case SPOT_OPT_LIST: return "list";
        case SPOT_OPT_REGEX: return "regex";
    }
    return "unknown";
}

Result<LoadedPlugin> load_plugin(const std::filesystem::path& file) {
    const std::string who = fmt::format("plugin '{}'", file.filename().string());
    auto refuse = [&](std::string why) {
        return make_error(ErrorCode::Plugin, std::move(why), who + " (" + file.string() + ")");
    };
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return refuse("no such file");
    }
    namespace dll = boost::dll;
    auto lib = std::make_shared<dll::shared_library>();
    boost::dll::fs::error_code load_ec;
    lib->load(file, dll::load_mode::rtld_now | dll::load_mode::rtld_local, load_ec);
    if (load_ec) {
        return refuse("cannot load the library: " + load_ec.message());
    }
    if (!lib->has(SPOT_PLUGIN_ENTRY_SYMBOL)) {
        return refuse(
            fmt::format("no entry point '{}'; not a Spot plugin, or built without "
                        "SPOT_PLUGIN(...)",
                        SPOT_PLUGIN_ENTRY_SYMBOL));
    }
    auto entry = lib->get<const spot_plugin_descriptor*()>(SPOT_PLUGIN_ENTRY_SYMBOL);
    const spot_plugin_descriptor* d = entry();
    if (d == nullptr) {
        return refuse("entry point returned no descriptor");
    }
    if (d->abi_version != SPOT_PLUGIN_ABI_VERSION) {
        return refuse(
            fmt::format("ABI version {}, spotd expects {}; rebuild the plugin with this "
                        "spotd",
                        d->abi_version, SPOT_PLUGIN_ABI_VERSION));
    }
    if (d->struct_size < sizeof(spot_plugin_descriptor)) {
        return refuse(
            fmt::format("descriptor size {}, spotd expects at least {}; rebuild the "
                        "plugin with this spotd",
                        d->struct_size, sizeof(spot_plugin_descriptor)));
    }
    if (d->toolchain == nullptr || std::string_view(d->toolchain) != SPOT_TOOLCHAIN) {
        return refuse(
            fmt::format("built with toolchain '{}', spotd with '{}'; rebuild the plugin "
                        "with this spotd",
                        d->toolchain ? d->toolchain : "(none)", SPOT_TOOLCHAIN));
    }
    if (d->name == nullptr || *d->name == '\0') {
        return refuse("descriptor has no name");
    }
    if (d->kind < SPOT_KIND_SOURCE || d->kind > SPOT_KIND_ADVISOR) {
        return refuse(fmt::format("unknown plugin kind {}", static_cast<int>(d->kind)));
    }
    if (d->factory == nullptr || d->factory->create == nullptr) {
        return refuse("descriptor has no factory");
    }
    for (size_t i = 0; i < d->option_count; ++i) {
        if (d->options[i].name == nullptr || d->options[i].doc == nullptr) {
            return refuse(fmt::format("option #{} has no name or no doc line", i));
        }
    }
    return LoadedPlugin{file, d, std::move(lib)};
}

}  // namespace spot::core
