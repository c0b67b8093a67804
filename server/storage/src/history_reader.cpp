#include "portcullis/storage/history_reader.hpp"

#include <pqxx/pqxx>

namespace portcullis::storage {

void for_each_record_of_family(pqxx::connection& connection, const std::string& site_id,
                               const std::string& type_prefix,
                               const std::function<void(const StoredRecord&)>& visit) {
  pqxx::read_transaction tx{connection};
  // left() instead of LIKE: a prefix is matched literally, whatever characters it holds.
  const auto rows = tx.exec_params(
      "SELECT site_seq, type, coalesce(device_id, ''), received_us, payload FROM events"
      " WHERE site_id = $1 AND left(type, length($2)) = $2 ORDER BY site_seq",
      site_id, type_prefix);
  for (const auto& row : rows) {
    StoredRecord record;
    record.site_seq = row[0].as<std::int64_t>();
    record.type = row[1].as<std::string>();
    record.device_id = row[2].as<std::string>();
    record.received_us = row[3].as<std::int64_t>();
    record.payload = row[4].as<std::string>();
    visit(record);
  }
}

}  // namespace portcullis::storage
