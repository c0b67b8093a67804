#pragma once
// ControlPanel: the gateway as the OSDP bus master. Pure: time, randomness and bytes are passed in; the
// shell writes what next_command() returns and feeds back every packet the deframer yields.
//
// One command is outstanding at a time; the PDs of the config are served round robin. Per PD:
//   handshake   osdp_CHLNG on the PD's SCBK (on SCBK-D only when its install_mode is set), check the
//               PD's cryptogram, osdp_SCRYPT, check the initial R-MAC. In install mode, osdp_KEYSET then
//               sets the PD's own key and the next session uses it.
//   secure      queued commands (door strike, LED, buzzer) first, else osdp_POLL; every command sealed
//               (MAC, data encrypted), every reply opened (MAC checked, data decrypted) and handed back
//               in clear for translation.
//   refused     wrong key, no Secure Channel, a plaintext or bad-MAC reply on a secure session (a
//               downgrade or injection), a reply out of sequence: the session is dropped, an alarm is
//               raised and the handshake is retried after `retry_after`. Nothing a refused reply says
//               (card reads included) is translated.
//
// Alarms are device-API tamper events (see security_watch.hpp for the naming), raised once per episode
// and cleared (active false) when a session on the right key is established again:
//   osdp-wrong-key:<pd>          the PD's cryptogram does not match its configured key (or it refused ours)
//   osdp-no-secure-channel:<pd>  the PD answered the challenge in clear (NAK or anything else)
//   osdp-downgrade:<pd>          plaintext, a bad MAC, or an out-of-sequence reply on a secure session
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_secure_channel.hpp"
#include "portcullis/gateway/config.hpp"
#include "portcullis/gateway/output.hpp"

namespace portcullis::gateway {

using SteadyTime = std::chrono::steady_clock::time_point;

inline constexpr std::uint8_t kCommandPoll = 0x60;
inline constexpr std::uint8_t kCommandOutput = 0x68;  // osdp_OUT
inline constexpr std::uint8_t kCommandLed = 0x69;     // osdp_LED
inline constexpr std::uint8_t kCommandBuzzer = 0x6A;  // osdp_BUZ

// The door commands the gateway sends for a verdict.
[[nodiscard]] adapters::osdp::Frame door_strike_command(std::uint8_t output, std::chrono::seconds open_for);
[[nodiscard]] adapters::osdp::Frame led_command(std::uint8_t reader, bool granted);
[[nodiscard]] adapters::osdp::Frame buzzer_command(std::uint8_t reader);

struct ControlPanelReceived {
  Output output;                               // alarms and log lines
  std::vector<adapters::osdp::Frame> replies;  // opened replies (data in clear), to translate
};

class ControlPanel {
 public:
  using RandomSource = std::function<adapters::osdp::sc::Random()>;

  ControlPanel(GatewayConfig config, RandomSource random);

  // The next packet to write when no command is outstanding (nullopt while waiting for a reply or for
  // every PD's retry time).
  [[nodiscard]] std::optional<std::vector<std::uint8_t>> next_command(WallTime wall, SteadyTime now);
  // One packet from the bus (as the deframer yielded it).
  [[nodiscard]] ControlPanelReceived on_reply(const adapters::osdp::Frame& frame, WallTime wall,
                                              SteadyTime now);
  // Call regularly: gives up on an outstanding command after the reply timeout.
  [[nodiscard]] Output on_tick(WallTime wall, SteadyTime now);
  // Queues a command for a PD; sent only over its secure session, dropped (logged) when the PD has none.
  void queue(std::uint8_t address, adapters::osdp::Frame command);

  [[nodiscard]] bool secure(std::uint8_t address) const;
  [[nodiscard]] bool awaiting_reply() const noexcept { return outstanding_.has_value(); }

 private:
  enum class Phase { Idle, AwaitClientCryptogram, AwaitInitialRmac, Secure };
  struct Pd {
    std::uint8_t address = 0;
    PeripheralKey key;
    bool use_default_key = false;  // install mode, until KEYSET is acknowledged
    Phase phase = Phase::Idle;
    std::unique_ptr<adapters::osdp::sc::ControlPanelHandshake> handshake;
    std::optional<adapters::osdp::sc::Session> session;
    std::uint8_t next_sequence = 0;
    SteadyTime retry_at{};
    std::deque<adapters::osdp::Frame> queued;
    bool key_set_sent = false;
    bool alarm_wrong_key = false, alarm_no_sc = false, alarm_downgrade = false;
  };
  struct Outstanding {
    std::uint8_t address = 0;
    std::uint8_t sequence = 0;
    std::uint8_t code = 0;
    SteadyTime deadline{};
  };

  std::vector<std::uint8_t> send(Pd& pd, adapters::osdp::Frame frame, SteadyTime now, bool sealed);
  void drop_session(Pd& pd, SteadyTime now, std::chrono::milliseconds after);
  void raise(Output& out, Pd& pd, bool Pd::*flag, const char* kind, const std::string& why, WallTime wall);
  void clear(Output& out, Pd& pd, bool Pd::*flag, const char* kind, WallTime wall);
  Pd* find(std::uint8_t address);

  GatewayConfig config_;
  ControlPanelConfig cp_;
  RandomSource random_;
  std::vector<Pd> pds_;
  std::size_t turn_ = 0;
  std::optional<Outstanding> outstanding_;
  std::optional<std::vector<std::uint8_t>> pending_write_;  // osdp_SCRYPT, written before anything else
  std::chrono::milliseconds retry_after_{2000};
};

}  // namespace portcullis::gateway
