#include "observation_store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <system_error>

namespace spot::advisors::regression {

namespace json = boost::json;

Result<void> ObservationStore::load() {
    jobs_.clear();
    lines_in_file_ = skipped_ = 0;
    std::ifstream in(file_);
    if (!in) {
        return {};  // nothing learned yet
    }
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) {
            continue;
        }
        ++lines_in_file_;
        boost::system::error_code ec;
        auto v = json::parse(line, ec);
        auto o = !ec && v.is_object() ? observation_from_json(v.get_object())
                                      : Result<Observation>(make_error(ErrorCode::Json, "", ""));
        if (!o) {
            ++skipped_;  // a line cut by a crash mid-append, most likely
            continue;
        }
        add(std::move(*o));
    }
    return {};
}

void ObservationStore::add(Observation o) {
    auto& runs = jobs_[o.job];
    auto same = std::find_if(runs.begin(), runs.end(), [&](const Observation& r) {
        return r.app_id == o.app_id && r.attempt == o.attempt;
    });
    if (same != runs.end()) {
        runs.erase(same);
    }
    // Kept in end-time order; runs usually arrive in it.
    auto at = std::upper_bound(runs.begin(), runs.end(), o.end_ms,
                               [](std::int64_t t, const Observation& r) { return t < r.end_ms; });
    runs.insert(at, std::move(o));
    while (runs.size() > max_per_job_) {
        runs.pop_front();
    }
}

Result<void> ObservationStore::append(const Observation& o) {
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    {
        std::ofstream out(file_, std::ios::app);
        out << json::serialize(to_json(o)) << '\n';
        out.flush();
        if (!out) {
            return make_error(ErrorCode::Io, "cannot append to " + file_.string(), "");
        }
    }
    ++lines_in_file_;
    if (lines_in_file_ > 2 * std::max<std::size_t>(size(), 64)) {
        return compact();
    }
    return {};
}

Result<std::filesystem::path> ObservationStore::set_aside_unreadable() {
    if (skipped_ == 0) {
        return std::filesystem::path();
    }
    std::filesystem::path aside = file_.string() + ".corrupt";
    std::error_code ec;
    std::filesystem::copy_file(file_, aside, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) {
        return make_error(ErrorCode::Io, "cannot copy " + file_.string() + ": " + ec.message(), "");
    }
    if (auto c = compact(); !c) {
        return c.error();
    }
    skipped_ = 0;
    return aside;
}

Result<void> ObservationStore::compact() {
    const auto tmp = file_.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (const auto& [job, runs] : jobs_) {
            for (const auto& r : runs) {
                out << json::serialize(to_json(r)) << '\n';
            }
        }
        out.flush();
        if (!out) {
            return make_error(ErrorCode::Io, "cannot write " + tmp, "");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file_, ec);
    if (ec) {
        return make_error(ErrorCode::Io, "cannot replace " + file_.string() + ": " + ec.message(),
                          "");
    }
    lines_in_file_ = size();
    return {};
}

std::vector<Observation> ObservationStore::runs_of(const std::string& job) const {
    auto it = jobs_.find(job);
    return it == jobs_.end() ? std::vector<Observation>{}
                             : std::vector<Observation>(it->second.begin(), it->second.end());
}

std::vector<Observation> ObservationStore::all_runs() const {
    std::vector<Observation> out;
    for (const auto& [job, runs] : jobs_) {
        out.insert(out.end(), runs.begin(), runs.end());
    }
    std::stable_sort(out.begin(), out.end(), [](const Observation& a, const Observation& b) {
        return a.end_ms < b.end_ms;
    });
    return out;
}

std::size_t ObservationStore::size() const {
    std::size_t n = 0;
    for (const auto& [job, runs] : jobs_) {
        n += runs.size();
    }
    return n;
}

}  // namespace spot::advisors::regression
