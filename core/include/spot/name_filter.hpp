// Which runs a source processes, by application name: include and exclude regular expressions
// (ECMAScript, searched anywhere in the name; an empty pattern means "all" / "none").
#pragma once

#include <regex>
#include <string>

namespace spot {

class NameFilter {
   public:
    NameFilter(const std::string& include, const std::string& exclude)
        : include_(include),
          exclude_(exclude.empty() ? "$^" : exclude),
          has_exclude_(!exclude.empty()) {}

    [[nodiscard]] bool operator()(const std::string& name) const {
        return std::regex_search(name, include_) &&
               !(has_exclude_ && std::regex_search(name, exclude_));
    }

   private:
    std::regex include_, exclude_;
    bool has_exclude_;
};

}  // namespace spot
