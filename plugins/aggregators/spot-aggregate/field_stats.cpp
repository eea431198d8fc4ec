#include "field_stats.hpp"

#include <spot/time.hpp>

#include <cmath>
#include <limits>

namespace spot::aggregators::aggregate {

namespace json = boost::json;

namespace {

// Before a values vector would grow, drop its duplicates: memory follows the distinct values,
// not the elements, and the amortised cost stays one sort per doubling.
template <class T>
void push_distinct(std::vector<T>& values, T v) {
    if (values.size() == values.capacity() && values.size() >= 1024) {
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
    }
    values.push_back(v);
}

}  // namespace

bool is_date_field(std::string_view name) {
    static constexpr std::string_view kDates[] = {
        "addTime",        "removeTime",  "submissionTime", "firstTaskLaunchedTime",
        "completionTime", "x_startTime", "x_stopTime",
    };
    for (auto d : kDates) {
        if (name == d) {
            return true;
        }
    }
    return false;
}

std::size_t FieldStats::field(std::string_view name) {
    // Same shape as the previous element: the name at this position is usually the same.
    if (position_ < cache_.size() && cache_[position_].key == name) {
        return cache_[position_++].index;
    }
    auto [it, inserted] = index_.try_emplace(std::string(name), fields_.size());
    if (inserted) {
        fields_.emplace_back();
        fields_.back().name = std::string(name);
        if (is_date_field(name)) {
            fields_.back().kind = Kind::Date;
        }
    }
    if (position_ >= cache_.size()) {
        cache_.resize(position_ + 1);
    }
    cache_[position_] = CacheSlot{std::string(name), it->second};
    ++position_;
    return it->second;
}

void FieldStats::number(Acc& acc, double d, std::int64_t i, bool integral) {
    if (!std::isfinite(d)) {
        return;  // nothing NaN or infinite ever reaches a document
    }
    if (acc.kind == Kind::Unknown) {
        acc.kind = Kind::Number;
    }
    if (acc.kind != Kind::Number) {
        return;
    }
    if (acc.count == 0) {
        acc.imin = acc.imax = i;
        acc.dmin = acc.dmax = d;
    }
    ++acc.count;
    acc.zeroes += d == 0 ? 1 : 0;
    acc.integral = acc.integral && integral;
    acc.imin = std::min(acc.imin, i);
    acc.imax = std::max(acc.imax, i);
    acc.sum_overflow = acc.sum_overflow || __builtin_add_overflow(acc.isum, i, &acc.isum);
    acc.dmin = std::min(acc.dmin, d);
    acc.dmax = std::max(acc.dmax, d);
    acc.dsum += d;
    push_distinct(acc.numbers, d);
}

void FieldStats::value(Acc& acc, const json::value& v) {
    switch (v.kind()) {
        case json::kind::int64: {
            auto i = v.get_int64();
            number(acc, static_cast<double>(i), i, true);
            break;
        }
        case json::kind::uint64: {
            auto u = v.get_uint64();
            bool fits = u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
            number(acc, static_cast<double>(u), fits ? static_cast<std::int64_t>(u) : 0, fits);
            break;
        }
        case json::kind::double_:
            number(acc, v.get_double(), static_cast<std::int64_t>(v.get_double()), false);
            break;
        case json::kind::bool_:
            if (acc.kind == Kind::Unknown) {
                acc.kind = Kind::Bool;
            }
            if (acc.kind == Kind::Bool) {
                ++acc.count;
                acc.true_count += v.get_bool() ? 1 : 0;
            }
            break;
        case json::kind::string:
            if (acc.kind == Kind::Date) {
                if (auto ms = parse_timestamp(v.get_string())) {
                    add_date_to(acc, *ms);
                }
                break;
            }
            if (acc.kind == Kind::Unknown) {
                acc.kind = Kind::String;
            }
            if (acc.kind == Kind::String) {
                ++acc.count;
                push_distinct(acc.strings, std::string_view(v.get_string()));
            }
            break;
        default: break;  // null, arrays (lists are ignored), objects (walked by the caller)
    }
}

void FieldStats::add_date_to(Acc& acc, std::int64_t ms) {
    if (acc.count == 0 || ms < acc.imin) {
        acc.imin = ms;
    }
    if (acc.count == 0 || ms > acc.imax) {
        acc.imax = ms;
    }
    ++acc.count;
}

void FieldStats::walk(const json::object& o, std::string& prefix) {
    const std::size_t base = prefix.size();
    for (const auto& [key, v] : o) {
        prefix.append(key.data(), key.size());
        if (v.is_object()) {
            prefix.push_back('.');
            walk(v.get_object(), prefix);
        } else if (!v.is_null() && !v.is_array()) {
            value(fields_[field(prefix)], v);
        }
        prefix.resize(base);
    }
}

void FieldStats::add(const json::object& element) {
    ++elements_;
    position_ = 0;
    std::string prefix;
    prefix.reserve(128);
    walk(element, prefix);
}

void FieldStats::add_number(std::string_view name, double value, bool integral) {
    number(fields_[field(name)], value, static_cast<std::int64_t>(value), integral);
}

void FieldStats::add_date(std::string_view name, std::int64_t epoch_ms) {
    auto& acc = fields_[field(name)];
    acc.kind = Kind::Date;
    add_date_to(acc, epoch_ms);
}

namespace {

template <class T>
std::int64_t distinct(std::vector<T>& values) {
    std::sort(values.begin(), values.end());
    return std::unique(values.begin(), values.end()) - values.begin();
}

}  // namespace

json::object FieldStats::result() const {
    json::object out;
    for (const auto& a : fields_) {
        if (a.count == 0) {
            continue;  // no non-null input: no statistic at all
        }
        json::object s;
        switch (a.kind) {
            case Kind::Number: {
                if (a.integral && !a.sum_overflow) {
                    s["min"] = a.imin;
                    s["max"] = a.imax;
                    s["sum"] = a.isum;
                    s["mean"] = static_cast<double>(a.isum) / static_cast<double>(a.count);
                } else {
                    s["min"] = a.dmin;
                    s["max"] = a.dmax;
                    s["sum"] = a.dsum;
                    s["mean"] = a.dsum / static_cast<double>(a.count);
                }
                s["nunique"] = distinct(a.numbers);
                s["count_zeroes"] = a.zeroes;
                s["count_not_null"] = a.count;
                break;
            }
            case Kind::Date:
                s["min"] = iso_utc(SysMillis(std::chrono::milliseconds(a.imin)));
                s["max"] = iso_utc(SysMillis(std::chrono::milliseconds(a.imax)));
                break;
            case Kind::Bool:
                s["any"] = a.true_count > 0;
                s["all"] = a.true_count == a.count;
                s["sum"] = a.true_count;
                break;
            case Kind::String:
                s["nunique"] = distinct(a.strings);
                s["count_not_null"] = a.count;
                break;
            case Kind::Unknown: continue;
        }
        out[a.name] = std::move(s);
    }
    out["elements_count"] = static_cast<std::int64_t>(elements_);
    return out;
}

}  // namespace spot::aggregators::aggregate
