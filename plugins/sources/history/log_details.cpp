#include "log_details.hpp"

#include <sources/eventlog/log_reader.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <unistd.h>

namespace spot::sources::history {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "logs-";  // every file this component writes

// A downloaded zip, removed whichever way its scope ends.
class TempFile {
   public:
    explicit TempFile(fs::path path) : path_(std::move(path)) {}
    ~TempFile() {
        std::error_code ec;
        fs::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

   private:
    fs::path path_;
};

}  // namespace

LogDetails::LogDetails(HistoryApi& api,
                       LogOptions options,
                       asio::any_io_executor workers,
                       std::shared_ptr<spdlog::logger> log,
                       Counter* bytes_total)
    : api_(api),
      options_(std::move(options)),
      workers_(std::move(workers)),
      log_(std::move(log)),
      bytes_total_(bytes_total) {}

Result<void> LogDetails::prepare() {
    std::error_code ec;
    fs::create_directories(options_.work_dir, ec);
    if (ec) {
        return make_error(ErrorCode::Io, "cannot create the download directory: " + ec.message(),
                          options_.work_dir.string());
    }
    std::size_t removed = 0;
    for (const auto& e : fs::directory_iterator(options_.work_dir, ec)) {
        if (e.path().filename().string().starts_with(kPrefix)) {
            removed += fs::remove(e.path(), ec) ? 1 : 0;
        }
    }
    if (removed > 0) {
        log_->info("removed {} partial download(s) left in {}", removed,
                   options_.work_dir.string());
    }
    return {};
}

Result<LogDetails::Rebuilt> LogDetails::rebuild(const LogDetails* self,
                                                const fs::path& zip,
                                                const std::string& app_id,
                                                json::object attempt) {
    auto store = eventlog::zip_archive(zip, self->options_.zip);
    if (!store) {
        return store.error();
    }
    auto logs = (*store)->list();
    if (!logs) {
        return logs.error();
    }
    if (logs->size() != 1) {
        return make_error(ErrorCode::Parse,
                          fmt::format("the zip holds {} complete logs, not one", logs->size()),
                          app_id);
    }
    auto parsed = eventlog::read_log(**store, logs->front(), self->options_.max_line_size);
    if (!parsed) {
        return parsed.error();
    }
    if (parsed->run.app_id() != app_id) {
        return make_error(ErrorCode::Parse,
                          "the log is of application '" + parsed->run.app_id() + "'", app_id);
    }
    // The listed attempt stays as the server gave it (times, user, lastUpdated); the log gives
    // what the detail endpoints would.
    const auto* updated = attempt.if_contains("lastUpdatedEpoch");
    auto built =
        parsed->run.attempt(updated != nullptr && updated->is_int64() ? updated->as_int64() : 0);
    for (const char* part : {"environment", "allexecutors", "stages"}) {
        attempt[part] = std::move(built[part]);
    }
    self->bytes_total_->inc(static_cast<std::uint64_t>(parsed->bytes));
    Rebuilt out{std::move(attempt), parsed->run.take_tasks()};
    const auto* id = out.attempt.if_contains("attemptId");
    out.tasks.attempt_id = id != nullptr && id->is_string() ? std::string(id->get_string()) : "";
    return out;
}

asio::awaitable<Result<json::object>> LogDetails::details(json::object app,
                                                          bool patient,
                                                          std::vector<AttemptTasks>& tasks) {
    const std::string id(app.at("id").as_string());
    auto attempts = HistoryApi::attempts_of(app);
    if (!attempts) {
        co_return attempts.error();
    }
    for (auto& a : **attempts) {
        const std::string target = HistoryApi::attempt_path(id, a.as_object()) + "/logs";
        const TempFile zip(options_.work_dir /
                           fmt::format("{}{}-{}.zip", kPrefix, ::getpid(), ++next_file_));
        auto got = co_await api_.download(target, zip.path(), options_.max_download_size,
                                          options_.download_timeout, patient);
        if (!got) {
            co_return got.error();
        }
        auto rebuilt = co_await asio::co_spawn(
            workers_,
            [](const LogDetails* self, fs::path file, std::string app_id,
               json::object attempt) -> asio::awaitable<Result<Rebuilt>> {
                co_return rebuild(self, file, app_id, std::move(attempt));
            }(this, zip.path(), id, a.as_object()),
            asio::use_awaitable);
        if (!rebuilt) {
            Error e = rebuilt.error();
            e.context = target + (e.context.empty() ? "" : ": " + e.context);
            co_return e;
        }
        a = std::move(rebuilt->attempt);
        tasks.push_back(std::move(rebuilt->tasks));
    }
    co_return app;
}

}  // namespace spot::sources::history
