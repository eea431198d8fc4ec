// Background work that somebody waits for. A plugin spawns its background coroutines (a sink's
// deliveries, a spool replay) here instead of detaching them: each is counted, an exception
// that escapes one is caught and handed to the failure handler (the pipeline turns it into a log
// line, a metric and an err document), and join() returns once every one has ended, so a
// plugin's stop() can wait for its own work. stop() also cuts short every sleep() in the group.
#pragma once

#include <spot/result.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace spot {

namespace asio = boost::asio;

class TaskGroup {
   public:
    using FailureHandler = std::function<void(Error)>;

    // `ex` must be a strand (or a single-threaded loop): the counters are not atomic.
    TaskGroup(asio::any_io_executor ex, FailureHandler on_failure, std::string context);
    TaskGroup(const TaskGroup&) = delete;
    TaskGroup& operator=(const TaskGroup&) = delete;

    // Starts `task` on the group's executor. `what` names it in a failure report.
    void spawn(asio::awaitable<void> task, std::string what);
    // Completes once no task of the group is running.
    asio::awaitable<void> join();
    // Completes once fewer than `n` tasks are running (a concurrency limit).
    asio::awaitable<void> wait_below(std::size_t n);
    // From now on stopping() is true and every sleep() returns at once.
    void stop();
    [[nodiscard]] bool stopping() const noexcept { return stopping_; }
    [[nodiscard]] std::size_t running() const noexcept { return running_; }
    // Waits `d`, or less when stop() is called; false when the group is stopping.
    asio::awaitable<bool> sleep(std::chrono::milliseconds d);

   private:
    asio::any_io_executor ex_;
    FailureHandler on_failure_;
    std::string context_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    asio::steady_timer ended_;    // never expires; cancelled when a task ends
    asio::steady_timer stopped_;  // never expires; cancelled by stop()
};

}  // namespace spot
