#pragma once
// Invariant check for fuzz targets: a violated invariant is a finding, so crash loudly.
#include <cstdio>
#include <cstdlib>

#define UTIL_FUZZ_CHECK(cond)                                                           \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)
