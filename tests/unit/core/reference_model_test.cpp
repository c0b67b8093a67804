#include <gtest/gtest.h>
TEST(Placeholder, Reference) {}
