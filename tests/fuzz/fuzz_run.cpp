// Fuzz target: a Run in the REST shape through normalisation and aggregation. Wrong JSON types
// may throw std::exception, which the pipeline turns into an err document; memory errors and
// undefined behaviour are what this looks for.
#include "aggregators/spot-aggregate/documents.hpp"
#include "normalize/normalizer.hpp"

#include <spot/logging.hpp>

#include <boost/json/parse.hpp>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const spot::core::Normalizer normalizer(spot::core::default_property_rules(), [] {
        auto log = spot::logging::get("fuzz");
        log->set_level(spdlog::level::off);
        return log;
    }());
    boost::system::error_code ec;
    auto v = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
    if (ec || !v.is_object()) {
        return 0;
    }
    auto& o = v.as_object();
    if (!o.contains("id") || !o.at("id").is_string() || !o.contains("attempts") ||
        !o.at("attempts").is_array()) {
        return 0;  // the runfiles source refuses these before the pipeline sees them
    }
    spot::Run run;
    run.app_id = std::string(o.at("id").as_string());
    run.app = std::move(o);
    try {
        normalizer.apply(run);
        std::vector<std::string> untimed;
        for (std::size_t i = 0; i < run.app.at("attempts").as_array().size(); ++i) {
            if (run.app.at("attempts").as_array()[i].is_object()) {
                (void)spot::aggregators::aggregate::agg_document(run, i, {}, "t", untimed);
            }
        }
    } catch (const std::exception&) {
        // handled at the pipeline boundary: an err document
    }
    return 0;
}
