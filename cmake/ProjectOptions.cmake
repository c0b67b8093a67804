# Warnings, sanitizers and hardening as one interface target every project target links.
add_library(portcullis_options INTERFACE)
target_compile_options(portcullis_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
# GCC's -Wmaybe-uninitialized gives false positives inside the standard library when ASan instruments
# it (std::regex, std::function); the ordinary build keeps every warning an error.
if(PORTCULLIS_WARNINGS_AS_ERRORS AND NOT PORTCULLIS_SANITIZE)
  target_compile_options(portcullis_options INTERFACE -Werror)
endif()
# Hardening for release-like builds.
target_compile_definitions(portcullis_options INTERFACE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
target_compile_options(portcullis_options INTERFACE -fstack-protector-strong)
if(PORTCULLIS_SANITIZE)
  target_compile_options(portcullis_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                      -fno-sanitize-recover=undefined)
  target_link_options(portcullis_options INTERFACE -fsanitize=address,undefined)
endif()

# Third-party headers are compiled without our warning set: mark them SYSTEM where we import them.
find_package(Threads REQUIRED)
