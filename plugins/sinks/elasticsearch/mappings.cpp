#include "mappings.hpp"

#include <boost/json/parse.hpp>

namespace spot::sinks::elasticsearch {

namespace json = boost::json;

namespace {

// attempt.analysis of the agg document (plugins/aggregators/analyze/analysis.cpp writes it).
// Keywords where dashboards group (severity, heuristic, suggestion keys); figures are named per
// heuristic, so they are typed by path templates: numbers always double, words keyword.
constexpr const char* kMappings = R"({
  "dynamic_templates": [
    {"analysis_figure_longs": {"path_match": "attempt.analysis.findings.figures.*",
                               "match_mapping_type": "long", "mapping": {"type": "double"}}},
    {"analysis_figure_doubles": {"path_match": "attempt.analysis.findings.figures.*",
                                 "match_mapping_type": "double", "mapping": {"type": "double"}}},
    {"analysis_figure_words": {"path_match": "attempt.analysis.findings.figures.*",
                               "match_mapping_type": "string", "mapping": {"type": "keyword"}}}
  ],
  "properties": {
    "attempt": {"properties": {"analysis": {"properties": {
      "severity": {"type": "keyword"},
      "severity_value": {"type": "long"},
      "score": {"type": "long"},
      "findings_count": {"type": "long"},
      "core_hours": {"type": "double"},
      "local_mode": {"type": "boolean"},
      "findings": {"properties": {
        "heuristic": {"type": "keyword"},
        "severity": {"type": "keyword"},
        "severity_value": {"type": "long"},
        "score": {"type": "long"},
        "affected": {"type": "long"},
        "stages": {"type": "long"},
        "figures": {"type": "object"},
        "explanation": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}},
        "suggestion": {"properties": {
          "key": {"type": "keyword"},
          "value": {"type": "keyword"}
        }}
      }},
      "whatif": {"properties": {
        "available": {"type": "boolean"},
        "reason": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}},
        "executors_used": {"type": "long"},
        "cores_per_executor": {"type": "long"},
        "driver_ms": {"type": "double"},
        "task_ms": {"type": "double"},
        "simulated_actual_ms": {"type": "double"},
        "error": {"type": "double"},
        "knee_executors": {"type": "long"},
        "knee_duration_ms": {"type": "double"},
        "knee_core_hours": {"type": "double"},
        "points": {"properties": {
          "percent": {"type": "long"},
          "executors": {"type": "long"},
          "duration_ms": {"type": "double"},
          "core_hours": {"type": "double"},
          "utilization": {"type": "double"}
        }}
      }}
    }}}}
  }
})";

}  // namespace

const json::object& explicit_mappings() {
    static const json::object m = json::parse(kMappings).as_object();
    return m;
}

}  // namespace spot::sinks::elasticsearch
