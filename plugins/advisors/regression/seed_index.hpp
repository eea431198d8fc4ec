// A fresh advisor's first lesson: the agg documents an Elasticsearch/OpenSearch index already
// holds (what the pipeline's sink wrote before the advisor existed, or before its state was
// lost), read oldest first in pages, so that it advises from the runs crawled so far.
#pragma once

#include <spot/http.hpp>

#include <boost/json/object.hpp>
#include <functional>

namespace spot::advisors::regression {

// Calls `take` with each hit's _source, in attempt end-time order; returns the documents read.
// An index that does not exist holds nothing (0).
boost::asio::awaitable<Result<std::size_t>> read_agg_index(
    http::Endpoint& endpoint,
    const std::string& index,
    const std::function<void(const boost::json::object&)>& take);

}  // namespace spot::advisors::regression
