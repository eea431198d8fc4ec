// The plugins spotd knows, by name. Filled from plugin directories at start; never unloaded.
#pragma once

#include "plugins/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace spot::core {

class PluginRegistry {
   public:
    // Loads every lib*.so in `dir`. A library that is refused is skipped; its one-line reason
    // is returned so the caller decides how loud to be. A directory already loaded is skipped
    // (config reloads name the same plugin_dir again).
    std::vector<Error> add_directory(const std::filesystem::path& dir);
    // Refuses a second plugin with the same name (the first one stays).
    [[nodiscard]] Result<void> add(LoadedPlugin plugin);

    [[nodiscard]] const LoadedPlugin* find(std::string_view name) const;
    [[nodiscard]] const std::vector<LoadedPlugin>& all() const { return plugins_; }
    [[nodiscard]] std::vector<std::string> names() const;

   private:
    std::vector<LoadedPlugin> plugins_;  // sorted by name
    std::vector<std::filesystem::path> directories_;
};

// <directory of the running executable>/../lib/spot/plugins: the same in the build tree and in
// an installed prefix.
std::filesystem::path default_plugin_dir();

}  // namespace spot::core
