#include "post_aggregation.hpp"

#include "json_path.hpp"

#include <cmath>
#include <optional>

namespace spot::enrichers::enceladus {

namespace json = boost::json;

namespace {

std::optional<double> number(const json::value* v) {
    if (v == nullptr || !v->is_number()) {
        return std::nullopt;
    }
    return v->to_number<double>();
}

}  // namespace

bool add_postprocessing(json::object& doc, std::int64_t block) {
    const auto* info = find_path(doc, {"attempt", "app_specific_data", "enceladus_run",
                                       "controlMeasure", "metadata", "additionalInfo"});
    const auto* type = find_path(doc, {"app_specific_data", "classification", "type"});
    json::object* summary = nullptr;
    if (auto* a = doc.if_contains("attempt"); a != nullptr && a->is_object()) {
        if (auto* aggs = a->get_object().if_contains("aggs");
            aggs != nullptr && aggs->is_object()) {
            auto& s = aggs->get_object()["summary"];  // absent when the run had no executors' data
            if (!s.is_object()) {
                s = json::object{};
            }
            summary = &s.get_object();
        }
    }
    if (info == nullptr || !info->is_object() || type == nullptr || !type->is_string() ||
        summary == nullptr) {
        return false;
    }
    const auto& ai = info->get_object();
    const std::string_view t = type->get_string();
    // Input as the job read it from storage and output as it wrote it; std&conf reads like a
    // standardization and writes like a conformance.
    const char* in_key = t == "conformance" ? "conform_input_data_size" : "std_input_data_size";
    const char* out_key =
        t == "standardization" ? "std_output_data_size" : "conform_output_data_size";
    const auto in_storage = number(ai.if_contains(in_key));
    const auto out_storage = number(ai.if_contains(out_key));
    const auto in_memory =
        number(find_path(doc, {"attempt", "aggs", "stages", "inputBytes", "max"}));
    const auto out_memory =
        number(find_path(doc, {"attempt", "aggs", "stages", "outputBytes", "max"}));
    const auto peak =
        number(find_path(doc, {"attempt", "aggs", "summary", "est_peak_memory_usage"}));
    json::object p;
    auto blocks = [&](double bytes) {
        return static_cast<std::int64_t>(std::ceil(bytes / static_cast<double>(block)));
    };
    if (in_storage && *in_storage > 0) {
        p["input_in_storage_HDFS_blocks"] = blocks(*in_storage);
        if (in_memory && *in_memory > 0) {
            p["input_deserialization_factor"] = *in_memory / *in_storage;
        }
        if (peak) {
            p["peak_to_input_memory_factor"] = *peak / *in_storage;
        }
    }
    if (out_storage && *out_storage > 0) {
        p["output_in_storage_HDFS_blocks"] = blocks(*out_storage);
        if (out_memory && *out_memory > 0) {
            p["output_deserialization_factor"] = *out_memory / *out_storage;
        }
        if (peak) {
            p["peak_to_output_memory_factor"] = *peak / *out_storage;
        }
    }
    if (in_storage && out_storage && *in_storage > 0) {
        p["output_to_input_storage_size_ratio"] = *out_storage / *in_storage;
    }
    (*summary)["postprocessing"] = std::move(p);
    return true;
}

}  // namespace spot::enrichers::enceladus
