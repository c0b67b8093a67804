// The core must stay plain C++: no Boost, libpqxx, Qt, OpenSSL or JSON. This test reads every
// source file under server/core and fails on any include of those libraries.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace {

TEST(CorePurity, NoAdapterHeadersInCore) {
  const std::filesystem::path root{PORTCULLIS_CORE_DIR};
  const std::regex forbidden{R"(#\s*include\s*[<"](boost/|pqxx|Q[A-Z]|qt|openssl/|nlohmann/))"};
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto ext = entry.path().extension();
    if (ext != ".hpp" && ext != ".cpp" && ext != ".h") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      EXPECT_FALSE(std::regex_search(line, forbidden)) << entry.path() << ":" << number << ": " << line;
    }
  }
  EXPECT_GT(files, 5) << "the core sources were not found under " << root;
}

}  // namespace
