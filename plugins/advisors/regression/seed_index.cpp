#include "seed_index.hpp"

#include <spot/agg_search.hpp>

#include <boost/json.hpp>

namespace spot::advisors::regression {

namespace json = boost::json;

boost::asio::awaitable<Result<std::size_t>> read_agg_index(
    http::Endpoint& endpoint,
    const std::string& index,
    const std::function<void(const json::object&)>& take) {
    constexpr std::size_t kPage = 1000;
    const std::string target = "/" + index + "/_search";
    std::size_t read = 0;
    json::value after;
    for (;;) {
        json::object query{{"size", kPage},
                           {"query",
                            json::object{
                                {"exists", json::object{{"field", "attempt.endTimeEpoch"}}}}},
                           {"sort", agg_page_sort()}};
        if (!after.is_null()) {
            query["search_after"] = after;
        }
        http::Request request;
        request.method = "POST";
        request.target = target;
        request.body = json::serialize(query);
        request.content_type = "application/json";
        request.label = "seed_search";
        auto r = co_await endpoint.send(std::move(request));
        if (!r) {
            co_return r.error();
        }
        if (r->status == 404) {
            co_return read;  // no such index: nothing stored yet
        }
        if (r->status != 200) {
            co_return http::status_error(*r, endpoint.describe(target));
        }
        boost::system::error_code ec;
        auto v = json::parse(r->body, ec);
        std::size_t page = 0;
        try {  // an answer of another shape is an error of this call, not an escaped exception
            if (ec) {
                throw std::runtime_error("not JSON: " + http::body_excerpt(r->body));
            }
            const auto& hits = v.at("hits").at("hits").as_array();
            for (const auto& h : hits) {
                take(h.at("_source").as_object());
            }
            page = hits.size();
            read += page;
            if (page == kPage) {
                after = hits.back().at("sort");
            }
        } catch (const std::exception& e) {
            co_return make_error(ErrorCode::Json,
                                 std::string("search answer of an unexpected shape: ") + e.what(),
                                 endpoint.describe(target));
        }
        if (page < kPage) {
            co_return read;
        }
    }
}

}  // namespace spot::advisors::regression
