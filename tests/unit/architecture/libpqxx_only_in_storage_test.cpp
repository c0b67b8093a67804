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

// Files still allowed to include libpqxx while their SQL is being moved by other work.
// removed when the sequencer's SQL moves to storage
constexpr std::array<std::string_view, 1> allowance{"server/ingest/src/sequencer.cpp"};

bool is_source(const fs::path& path) {
  const auto ext = path.extension();
  return ext == ".hpp" || ext == ".cpp" || ext == ".h" || ext == ".cc" || ext == ".hh";
}

bool allowed(const std::string& relative) {
  if (relative.rfind(storage_folder, 0) == 0) return true;
  return std::find(allowance.begin(), allowance.end(), relative) != allowance.end();
}

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

TEST(LibpqxxOnlyInStorage, AllowanceNamesExistingFilesThatStillNeedIt) {
  // A stale allowance would let a new include slip in unnoticed, so each entry must still be needed.
  const fs::path root{PORTCULLIS_SOURCE_ROOT};
  const std::regex pqxx_include{R"(^\s*#\s*include\s*[<"]pqxx)"};
  for (const auto relative : allowance) {
    std::ifstream in(root / relative);
    ASSERT_TRUE(in) << relative << " is in the allowance but does not exist";
    std::string line;
    bool includes = false;
    while (std::getline(in, line)) includes = includes || std::regex_search(line, pqxx_include);
    EXPECT_TRUE(includes) << relative << " no longer includes libpqxx: remove it from the allowance";
  }
}

}  // namespace
