# spot_add_plugin(<kind> <name> SOURCES ...): one plugin = one shared library in the plugin dir.
# Plugins export only their entry point (-fvisibility=hidden) and link to libspot-core.
add_custom_target(spot_plugins)
function(spot_add_plugin kind name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    set(target spot-${kind}-${name})
    add_library(${target} MODULE ${ARG_SOURCES})
    target_link_libraries(${target} PRIVATE spot-core ${ARG_LIBS})
    set_target_properties(${target} PROPERTIES
        PREFIX "lib"
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
        LIBRARY_OUTPUT_DIRECTORY ${SPOT_PLUGIN_OUTPUT_DIR}
        INSTALL_RPATH "$ORIGIN/../..")
    add_dependencies(spot_plugins ${target})
    install(TARGETS ${target} LIBRARY DESTINATION lib/spot/plugins)
endfunction()
