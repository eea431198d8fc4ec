/*
 * The plugin ABI: the only contract between spotd and a plugin library.
 *
 * A plugin is a shared library that exports exactly one symbol, `spot_plugin_entry`, returning a
 * pointer to a static descriptor. The descriptor is plain C data so that the loader can read and
 * check it before any C++ object crosses the library boundary.
 *
 * Rules for changing this file:
 *  - bump SPOT_PLUGIN_ABI_VERSION on ANY change to the structs below, and on any change to the
 *    C++ interfaces of plugin.hpp (virtual functions, PluginContext) that plugins compile against;
 *  - only ever append fields (struct_size lets a newer core read an older descriptor);
 *  - never reorder or remove a field (Falco had to patch around a field inserted mid-struct).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any change to the structs below or to plugin.hpp's interfaces. The loader refuses
 * any other value. 2: the shared HTTP client in PluginContext, Sink::known_runs. 5: the explicit
 * lifecycle (Plugin::start/stop, I/O-free factories), PluginContext::report_failure,
 * RunQueue::progress, Run::tasks, Aggregator::aggregate_into. 6: the advisor kind (Advisor:
 * observe, query, load), ErrorCode::NotFound. */
#define SPOT_PLUGIN_ABI_VERSION 6u

/* Name of the one exported symbol; its type is spot_plugin_entry_fn. */
#define SPOT_PLUGIN_ENTRY_SYMBOL "spot_plugin_entry"

/* What a plugin does in a pipeline; the data flows source -> enricher -> aggregator -> sink,
 * and what the sinks acknowledged flows on to the advisors, which learn across runs. */
typedef enum spot_plugin_kind {
    SPOT_KIND_SOURCE = 1,     /* finds completed runs and produces them in the REST shape */
    SPOT_KIND_ENRICHER = 2,   /* adds app_specific_data to a run, in pipeline order */
    SPOT_KIND_AGGREGATOR = 3, /* turns a run into documents (raw, agg, ...) */
    SPOT_KIND_SINK = 4,       /* stores documents and acknowledges them durably */
    SPOT_KIND_ADVISOR = 5     /* learns from acknowledged documents, answers questions (advice) */
} spot_plugin_kind;

/* Type of an option value; the core parses the YAML text into it. */
typedef enum spot_option_type {
    SPOT_OPT_STRING = 1,
    SPOT_OPT_BOOL = 2,
    SPOT_OPT_INT = 3, /* 64-bit; min/max are decimal text */
    SPOT_OPT_DOUBLE = 4,
    SPOT_OPT_DURATION = 5, /* "500ms", "10s", "30m", "168h", "7d"; stored as milliseconds */
    SPOT_OPT_SIZE = 6,     /* "64MiB", "5MB", "1024"; powers of 1024; stored as bytes */
    SPOT_OPT_URL = 7,      /* http:// or https:// */
    SPOT_OPT_PATH = 8,
    SPOT_OPT_ENUM = 9,  /* one of `choices`, a '|' separated list */
    SPOT_OPT_LIST = 10, /* a YAML sequence of strings */
    SPOT_OPT_REGEX = 11 /* ECMAScript regular expression, compiled during validation */
} spot_option_type;

/* Flags of an option declaration; combined with '|'. */
#define SPOT_OPT_REQUIRED 1u   /* no default: the config must give it */
#define SPOT_OPT_SECRET 2u     /* never logged; may be given as <name>_file or ${ENV} */
#define SPOT_OPT_DEPRECATED 4u /* accepted with a warning naming replaced_by */

/* One option a plugin accepts. Strings are static and NUL-terminated; unused ones are NULL. */
typedef struct spot_option_decl {
    const char* name; /* snake_case key in the plugin's YAML section */
    spot_option_type type;
    const char* default_value; /* text, parsed like YAML input; NULL when required or unset */
    const char* doc;           /* one line for `spotd describe` and docs/configuration.md */
    uint32_t flags;            /* SPOT_OPT_* */
    const char* choices;       /* SPOT_OPT_ENUM: "a|b|c" */
    const char* min;           /* SPOT_OPT_INT/DOUBLE/DURATION/SIZE: inclusive bounds, as text */
    const char* max;
    const char* replaced_by; /* SPOT_OPT_DEPRECATED: the option to use instead */
} spot_option_decl;

/* Opaque to C: a C++ object (spot::PluginFactory) that creates the plugin instance. It is safe
 * to cross because plugins are built in the same tree with the same toolchain (see toolchain). */
struct spot_factory;

typedef struct spot_plugin_descriptor {
    uint32_t abi_version;  /* read first: must equal SPOT_PLUGIN_ABI_VERSION */
    uint32_t struct_size;  /* sizeof(spot_plugin_descriptor) when the plugin was built */
    const char* toolchain; /* compiler, C++ library ABI and Boost version; must match spotd */
    const char* name;      /* unique; what configs write as `plugin: <name>` */
    spot_plugin_kind kind;
    const char* version; /* the plugin's own version, for `spotd plugins` */
    const char* summary; /* one line */
    const spot_option_decl* options;
    size_t option_count;
    const struct spot_factory* factory;
} spot_plugin_descriptor;

typedef const spot_plugin_descriptor* (*spot_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif
