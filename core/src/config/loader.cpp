// Walks the YAML tree: top level, pipelines, and each plugin instance in its slot.
#include "config/config.hpp"
#include "config/validator.hpp"

#include <spot/logging.hpp>
#include <spot/plugin.hpp>

#include <fmt/format.h>
#include <set>

namespace spot::core {

namespace {

constexpr std::string_view kTopReserved[] = {"pipelines"};
constexpr std::string_view kPipelineReserved[] = {"source", "enrichers", "aggregators", "sinks",
                                                  "advisors"};

struct Walker {
    Validator& v;
    PluginRegistry& registry;

    std::optional<InstanceConfig> instance(const YAML::Node& node,
                                           const std::string& path,
                                           spot_plugin_kind slot) {
        if (!node.IsMap()) {
            v.error(node.Mark(), path, "",
                    "expected a map with at least 'plugin: <name>', got " +
                        std::string(node.IsSequence() ? "a list" : "a scalar"));
            return std::nullopt;
        }
        const YAML::Node name_node = node["plugin"];
        if (!name_node) {
            v.error(node.Mark(), path, "",
                    "missing required option 'plugin' (which plugin to run)");
            return std::nullopt;
        }
        auto name = v.scalar(name_node, path + ".plugin", "");
        if (!name) {
            return std::nullopt;
        }
        const LoadedPlugin* plugin = registry.find(*name);
        if (plugin == nullptr) {
            std::string hint = nearest(*name, registry.names());
            std::string known;
            for (const auto& n : registry.names()) {
                known += (known.empty() ? "" : ", ") + n;
            }
            v.error(name_node.Mark(), path + ".plugin", "",
                    fmt::format("unknown plugin '{}'{} Known plugins: {}", *name,
                                hint.empty() ? "." : "; did you mean '" + hint + "'?",
                                known.empty() ? "(none loaded)" : known));
            return std::nullopt;
        }
        if (plugin->descriptor->kind != slot) {
            v.error(name_node.Mark(), path + ".plugin", *name,
                    fmt::format("plugin '{}' is a {}, but this slot takes a {}", *name,
                                kind_name(plugin->descriptor->kind), kind_name(slot)));
            return std::nullopt;
        }
        InstanceConfig out;
        out.plugin = *name;
        out.loaded = plugin;
        // One pass over the core's instance keys and the plugin's own, so that an unknown key
        // is reported once, with every allowed key listed.
        std::vector<spot_option_decl> decls(instance_options().begin(), instance_options().end());
        decls.insert(decls.end(), plugin->descriptor->options,
                     plugin->descriptor->options + plugin->descriptor->option_count);
        out.options = v.options(node, decls, path, *name);
        out.id = out.options.str("id");
        out.log_level = out.options.str("log_level");
        out.location = v.where(node.Mark(), path, *name);
        return out;
    }

    void list(const YAML::Node& node,
              const std::string& path,
              spot_plugin_kind slot,
              std::vector<InstanceConfig>& out) {
        if (!node) {
            return;
        }
        if (!node.IsSequence()) {
            v.error(node.Mark(), path, "", "expected a list of plugin instances");
            return;
        }
        for (std::size_t i = 0; i < node.size(); ++i) {
            if (auto inst = instance(node[i], fmt::format("{}[{}]", path, i), slot)) {
                out.push_back(std::move(*inst));
            }
        }
    }

    std::optional<PipelineConfig> pipeline(const std::string& name,
                                           const YAML::Node& node,
                                           const YAML::Mark& key_mark) {
        const std::string path = "pipelines." + name;
        if (!node.IsMap()) {
            v.error(key_mark, path, "",
                    "expected a map with source, enrichers, aggregators, sinks");
            return std::nullopt;
        }
        PipelineConfig p;
        p.name = name;
        Options o = v.options(node, pipeline_options(), path, "", kPipelineReserved);
        if (o.has("skip_exceptions")) {
            p.skip_exceptions = o.flag("skip_exceptions");
        }
        if (o.has("concurrency")) {
            p.concurrency = o.integer("concurrency");
        }
        if (o.has("stall_limit")) {
            p.stall_limit = o.duration("stall_limit");
        }
        if (o.has("poll_interval")) {
            p.poll_interval = o.duration("poll_interval");
        }
        if (o.has("redact_pattern")) {
            p.properties.redact =
                std::regex(o.str("redact_pattern"), std::regex::ECMAScript | std::regex::icase);
        }
        static constexpr std::pair<const char*, PropertyType> kTyped[] = {
            {"typed_int", PropertyType::Int},         {"typed_float", PropertyType::Float},
            {"typed_bool", PropertyType::Bool},       {"typed_bytes", PropertyType::Bytes},
            {"typed_kib", PropertyType::KiB},         {"typed_mib", PropertyType::MiB},
            {"typed_seconds", PropertyType::Seconds},
        };
        for (auto [option, type] : kTyped) {
            if (o.has(option)) {
                add_typed_keys(p.properties, type, o.list(option));
            }
        }
        if (!node["source"]) {
            v.error(node.Mark(), path, "",
                    "missing required option 'source' (where runs come from)");
        } else if (auto s = instance(node["source"], path + ".source", SPOT_KIND_SOURCE)) {
            p.source = std::move(*s);
        }
        list(node["enrichers"], path + ".enrichers", SPOT_KIND_ENRICHER, p.enrichers);
        add_default_classification(p, path);
        list(node["aggregators"], path + ".aggregators", SPOT_KIND_AGGREGATOR, p.aggregators);
        if (!node["sinks"] || !node["sinks"].IsSequence() || node["sinks"].size() == 0) {
            v.error(node["sinks"] ? node["sinks"].Mark() : node.Mark(), path + ".sinks", "",
                    "at least one sink is required (where documents go)");
        } else {
            list(node["sinks"], path + ".sinks", SPOT_KIND_SINK, p.sinks);
        }
        list(node["advisors"], path + ".advisors", SPOT_KIND_ADVISOR, p.advisors);
        assign_ids(p, node.Mark(), path);
        return p;
    }

    // SPEC §5: every run is classified by name. Pipelines that do not list `classify` get it
    // first, with its defaults, so dashboards grouping by classification always work.
    void add_default_classification(PipelineConfig& p, const std::string& path) {
        for (const auto& e : p.enrichers) {
            if (e.plugin == "classify") {
                return;
            }
        }
        YAML::Node implicit(YAML::NodeType::Map);
        implicit["plugin"] = "classify";
        if (registry.find("classify") != nullptr) {
            if (auto inst = instance(implicit, path + ".enrichers(implicit classify)",
                                     SPOT_KIND_ENRICHER)) {
                p.enrichers.insert(p.enrichers.begin(), std::move(*inst));
            }
        }
    }

    // Ids default to the plugin name, numbered when a plugin is used twice; they must be unique
    // because they name loggers, metrics and err stages.
    void assign_ids(PipelineConfig& p, const YAML::Mark& mark, const std::string& path) {
        std::map<std::string, int> uses;
        auto all = [&](auto&& fn) {
            fn(p.source);
            for (auto* v : {&p.enrichers, &p.aggregators, &p.sinks, &p.advisors}) {
                for (auto& i : *v) {
                    fn(i);
                }
            }
        };
        all([&](InstanceConfig& i) { uses[i.plugin] += i.id.empty() ? 1 : 0; });
        std::map<std::string, int> seen;
        std::set<std::string> ids;
        all([&](InstanceConfig& i) {
            if (i.plugin.empty()) {
                return;
            }
            if (i.id.empty()) {
                int n = seen[i.plugin]++;
                i.id = uses[i.plugin] > 1 ? fmt::format("{}.{}", i.plugin, n) : i.plugin;
            }
            if (!ids.insert(i.id).second) {
                v.error(mark, path, i.plugin, fmt::format("instance id '{}' is used twice", i.id));
            }
        });
    }
};

}  // namespace

Result<Config> load_config(const std::filesystem::path& file, PluginRegistry& registry) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        return make_error(ErrorCode::Config, file.string() + ": cannot read the file");
    } catch (const YAML::ParserException& e) {
        return make_error(ErrorCode::Config,
                          fmt::format("{}:{}:{}: syntax error: {}", file.string(), e.mark.line + 1,
                                      e.mark.column + 1, e.msg));
    }
    Validator v(file);
    if (!root.IsMap()) {
        v.error(root.Mark(), "", "", "expected a map at the top level (state_dir, pipelines, ...)");
        return make_error(ErrorCode::Config, v.errors().front());
    }
    Options top = v.options(root, top_level_options(), "", "", kTopReserved);
    Config cfg;
    cfg.file = std::filesystem::absolute(file);
    if (top.has("plugin_dir") && !top.str("plugin_dir").empty()) {
        for (const auto& e : registry.add_directory(top.str("plugin_dir"))) {
            v.error(root["plugin_dir"].Mark(), "plugin_dir", "", e.describe());
        }
    }
    cfg.state_dir = top.has("state_dir") ? top.str("state_dir") : "/var/lib/spot";
    cfg.log_level = top.has("log_level") ? top.str("log_level") : "info";
    cfg.log_format = top.has("log_format") ? top.str("log_format") : "auto";
    cfg.admin_listen = top.has("admin_listen") ? top.str("admin_listen") : "";
    if (top.has("shutdown_grace")) {
        cfg.shutdown_grace = top.duration("shutdown_grace");
    }
    if (top.has("watchdog_interval")) {
        cfg.watchdog_interval = top.duration("watchdog_interval");
    }
    Walker w{v, registry};
    const YAML::Node pipelines = root["pipelines"];
    if (!pipelines || !pipelines.IsMap() || pipelines.size() == 0) {
        v.error(pipelines ? pipelines.Mark() : root.Mark(), "pipelines", "",
                "expected a map of at least one pipeline: pipelines: {<name>: {source: ..., "
                "sinks: [...]}}");
    } else {
        for (auto it = pipelines.begin(); it != pipelines.end(); ++it) {
            if (auto p = w.pipeline(it->first.Scalar(), it->second, it->first.Mark())) {
                cfg.pipelines.push_back(std::move(*p));
            }
        }
    }
    auto log = logging::get("core.config");
    for (const auto& warning : v.warnings()) {
        log->warn("{}", warning);
    }
    if (!v.errors().empty()) {
        std::string all;
        for (const auto& e : v.errors()) {
            all += (all.empty() ? "" : "\n") + e;
        }
        return make_error(ErrorCode::Config, all);
    }
    return cfg;
}

}  // namespace spot::core
