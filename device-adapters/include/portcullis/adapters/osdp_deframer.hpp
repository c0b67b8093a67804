#pragma once
// Streaming OSDP deframer: feed it bytes exactly as they arrive from a serial port or socket,
// in chunks of any size, and it yields complete frames and framing errors in wire order.
//
// - Bytes before a start-of-message 0x53 are discarded: 0xFF mark bytes silently, anything else
//   reported as ErrorCode::Garbage (one error per run of such bytes within one push/flush call). Bytes of a
//   packet already reported as bad are not reported a second time as garbage.
// - A header whose declared length is impossible (below the minimum or above the maximum) is
//   reported and the deframer resynchronises at the next 0x53 after that SOM.
// - A complete packet that fails parse_frame (CRC, checksum, security block...) is reported and
//   the deframer also resynchronises one byte after its SOM, so a real frame that followed a
//   false SOM inside line noise is still found.
// - Memory is bounded: at most `max_frame_length` bytes are held, whatever the caller pushes.
//
// OSDP delimits packets partly by timing; the deframer reads no clock. When the caller's
// inter-character timeout expires it calls flush(), which reports the half-received packet as
// Truncated and rescans its bytes.
//
// One Deframer per byte stream (serial line or connection); it is not thread-safe.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/result.hpp"

namespace portcullis::adapters::osdp {

struct DeframerOptions {
  // Largest packet accepted; clamped to [min CRC packet length, kMaxFrameLength].
  std::size_t max_frame_length = kMaxFrameLength;
};

class Deframer {
 public:
  explicit Deframer(DeframerOptions options = {});

  // Consume a chunk; returns every frame or error it completes, in order.
  [[nodiscard]] std::vector<Result<Frame>> push(std::span<const std::uint8_t> chunk);

  // Inter-character timeout: give up on the buffered partial packet (reported as Truncated)
  // and rescan the bytes after its SOM. Leaves the buffer holding at most a new partial packet.
  [[nodiscard]] std::vector<Result<Frame>> flush();

  // Drop everything buffered without reporting (e.g. the line was reconfigured).
  void reset() noexcept;

  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }
  [[nodiscard]] std::size_t max_frame_length() const noexcept { return max_frame_length_; }

 private:
  void drain(std::vector<Result<Frame>>& out);
  void report_garbage(std::vector<Result<Frame>>& out);

  std::size_t max_frame_length_;
  std::vector<std::uint8_t> buffer_;
  std::size_t garbage_run_ = 0;
  // Bytes still to come that belong to a packet or header already reported as an error.
  std::size_t quiet_ = 0;
};

}  // namespace portcullis::adapters::osdp
