// The typed, validated view of one plugin's YAML section. Plugins never see YAML: the core has
// checked every key against the plugin's declarations before the factory runs (STYLE §3).
#pragma once

#include <spot/plugin_abi.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace spot {

using OptionValue =
    std::variant<std::monostate, bool, std::int64_t, double, std::string, std::vector<std::string>>;

class Options {
   public:
    void set(std::string name, OptionValue value) { values_[std::move(name)] = std::move(value); }
    [[nodiscard]] bool has(const std::string& name) const;

    // Accessors throw spot::Exception(Internal) on a name the plugin did not declare: that is a
    // bug in the plugin, caught by its first test.
    [[nodiscard]] const std::string& str(const std::string& name) const;
    [[nodiscard]] bool flag(const std::string& name) const;
    [[nodiscard]] std::int64_t integer(const std::string& name) const;  // int, size (bytes)
    [[nodiscard]] double number(const std::string& name) const;
    [[nodiscard]] std::chrono::milliseconds duration(const std::string& name) const;
    [[nodiscard]] const std::vector<std::string>& list(const std::string& name) const;

   private:
    const OptionValue& at(const std::string& name) const;
    std::map<std::string, OptionValue, std::less<>> values_;
};

}  // namespace spot
