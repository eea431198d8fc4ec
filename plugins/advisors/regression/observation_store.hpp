// The observations of one advisor instance, by job, kept in state_dir as JSON lines
// (`<pipeline>.<instance>.observations.jsonl`): appended as runs arrive, so a run costs one line,
// and rewritten (atomically) when the file holds twice what is kept. Bounded: the newest
// `max_per_job` runs of each job. A run seen again (reprocessed) replaces its observation.
#pragma once

#include "observation.hpp"

#include <spot/result.hpp>

#include <cstddef>
#include <deque>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace spot::advisors::regression {

class ObservationStore {
   public:
    ObservationStore(std::filesystem::path file, std::size_t max_per_job)
        : file_(std::move(file)), max_per_job_(max_per_job) {}

    // Reads the file (missing: empty). Lines that are not observations are counted and skipped.
    Result<void> load();
    // Adds in memory; save() appends it to the file.
    void add(Observation o);
    Result<void> append(const Observation& o);

    [[nodiscard]] const std::map<std::string, std::deque<Observation>>& jobs() const {
        return jobs_;
    }
    // One job's runs, oldest first; empty when unknown.
    [[nodiscard]] std::vector<Observation> runs_of(const std::string& job) const;
    // Every job's runs, oldest first (the cluster model's data).
    [[nodiscard]] std::vector<Observation> all_runs() const;
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] std::size_t skipped_lines() const { return skipped_; }
    // After a load() that skipped lines: the file is copied to `<file>.corrupt` for a person to
    // read, and rewritten with what was readable. Returns the copy's path (empty: nothing to do).
    Result<std::filesystem::path> set_aside_unreadable();
    [[nodiscard]] const std::filesystem::path& file() const { return file_; }

   private:
    Result<void> compact();

    std::filesystem::path file_;
    std::size_t max_per_job_;
    std::map<std::string, std::deque<Observation>> jobs_;
    std::size_t lines_in_file_ = 0, skipped_ = 0;
};

}  // namespace spot::advisors::regression
