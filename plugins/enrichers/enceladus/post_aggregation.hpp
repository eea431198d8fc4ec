// Storage-size metrics of an Enceladus run's agg document (SPEC §6), written to
// attempt.aggs.summary.postprocessing: how the sizes Enceladus reports (on HDFS) relate to
// what Spark read and wrote and to the estimated peak memory.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>

namespace spot::enrichers::enceladus {

// Adds the metrics to an agg document whose attempt carries an Enceladus run; false when it
// has none or lacks the aggregates (the document is then unchanged).
bool add_postprocessing(boost::json::object& agg_doc, std::int64_t hdfs_block_size);

}  // namespace spot::enrichers::enceladus
