#include <algorithm>
#include <string>

#include "portcullis/adapters/osdp_deframer.hpp"

namespace portcullis::adapters::osdp {

Deframer::Deframer(DeframerOptions options)
    : max_frame_length_(
          std::clamp(options.max_frame_length, min_frame_length(Integrity::Crc16), kMaxFrameLength)) {
  buffer_.reserve(max_frame_length_);
}

void Deframer::reset() noexcept {
  buffer_.clear();
  garbage_run_ = 0;
  quiet_ = 0;
}

void Deframer::report_garbage(std::vector<Result<Frame>>& out) {
  if (garbage_run_ == 0) return;
  out.emplace_back(make_error(ErrorCode::Garbage, "discarded " + std::to_string(garbage_run_) +
                                                      " bytes that were not part of a packet"));
  garbage_run_ = 0;
}

void Deframer::drain(std::vector<Result<Frame>>& out) {
  std::size_t start = 0;  // everything before `start` is consumed
  const std::size_t size = buffer_.size();
  while (start < size) {
    if (buffer_[start] != kStartOfMessage) {
      // Bytes of a packet already reported as bad are not reported again as garbage.
      if (buffer_[start] != kMarkByte && quiet_ == 0) ++garbage_run_;
      if (quiet_ > 0) --quiet_;
      ++start;
      continue;
    }
    report_garbage(out);
    const std::size_t available = size - start;
    if (available < kHeaderLength) break;
    const std::size_t declared =
        static_cast<std::size_t>(buffer_[start + 2]) | (static_cast<std::size_t>(buffer_[start + 3]) << 8);
    const Integrity integrity = (buffer_[start + 4] & 0x04U) != 0 ? Integrity::Crc16 : Integrity::Checksum8;
    if (declared > max_frame_length_ || declared < min_frame_length(integrity)) {
      // parse_frame on the header alone yields the precise FrameTooLong / LengthMismatch reason.
      auto header_error = parse_frame(std::span<const std::uint8_t>(buffer_).subspan(start, kHeaderLength),
                                      max_frame_length_);
      out.push_back(std::move(header_error));
      quiet_ = kHeaderLength - 1;
      ++start;
      continue;
    }
    if (available < declared) break;
    auto frame =
        parse_frame(std::span<const std::uint8_t>(buffer_).subspan(start, declared), max_frame_length_);
    const bool ok = frame.ok();
    out.push_back(std::move(frame));
    quiet_ = ok ? 0 : declared - 1;
    start += ok ? declared : 1;
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start));
}

std::vector<Result<Frame>> Deframer::push(std::span<const std::uint8_t> chunk) {
  std::vector<Result<Frame>> out;
  while (!chunk.empty()) {
    // Invariant: after drain() the buffer holds less than one maximal packet, so there is room.
    const std::size_t room = max_frame_length_ - buffer_.size();
    const std::size_t take = std::min(room, chunk.size());
    buffer_.insert(buffer_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
    chunk = chunk.subspan(take);
    drain(out);
  }
  report_garbage(out);
  return out;
}

std::vector<Result<Frame>> Deframer::flush() {
  std::vector<Result<Frame>> out;
  // Each pass drops the SOM of the stalled packet, so this terminates within buffered() passes.
  while (!buffer_.empty()) {
    std::string reason = "inter-character timeout with " + std::to_string(buffer_.size()) + " bytes buffered";
    if (buffer_.size() >= kHeaderLength) {
      const std::size_t declared =
          static_cast<std::size_t>(buffer_[2]) | (static_cast<std::size_t>(buffer_[3]) << 8);
      reason += " of " + std::to_string(declared) + " declared";
    }
    out.emplace_back(make_error(ErrorCode::Truncated, std::move(reason)));
    quiet_ = buffer_.size() - 1;
    buffer_.erase(buffer_.begin());
    drain(out);
  }
  report_garbage(out);
  return out;
}

}  // namespace portcullis::adapters::osdp
