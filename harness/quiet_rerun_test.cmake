# ctest quiet-rerun (harness/quiet_rerun.h): the full rerun must not count as coverage.
# The input is one the kernel stops on (a hazard): the fast pass runs the kernel alone, and only
# the full rerun runs the production library. So after the input, libFuzzer must have seen none of
# impl/'s functions. The control runs the same input with VGTFUZZ_FULL=1 (no fast pass, the full
# run is the only run and counts): impl/'s functions must show there, or the check proves nothing.
# -D FUZZER=<libFuzzer target> INPUT=<test case> WORK=<scratch directory>
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/in")
file(COPY "${INPUT}" DESTINATION "${WORK}/in")

function(impl_functions_seen out)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ARGN} "${FUZZER}" -runs=0 -print_coverage=1 "${WORK}/in"
                  OUTPUT_VARIABLE o ERROR_VARIABLE e RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${FUZZER} exited with ${rc}:\n${e}")
  endif()
  string(REGEX MATCHALL "(^|\n)COVERED_FUNC: [^\n]* vgtb_[a-z_]+ " seen "${o}${e}")
  list(LENGTH seen n)
  set(${out} ${n} PARENT_SCOPE)
endfunction()

impl_functions_seen(quiet)
impl_functions_seen(counted VGTFUZZ_FULL=1)
message(STATUS "impl/ functions covered: ${quiet} with the fast pass and a quiet rerun, ${counted} with VGTFUZZ_FULL=1")
if(counted EQUAL 0)
  message(FATAL_ERROR "the control saw no impl/ function: this input no longer reaches the production library")
endif()
if(NOT quiet EQUAL 0)
  message(FATAL_ERROR "the full rerun counted as coverage: ${quiet} impl/ functions seen")
endif()
