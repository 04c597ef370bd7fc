# rrr_add_rpc(<target> <file.rpc> [<file.rpc>...])
#
# Compiles each .rpc file (a path relative to the calling CMakeLists.txt, or absolute) with
# rpcgen into ${CMAKE_CURRENT_BINARY_DIR}/<name>.h, regenerated whenever the .rpc file or
# rpcgen itself changes, adds the headers to <target> and the directory to its include path
# (PUBLIC, so targets linking <target> see the headers too; INTERFACE for interface libraries).
# Code then does `#include "<name>.h"`. Pick a .rpc name whose header cannot be mistaken for a
# source header next to the includer (a quoted include looks there first): e.g. raft_rpc.rpc.
#
# Defined when rrr/rpcgen is processed; CMake functions are global, so every directory added
# after rrr/ can call it. Call it in the directory that defines <target>.
function(rrr_add_rpc target)
  if(NOT ARGN)
    message(FATAL_ERROR "rrr_add_rpc(${target}): no .rpc file given")
  endif()
  set(headers)
  foreach(src IN LISTS ARGN)
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(name "${src}" NAME_WE)
    set(out "${CMAKE_CURRENT_BINARY_DIR}/${name}.h")
    add_custom_command(
      OUTPUT "${out}"
      COMMAND rpcgen "${abs}" "${out}"
      DEPENDS rpcgen "${abs}"
      COMMENT "rpcgen ${src} -> ${name}.h"
      VERBATIM)
    list(APPEND headers "${out}")
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    # Interface libraries build nothing themselves: a helper target produces the headers.
    add_custom_target(${target}_rpcgen DEPENDS ${headers})
    add_dependencies(${target} ${target}_rpcgen)
    target_include_directories(${target} INTERFACE "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    target_sources(${target} PRIVATE ${headers})
    target_include_directories(${target} PUBLIC "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
endfunction()
