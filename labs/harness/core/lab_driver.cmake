# lab_add_driver(<lab> <source.cc>... [LIBS <targets>...] [TIMEOUT <seconds>]
#                [TCP_FILTER <gtest filter>])
#
# Builds the graded test driver <lab>_test from the sources, linked with the given libraries,
# the harness and harness_main (the driver's main(): --net, --seed, --list, ...), and registers
# two CTest entries running the whole suite: <lab>_sim (--net=sim) and <lab>_tcp (--net=tcp).
# TIMEOUT (seconds, default 1800) bounds each CTest entry. TCP_FILTER, a googletest filter, narrows
# the tcp entry (default: the whole suite), e.g. to leave out long randomized tests that take
# minutes of real time over tcp and are the simulation's job (scripts/stress --net tcp runs them).
function(lab_add_driver lab)
  cmake_parse_arguments(D "" "TIMEOUT;TCP_FILTER" "LIBS" ${ARGN})
  set(srcs ${D_UNPARSED_ARGUMENTS})
  if(NOT srcs)
    message(FATAL_ERROR "lab_add_driver(${lab}): no source files")
  endif()
  if(NOT D_TIMEOUT)
    set(D_TIMEOUT 1800)
  endif()
  add_executable(${lab}_test ${srcs})
  target_link_libraries(${lab}_test PRIVATE ${D_LIBS} harness harness_main)
  add_test(NAME ${lab}_sim COMMAND ${lab}_test --net=sim)
  if(D_TCP_FILTER)
    add_test(NAME ${lab}_tcp COMMAND ${lab}_test --net=tcp --gtest_filter=${D_TCP_FILTER})
  else()
    add_test(NAME ${lab}_tcp COMMAND ${lab}_test --net=tcp)
  endif()
  set_tests_properties(${lab}_sim ${lab}_tcp PROPERTIES TIMEOUT ${D_TIMEOUT})
endfunction()
