// Per-pipeline state in state_dir, written atomically: a crash leaves either the old file or the
// new one, never a mix (temp file, fsync, rename, fsync of the directory).
#pragma once

#include <spot/result.hpp>

#include <boost/json/value.hpp>
#include <filesystem>
#include <string>

namespace spot::core {

class StateStore {
   public:
    explicit StateStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Creates state_dir when missing; fails when it cannot be written.
    [[nodiscard]] Result<void> open();
    // The saved state, or null when there is none yet.
    [[nodiscard]] Result<boost::json::value> load(const std::string& pipeline) const;
    [[nodiscard]] Result<void> save(const std::string& pipeline, const boost::json::value& state);

    [[nodiscard]] std::filesystem::path file_of(const std::string& pipeline) const;
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

   private:
    std::filesystem::path dir_;
};

// Writes `content` to `file` atomically; shared by everything that persists small files.
[[nodiscard]] Result<void> write_file_atomically(const std::filesystem::path& file,
                                                 std::string_view content);

}  // namespace spot::core
