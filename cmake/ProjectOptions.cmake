# Warnings, sanitizers and hardening as one interface target every project target links.
add_library(portcullis_options INTERFACE)
add_library(portcullis::options ALIAS portcullis_options)
target_compile_options(portcullis_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
# GCC's -Wmaybe-uninitialized gives false positives inside the standard library when ASan instruments
# it (std::regex, std::function), and GCC warns (-Wtsan) that ThreadSanitizer does not model the
# std::atomic_thread_fence Boost.Asio uses; the ordinary build keeps every warning an error.
if(PORTCULLIS_WARNINGS_AS_ERRORS AND NOT PORTCULLIS_SANITIZE AND NOT PORTCULLIS_SANITIZE_THREAD)
  target_compile_options(portcullis_options INTERFACE -Werror)
endif()
# Hardening: checked libc calls where sizes are known (_FORTIFY_SOURCE needs the optimizer, so not in
# Debug), stack canaries, a read-only relocation table resolved at start-up (full RELRO: no writable GOT to
# overwrite) and, in Release (the build to deploy, `cmake --preset release`), position-independent
# executables asked for explicitly, so the binary is loaded at a random address whatever the compiler's
# default (Debian's GCC already defaults to PIE, so the other builds are PIE too).
target_compile_definitions(portcullis_options INTERFACE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
target_compile_options(portcullis_options INTERFACE -fstack-protector-strong $<$<CONFIG:Release>:-fPIE>)
target_link_options(portcullis_options INTERFACE $<$<NOT:$<CONFIG:Debug>>:LINKER:-z,relro,-z,now>
                    $<$<CONFIG:Release>:-pie>)
if(PORTCULLIS_SANITIZE AND PORTCULLIS_SANITIZE_THREAD)
  message(FATAL_ERROR "PORTCULLIS_SANITIZE (ASan+UBSan) and PORTCULLIS_SANITIZE_THREAD cannot be combined")
endif()
if(PORTCULLIS_SANITIZE)
  target_compile_options(portcullis_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                      -fno-sanitize-recover=undefined)
  target_link_options(portcullis_options INTERFACE -fsanitize=address,undefined)
endif()
if(PORTCULLIS_SANITIZE_THREAD)
  target_compile_options(portcullis_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(portcullis_options INTERFACE -fsanitize=thread)
endif()

# Third-party headers are compiled without our warning set: mark them SYSTEM where we import them.
find_package(Threads REQUIRED)

# portcullis_unit_test(TARGET): a GoogleTest executable of pure tests (label "unit": no database, no server).
# Each is also a dependency of the `unit_tests` target, so a build can make just these (the sanitizer tier
# of scripts/test builds and runs only them).
function(portcullis_unit_test target)
  gtest_discover_tests(${target} PROPERTIES LABELS unit)
  set_property(GLOBAL APPEND PROPERTY PORTCULLIS_UNIT_TEST_TARGETS ${target})
endfunction()
