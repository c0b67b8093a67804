#pragma once
// Byte buffers shared by the operator security code (secrets, MACs, hashes).
#include <cstdint>
#include <span>
#include <vector>

namespace portcullis::operators {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

}  // namespace portcullis::operators
