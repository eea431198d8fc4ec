#include <spot/metrics.hpp>

#include <catch2/catch.hpp>

TEST_CASE("metrics render as Prometheus text with escaped labels", "[unit][metrics]") {
    spot::MetricsRegistry m;
    m.counter("spot_runs_processed_total", "Runs.", {{"pipeline", "a"}}).inc(3);
    auto& same = m.counter("spot_runs_processed_total", "Runs.", {{"pipeline", "a"}});
    same.inc();
    m.gauge("spot_runs_in_flight", "In flight.", {{"pipeline", "q\"x"}}).set(2);
    const auto text = m.render_prometheus();
    CHECK(same.value() == 4);
    CHECK(text.find("# TYPE spot_runs_processed_total counter\n") != std::string::npos);
    CHECK(text.find("spot_runs_processed_total{pipeline=\"a\"} 4\n") != std::string::npos);
    CHECK(text.find("spot_runs_in_flight{pipeline=\"q\\\"x\"} 2\n") != std::string::npos);
}
