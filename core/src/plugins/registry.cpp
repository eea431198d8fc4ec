#include "plugins/registry.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace spot::core {

std::vector<Error> PluginRegistry::add_directory(const std::filesystem::path& dir) {
    std::vector<Error> refused;
    std::error_code ec;
    auto canonical = std::filesystem::weakly_canonical(dir, ec);
    if (std::find(directories_.begin(), directories_.end(), canonical) != directories_.end()) {
        return refused;
    }
    directories_.push_back(canonical);
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (name.starts_with("lib") && entry.path().extension() == ".so") {
            files.push_back(entry.path());
        }
    }
    if (ec) {
        refused.push_back(make_error(ErrorCode::Plugin,
                                     "cannot read plugin directory: " + ec.message(),
                                     dir.string()));
        return refused;
    }
    std::sort(files.begin(), files.end());  // deterministic: the same plugin wins every time
    for (const auto& file : files) {
        auto loaded = load_plugin(file);
        if (!loaded) {
            refused.push_back(loaded.error());
            continue;
        }
        if (auto added = add(std::move(*loaded)); !added) {
            refused.push_back(added.error());
        }
    }
    return refused;
}

Result<void> PluginRegistry::add(LoadedPlugin plugin) {
    if (const auto* existing = find(plugin.descriptor->name)) {
        return make_error(ErrorCode::Plugin,
                          fmt::format("name '{}' is already taken by '{}'", plugin.name(),
                                      existing->path.filename().string()),
                          fmt::format("plugin '{}'", plugin.path.filename().string()));
    }
    auto pos =
        std::lower_bound(plugins_.begin(), plugins_.end(), plugin.name(),
                         [](const LoadedPlugin& p, const std::string& n) { return p.name() < n; });
    plugins_.insert(pos, std::move(plugin));
    return {};
}

const LoadedPlugin* PluginRegistry::find(std::string_view name) const {
    for (const auto& p : plugins_) {
        if (name == p.descriptor->name) {
            return &p;
        }
    }
    return nullptr;
}

std::vector<std::string> PluginRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& p : plugins_) {
        out.push_back(p.name());
    }
    return out;
}

std::filesystem::path default_plugin_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return "/usr/local/lib/spot/plugins";
    }
    return (exe.parent_path() / ".." / "lib" / "spot" / "plugins").lexically_normal();
}

}  // namespace spot::core
