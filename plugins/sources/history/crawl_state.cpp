#include "crawl_state.hpp"

#include <boost/json/object.hpp>

namespace spot::sources::history {

namespace json = boost::json;

bool CrawlState::is_new(const std::string& id, std::int64_t end_ms) const {
    auto it = done_.find(id);
    return it == done_.end() || it->second < end_ms;
}

void CrawlState::mark_done(const std::string& id, std::int64_t end_ms) {
    auto& slot = done_[id];
    slot = std::max(slot, end_ms);
}

void CrawlState::commit(const std::string& id, std::int64_t end_ms) {
    mark_done(id, end_ms);
    if (auto it = pending_.find(end_ms); it != pending_.end()) {
        pending_.erase(it);
    }
}

std::int64_t CrawlState::watermark() const {
    std::int64_t newest = watermark_;
    for (const auto& [id, end] : done_) {
        newest = std::max(newest, end);
    }
    if (!pending_.empty()) {
        newest = std::min(newest, *pending_.begin());
    }
    return std::max(newest, watermark_);
}

void CrawlState::prune(std::int64_t before_ms) {
    watermark_ = std::max(watermark_, std::min(before_ms, watermark()));
    std::erase_if(done_, [&](const auto& kv) { return kv.second < before_ms; });
}

json::value CrawlState::to_json() const {
    json::object done;
    for (const auto& [id, end] : done_) {
        done[id] = end;
    }
    std::int64_t wm = watermark();
    return json::object{{"version", 1}, {"watermark_ms", wm}, {"done", std::move(done)}};
}

Result<void> CrawlState::load(const json::value& state) {
    const auto* o = state.if_object();
    const auto* done = o != nullptr ? o->if_contains("done") : nullptr;
    if (done == nullptr || !done->is_object()) {
        return make_error(ErrorCode::Parse, "history state has no 'done' object");
    }
    for (const auto& [id, end] : done->as_object()) {
        if (!end.is_int64()) {
            return make_error(ErrorCode::Parse, "history state: end time of '" + std::string(id) +
                                                    "' is not an integer");
        }
        done_[std::string(id)] = end.as_int64();
    }
    if (const auto* wm = o->if_contains("watermark_ms"); wm != nullptr && wm->is_int64()) {
        watermark_ = wm->as_int64();
    }
    return {};
}

}  // namespace spot::sources::history
