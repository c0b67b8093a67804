#pragma once
// SimulatedPd: the Peripheral Device side of OSDP for the PD simulator and the gateway's tests. Pure: each
// command frame in gives at most one reply packet out; randomness is passed in.
//
// With Secure Channel on (the default) it answers osdp_CHLNG / osdp_SCRYPT with sc::PeripheralHandshake
// (SCBK-D only in install mode), then opens every command through its session and seals every reply.
// A command it cannot open (bad MAC, out of sequence, plaintext while secure) is answered osdp_NAK in clear
// and the session dropped, as a real PD does. osdp_POLL is answered with the next presented card
// (osdp_RAW) or osdp_ACK; osdp_OUT, osdp_LED and osdp_BUZ are recorded and acknowledged; osdp_KEYSET
// replaces the key (acknowledged on the old session, used from the next handshake).
//
// Test behaviours: secure_channel = false answers every command in clear (a PD without Secure Channel);
// inject_plaintext_next() sends the next card read in clear while a session is up, which is what an
// attacker on the wire does to inject a read (a downgrade).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_secure_channel.hpp"

namespace portcullis::osdp_pd {

struct SimulatedPdOptions {
  std::uint8_t address = 1;
  adapters::osdp::sc::Key scbk{};
  bool install_mode = false;
  bool secure_channel = true;
  adapters::osdp::sc::ClientUid uid{0x5C, 0x26, 0x23, 0x01, 0x00, 0x00, 0x00, 0x01};
};

struct ReceivedCommand {
  std::uint8_t code = 0;
  std::vector<std::uint8_t> data;  // in clear
  bool secure = false;             // arrived through the secure session
};

class SimulatedPd {
 public:
  using RandomSource = std::function<adapters::osdp::sc::Random()>;
  SimulatedPd(SimulatedPdOptions options, RandomSource random);

  // A command frame from the bus (any address); the reply packet when it is for this PD.
  [[nodiscard]] std::optional<std::vector<std::uint8_t>> on_command(const adapters::osdp::Frame& command);

  // Queues an H10301 card read for the next poll.
  void present_card(std::uint32_t facility, std::uint32_t number, std::uint8_t reader = 0);
  void inject_plaintext_next() noexcept { inject_plaintext_ = true; }

  [[nodiscard]] bool secure() const noexcept { return session_.has_value(); }
  [[nodiscard]] std::size_t sessions_established() const noexcept { return sessions_; }
  [[nodiscard]] const std::vector<ReceivedCommand>& received() const noexcept { return received_; }
  [[nodiscard]] std::size_t pending_cards() const noexcept { return cards_.size(); }
  [[nodiscard]] bool key_was_set() const noexcept { return key_set_; }

 private:
  std::vector<std::uint8_t> reply(const adapters::osdp::Frame& to, std::uint8_t code,
                                  std::vector<std::uint8_t> data, bool sealed);
  std::vector<std::uint8_t> nak(const adapters::osdp::Frame& to, std::uint8_t error);
  std::vector<std::uint8_t> answer(const adapters::osdp::Frame& command, bool sealed);

  SimulatedPdOptions options_;
  RandomSource random_;
  std::unique_ptr<adapters::osdp::sc::PeripheralHandshake> handshake_;
  std::optional<adapters::osdp::sc::Session> session_;
  std::deque<std::vector<std::uint8_t>> cards_;  // osdp_RAW data
  std::vector<ReceivedCommand> received_;
  std::size_t sessions_ = 0;
  bool inject_plaintext_ = false;
  bool key_set_ = false;
  std::optional<adapters::osdp::sc::Key> next_key_;
};

}  // namespace portcullis::osdp_pd
