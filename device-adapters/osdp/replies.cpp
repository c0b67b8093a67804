#include <string>
#include <type_traits>

#include "portcullis/adapters/osdp_replies.hpp"
#include "portcullis/util/hex.hpp"

namespace portcullis::adapters::osdp {
namespace {

// OSDP keypad replies send '*' as 0x7F and '#' as 0x0D; some readers send the ASCII glyphs.
constexpr std::uint8_t kKeypadStar = 0x7F;
constexpr std::uint8_t kKeypadHash = 0x0D;

CodecError bad_length(std::uint8_t code, std::size_t got, std::string_view expected) {
  return make_error(ErrorCode::BadReplyData, std::string(reply_name(code)) + " data is " +
                                                 std::to_string(got) + " bytes, expected " +
                                                 std::string(expected));
}

Result<Reply> decode_nak(std::span<const std::uint8_t> data) {
  if (data.empty()) return bad_length(0x41, 0, "at least 1 (error code)");
  if (data.size() - 1 > kMaxNakDetail) {
    return bad_length(0x41, data.size(), "at most " + std::to_string(kMaxNakDetail + 1));
  }
  return Reply{Nak{data[0], std::vector<std::uint8_t>(data.begin() + 1, data.end())}};
}

Result<Reply> decode_local_status(std::span<const std::uint8_t> data) {
  if (data.size() != 2) return bad_length(0x48, data.size(), "2 (tamper, power)");
  for (std::size_t i = 0; i < 2; ++i) {
    if (data[i] > 1) {
      return make_error(ErrorCode::BadReplyData, std::string("osdp_LSTATR ") + (i == 0 ? "tamper" : "power") +
                                                     " status is " + std::to_string(data[i]) +
                                                     ", expected 0 or 1");
    }
  }
  return Reply{LocalStatus{data[0] == 1, data[1] == 1}};
}

Result<Reply> decode_raw(std::span<const std::uint8_t> data) {
  if (data.size() < 4) return bad_length(0x50, data.size(), "at least 4 (reader, format, bit count)");
  const std::size_t bit_count = static_cast<std::size_t>(data[2]) | (static_cast<std::size_t>(data[3]) << 8);
  if (bit_count == 0) return make_error(ErrorCode::BadReplyData, "osdp_RAW bit count is 0");
  if (bit_count > kMaxRawCardBits) {
    return make_error(ErrorCode::BadReplyData, "osdp_RAW bit count " + std::to_string(bit_count) +
                                                   " exceeds maximum " + std::to_string(kMaxRawCardBits));
  }
  const std::size_t needed = (bit_count + 7) / 8;
  const auto payload = data.subspan(4);
  if (payload.size() != needed) {
    return make_error(ErrorCode::BadReplyData, "osdp_RAW bit count " + std::to_string(bit_count) + " needs " +
                                                   std::to_string(needed) + " data bytes, got " +
                                                   std::to_string(payload.size()));
  }
  return Reply{RawCardRead{data[0], data[1], bits_from_bytes(payload, bit_count)}};
}

Result<Reply> decode_keypad(std::span<const std::uint8_t> data) {
  if (data.size() < 2) return bad_length(0x53, data.size(), "at least 2 (reader, digit count)");
  const std::size_t count = data[1];
  if (data.size() - 2 != count) {
    return make_error(ErrorCode::BadReplyData, "osdp_KEYPAD digit count " + std::to_string(count) +
                                                   " disagrees with " + std::to_string(data.size() - 2) +
                                                   " digit bytes");
  }
  std::string digits;
  digits.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t b = data[2 + i];
    if ((b >= '0' && b <= '9') || (b >= 'A' && b <= 'H')) {
      digits += static_cast<char>(b);
    } else if (b == kKeypadStar || b == '*') {
      digits += '*';
    } else if (b == kKeypadHash || b == '#') {
      digits += '#';
    } else {
      return make_error(ErrorCode::BadReplyData, "osdp_KEYPAD digit " + std::to_string(i + 1) + " is byte " +
                                                     std::to_string(b) + ", not a keypad key");
    }
  }
  return Reply{KeypadEntry{data[0], std::move(digits)}};
}

Result<Reply> decode_biomatch(std::span<const std::uint8_t> data) {
  if (data.size() != 3) return bad_length(0x58, data.size(), "3 (reader, status, score)");
  return Reply{BiometricMatchResult{data[0], data[1], data[2]}};
}

}  // namespace

std::string_view reply_name(std::uint8_t code) noexcept {
  switch (code) {
    case 0x40: return "osdp_ACK";
    case 0x41: return "osdp_NAK";
    case 0x45: return "osdp_PDID";
    case 0x46: return "osdp_PDCAP";
    case 0x48: return "osdp_LSTATR";
    case 0x49: return "osdp_ISTATR";
    case 0x4A: return "osdp_OSTATR";
    case 0x4B: return "osdp_RSTATR";
    case 0x50: return "osdp_RAW";
    case 0x51: return "osdp_FMT";
    case 0x53: return "osdp_KEYPAD";
    case 0x54: return "osdp_COM";
    case 0x57: return "osdp_BIOREADR";
    case 0x58: return "osdp_BIOMATCHR";
    case 0x76: return "osdp_CCRYPT";
    case 0x78: return "osdp_RMAC_I";
    case 0x79: return "osdp_BUSY";
    case 0x7A: return "osdp_FTSTAT";
    case 0x80: return "osdp_PIVDATAR";
    case 0x90: return "osdp_MFGREP";
    case 0xB1: return "osdp_XRD";
    default: return "unknown";
  }
}

std::string_view nak_error_name(std::uint8_t error_code) noexcept {
  switch (static_cast<NakError>(error_code)) {
    case NakError::None: return "no error";
    case NakError::BadChecksumOrCrc: return "bad checksum or CRC";
    case NakError::BadCommandLength: return "bad command length";
    case NakError::UnknownCommand: return "unknown command";
    case NakError::UnexpectedSequence: return "unexpected sequence number";
    case NakError::SecurityBlockNotSupported: return "security block not supported";
    case NakError::EncryptionRequired: return "encrypted communication required";
    case NakError::BioTypeNotSupported: return "biometric type not supported";
    case NakError::BioFormatNotSupported: return "biometric format not supported";
    case NakError::UnableToProcess: return "unable to process command record";
  }
  return "unknown";
}

std::string bits_from_bytes(std::span<const std::uint8_t> bytes, std::size_t bit_count) {
  if (bit_count > bytes.size() * 8) bit_count = bytes.size() * 8;
  std::string bits(bit_count, '0');
  for (std::size_t i = 0; i < bit_count; ++i) {
    if (((bytes[i / 8] >> (7 - i % 8)) & 1U) != 0) bits[i] = '1';
  }
  return bits;
}

Result<Reply> decode_reply_data(std::uint8_t code, std::span<const std::uint8_t> data) {
  switch (code) {
    case static_cast<std::uint8_t>(ReplyCode::Ack):
      if (!data.empty()) return bad_length(code, data.size(), "0");
      return Reply{Ack{}};
    case static_cast<std::uint8_t>(ReplyCode::Nak): return decode_nak(data);
    case static_cast<std::uint8_t>(ReplyCode::LocalStatus): return decode_local_status(data);
    case static_cast<std::uint8_t>(ReplyCode::RawCard): return decode_raw(data);
    case static_cast<std::uint8_t>(ReplyCode::Keypad): return decode_keypad(data);
    case static_cast<std::uint8_t>(ReplyCode::BiometricMatch): return decode_biomatch(data);
    default: break;
  }
  std::string code_hex = "0x";
  util::append_hex_byte(code_hex, code, util::HexCase::Upper);
  return make_error(ErrorCode::UnsupportedReply,
                    "reply code " + code_hex + " (" + std::string(reply_name(code)) + ") is not decoded");
}

Result<Reply> decode_reply(const Frame& frame) {
  if (!frame.is_reply) {
    return make_error(ErrorCode::NotAReply, "frame is a command (address bit 7 clear), not a reply");
  }
  if (frame.security &&
      (frame.security->type == SecureBlockType::Scs17 || frame.security->type == SecureBlockType::Scs18) &&
      !frame.data.empty()) {
    return make_error(ErrorCode::EncryptedPayload, std::string(to_string(frame.security->type)) +
                                                       " reply data is encrypted; decrypt before decoding");
  }
  return decode_reply_data(frame.code, frame.data);
}

Result<ReplyPayload> encode_reply(const Reply& reply) {
  return std::visit(
      [](const auto& r) -> Result<ReplyPayload> {
        using T = std::decay_t<decltype(r)>;
        ReplyPayload out;
        if constexpr (std::is_same_v<T, Ack>) {
          out.code = static_cast<std::uint8_t>(ReplyCode::Ack);
        } else if constexpr (std::is_same_v<T, Nak>) {
          if (r.detail.size() > kMaxNakDetail) {
            return make_error(ErrorCode::OutOfRange, "osdp_NAK detail is " + std::to_string(r.detail.size()) +
                                                         " bytes, maximum " + std::to_string(kMaxNakDetail));
          }
          out.code = static_cast<std::uint8_t>(ReplyCode::Nak);
          out.data.push_back(r.error_code);
          out.data.insert(out.data.end(), r.detail.begin(), r.detail.end());
        } else if constexpr (std::is_same_v<T, LocalStatus>) {
          out.code = static_cast<std::uint8_t>(ReplyCode::LocalStatus);
          out.data = {static_cast<std::uint8_t>(r.tamper ? 1 : 0),
                      static_cast<std::uint8_t>(r.power_failure ? 1 : 0)};
        } else if constexpr (std::is_same_v<T, RawCardRead>) {
          if (r.bits.empty() || r.bits.size() > kMaxRawCardBits) {
            return make_error(ErrorCode::OutOfRange, "osdp_RAW bit count " + std::to_string(r.bits.size()) +
                                                         " outside 1-" + std::to_string(kMaxRawCardBits));
          }
          out.code = static_cast<std::uint8_t>(ReplyCode::RawCard);
          out.data = {r.reader, r.format_code, static_cast<std::uint8_t>(r.bits.size() & 0xFFU),
                      static_cast<std::uint8_t>(r.bits.size() >> 8)};
          out.data.resize(4 + (r.bits.size() + 7) / 8, 0);
          for (std::size_t i = 0; i < r.bits.size(); ++i) {
            const char c = r.bits[i];
            if (c != '0' && c != '1') {
              return make_error(ErrorCode::BadCharacter,
                                "osdp_RAW bit " + std::to_string(i + 1) + " is not '0' or '1'");
            }
            if (c == '1')
              out.data[4 + i / 8] = static_cast<std::uint8_t>(out.data[4 + i / 8] | (0x80U >> (i % 8)));
          }
        } else if constexpr (std::is_same_v<T, KeypadEntry>) {
          if (r.digits.size() > 255) {
            return make_error(ErrorCode::OutOfRange,
                              "osdp_KEYPAD has " + std::to_string(r.digits.size()) + " digits, maximum 255");
          }
          out.code = static_cast<std::uint8_t>(ReplyCode::Keypad);
          out.data = {r.reader, static_cast<std::uint8_t>(r.digits.size())};
          for (std::size_t i = 0; i < r.digits.size(); ++i) {
            const char c = r.digits[i];
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'H')) {
              out.data.push_back(static_cast<std::uint8_t>(c));
            } else if (c == '*') {
              out.data.push_back(kKeypadStar);
            } else if (c == '#') {
              out.data.push_back(kKeypadHash);
            } else {
              return make_error(ErrorCode::BadCharacter,
                                "osdp_KEYPAD digit " + std::to_string(i + 1) + " is not 0-9, *, # or A-H");
            }
          }
        } else if constexpr (std::is_same_v<T, BiometricMatchResult>) {
          out.code = static_cast<std::uint8_t>(ReplyCode::BiometricMatch);
          out.data = {r.reader, r.status, r.score};
        }
        return out;
      },
      reply);
}

}  // namespace portcullis::adapters::osdp
