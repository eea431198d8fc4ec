#include "file_sink.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>

namespace spot::sinks::file {

bool valid_stream_name(std::string_view stream) {
    if (stream.empty() || stream.size() > 100) {
        return false;
    }
    for (char c : stream) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

FileSink::FileSink(const PluginContext& ctx, FileSinkOptions options)
    : options_(std::move(options)), log_(ctx.log), disk_(asio::make_strand(ctx.workers)) {
    documents_ = &ctx.metrics->counter("spot_file_sink_documents_total",
                                       "Documents written durably by the file sink.",
                                       {{"pipeline", ctx.pipeline}, {"sink", ctx.instance_id}});
}

JsonlWriter& FileSink::writer_for(const std::string& stream) {
    auto& w = writers_[stream];
    if (!w) {
        w = std::make_unique<JsonlWriter>(options_.dir / (stream + ".jsonl"),
                                          options_.max_file_size, options_.fsync);
    }
    return *w;
}

Result<void> FileSink::write_now(const std::vector<Document>& docs) {
    std::error_code ec;
    std::filesystem::create_directories(options_.dir, ec);
    if (ec) {
        return make_error(ErrorCode::Io, "cannot create directory: " + ec.message(),
                          options_.dir.string());
    }
    std::map<std::string, std::string> batches;  // stream -> lines
    for (const auto& d : docs) {
        if (!valid_stream_name(d.stream)) {
            return make_error(ErrorCode::Internal, "invalid stream name '" + d.stream + "'");
        }
        json::object line;
        if (!d.id.empty()) {
            line["_id"] = d.id;
        }
        line["_source"] = d.body;
        auto& out = batches[d.stream];
        out += json::serialize(line);
        out += '\n';
    }
    for (const auto& [stream, lines] : batches) {
        auto& w = writer_for(stream);
        if (auto written = w.append(lines); !written) {
            return written;
        }
        if (w.repaired_bytes() > 0) {
            log_->warn("cut a torn last line left by a crash stream='{}' bytes={}", stream,
                       w.repaired_bytes());
        }
    }
    documents_->inc(docs.size());
    return {};
}

Result<void> FileSink::flush_now() {
    for (auto& [stream, w] : writers_) {
        if (auto synced = w->sync(); !synced) {
            return synced;
        }
    }
    return {};
}

Result<std::vector<KnownRun>> FileSink::known_runs_now(std::int64_t from_ms,
                                                       std::int64_t to_ms) const {
    std::map<std::string, std::int64_t> held;
    std::error_code ec;
    if (!std::filesystem::exists(options_.dir, ec)) {
        return std::vector<KnownRun>{};
    }
    std::size_t files = 0, unreadable = 0;
    for (const auto& entry : std::filesystem::directory_iterator(options_.dir, ec)) {
        const std::string name = entry.path().filename().string();
        // agg.jsonl and its rotated files agg.<stamp>.jsonl
        if (!name.starts_with("agg.") || !name.ends_with(".jsonl")) {
            continue;
        }
        std::ifstream in(entry.path());
        if (!in) {
            return make_error(ErrorCode::Io, "cannot read", entry.path().string());
        }
        ++files;
        std::string line;
        while (std::getline(in, line)) {
            boost::system::error_code jec;
            auto v = json::parse(line, jec);
            const auto* top = jec ? nullptr : v.if_object();
            const auto* src = top != nullptr ? top->if_contains("_source") : nullptr;
            const auto* body = src != nullptr ? src->if_object() : nullptr;
            const auto* id = body != nullptr ? body->if_contains("id") : nullptr;
            const auto* attempt = body != nullptr ? body->if_contains("attempt") : nullptr;
            const auto* end = attempt != nullptr && attempt->is_object()
                                  ? attempt->as_object().if_contains("endTimeEpoch")
                                  : nullptr;
            if (id == nullptr || !id->is_string() || end == nullptr || !end->is_int64()) {
                ++unreadable;  // a torn last line, or not an agg document
                continue;
            }
            const std::int64_t e = end->as_int64();
            if (e >= from_ms && e < to_ms) {
                auto& slot = held[std::string(id->as_string())];
                slot = std::max(slot, e);
            }
        }
    }
    log_->info("known runs read from agg files files={} runs={} unreadable_lines={}", files,
               held.size(), unreadable);
    std::vector<KnownRun> out;
    for (auto& [id, e] : held) {
        out.push_back(KnownRun{id, e});
    }
    return out;
}

namespace {

asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> known_on_disk_strand(
    const FileSink* sink, std::int64_t from_ms, std::int64_t to_ms) {
    auto known = sink->known_runs_now(from_ms, to_ms);
    if (!known) {
        co_return known.error();
    }
    co_return std::optional<std::vector<KnownRun>>(std::move(*known));
}

asio::awaitable<Result<void>> write_on_disk_strand(FileSink* sink, std::vector<Document> docs) {
    co_return sink->write_now(docs);
}

asio::awaitable<Result<void>> flush_on_disk_strand(FileSink* sink) { co_return sink->flush_now(); }

}  // namespace

asio::awaitable<Result<void>> FileSink::write(std::vector<Document> docs) {
    co_return co_await asio::co_spawn(disk_, write_on_disk_strand(this, std::move(docs)),
                                      asio::use_awaitable);
}

asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> FileSink::known_runs(
    std::int64_t from_ms, std::int64_t to_ms) {
    co_return co_await asio::co_spawn(disk_, known_on_disk_strand(this, from_ms, to_ms),
                                      asio::use_awaitable);
}

asio::awaitable<Result<void>> FileSink::flush() {
    co_return co_await asio::co_spawn(disk_, flush_on_disk_strand(this), asio::use_awaitable);
}

}  // namespace spot::sinks::file
