#include "runfiles_source.hpp"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace spot::sources::runfiles {

RunFilesSource::RunFilesSource(const PluginContext& ctx,
                               std::filesystem::path dir,
                               std::string include,
                               std::string exclude)
    : dir_(std::move(dir)), selected_(include, exclude), log_(ctx.log) {}

Result<Run> RunFilesSource::read_run(const std::filesystem::path& file,
                                     const FileStamp& stamp) const {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return make_error(ErrorCode::Io, "cannot read", file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(text.str(), ec);
    if (ec) {
        return make_error(ErrorCode::Json, "not valid JSON: " + ec.message(), file.string());
    }
    if (!v.is_object() || !v.get_object().contains("id") || !v.at("id").is_string() ||
        !v.get_object().contains("attempts") || !v.at("attempts").is_array()) {
        return make_error(ErrorCode::Parse,
                          "not a run: expected an object with string 'id' and array 'attempts'",
                          file.string());
    }
    Run run;
    run.app = std::move(v.get_object());
    run.app_id = std::string(run.app.at("id").get_string());
    run.history_host = "n/a";
    run.checkpoint = json::object{{"file", file.filename().string()},
                                  {"size", stamp.size},
                                  {"mtime_ns", stamp.mtime_ns}};
    return run;
}

asio::awaitable<Result<void>> RunFilesSource::pass(RunQueue& queue) {
    std::error_code ec;
    std::vector<std::pair<std::filesystem::path, FileStamp>> fresh;  // new or changed files
    std::size_t listed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
        const auto name = entry.path().filename().string();
        if (entry.path().extension() != ".json" || !entry.is_regular_file()) {
            continue;
        }
        struct stat st {};
        if (::stat(entry.path().c_str(), &st) != 0) {
            continue;
        }
        ++listed;
        FileStamp stamp{st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
        if (auto it = done_.find(name); it != done_.end() && it->second == stamp) {
            continue;
        }
        fresh.emplace_back(entry.path(), stamp);
    }
    if (ec) {
        co_return make_error(ErrorCode::Io, "cannot list the directory: " + ec.message(),
                             dir_.string());
    }
    // Stable order: the same input gives the same output.
    std::sort(fresh.begin(), fresh.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t submitted = 0;
    for (auto& [file, stamp] : fresh) {
        if (queue.stopping()) {
            break;
        }
        auto run = read_run(file, stamp);
        if (!run) {
            auto recorded = co_await queue.fail(run.error(), "", "n/a", "parse");
            if (!recorded) {
                co_return recorded.error();
            }
            // Remember it as done: the err document is its record until the file changes.
            done_[file.filename().string()] = stamp;
            continue;
        }
        const std::string name(run->app.contains("name") && run->app.at("name").is_string()
                                   ? std::string_view(run->app.at("name").get_string())
                                   : std::string_view());
        if (!selected_(name)) {
            commit(run->checkpoint);  // not wanted: not read again until it changes
            continue;
        }
        co_await queue.submit(std::move(*run));
        ++submitted;
    }
    log_->info("pass listed files={} new={} submitted={}", listed, fresh.size(), submitted);
    co_return Result<void>{};
}

void RunFilesSource::commit(const json::value& checkpoint) {
    const auto& c = checkpoint.as_object();
    done_[std::string(c.at("file").as_string())] =
        FileStamp{c.at("size").to_number<std::int64_t>(),
                  c.at("mtime_ns").to_number<std::int64_t>()};
}

json::value RunFilesSource::save_state() const {
    json::object files;
    for (const auto& [name, stamp] : done_) {
        files[name] = json::object{{"size", stamp.size}, {"mtime_ns", stamp.mtime_ns}};
    }
    return json::object{{"files", std::move(files)}};
}

Result<void> RunFilesSource::load_state(const json::value& state) {
    const auto* files = state.is_object() ? state.as_object().if_contains("files") : nullptr;
    if (files == nullptr || !files->is_object()) {
        return make_error(ErrorCode::Parse, "state has no 'files' object");
    }
    for (const auto& [name, stamp] : files->as_object()) {
        const auto* s = stamp.if_object();
        if (s == nullptr || !s->contains("size") || !s->contains("mtime_ns") ||
            !s->at("size").is_int64() || !s->at("mtime_ns").is_int64()) {
            return make_error(ErrorCode::Parse, "bad state entry for '" + std::string(name) + "'");
        }
        done_[std::string(name)] =
            FileStamp{s->at("size").as_int64(), s->at("mtime_ns").as_int64()};
    }
    return {};
}

}  // namespace spot::sources::runfiles
