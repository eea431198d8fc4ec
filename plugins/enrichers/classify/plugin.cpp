// classify: the default enricher (SPEC §5). Every run gets a classification and a tag from its
// name, so dashboards can group runs of the same application.
#include "classify.hpp"

#include <spot/plugin.hpp>

namespace spot::enrichers::classify {

namespace {

class ClassifyEnricher final : public Enricher {
   public:
    explicit ClassifyEnricher(std::string separators) : separators_(std::move(separators)) {}

    Result<void> enrich(Run& run) override {
        const json::value* name = run.app.if_contains("name");
        // A copy: inserting app_specific_data below may rehash the object under a view.
        const std::string text =
            name && name->is_string() ? std::string(name->get_string()) : std::string();
        auto& data = run.app["app_specific_data"];
        if (!data.is_object()) {
            data = json::object{};
        }
        auto& obj = data.get_object();
        // Runs first; enrichers after it (e.g. enceladus) may refine both.
        obj["classification"] = classification_of(text, separators_);
        obj["tag"] = text;
        return {};
    }

   private:
    std::string separators_;
};

constexpr spot_option_decl kOptions[] = {
    option("separators",
           SPOT_OPT_STRING,
           " ;,.-%_",
           "Characters that split a run's name into the numbered classification parts."),
};

std::unique_ptr<Plugin> create(const PluginContext&, const Options& options) {
    return std::make_unique<ClassifyEnricher>(options.str("separators"));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("classify",
                    SPOT_KIND_ENRICHER,
                    "1.0.0",
                    "Classifies every run by its name: app_specific_data.classification and tag.",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::enrichers::classify

SPOT_PLUGIN(spot::enrichers::classify::kDescriptor)
