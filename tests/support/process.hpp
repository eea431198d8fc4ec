// Test helpers: run spotd as a real process, temporary directories, small file utilities.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace spot::test {

class TempDir {
   public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

   private:
    std::filesystem::path path_;
};

// A child process with stdout and stderr captured to files in `dir`.
class Process {
   public:
    Process(const std::vector<std::string>& argv, const std::filesystem::path& dir);
    ~Process();  // kills the child if it still runs
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    void signal(int sig) const;
    // Exit code, or 128+signal; nullopt when it did not end within `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    [[nodiscard]] std::string out() const;
    [[nodiscard]] std::string err() const;
    [[nodiscard]] pid_t pid() const { return pid_; }

   private:
    pid_t pid_ = -1;
    std::optional<int> status_;
    std::filesystem::path out_, err_;
};

// Runs to completion (at most `timeout`), returns the exit code; output in out/err.
int run(const std::vector<std::string>& argv,
        std::string* out = nullptr,
        std::string* err = nullptr,
        std::chrono::milliseconds timeout = std::chrono::seconds(60));

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& content);
// Complete lines only: a JSON-lines file may be read while spotd appends to it.
std::vector<std::string> read_lines(const std::filesystem::path& p);
// Polls `predicate` every 20 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& predicate,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));
unsigned short free_port();

// Writes `count` small Runs (REST shape) named run-<i>.json into `dir`.
void write_runs(const std::filesystem::path& dir,
                int count,
                const std::string& name_prefix = "app");

}  // namespace spot::test
