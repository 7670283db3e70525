# vox_add_plugin(<target> <sources>...)
#
# Builds a Vox plugin: a loadable module that links the SDK, exports only
# vox_plugin_entry (hidden visibility plus a version script), and has
# no "lib" prefix: the file is <target>.so. Used by in-tree plugins and by
# outside authors alike (after find_package(vox)).
function(vox_add_plugin target)
  add_library(${target} MODULE ${ARGN})
  target_link_libraries(${target} PRIVATE vox::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT APPLE)
    # Fail at link time, not at dlopen time, on unresolved symbols.
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
    # libstdc++ gives template instantiations default visibility even under
    # -fvisibility=hidden; a version script makes vox_plugin_entry the only
    # exported symbol, so plugins built with different libraries cannot clash.
    set(exports ${CMAKE_CURRENT_BINARY_DIR}/${target}.exports.map)
    file(WRITE ${exports} "{ global: vox_plugin_entry; local: *; };\n")
    target_link_options(${target} PRIVATE -Wl,--version-script=${exports})
  endif()
  if(DEFINED VOX_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${VOX_PLUGIN_OUTPUT_DIR})
  endif()
endfunction()
