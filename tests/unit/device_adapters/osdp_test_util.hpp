#pragma once
#include <cstdint>
#include <vector>

#include "portcullis/adapters/osdp_frame.hpp"

namespace osdp_test {

using Bytes = std::vector<std::uint8_t>;

// Append a correct CRC-16 (little-endian) or checksum to a packet body.
inline Bytes seal(Bytes body, bool crc = true) {
  if (crc) {
    const std::uint16_t c = portcullis::adapters::osdp::crc16(body);
    body.push_back(static_cast<std::uint8_t>(c & 0xFFU));
    body.push_back(static_cast<std::uint8_t>(c >> 8));
  } else {
    body.push_back(portcullis::adapters::osdp::checksum8(body));
  }
  return body;
}

}  // namespace osdp_test
