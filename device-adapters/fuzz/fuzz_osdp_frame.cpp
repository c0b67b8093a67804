// Fuzz OSDP packet parsing and reply decoding, checking build/encode round trips on success.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_check.hpp"
#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_replies.hpp"

namespace osdp = portcullis::adapters::osdp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
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
    return 0;
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
  return 0;
}
