// Fuzz the streaming deframer: the input is split into chunks of fuzzer-chosen sizes, with
// occasional timeouts (flush), and every frame it yields must be a valid packet.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.hpp"
#include "portcullis/adapters/osdp_deframer.hpp"

namespace osdp = portcullis::adapters::osdp;

namespace {

void check(const std::vector<portcullis::adapters::Result<osdp::Frame>>& events, const osdp::Deframer& d) {
  FUZZ_CHECK(d.buffered() <= d.max_frame_length());
  for (const auto& e : events) {
    if (!e.ok()) {
      FUZZ_CHECK(!e.error().reason.empty());
      continue;
    }
    const auto wire = osdp::build_frame(e.value());
    FUZZ_CHECK(wire.ok());
    FUZZ_CHECK(wire->size() <= d.max_frame_length());
    const auto again = osdp::parse_frame(wire.value());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again.value() == e.value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // Byte 0: maximum frame length (small values exercise the FrameTooLong path).
  // Byte 1: chunking seed.
  const std::size_t max_len = data[0] < 0x80 ? 8 + data[0] : osdp::kMaxFrameLength;
  std::uint8_t seed = data[1];
  osdp::Deframer d(osdp::DeframerOptions{max_len});
  std::span<const std::uint8_t> rest(data + 2, size - 2);
  while (!rest.empty()) {
    seed = static_cast<std::uint8_t>(seed * 37U + 11U);
    const std::size_t chunk = std::min<std::size_t>(rest.size(), 1U + seed % 64U);
    check(d.push(rest.first(chunk)), d);
    rest = rest.subspan(chunk);
    if (seed % 29U == 0) check(d.flush(), d);
  }
  check(d.flush(), d);
  FUZZ_CHECK(d.buffered() == 0);
  return 0;
}
