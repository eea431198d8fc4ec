#include <spot/task_group.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace spot {

TaskGroup::TaskGroup(asio::any_io_executor ex, FailureHandler on_failure, std::string context)
    : ex_(std::move(ex)),
      on_failure_(std::move(on_failure)),
      context_(std::move(context)),
      ended_(ex_, asio::steady_timer::time_point::max()),
      stopped_(ex_, asio::steady_timer::time_point::max()) {}

void TaskGroup::spawn(asio::awaitable<void> task, std::string what) {
    ++running_;
    asio::co_spawn(ex_, std::move(task),
                   [this, what = std::move(what)](const std::exception_ptr& e) {
                       --running_;
                       ended_.cancel();
                       if (e && on_failure_) {
                           Error err = error_from_exception(e, context_);
                           err.message = what + ": " + err.message;
                           on_failure_(std::move(err));
                       }
                   });
}

asio::awaitable<void> TaskGroup::join() { co_await wait_below(1); }

asio::awaitable<void> TaskGroup::wait_below(std::size_t n) {
    while (running_ >= n) {
        co_await ended_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

void TaskGroup::stop() {
    stopping_ = true;
    stopped_.cancel();
}

asio::awaitable<bool> TaskGroup::sleep(std::chrono::milliseconds d) {
    if (stopping_) {
        co_return false;
    }
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer t(ex_, d);
    co_await (t.async_wait(asio::as_tuple(asio::use_awaitable)) ||
              stopped_.async_wait(asio::as_tuple(asio::use_awaitable)));
    co_return !stopping_;
}

}  // namespace spot
