#include "es_sink.hpp"
#include "mappings.hpp"

#include <spot/agg_search.hpp>
#include <spot/time.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace spot::sinks::elasticsearch {

namespace {

std::string join_lines(const std::vector<BulkItem>& items) {
    std::string body;
    for (const auto& i : items) {
        body += i.lines;
    }
    return body;
}

// Every field typed explicitly (mappings.hpp): the streams' fields, then the path templates of
// the families, then, for a field no release of Spot has written yet, strings as text with a
// keyword subfield (what the reference dashboards query) and numbers as double (dynamic mapping
// would pick 32-bit float). No date detection: a date is a date because the mapping says so.
// The field limit leaves `spare_fields` beyond the explicit ones, or is `raised_limit` when an
// index of this name needed more.
json::object index_template(const std::string& index,
                            const std::vector<std::string>& streams,
                            std::int64_t spare_fields,
                            std::int64_t raised_limit,
                            const std::string& replicas) {
    json::object properties = stream_properties(streams);
    const auto limit =
        std::max(spare_fields + static_cast<std::int64_t>(mapped_fields(properties)), raised_limit);
    json::object settings{{"index.mapping.total_fields.limit", limit}};
    if (!replicas.empty()) {
        settings["index.number_of_replicas"] = std::stoi(replicas);
    }
    json::object keyword{{"type", "keyword"}, {"ignore_above", 1024}};
    json::object text{{"type", "text"}, {"fields", json::object{{"keyword", std::move(keyword)}}}};
    json::object strings{{"match_mapping_type", "string"}, {"mapping", std::move(text)}};
    json::object doubles{{"match_mapping_type", "double"},
                         {"mapping", json::object{{"type", "double"}}}};
    json::array dynamic = family_templates();  // first: the first template that matches wins
    dynamic.push_back(json::object{{"doubles", std::move(doubles)}});
    dynamic.push_back(json::object{{"strings", std::move(strings)}});
    json::object mappings{{"date_detection", false},
                          {"dynamic_templates", std::move(dynamic)},
                          {"properties", std::move(properties)}};
    json::object tmpl{{"settings", std::move(settings)}, {"mappings", std::move(mappings)}};
    return json::object{{"index_patterns", json::array{json::value(index)}},
                        {"priority", 200},
                        {"template", std::move(tmpl)}};
}

}  // namespace

EsSink::EsSink(const PluginContext& ctx, EsOptions options)
    : options_(std::move(options)),
      instance_id_(ctx.instance_id),
      log_(ctx.log),
      io_(ctx.io),
      report_(task_failures(ctx, "sink:" + ctx.instance_id)),
      tasks_(ctx.io, report_, ctx.pipeline + "." + ctx.instance_id),
      spool_(options_.spool_dir.empty()
                 ? ctx.state_dir / "spool" / (ctx.pipeline + "." + ctx.instance_id)
                 : options_.spool_dir,
             options_.spool_max_bytes),
      changed_(ctx.io, asio::steady_timer::time_point::max()),
      metrics_(ctx.metrics),
      labels_{{"pipeline", ctx.pipeline}, {"sink", ctx.instance_id}} {
    if (ctx.http == nullptr) {
        throw Exception(make_error(ErrorCode::Internal, "no HTTP client in the plugin context"));
    }
    auto endpoint = ctx.http->endpoint(options_.url, options_.client, ctx.log);
    if (!endpoint) {
        throw Exception(endpoint.error());
    }
    endpoint_ = std::move(*endpoint);
    stored_ =
        &metrics_->counter("spot_es_documents_total", "Documents the cluster accepted.", labels_);
    rejected_ = &metrics_->counter("spot_es_rejected_total",
                                   "Documents the cluster refused for good (an err document each).",
                                   labels_);
    spooled_ =
        &metrics_->counter("spot_es_spooled_documents_total",
                           "Documents written to the spool while the cluster was away.", labels_);
    spool_bytes_ = &metrics_->gauge("spot_es_spool_bytes", "Bytes waiting in the spool.", labels_);
}

asio::awaitable<Result<void>> EsSink::start() {
    auto cut = spool_.open();
    if (!cut) {
        co_return cut.error();
    }
    if (*cut > 0) {
        log_->warn("cut a torn record left by a crash at the end of the spool bytes={}", *cut);
    }
    spool_bytes_->set(static_cast<double>(spool_.pending_bytes()));
    if (!spool_.empty()) {
        log_->info("spool holds {} batches ({} bytes) from an earlier run; replaying",
                   spool_.records(), spool_.pending_bytes());
        draining_ = true;
        tasks_.spawn(drain_spool(), "spool replay");
    }
    co_return Result<void>{};
}

asio::awaitable<void> EsSink::stop() {
    tasks_.stop();
    changed_.cancel();
    co_await tasks_.join();
    spool_.close();
}

asio::awaitable<Result<http::Response>> EsSink::call(std::string method,
                                                     std::string target,
                                                     std::string body,
                                                     std::string label,
                                                     std::string content_type) {
    http::Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    req.label = std::move(label);
    if (!req.body.empty()) {
        req.content_type = std::move(content_type);
    }
    if (!options_.api_key.empty()) {
        req.headers.emplace_back("Authorization", "ApiKey " + options_.api_key);
    }
    co_return co_await endpoint_->send(std::move(req));
}

asio::awaitable<Result<void>> EsSink::ensure_ready() {
    while (readying_) {  // one detection at a time; the others wait for its outcome
        co_await changed_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (ready_) {
        co_return Result<void>{};
    }
    readying_ = true;
    struct Done {  // also when detection throws: the waiters must not wait forever
        EsSink& s;
        ~Done() {
            s.readying_ = false;
            s.changed_.cancel();
        }
    } done_guard{*this};
    auto done = co_await detect_and_install();
    if (!done) {
        report_not_ready(done.error());
    } else {
        last_reported_.clear();
    }
    co_return done;
}

void EsSink::report_not_ready(const Error& error) {
    if (error.code == ErrorCode::Connection || error.code == ErrorCode::Timeout ||
        error.http_status == 429 || error.http_status >= 500 ||
        error.describe() == last_reported_) {
        return;  // away, not broken: the spool covers it
    }
    last_reported_ = error.describe();
    report_(error);
}

asio::awaitable<Result<void>> EsSink::detect_and_install() {
    // GET / names product and version; Elasticsearch's integ-test builds answer it with 405,
    // then the X-elastic-product header and the nodes API tell.
    auto root = co_await call("GET", "/", "", "root");
    if (!root) {
        co_return root.error();
    }
    std::string version;
    boost::system::error_code ec;
    auto string_at = [](const json::value& v, std::initializer_list<std::string_view> path) {
        const json::value* cur = &v;
        for (auto key : path) {
            cur = cur->is_object() ? cur->as_object().if_contains(key) : nullptr;
            if (cur == nullptr) {
                return std::string();
            }
        }
        return cur->is_string() ? std::string(cur->as_string()) : std::string();
    };
    if (root->status == 200) {
        auto v = json::parse(root->body, ec);
        if (ec || !v.is_object()) {
            co_return make_error(ErrorCode::Json,
                                 "product detection: GET / answered 200 with no JSON object: " +
                                     http::body_excerpt(root->body, 200),
                                 endpoint_->describe("/"));
        }
        version = string_at(v, {"version", "number"});
        if (version.empty()) {
            co_return make_error(ErrorCode::Json,
                                 "product detection: GET / answered without version.number: " +
                                     http::body_excerpt(root->body, 200),
                                 endpoint_->describe("/"));
        }
        const auto dist = string_at(v, {"version", "distribution"});
        product_ = dist.empty() ? "elasticsearch" : dist;
    }
    if (version.empty()) {
        product_ = root->header("x-elastic-product").empty() ? "unknown" : "elasticsearch";
        auto nodes =
            co_await call("GET", "/_nodes/_local?filter_path=nodes.*.version", "", "nodes");
        if (!nodes || nodes->status != 200) {
            co_return nodes ? make_error(ErrorCode::Http,
                                         "cannot tell the cluster's version: HTTP " +
                                             std::to_string(nodes->status),
                                         endpoint_->describe("/_nodes/_local"))
                            : nodes.error();
        }
        auto v = json::parse(nodes->body, ec);
        const auto* all = !ec && v.is_object() ? v.as_object().if_contains("nodes") : nullptr;
        if (all != nullptr && all->is_object()) {
            for (const auto& [id, n] : all->as_object()) {
                version = string_at(n, {"version"});
            }
        }
        if (version.empty()) {
            co_return make_error(ErrorCode::Json,
                                 "product detection: the nodes API answered without a version: " +
                                     http::body_excerpt(nodes->body, 200),
                                 endpoint_->describe("/_nodes/_local"));
        }
    }
    log_->info("connected to {} {} at {}", product_, version, endpoint_->url().origin());
    std::set<std::string> indices;
    for (const auto& [stream, index] : options_.indices) {
        indices.insert(index);
    }
    for (const auto& index : indices) {
        if (auto installed = co_await install_template(index); !installed) {
            co_return installed.error();
        }
    }
    ready_ = true;
    co_return Result<void>{};
}

asio::awaitable<Result<void>> EsSink::install_template(const std::string& index) {
    std::int64_t raised = 0;
    if (auto it = field_limits_.find(index); it != field_limits_.end()) {
        raised = it->second;
    }
    std::vector<std::string> streams;
    for (const auto& [stream, target] : options_.indices) {
        if (target == index) {
            streams.push_back(stream);
        }
    }
    auto body = json::serialize(
        index_template(index, streams, options_.total_fields_limit, raised, options_.replicas));
    auto r =
        co_await call("PUT", "/_index_template/spot-" + index, std::move(body), "index_template");
    if (!r) {
        co_return r.error();
    }
    if (r->status != 200) {
        Error e = make_error(ErrorCode::Http,
                             "index template refused: HTTP " + std::to_string(r->status) + ": " +
                                 http::body_excerpt(r->body, 300),
                             endpoint_->describe("/_index_template/spot-" + index));
        e.http_status = r->status;
        co_return e;
    }
    boost::system::error_code ec;
    const auto ack = json::parse(r->body, ec);
    const auto* acknowledged =
        !ec && ack.is_object() ? ack.as_object().if_contains("acknowledged") : nullptr;
    if (acknowledged == nullptr || !acknowledged->is_bool() || !acknowledged->as_bool()) {
        co_return make_error(ErrorCode::Json,
                             "index template not acknowledged: " + http::body_excerpt(r->body, 200),
                             endpoint_->describe("/_index_template/spot-" + index));
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> EsSink::write(std::vector<Document> docs) {
    std::vector<BulkItem> items;
    for (const auto& d : docs) {
        auto it = options_.indices.find(d.stream);
        if (it != options_.indices.end()) {
            items.push_back(make_item(d, it->second));
            continue;
        }
        // Not this sink's to store (raw and advice are optional), but never unnoticed.
        auto [seen, first] = unrouted_.try_emplace(d.stream, nullptr);
        if (first) {
            log_->warn(
                "documents of stream '{}' are not stored here: no index is configured for it "
                "(raw_index, advice_index or extra_indices: [{}=INDEX])",
                d.stream, d.stream);
            auto labels = labels_;
            labels.emplace_back("stream", d.stream);
            seen->second =
                &metrics_
                     ->counter("spot_es_unrouted_documents_total",
                               "Documents of a stream this sink has no index for, not stored here.",
                               labels);
        }
        seen->second->inc();
    }
    if (items.empty()) {
        co_return Result<void>{};
    }
    // Backpressure: while the spool is full, nothing more is taken (never dropped).
    while (spool_.full() && !tasks_.stopping()) {
        co_await changed_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (tasks_.stopping()) {
        co_return make_error(ErrorCode::Cancelled, "the sink is stopping", instance_id_);
    }
    if (!open_) {
        open_ = std::make_shared<Batch>(io_);
    }
    auto batch = open_;
    for (auto& i : items) {
        batch->bytes += i.lines.size();
        batch->items.push_back(std::move(i));
    }
    // Group commit: sent at once while fewer than bulk_concurrency requests are out; otherwise
    // the batch grows until one comes back (send() then takes it), it is full, or linger ends.
    if (batch->items.size() >= options_.batch_documents || batch->bytes >= options_.batch_bytes ||
        in_flight_ < options_.bulk_concurrency) {
        open_.reset();
        tasks_.spawn(send(batch), "bulk delivery");
    } else if (!lingering_) {
        lingering_ = true;
        tasks_.spawn(linger_then_send(), "linger");
    }
    while (!batch->done) {
        co_await batch->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return batch->result;
}

asio::awaitable<void> EsSink::linger_then_send() {
    co_await tasks_.sleep(options_.linger);
    lingering_ = false;
    if (open_) {
        auto batch = std::move(open_);
        co_await send(batch);
    }
}

asio::awaitable<void> EsSink::send(std::shared_ptr<Batch> batch) {
    ++in_flight_;
    try {
        auto left = co_await send_items(std::move(batch->items));
        batch->result = left.empty() ? Result<void>{} : spool(left);
    } catch (const std::exception& e) {
        // Not acknowledged: the source takes the run again. Reported, and never a hang.
        batch->result = error_from_exception(e, instance_id_);
        report_(batch->result.error());
    }
    batch->done = true;
    batch->wake.cancel();
    --in_flight_;
    changed_.cancel();
    if (open_ && !open_->items.empty()) {
        auto next = std::move(open_);  // what gathered while this one was out
        co_await send(next);
    }
}

asio::awaitable<std::vector<BulkItem>> EsSink::send_items(std::vector<BulkItem> items) {
    // While the spool holds older batches, new ones queue behind them, in order.
    if (draining_ || !spool_.empty()) {
        co_return items;
    }
    if (auto ready = co_await ensure_ready(); !ready) {
        log_->warn("cluster not ready, spooling error={}", ready.error().describe());
        co_return items;
    }
    co_return co_await deliver(std::move(items));
}

asio::awaitable<std::vector<BulkItem>> EsSink::deliver(std::vector<BulkItem> items) {
    for (int attempt = 1; !items.empty(); ++attempt) {
        auto r = co_await call("POST", "/_bulk", join_lines(items), "bulk", "application/x-ndjson");
        if (!r || r->status == 429 || r->status >= 500) {
            // The HTTP client already retried: the cluster is away. The caller spools.
            log_->warn("bulk not taken ({} documents): {}", items.size(),
                       r ? "HTTP " + std::to_string(r->status) : r.error().describe());
            co_return items;
        }
        std::vector<std::pair<BulkItem, ItemResult>> rejected;
        if (r->status != 200) {
            // The whole request was refused (e.g. 413): every item is rejected with that reason.
            for (auto& i : items) {
                rejected.emplace_back(std::move(i), ItemResult{r->status, "bulk_refused",
                                                               http::body_excerpt(r->body, 300)});
            }
            co_await reject(rejected);
            co_return std::vector<BulkItem>{};
        }
        auto results = parse_bulk_response(r->body, items.size());
        if (!results) {
            log_->warn("bulk answer unreadable ({}); retrying the batch", results.error().message);
            if (attempt >= options_.item_attempts ||
                !co_await tasks_.sleep(http::backoff(options_.client, attempt))) {
                co_return items;
            }
            continue;
        }
        std::vector<BulkItem> retry;
        std::size_t ok = 0;
        for (std::size_t k = 0; k < items.size(); ++k) {
            const auto& res = (*results)[k];
            const bool created_before =
                res.status == 409 && items[k].lines.starts_with("{\"create\"");
            if ((res.status >= 200 && res.status < 300) || created_before) {
                ++ok;
            } else if (transient_item(res.status)) {
                retry.push_back(std::move(items[k]));
            } else if (auto limit = total_fields_limit_in(res.reason)) {
                const auto wanted =
                    std::max<std::int64_t>(*limit + options_.total_fields_increment,
                                           static_cast<std::int64_t>(items[k].fields) +
                                               options_.total_fields_increment);
                co_await raise_field_limit(items[k].index, wanted);
                retry.push_back(std::move(items[k]));
            } else {
                rejected.emplace_back(std::move(items[k]), res);
            }
        }
        stored_->inc(ok);
        wrote_since_stats_ = wrote_since_stats_ || ok > 0;
        if (!rejected.empty()) {
            co_await reject(rejected);
        }
        if (retry.empty()) {
            co_return std::vector<BulkItem>{};
        }
        if (attempt >= options_.item_attempts) {
            log_->warn("{} documents still refused after {} attempts; spooling", retry.size(),
                       attempt);
            co_return retry;
        }
        if (!co_await tasks_.sleep(http::backoff(options_.client, attempt))) {
            co_return retry;  // stopping: the spool keeps them
        }
        items = std::move(retry);
    }
    co_return std::vector<BulkItem>{};
}

asio::awaitable<void> EsSink::raise_field_limit(const std::string& index, std::int64_t limit) {
    auto& asked = field_limits_[index];  // the highest limit asked for, by every batch in flight
    if (asked >= limit) {
        co_return;  // another item raised it already, or is raising it higher
    }
    const auto before = asked;
    asked = limit;
    // Raises from batches in flight travel on several connections and can land in any order: the
    // one that finds a higher limit asked for meanwhile sends that again, so that a lower raise
    // landing last never leaves the index below what another batch needs.
    for (std::int64_t sent = limit;;) {
        // Built outside the co_await: GCC 12 mishandles initializer lists inside one.
        json::object settings;
        settings["index.mapping.total_fields.limit"] = sent;
        auto r =
            co_await call("PUT", "/" + index + "/_settings", json::serialize(settings), "settings");
        if (!r || r->status != 200) {
            log_->error("cannot raise the field limit of '{}': {}", index,
                        r ? "HTTP " + std::to_string(r->status) + " " + http::body_excerpt(r->body)
                          : r.error().describe());
            if (asked == sent) {
                asked = before;  // a later item may try again
            }
            co_return;
        }
        if (asked == sent) {
            log_->warn("raised index.mapping.total_fields.limit of '{}' to {}", index, sent);
            // New indices of this name start from the raised limit too.
            co_await install_template(index);
            co_return;
        }
        sent = asked;
    }
}

asio::awaitable<void> EsSink::reject(const std::vector<std::pair<BulkItem, ItemResult>>& rejected) {
    rejected_->inc(rejected.size());
    auto err_index = options_.indices.find("err");
    std::vector<BulkItem> errs;
    for (const auto& [item, res] : rejected) {
        const std::string message = "index '" + item.index + "' refused document '" + item.id +
                                    "': " + res.type + ": " + res.reason;
        log_->error("document refused app='{}' {}", item.app_id, message);
        if (err_index == options_.indices.end() || item.index == err_index->second) {
            continue;  // an err document about an err document would loop
        }
        json::object err{{"type", "BulkItemError"},
                         {"message", message},
                         {"stage", "sink:" + instance_id_}};
        json::object spot{{"time_processed", iso_utc_now()},
                          {"spark_app_id", item.app_id.empty() ? "n/a" : item.app_id},
                          {"history_host", item.history_host.empty() ? "n/a" : item.history_host},
                          {"error", std::move(err)},
                          {"document_id", item.id},
                          {"index", item.index}};
        errs.push_back(make_item(Document{"err", "", json::object{{"spot", std::move(spot)}}},
                                 err_index->second));
    }
    if (!errs.empty()) {
        auto left = co_await deliver(std::move(errs));
        if (!left.empty()) {
            if (auto s = spool(left); !s) {
                log_->error("err documents about refused documents are lost: {}",
                            s.error().describe());
            }
        }
    }
}

Result<void> EsSink::spool(const std::vector<BulkItem>& items) {
    auto pushed = spool_.push(join_lines(items));
    if (!pushed) {
        log_->error("cannot spool {} documents: {}", items.size(), pushed.error().describe());
        return pushed.error();  // the run is not acknowledged: taken again next pass
    }
    spooled_->inc(items.size());
    spool_bytes_->set(static_cast<double>(spool_.pending_bytes()));
    if (!draining_ && !tasks_.stopping()) {
        draining_ = true;
        tasks_.spawn(drain_spool(), "spool replay");
    }
    return {};
}

asio::awaitable<void> EsSink::drain_spool() {
    struct Ended {  // also when the replay throws: flush() and the next spool() must know
        EsSink& s;
        ~Ended() {
            s.draining_ = false;
            s.drain_failures_ = 0;
            s.changed_.cancel();
        }
    } ended{*this};
    int failures = 0;
    std::size_t replayed = 0;
    while (!spool_.empty() && !tasks_.stopping()) {
        auto ready = co_await ensure_ready();
        auto record = ready ? spool_.front() : Result<std::optional<std::string>>(ready.error());
        std::vector<BulkItem> left;
        if (record && record->has_value()) {
            left = co_await deliver(items_from_ndjson(**record));
        }
        if (record && left.empty()) {
            if (auto popped = spool_.pop(); !popped) {
                log_->error("spool: {}", popped.error().describe());
            }
            ++replayed;
            failures = 0;
            drain_failures_ = 0;
            spool_bytes_->set(static_cast<double>(spool_.pending_bytes()));
            changed_.cancel();
            continue;
        }
        ++failures;
        drain_failures_ = failures;
        changed_.cancel();
        if (failures == 1 || failures % 10 == 0) {
            log_->warn("cluster still away; {} batches ({} bytes) wait in the spool",
                       spool_.records(), spool_.pending_bytes());
        }
        co_await tasks_.sleep(http::backoff(options_.client, failures));
    }
    if (replayed > 0) {
        log_->info("spool replayed batches={}; the cluster has everything again", replayed);
    }
}

asio::awaitable<Result<void>> EsSink::flush() {
    if (open_) {
        auto batch = std::move(open_);
        co_await send(batch);
    }
    while (in_flight_ > 0) {
        co_await changed_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    // A replay that makes progress is waited for (so `--once` ends with the spool empty when
    // the cluster is back); one that fails leaves the spool to the next pass or start.
    while (draining_ && drain_failures_ == 0) {
        co_await changed_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (ready_ && spool_.empty() && wrote_since_stats_) {  // idle passes ask nothing
        wrote_since_stats_ = false;
        co_await log_index_stats();
    }
    co_return Result<void>{};
}

asio::awaitable<void> EsSink::log_index_stats() {
    std::string list;
    std::set<std::string> indices;
    for (const auto& [stream, index] : options_.indices) {
        if (indices.insert(index).second) {
            list += (list.empty() ? "" : ",") + index;
        }
    }
    // Refreshed first, so the counts include this pass's documents.
    co_await call("POST", "/" + list + "/_refresh?ignore_unavailable=true", "", "refresh");
    auto r = co_await call("GET", "/" + list + "/_stats/docs,store?ignore_unavailable=true", "",
                           "stats");
    boost::system::error_code ec;
    auto v = r && r->status == 200 ? json::parse(r->body, ec) : json::value();
    const auto* all = v.is_object() ? v.as_object().if_contains("indices") : nullptr;
    if (all == nullptr || !all->is_object()) {
        co_return;
    }
    for (const auto& [index, stats] : all->as_object()) {
        std::int64_t docs = 0, bytes = 0;
        try {  // statistics only: an answer of another shape is logged, not fatal
            const auto& p = stats.at("primaries").as_object();
            docs = p.at("docs").at("count").to_number<std::int64_t>();
            bytes = p.at("store").at("size_in_bytes").to_number<std::int64_t>();
        } catch (const std::exception& e) {
            log_->warn("index statistics of '{}' unreadable: {}", std::string(index), e.what());
            continue;
        }
        log_->info("index '{}' documents={} size_bytes={}", std::string(index), docs, bytes);
        Labels l = labels_;
        l.emplace_back("index", std::string(index));
        metrics_->gauge("spot_es_index_documents", "Documents in the index (primaries).", l)
            .set(static_cast<double>(docs));
        metrics_->gauge("spot_es_index_bytes", "Index size on disk (primaries).", l)
            .set(static_cast<double>(bytes));
    }
}

asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> EsSink::known_runs(
    std::int64_t from_ms, std::int64_t to_ms) {
    auto agg = options_.indices.find("agg");
    if (agg == options_.indices.end()) {
        co_return std::optional<std::vector<KnownRun>>{};
    }
    if (auto ready = co_await ensure_ready(); !ready) {
        co_return ready.error();
    }
    std::vector<KnownRun> out;
    json::value after;
    for (;;) {
        json::object query{{"size", 5000},
                           {"_source", json::array{"id", "attempt.endTimeEpoch"}},
                           {"query",
                            json::object{{"range", json::object{{"attempt.endTimeEpoch",
                                                                 json::object{{"gte", from_ms},
                                                                              {"lt", to_ms}}}}}}},
                           {"sort", agg_page_sort()}};
        if (!after.is_null()) {
            query["search_after"] = after;
        }
        auto r =
            co_await call("POST", "/" + agg->second + "/_search", json::serialize(query), "search");
        if (!r) {
            co_return r.error();
        }
        if (r->status == 404) {
            break;  // no index yet: nothing stored
        }
        boost::system::error_code ec;
        auto v = r->status == 200 ? json::parse(r->body, ec) : json::value();
        if (r->status != 200 || ec || !v.is_object()) {
            co_return make_error(ErrorCode::Http,
                                 "search refused: HTTP " + std::to_string(r->status) + ": " +
                                     http::body_excerpt(r->body),
                                 endpoint_->describe("/" + agg->second + "/_search"));
        }
        std::size_t page = 0;
        try {  // an answer of another shape is an error of this call, not an escaped exception
            const auto& hits = v.at("hits").at("hits").as_array();
            for (const auto& h : hits) {
                const auto& src = h.at("_source").as_object();
                out.push_back(
                    KnownRun{std::string(src.at("id").as_string()),
                             src.at("attempt").at("endTimeEpoch").to_number<std::int64_t>()});
            }
            page = hits.size();
            if (page == 5000) {
                after = hits.back().at("sort");
            }
        } catch (const std::exception& e) {
            co_return make_error(ErrorCode::Json,
                                 std::string("search answer of an unexpected shape: ") + e.what(),
                                 endpoint_->describe("/" + agg->second + "/_search"));
        }
        if (page < 5000) {
            break;
        }
    }
    log_->info("known runs read from index '{}' runs={}", agg->second, out.size());
    co_return std::optional<std::vector<KnownRun>>(std::move(out));
}

}  // namespace spot::sinks::elasticsearch
