// What checkpointing one acknowledged run costs as the state grows (issue: state cost per run):
// the whole state written atomically after every run (what the daemon did) against one journal
// line (what it does: the state file is rewritten every 1,000 runs and after each pass). The
// state is shaped like the history source's: one entry per run in the lookback window.
//   state_bench DIR
#include "state/state_store.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace json = boost::json;

namespace {

json::value state_of(std::size_t runs) {
    json::array done;
    for (std::size_t i = 0; i < runs; ++i) {
        done.push_back(
            json::object{{"id", fmt::format("application_1700000000000_{:06}", i)},
                         {"end_ms", 1'700'000'000'000 + static_cast<std::int64_t>(i) * 1000}});
    }
    return json::object{{"done", std::move(done)}};
}

template <class F>
double median_ms(int reps, F&& f) {
    std::vector<double> took;
    for (int i = 0; i < reps; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f(i);
        took.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(took.begin(), took.end());
    return took[took.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: state_bench DIR\n");
        return 2;
    }
    spot::core::StateStore store(argv[1]);
    if (!store.open()) {
        return 1;
    }
    fmt::print("{:>10} {:>14} {:>22} {:>18}\n", "runs", "state bytes", "whole state per run",
               "journal per run");
    for (std::size_t runs : {1'000UL, 10'000UL, 100'000UL}) {
        const auto state = state_of(runs);
        const auto bytes = json::serialize(state).size();
        const double whole = median_ms(runs >= 100'000 ? 5 : 20, [&](int) {
            if (!store.save("bench", state)) {
                std::abort();
            }
        });
        const double line = median_ms(200, [&](int i) {
            const json::value cp =
                json::object{{"id", fmt::format("application_1800000000000_{:06}", i)},
                             {"end_ms", 1'800'000'000'000 + i}};
            if (!store.append_journal("bench", cp)) {
                std::abort();
            }
        });
        fmt::print("{:>10} {:>14} {:>19.2f} ms {:>15.2f} ms\n", runs, bytes, whole, line);
    }
    return 0;
}
