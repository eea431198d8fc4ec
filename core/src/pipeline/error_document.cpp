#include <spot/documents.hpp>
#include <spot/time.hpp>

namespace spot {

Document make_error_document(const Error& error,
                             std::string_view app_id,
                             std::string_view history_host,
                             std::string_view stage) {
    json::object err{
        {"type", error_type_name(error.code)},
        {"message", error.describe()},
        {"stage", stage},
    };
    json::object spot{
        {"time_processed", iso_utc_now()},
        {"spark_app_id", app_id.empty() ? std::string_view("n/a") : app_id},
        {"history_host", history_host.empty() ? std::string_view("n/a") : history_host},
        {"error", std::move(err)},
    };
    return Document{"err", "", json::object{{"spot", std::move(spot)}}};
}

}  // namespace spot
