#pragma once
// Reads back a site's stored records of one family ("command.", "change.") in seq order, so that state kept
// outside the engine (door commands, changes waiting for approval) is rebuilt from history at start-up.
#include <pqxx/connection>

#include <cstdint>
#include <functional>
#include <string>

#include "portcullis/storage/stored_record.hpp"

namespace portcullis::storage {

// Calls `visit` for every record of `site_id` whose type starts with `type_prefix`, in site_seq order.
void for_each_record_of_family(pqxx::connection& connection, const std::string& site_id,
                               const std::string& type_prefix,
                               const std::function<void(const StoredRecord&)>& visit);

}  // namespace portcullis::storage
