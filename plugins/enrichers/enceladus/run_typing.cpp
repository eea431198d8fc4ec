#include "run_typing.hpp"

#include <spot/text.hpp>
#include <spot/time.hpp>

#include <boost/date_time/local_time/posix_time_zone.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/json/array.hpp>
#include <charconv>
#include <cstdio>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace spot::enrichers::enceladus {

namespace {

// An integer or a plain decimal, else nullopt ("2.19.0", "local-1", "" stay text).
std::optional<json::value> number_of(std::string_view s) {
    if (s.empty() || s.size() > 30) {
        return std::nullopt;
    }
    std::int64_t i = 0;
    if (auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
        ec == std::errc() && end == s.data() + s.size()) {
        return json::value(i);
    }
    double d = 0;
    if (auto [end, ec] =
            std::from_chars(s.data(), s.data() + s.size(), d, std::chars_format::fixed);
        ec == std::errc() && end == s.data() + s.size()) {
        return json::value(d);
    }
    return std::nullopt;
}

// Flags whose values are secrets or identify a run's input (SPEC §6; the rest-api-* spellings
// are the same flags after Menas became the REST API in Enceladus 3).
bool secret_flag(std::string_view flag) {
    return flag == "menas-auth-keytab" || flag == "menas-credentials-file" ||
           flag == "rest-api-auth-keytab" || flag == "rest-api-credentials-file" ||
           flag == "report-date";
}

// A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3": offsets count west of UTC) in the form
// Boost.DateTime reads (offsets east of UTC, names alphabetic): the offsets' signs flipped,
// <+03>-style names replaced.
std::string boost_rule(const std::string& p) {
    std::size_t i = 0;
    auto name = [&]() -> std::string {
        if (i < p.size() && p[i] == '<') {
            const auto e = p.find('>', i);
            i = e == std::string::npos ? p.size() : e + 1;
            return "ZZZ";
        }
        const std::size_t s = i;
        while (i < p.size() && std::isalpha(static_cast<unsigned char>(p[i])) != 0) {
            ++i;
        }
        return p.substr(s, i - s);
    };
    auto offset = [&]() -> std::string {
        char sign = '+';
        if (i < p.size() && (p[i] == '+' || p[i] == '-')) {
            sign = p[i++];
        }
        const std::size_t s = i;
        while (i < p.size() &&
               (std::isdigit(static_cast<unsigned char>(p[i])) != 0 || p[i] == ':')) {
            ++i;
        }
        return (sign == '+' ? "-" : "+") + p.substr(s, i - s);
    };
    std::string out = name();
    out += offset();
    if (i < p.size() && p[i] != ',') {
        out += name();
        if (i < p.size() && p[i] != ',') {
            out += offset();
        }
    }
    return out + p.substr(i);
}

}  // namespace

struct TimeZone::Rule {
    std::optional<boost::local_time::posix_time_zone> posix;  // empty: fixed offset
    std::chrono::seconds fixed{0};
};

Result<TimeZone> TimeZone::parse(const std::string& spec) {
    auto rule = std::make_shared<Rule>();
    std::string posix = spec;
    if (spec.empty() || spec == "UTC" || spec == "Z") {
        TimeZone z;
        z.rule_ = rule;
        return z;
    }
    int h = 0, m = 0;
    char sign = 0, tail = 0;
    if ((spec.front() == '+' || spec.front() == '-') &&
        (std::sscanf(spec.c_str(), "%c%2d:%2d%c", &sign, &h, &m, &tail) == 3 ||
         std::sscanf(spec.c_str(), "%c%2d%2d%c", &sign, &h, &m, &tail) == 3) &&
        h <= 14 && m < 60) {
        rule->fixed = std::chrono::seconds((sign == '-' ? -1 : 1) * (h * 3600 + m * 60));
        TimeZone z;
        z.rule_ = rule;
        return z;
    }
    if (spec.find('/') != std::string::npos ||
        std::isupper(static_cast<unsigned char>(spec[0])) != 0) {
        // An IANA name: its current rule is the last line of the zoneinfo file (TZif footer).
        if (spec.find("..") != std::string::npos || spec.front() == '/') {
            return make_error(ErrorCode::Config, "'" + spec + "' is not a time zone name");
        }
        std::ifstream in("/usr/share/zoneinfo/" + spec, std::ios::binary);
        if (in) {
            std::stringstream buf;
            buf << in.rdbuf();
            std::string data = buf.str();
            while (!data.empty() && data.back() == '\n') {
                data.pop_back();
            }
            const auto nl = data.rfind('\n');
            if (data.starts_with("TZif") && nl != std::string::npos) {
                posix = data.substr(nl + 1);
            }
        }
    }
    try {
        rule->posix.emplace(boost_rule(posix));
    } catch (const std::exception& e) {
        return make_error(ErrorCode::Config,
                          "'" + spec +
                              "' is neither UTC, an offset like +02:00, a POSIX TZ rule "
                              "nor a zone in /usr/share/zoneinfo (" +
                              e.what() + ")");
    }
    TimeZone z;
    z.rule_ = rule;
    return z;
}

std::chrono::seconds TimeZone::offset_at_local(std::int64_t local_seconds) const {
    if (!rule_ || !rule_->posix) {
        return rule_ ? rule_->fixed : std::chrono::seconds(0);
    }
    const auto& tz = *rule_->posix;
    const auto base = std::chrono::seconds(tz.base_utc_offset().total_seconds());
    if (!tz.has_dst()) {
        return base;
    }
    using namespace boost::posix_time;
    const ptime t = from_time_t(static_cast<std::time_t>(local_seconds));
    const int year = t.date().year();
    const ptime start = tz.dst_local_start_time(year);
    const ptime end = tz.dst_local_end_time(year);
    const bool dst = start < end ? (t >= start && t < end) : (t >= start || t < end);
    return dst ? base + std::chrono::seconds(tz.dst_offset().total_seconds()) : base;
}

std::optional<std::int64_t> parse_atum_time(std::string_view text, const TimeZone& zone) {
    const std::string s(trim(text));
    int a = 0, b = 0, c = 0, hh = 0, mm = 0, ss = 0, consumed = 0;
    if (std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d%n", &a, &b, &c, &hh, &mm, &ss, &consumed) != 6) {
        return std::nullopt;
    }
    const bool year_first = s.find('-') == 4;
    const int y = year_first ? a : c, d = year_first ? c : a;
    const std::chrono::year_month_day ymd{std::chrono::year(y),
                                          std::chrono::month(static_cast<unsigned>(b)),
                                          std::chrono::day(static_cast<unsigned>(d))};
    if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60 || y < 1000) {
        return std::nullopt;
    }
    const std::int64_t local =
        std::chrono::sys_days(ymd).time_since_epoch().count() * 86400LL + hh * 3600 + mm * 60 + ss;
    std::string_view rest = trim(std::string_view(s).substr(static_cast<std::size_t>(consumed)));
    std::int64_t offset = 0;
    if (rest.empty()) {
        offset = zone.offset_at_local(local).count();
    } else {
        int oh = 0, om = 0;
        char sign = 0, tail = 0;
        const std::string z(rest);
        if (z == "Z" || z == "UTC") {
            offset = 0;
        } else if ((std::sscanf(z.c_str(), "%c%2d%2d%c", &sign, &oh, &om, &tail) == 3 ||
                    std::sscanf(z.c_str(), "%c%2d:%2d%c", &sign, &oh, &om, &tail) == 3) &&
                   (sign == '+' || sign == '-') && oh <= 14 && om < 60) {
            offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return std::nullopt;
        }
    }
    return (local - offset) * 1000;
}

json::object parse_command_line(std::string_view args) {
    json::object out;
    std::size_t pos = args.find("--");
    while (pos != std::string_view::npos) {
        const std::size_t next = args.find(" --", pos);
        const auto piece =
            args.substr(pos + 2, next == std::string_view::npos ? next : next - pos - 2);
        const auto sp = piece.find(' ');
        const std::string flag(piece.substr(0, sp));
        std::string value =
            sp == std::string_view::npos ? std::string() : std::string(piece.substr(sp));
        if (!flag.empty()) {
            out[flag] = secret_flag(flag) ? std::string("spot_removed") : value;
        }
        pos = next == std::string_view::npos ? next : next + 1;
    }
    return out;
}

void type_additional_info(json::object& info) {
    for (auto& [key, v] : info) {
        if (!v.is_string()) {
            continue;
        }
        const std::string text(v.get_string());
        const std::string_view k = key;
        if (k.ends_with("_cmd_line_args")) {
            v = parse_command_line(text);
        } else if (k.ends_with("_size_ratio")) {
            // "110.01 %" -> 1.1001
            auto n = number_of(trim(std::string_view(text).substr(0, text.find('%'))));
            if (n && text.find('%') != std::string::npos) {
                v = n->to_number<double>() / 100.0;
            }
        } else if (k.ends_with("_memory_overhead")) {
            if (auto b = parse_size(text, 1 << 20)) {
                v = *b;
            }
        } else if (k.ends_with("_memory")) {
            if (auto b = parse_size(text)) {
                v = *b;
            }
        } else if (k == "enceladus_info_date") {
            v = "str:" + text;
        } else if (auto n = number_of(text)) {
            v = *n;
        }
    }
}

json::object aggregate_checkpoints(const json::array& checkpoints, const TimeZone& zone) {
    json::object out{{"elements_count", static_cast<std::int64_t>(checkpoints.size())}};
    json::object agg;
    std::map<std::string, json::value> reference;  // the first checkpoint's controls
    bool have_reference = false, match = true;
    for (const auto& cv : checkpoints) {
        if (!cv.is_object()) {
            continue;
        }
        json::object cp = cv.as_object();
        std::string name = cp.contains("name") && cp.at("name").is_string()
                               ? std::string(cp.at("name").get_string())
                               : std::string("unnamed");
        std::erase(name, ' ');
        cp["name"] = name;
        const auto* st = cp.if_contains("processStartTime");
        const auto* en = cp.if_contains("processEndTime");
        constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
        auto time_of = [&](const json::value* v) {
            return v && v->is_string() ? parse_atum_time(v->get_string(), zone).value_or(kNone)
                                       : kNone;
        };
        const std::int64_t start = time_of(st), end = time_of(en);
        cp.erase("processStartTime");
        cp.erase("processEndTime");
        if (start != kNone && end != kNone) {  // unparseable times are left out, not mistyped
            cp["processStartTime"] = iso_utc(SysMillis(std::chrono::milliseconds(start)));
            cp["processEndTime"] = iso_utc(SysMillis(std::chrono::milliseconds(end)));
            cp["duration"] = end - start;
        }
        json::array controls;
        if (auto* c = cp.if_contains("controls"); c != nullptr && c->is_array()) {
            controls = std::move(c->get_array());
        }
        cp.erase("controls");
        if (match) {  // checked until the first mismatch
            if (!have_reference) {
                for (const auto& c : controls) {
                    if (c.is_object() && c.as_object().contains("controlName")) {
                        reference[json::serialize(c.at("controlName"))] =
                            c.as_object().contains("controlValue") ? c.at("controlValue") : nullptr;
                    }
                }
                have_reference = true;
            } else if (controls.size() != reference.size()) {
                match = false;
                out["controls_error"] =
                    json::object{{"checkpoint", cp}, {"incorrect_num_controls", true}};
            } else {
                for (const auto& c : controls) {
                    const auto* o = c.if_object();
                    const json::value name_v =
                        o && o->contains("controlName") ? o->at("controlName") : nullptr;
                    const json::value value =
                        o && o->contains("controlValue") ? o->at("controlValue") : nullptr;
                    auto it = reference.find(json::serialize(name_v));
                    if (it == reference.end() || it->second != value) {
                        match = false;
                        out["controls_error"] =
                            json::object{{"checkpoint", cp},
                                         {"controlName", name_v},
                                         {"controlValue",
                                          value.is_string() ? value
                                                            : json::value(json::serialize(value))},
                                         {"initialControlValue",
                                          it == reference.end()
                                              ? json::value(nullptr)
                                              : (it->second.is_string()
                                                     ? it->second
                                                     : json::value(json::serialize(it->second)))},
                                         {"incorrect_num_controls", false}};
                        break;
                    }
                }
            }
        }
        agg[name] = std::move(cp);
    }
    out["agg_checkpoints"] = std::move(agg);
    out["controls_match"] = match;
    out["num_controls"] = static_cast<std::int64_t>(reference.size());
    return out;
}

void type_run(json::object& run, const TimeZone& zone) {
    if (auto* s = run.if_contains("startDateTime"); s != nullptr && s->is_string()) {
        if (auto t = parse_atum_time(s->get_string(), zone)) {
            *s = iso_utc(SysMillis(std::chrono::milliseconds(*t)));
        } else {
            run.erase("startDateTime");  // a value Elasticsearch would not take as a date
        }
    }
    auto* cm = run.if_contains("controlMeasure");
    if (cm == nullptr || !cm->is_object()) {
        return;
    }
    auto& measure = cm->get_object();
    if (auto* md = measure.if_contains("metadata"); md != nullptr && md->is_object()) {
        auto& meta = md->get_object();
        if (auto* d = meta.if_contains("informationDate"); d != nullptr && d->is_string()) {
            *d = "str:" + std::string(d->get_string());
        }
        if (auto* info = meta.if_contains("additionalInfo"); info != nullptr && info->is_object()) {
            type_additional_info(info->get_object());
        }
    }
    if (auto* cps = measure.if_contains("checkpoints"); cps != nullptr && cps->is_array()) {
        *cps = aggregate_checkpoints(cps->get_array(), zone);
    }
}

}  // namespace spot::enrichers::enceladus
