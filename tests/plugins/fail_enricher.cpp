// test-fail: fails every run whose name matches `match`, to exercise err documents.
#include <spot/plugin.hpp>

#include <regex>

namespace {

class Fail final : public spot::Enricher {
   public:
    explicit Fail(const std::string& match) : match_(match) {}
    spot::Result<void> enrich(spot::Run& run) override {
        const auto* name = run.app.if_contains("name");
        if (name && name->is_string() &&
            std::regex_search(std::string(name->get_string()), match_)) {
            return spot::make_error(spot::ErrorCode::Parse, "refused by test-fail", run.app_id);
        }
        return {};
    }

   private:
    std::regex match_;
};

constexpr spot_option_decl kOptions[] = {
    spot::option("match", SPOT_OPT_REGEX, ".", "Names of runs to fail."),
};
std::unique_ptr<spot::Plugin> create(const spot::PluginContext&, const spot::Options& o) {
    return std::make_unique<Fail>(o.str("match"));
}
constexpr spot_factory kFactory{&create};
constexpr auto kDescriptor =
    spot::make_descriptor("test-fail", SPOT_KIND_ENRICHER, "0", "Fails.", kOptions, &kFactory);

}  // namespace

SPOT_PLUGIN(kDescriptor)
