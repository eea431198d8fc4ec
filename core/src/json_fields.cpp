#include <spot/json_fields.hpp>
#include <spot/time.hpp>

#include <algorithm>
#include <exception>

namespace spot {

std::optional<double> number_of(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_number()) {
        return std::nullopt;
    }
    return v->to_number<double>();
}

std::optional<std::int64_t> time_of(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_string()) {
        return parse_timestamp(v->get_string());
    }
    if (v->is_int64()) {
        return v->get_int64();  // epoch ms, as some sources give it
    }
    return std::nullopt;
}

std::string string_of(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<double> property_of(const boost::json::object& props, std::string_view dotted) {
    std::string key(dotted);
    std::replace(key.begin(), key.end(), '.', '_');
    const auto* v = props.if_contains(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (v->is_number()) {
        return v->to_number<double>();
    }
    if (v->is_string()) {  // a value the normaliser could not type, or one it does not type
        try {
            return std::stod(std::string(v->get_string()));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace spot
