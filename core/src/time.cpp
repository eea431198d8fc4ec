#include <spot/time.hpp>
#include <spot/text.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace spot {

std::string iso_utc(SysMillis t) {
    using namespace std::chrono;
    auto day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss<milliseconds> hms{t - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<std::int64_t> parse_timestamp(std::string_view t) {
    // yyyy-MM-dd[THH:mm:ss[.SSS]][GMT|Z|+00:00]
    auto digits = [&](std::size_t pos, std::size_t n) -> std::optional<int> {
        if (pos + n > t.size()) {
            return std::nullopt;
        }
        int v = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (t[i] < '0' || t[i] > '9') {
                return std::nullopt;
            }
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
    if (!y || !mo || !d || t.size() < 10 || t[4] != '-' || t[7] != '-') {
        return std::nullopt;
    }
    using namespace std::chrono;
    year_month_day ymd{year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d))};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    std::int64_t ms = duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count();
    std::size_t pos = 10;
    if (pos < t.size() && (t[pos] == 'T' || t[pos] == ' ')) {
        auto h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
        if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60 || t[13] != ':' || t[16] != ':') {
            return std::nullopt;
        }
        ms += ((*h * 60LL + *mi) * 60 + *s) * 1000;
        pos = 19;
        if (pos < t.size() && t[pos] == '.') {
            std::size_t start = ++pos;
            int frac = 0, n = 0;
            while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
                if (n < 3) {
                    frac = frac * 10 + (t[pos] - '0');
                    ++n;
                }
                ++pos;
            }
            if (pos == start) {
                return std::nullopt;
            }
            while (n++ < 3) {
                frac *= 10;
            }
            ms += frac;
        }
    }
    std::string_view zone = t.substr(pos);
    if (!(zone.empty() || zone == "GMT" || zone == "Z" || zone == "UTC" || zone == "+00:00")) {
        return std::nullopt;
    }
    return ms;
}

namespace {

struct NumberAndUnit {
    double number;
    std::string unit;  // lower case, spaces trimmed
};

std::optional<NumberAndUnit> split_number(std::string_view text) {
    text = trim(text);
    double number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    // from_chars reads "nan" and "inf" too: neither is a size or a duration.
    if (ec != std::errc() || !std::isfinite(number) || number < 0) {
        return std::nullopt;
    }
    std::string unit(end, text.data() + text.size());
    std::erase_if(unit, [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    std::transform(unit.begin(), unit.end(), unit.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    return NumberAndUnit{number, unit};
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    auto nu = split_number(text);
    if (!nu) {
        return std::nullopt;
    }
    double factor = 0;
    const std::string& u = nu->unit;
    if (u == "ms") {
        factor = 1;
    } else if (u == "s" || u == "sec") {
        factor = 1000;
    } else if (u == "m" || u == "min") {
        factor = 60'000;
    } else if (u == "h") {
        factor = 3'600'000;
    } else if (u == "d") {
        factor = 86'400'000;
    } else {
        return std::nullopt;  // a bare number is ambiguous: the unit lives in the value
    }
    const double ms = nu->number * factor;
    if (ms > 9.0e18) {
        return std::nullopt;  // past what milliseconds in 64 bits hold (292 million years)
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

std::optional<std::int64_t> parse_size(std::string_view text, std::int64_t bare_unit) {
    auto nu = split_number(text);
    if (!nu) {
        return std::nullopt;
    }
    std::string u = nu->unit;
    if (u.size() == 3 && u[1] == 'i' && u[2] == 'b') {
        u.erase(1, 1);  // "mib" -> "mb": both are powers of 1024 here
    }
    static constexpr std::pair<std::string_view, int> kUnits[] = {
        {"", 0},  {"b", 0},  {"k", 1}, {"kb", 1}, {"m", 2}, {"mb", 2},
        {"g", 3}, {"gb", 3}, {"t", 4}, {"tb", 4}, {"p", 5}, {"pb", 5},
    };
    for (auto [name, power] : kUnits) {
        if (u == name) {
            double bytes = nu->number * (u.empty() ? static_cast<double>(bare_unit) : 1.0);
            for (int i = 0; i < power; ++i) {
                bytes *= 1024;
            }
            if (bytes > 9.0e18) {
                return std::nullopt;
            }
            return static_cast<std::int64_t>(bytes);
        }
    }
    return std::nullopt;
}

}  // namespace spot
