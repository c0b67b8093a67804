// server/storage/ is the only production code that talks to PostgreSQL: SQL, transactions, isolation levels
// and the database role each query runs under are decided in one place, and everything else sees plain C++
// types. This test reads every production source file and fails on any include of libpqxx outside
// server/storage/, directly or through a storage header that includes it (a header of server/storage/ that
// takes a pqxx::connection& hands libpqxx to every file that includes it).
//
// tests/ is not scanned on purpose: the integration tests open their own connections and tamper with the
// database as an attacker with database access would (rewrite a stored record, drop a checkpoint), to show
// that verification notices.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
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

bool allowed(const std::string& relative) {
  return relative.rfind(storage_folder, 0) == 0;
}

const std::regex pqxx_include{R"(^\s*#\s*include\s*[<"]pqxx)"};
const std::regex storage_header_include{R"re(^\s*#\s*include\s*"portcullis/storage/([A-Za-z0-9_./-]+)")re"};

// The public storage headers ("name.hpp" as included) that bring libpqxx in, directly or through another
// storage header.
std::set<std::string> storage_headers_with_pqxx(const fs::path& root) {
  const fs::path headers = root / "server/storage/include/portcullis/storage";
  std::map<std::string, std::vector<std::string>> includes;
  std::set<std::string> with_pqxx;
  for (const auto& entry : fs::directory_iterator(headers)) {
    if (!entry.is_regular_file() || !is_source(entry.path())) continue;
    const std::string name = entry.path().filename().string();
    std::ifstream in(entry.path());
    std::string line;
    std::smatch match;
    while (std::getline(in, line)) {
      if (std::regex_search(line, pqxx_include)) with_pqxx.insert(name);
      if (std::regex_search(line, match, storage_header_include)) includes[name].push_back(match[1]);
    }
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, included] : includes) {
      if (with_pqxx.count(name) != 0) continue;
      if (std::any_of(included.begin(), included.end(),
                      [&](const auto& h) { return with_pqxx.count(h) != 0; })) {
        with_pqxx.insert(name);
        grew = true;
      }
    }
  }
  return with_pqxx;
}

TEST(LibpqxxOnlyInStorage, NoProductionFileOutsideStorageIncludesPqxx) {
  const fs::path root{PORTCULLIS_SOURCE_ROOT};
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

TEST(LibpqxxOnlyInStorage, NoProductionFileOutsideStorageIncludesAStorageHeaderThatBringsPqxx) {
  const fs::path root{PORTCULLIS_SOURCE_ROOT};
  const auto leaking = storage_headers_with_pqxx(root);
  std::vector<std::string> offenders;
  for (const auto folder : production_roots) {
    const fs::path base = root / folder;
    if (!fs::exists(base)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(base)) {
      if (!entry.is_regular_file() || !is_source(entry.path())) continue;
      const std::string relative = fs::relative(entry.path(), root).generic_string();
      if (allowed(relative)) continue;
      std::ifstream in(entry.path());
      std::string line;
      std::smatch match;
      for (int number = 1; std::getline(in, line); ++number) {
        if (std::regex_search(line, match, storage_header_include) && leaking.count(match[1]) != 0)
          offenders.push_back(relative + ":" + std::to_string(number) + ": " + line + " (brings in libpqxx)");
      }
    }
  }
  for (const auto& offender : offenders) ADD_FAILURE() << offender;
}

}  // namespace
