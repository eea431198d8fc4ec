#include "run_builder.hpp"

#include <spot/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <regex>
#include <utility>

namespace spot::sources::eventlog {

namespace json = boost::json;

namespace {

// A stage's task-metric totals: REST name, then the path under "Task Metrics".
struct MetricPath {
    const char* rest;
    const char* a;
    const char* b;
    const char* c;
};
constexpr MetricPath kStageMetrics[] = {
    {"executorDeserializeTime", "Executor Deserialize Time", nullptr, nullptr},
    {"executorDeserializeCpuTime", "Executor Deserialize CPU Time", nullptr, nullptr},
    {"executorRunTime", "Executor Run Time", nullptr, nullptr},
    {"executorCpuTime", "Executor CPU Time", nullptr, nullptr},
    {"resultSize", "Result Size", nullptr, nullptr},
    {"jvmGcTime", "JVM GC Time", nullptr, nullptr},
    {"resultSerializationTime", "Result Serialization Time", nullptr, nullptr},
    {"memoryBytesSpilled", "Memory Bytes Spilled", nullptr, nullptr},
    {"diskBytesSpilled", "Disk Bytes Spilled", nullptr, nullptr},
    {"peakExecutionMemory", "Peak Execution Memory", nullptr, nullptr},
    {"inputBytes", "Input Metrics", "Bytes Read", nullptr},
    {"inputRecords", "Input Metrics", "Records Read", nullptr},
    {"outputBytes", "Output Metrics", "Bytes Written", nullptr},
    {"outputRecords", "Output Metrics", "Records Written", nullptr},
    {"shuffleRemoteBlocksFetched", "Shuffle Read Metrics", "Remote Blocks Fetched", nullptr},
    {"shuffleLocalBlocksFetched", "Shuffle Read Metrics", "Local Blocks Fetched", nullptr},
    {"shuffleFetchWaitTime", "Shuffle Read Metrics", "Fetch Wait Time", nullptr},
    {"shuffleRemoteBytesRead", "Shuffle Read Metrics", "Remote Bytes Read", nullptr},
    {"shuffleRemoteBytesReadToDisk", "Shuffle Read Metrics", "Remote Bytes Read To Disk", nullptr},
    {"shuffleLocalBytesRead", "Shuffle Read Metrics", "Local Bytes Read", nullptr},
    {"shuffleReadRecords", "Shuffle Read Metrics", "Total Records Read", nullptr},
    {"shuffleRemoteReqsDuration", "Shuffle Read Metrics", "Remote Requests Duration", nullptr},
    {"shuffleCorruptMergedBlockChunks", "Shuffle Read Metrics", "Push Based Shuffle",
     "Corrupt Merged Block Chunks"},
    {"shuffleMergedFetchFallbackCount", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Fetch Fallback Count"},
    {"shuffleMergedRemoteBlocksFetched", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Remote Blocks Fetched"},
    {"shuffleMergedLocalBlocksFetched", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Local Blocks Fetched"},
    {"shuffleMergedRemoteChunksFetched", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Remote Chunks Fetched"},
    {"shuffleMergedLocalChunksFetched", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Local Chunks Fetched"},
    {"shuffleMergedRemoteBytesRead", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Remote Bytes Read"},
    {"shuffleMergedLocalBytesRead", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Local Bytes Read"},
    {"shuffleMergedRemoteReqsDuration", "Shuffle Read Metrics", "Push Based Shuffle",
     "Merged Remote Requests Duration"},
    {"shuffleWriteBytes", "Shuffle Write Metrics", "Shuffle Bytes Written", nullptr},
    {"shuffleWriteTime", "Shuffle Write Metrics", "Shuffle Write Time", nullptr},
    {"shuffleWriteRecords", "Shuffle Write Metrics", "Shuffle Records Written", nullptr},
};
constexpr std::size_t kMetricCount = std::size(kStageMetrics);
static_assert(kMetricCount == kTaskMetricCount);

// A peak metric's number (peaks are only taken from numbers). Never throws.
std::int64_t to_i64(const json::value& v) {
    if (v.is_int64()) {
        return v.get_int64();
    }
    if (v.is_uint64()) {
        return static_cast<std::int64_t>(std::min<std::uint64_t>(v.get_uint64(), INT64_MAX));
    }
    if (v.is_double() && std::isfinite(v.get_double()) && std::fabs(v.get_double()) < 9.0e18) {
        return static_cast<std::int64_t>(v.get_double());
    }
    return 0;
}

// A field of an event that is not what Spark writes. Thrown: read_log turns it into the log's
// error, naming the file and the line, rather than a run that silently differs.
[[noreturn]] void invalid(std::string_view key, const json::value& v, std::string_view why) {
    std::string shown = json::serialize(v);
    if (shown.size() > 40) {
        shown = shown.substr(0, 40) + "...";
    }
    throw std::runtime_error(fmt::format("field '{}' {}: {}", key, why, shown));
}

// An integer field within [min, max]; absent or null: `fallback`. Spark writes integers; an
// integral double is taken (tools that rewrite logs may make them), anything else is an error.
std::int64_t int_at(const json::object& o,
                    std::string_view key,
                    std::int64_t fallback = 0,
                    std::int64_t min = INT64_MIN,
                    std::int64_t max = INT64_MAX) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return fallback;
    }
    std::int64_t x = 0;
    if (v->is_int64()) {
        x = v->get_int64();
    } else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        x = static_cast<std::int64_t>(v->get_uint64());
    } else if (v->is_double() && std::isfinite(v->get_double()) &&
               std::fabs(v->get_double()) < 9.0e18 &&
               std::trunc(v->get_double()) == v->get_double()) {
        x = static_cast<std::int64_t>(v->get_double());
    } else {
        invalid(key, *v, "is not an integer");
    }
    if (x < min || x > max) {
        invalid(key, *v, "is out of range");
    }
    return x;
}

// The ids and times Spark writes: stage ids from -1 (outside any stage), times as epoch ms.
std::int64_t stage_id_at(const json::object& o, std::string_view key) {
    return int_at(o, key, 0, -1, INT32_MAX);
}
std::int64_t time_at(const json::object& o, std::string_view key) {
    return int_at(o, key, 0, 0, kMaxEventTime);
}

std::optional<std::int64_t> opt_time(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v == nullptr || v->is_null() ? std::nullopt : std::optional(time_at(o, key));
}

std::string str_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return {};
    }
    if (!v->is_string()) {
        invalid(key, *v, "is not a string");
    }
    return std::string(v->get_string());
}

const json::object* obj_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
        return nullptr;
    }
    if (!v->is_object()) {
        invalid(key, *v, "is not an object");
    }
    return &v->get_object();
}

std::int64_t metric(const json::object& m, const MetricPath& p) {
    const char* path[] = {p.a, p.b, p.c};
    const int depth = p.c ? 3 : p.b ? 2 : 1;
    const json::object* o = &m;
    for (int i = 0; i + 1 < depth; ++i) {
        o = obj_at(*o, path[i]);
        if (o == nullptr) {
            return 0;
        }
    }
    return int_at(*o, path[depth - 1]);
}

constexpr std::size_t metric_index(std::string_view rest) {
    for (std::size_t i = 0; i < kMetricCount; ++i) {
        if (rest == kStageMetrics[i].rest) {
            return i;
        }
    }
    return kMetricCount;
}
constexpr std::size_t kRemoteRead = metric_index("shuffleRemoteBytesRead");
constexpr std::size_t kLocalRead = metric_index("shuffleLocalBytesRead");
constexpr std::size_t kGcTime = metric_index("jvmGcTime");
constexpr std::size_t kInputBytes = metric_index("inputBytes");
constexpr std::size_t kWriteBytes = metric_index("shuffleWriteBytes");
static_assert(kRemoteRead < kMetricCount && kLocalRead < kMetricCount && kGcTime < kMetricCount &&
              kInputBytes < kMetricCount && kWriteBytes < kMetricCount);

// The History Server's time format: "2015-02-03T16:43:07.191GMT".
std::string shs_time(std::int64_t ms) {
    auto iso = iso_utc(SysMillis(std::chrono::milliseconds(ms)));
    return iso.substr(0, iso.size() - 1) + "GMT";
}

// Spark 3.5's ExecutorMetricType names: the server reports all of them, zero when unseen.
constexpr std::string_view kPeakMetrics[] = {
    "JVMHeapMemory",
    "JVMOffHeapMemory",
    "OnHeapExecutionMemory",
    "OffHeapExecutionMemory",
    "OnHeapStorageMemory",
    "OffHeapStorageMemory",
    "OnHeapUnifiedMemory",
    "OffHeapUnifiedMemory",
    "DirectPoolMemory",
    "MappedPoolMemory",
    "ProcessTreeJVMVMemory",
    "ProcessTreeJVMRSSMemory",
    "ProcessTreePythonVMemory",
    "ProcessTreePythonRSSMemory",
    "ProcessTreeOtherVMemory",
    "ProcessTreeOtherRSSMemory",
    "MinorGCCount",
    "MinorGCTime",
    "MajorGCCount",
    "MajorGCTime",
    "TotalGCTime",
};
static_assert(std::size(kPeakMetrics) == kPeakMetricCount);

// {"id", "executorResources": {name: {resourceName, amount, discoveryScript, vendor}},
//  "taskResources": {name: {resourceName, amount}}}, as the server lists resource profiles.
json::object resource_profile(const json::object& e) {
    json::object executor, task;
    if (const auto* er = obj_at(e, "Executor Resource Requests")) {
        for (const auto& [k, v] : *er) {
            if (const auto* r = v.if_object()) {
                executor[k] = json::object{{"resourceName", str_at(*r, "Resource Name")},
                                           {"amount", int_at(*r, "Amount")},
                                           {"discoveryScript", str_at(*r, "Discovery Script")},
                                           {"vendor", str_at(*r, "Vendor")}};
            }
        }
    }
    if (const auto* tr = obj_at(e, "Task Resource Requests")) {
        for (const auto& [k, v] : *tr) {
            if (const auto* r = v.if_object()) {
                const auto* amount = r->if_contains("Amount");
                task[k] = json::object{{"resourceName", str_at(*r, "Resource Name")},
                                       {"amount", amount && amount->is_number()
                                                      ? amount->to_number<double>()
                                                      : 0.0}};
            }
        }
    }
    return json::object{{"id", int_at(e, "Resource Profile Id")},
                        {"executorResources", std::move(executor)},
                        {"taskResources", std::move(task)}};
}

// What the server does before serving properties: spark.redaction.regex (its default) matched
// against key or value replaces the value.
bool sensitive(std::string_view key, const json::value& value) {
    static const std::regex kRedact("secret|password|token|access[.]key",
                                    std::regex::ECMAScript | std::regex::icase);
    return std::regex_search(key.begin(), key.end(), kRedact) ||
           (value.is_string() &&
            std::regex_search(value.get_string().begin(), value.get_string().end(), kRedact));
}

json::array sorted_pairs(const json::object* o, bool redact = true) {
    std::vector<std::pair<std::string, json::value>> items;
    if (o != nullptr) {
        for (const auto& [k, v] : *o) {
            items.emplace_back(std::string(k),
                               redact && sensitive(k, v) ? json::value("*********(redacted)") : v);
        }
    }
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    json::array out;
    for (auto& [k, v] : items) {
        out.push_back(json::array{k, v});
    }
    return out;
}

}  // namespace

const std::string kDriver = "driver";

std::size_t peak_metric_index(std::string_view name) {
    for (std::size_t i = 0; i < kPeakMetricCount; ++i) {
        if (name == kPeakMetrics[i]) {
            return i;
        }
    }
    return kPeakMetricCount;
}

std::string_view peak_metric_name(std::size_t index) { return kPeakMetrics[index]; }

std::string_view event_name(std::string_view logged) {
    constexpr std::string_view kPrefix = "org.apache.spark.scheduler.";
    return logged.starts_with(kPrefix) ? logged.substr(kPrefix.size()) : logged;
}

// Every event add() handles; keep in step with its dispatch below.
bool RunBuilder::uses(std::string_view event) {
    static constexpr std::string_view kUsed[] = {
        "SparkListenerTaskEnd",
        "SparkListenerTaskStart",
        "SparkListenerStageSubmitted",
        "SparkListenerStageCompleted",
        "SparkListenerJobStart",
        "SparkListenerExecutorAdded",
        "SparkListenerExecutorRemoved",
        "SparkListenerBlockManagerAdded",
        "SparkListenerStageExecutorMetrics",
        "SparkListenerApplicationStart",
        "SparkListenerApplicationEnd",
        "SparkListenerLogStart",
        "SparkListenerEnvironmentUpdate",
        "SparkListenerExecutorMetricsUpdate",
        "SparkListenerExecutorExcluded",
        "SparkListenerExecutorBlacklisted",
        "SparkListenerExecutorUnexcluded",
        "SparkListenerExecutorUnblacklisted",
        "SparkListenerNodeExcluded",
        "SparkListenerNodeBlacklisted",
        "SparkListenerNodeUnexcluded",
        "SparkListenerNodeUnblacklisted",
        "SparkListenerResourceProfileAdded",
    };
    return std::find(std::begin(kUsed), std::end(kUsed), event) != std::end(kUsed);
}

void Peaks::update(std::string_view name, std::int64_t value) {
    if (auto i = peak_metric_index(name); i < kPeakMetricCount) {
        update(i, value);
        return;
    }
    auto* cur = extra.if_contains(name);
    if (cur == nullptr || to_i64(*cur) < value) {
        extra[name] = value;
    }
}

void Peaks::update(const json::object& metrics) {
    for (const auto& [k, v] : metrics) {
        if (v.is_number()) {
            update(k, to_i64(v));
        }
    }
}

json::object Peaks::to_json() const {
    json::object out;
    for (std::size_t i = 0; i < kPeakMetricCount; ++i) {
        out[kPeakMetrics[i]] = known[i];
    }
    for (const auto& [k, v] : extra) {
        out[k] = v;
    }
    return out;
}

std::size_t task_metric_index(std::string_view rest) { return metric_index(rest); }

std::size_t task_metric_index(std::string_view a, std::string_view b, std::string_view c) {
    for (std::size_t i = 0; i < kMetricCount; ++i) {
        const auto& p = kStageMetrics[i];
        if (a == p.a && b == (p.b ? p.b : "") && c == (p.c ? p.c : "")) {
            return i;
        }
    }
    return kMetricCount;
}

RunBuilder::Executor& RunBuilder::executor(const std::string& raw_id) {
    // Spark 1.x called the driver "<driver>"; the server reports both as "driver".
    const std::string& id = raw_id == "<driver>" ? kDriver : raw_id;
    auto [it, inserted] = executors_.try_emplace(id);
    if (inserted) {
        it->second.id = id;
        executor_order_.push_back(id);
    }
    return it->second;
}

RunBuilder::Stage& RunBuilder::stage(const json::object& info) {
    StageKey key{stage_id_at(info, "Stage ID"), stage_id_at(info, "Stage Attempt ID")};
    auto [it, inserted] = stages_.try_emplace(key);
    if (inserted) {
        it->second.id = key.first;
        it->second.attempt = key.second;
        it->second.metrics.assign(kMetricCount, 0);
    }
    return it->second;
}

void RunBuilder::stage_info(const json::object& info, bool completed) {
    Stage& s = stage(info);
    s.name = str_at(info, "Stage Name");
    s.num_tasks = int_at(info, "Number of Tasks");
    s.details = str_at(info, "Details");
    s.resource_profile = int_at(info, "Resource Profile Id");
    if (auto t = opt_time(info, "Submission Time")) {
        s.submitted = t;
    }
    if (const auto* rdds = info.if_contains("RDD Info"); rdds && rdds->is_array()) {
        s.rdd_ids.clear();
        for (const auto& r : rdds->get_array()) {
            if (const auto* ro = r.if_object()) {
                s.rdd_ids.push_back(int_at(*ro, "RDD ID"));
            }
        }
    }
    if (completed) {
        if (const auto* acc = info.if_contains("Accumulables"); acc && acc->is_array()) {
            s.accumulators.clear();
            for (const auto& a : acc->get_array()) {
                const auto* o = a.if_object();
                if (o == nullptr) {
                    continue;
                }
                const auto name = str_at(*o, "Name");
                const auto* internal = o->if_contains("Internal");
                if (name.empty() || name.starts_with("internal.") ||
                    (internal && internal->is_bool() && internal->get_bool())) {
                    continue;
                }
                const auto* value = o->if_contains("Value");
                s.accumulators.push_back(
                    json::object{{"id", int_at(*o, "ID")},
                                 {"name", name},
                                 {"value", value == nullptr     ? std::string()
                                           : value->is_string() ? std::string(value->get_string())
                                                                : json::serialize(*value)}});
            }
        }
        s.completed_at = opt_time(info, "Completion Time");
        s.failure_reason = str_at(info, "Failure Reason");
        s.status = s.failure_reason.empty() ? "COMPLETE" : "FAILED";
        s.done = true;
        summarize_if_done(s);
    } else if (s.submitted) {
        s.status = "ACTIVE";
    }
}

void RunBuilder::task_end(const json::object& e) {
    const auto* info = obj_at(e, "Task Info");
    if (info == nullptr) {
        // Spark's own reader fails on it too: not a task to count (a phantom one).
        throw std::runtime_error("SparkListenerTaskEnd without 'Task Info'");
    }
    TaskEnd t;
    t.stage = stage_id_at(e, "Stage ID");
    t.stage_attempt = stage_id_at(e, "Stage Attempt ID");
    if (const auto* reason = obj_at(e, "Task End Reason")) {
        t.reason = str_at(*reason, "Reason");
        t.kill_reason = str_at(*reason, "Kill Reason");
        t.class_name = str_at(*reason, "Class Name");
        for (const char* words : {"Description", "Loss Reason", "Message"}) {
            if (t.description.empty()) {
                t.description = str_at(*reason, words);
            }
        }
    }
    int_at(*info, "Task ID", 0, 0, INT64_MAX);  // checked, not kept
    t.index = int_at(*info, "Index", 0, 0, INT32_MAX);
    t.executor = str_at(*info, "Executor ID");
    t.launch = time_at(*info, "Launch Time");
    t.finish = time_at(*info, "Finish Time");
    t.getting_result = time_at(*info, "Getting Result Time");
    if (const auto* m = obj_at(e, "Task Metrics")) {
        t.has_metrics = true;
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            t.metrics[i] = metric(*m, kStageMetrics[i]);
        }
    }
    if (const auto* peak = obj_at(e, "Task Executor Metrics")) {
        t.peaks.update(*peak);
    }
    add_task_end(t);
}

void RunBuilder::record_timing(const TaskEnd& t, bool success, bool killed) {
    const StageKey key{t.stage, t.stage_attempt};
    auto [st, new_stage] = task_stage_index_.try_emplace(key, tasks_.stages.size());
    if (new_stage) {
        tasks_.stages.push_back(StageTasks{t.stage, t.stage_attempt, {}, StageTaskSummary{}});
    }
    auto [ex, new_executor] =
        task_executor_index_.try_emplace(t.executor,
                                         static_cast<std::uint32_t>(tasks_.executors.size()));
    if (new_executor) {
        tasks_.executors.push_back(t.executor);
    }
    auto& stage = tasks_.stages[st->second];
    stage.tasks.push_back(
        TaskTiming{t.launch, t.finish > t.launch ? t.finish - t.launch : 0, ex->second, success,
                   t.has_metrics ? t.metrics[kInputBytes] : 0,
                   t.has_metrics ? t.metrics[kRemoteRead] + t.metrics[kLocalRead] : 0});
    add_to(*stage.summary, stage.tasks.back());
    if (!success && !killed) {
        // The first line of the failure, bounded: one entry per distinct cause.
        std::string why = t.class_name.empty() ? t.reason : t.class_name;
        if (!t.description.empty()) {
            why += ": " + t.description.substr(0, t.description.find('\n'));
        }
        ++tasks_.failure_reasons[why.substr(0, 200)];
    }
}

AttemptTasks RunBuilder::take_tasks() {
    tasks_.attempt_id = attempt_id_.value_or("");
    for (auto& s : tasks_.stages) {
        std::stable_sort(s.tasks.begin(), s.tasks.end(),
                         [](const TaskTiming& a, const TaskTiming& b) {
                             return a.launch_ms < b.launch_ms;
                         });
    }
    task_executor_index_.clear();
    task_stage_index_.clear();
    return std::exchange(tasks_, AttemptTasks{});
}

void RunBuilder::summarize_if_done(Stage& s) {
    if (s.done && !s.summarized && s.started <= s.ended) {
        s.summaries = s.samples.summaries();
        s.samples = StageSamples{};
        s.summarized = true;
    }
}

// Peaks an executor reported for one stage attempt: as the server, only while it is live.
void RunBuilder::add_stage_peaks(const json::object& at,
                                 const std::string& executor,
                                 const json::object& metrics) {
    StageKey key{stage_id_at(at, "Stage ID"), stage_id_at(at, "Stage Attempt ID")};
    if (auto it = stages_.find(key); it != stages_.end() && !it->second.summarized) {
        it->second.samples.add_peaks(executor, metrics);
    }
}

void RunBuilder::add_task_end(const TaskEnd& t) {
    StageKey key{t.stage, t.stage_attempt};
    auto [it, inserted] = stages_.try_emplace(key);
    Stage& s = it->second;
    if (inserted) {
        s.id = key.first;
        s.attempt = key.second;
        s.metrics.assign(kMetricCount, 0);
    }
    const bool success = t.reason == "Success";
    const bool killed = t.reason == "TaskKilled" || t.reason == "TaskCommitDenied";
    s.complete += success ? 1 : 0;
    ++s.ended;
    s.killed += killed ? 1 : 0;
    s.failed += (!success && !killed) ? 1 : 0;
    if (killed) {
        ++s.killed_reasons[t.kill_reason.empty() ? t.reason : t.kill_reason];
    }
    if (success) {
        s.completed_indices.insert(t.index);
    }
    record_timing(t, success, killed);
    if (!s.summarized) {
        s.samples.add_task(t, success, killed);
        summarize_if_done(s);
    }
    Executor& ex = executor(t.executor);
    ex.completed += success ? 1 : 0;
    ex.failed += (!success && !killed) ? 1 : 0;
    ++ex.total;
    ex.duration += t.finish > t.launch ? t.finish - t.launch : 0;
    if (t.has_metrics) {
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            s.metrics[i] += t.metrics[i];
        }
        ex.gc += t.metrics[kGcTime];
        ex.input += t.metrics[kInputBytes];
        ex.shuffle_read += t.metrics[kRemoteRead] + t.metrics[kLocalRead];
        ex.shuffle_write += t.metrics[kWriteBytes];
    }
    // Every task end sets the peaks, with zeros when the log has no Task Executor Metrics
    // (Spark reads a missing field as all-zero metrics), so only a stage or an executor without
    // any task end lacks them.
    for (auto* peak : {&ex.peak, &s.peak}) {
        for (std::size_t i = 0; i < kPeakMetricCount; ++i) {
            peak->update(i, t.peaks.known[i]);
        }
        for (const auto& [k, v] : t.peaks.extra) {
            peak->update(k, to_i64(v));
        }
    }
}

void RunBuilder::add(const json::object& e) {
    std::string_view ev = e.contains("Event") && e.at("Event").is_string()
                              ? std::string_view(e.at("Event").get_string())
                              : std::string_view();
    ev = event_name(ev);
    if (ev == "SparkListenerTaskEnd") {
        task_end(e);
    } else if (ev == "SparkListenerTaskStart") {
        if (const auto* info = obj_at(e, "Task Info")) {
            Stage& s = stage(e);
            ++s.started;
            ++executor(str_at(*info, "Executor ID")).started;
            int_at(*info, "Task ID", 0, 0, INT64_MAX);  // checked, not kept
            int_at(*info, "Index", 0, 0, INT32_MAX);
            auto launch = time_at(*info, "Launch Time");
            if (!s.first_task || launch < *s.first_task) {
                s.first_task = launch;
            }
        }
    } else if (ev == "SparkListenerStageSubmitted" || ev == "SparkListenerStageCompleted") {
        if (const auto* info = obj_at(e, "Stage Info")) {
            stage_info(*info, ev == "SparkListenerStageCompleted");
            if (const auto* props = obj_at(e, "Properties")) {
                Stage& s = stage(*info);
                if (auto pool = str_at(*props, "spark.scheduler.pool"); !pool.empty()) {
                    s.pool = pool;
                }
                if (auto d = str_at(*props, "spark.job.description"); !d.empty()) {
                    s.description = d;
                }
            }
        }
    } else if (ev == "SparkListenerJobStart") {
        if (const auto* infos = e.if_contains("Stage Infos"); infos && infos->is_array()) {
            for (const auto& i : infos->get_array()) {
                if (const auto* o = i.if_object()) {
                    StageKey key{stage_id_at(*o, "Stage ID"), stage_id_at(*o, "Stage Attempt ID")};
                    if (!stages_.contains(key)) {
                        stage_info(*o, false);  // PENDING until submitted; SKIPPED if never
                    }
                }
            }
        }
    } else if (ev == "SparkListenerExecutorAdded") {
        Executor& ex = executor(str_at(e, "Executor ID"));
        ex.add_time = time_at(e, "Timestamp");
        if (const auto* info = obj_at(e, "Executor Info")) {
            ex.cores = int_at(*info, "Total Cores");
            ex.host = str_at(*info, "Host");
            ex.resource_profile = int_at(*info, "Resource Profile Id");
            for (auto [key, target] : {std::pair{"Log Urls", &ex.logs},
                                       {"Attributes", &ex.attributes},
                                       {"Resources", &ex.resources}}) {
                if (const auto* o = obj_at(*info, key)) {
                    *target = *o;
                }
            }
        }
    } else if (ev == "SparkListenerExecutorExcluded" || ev == "SparkListenerExecutorBlacklisted" ||
               ev == "SparkListenerExecutorUnexcluded" ||
               ev == "SparkListenerExecutorUnblacklisted") {
        executor(str_at(e, "executorId")).excluded =
            ev == "SparkListenerExecutorExcluded" || ev == "SparkListenerExecutorBlacklisted";
    } else if (ev == "SparkListenerNodeExcluded" || ev == "SparkListenerNodeBlacklisted" ||
               ev == "SparkListenerNodeUnexcluded" || ev == "SparkListenerNodeUnblacklisted") {
        const bool excluded =
            ev == "SparkListenerNodeExcluded" || ev == "SparkListenerNodeBlacklisted";
        const std::string host = str_at(e, "hostId");
        for (auto& [id, ex] : executors_) {
            if (ex.host == host && id != "driver") {
                ex.excluded = excluded;
            }
        }
    } else if (ev == "SparkListenerExecutorRemoved") {
        // An executor that failed to launch is removed without ever being added; the History
        // Server drops that removal (it only ends executors it has), and so do we.
        const std::string id = str_at(e, "Executor ID");
        if (const auto it = executors_.find(id == "<driver>" ? std::string(kDriver) : id);
            it != executors_.end()) {
            it->second.remove_time = time_at(e, "Timestamp");
            it->second.remove_reason = str_at(e, "Removed Reason");
        }
    } else if (ev == "SparkListenerBlockManagerAdded") {
        if (const auto* id = obj_at(e, "Block Manager ID")) {
            Executor& ex = executor(str_at(*id, "Executor ID"));
            ex.max_memory = int_at(e, "Maximum Memory");
            ex.has_memory_metrics = e.contains("Maximum Onheap Memory");
            ex.max_on_heap = int_at(e, "Maximum Onheap Memory", ex.max_memory);
            ex.max_off_heap = int_at(e, "Maximum Offheap Memory");
            ex.host_port = str_at(*id, "Host") + ":" + std::to_string(int_at(*id, "Port"));
            if (ex.add_time == 0) {
                ex.add_time = time_at(e, "Timestamp");
            }
            if (ex.host.empty()) {
                ex.host = str_at(*id, "Host");
            }
        }
    } else if (ev == "SparkListenerStageExecutorMetrics") {
        if (const auto* m = obj_at(e, "Executor Metrics")) {
            executor(str_at(e, "Executor ID")).peak.update(*m);
            StageKey key{stage_id_at(e, "Stage ID"), stage_id_at(e, "Stage Attempt ID")};
            if (auto it = stages_.find(key); it != stages_.end()) {
                it->second.peak.update(*m);
            }
            add_stage_peaks(e, str_at(e, "Executor ID"), *m);
        }
    } else if (ev == "SparkListenerExecutorMetricsUpdate") {
        // Heartbeats carry the executor's peaks per stage (stage -1: outside any stage).
        if (const auto* list = e.if_contains("Executor Metrics Updated");
            list && list->is_array()) {
            Executor& ex = executor(str_at(e, "Executor ID"));
            for (const auto& u : list->get_array()) {
                if (const auto* m =
                        u.is_object() ? obj_at(u.get_object(), "Executor Metrics") : nullptr) {
                    ex.peak.update(*m);
                    add_stage_peaks(u.get_object(), ex.id, *m);
                }
            }
        }
    } else if (ev == "SparkListenerResourceProfileAdded") {
        resource_profiles_.push_back(resource_profile(e));
        if (const auto* tasks = obj_at(e, "Task Resource Requests")) {
            if (const auto* cpus = obj_at(*tasks, "cpus")) {
                const auto* amount = cpus->if_contains("Amount");
                if (amount && amount->is_number() && amount->to_number<double>() > 0) {
                    task_cpus_[int_at(e, "Resource Profile Id")] = amount->to_number<double>();
                }
            }
        }
    } else if (ev == "SparkListenerApplicationStart") {
        app_id_ = str_at(e, "App ID");
        app_name_ = str_at(e, "App Name");
        user_ = str_at(e, "User");
        start_ = time_at(e, "Timestamp");
        if (auto a = str_at(e, "App Attempt ID"); !a.empty()) {
            attempt_id_ = a;
        }
    } else if (ev == "SparkListenerApplicationEnd") {
        end_ = time_at(e, "Timestamp");
    } else if (ev == "SparkListenerLogStart") {
        spark_version_ = str_at(e, "Spark Version");
    } else if (ev == "SparkListenerEnvironmentUpdate") {
        const auto* jvm = obj_at(e, "JVM Information");
        environment_ = json::object{
            {"runtime", json::object{{"javaVersion", jvm ? str_at(*jvm, "Java Version") : ""},
                                     {"javaHome", jvm ? str_at(*jvm, "Java Home") : ""},
                                     {"scalaVersion", jvm ? str_at(*jvm, "Scala Version") : ""}}},
            {"sparkProperties", sorted_pairs(obj_at(e, "Spark Properties"))},
            {"hadoopProperties", sorted_pairs(obj_at(e, "Hadoop Properties"))},
            {"systemProperties", sorted_pairs(obj_at(e, "System Properties"))},
            {"metricsProperties", sorted_pairs(obj_at(e, "Metrics Properties"))},
            {"classpathEntries", sorted_pairs(obj_at(e, "Classpath Entries"), false)},
            {"resourceProfiles", json::array{}},  // filled in attempt()
        };
    }
}

json::object RunBuilder::attempt(std::int64_t last_updated_ms) const {
    const std::int64_t start = start_.value_or(0);
    const std::int64_t end = end_.value_or(-1);
    json::object a;
    if (attempt_id_) {
        a["attemptId"] = *attempt_id_;
    }
    a["startTime"] = shs_time(start);
    a["endTime"] = shs_time(end_ ? end : 0);
    a["lastUpdated"] = shs_time(last_updated_ms);
    a["duration"] = end_ ? end - start : 0;
    a["sparkUser"] = user_;
    a["completed"] = end_.has_value();
    a["appSparkVersion"] = spark_version_;
    a["startTimeEpoch"] = start;
    a["endTimeEpoch"] = end_ ? end : -1;
    a["lastUpdatedEpoch"] = last_updated_ms;

    // The History Server's order for a finished application (checked on every fixture log
    // against a live 3.5.9 server): by id as a string, "1" < "10" < "2" < "driver".
    std::vector<std::string> order = executor_order_;
    std::sort(order.begin(), order.end());
    json::array executors;
    for (const auto& id : order) {
        const Executor& x = executors_.at(id);
        // The 3.5 server reports the driver's totalDuration as the attempt's duration and its
        // totalGCTime as its TotalGCTime peak, not as sums over tasks (checked on every
        // fixture log against a live 3.5.9 server).
        const bool driver = id == "driver";
        static const std::size_t kTotalGc = peak_metric_index("TotalGCTime");
        const std::int64_t duration = driver ? (end_ ? end - start : 0) : x.duration;
        const std::int64_t gc = driver ? x.peak.known[kTotalGc] : x.gc;
        auto cpus = task_cpus_.find(x.resource_profile);
        const std::int64_t max_tasks =
            cpus == task_cpus_.end()
                ? x.cores
                : static_cast<std::int64_t>(static_cast<double>(x.cores) / cpus->second);
        json::object o{
            {"id", x.id},
            {"hostPort", x.host_port.empty() ? x.host : x.host_port},
            {"isActive", !x.remove_time.has_value()},
            {"rddBlocks", 0},
            {"memoryUsed", 0},
            {"diskUsed", 0},
            {"totalCores", x.cores},
            {"maxTasks", max_tasks},
            // A task that started and never ended (the driver stopped first) stays active on
            // the server, and counts in totalTasks, which it increments at task start.
            {"activeTasks", std::max<std::int64_t>(0, x.started - x.total)},
            {"failedTasks", x.failed},
            {"completedTasks", x.completed},
            {"totalTasks", std::max(x.total, x.started)},
            {"totalDuration", duration},
            {"totalGCTime", gc},
            {"totalInputBytes", x.input},
            {"totalShuffleRead", x.shuffle_read},
            {"totalShuffleWrite", x.shuffle_write},
            {"isBlacklisted", x.excluded},
            {"maxMemory", x.max_memory},
            {"addTime", shs_time(x.add_time)},
            {"executorLogs", x.logs},
            {"blacklistedInStages", json::array{}},
            {"attributes", x.attributes},
            {"resources", x.resources},
            {"resourceProfileId", x.resource_profile},
            {"isExcluded", x.excluded},
            {"excludedInStages", json::array{}},
        };
        if (x.remove_time) {
            o["removeTime"] = shs_time(*x.remove_time);
            o["removeReason"] = x.remove_reason;
        }
        if (x.has_memory_metrics) {
            o["memoryMetrics"] = json::object{{"usedOnHeapStorageMemory", 0},
                                              {"usedOffHeapStorageMemory", 0},
                                              {"totalOnHeapStorageMemory", x.max_on_heap},
                                              {"totalOffHeapStorageMemory", x.max_off_heap}};
        }
        if (x.peak.set) {
            o["peakMemoryMetrics"] = x.peak.to_json();
        }
        executors.push_back(std::move(o));
    }

    // The server lists stages newest first: descending stage id, then attempt.
    json::array stages;
    for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) {
        const Stage& s = it->second;
        std::string status = s.status;
        if (status == "PENDING" && end_) {
            status = "SKIPPED";  // listed by a job, never submitted, and the run is over
        }
        json::object o{
            {"status", status},
            {"stageId", s.id},
            {"attemptId", s.attempt},
            {"numTasks", s.num_tasks},
            {"numActiveTasks", std::max<std::int64_t>(0, s.started - s.ended)},
            {"numCompleteTasks", s.complete},
            {"numFailedTasks", s.failed},
            {"numKilledTasks", s.killed},
            {"numCompletedIndices", static_cast<std::int64_t>(s.completed_indices.size())},
        };
        if (s.submitted) {
            o["submissionTime"] = shs_time(*s.submitted);
        }
        if (s.first_task) {
            o["firstTaskLaunchedTime"] = shs_time(*s.first_task);
        }
        if (s.completed_at) {
            o["completionTime"] = shs_time(*s.completed_at);
        }
        if (!s.failure_reason.empty()) {
            o["failureReason"] = s.failure_reason;
        }
        for (std::size_t i = 0; i < kMetricCount; ++i) {
            o[kStageMetrics[i].rest] = s.metrics[i];
        }
        o["shuffleReadBytes"] = s.metrics[kRemoteRead] + s.metrics[kLocalRead];
        o["name"] = s.name;
        if (!s.description.empty()) {
            o["description"] = s.description;
        }
        o["details"] = s.details;
        o["schedulingPool"] = s.pool;
        o["rddIds"] = s.rdd_ids;
        o["accumulatorUpdates"] = s.accumulators;
        json::object killed;
        for (const auto& [why, n] : s.killed_reasons) {
            killed[why] = n;
        }
        o["killedTasksSummary"] = std::move(killed);
        o["resourceProfileId"] = s.resource_profile;
        if (s.peak.set) {
            o["peakExecutorMetrics"] = s.peak.to_json();
        }
        for (auto& [k, v] : s.summarized ? s.summaries : s.samples.summaries()) {
            o[k] = v;
        }
        o["isShufflePushEnabled"] = false;
        o["shuffleMergersCount"] = 0;
        stages.push_back(std::move(o));
    }
    a["allexecutors"] = std::move(executors);
    a["stages"] = std::move(stages);
    a["environment"] = environment_;
    a["environment"].as_object()["resourceProfiles"] = resource_profiles_;
    return a;
}

}  // namespace spot::sources::eventlog
