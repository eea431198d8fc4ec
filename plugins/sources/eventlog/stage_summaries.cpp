#include "stage_summaries.hpp"

#include <algorithm>

namespace spot::sources::eventlog {

namespace json = boost::json;

namespace {

// A sampled column: where it goes in the server's answer and how a task end gives it.
enum class From { Metric, GettingResult, SchedulerDelay };  // Metric: a, plus b when named
struct Column {
    const char* group;     // nested object, or nullptr for the top level
    const char* subgroup;  // nested again (shufflePushReadMetricsDist), or nullptr
    const char* name;
    From from;
    const char* a;  // REST metric name(s), see task_end.hpp
    const char* b;
};
constexpr Column kTaskColumns[] = {
    {nullptr, nullptr, "executorDeserializeTime", From::Metric, "executorDeserializeTime", nullptr},
    {nullptr, nullptr, "executorDeserializeCpuTime", From::Metric, "executorDeserializeCpuTime",
     nullptr},
    {nullptr, nullptr, "executorRunTime", From::Metric, "executorRunTime", nullptr},
    {nullptr, nullptr, "executorCpuTime", From::Metric, "executorCpuTime", nullptr},
    {nullptr, nullptr, "resultSize", From::Metric, "resultSize", nullptr},
    {nullptr, nullptr, "jvmGcTime", From::Metric, "jvmGcTime", nullptr},
    {nullptr, nullptr, "resultSerializationTime", From::Metric, "resultSerializationTime", nullptr},
    {nullptr, nullptr, "gettingResultTime", From::GettingResult, nullptr, nullptr},
    {nullptr, nullptr, "schedulerDelay", From::SchedulerDelay, nullptr, nullptr},
    {nullptr, nullptr, "peakExecutionMemory", From::Metric, "peakExecutionMemory", nullptr},
    {nullptr, nullptr, "memoryBytesSpilled", From::Metric, "memoryBytesSpilled", nullptr},
    {nullptr, nullptr, "diskBytesSpilled", From::Metric, "diskBytesSpilled", nullptr},
    {"inputMetrics", nullptr, "bytesRead", From::Metric, "inputBytes", nullptr},
    {"inputMetrics", nullptr, "recordsRead", From::Metric, "inputRecords", nullptr},
    {"outputMetrics", nullptr, "bytesWritten", From::Metric, "outputBytes", nullptr},
    {"outputMetrics", nullptr, "recordsWritten", From::Metric, "outputRecords", nullptr},
    {"shuffleReadMetrics", nullptr, "readBytes", From::Metric, "shuffleRemoteBytesRead",
     "shuffleLocalBytesRead"},
    {"shuffleReadMetrics", nullptr, "readRecords", From::Metric, "shuffleReadRecords", nullptr},
    {"shuffleReadMetrics", nullptr, "remoteBlocksFetched", From::Metric,
     "shuffleRemoteBlocksFetched", nullptr},
    {"shuffleReadMetrics", nullptr, "localBlocksFetched", From::Metric, "shuffleLocalBlocksFetched",
     nullptr},
    {"shuffleReadMetrics", nullptr, "fetchWaitTime", From::Metric, "shuffleFetchWaitTime", nullptr},
    {"shuffleReadMetrics", nullptr, "remoteBytesRead", From::Metric, "shuffleRemoteBytesRead",
     nullptr},
    {"shuffleReadMetrics", nullptr, "remoteBytesReadToDisk", From::Metric,
     "shuffleRemoteBytesReadToDisk", nullptr},
    {"shuffleReadMetrics", nullptr, "totalBlocksFetched", From::Metric,
     "shuffleRemoteBlocksFetched", "shuffleLocalBlocksFetched"},
    {"shuffleReadMetrics", nullptr, "remoteReqsDuration", From::Metric, "shuffleRemoteReqsDuration",
     nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "corruptMergedBlockChunks", From::Metric,
     "shuffleCorruptMergedBlockChunks", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "mergedFetchFallbackCount", From::Metric,
     "shuffleMergedFetchFallbackCount", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "remoteMergedBlocksFetched", From::Metric,
     "shuffleMergedRemoteBlocksFetched", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "localMergedBlocksFetched", From::Metric,
     "shuffleMergedLocalBlocksFetched", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "remoteMergedChunksFetched", From::Metric,
     "shuffleMergedRemoteChunksFetched", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "localMergedChunksFetched", From::Metric,
     "shuffleMergedLocalChunksFetched", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "remoteMergedBytesRead", From::Metric,
     "shuffleMergedRemoteBytesRead", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "localMergedBytesRead", From::Metric,
     "shuffleMergedLocalBytesRead", nullptr},
    {"shuffleReadMetrics", "shufflePushReadMetricsDist", "remoteMergedReqsDuration", From::Metric,
     "shuffleMergedRemoteReqsDuration", nullptr},
    {"shuffleWriteMetrics", nullptr, "writeBytes", From::Metric, "shuffleWriteBytes", nullptr},
    {"shuffleWriteMetrics", nullptr, "writeRecords", From::Metric, "shuffleWriteRecords", nullptr},
    {"shuffleWriteMetrics", nullptr, "writeTime", From::Metric, "shuffleWriteTime", nullptr},
};
static_assert(std::size(kTaskColumns) == kTaskSampleColumns);

// ExecutorStageSummary's totals after taskTime and the three counts, from the task metrics.
struct ExecutorColumn {
    const char* name;
    const char* a;
    const char* b;
};
constexpr ExecutorColumn kExecutorColumns[] = {
    {"inputBytes", "inputBytes", nullptr},
    {"inputRecords", "inputRecords", nullptr},
    {"outputBytes", "outputBytes", nullptr},
    {"outputRecords", "outputRecords", nullptr},
    {"shuffleRead", "shuffleRemoteBytesRead", "shuffleLocalBytesRead"},
    {"shuffleReadRecords", "shuffleReadRecords", nullptr},
    {"shuffleWrite", "shuffleWriteBytes", nullptr},
    {"shuffleWriteRecords", "shuffleWriteRecords", nullptr},
    {"memoryBytesSpilled", "memoryBytesSpilled", nullptr},
    {"diskBytesSpilled", "diskBytesSpilled", nullptr},
};
constexpr const char* kExecutorCounts[] = {"taskTime", "failedTasks", "succeededTasks",
                                           "killedTasks"};
static_assert(std::size(kExecutorCounts) + std::size(kExecutorColumns) == kExecutorSampleColumns);

std::size_t index_of(const char* rest) { return rest ? task_metric_index(rest) : kTaskMetricCount; }

// Resolved once: each column's metric indices (kTaskMetricCount for none).
struct Indices {
    std::array<std::array<std::size_t, 2>, kTaskSampleColumns> task{};
    std::array<std::array<std::size_t, 2>, std::size(kExecutorColumns)> executor{};
    std::size_t run = 0, deserialize = 0, serialize = 0;
};
const Indices& indices() {
    static const Indices ix = [] {
        Indices i;
        for (std::size_t c = 0; c < kTaskSampleColumns; ++c) {
            i.task[c] = {index_of(kTaskColumns[c].a), index_of(kTaskColumns[c].b)};
        }
        for (std::size_t c = 0; c < std::size(kExecutorColumns); ++c) {
            i.executor[c] = {index_of(kExecutorColumns[c].a), index_of(kExecutorColumns[c].b)};
        }
        i.run = index_of("executorRunTime");
        i.deserialize = index_of("executorDeserializeTime");
        i.serialize = index_of("resultSerializationTime");
        return i;
    }();
    return ix;
}

std::int64_t value(const TaskEnd& t, const std::array<std::size_t, 2>& at) {
    std::int64_t v = 0;
    for (auto i : at) {
        v += i < kTaskMetricCount ? t.metrics[i] : 0;
    }
    return v;
}

// AppStatusStore.getQuantilesValue: the value at min(floor(q * count), count - 1) of the
// ascending values. `count` is the number of successful tasks even where `sorted` holds more (the
// server's duration index lists every task but counts only those with metrics).
json::array quantiles_of(std::vector<std::int64_t>& values, std::size_t count) {
    std::sort(values.begin(), values.end());
    json::array out;
    for (double q : kSummaryQuantiles) {
        const auto n = static_cast<std::int64_t>(count);
        const auto i = std::min(static_cast<std::int64_t>(q * static_cast<double>(n)), n - 1);
        out.push_back(static_cast<double>(values[static_cast<std::size_t>(i)]));
    }
    return out;
}

json::array quantile_list() {
    json::array q;
    for (double x : kSummaryQuantiles) {
        q.push_back(x);
    }
    return q;
}

json::object& place(json::object& root, const char* group, const char* subgroup) {
    json::object* o = &root;
    for (const char* g : {group, subgroup}) {
        if (g != nullptr) {
            auto& v = (*o)[g];
            if (!v.is_object()) {
                v = json::object{};
            }
            o = &v.as_object();
        }
    }
    return *o;
}

}  // namespace

void StageSamples::add_task(const TaskEnd& t, bool success, bool killed) {
    const std::int64_t duration = t.finish > t.launch ? t.finish - t.launch : 0;
    durations_.push_back(duration);
    const auto& ix = indices();
    auto& ex = executors_[t.executor == "<driver>" ? "driver" : t.executor];
    ex.totals[0] += duration;
    ex.totals[1] += (!success && !killed) ? 1 : 0;
    ex.totals[2] += success ? 1 : 0;
    ex.totals[3] += killed ? 1 : 0;
    if (t.has_metrics) {
        for (std::size_t c = 0; c < ix.executor.size(); ++c) {
            ex.totals[std::size(kExecutorCounts) + c] += value(t, ix.executor[c]);
        }
    }
    // As the server's task-end path: zeros when the log has no Task Executor Metrics.
    for (std::size_t i = 0; i < kPeakMetricCount; ++i) {
        ex.peak.update(i, t.peaks.known[i]);
    }
    if (!t.has_metrics) {
        return;
    }
    // AppStatusUtils.gettingResultTime and schedulerDelay.
    const std::int64_t getting = t.getting_result > 0 ? t.finish - t.getting_result : 0;
    getting_result_.push_back(getting);
    scheduler_delay_.push_back(std::max<std::int64_t>(0, duration - t.metrics[ix.run] -
                                                             t.metrics[ix.deserialize] -
                                                             t.metrics[ix.serialize] - getting));
    if (!success) {
        return;
    }
    auto& row = succeeded_.emplace_back();
    for (std::size_t c = 0; c < kTaskSampleColumns; ++c) {
        row[c] = kTaskColumns[c].from == From::Metric ? value(t, ix.task[c])
                                                      : 0;  // taken from the lists above
    }
}

void StageSamples::add_peaks(const std::string& executor, const json::object& metrics) {
    executors_[executor == "<driver>" ? "driver" : executor].peak.update(metrics);
}

json::object StageSamples::summaries() const {
    json::object out;
    const std::size_t count = succeeded_.size();
    if (count > 0) {
        json::object d{{"quantiles", quantile_list()}};
        std::vector<std::int64_t> column = durations_;
        d["duration"] = quantiles_of(column, count);
        for (std::size_t c = 0; c < kTaskSampleColumns; ++c) {
            const auto& col = kTaskColumns[c];
            if (col.from == From::GettingResult || col.from == From::SchedulerDelay) {
                column = col.from == From::GettingResult ? getting_result_ : scheduler_delay_;
            } else {
                column.clear();
                for (const auto& row : succeeded_) {
                    column.push_back(row[c]);
                }
            }
            place(d, col.group, col.subgroup)[col.name] = quantiles_of(column, count);
        }
        out["taskMetricsDistributions"] = std::move(d);
    }
    if (!executors_.empty()) {
        json::object d{{"quantiles", quantile_list()}};
        std::vector<std::int64_t> column;
        auto add = [&](const char* name, std::size_t c) {
            column.clear();
            for (const auto& [id, ex] : executors_) {
                column.push_back(ex.totals[c]);
            }
            d[name] = quantiles_of(column, column.size());
        };
        for (std::size_t c = 0; c < std::size(kExecutorCounts); ++c) {
            add(kExecutorCounts[c], c);
        }
        for (std::size_t c = 0; c < std::size(kExecutorColumns); ++c) {
            add(kExecutorColumns[c].name, std::size(kExecutorCounts) + c);
        }
        // Over the executors whose peaks are set (ExecutorStageSummary.peakMemoryMetrics).
        json::object peaks;
        for (std::size_t i = 0; i < kPeakMetricCount; ++i) {
            column.clear();
            for (const auto& [id, ex] : executors_) {
                if (ex.peak.set) {
                    column.push_back(ex.peak.known[i]);
                }
            }
            if (!column.empty()) {
                peaks[peak_metric_name(i)] = quantiles_of(column, column.size());
            }
        }
        d["peakMemoryMetrics"] = std::move(peaks);
        out["executorMetricsDistributions"] = std::move(d);
    }
    return out;
}

}  // namespace spot::sources::eventlog
