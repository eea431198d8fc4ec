#include "classify.hpp"

#include <string>

namespace spot::enrichers::classify {

boost::json::object classification_of(std::string_view name, std::string_view separators) {
    boost::json::object out{{"app", name}, {"type", name}};
    std::size_t start = 0;
    int part = 1;
    while (true) {
        auto end = name.find_first_of(separators, start);
        auto piece = name.substr(start, end == std::string_view::npos ? end : end - start);
        out[std::to_string(part++)] = piece;
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return out;
}

}  // namespace spot::enrichers::classify
