#include "file_sink.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

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

namespace {

asio::awaitable<Result<void>> write_on_disk_strand(FileSink* sink, std::vector<Document> docs) {
    co_return sink->write_now(docs);
}

asio::awaitable<Result<void>> flush_on_disk_strand(FileSink* sink) { co_return sink->flush_now(); }

}  // namespace

asio::awaitable<Result<void>> FileSink::write(std::vector<Document> docs) {
    co_return co_await asio::co_spawn(disk_, write_on_disk_strand(this, std::move(docs)),
                                      asio::use_awaitable);
}

asio::awaitable<Result<void>> FileSink::flush() {
    co_return co_await asio::co_spawn(disk_, flush_on_disk_strand(this), asio::use_awaitable);
}

}  // namespace spot::sinks::file
