// The sort that pages through agg documents with search_after: end time, then id. It pages past
// the 10,000 hits of from/size on Elasticsearch and OpenSearch alike, with no scroll context to
// clean up; unmapped_type lets it run on an index that holds no agg document yet. Used by the
// elasticsearch sink (the runs it holds) and the regression advisor (its seed).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace spot {

inline boost::json::array agg_page_sort() {
    namespace json = boost::json;
    return json::array{json::object{{"attempt.endTimeEpoch",
                                     json::object{{"order", "asc"}, {"unmapped_type", "long"}}}},
                       json::object{{"id.keyword", json::object{{"order", "asc"},
                                                                {"unmapped_type", "keyword"}}}}};
}

}  // namespace spot
