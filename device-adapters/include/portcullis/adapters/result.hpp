#pragma once
// Errors as values for every device codec: a parse either yields a value or a CodecError whose
// reason names the field that is wrong. No codec throws across its API.
#include <string>
#include <string_view>
#include <utility>

#include "portcullis/util/result.hpp"

namespace portcullis::adapters {

// Stable, coarse classification of what went wrong. The reason string carries the detail
// (which field, which value, which parity) and is meant for logs and operators, not parsing.
enum class ErrorCode {
  // Wiegand
  WrongLength,     // bit string length does not match the format (or no format has that length)
  BadCharacter,    // a character other than '0' or '1'
  ParityMismatch,  // a parity bit does not match; the reason names which one
  OutOfRange,      // a value to encode does not fit its field
  // OSDP framing
  BadStartOfMessage,  // first byte is not SOM 0x53
  Truncated,          // fewer bytes than the header or the declared length needs
  LengthMismatch,     // declared length disagrees with the bytes given or is below the minimum
  FrameTooLong,       // declared length above the configured maximum
  CrcMismatch,        // CRC-16 trailer wrong
  ChecksumMismatch,   // 8-bit checksum trailer wrong
  BadSecurityBlock,   // security control block length/type invalid
  BadAddress,         // address out of range when building
  // OSDP replies
  NotAReply,         // frame is a command (address bit 7 clear)
  UnsupportedReply,  // reply code this codec does not decode (frame itself is valid)
  BadReplyData,      // known reply whose data length or content is invalid
  EncryptedPayload,  // SCS_17/SCS_18: data is AES-encrypted and must be decrypted first
  Garbage,           // deframer discarded bytes that were not part of any frame
  // OSDP Secure Channel
  BadCryptogram,             // handshake cryptogram or initial R-MAC does not match: wrong key or impostor
  BadMac,                    // message MAC does not match the session's MAC chain
  BadPadding,                // decrypted data block lacks the 0x80 end marker, or is not whole blocks
  PlaintextOnSecureChannel,  // a message without MAC on a channel that was secure: a downgrade
  UnexpectedMessage,         // a handshake step or security block type out of order or in the wrong direction
  SequenceMismatch,          // a sequence number that is not the expected one (replay or lost message)
  SessionClosed,             // the session already failed; a new handshake is needed
  CryptoFailure,             // the AES implementation reported an error
};

[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;

struct CodecError {
  ErrorCode code;
  std::string reason;
  friend bool operator==(const CodecError&, const CodecError&) = default;
};

// A value or a CodecError (server/util's Result). Accessing the wrong alternative is a programming error
// (aborts), so callers always test ok() first.
template <class T>
using Result = util::Result<T, CodecError>;

[[nodiscard]] inline CodecError make_error(ErrorCode code, std::string reason) {
  return CodecError{code, std::move(reason)};
}

}  // namespace portcullis::adapters
