// The script encoder used by demos and tests, and the whole pure pipeline (deframer -> SecurityWatch ->
// Translator) over the bytes it writes.
#include <gtest/gtest.h>

#include "frames.hpp"
#include "portcullis/adapters/osdp_deframer.hpp"
#include "portcullis/gateway/osdp_script.hpp"
#include "portcullis/gateway/security_watch.hpp"
#include "portcullis/gateway/translator.hpp"

namespace portcullis::gateway {
namespace {

using namespace test;
using nlohmann::json;

std::vector<json> pipeline(const std::string& script, SecurityPolicy policy, WallTime now) {
  const auto bytes = encode_osdp_script(script);
  osdp::Deframer deframer;
  Translator translator{lobby_config()};
  SecurityWatch watch{lobby_config(), policy};
  std::vector<json> events;
  for (const auto& r : deframer.push(bytes)) {
    EXPECT_TRUE(r.ok()) << r.error().reason;
    if (!r.ok()) continue;
    auto out = watch.observe(r.value(), now);
    out.append(translator.on_frame(r.value(), now));
    for (auto& e : out.events) events.push_back(std::move(e));
  }
  return events;
}

TEST(OsdpScript, WorkedExampleFromTheDocs) {
  const std::string script = R"(# a morning at the lobby
handshake 1 scs12 scbk
card 1 H10301 42 10001
keys 1 1234#
bio 3 201 reader=1
status 2 tamper
status 2 normal
card 2 C1000 2643 163271 clear
handshake 2 scs12 default
ack 1
)";
  const auto t = at("2026-11-27T07:55:00Z");
  const auto events = pipeline(script, SecurityPolicy{}, t);
  std::vector<std::string> summary;
  for (const auto& e : events) {
    std::string s = e["type"].get<std::string>();
    if (e.contains("reader")) s += " " + e["reader"].get<std::string>();
    if (e.contains("component"))
      s += " " + e["component"].get<std::string>() + (e["active"] ? " on" : " off");
    summary.push_back(s);
  }
  EXPECT_EQ(summary, (std::vector<std::string>{
                         "credential rdr-lobby-in", "pin rdr-lobby-in", "biometric rdr-cage-bio",
                         "tamper rdr-lobby-out on", "tamper rdr-lobby-out off",
                         "tamper osdp-plaintext:rdr-lobby-out on",  // the clear card read is still translated
                         "credential rdr-lobby-out", "tamper osdp-default-key:rdr-lobby-out on"}));
  EXPECT_EQ(events[6]["card"], json::parse(R"({"facility": 2643, "number": 163271})"));
  EXPECT_EQ(events[1]["pin"], "1234");
  // Inside a commissioning window the default-key handshake is not an alarm.
  const auto commissioning = pipeline(script, SecurityPolicy{t + std::chrono::hours{2}}, t);
  EXPECT_EQ(commissioning.size(), events.size() - 1);
}

TEST(OsdpScript, SequenceNumbersCycleAndMarkBytesLead) {
  const auto bytes = encode_osdp_script("ack 5\nack 5\nack 5\nack 5\n");
  osdp::Deframer deframer;
  std::vector<int> seqs;
  for (const auto& r : deframer.push(bytes)) seqs.push_back(r.value().sequence);
  EXPECT_EQ(seqs, (std::vector<int>{1, 2, 3, 1}));
  EXPECT_EQ(bytes.front(), osdp::kMarkByte);
}

TEST(OsdpScript, EncryptedAndRawBitsLines) {
  const auto bytes = encode_osdp_script("card 1 H10301 1 1 scs18\nbits 1 10101\n");
  osdp::Deframer deframer;
  Translator translator{lobby_config()};
  std::vector<std::string> notices;
  for (const auto& r : deframer.push(bytes)) {
    auto out = translator.on_frame(r.value(), at("2026-11-27T08:00:00Z"));
    EXPECT_TRUE(out.events.empty());
    for (auto& n : out.notices) notices.push_back(n);
  }
  ASSERT_EQ(notices.size(), 2U);
  EXPECT_NE(notices[0].find("encrypted"), std::string::npos);
  EXPECT_NE(notices[1].find("wrong_length"), std::string::npos);
}

TEST(OsdpScript, MistakesNameTheLine) {
  auto refuses = [](const char* script, const char* needle) {
    try {
      (void)encode_osdp_script(script);
      ADD_FAILURE() << "accepted " << script;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  refuses("ack 1\nwave 1\n", "line 2: unknown command 'wave'");
  refuses("card 1 H10301 256 1", "line 1: ");  // facility out of range for the format
  refuses("card 1 H99 1 1", "unknown card format");
  refuses("ack 127", "address");
  refuses("keys 1 12x4", "line 1");
  refuses("handshake 1 scs12 maybe", "default or scbk");
  refuses("status 1 on fire", "takes 2 argument(s)");
}

}  // namespace
}  // namespace portcullis::gateway
