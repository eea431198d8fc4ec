#include <spot/options.hpp>
#include <spot/result.hpp>

namespace spot {

bool Options::has(const std::string& name) const {
    auto it = values_.find(name);
    return it != values_.end() && !std::holds_alternative<std::monostate>(it->second);
}

const OptionValue& Options::at(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) {
        throw Exception(make_error(ErrorCode::Internal, "option '" + name + "' was not declared"));
    }
    return it->second;
}

template <class T>
static const T& get_as(const OptionValue& v, const std::string& name) {
    if (const T* p = std::get_if<T>(&v)) {
        return *p;
    }
    throw Exception(make_error(ErrorCode::Internal,
                               "option '" + name + "' has no value of the requested type"));
}

const std::string& Options::str(const std::string& name) const {
    return get_as<std::string>(at(name), name);
}
bool Options::flag(const std::string& name) const { return get_as<bool>(at(name), name); }
std::int64_t Options::integer(const std::string& name) const {
    return get_as<std::int64_t>(at(name), name);
}
double Options::number(const std::string& name) const { return get_as<double>(at(name), name); }
std::chrono::milliseconds Options::duration(const std::string& name) const {
    return std::chrono::milliseconds(get_as<std::int64_t>(at(name), name));
}
const std::vector<std::string>& Options::list(const std::string& name) const {
    return get_as<std::vector<std::string>>(at(name), name);
}

}  // namespace spot
