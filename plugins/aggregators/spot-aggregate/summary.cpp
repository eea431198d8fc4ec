#include "summary.hpp"

#include <algorithm>
#include <cmath>

namespace spot::aggregators::aggregate {

namespace json = boost::json;

namespace {

// Integers stay integers in documents: sums of integral byte and ms counts are exact.
json::value whole(double v) {
    if (std::floor(v) == v && std::fabs(v) < 9.0e18) {
        return static_cast<std::int64_t>(v);
    }
    return v;
}

struct Intervals {
    std::int64_t union_length = 0;
    bool overlap = false;
};

// Total length of the union of [first task, completion] over timed stages.
Intervals union_of(std::vector<std::pair<std::int64_t, std::int64_t>> iv) {
    Intervals out;
    std::sort(iv.begin(), iv.end());
    std::int64_t start = 0, end = 0;
    bool open = false;
    for (auto [s, e] : iv) {
        if (!open) {
            start = s;
            end = e;
            open = true;
        } else if (s < end) {
            out.overlap = true;
            end = std::max(end, e);
        } else {
            out.union_length += end - start;
            start = s;
            end = e;
        }
    }
    if (open) {
        out.union_length += end - start;
    }
    return out;
}

}  // namespace

std::optional<json::object> summarize(const SummaryInput& in) {
    std::vector<std::pair<std::int64_t, std::int64_t>> intervals;
    double stages_sum = 0, max_input = 0, max_output = 0;
    std::int64_t earliest = 0, latest = 0;
    for (const auto& s : in.stages) {
        max_input = std::max(max_input, s.input_bytes);
        max_output = std::max(max_output, s.output_bytes);
        if (!s.timed) {
            continue;
        }
        if (intervals.empty() || s.first_task < earliest) {
            earliest = s.first_task;
        }
        if (intervals.empty() || s.completion > latest) {
            latest = s.completion;
        }
        intervals.emplace_back(s.first_task, s.completion);
        stages_sum += static_cast<double>(s.duration);
    }
    if (in.executors.empty() || intervals.empty()) {
        return std::nullopt;
    }
    double parallel_work = 0, core_cost = 0, memory = 0, input_total = 0;
    for (const auto& e : in.executors) {
        parallel_work += e.total_duration;
        core_cost += e.core_cost;
        memory += e.max_memory;
        input_total += e.total_input_bytes;
    }
    const Intervals u = union_of(std::move(intervals));
    const double duration = static_cast<double>(in.duration);
    const double parallel_part = static_cast<double>(u.union_length);
    const double seq_part = duration - parallel_part;
    const double est_seq_time = seq_part + parallel_work;
    const double max_input_blocks = std::ceil(max_input / in.block_size);

    json::object s{
        {"parallel_work", whole(parallel_work)},
        {"stages_sum", whole(stages_sum)},
        {"stages_interval", latest - earliest},
        {"parallel_part", whole(parallel_part)},
        {"stages_in_parallel", u.overlap},
        {"seq_part", whole(seq_part)},
        {"est_seq_time", whole(est_seq_time)},
        {"core_cost", whole(core_cost)},
        {"stages_max_input_blocks", whole(max_input_blocks)},
        {"executors_total_input_blocks", whole(std::ceil(input_total / in.block_size))},
        {"unused_storage_memory", whole(memory - max_input)},
    };
    if (duration != 0) {
        s["estimated_speedup"] = est_seq_time / duration;
        s["parallel_fraction"] = parallel_part / duration;
        s["seq_fraction"] = seq_part / duration;
        s["average_throughput"] = max_input_blocks / duration;
    }
    if (core_cost != 0) {
        s["estimated_core_efficiency"] = parallel_work / core_cost;
        s["unused_core_cost"] = whole(core_cost - parallel_work);
        s["x_unused_core_cost_hours"] = (core_cost - parallel_work) / 3'600'000.0;
    }
    if (memory != 0) {
        const double peak = max_input + max_output;
        s["est_peak_memory_usage"] = whole(peak);
        s["storage_memory_usage"] = peak / memory;
        s["x_unused_storage_memory_bytes"] = whole(memory - peak);
    }
    return s;
}

}  // namespace spot::aggregators::aggregate
