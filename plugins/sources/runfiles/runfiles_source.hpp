// runfiles: Runs saved as JSON files, one per file, in the History Server REST shape (the
// application as listed, each attempt with allexecutors, stages and environment). For replaying
// captured runs and for tests; the event-log and History Server sources produce the same shape.
#pragma once

#include <spot/name_filter.hpp>
#include <spot/plugin.hpp>

#include <filesystem>
#include <map>
#include <regex>

namespace spot::sources::runfiles {

struct FileStamp {
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
};

class RunFilesSource final : public Source {
   public:
    RunFilesSource(const PluginContext& ctx,
                   std::filesystem::path dir,
                   std::string include,
                   std::string exclude);

    asio::awaitable<Result<void>> pass(RunQueue& queue) override;
    void commit(const json::value& checkpoint) override;
    [[nodiscard]] json::value save_state() const override;
    Result<void> load_state(const json::value& state) override;

   private:
    // Reads and checks one file; a malformed one is an error for that file only.
    Result<Run> read_run(const std::filesystem::path& file, const FileStamp& stamp) const;

    std::filesystem::path dir_;
    NameFilter selected_;
    std::shared_ptr<spdlog::logger> log_;
    std::map<std::string, FileStamp> done_;  // file name -> stamp when processed
};

}  // namespace spot::sources::runfiles
