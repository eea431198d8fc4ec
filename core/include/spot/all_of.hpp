// Runs awaitables at once on the caller's executor and gives their results in the order given:
// a source's per-attempt requests, an event-log pass's parse lanes. An exception that escapes one
// is rethrown once all have ended. No awaitable at all completes at once (an asio parallel group
// of no operations would never complete).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <vector>

namespace spot {

template <typename T>
boost::asio::awaitable<std::vector<T>> all_of(std::vector<boost::asio::awaitable<T>> work) {
    namespace asio = boost::asio;
    if (work.empty()) {
        co_return std::vector<T>{};
    }
    auto ex = co_await asio::this_coro::executor;
    using Op = decltype(asio::co_spawn(ex, std::move(work.front()), asio::deferred));
    std::vector<Op> ops;
    ops.reserve(work.size());
    for (auto& w : work) {
        ops.push_back(asio::co_spawn(ex, std::move(w), asio::deferred));
    }
    auto [order, exceptions, results] =
        co_await asio::experimental::make_parallel_group(std::move(ops))
            .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    (void)order;
    for (const auto& e : exceptions) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
    co_return std::move(results);
}

}  // namespace spot
