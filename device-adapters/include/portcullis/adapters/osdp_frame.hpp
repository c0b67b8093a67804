#pragma once
// OSDP (SIA OSDP 2.2 / IEC 60839-11-5) packet framing: one complete packet <-> Frame.
//
// Wire layout (offsets in bytes):
//   0      SOM 0x53
//   1      address: bits 0-6 PD address (0x7F broadcast), bit 7 set on replies (PD -> CP)
//   2-3    packet length, little-endian, counting every byte from SOM through the trailer
//   4      control: bits 0-1 sequence, bit 2 CRC-16 (set) vs 8-bit checksum (clear),
//          bit 3 security control block present
//   [5..]  optional security control block: length (counts itself and type), type, data
//   next   command or reply code
//   ...    data
//   [4]    MAC, present when the security block type is SCS_15..SCS_18
//   last   CRC-16 (2 bytes, little-endian) or checksum (1 byte)
//
// CRC-16 is CRC-16/AUG-CCITT as OSDP uses it: poly 0x1021, init 0x1D0F, no reflection, no final
// XOR (check value 0xE5CC for "123456789"). The checksum is the two's complement of the 8-bit
// sum of all preceding bytes. The optional 0xFF mark byte that OSDP 2.2 senders put before SOM
// is not part of the packet: the deframer skips it; parse_frame expects SOM at offset 0.
//
// Secure Channel payloads are not decrypted here (no AES): the frame reports which SCS block it
// carries; osdp_secure_channel.hpp verifies MACs and decrypts.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "portcullis/adapters/result.hpp"

namespace portcullis::adapters::osdp {

inline constexpr std::uint8_t kStartOfMessage = 0x53;
inline constexpr std::uint8_t kMarkByte = 0xFF;
inline constexpr std::uint8_t kBroadcastAddress = 0x7F;
inline constexpr std::uint8_t kReplyFlag = 0x80;
inline constexpr std::size_t kHeaderLength = 5;  // SOM, address, length (2), control
inline constexpr std::size_t kMacLength = 4;
// Hard upper bound on a packet this codec accepts or builds. OSDP devices advertise receive
// buffers of a few hundred bytes; 1024 leaves room for file-transfer and PIV fragments.
inline constexpr std::size_t kMaxFrameLength = 1024;

enum class Integrity { Checksum8, Crc16 };

// Security control block types (OSDP 2.2 Annex D).
enum class SecureBlockType : std::uint8_t {
  Scs11 = 0x11,  // CP -> PD osdp_CHLNG, begins a session
  Scs12 = 0x12,  // PD -> CP osdp_CCRYPT
  Scs13 = 0x13,  // CP -> PD osdp_SCRYPT
  Scs14 = 0x14,  // PD -> CP osdp_RMAC_I, session established
  Scs15 = 0x15,  // CP -> PD, MAC, data in clear
  Scs16 = 0x16,  // PD -> CP, MAC, data in clear
  Scs17 = 0x17,  // CP -> PD, MAC, data encrypted
  Scs18 = 0x18,  // PD -> CP, MAC, data encrypted
};

struct SecurityBlock {
  SecureBlockType type = SecureBlockType::Scs15;
  // SCS_11..SCS_13: one key selector byte (0x00 = SCBK-D, 0x01 = SCBK); SCS_14: one byte,
  // 0x01 when the PD accepted the CP cryptogram; SCS_15..SCS_18: empty.
  std::vector<std::uint8_t> data;
  friend bool operator==(const SecurityBlock&, const SecurityBlock&) = default;
};

struct Frame {
  std::uint8_t address = 0;   // 0x00-0x7F, reply flag removed
  bool is_reply = false;      // address bit 7 on the wire
  std::uint8_t sequence = 0;  // 0-3
  Integrity integrity = Integrity::Crc16;
  std::optional<SecurityBlock> security;
  std::uint8_t code = 0;  // command or reply code
  std::vector<std::uint8_t> data;
  // Present exactly when the security block type is SCS_15..SCS_18.
  std::optional<std::array<std::uint8_t, kMacLength>> mac;
  friend bool operator==(const Frame&, const Frame&) = default;
};

// What a consumer needs to judge the channel a frame travelled on.
struct SecureChannelInfo {
  bool secure = false;              // a security control block is present
  bool handshake = false;           // SCS_11..SCS_14
  bool authenticated = false;       // SCS_15..SCS_18 (carries a MAC)
  bool encrypted_data = false;      // SCS_17/SCS_18
  bool default_key = false;         // SCS_11..SCS_13 naming SCBK-D, the public install key
  bool handshake_rejected = false;  // SCS_14 reporting the CP cryptogram was not accepted
  std::optional<SecureBlockType> type;
};

[[nodiscard]] std::uint16_t crc16(std::span<const std::uint8_t> bytes) noexcept;
[[nodiscard]] std::uint8_t checksum8(std::span<const std::uint8_t> bytes) noexcept;
[[nodiscard]] std::string_view to_string(SecureBlockType type) noexcept;  // "SCS_11".."SCS_18"
[[nodiscard]] bool is_known_secure_block_type(std::uint8_t type) noexcept;
[[nodiscard]] bool carries_mac(SecureBlockType type) noexcept;  // SCS_15..SCS_18

// Smallest valid packet for an integrity mode: header + code + trailer.
[[nodiscard]] std::size_t min_frame_length(Integrity integrity) noexcept;

// Parse exactly one packet: `bytes` must start with SOM and be exactly the declared length.
// Errors, in the order checked: Truncated (fewer than 5 header bytes), BadStartOfMessage,
// FrameTooLong (declared > max_length), LengthMismatch (declared below minimum, or more bytes
// than declared), Truncated (fewer bytes than declared), CrcMismatch / ChecksumMismatch,
// BadSecurityBlock (length < 2, overruns the packet, unknown type, wrong size for its type).
// `max_length` above kMaxFrameLength is clamped to it.
[[nodiscard]] Result<Frame> parse_frame(std::span<const std::uint8_t> bytes,
                                        std::size_t max_length = kMaxFrameLength);

// Build the wire bytes for a frame (no leading mark byte). Errors: BadAddress (> 0x7F),
// OutOfRange (sequence > 3, packet longer than kMaxFrameLength), BadSecurityBlock (unknown
// type, data size wrong for the type, MAC present/absent disagreeing with the type, MAC
// without a security block).
[[nodiscard]] Result<std::vector<std::uint8_t>> build_frame(const Frame& frame);

[[nodiscard]] SecureChannelInfo secure_channel_info(const Frame& frame) noexcept;

}  // namespace portcullis::adapters::osdp
