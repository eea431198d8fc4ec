// Fuzz target: the YAML config loader. Any input gives a Config or an error; nothing throws.
#include "config/config.hpp"

#include <cstdint>
#include <fstream>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static spot::core::PluginRegistry registry = [] {
        spot::core::PluginRegistry r;
        (void)r.add_directory(SPOT_PLUGIN_DIR);
        return r;
    }();
    static const std::string file = "/tmp/spot-fuzz-config-" + std::to_string(::getpid()) + ".yaml";
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    auto cfg = spot::core::load_config(file, registry);
    (void)cfg;
    return 0;
}
