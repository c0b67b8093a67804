#pragma once
// The JSON mappings write and read times with the tree's one RFC 3339 parser and formatter (server/util,
// UTC microseconds: the same type as core::Timestamp). These declarations only name them here, for the
// mappings and the tests that pin their bytes.
#include "portcullis/util/rfc3339.hpp"

namespace portcullis::json {

using util::format_rfc3339;
using util::kDeviceEventTime;
using util::parse_rfc3339;
using util::Rfc3339Grammar;

}  // namespace portcullis::json
