// test-slow: sleeps on every run, so tests can signal spotd in the middle of a pass.
#include <spot/plugin.hpp>

#include <thread>

namespace {

class Slow final : public spot::Enricher {
   public:
    explicit Slow(std::chrono::milliseconds delay) : delay_(delay) {}
    spot::Result<void> enrich(spot::Run&) override {
        std::this_thread::sleep_for(delay_);
        return {};
    }

   private:
    std::chrono::milliseconds delay_;
};

constexpr spot_option_decl kOptions[] = {
    spot::option("delay", SPOT_OPT_DURATION, "100ms", "How long each run takes."),
};
std::unique_ptr<spot::Plugin> create(const spot::PluginContext&, const spot::Options& o) {
    return std::make_unique<Slow>(o.duration("delay"));
}
constexpr spot_factory kFactory{&create};
constexpr auto kDescriptor =
    spot::make_descriptor("test-slow", SPOT_KIND_ENRICHER, "0", "Sleeps.", kOptions, &kFactory);

}  // namespace

SPOT_PLUGIN(kDescriptor)
