// Per-pipeline state in state_dir, written atomically: a crash leaves either the old file or the
// new one, never a mix (temp file, fsync, rename, fsync of the directory). Between two saves,
// each acknowledged run's checkpoint is appended to a journal beside it.
#pragma once

#include <spot/result.hpp>

#include <boost/json/value.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace spot::core {

class StateStore {
   public:
    explicit StateStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Creates state_dir when missing; fails when it cannot be written.
    [[nodiscard]] Result<void> open();
    // The saved state, or null when there is none yet.
    [[nodiscard]] Result<boost::json::value> load(const std::string& pipeline) const;
    // Writes the whole state atomically, then empties the pipeline's journal (folded into it).
    [[nodiscard]] Result<void> save(const std::string& pipeline, const boost::json::value& state);
    // One acknowledged run's checkpoint, appended as a line and fdatasync'd: what a run costs,
    // O(1) whatever the size of the state. Replayed over the state file by the next load.
    [[nodiscard]] Result<void> append_journal(const std::string& pipeline,
                                              const boost::json::value& checkpoint);
    // The checkpoints appended since the last save(), oldest first; a line cut by a crash (the
    // last) is skipped.
    [[nodiscard]] Result<std::vector<boost::json::value>> load_journal(
        const std::string& pipeline) const;

    [[nodiscard]] std::filesystem::path file_of(const std::string& pipeline) const;
    [[nodiscard]] std::filesystem::path journal_of(const std::string& pipeline) const;
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

   private:
    std::filesystem::path dir_;
};

// Writes `content` to `file` atomically; shared by everything that persists small files.
[[nodiscard]] Result<void> write_file_atomically(const std::filesystem::path& file,
                                                 std::string_view content);

}  // namespace spot::core
