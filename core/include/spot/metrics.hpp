// A small metrics registry rendered as Prometheus text on the admin endpoint. Counters and gauges
// are lock-free to update; the registry lock is taken only to create a series or to render.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace spot {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
   public:
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t value() const noexcept { return value_.load(); }

   private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
   public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    [[nodiscard]] double value() const noexcept { return value_.load(); }

   private:
    std::atomic<double> value_{0};
};

class MetricsRegistry {
   public:
    // Names follow spot_<what>_<unit>, counters end in _total. The same name and labels always
    // return the same series, so callers may keep the reference.
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    [[nodiscard]] std::string render_prometheus() const;

   private:
    struct Family {
        std::string type;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;  // key: rendered labels
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
    };
    Family& family(const std::string& name, const std::string& type, const std::string& help);
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

}  // namespace spot
