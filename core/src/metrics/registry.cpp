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

}  // namespace

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, const std::string& type,
                                                 const std::string& help) {
    auto& f = families_[name];
    if (f.type.empty()) {
        f.type = type;
        f.help = help;
    }
    return f;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, "counter", help).counters[render_labels(labels)];
    if (!slot) {
        slot = std::make_unique<Counter>();
    }
    return *slot;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                              const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, "gauge", help).gauges[render_labels(labels)];
    if (!slot) {
        slot = std::make_unique<Gauge>();
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
    }
    return out;
}

}  // namespace spot
