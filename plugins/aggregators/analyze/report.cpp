#include "report.hpp"

#include <fmt/format.h>

namespace spot::aggregators::analyze {

std::string text_report(const std::string& source,
                        const std::string& app_id,
                        const std::string& app_name,
                        const AttemptAnalysis& a) {
    const auto& f = a.facts;
    std::string out = fmt::format("{}: {} \"{}\"{}\n", source, app_id, app_name,
                                  f.attempt_id.empty() ? "" : " attempt " + f.attempt_id);
    out += fmt::format("  duration {:.1f} s, {} executor(s){}, {:.3f} core-hours held\n",
                       f.duration_ms / 1000, f.executors.size(),
                       f.local_mode ? " (local mode)" : "", core_hours(f));
    out += fmt::format("  severity {} (score {}), {} finding(s)\n", severity_name(a.severity),
                       a.score, a.findings.size());
    for (const auto& x : a.findings) {
        out += fmt::format("  [{:<8}] {:<27} score {:>6}  {}\n", severity_name(x.severity),
                           x.heuristic, x.score(), x.explanation);
        for (const auto& [k, v] : x.suggestion) {
            out += fmt::format("             suggest {}={}\n", k, v.empty() ? "<set one>" : v);
        }
    }
    if (!a.whatif) {
        out += "  what-if: not available (" + a.whatif_missing + ")\n";
        return out;
    }
    const auto& w = *a.whatif;
    out += fmt::format(
        "  what-if ({} executor(s) x {} core(s) used; simulator error on them "
        "{:+.1f}%; knee {} executor(s)):\n",
        w.executors_used, w.cores_per_executor, w.error * 100, w.knee_executors);
    out += "    executors   percent   duration s   core-hours   utilisation\n";
    for (const auto& p : w.points) {
        out += fmt::format("    {:>9}   {:>6}%   {:>10.1f}   {:>10.4f}   {:>10.0f}%\n", p.executors,
                           p.percent, p.duration_ms / 1000, p.core_hours, p.utilization * 100);
    }
    return out;
}

}  // namespace spot::aggregators::analyze
