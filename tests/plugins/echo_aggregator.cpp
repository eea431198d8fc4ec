// test-echo: one `agg` document per attempt, id <app>-<attemptId|0>, carrying the name and
// app_specific_data, so daemon tests can count what landed without the real aggregator.
#include <spot/plugin.hpp>

namespace {

class Echo final : public spot::Aggregator {
   public:
    spot::Result<std::vector<spot::Document>> aggregate(const spot::Run& run) override {
        std::vector<spot::Document> docs;
        for (const auto& attempt : run.app.at("attempts").as_array()) {
            const auto* id = attempt.as_object().if_contains("attemptId");
            std::string attempt_id = id && id->is_string() ? std::string(id->get_string()) : "0";
            boost::json::object body{{"id", run.app_id}, {"name", run.app.at("name")}};
            if (const auto* asd = run.app.if_contains("app_specific_data")) {
                body["app_specific_data"] = *asd;
            }
            docs.push_back({"agg", run.app_id + "-" + attempt_id, std::move(body)});
        }
        return docs;
    }
};

constexpr spot_option_decl kOptions[] = {
    spot::option("note", SPOT_OPT_STRING, "", "Unused; a table needs one entry."),
};
std::unique_ptr<spot::Plugin> create(const spot::PluginContext&, const spot::Options&) {
    return std::make_unique<Echo>();
}
constexpr spot_factory kFactory{&create};
constexpr auto kDescriptor =
    spot::make_descriptor("test-echo", SPOT_KIND_AGGREGATOR, "0", "Echoes.", kOptions, &kFactory);

}  // namespace

SPOT_PLUGIN(kDescriptor)
