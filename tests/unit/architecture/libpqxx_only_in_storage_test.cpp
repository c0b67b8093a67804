// server/storage/ is the only production code that talks to PostgreSQL: SQL, transactions, isolation levels
// and the database role each query runs under are decided in one place, and everything else sees plain C++
// types. This test reads every production source file and fails on any include of libpqxx outside
// server/storage/.
//
// tests/ is not scanned on purpose: the integration tests open their own connections and tamper with the
// database as an attacker with database access would (rewrite a stored record, drop a checkpoint), to show
// that verification notices.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Folders of production code, relative to the source root.
constexpr std::array<std::string_view, 5> production_roots{"server", "device-adapters", "device-client",
                                                           "simulators", "desktop-console"};

// The one folder allowed to include libpqxx.
constexpr std::string_view storage_folder = "server/storage/";

bool is_source(const fs::path& path) {
  const auto ext = path.extension();
  return ext == ".hpp" || ext == ".cpp" || ext == ".h" || ext == ".cc" || ext == ".hh";
}

bool allowed(const std::string& relative) { return relative.rfind(storage_folder, 0) == 0; }

TEST(LibpqxxOnlyInStorage, NoProductionFileOutsideStorageIncludesPqxx) {
  const fs::path root{PORTCULLIS_SOURCE_ROOT};
  const std::regex pqxx_include{R"(^\s*#\s*include\s*[<"]pqxx)"};
  int files = 0;
  std::vector<std::string> offenders;
  for (const auto folder : production_roots) {
    const fs::path base = root / folder;
    if (!fs::exists(base)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(base)) {
      if (!entry.is_regular_file() || !is_source(entry.path())) continue;
      ++files;
      const std::string relative = fs::relative(entry.path(), root).generic_string();
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        if (std::regex_search(line, pqxx_include) && !allowed(relative)) {
          offenders.push_back(relative + ":" + std::to_string(number) + ": " + line);
        }
      }
    }
  }
  EXPECT_GT(files, 100) << "the production sources were not found under " << root;
  for (const auto& offender : offenders) ADD_FAILURE() << offender;
}

}  // namespace
