#include <string>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/util/hex.hpp"

namespace portcullis::adapters::osdp {
namespace {

constexpr std::uint8_t kControlSequenceMask = 0x03;
constexpr std::uint8_t kControlCrc = 0x04;
constexpr std::uint8_t kControlSecurityBlock = 0x08;

// "0x7E", "0x1D0F": a byte or a 16-bit CRC as the OSDP specification writes it.
std::string hex(std::uint32_t v, int digits) {
  std::string out = "0x";
  for (int byte = digits / 2 - 1; byte >= 0; --byte)
    util::append_hex_byte(out, static_cast<std::uint8_t>(v >> (8 * byte)), util::HexCase::Upper);
  return out;
}

std::size_t trailer_length(Integrity integrity) {
  return integrity == Integrity::Crc16 ? 2 : 1;
}

std::size_t expected_security_block_length(SecureBlockType type) {
  return carries_mac(type) ? 2 : 3;
}

}  // namespace

std::uint16_t crc16(std::span<const std::uint8_t> bytes) noexcept {
  std::uint16_t crc = 0x1D0F;
  for (const std::uint8_t b : bytes) {
    crc = static_cast<std::uint16_t>(crc ^ (b << 8));
    for (int i = 0; i < 8; ++i) {
      crc = (crc & 0x8000U) != 0 ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021U)
                                 : static_cast<std::uint16_t>(crc << 1);
    }
  }
  return crc;
}

std::uint8_t checksum8(std::span<const std::uint8_t> bytes) noexcept {
  unsigned sum = 0;
  for (const std::uint8_t b : bytes) sum += b;
  return static_cast<std::uint8_t>((~sum + 1U) & 0xFFU);
}

std::string_view to_string(SecureBlockType type) noexcept {
  switch (type) {
    case SecureBlockType::Scs11: return "SCS_11";
    case SecureBlockType::Scs12: return "SCS_12";
    case SecureBlockType::Scs13: return "SCS_13";
    case SecureBlockType::Scs14: return "SCS_14";
    case SecureBlockType::Scs15: return "SCS_15";
    case SecureBlockType::Scs16: return "SCS_16";
    case SecureBlockType::Scs17: return "SCS_17";
    case SecureBlockType::Scs18: return "SCS_18";
  }
  return "SCS_unknown";
}

bool is_known_secure_block_type(std::uint8_t type) noexcept {
  return type >= 0x11 && type <= 0x18;
}

bool carries_mac(SecureBlockType type) noexcept {
  return static_cast<std::uint8_t>(type) >= 0x15;
}

std::size_t min_frame_length(Integrity integrity) noexcept {
  return kHeaderLength + 1 + trailer_length(integrity);
}

Result<Frame> parse_frame(std::span<const std::uint8_t> bytes, std::size_t max_length) {
  if (max_length > kMaxFrameLength) max_length = kMaxFrameLength;
  if (bytes.size() < kHeaderLength) {
    return make_error(ErrorCode::Truncated, "packet header needs " + std::to_string(kHeaderLength) +
                                                " bytes, got " + std::to_string(bytes.size()));
  }
  if (bytes[0] != kStartOfMessage) {
    return make_error(ErrorCode::BadStartOfMessage,
                      "start of message is " + hex(bytes[0], 2) + ", expected " + hex(kStartOfMessage, 2));
  }
  const std::size_t declared = static_cast<std::size_t>(bytes[2]) | (static_cast<std::size_t>(bytes[3]) << 8);
  const std::uint8_t control = bytes[4];
  const Integrity integrity = (control & kControlCrc) != 0 ? Integrity::Crc16 : Integrity::Checksum8;
  if (declared > max_length) {
    return make_error(ErrorCode::FrameTooLong, "declared packet length " + std::to_string(declared) +
                                                   " exceeds maximum " + std::to_string(max_length));
  }
  if (declared < min_frame_length(integrity)) {
    return make_error(ErrorCode::LengthMismatch,
                      "declared packet length " + std::to_string(declared) + " is below the minimum " +
                          std::to_string(min_frame_length(integrity)) + " for " +
                          (integrity == Integrity::Crc16 ? "CRC-16" : "checksum") + " packets");
  }
  if (bytes.size() > declared) {
    return make_error(ErrorCode::LengthMismatch, "got " + std::to_string(bytes.size()) +
                                                     " bytes but the declared packet length is " +
                                                     std::to_string(declared));
  }
  if (bytes.size() < declared) {
    return make_error(ErrorCode::Truncated, "got " + std::to_string(bytes.size()) + " of " +
                                                std::to_string(declared) + " declared bytes");
  }

  const std::size_t body_end = declared - trailer_length(integrity);  // first trailer byte
  const auto covered = bytes.first(body_end);
  if (integrity == Integrity::Crc16) {
    const std::uint16_t received = static_cast<std::uint16_t>(bytes[body_end] | (bytes[body_end + 1] << 8));
    const std::uint16_t computed = crc16(covered);
    if (received != computed) {
      return make_error(ErrorCode::CrcMismatch,
                        "CRC-16 is " + hex(received, 4) + ", computed " + hex(computed, 4));
    }
  } else {
    const std::uint8_t received = bytes[body_end];
    const std::uint8_t computed = checksum8(covered);
    if (received != computed) {
      return make_error(ErrorCode::ChecksumMismatch,
                        "checksum is " + hex(received, 2) + ", computed " + hex(computed, 2));
    }
  }

  Frame frame;
  frame.address = static_cast<std::uint8_t>(bytes[1] & 0x7FU);
  frame.is_reply = (bytes[1] & kReplyFlag) != 0;
  frame.sequence = static_cast<std::uint8_t>(control & kControlSequenceMask);
  frame.integrity = integrity;

  std::size_t pos = kHeaderLength;
  std::size_t content_end = body_end;  // end of command/reply data (before MAC)
  if ((control & kControlSecurityBlock) != 0) {
    // The code byte must still follow the block.
    if (pos + 2 > body_end) {
      return make_error(ErrorCode::BadSecurityBlock,
                        "security control block flag set but the packet has no room "
                        "for its length and type");
    }
    const std::size_t block_length = bytes[pos];
    const std::uint8_t type = bytes[pos + 1];
    if (block_length < 2) {
      return make_error(ErrorCode::BadSecurityBlock,
                        "security control block length " + std::to_string(block_length) + " is below 2");
    }
    if (!is_known_secure_block_type(type)) {
      return make_error(ErrorCode::BadSecurityBlock,
                        "security control block type " + hex(type, 2) + " is not SCS_11..SCS_18");
    }
    const auto scs = static_cast<SecureBlockType>(type);
    if (block_length != expected_security_block_length(scs)) {
      return make_error(ErrorCode::BadSecurityBlock, std::string(to_string(scs)) +
                                                         " security control block length is " +
                                                         std::to_string(block_length) + ", expected " +
                                                         std::to_string(expected_security_block_length(scs)));
    }
    const std::size_t mac_length = carries_mac(scs) ? kMacLength : 0;
    if (pos + block_length + 1 + mac_length > body_end) {
      return make_error(ErrorCode::BadSecurityBlock, std::string(to_string(scs)) + " security control block" +
                                                         (mac_length != 0 ? " and MAC" : "") +
                                                         " overrun the packet (no room for the code byte)");
    }
    SecurityBlock block;
    block.type = scs;
    block.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos + 2),
                      bytes.begin() + static_cast<std::ptrdiff_t>(pos + block_length));
    frame.security = std::move(block);
    pos += block_length;
    if (mac_length != 0) {
      content_end = body_end - kMacLength;
      std::array<std::uint8_t, kMacLength> mac{};
      for (std::size_t i = 0; i < kMacLength; ++i) mac[i] = bytes[content_end + i];
      frame.mac = mac;
    }
  }
  frame.code = bytes[pos];
  ++pos;
  frame.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos),
                    bytes.begin() + static_cast<std::ptrdiff_t>(content_end));
  return frame;
}

Result<std::vector<std::uint8_t>> build_frame(const Frame& frame) {
  if (frame.address > kBroadcastAddress) {
    return make_error(ErrorCode::BadAddress,
                      "address " + hex(frame.address, 2) + " exceeds 0x7F (set is_reply for replies)");
  }
  if (frame.sequence > 3) {
    return make_error(ErrorCode::OutOfRange, "sequence " + std::to_string(frame.sequence) + " exceeds 3");
  }
  std::size_t security_length = 0;
  std::size_t mac_length = 0;
  if (frame.security) {
    const SecurityBlock& block = *frame.security;
    if (!is_known_secure_block_type(static_cast<std::uint8_t>(block.type))) {
      return make_error(ErrorCode::BadSecurityBlock, "security control block type " +
                                                         hex(static_cast<std::uint8_t>(block.type), 2) +
                                                         " is not SCS_11..SCS_18");
    }
    security_length = 2 + block.data.size();
    if (security_length != expected_security_block_length(block.type)) {
      return make_error(ErrorCode::BadSecurityBlock,
                        std::string(to_string(block.type)) + " security control block needs " +
                            std::to_string(expected_security_block_length(block.type) - 2) +
                            " data bytes, got " + std::to_string(block.data.size()));
    }
    if (carries_mac(block.type) != frame.mac.has_value()) {
      return make_error(ErrorCode::BadSecurityBlock,
                        std::string(to_string(block.type)) +
                            (carries_mac(block.type) ? " needs a MAC" : " must not carry a MAC"));
    }
    mac_length = frame.mac ? kMacLength : 0;
  } else if (frame.mac) {
    return make_error(ErrorCode::BadSecurityBlock,
                      "a MAC needs a security control block of type SCS_15..SCS_18");
  }
  const std::size_t total =
      kHeaderLength + security_length + 1 + frame.data.size() + mac_length + trailer_length(frame.integrity);
  if (total > kMaxFrameLength) {
    return make_error(ErrorCode::OutOfRange, "packet length " + std::to_string(total) + " exceeds maximum " +
                                                 std::to_string(kMaxFrameLength));
  }
  std::vector<std::uint8_t> out;
  out.reserve(total);
  out.push_back(kStartOfMessage);
  out.push_back(static_cast<std::uint8_t>(frame.address | (frame.is_reply ? kReplyFlag : 0U)));
  out.push_back(static_cast<std::uint8_t>(total & 0xFFU));
  out.push_back(static_cast<std::uint8_t>(total >> 8));
  std::uint8_t control = frame.sequence;
  if (frame.integrity == Integrity::Crc16) control |= kControlCrc;
  if (frame.security) control |= kControlSecurityBlock;
  out.push_back(control);
  if (frame.security) {
    out.push_back(static_cast<std::uint8_t>(security_length));
    out.push_back(static_cast<std::uint8_t>(frame.security->type));
    out.insert(out.end(), frame.security->data.begin(), frame.security->data.end());
  }
  out.push_back(frame.code);
  out.insert(out.end(), frame.data.begin(), frame.data.end());
  if (frame.mac) out.insert(out.end(), frame.mac->begin(), frame.mac->end());
  if (frame.integrity == Integrity::Crc16) {
    const std::uint16_t crc = crc16(out);
    out.push_back(static_cast<std::uint8_t>(crc & 0xFFU));
    out.push_back(static_cast<std::uint8_t>(crc >> 8));
  } else {
    out.push_back(checksum8(out));
  }
  return out;
}

SecureChannelInfo secure_channel_info(const Frame& frame) noexcept {
  SecureChannelInfo info;
  if (!frame.security) return info;
  const SecureBlockType type = frame.security->type;
  info.secure = true;
  info.type = type;
  info.authenticated = carries_mac(type);
  info.handshake = !info.authenticated;
  info.encrypted_data = type == SecureBlockType::Scs17 || type == SecureBlockType::Scs18;
  const bool has_selector = !frame.security->data.empty();
  if (type == SecureBlockType::Scs11 || type == SecureBlockType::Scs12 || type == SecureBlockType::Scs13) {
    info.default_key = has_selector && frame.security->data[0] == 0x00;
  }
  if (type == SecureBlockType::Scs14)
    info.handshake_rejected = has_selector && frame.security->data[0] != 0x01;
  return info;
}

}  // namespace portcullis::adapters::osdp
