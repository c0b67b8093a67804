# Warnings, sanitizers and hardening as one interface target every project target links.
add_library(portcullis_options INTERFACE)
target_compile_options(portcullis_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(PORTCULLIS_WARNINGS_AS_ERRORS)
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
