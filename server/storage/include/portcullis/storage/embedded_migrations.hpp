#pragma once
#include <string>
#include <vector>

namespace portcullis::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Every file of db/migrations, in version order, compiled into the binary.
const std::vector<Migration>& embedded_migrations();

}  // namespace portcullis::storage
