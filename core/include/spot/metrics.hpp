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

// Fixed buckets (seconds) suited to HTTP requests and per-run work: 5 ms .. 60 s.
class Histogram {
   public:
    static constexpr double kBounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                         1,     2.5,  5,     10,   30,  60};
    static constexpr std::size_t kBuckets = sizeof(kBounds) / sizeof(kBounds[0]);
    void observe(double seconds) noexcept;
    // Cumulative counts per bound, then +Inf; the sum; the count.
    [[nodiscard]] std::vector<std::uint64_t> cumulative() const;
    [[nodiscard]] double sum() const noexcept { return sum_.load(); }

   private:
    std::atomic<std::uint64_t> buckets_[kBuckets + 1] = {};
    std::atomic<double> sum_{0};
};

class MetricsRegistry {
   public:
    // Names follow spot_<what>_<unit>, counters end in _total. The same name and labels always
    // return the same series, so callers may keep the reference.
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name,
                         const std::string& help,
                         const Labels& labels = {});
    [[nodiscard]] std::string render_prometheus() const;

   private:
    struct Family {
        std::string type;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;  // key: rendered labels
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
    };
    Family& family(const std::string& name, const std::string& type, const std::string& help);
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

}  // namespace spot
