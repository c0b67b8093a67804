#pragma once
// One stored history record as the start-up replays of door commands and held changes read it.
#include <cstdint>
#include <string>

namespace portcullis::storage {

struct StoredRecord {
  std::int64_t site_seq = 0;
  std::string type;
  std::string device_id;  // empty when none
  std::int64_t received_us = 0;
  std::string payload;
};

}  // namespace portcullis::storage
