// ${ENV} expansion: the one place where Spot reads the environment for configuration.
#include "config/validator.hpp"

#include <cstdlib>

namespace spot::core {

std::optional<std::string> expand_env(std::string_view text, std::string& missing) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, 2, "${") != 0) {
            out += text[i++];
            continue;
        }
        auto close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        std::string_view inner = text.substr(i + 2, close - i - 2);
        std::string_view name = inner;
        std::optional<std::string_view> fallback;
        if (auto sep = inner.find(":-"); sep != std::string_view::npos) {
            name = inner.substr(0, sep);
            fallback = inner.substr(sep + 2);
        }
        const char* value = std::getenv(std::string(name).c_str());
        if (value != nullptr && *value != '\0') {
            out += value;
        } else if (fallback) {
            out.append(*fallback);
        } else {
            missing = std::string(name);
            return std::nullopt;
        }
        i = close + 1;
    }
    return out;
}

}  // namespace spot::core
