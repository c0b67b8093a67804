#pragma once
// Reads back a site's stored records of one family ("command.", "change.") in seq order, so that state kept
// outside the engine (door commands, changes waiting for approval) is rebuilt from history at start-up.
#include <pqxx/connection>

#include <cstdint>
#include <functional>
#include <string>

namespace portcullis::storage {

struct StoredRecord {
  std::int64_t site_seq = 0;
  std::string type;
  std::string device_id;  // empty when none
  std::int64_t received_us = 0;
  std::string payload;
};

// Calls `visit` for every record of `site_id` whose type starts with `type_prefix`, in site_seq order.
void for_each_record_of_family(pqxx::connection& connection, const std::string& site_id,
                               const std::string& type_prefix,
                               const std::function<void(const StoredRecord&)>& visit);

}  // namespace portcullis::storage
