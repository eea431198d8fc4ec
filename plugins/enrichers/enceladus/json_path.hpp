// A value found by a path of object keys, or nullptr where the path leaves the objects.
#pragma once

#include <boost/json/object.hpp>
#include <initializer_list>
#include <string_view>

namespace spot::enrichers::enceladus {

inline const boost::json::value* find_path(const boost::json::object& o,
                                           std::initializer_list<std::string_view> path) {
    const boost::json::value* cur = nullptr;
    const boost::json::object* obj = &o;
    for (const auto k : path) {
        if (obj == nullptr || (cur = obj->if_contains(k)) == nullptr) {
            return nullptr;
        }
        obj = cur->if_object();
    }
    return cur;
}

}  // namespace spot::enrichers::enceladus
