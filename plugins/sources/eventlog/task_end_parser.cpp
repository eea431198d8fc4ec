#include "task_end_parser.hpp"

#include <cstring>
#include <simdjson.h>

namespace spot::sources::eventlog {

namespace od = simdjson::ondemand;

namespace {

bool read_int(od::value v, std::int64_t& out) { return !v.get_int64().get(out); }

// Task Metrics, up to three levels deep ("Shuffle Read Metrics" / "Push Based Shuffle" / ...).
bool read_metrics(od::object obj, TaskEnd& t, std::string_view a, std::string_view b) {
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) {
            return false;
        }
        od::value v;
        if (field.value().get(v)) {
            return false;
        }
        od::json_type type;
        if (v.type().get(type)) {
            return false;
        }
        if (type == od::json_type::object) {
            od::object inner;
            if (v.get_object().get(inner)) {
                return false;
            }
            // keys are copied into the path only while the parent's buffer is stable
            std::string k(key);
            if (a.empty() ? !read_metrics(inner, t, k, {}) : !read_metrics(inner, t, a, k)) {
                return false;
            }
            continue;
        }
        if (type != od::json_type::number) {
            continue;  // "Updated Blocks" and the like
        }
        std::size_t i = a.empty()   ? task_metric_index(key, {}, {})
                        : b.empty() ? task_metric_index(a, key, {})
                                    : task_metric_index(a, b, key);
        if (i < kTaskMetricCount && !read_int(v, t.metrics[i])) {
            return false;
        }
    }
    return true;
}

bool read_task_info(od::object obj, TaskEnd& t) {
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) {
            return false;
        }
        if (key == "Index" || key == "Launch Time" || key == "Finish Time" ||
            key == "Getting Result Time" || key == "Task ID") {
            std::int64_t v = 0;
            // Out of what Spark writes: the DOM path names the field in the log's error.
            if (field.value().get_int64().get(v) || v < 0 || v > kMaxEventTime ||
                (key == "Index" && v > INT32_MAX)) {
                return false;
            }
            if (key == "Task ID") {
                continue;  // checked, not kept
            }
            (key == "Index"         ? t.index
             : key == "Launch Time" ? t.launch
             : key == "Finish Time" ? t.finish
                                    : t.getting_result) = v;
        } else if (key == "Executor ID") {
            std::string_view id;
            if (field.value().get_string().get(id)) {
                return false;
            }
            t.executor.assign(id);
        }  // "Accumulables" and the rest are skipped unread
    }
    return true;
}

bool read_reason(od::object obj, TaskEnd& t) {
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) {
            return false;
        }
        std::string* out = key == "Reason"        ? &t.reason
                           : key == "Kill Reason" ? &t.kill_reason
                           : key == "Class Name"  ? &t.class_name
                           : key == "Description" || key == "Loss Reason" || key == "Message"
                               ? &t.description
                               : nullptr;
        if (out != nullptr) {
            std::string_view v;
            if (field.value().get_string().get(v)) {
                return false;
            }
            out->assign(v);
        }
    }
    return true;
}

bool read_peaks(od::object obj, TaskEnd& t) {
    std::size_t expected = 0;  // Spark writes the names in order: usually no search
    for (auto field : obj) {
        std::string_view key;
        std::int64_t v = 0;
        if (field.unescaped_key().get(key) || field.value().get_int64().get(v)) {
            return false;
        }
        if (expected < kPeakMetricCount && key == peak_metric_name(expected)) {
            t.peaks.update(expected++, v);
        } else {
            t.peaks.update(key, v);
        }
    }
    return true;
}

}  // namespace

struct TaskEndParser::Impl {
    od::parser parser;
    std::vector<char> buffer;  // the line plus simdjson's padding
};

TaskEndParser::TaskEndParser() : impl_(std::make_unique<Impl>()) {}
TaskEndParser::~TaskEndParser() = default;

bool TaskEndParser::parse(std::string_view line, TaskEnd& t) {
    auto& buffer = impl_->buffer;
    buffer.resize(line.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer.data(), line.data(), line.size());
    od::document doc;
    if (impl_->parser.iterate(buffer.data(), line.size(), buffer.size()).get(doc)) {
        return false;
    }
    od::object root;
    if (doc.get_object().get(root)) {
        return false;
    }
    bool is_task_end = false, has_info = false;
    for (auto field : root) {
        std::string_view key;
        if (field.unescaped_key().get(key)) {
            return false;
        }
        if (key == "Event") {
            std::string_view ev;
            if (field.value().get_string().get(ev) || ev != "SparkListenerTaskEnd") {
                return false;
            }
            is_task_end = true;
        } else if (key == "Stage ID" || key == "Stage Attempt ID") {
            std::int64_t v = 0;
            if (field.value().get_int64().get(v) || v < -1 || v > INT32_MAX) {
                return false;
            }
            (key == "Stage ID" ? t.stage : t.stage_attempt) = v;
        } else if (key == "Task End Reason" || key == "Task Info" || key == "Task Metrics" ||
                   key == "Task Executor Metrics") {
            od::value v;
            od::json_type type;
            if (field.value().get(v) || v.type().get(type)) {
                return false;
            }
            if (type == od::json_type::null) {
                continue;
            }
            od::object o;
            if (v.get_object().get(o)) {
                return false;
            }
            has_info = has_info || key == "Task Info";
            bool ok = key == "Task End Reason" ? read_reason(o, t)
                      : key == "Task Info"     ? read_task_info(o, t)
                      : key == "Task Metrics"  ? (t.has_metrics = true, read_metrics(o, t, {}, {}))
                                               : read_peaks(o, t);
            if (!ok) {
                return false;
            }
        }
    }
    // Nothing may follow the object (ondemand stops reading at its closing brace).
    // A task end without its Task Info is not one Spark writes: the DOM path reports it.
    return is_task_end && has_info && doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

}  // namespace spot::sources::eventlog
