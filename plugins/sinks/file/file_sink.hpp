// The file sink: one JSON-lines file per stream (<dir>/<stream>.jsonl). Each line is
// {"_id": ..., "_source": {...}} like an Elasticsearch hit, "_id" absent for appended documents.
#pragma once

#include "jsonl_writer.hpp"

#include <spot/plugin.hpp>

#include <boost/asio/strand.hpp>
#include <map>

namespace spot::sinks::file {

struct FileSinkOptions {
    std::filesystem::path dir;
    std::int64_t max_file_size = 0;
    bool fsync = true;
};

class FileSink final : public Sink {
   public:
    FileSink(const PluginContext& ctx, FileSinkOptions options);

    asio::awaitable<Result<void>> write(std::vector<Document> docs) override;
    asio::awaitable<Result<void>> flush() override;
    asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> known_runs(
        std::int64_t from_ms, std::int64_t to_ms) override;

    // Blocking; runs on the worker strand. Public for tests and benchmarks.
    Result<void> write_now(const std::vector<Document>& docs);
    Result<void> flush_now();
    // Reads every agg file (current and rotated) for the runs it holds.
    Result<std::vector<KnownRun>> known_runs_now(std::int64_t from_ms, std::int64_t to_ms) const;

   private:
    JsonlWriter& writer_for(const std::string& stream);

    FileSinkOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    asio::strand<asio::any_io_executor> disk_;  // serialises file access off the event loop
    std::map<std::string, std::unique_ptr<JsonlWriter>> writers_;
    Counter* documents_ = nullptr;
};

// "<stream>" must be a plain name: it becomes a file name.
bool valid_stream_name(std::string_view stream);

}  // namespace spot::sinks::file
