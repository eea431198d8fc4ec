// Runs the real processing path on a Run in-process: core normalisation, classify, then
// spot-aggregate's document builder.
#pragma once

#include "aggregators/spot-aggregate/documents.hpp"
#include "enrichers/classify/classify.hpp"
#include "normalize/normalizer.hpp"

#include <spot/logging.hpp>

namespace spot::test {

inline std::vector<Document> process(Run run, bool raw = false) {
    static const core::Normalizer normalizer(core::default_property_rules(),
                                             logging::get("test.normalize"));
    normalizer.apply(run);
    const auto* name = run.app.if_contains("name");
    run.app["app_specific_data"] =
        boost::json::object{{"classification",
                             enrichers::classify::classification_of(
                                 name && name->is_string() ? std::string(name->get_string()) : "")},
                            {"tag", name ? *name : boost::json::value("")}};
    std::vector<Document> docs;
    if (raw) {
        docs.push_back(aggregators::aggregate::raw_document(run, "2024-01-01T00:00:00.000Z"));
    }
    std::vector<std::string> untimed;
    for (std::size_t i = 0; i < run.app.at("attempts").as_array().size(); ++i) {
        docs.push_back(
            aggregators::aggregate::agg_document(run, i, {}, "2024-01-01T00:00:00.000Z", untimed));
    }
    return docs;
}

inline Run make_run(boost::json::object app) {
    Run r;
    r.app_id = std::string(app.at("id").as_string());
    r.history_host = "shs.example";
    r.app = std::move(app);
    return r;
}

}  // namespace spot::test
