// Opens one plugin library and checks its descriptor before any C++ object crosses over.
#pragma once

#include <spot/plugin_abi.h>
#include <spot/result.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace boost::dll {
class shared_library;
}

namespace spot::core {

struct LoadedPlugin {
    std::filesystem::path path;
    const spot_plugin_descriptor* descriptor = nullptr;
    // Kept loaded for the life of the process: exceptions, vtables and coroutine frames created
    // by the plugin point into it.
    std::shared_ptr<boost::dll::shared_library> library;

    [[nodiscard]] std::string name() const { return descriptor->name; }
};

// Checks, in order: file exists, library loads (RTLD_NOW, so missing symbols fail here), entry
// point, ABI version, struct size, toolchain, kind. Each refusal is one line naming the file.
[[nodiscard]] Result<LoadedPlugin> load_plugin(const std::filesystem::path& file);

const char* kind_name(spot_plugin_kind kind) noexcept;
const char* option_type_name(spot_option_type type) noexcept;

}  // namespace spot::core
