#pragma once
// Decoding (and, for simulators and tests, encoding) of the OSDP replies an access-control
// gateway acts on. Input is a parsed Frame (see osdp_frame.hpp); output is a typed value.
//
//   0x40 osdp_ACK       no data
//   0x41 osdp_NAK       error code (1 byte), optional detail bytes
//   0x48 osdp_LSTATR    tamper (0 normal, 1 tamper), power (0 normal, 1 failure): exactly 2 bytes
//   0x50 osdp_RAW       reader, format code, bit count (2 bytes LE), ceil(bits/8) data bytes,
//                       bits packed most significant bit first
//   0x53 osdp_KEYPAD    reader, digit count, that many key bytes: ASCII '0'-'9', 0x7F for '*'
//                       (clear), 0x0D for '#' (enter), 'A'-'H' for function keys F1-F4 and
//                       their pairs; ASCII '*'/'#' are accepted too, as some readers send them
//   0x58 osdp_BIOMATCHR reader, status, score (0x00 no match .. 0xFF best): exactly 3 bytes
//
// Anything else is UnsupportedReply: the frame is fine, this codec simply does not decode it.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/result.hpp"

namespace portcullis::adapters::osdp {

enum class ReplyCode : std::uint8_t {
  Ack = 0x40,
  Nak = 0x41,
  LocalStatus = 0x48,
  RawCard = 0x50,
  Keypad = 0x53,
  BiometricMatch = 0x58,
};

// Upper bounds that keep decoded values small whatever the device sends.
inline constexpr std::size_t kMaxRawCardBits = 1024;  // far above any card format in use
inline constexpr std::size_t kMaxNakDetail = 64;

struct Ack {
  friend bool operator==(const Ack&, const Ack&) = default;
};

// NAK error codes from OSDP 2.2 (others are passed through as the raw byte).
enum class NakError : std::uint8_t {
  None = 0x00,
  BadChecksumOrCrc = 0x01,
  BadCommandLength = 0x02,
  UnknownCommand = 0x03,
  UnexpectedSequence = 0x04,
  SecurityBlockNotSupported = 0x05,
  EncryptionRequired = 0x06,
  BioTypeNotSupported = 0x07,
  BioFormatNotSupported = 0x08,
  UnableToProcess = 0x09,
};

struct Nak {
  std::uint8_t error_code = 0;  // see NakError
  std::vector<std::uint8_t> detail;
  friend bool operator==(const Nak&, const Nak&) = default;
};

struct LocalStatus {
  bool tamper = false;
  bool power_failure = false;
  friend bool operator==(const LocalStatus&, const LocalStatus&) = default;
};

enum class RawCardFormat : std::uint8_t {
  Unspecified = 0x00,  // raw bit array
  Wiegand = 0x01,      // P/data/P Wiegand: bits feed wiegand::decode directly
};

struct RawCardRead {
  std::uint8_t reader = 0;
  std::uint8_t format_code = 0;  // see RawCardFormat; other values are kept as sent
  std::string bits;              // '0'/'1', first bit first, exactly bit_count characters
  friend bool operator==(const RawCardRead&, const RawCardRead&) = default;
};

struct KeypadEntry {
  std::uint8_t reader = 0;
  std::string digits;  // normalised: '0'-'9', '*', '#', 'A'-'H' (function keys)
  friend bool operator==(const KeypadEntry&, const KeypadEntry&) = default;
};

enum class BiometricStatus : std::uint8_t { Success = 0x00, Timeout = 0x01, UnknownError = 0xFF };

struct BiometricMatchResult {
  std::uint8_t reader = 0;
  std::uint8_t status = 0;  // see BiometricStatus; other values are kept as sent
  std::uint8_t score = 0;   // 0x00 no match .. 0xFF best match; the threshold is policy, not codec
  friend bool operator==(const BiometricMatchResult&, const BiometricMatchResult&) = default;
};

using Reply = std::variant<Ack, Nak, LocalStatus, RawCardRead, KeypadEntry, BiometricMatchResult>;

// Decode the reply carried by a frame. Errors: NotAReply (address bit 7 clear), EncryptedPayload
// (SCS_17/SCS_18 with data: decrypt first), UnsupportedReply (other reply codes), BadReplyData
// (wrong data length for the code, bit count/data length disagreement, bad keypad byte...).
[[nodiscard]] Result<Reply> decode_reply(const Frame& frame);

// Decode the data bytes of a reply code directly (no frame checks).
[[nodiscard]] Result<Reply> decode_reply_data(std::uint8_t code, std::span<const std::uint8_t> data);

struct ReplyPayload {
  std::uint8_t code = 0;
  std::vector<std::uint8_t> data;
  friend bool operator==(const ReplyPayload&, const ReplyPayload&) = default;
};

// Encode a reply into its code and data bytes (put them in a Frame with is_reply = true and
// build_frame it). Errors: OutOfRange / BadCharacter for values that cannot be represented.
[[nodiscard]] Result<ReplyPayload> encode_reply(const Reply& reply);

[[nodiscard]] std::string_view reply_name(std::uint8_t code) noexcept;  // "osdp_RAW", ... or "unknown"
// Short description of a NAK error code ("bad checksum or CRC", ...), or "unknown".
[[nodiscard]] std::string_view nak_error_name(std::uint8_t error_code) noexcept;

// '0'/'1' string from bytes packed most significant bit first; bit_count <= bytes.size() * 8.
[[nodiscard]] std::string bits_from_bytes(std::span<const std::uint8_t> bytes, std::size_t bit_count);

}  // namespace portcullis::adapters::osdp
