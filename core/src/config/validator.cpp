#include "config/validator.hpp"

#include "config/config.hpp"

#include <spot/time.hpp>

#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <regex>
#include <sstream>

namespace spot::core {

namespace {

std::string node_kind(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map: return "a map";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Null: return "nothing";
        default: return "a scalar";
    }
}

std::vector<std::string> split_choices(const char* choices) {
    std::vector<std::string> out;
    std::string_view all = choices ? choices : "";
    std::size_t start = 0;
    while (start <= all.size()) {
        auto bar = all.find('|', start);
        if (bar == std::string_view::npos) {
            bar = all.size();
        }
        out.emplace_back(all.substr(start, bar - start));
        start = bar + 1;
    }
    return out;
}

template <class T>
bool within(T v, const char* min, const char* max, auto parse) {
    if (min != nullptr) {
        if (auto m = parse(min); m && v < *m) {
            return false;
        }
    }
    if (max != nullptr) {
        if (auto m = parse(max); m && v > *m) {
            return false;
        }
    }
    return true;
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::optional<double> to_double(std::string_view s) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::optional<std::int64_t> to_ms(std::string_view s) {
    auto d = parse_duration(s);
    return d ? std::optional<std::int64_t>(d->count()) : std::nullopt;
}

std::string range_text(const spot_option_decl& d) {
    return fmt::format(" (allowed: {} to {})", d.min ? d.min : "-inf", d.max ? d.max : "+inf");
}

}  // namespace

Validator::Validator(std::filesystem::path file)
    : file_(std::move(file)), base_dir_(std::filesystem::absolute(file_).parent_path()) {}

std::string Validator::where(const YAML::Mark& mark,
                             const std::string& path,
                             const std::string& plugin) const {
    std::string at = file_.string();
    if (!mark.is_null()) {
        at += fmt::format(":{}:{}", mark.line + 1, mark.column + 1);
    }
    std::string what = path.empty() ? "(top level)" : path;
    if (!plugin.empty()) {
        what += " (" + plugin + ")";
    }
    return at + ": " + what;
}

void Validator::error(const YAML::Mark& mark,
                      const std::string& path,
                      const std::string& plugin,
                      const std::string& message) {
    errors_.push_back(where(mark, path, plugin) + ": " + message);
}

std::optional<std::string> Validator::scalar(const YAML::Node& node,
                                             const std::string& path,
                                             const std::string& plugin) {
    if (!node.IsScalar()) {
        error(node.Mark(), path, plugin, "expected a scalar value, got " + node_kind(node));
        return std::nullopt;
    }
    std::string missing;
    auto expanded = expand_env(node.Scalar(), missing);
    if (!expanded) {
        error(node.Mark(), path, plugin,
              fmt::format("environment variable '{}' is not set (write ${{{}:-default}} for a "
                          "fallback)",
                          missing, missing));
    }
    return expanded;
}

std::optional<OptionValue> Validator::parse_text(const std::string& text,
                                                 const spot_option_decl& d,
                                                 std::string& why) const {
    switch (d.type) {
        case SPOT_OPT_STRING: return OptionValue(text);
        case SPOT_OPT_PATH: {
            if (text.empty()) {
                return OptionValue(text);
            }
            std::filesystem::path p(text);
            return OptionValue((p.is_absolute() ? p : base_dir_ / p).lexically_normal().string());
        }
        case SPOT_OPT_BOOL: {
            static const std::string kTrue[] = {"true", "yes", "on", "1"};
            static const std::string kFalse[] = {"false", "no", "off", "0"};
            for (const auto& t : kTrue) {
                if (text == t) {
                    return OptionValue(true);
                }
            }
            for (const auto& f : kFalse) {
                if (text == f) {
                    return OptionValue(false);
                }
            }
            why = fmt::format("expected true or false, got '{}'", text);
            return std::nullopt;
        }
        case SPOT_OPT_INT: {
            auto v = to_int(text);
            if (!v) {
                why = fmt::format("expected an integer, got '{}'", text);
                return std::nullopt;
            }
            if (!within(*v, d.min, d.max, to_int)) {
                why = fmt::format("{} is out of range{}", text, range_text(d));
                return std::nullopt;
            }
            return OptionValue(*v);
        }
        case SPOT_OPT_DOUBLE: {
            auto v = to_double(text);
            if (!v || !within(*v, d.min, d.max, to_double)) {
                why = fmt::format("expected a number{}, got '{}'", range_text(d), text);
                return std::nullopt;
            }
            return OptionValue(*v);
        }
        case SPOT_OPT_DURATION: {
            auto v = to_ms(text);
            if (!v) {
                why = fmt::format(
                    "invalid duration '{}'; write a number and a unit: 500ms, 10s, "
                    "30m, 168h, 7d",
                    text);
                return std::nullopt;
            }
            if (!within(*v, d.min, d.max, to_ms)) {
                why = fmt::format("duration {} is out of range{}", text, range_text(d));
                return std::nullopt;
            }
            return OptionValue(*v);
        }
        case SPOT_OPT_SIZE: {
            auto v = parse_size(text);
            if (!v) {
                why = fmt::format(
                    "invalid size '{}'; write a number and a unit: 512KiB, 64MiB, "
                    "1GiB (powers of 1024)",
                    text);
                return std::nullopt;
            }
            if (!within(*v, d.min, d.max, [](std::string_view t) { return parse_size(t); })) {
                why = fmt::format("size {} is out of range{}", text, range_text(d));
                return std::nullopt;
            }
            return OptionValue(*v);
        }
        case SPOT_OPT_URL:
            if (!text.starts_with("http://") && !text.starts_with("https://")) {
                why = fmt::format("expected an http:// or https:// URL, got '{}'", text);
                return std::nullopt;
            }
            return OptionValue(text);
        case SPOT_OPT_ENUM: {
            auto choices = split_choices(d.choices);
            for (const auto& c : choices) {
                if (c == text) {
                    return OptionValue(text);
                }
            }
            why = fmt::format("'{}' is not one of: {}", text, d.choices ? d.choices : "");
            return std::nullopt;
        }
        case SPOT_OPT_REGEX: try { std::regex re(text);
            } catch (const std::regex_error& e) {
                why = fmt::format("invalid regular expression '{}': {}", text, e.what());
                return std::nullopt;
            }
            return OptionValue(text);
        case SPOT_OPT_LIST:
            if (text.empty()) {
                return OptionValue(std::vector<std::string>{});
            }
            return OptionValue(std::vector<std::string>{text});
    }
    why = "unknown option type";
    return std::nullopt;
}

std::optional<OptionValue> Validator::parse(const YAML::Node& node,
                                            const spot_option_decl& d,
                                            const std::string& path,
                                            const std::string& plugin) {
    if (d.type == SPOT_OPT_LIST && node.IsSequence()) {
        std::vector<std::string> items;
        for (std::size_t i = 0; i < node.size(); ++i) {
            if (auto s = scalar(node[i], fmt::format("{}[{}]", path, i), plugin)) {
                items.push_back(*s);
            }
        }
        return OptionValue(std::move(items));
    }
    if (node.IsNull()) {
        error(node.Mark(), path, plugin,
              fmt::format("no value; expected a {}", option_type_name(d.type)));
        return std::nullopt;
    }
    auto text = scalar(node, path, plugin);
    if (!text) {
        return std::nullopt;
    }
    std::string why;
    auto value = parse_text(*text, d, why);
    if (!value) {
        error(node.Mark(), path, plugin, why);
    }
    return value;
}

std::optional<std::string> Validator::read_secret_file(const YAML::Node& node,
                                                       const std::string& path,
                                                       const std::string& plugin) {
    auto name = scalar(node, path, plugin);
    if (!name) {
        return std::nullopt;
    }
    std::filesystem::path p(*name);
    if (p.is_relative()) {
        p = base_dir_ / p;
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        error(node.Mark(), path, plugin, fmt::format("cannot read secret file '{}'", p.string()));
        return std::nullopt;
    }
    std::ostringstream content;
    content << in.rdbuf();
    std::string s = content.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
        s.pop_back();  // files written by `echo` end in a newline that is not part of the secret
    }
    return s;
}

Options Validator::options(const YAML::Node& map,
                           std::span<const spot_option_decl> decls,
                           const std::string& path,
                           const std::string& plugin,
                           std::span<const std::string_view> reserved) {
    Options out;
    std::vector<bool> given(decls.size(), false);
    auto child_path = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
    for (auto it = map.begin(); it != map.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (std::find(reserved.begin(), reserved.end(), key) != reserved.end()) {
            continue;
        }
        bool matched = false;
        for (std::size_t i = 0; i < decls.size() && !matched; ++i) {
            const auto& d = decls[i];
            const std::string name = d.name;
            const bool from_file = (d.flags & SPOT_OPT_SECRET) && key == name + "_file";
            if (key != name && !from_file) {
                continue;
            }
            matched = true;
            if (given[i]) {
                error(it->first.Mark(), child_path(key), plugin,
                      fmt::format("option '{}' is given twice (directly and as {}_file)", name,
                                  name));
                continue;
            }
            given[i] = true;
            if (d.flags & SPOT_OPT_DEPRECATED) {
                warnings_.push_back(fmt::format("{}: option '{}' is deprecated; use '{}'",
                                                child_path(key), name,
                                                d.replaced_by ? d.replaced_by : "(none)"));
            }
            if (from_file) {
                if (auto secret = read_secret_file(it->second, child_path(key), plugin)) {
                    out.set(name, *secret);
                }
            } else if (auto v = parse(it->second, d, child_path(key), plugin)) {
                out.set(name, std::move(*v));
            }
        }
        if (!matched) {
            std::vector<std::string> allowed;
            for (const auto& d : decls) {
                allowed.emplace_back(d.name);
            }
            allowed.insert(allowed.end(), reserved.begin(), reserved.end());
            std::string hint = nearest(key, allowed);
            std::string list;
            for (const auto& a : allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            error(it->first.Mark(), path, plugin,
                  fmt::format("unknown option '{}'{} Allowed: {}", key,
                              hint.empty() ? "." : "; did you mean '" + hint + "'?", list));
        }
    }
    for (std::size_t i = 0; i < decls.size(); ++i) {
        const auto& d = decls[i];
        if (given[i]) {
            continue;
        }
        if (d.flags & SPOT_OPT_REQUIRED) {
            error(map.Mark(), path, plugin,
                  fmt::format("missing required option '{}' ({})", d.name, d.doc));
            continue;
        }
        if (d.default_value == nullptr) {
            out.set(d.name, std::monostate{});
            continue;
        }
        std::string why;
        if (auto v = parse_text(d.default_value, d, why)) {
            out.set(d.name, std::move(*v));
        } else if (d.type == SPOT_OPT_PATH || std::string_view(d.default_value).empty()) {
            out.set(d.name, std::string(d.default_value));
        } else {
            error(map.Mark(), child_path(d.name), plugin, "bad built-in default: " + why);
        }
    }
    return out;
}

}  // namespace spot::core
