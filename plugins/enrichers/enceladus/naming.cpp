#include "naming.hpp"

#include "run_typing.hpp"

#include <spot/time.hpp>

#include <boost/json/serialize.hpp>
#include <charconv>
#include <vector>

namespace spot::enrichers::enceladus {

namespace json = boost::json;

namespace {

// Split on every single space, empty words kept: a name whose report version was omitted ends
// in a space and an empty last word.
std::vector<std::string_view> words(std::string_view name) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        const auto sp = name.find(' ', start);
        out.push_back(name.substr(start, sp == std::string_view::npos ? sp : sp - start));
        if (sp == std::string_view::npos) {
            return out;
        }
        start = sp + 1;
    }
}

// An integer when the word is all digits (and fits), else the word itself.
json::value int_or_text(std::string_view w) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (!w.empty() && ec == std::errc() && end == w.data() + w.size() && w.front() != '-') {
        return v;
    }
    return json::string(w);
}

// The info date at 12:00 UTC (so that no time zone moves it to another day), in either of
// Atum's date layouts; nullopt for anything else.
std::optional<std::string> noon_of(std::string_view date) {
    const auto t = parse_atum_time(std::string(date) + " 12:00:00 +0000", TimeZone{});
    if (!t) {
        return std::nullopt;
    }
    return iso_utc(SysMillis(std::chrono::milliseconds(*t)));
}

}  // namespace

std::optional<json::object> classify_name(std::string_view name) {
    auto w = words(name);
    std::string type;
    std::size_t first = 0;  // index of the app version
    if (w.size() == 7 && w[0] == "Enceladus" &&
        (w[1] == "Standardization" || w[1] == "Conformance" ||
         w[1] == "Standardization&Conformance")) {
        type = std::string(w[1]);
        first = 2;
    } else if (w.size() == 6 && w[0] == "Standardisation") {
        type = "Standardization";
        first = 1;
    } else if (w.size() == 7 && w[0] == "Dynamic" && w[1] == "Conformance") {
        type = "Conformance";
        first = 2;
    } else {
        return std::nullopt;
    }
    for (auto& ch : type) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    const auto app_version = w[first], dataset = w[first + 1], dataset_version = w[first + 2],
               info_date = w[first + 3], info_version = w[first + 4];
    if (app_version.empty() || dataset.empty()) {
        return std::nullopt;  // doubled spaces: not a name Enceladus wrote
    }
    json::object c{{"project", "enceladus"},
                   {"app", "enceladus"},
                   {"type", type},
                   {"app_version", app_version},
                   {"dataset", dataset},
                   {"dataset_version", int_or_text(dataset_version)},
                   {"info_date", "str:" + std::string(info_date)},
                   {"info_version", int_or_text(info_version)}};
    if (auto noon = noon_of(info_date)) {
        c["info_date_casted"] = *noon;
    }
    return c;
}

std::string tag_of(const json::object& c) {
    auto text = [&](const char* k) {
        const auto& v = c.at(k);
        return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
    };
    return text("type") + "_" + text("app_version") + "_" + text("dataset") + "_" +
           text("dataset_version");
}

std::string_view own_prefix(std::string_view type) {
    return type == "conformance" ? "conform" : "std";
}

}  // namespace spot::enrichers::enceladus
