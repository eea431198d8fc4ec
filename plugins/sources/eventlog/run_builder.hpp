// Rebuilds, from the events of one attempt's log, what the History Server would serve for it:
// the attempt (times, user, Spark version), allexecutors (driver and removed ones, with task
// totals), stages (every attempt, with task-metric totals) and environment. Fed one event at a
// time, so a log is never held whole.
#pragma once

#include "stage_summaries.hpp"
#include "task_end.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <spot/task_detail.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace spot::sources::eventlog {

// "org.apache.spark.scheduler.X" (how Spark 2.x logged its newer events) -> "X".
std::string_view event_name(std::string_view logged);

class RunBuilder {
   public:
    // Whether add() does anything with this event (a cheap prefilter for the reader).
    static bool uses(std::string_view event);

    // The hot path: task ends parsed without a DOM (task_end_parser.hpp).
    void add_task_end(const TaskEnd& t);
    // One parsed line. Unknown events are ignored, as the History Server does.
    void add(const boost::json::object& event);

    [[nodiscard]] bool ended() const { return end_.has_value(); }
    [[nodiscard]] const std::string& app_id() const { return app_id_; }
    [[nodiscard]] const std::string& app_name() const { return app_name_; }
    [[nodiscard]] std::optional<std::string> attempt_id() const { return attempt_id_; }

    // Every task's timing, for the run analysis (what the source keeps beside the Run).
    [[nodiscard]] AttemptTasks take_tasks();

    // The attempt in the REST shape, with allexecutors, stages and environment.
    // `last_updated_ms`: the log's modification time (what the server reports).
    [[nodiscard]] boost::json::object attempt(std::int64_t last_updated_ms) const;

   private:
    struct Executor {
        std::string id, host, host_port;
        std::int64_t add_time = 0;
        std::optional<std::int64_t> remove_time;
        std::string remove_reason;
        std::int64_t cores = 0, max_memory = 0, max_on_heap = 0, max_off_heap = 0;
        bool has_memory_metrics = false;  // the block manager reported on/off-heap sizes
        std::int64_t completed = 0, failed = 0, total = 0, duration = 0, gc = 0;
        std::int64_t started = 0;  // task starts; the server counts totalTasks at start
        std::int64_t input = 0, shuffle_read = 0, shuffle_write = 0;
        std::int64_t resource_profile = 0;
        bool excluded = false;
        Peaks peak;  // peakMemoryMetrics
        boost::json::object logs, attributes, resources;
    };
    struct Stage {
        std::int64_t id = 0, attempt = 0, num_tasks = 0, resource_profile = 0;
        std::string name, details, pool = "default", description, failure_reason;
        std::string status = "PENDING";
        std::optional<std::int64_t> submitted, completed_at, first_task;
        std::int64_t complete = 0, failed = 0, killed = 0;
        std::int64_t started = 0,
                     ended = 0;  // a start without an end stays active, as on the server
        std::set<std::int64_t> completed_indices;
        std::map<std::string, std::int64_t> killed_reasons;  // killedTasksSummary
        std::vector<std::int64_t> metrics;                   // in kStageMetrics order
        boost::json::array rdd_ids;
        boost::json::array accumulators;  // named (user) accumulators: accumulatorUpdates
        Peaks peak;                       // peakExecutorMetrics
        // The withSummaries quantiles: sampled while the server would keep the stage live
        // (until it completed and its last running task ended), then summarised and freed.
        StageSamples samples;
        boost::json::object summaries;
        bool done = false, summarized = false;
    };
    using StageKey = std::pair<std::int64_t, std::int64_t>;

    Executor& executor(const std::string& id);
    Stage& stage(const boost::json::object& info);
    void task_end(const boost::json::object& e);
    void record_timing(const TaskEnd& t, bool success, bool killed);
    static void summarize_if_done(Stage& s);
    void add_stage_peaks(const boost::json::object& at,
                         const std::string& executor,
                         const boost::json::object& metrics);
    void stage_info(const boost::json::object& info, bool completed);

    std::string app_id_, app_name_, user_, spark_version_;
    std::optional<std::string> attempt_id_;
    std::optional<std::int64_t> start_, end_;
    std::map<std::string, Executor> executors_;
    std::map<StageKey, Stage> stages_;
    std::vector<std::string> executor_order_;
    boost::json::object environment_;
    std::map<std::int64_t, double> task_cpus_;  // resource profile id -> cpus per task
    boost::json::array resource_profiles_;      // environment.resourceProfiles
    AttemptTasks tasks_;
    std::map<std::string, std::uint32_t> task_executor_index_;
    std::map<StageKey, std::size_t> task_stage_index_;
};

}  // namespace spot::sources::eventlog
