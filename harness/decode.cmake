# vgtf_decode: the test-case decoder (harness/decode.c, driven by harness/format.def), and
# vgtfuzz-decode, the same decoder as a program for the Python tools (it needs no kernel).
# Included by harness/CMakeLists.txt and by tests/format/CMakeLists.txt; defined once.
# Link vgtf_decode to get vgtf_decode() and the include path of scenario.h.
if(NOT TARGET vgtf_decode)
  add_library(vgtf_decode STATIC ${CMAKE_CURRENT_LIST_DIR}/decode.c ${CMAKE_CURRENT_LIST_DIR}/scenario_json.c)
  target_include_directories(vgtf_decode PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_compile_options(vgtf_decode PRIVATE ${VGTFUZZ_OWN_FLAGS})
  # decode.c re-includes format.def many times; make the dependency explicit for every generator.
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/decode.c ${CMAKE_CURRENT_LIST_DIR}/scenario_json.c
    PROPERTIES OBJECT_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/format.def)
  add_executable(vgtfuzz-decode ${CMAKE_CURRENT_LIST_DIR}/decode_json.c)
  target_link_libraries(vgtfuzz-decode PRIVATE vgtf_decode)
  target_compile_options(vgtfuzz-decode PRIVATE ${VGTFUZZ_OWN_FLAGS})
  # At the top of the build, wherever the first includer sits: the tools look for it there.
  set_target_properties(vgtfuzz-decode PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/decode_json.c PROPERTIES
    OBJECT_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/format.def)
endif()
