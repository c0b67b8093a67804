// The gateway as OSDP Control Panel against the simulated PD, byte for byte through the codec: Secure
// Channel set-up, card reads, door commands, and the refusals (wrong key, no Secure Channel, downgrade).
#include "portcullis/gateway/control_panel.hpp"

#include <gtest/gtest.h>

#include "portcullis/adapters/osdp_deframer.hpp"
#include "portcullis/adapters/osdp_replies.hpp"
#include "portcullis/osdp_pd/simulated_pd.hpp"

namespace gw = portcullis::gateway;
namespace osdp = portcullis::adapters::osdp;
namespace sc = portcullis::adapters::osdp::sc;
using portcullis::osdp_pd::SimulatedPd;
using portcullis::osdp_pd::SimulatedPdOptions;

namespace {

constexpr sc::Key kSiteKey{0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE,
                           0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
constexpr sc::Key kOtherKey{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10};

std::function<sc::Random()> counter_random(std::uint8_t start) {
  return [n = start]() mutable {
    sc::Random r{};
    for (auto& b : r) b = n++;
    return r;
  };
}

gw::GatewayConfig config(bool install_mode = false) {
  gw::GatewayConfig c;
  c.readers[{1, -1}] = "rdr-lobby-in";
  gw::ControlPanelConfig cp;
  cp.transport = "serial:/dev/null";
  cp.pds[1] = gw::PeripheralKey{kSiteKey, install_mode};
  c.control_panel = cp;
  return c;
}

struct Bus {
  gw::ControlPanel cp;
  SimulatedPd pd;
  osdp::Deframer to_pd, to_cp;
  gw::SteadyTime now{};
  std::vector<nlohmann::json> events;
  std::vector<std::string> notices;
  std::vector<osdp::Frame> replies;

  Bus(gw::GatewayConfig c, SimulatedPdOptions o)
      : cp(std::move(c), counter_random(0xB0)), pd(o, counter_random(0xA0)) {}

  // One command and its answer (if any); returns false when the panel had nothing to send.
  bool step() {
    now += std::chrono::milliseconds{50};
    const auto wall = gw::WallClock::now();
    auto tick = cp.on_tick(wall, now);
    collect(tick);
    const auto command = cp.next_command(wall, now);
    if (!command) return false;
    for (const auto& f : to_pd.push(*command)) {
      EXPECT_TRUE(f.ok());
      const auto answer = pd.on_command(f.value());
      if (!answer) continue;
      for (const auto& r : to_cp.push(*answer)) {
        EXPECT_TRUE(r.ok());
        auto got = cp.on_reply(r.value(), wall, now);
        collect(got.output);
        for (auto& frame : got.replies) replies.push_back(std::move(frame));
      }
    }
    return true;
  }
  void run(int steps) {
    for (int i = 0; i < steps; ++i) {
      if (!step()) now += std::chrono::seconds{1};
    }
  }
  void collect(gw::Output& out) {
    for (auto& e : out.events) events.push_back(std::move(e));
    for (auto& n : out.notices) notices.push_back(std::move(n));
  }
  [[nodiscard]] int alarms(const std::string& component, bool active) const {
    int n = 0;
    for (const auto& e : events)
      if (e["component"] == component && e["active"] == active) ++n;
    return n;
  }
};

SimulatedPdOptions pd_with(const sc::Key& key) {
  SimulatedPdOptions o;
  o.address = 1;
  o.scbk = key;
  return o;
}

}  // namespace

TEST(ControlPanel, EstablishesTheSecureChannelAndReadsCardsThroughIt) {
  Bus bus{config(), pd_with(kSiteKey)};
  bus.run(3);
  ASSERT_TRUE(bus.cp.secure(1));
  ASSERT_TRUE(bus.pd.secure());
  bus.pd.present_card(42, 10001);
  bus.run(2);
  ASSERT_EQ(bus.replies.size(), 1U);
  const auto reply = osdp::decode_reply(bus.replies[0]);
  ASSERT_TRUE(reply.ok()) << reply.error().reason;
  EXPECT_EQ(std::get<osdp::RawCardRead>(reply.value()).bits.size(), 26U);
  EXPECT_TRUE(bus.events.empty()) << bus.events.front().dump();
}

TEST(ControlPanel, DoorCommandsReachThePdEncrypted) {
  Bus bus{config(), pd_with(kSiteKey)};
  bus.run(3);
  bus.cp.queue(1, gw::door_strike_command(0, std::chrono::seconds{5}));
  bus.cp.queue(1, gw::led_command(0, true));
  bus.run(3);
  std::vector<portcullis::osdp_pd::ReceivedCommand> doors;
  for (const auto& c : bus.pd.received())
    if (c.code != gw::kCommandPoll) doors.push_back(c);
  ASSERT_EQ(doors.size(), 2U);
  EXPECT_EQ(doors[0].code, gw::kCommandOutput);
  EXPECT_EQ(doors[0].data, (std::vector<std::uint8_t>{0x00, 0x05, 50, 0}));  // output 0, on for 5.0 s
  EXPECT_TRUE(doors[0].secure);
  EXPECT_EQ(doors[1].code, gw::kCommandLed);
  EXPECT_TRUE(doors[1].secure);
}

TEST(ControlPanel, APdWithAnotherKeyIsRefusedAndAlarmedOnce) {
  Bus bus{config(), pd_with(kOtherKey)};
  bus.pd.present_card(42, 10001);
  bus.run(12);
  EXPECT_FALSE(bus.cp.secure(1));
  EXPECT_TRUE(bus.replies.empty());
  EXPECT_EQ(bus.alarms("osdp-wrong-key:rdr-lobby-in", true), 1);
  EXPECT_EQ(bus.pd.pending_cards(), 1U) << "nothing may be polled out of a PD that failed the handshake";
}

TEST(ControlPanel, APdWithoutSecureChannelIsRefusedAndAlarmed) {
  auto options = pd_with(kSiteKey);
  options.secure_channel = false;
  Bus bus{config(), options};
  bus.run(6);
  EXPECT_FALSE(bus.cp.secure(1));
  EXPECT_EQ(bus.alarms("osdp-no-secure-channel:rdr-lobby-in", true), 1);
}

TEST(ControlPanel, APlaintextCardReadOnASecureChannelIsDroppedAndAlarmed) {
  Bus bus{config(), pd_with(kSiteKey)};
  bus.run(3);
  ASSERT_TRUE(bus.cp.secure(1));
  bus.pd.inject_plaintext_next();
  bus.pd.present_card(42, 10001);
  bus.run(1);
  EXPECT_TRUE(bus.replies.empty()) << "the injected read was translated";
  EXPECT_EQ(bus.alarms("osdp-downgrade:rdr-lobby-in", true), 1);
  EXPECT_FALSE(bus.cp.secure(1));
  // The panel starts a new session at once; the next genuine read goes through and clears the alarm.
  bus.run(3);
  EXPECT_TRUE(bus.cp.secure(1));
  EXPECT_EQ(bus.alarms("osdp-downgrade:rdr-lobby-in", false), 1);
  bus.pd.present_card(42, 10002);
  bus.run(2);
  EXPECT_EQ(bus.replies.size(), 1U);
}

TEST(ControlPanel, InstallModeSetsThePdsOwnKeyThenUsesIt) {
  auto options = pd_with(kOtherKey);  // factory key unknown to us; install mode answers on SCBK-D
  options.install_mode = true;
  Bus bus{config(/*install_mode=*/true), options};
  bus.run(10);
  EXPECT_TRUE(bus.pd.key_was_set());
  EXPECT_TRUE(bus.cp.secure(1));
  EXPECT_EQ(bus.pd.sessions_established(), 2U);  // on SCBK-D, then on the key just set
  EXPECT_TRUE(bus.events.empty());
}

TEST(ControlPanel, WithoutInstallModeTheDefaultKeyIsNeverOffered) {
  auto options = pd_with(kOtherKey);
  options.install_mode = true;  // the PD would accept SCBK-D, but the config does not allow it
  Bus bus{config(/*install_mode=*/false), options};
  bus.run(6);
  EXPECT_FALSE(bus.cp.secure(1));
  EXPECT_FALSE(bus.pd.key_was_set());
  EXPECT_EQ(bus.alarms("osdp-wrong-key:rdr-lobby-in", true), 1);
}
