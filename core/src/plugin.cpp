// Key functions of the plugin interfaces: their vtables and type info live in libspot-core, once.
#include <spot/plugin.hpp>

namespace spot {
Plugin::~Plugin() = default;
RunQueue::~RunQueue() = default;
}  // namespace spot
