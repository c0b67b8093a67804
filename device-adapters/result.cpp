#include "portcullis/adapters/result.hpp"

namespace portcullis::adapters {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::WrongLength: return "wrong_length";
    case ErrorCode::BadCharacter: return "bad_character";
    case ErrorCode::ParityMismatch: return "parity_mismatch";
    case ErrorCode::OutOfRange: return "out_of_range";
    case ErrorCode::BadStartOfMessage: return "bad_start_of_message";
    case ErrorCode::Truncated: return "truncated";
    case ErrorCode::LengthMismatch: return "length_mismatch";
    case ErrorCode::FrameTooLong: return "frame_too_long";
    case ErrorCode::CrcMismatch: return "crc_mismatch";
    case ErrorCode::ChecksumMismatch: return "checksum_mismatch";
    case ErrorCode::BadSecurityBlock: return "bad_security_block";
    case ErrorCode::BadAddress: return "bad_address";
    case ErrorCode::NotAReply: return "not_a_reply";
    case ErrorCode::UnsupportedReply: return "unsupported_reply";
    case ErrorCode::BadReplyData: return "bad_reply_data";
    case ErrorCode::EncryptedPayload: return "encrypted_payload";
    case ErrorCode::Garbage: return "garbage";
    case ErrorCode::BadCryptogram: return "bad_cryptogram";
    case ErrorCode::BadMac: return "bad_mac";
    case ErrorCode::BadPadding: return "bad_padding";
    case ErrorCode::PlaintextOnSecureChannel: return "plaintext_on_secure_channel";
    case ErrorCode::UnexpectedMessage: return "unexpected_message";
    case ErrorCode::SequenceMismatch: return "sequence_mismatch";
    case ErrorCode::SessionClosed: return "session_closed";
    case ErrorCode::CryptoFailure: return "crypto_failure";
  }
  return "unknown";
}

}  // namespace portcullis::adapters
