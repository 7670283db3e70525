# vox_add_subdirectories(): adds every immediate subfolder that has a
# CMakeLists.txt, in name order, so new plugins/tools/tests need no edit here.
# VOX_SKIP_SUBDIRECTORIES names subfolders to leave out (e.g. someone else's
# work in progress in a shared checkout): -DVOX_SKIP_SUBDIRECTORIES="a;b".
# Names given as arguments are added elsewhere by the caller and skipped quietly.
set(VOX_SKIP_SUBDIRECTORIES "" CACHE STRING "Subfolders of plugins/, tools/ and tests/ to leave out of the build")
function(vox_add_subdirectories)
  file(GLOB children RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt)
  list(SORT children)
  foreach(child ${children})
    get_filename_component(dir ${child} DIRECTORY)
    if(dir IN_LIST ARGN)
      continue()
    endif()
    if(dir IN_LIST VOX_SKIP_SUBDIRECTORIES)
      message(STATUS "Leaving out ${CMAKE_CURRENT_SOURCE_DIR}/${dir} (VOX_SKIP_SUBDIRECTORIES)")
      continue()
    endif()
    add_subdirectory(${dir})
  endforeach()
endfunction()
