# Warnings, sanitizers and hardening as one interface target every project target links.
add_library(portcullis_options INTERFACE)
target_compile_options(portcullis_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
# GCC's -Wmaybe-uninitialized gives false positives inside the standard library when ASan instruments
# it (std::regex, std::function), and GCC warns (-Wtsan) that ThreadSanitizer does not model the
# std::atomic_thread_fence Boost.Asio uses; the ordinary build keeps every warning an error.
if(PORTCULLIS_WARNINGS_AS_ERRORS AND NOT PORTCULLIS_SANITIZE AND NOT PORTCULLIS_SANITIZE_THREAD)
  target_compile_options(portcullis_options INTERFACE -Werror)
endif()
# Hardening for release-like builds: checked libc calls where sizes are known (_FORTIFY_SOURCE needs the
# optimizer, so not in Debug), stack canaries, position-independent executables (ASLR for the binary itself)
# and a read-only relocation table resolved at start-up (full RELRO: no writable GOT to overwrite).
include(CheckPIESupported)
check_pie_supported(LANGUAGES CXX)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
target_compile_definitions(portcullis_options INTERFACE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
target_compile_options(portcullis_options INTERFACE -fstack-protector-strong)
target_link_options(portcullis_options INTERFACE $<$<NOT:$<CONFIG:Debug>>:LINKER:-z,relro,-z,now>)
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
