// Small text helpers shared by the core and the plugins.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace spot {

// `s` without leading and trailing white space.
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

// The items of a list option given as a YAML list, as one comma-separated text ("a, b"), or
// both: each item split on ',' and trimmed, empty ones dropped.
inline std::vector<std::string> list_items(const std::vector<std::string>& given) {
    std::vector<std::string> out;
    for (std::string_view item : given) {
        while (true) {
            const auto comma = item.find(',');
            if (auto part = trim(item.substr(0, comma)); !part.empty()) {
                out.emplace_back(part);
            }
            if (comma == std::string_view::npos) {
                break;
            }
            item.remove_prefix(comma + 1);
        }
    }
    return out;
}

}  // namespace spot
