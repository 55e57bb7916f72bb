# vgtf_decode: the test-case decoder (harness/decode.c, driven by harness/format.def).
# Included by harness/CMakeLists.txt and by tests/format/CMakeLists.txt; defined once.
# Link it to get vgtf_decode() and the include path of scenario.h.
if(NOT TARGET vgtf_decode)
  add_library(vgtf_decode STATIC ${CMAKE_CURRENT_LIST_DIR}/decode.c)
  target_include_directories(vgtf_decode PUBLIC ${CMAKE_CURRENT_LIST_DIR})
  target_compile_options(vgtf_decode PRIVATE ${VGTFUZZ_OWN_FLAGS})
  # decode.c re-includes format.def many times; make the dependency explicit for every generator.
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/decode.c PROPERTIES
    OBJECT_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/format.def)
endif()
