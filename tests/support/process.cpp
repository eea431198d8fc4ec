#include "support/process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace spot::test {

TempDir::TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / fmt::format("spot-test-{:x}", rd());
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

Process::Process(const std::vector<std::string>& argv, const std::filesystem::path& dir) {
    static int counter = 0;
    ++counter;
    out_ = dir / fmt::format("proc-{}.out", counter);
    err_ = dir / fmt::format("proc-{}.err", counter);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) {
        pid_ = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
}

Process::~Process() {
    if (pid_ > 0 && !status_) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        ::waitpid(pid_, &st, 0);
    }
}

void Process::signal(int sig) const {
    if (pid_ > 0) {
        ::kill(pid_, sig);
    }
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
    if (status_) {
        return status_;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
        int st = 0;
        pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return status_;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
}

std::string Process::out() const { return read_file(out_); }
std::string Process::err() const { return read_file(err_); }

int run(const std::vector<std::string>& argv,
        std::string* out,
        std::string* err,
        std::chrono::milliseconds timeout) {
    TempDir dir;
    Process p(argv, dir.path());
    auto code = p.wait(timeout);
    if (out) {
        *out = p.out();
    }
    if (err) {
        *err = p.err();
    }
    return code.value_or(-1);
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& content) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::vector<std::string> lines;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) {
        // A line without its newline is still being written by a running spotd: the next
        // read sees it whole.
        if (in.eof()) {
            break;
        }
        lines.push_back(line);
    }
    return lines;
}

bool eventually(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (predicate()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return predicate();
}

unsigned short free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

void write_runs(const std::filesystem::path& dir, int count, const std::string& prefix) {
    std::filesystem::create_directories(dir);
    for (int i = 0; i < count; ++i) {
        boost::json::object attempt{{"startTime", "2024-01-01T00:00:00.000GMT"},
                                    {"endTime", "2024-01-01T00:01:00.000GMT"},
                                    {"duration", 60000},
                                    {"completed", true},
                                    {"allexecutors", boost::json::array{}},
                                    {"stages", boost::json::array{}},
                                    {"environment", boost::json::object{}}};
        boost::json::object app{{"id", fmt::format("local-{:04}", i)},
                                {"name", fmt::format("{} job_{}", prefix, i)},
                                {"attempts", boost::json::array{attempt}}};
        write_file(dir / fmt::format("run-{:04}.json", i), boost::json::serialize(app));
    }
}

}  // namespace spot::test
