// Streaming deframer: arbitrary chunking, resynchronisation, bounded buffering, timeouts.
#include "portcullis/adapters/osdp_deframer.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "osdp_test_util.hpp"

namespace osdp = portcullis::adapters::osdp;
using osdp_test::Bytes;
using osdp_test::seal;
using portcullis::adapters::ErrorCode;
using Events = std::vector<portcullis::adapters::Result<osdp::Frame>>;

namespace {

const Bytes kPoll{0x53, 0x65, 0x08, 0x00, 0x04, 0x60, 0x60, 0x90};
const Bytes kId{0x53, 0x65, 0x09, 0x00, 0x04, 0x61, 0x00, 0xD9, 0x7A};

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void append(Events& into, Events more) {
  for (auto& e : more) into.push_back(std::move(e));
}

std::size_t frames(const Events& ev) {
  return static_cast<std::size_t>(std::count_if(ev.begin(), ev.end(), [](const auto& e) { return e.ok(); }));
}

}  // namespace

TEST(OsdpDeframer, WholeFramesInOneChunk) {
  osdp::Deframer d;
  const auto ev = d.push(concat({kPoll, kId}));
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[0]->code, 0x60);
  EXPECT_EQ(ev[1]->code, 0x61);
  EXPECT_EQ(d.buffered(), 0U);
}

TEST(OsdpDeframer, EveryChunkSizeGivesTheSameFrames) {
  const Bytes stream = concat({kPoll, kId, kPoll});
  for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
    osdp::Deframer d;
    Events ev;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
      const std::size_t n = std::min(chunk, stream.size() - i);
      append(ev, d.push(std::span<const std::uint8_t>(stream).subspan(i, n)));
    }
    ASSERT_EQ(ev.size(), 3U) << "chunk " << chunk;
    EXPECT_EQ(frames(ev), 3U);
  }
}

TEST(OsdpDeframer, MarkBytesAreSkippedSilently) {
  osdp::Deframer d;
  const auto ev = d.push(concat({{0xFF}, kPoll, {0xFF, 0xFF}, kId}));
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(frames(ev), 2U);
}

TEST(OsdpDeframer, GarbageIsReportedOnceThenFrameFound) {
  osdp::Deframer d;
  const auto ev = d.push(concat({{0x00, 0x11, 0x22}, kPoll}));
  ASSERT_EQ(ev.size(), 2U);
  ASSERT_FALSE(ev[0].ok());
  EXPECT_EQ(ev[0].error().code, ErrorCode::Garbage);
  EXPECT_NE(ev[0].error().reason.find("3 bytes"), std::string::npos);
  EXPECT_TRUE(ev[1].ok());
}

TEST(OsdpDeframer, CorruptFrameIsReportedAndTheNextOneStillArrives) {
  Bytes bad = kPoll;
  bad[6] ^= 0xFF;  // CRC
  osdp::Deframer d;
  const auto ev = d.push(concat({bad, kId}));
  ASSERT_GE(ev.size(), 2U);
  ASSERT_FALSE(ev.front().ok());
  EXPECT_EQ(ev.front().error().code, ErrorCode::CrcMismatch);
  ASSERT_TRUE(ev.back().ok());
  EXPECT_EQ(ev.back()->code, 0x61);
}

TEST(OsdpDeframer, FalseStartOfMessageInsideNoiseDoesNotHideARealFrame) {
  // 0x53 followed by a plausible header whose "packet" swallows the real frame: the CRC fails,
  // the deframer rescans from the byte after the false SOM and finds the real frame.
  const Bytes noise{0x53, 0x01, 0x0C, 0x00, 0x04};
  osdp::Deframer d;
  Events ev = d.push(concat({noise, kPoll, {0xFF, 0xFF, 0xFF, 0xFF}}));
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(frames(ev), 1U);
  EXPECT_FALSE(ev.front().ok());
}

TEST(OsdpDeframer, ImpossibleLengthsResyncImmediately) {
  osdp::Deframer d;
  const auto ev = d.push(concat({{0x53, 0xE5, 0xFF, 0xFF, 0x04}, kPoll}));
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[0].error().code, ErrorCode::FrameTooLong);
  EXPECT_TRUE(ev[1].ok());
  const auto ev2 = d.push(concat({{0x53, 0xE5, 0x02, 0x00, 0x04}, kId}));
  ASSERT_EQ(ev2.size(), 2U);
  EXPECT_EQ(ev2[0].error().code, ErrorCode::LengthMismatch);
  EXPECT_TRUE(ev2[1].ok());
}

TEST(OsdpDeframer, ConfiguredMaximumIsEnforcedAndBuffered) {
  osdp::Deframer d(osdp::DeframerOptions{16});
  EXPECT_EQ(d.max_frame_length(), 16U);
  osdp::Frame big;
  big.code = 0x6F;
  big.data.assign(20, 0x01);
  const auto wire = osdp::build_frame(big);
  ASSERT_TRUE(wire.ok());
  const auto ev = d.push(concat({wire.value(), kPoll}));
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.front().error().code, ErrorCode::FrameTooLong);
  EXPECT_TRUE(ev.back().ok());
  EXPECT_LE(d.buffered(), 16U);
  // Out-of-range options are clamped.
  EXPECT_EQ(osdp::Deframer(osdp::DeframerOptions{0}).max_frame_length(), 8U);
  EXPECT_EQ(osdp::Deframer(osdp::DeframerOptions{1 << 20}).max_frame_length(), osdp::kMaxFrameLength);
}

TEST(OsdpDeframer, BufferNeverExceedsTheMaximum) {
  osdp::Deframer d;
  // A header that promises the maximal packet, then a flood of bytes.
  Bytes flood{0x53, 0x01, static_cast<std::uint8_t>(osdp::kMaxFrameLength & 0xFF),
              static_cast<std::uint8_t>(osdp::kMaxFrameLength >> 8), 0x04};
  flood.resize(10 * osdp::kMaxFrameLength, 0x00);
  const auto ev = d.push(flood);
  EXPECT_LT(d.buffered(), osdp::kMaxFrameLength);
  EXPECT_FALSE(ev.empty());
}

TEST(OsdpDeframer, FlushReportsAStalledPacketAndRescans) {
  osdp::Deframer d;
  // A false SOM promising 200 bytes, then a complete real frame: the real frame is stuck behind
  // it until the caller's inter-character timeout fires.
  auto ev = d.push(concat({{0x53, 0x01, 200, 0x00, 0x04}, kPoll}));
  EXPECT_TRUE(ev.empty());
  EXPECT_EQ(d.buffered(), 5U + kPoll.size());
  ev = d.flush();
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(ev[0].error().code, ErrorCode::Truncated);
  EXPECT_NE(ev[0].error().reason.find("of 200 declared"), std::string::npos) << ev[0].error().reason;
  EXPECT_TRUE(ev[1].ok());
  EXPECT_EQ(d.buffered(), 0U);
  EXPECT_TRUE(d.flush().empty());
}

TEST(OsdpDeframer, ResetDropsPartialInput) {
  osdp::Deframer d;
  EXPECT_TRUE(d.push(Bytes(kPoll.begin(), kPoll.begin() + 4)).empty());
  d.reset();
  EXPECT_EQ(d.buffered(), 0U);
  const auto ev = d.push(kId);
  ASSERT_EQ(ev.size(), 1U);
  EXPECT_TRUE(ev[0].ok());
}

TEST(OsdpDeframer, ChecksumFramesToo) {
  const Bytes ack = seal({0x53, 0xE5, 0x07, 0x00, 0x01, 0x40}, false);
  osdp::Deframer d;
  const auto ev = d.push(concat({ack, ack}));
  ASSERT_EQ(ev.size(), 2U);
  EXPECT_EQ(frames(ev), 2U);
}
