#include <spot/metrics.hpp>

#include <fmt/format.h>

namespace spot {

namespace {

std::string escape_label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string render_labels(const Labels& labels) {
    if (labels.empty()) {
        return {};
    }
    std::string out = "{";
    for (const auto& [k, v] : labels) {
        if (out.size() > 1) {
            out += ',';
        }
        out += fmt::format("{}=\"{}\"", k, escape_label(v));
    }
    return out + "}";
}

// Adds the `le` label to a rendered label set.
std::string with_le(const std::string& labels, const std::string& le) {
    const std::string item = fmt::format("le=\"{}\"", le);
    if (labels.empty()) {
        return "{" + item + "}";
    }
    return labels.substr(0, labels.size() - 1) + "," + item + "}";
}

}  // namespace

void Histogram::observe(double seconds) noexcept {
    std::size_t i = 0;
    while (i < kBuckets && seconds > kBounds[i]) {
        ++i;
    }
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    double cur = sum_.load(std::memory_order_relaxed);
    while (!sum_.compare_exchange_weak(cur, cur + seconds, std::memory_order_relaxed)) {
    }
}

std::vector<std::uint64_t> Histogram::cumulative() const {
    std::vector<std::uint64_t> out;
    std::uint64_t total = 0;
    for (const auto& b : buckets_) {
        total += b.load(std::memory_order_relaxed);
        out.push_back(total);
    }
    return out;
}

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name,
                                                 const std::string& type,
                                                 const std::string& help) {
    auto& f = families_[name];
    if (f.type.empty()) {
        f.type = type;
        f.help = help;
    }
    return f;
}

Counter& MetricsRegistry::counter(const std::string& name,
                                  const std::string& help,
                                  const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, "counter", help).counters[render_labels(labels)];
    if (!slot) {
        slot = std::make_unique<Counter>();
    }
    return *slot;
}

Gauge& MetricsRegistry::gauge(const std::string& name,
                              const std::string& help,
                              const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, "gauge", help).gauges[render_labels(labels)];
    if (!slot) {
        slot = std::make_unique<Gauge>();
    }
    return *slot;
}

Histogram& MetricsRegistry::histogram(const std::string& name,
                                      const std::string& help,
                                      const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, "histogram", help).histograms[render_labels(labels)];
    if (!slot) {
        slot = std::make_unique<Histogram>();
    }
    return *slot;
}

std::string MetricsRegistry::render_prometheus() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, f] : families_) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, f.type);
        for (const auto& [labels, c] : f.counters) {
            out += fmt::format("{}{} {}\n", name, labels, c->value());
        }
        for (const auto& [labels, g] : f.gauges) {
            out += fmt::format("{}{} {}\n", name, labels, g->value());
        }
        for (const auto& [labels, h] : f.histograms) {
            const auto counts = h->cumulative();
            for (std::size_t i = 0; i < Histogram::kBuckets; ++i) {
                out += fmt::format("{}_bucket{} {}\n", name,
                                   with_le(labels, fmt::format("{}", Histogram::kBounds[i])),
                                   counts[i]);
            }
            out += fmt::format("{}_bucket{} {}\n", name, with_le(labels, "+Inf"), counts.back());
            out += fmt::format("{}_sum{} {}\n", name, labels, h->sum());
            out += fmt::format("{}_count{} {}\n", name, labels, counts.back());
        }
    }
    return out;
}

}  // namespace spot
