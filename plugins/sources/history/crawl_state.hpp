// What the history source has processed: each application id with the end time of its newest
// attempt when it was processed. A listed run is new when its id is unknown or it ended later
// (a failed YARN attempt followed by a retry). Shared by both methods:
//   all    compares each time step's listing with these ids;
//   latest lists from the watermark: the newest end time such that every run seen before it is
//          done (a run handed to the pipeline but not yet committed holds it back).
#pragma once

#include <boost/json/value.hpp>
#include <spot/result.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace spot::sources::history {

class CrawlState {
   public:
    [[nodiscard]] bool is_new(const std::string& id, std::int64_t end_ms) const;
    void mark_done(const std::string& id, std::int64_t end_ms);
    // Handed to the pipeline; done once committed.
    void mark_pending(std::int64_t end_ms) { pending_.insert(end_ms); }
    void commit(const std::string& id, std::int64_t end_ms);
    // Lower bound (inclusive) of the next `latest` listing; 0 when nothing is known.
    [[nodiscard]] std::int64_t watermark() const;
    // Forgets ids that ended before `before_ms`: no window will list them again.
    void prune(std::int64_t before_ms);
    [[nodiscard]] bool empty() const { return done_.empty(); }
    [[nodiscard]] std::size_t size() const { return done_.size(); }

    [[nodiscard]] boost::json::value to_json() const;
    Result<void> load(const boost::json::value& state);

   private:
    std::map<std::string, std::int64_t> done_;
    std::multiset<std::int64_t> pending_;
    std::int64_t watermark_ = 0;  // loaded or advanced; never moves back
};

}  // namespace spot::sources::history
