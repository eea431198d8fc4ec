// Checks one YAML map against a table of option declarations and turns it into typed Options.
// Errors are collected, not thrown, so one pass reports them all.
#pragma once

#include <spot/options.hpp>
#include <spot/plugin_abi.h>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace spot::core {

class Validator {
   public:
    explicit Validator(std::filesystem::path file);

    // `path` is the key path of the map ("pipelines.prod.sinks[0]"), `plugin` the plugin name
    // or empty for core tables. Keys listed in `reserved` belong to the caller and are skipped.
    Options options(const YAML::Node& map,
                    std::span<const spot_option_decl> decls,
                    const std::string& path,
                    const std::string& plugin,
                    std::span<const std::string_view> reserved = {});

    // "file:line:column: key.path (plugin)", how every error starts.
    [[nodiscard]] std::string where(const YAML::Mark& mark,
                                    const std::string& path,
                                    const std::string& plugin) const;
    void error(const YAML::Mark& mark,
               const std::string& path,
               const std::string& plugin,
               const std::string& message);
    // A scalar with ${ENV} expanded; records an error and returns nullopt otherwise.
    std::optional<std::string> scalar(const YAML::Node& node,
                                      const std::string& path,
                                      const std::string& plugin);

    [[nodiscard]] const std::vector<std::string>& errors() const { return errors_; }
    [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }
    [[nodiscard]] const std::filesystem::path& base_dir() const { return base_dir_; }

   private:
    std::optional<OptionValue> parse(const YAML::Node& node,
                                     const spot_option_decl& decl,
                                     const std::string& path,
                                     const std::string& plugin);
    std::optional<OptionValue> parse_text(const std::string& text,
                                          const spot_option_decl& decl,
                                          std::string& why) const;
    std::optional<std::string> read_secret_file(const YAML::Node& node,
                                                const std::string& path,
                                                const std::string& plugin);

    std::filesystem::path file_;
    std::filesystem::path base_dir_;
    std::vector<std::string> errors_;
    std::vector<std::string> warnings_;
};

// Expands ${NAME} and ${NAME:-default}; returns the name of an unset variable in `missing`.
std::optional<std::string> expand_env(std::string_view text, std::string& missing);

}  // namespace spot::core
