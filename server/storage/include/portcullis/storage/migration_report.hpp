#pragma once
// What a run of the migrations did.
#include <string>
#include <vector>

namespace portcullis::storage {

struct MigrationReport {
  int database_version_before = 0;
  int database_version_after = 0;
  std::vector<std::string> applied;
};

}  // namespace portcullis::storage
