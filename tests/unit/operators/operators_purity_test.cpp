// The operator policies must stay plain C++ like the core: OpenSSL lives only in
// server/operators/crypto. This reads every pure source and fails on an adapter include.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace {

TEST(OperatorsPurity, NoAdapterHeadersInPurePolicies) {
  const std::filesystem::path root{PORTCULLIS_OPERATORS_PURE_DIR};
  const std::regex forbidden{
      R"(#\s*include\s*[<"](boost/|pqxx|Q[A-Z]|qt|openssl/|nlohmann/|portcullis/operators/crypto/))"};
  int files = 0;
  for (const char* part : {"include", "src"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / part)) {
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
  }
  EXPECT_GT(files, 10) << "the pure operator sources were not found under " << root;
}

}  // namespace
