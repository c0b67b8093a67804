// Fuzz OSDP packet parsing and reply decoding, checking build/encode round trips on success.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.hpp"
#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_replies.hpp"

namespace osdp = portcullis::adapters::osdp;

namespace {

void check_packet(std::span<const std::uint8_t> bytes);

// Random mutations almost never keep a CRC valid, which would leave the security-block and
// reply paths behind the integrity check unexplored. So each input is also tried "repaired":
// SOM set, length field set to the input size, trailer recomputed for the control byte's mode.
void check_repaired(const std::uint8_t* data, std::size_t size) {
  if (size < osdp::kHeaderLength + 2 || size > osdp::kMaxFrameLength) return;
  std::vector<std::uint8_t> packet(data, data + size);
  packet[0] = osdp::kStartOfMessage;
  packet[2] = static_cast<std::uint8_t>(size & 0xFFU);
  packet[3] = static_cast<std::uint8_t>(size >> 8);
  const bool crc = (packet[4] & 0x04U) != 0;
  if (crc) {
    const std::uint16_t c = osdp::crc16(std::span<const std::uint8_t>(packet).first(size - 2));
    packet[size - 2] = static_cast<std::uint8_t>(c & 0xFFU);
    packet[size - 1] = static_cast<std::uint8_t>(c >> 8);
  } else {
    packet[size - 1] = osdp::checksum8(std::span<const std::uint8_t>(packet).first(size - 1));
  }
  const auto frame = osdp::parse_frame(packet);
  if (!frame.ok()) {
    // With SOM, length and trailer right, only the declared minimum or the security block can
    // be wrong.
    const auto code = frame.error().code;
    FUZZ_CHECK(code == portcullis::adapters::ErrorCode::BadSecurityBlock ||
               code == portcullis::adapters::ErrorCode::LengthMismatch);
  }
  check_packet(packet);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_packet(std::span<const std::uint8_t>(data, size));
  check_repaired(data, size);
  return 0;
}

namespace {

void check_packet(std::span<const std::uint8_t> bytes) {
  const std::uint8_t* data = bytes.data();
  const std::size_t size = bytes.size();
  const auto frame = osdp::parse_frame(bytes);
  if (!frame.ok()) {
    FUZZ_CHECK(!frame.error().reason.empty());
    // Also exercise reply decoding on raw bytes: first byte as code, rest as data.
    if (size > 0) {
      const auto reply = osdp::decode_reply_data(data[0], bytes.subspan(1));
      if (reply.ok()) {
        const auto payload = osdp::encode_reply(reply.value());
        FUZZ_CHECK(payload.ok());
        const auto back = osdp::decode_reply_data(payload->code, payload->data);
        FUZZ_CHECK(back.ok());
        FUZZ_CHECK(back.value() == reply.value());
      }
    }
    return;
  }
  FUZZ_CHECK(frame->address <= osdp::kBroadcastAddress);
  FUZZ_CHECK(frame->sequence <= 3);
  FUZZ_CHECK(frame->mac.has_value() == (frame->security && osdp::carries_mac(frame->security->type)));

  // A parsed frame always rebuilds, and the rebuilt bytes parse to the same frame. (The bytes may
  // differ from the input only in reserved control bits, which are not carried.)
  const auto wire = osdp::build_frame(frame.value());
  FUZZ_CHECK(wire.ok());
  FUZZ_CHECK(wire->size() == size);
  const auto reparsed = osdp::parse_frame(wire.value());
  FUZZ_CHECK(reparsed.ok());
  FUZZ_CHECK(reparsed.value() == frame.value());

  (void)osdp::secure_channel_info(frame.value());
  const auto reply = osdp::decode_reply(frame.value());
  if (reply.ok()) {
    const auto payload = osdp::encode_reply(reply.value());
    FUZZ_CHECK(payload.ok());
    FUZZ_CHECK(payload->code == frame->code);
    const auto back = osdp::decode_reply_data(payload->code, payload->data);
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(back.value() == reply.value());
  }
}

}  // namespace
