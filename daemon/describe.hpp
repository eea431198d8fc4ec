// Everything printed from option declarations: `spotd plugins`, `spotd describe`, and the
// configuration reference. The declarations are the single source of truth for all three.
#pragma once

#include "plugins/registry.hpp"

#include <string>

namespace spot::daemon {

std::string list_plugins(const core::PluginRegistry& registry);
// format: text | md | yaml | json
std::string describe_plugin(const core::LoadedPlugin& plugin, const std::string& format);
// The whole of docs/configuration.md.
std::string configuration_reference(const core::PluginRegistry& registry);

}  // namespace spot::daemon
