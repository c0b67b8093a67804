#include "portcullis/gateway/control_panel.hpp"

#include "portcullis/adapters/osdp_replies.hpp"

namespace portcullis::gateway {

namespace osdp = adapters::osdp;
namespace sc = adapters::osdp::sc;

namespace {

constexpr std::uint8_t kReplyAck = 0x40;
constexpr std::uint8_t kReplyNak = 0x41;

std::uint8_t following(std::uint8_t s) {
  return s >= 3 ? 1 : static_cast<std::uint8_t>(s + 1);
}

std::string describe(std::uint8_t address, const std::string& name) {
  return name + " (OSDP address " + std::to_string(address) + ")";
}

}  // namespace

osdp::Frame door_strike_command(std::uint8_t output, std::chrono::seconds open_for) {
  // osdp_OUT: output, control code 0x05 (on for the timer, then back to the permanent state), timer in
  // units of 100 ms, little-endian.
  const auto ticks = static_cast<std::uint16_t>(std::min<long long>(open_for.count() * 10, 0xFFFF));
  osdp::Frame f;
  f.code = kCommandOutput;
  f.data = {output, 0x05, static_cast<std::uint8_t>(ticks & 0xFFU), static_cast<std::uint8_t>(ticks >> 8)};
  return f;
}

osdp::Frame led_command(std::uint8_t reader, bool granted) {
  // osdp_LED, one record: temporary state (control 0x02) steady green or red for 3 s, permanent state
  // untouched (control 0x00).
  const std::uint8_t colour = granted ? 0x02 : 0x01;
  osdp::Frame f;
  f.code = kCommandLed;
  f.data = {reader, 0x00, 0x02, 0x1E, 0x00, colour, colour, 0x1E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  return f;
}

osdp::Frame buzzer_command(std::uint8_t reader) {
  // osdp_BUZ: default tone, 0.2 s on, 0.1 s off, twice.
  osdp::Frame f;
  f.code = kCommandBuzzer;
  f.data = {reader, 0x02, 0x02, 0x01, 0x02};
  return f;
}

ControlPanel::ControlPanel(GatewayConfig config, RandomSource random)
    : config_(std::move(config)), random_(std::move(random)) {
  if (!config_.control_panel) throw std::invalid_argument("ControlPanel needs a control_panel configuration");
  cp_ = *config_.control_panel;
  for (const auto& [address, key] : cp_.pds) {
    Pd pd;
    pd.address = address;
    pd.key = key;
    pd.use_default_key = key.install_mode;
    pds_.push_back(std::move(pd));
  }
}

ControlPanel::Pd* ControlPanel::find(std::uint8_t address) {
  for (auto& pd : pds_)
    if (pd.address == address) return &pd;
  return nullptr;
}

bool ControlPanel::secure(std::uint8_t address) const {
  for (const auto& pd : pds_)
    if (pd.address == address) return pd.phase == Phase::Secure;
  return false;
}

void ControlPanel::queue(std::uint8_t address, osdp::Frame command) {
  if (Pd* pd = find(address)) pd->queued.push_back(std::move(command));
}

std::vector<std::uint8_t> ControlPanel::send(Pd& pd, osdp::Frame frame, SteadyTime now, bool sealed) {
  frame.address = pd.address;
  frame.is_reply = false;
  frame.sequence = pd.next_sequence;
  frame.integrity = osdp::Integrity::Crc16;
  auto wire = sealed ? pd.session->seal(frame) : osdp::build_frame(frame);
  if (!wire.ok()) {
    // Only a frame we built wrongly gets here (too long); drop it rather than stall the bus.
    return {};
  }
  outstanding_ = Outstanding{pd.address, pd.next_sequence, frame.code, now + cp_.reply_timeout};
  pd.next_sequence = following(pd.next_sequence);
  return std::move(wire.value());
}

void ControlPanel::drop_session(Pd& pd, SteadyTime now, std::chrono::milliseconds after) {
  pd.session.reset();
  pd.handshake.reset();
  pd.phase = Phase::Idle;
  pd.next_sequence = 0;  // the next handshake starts the PD's sequence afresh
  pd.retry_at = now + after;
}

void ControlPanel::raise(Output& out, Pd& pd, bool Pd::*flag, const char* kind, const std::string& why,
                         WallTime wall) {
  const auto name = config_.pd_name(pd.address);
  if (pd.*flag) {
    // Already alarmed: a plain notice, which the shell throttles (a PD retried every few seconds).
    out.notices.push_back("still refused: " + describe(pd.address, name) + " " + why);
    return;
  }
  out.notices.push_back("ALARM: " + describe(pd.address, name) + " " + why);
  pd.*flag = true;
  out.events.push_back({{"type", "tamper"},
                        {"time", format_rfc3339(wall)},
                        {"component", std::string(kind) + ":" + name},
                        {"active", true}});
}

void ControlPanel::clear(Output& out, Pd& pd, bool Pd::*flag, const char* kind, WallTime wall) {
  if (!(pd.*flag)) return;
  pd.*flag = false;
  out.events.push_back({{"type", "tamper"},
                        {"time", format_rfc3339(wall)},
                        {"component", std::string(kind) + ":" + config_.pd_name(pd.address)},
                        {"active", false}});
}

std::optional<std::vector<std::uint8_t>> ControlPanel::next_command(WallTime, SteadyTime now) {
  if (pending_write_) {
    auto wire = std::move(*pending_write_);
    pending_write_.reset();
    return wire;
  }
  if (outstanding_ || pds_.empty()) return std::nullopt;
  for (std::size_t tried = 0; tried < pds_.size(); ++tried) {
    Pd& pd = pds_[turn_];
    turn_ = (turn_ + 1) % pds_.size();
    if (pd.phase == Phase::Secure) {
      osdp::Frame command;
      command.code = kCommandPoll;
      if (!pd.queued.empty()) {
        command = std::move(pd.queued.front());
        pd.queued.pop_front();
      }
      auto wire = send(pd, std::move(command), now, true);
      if (!wire.empty()) return wire;
      continue;
    }
    if (pd.phase != Phase::Idle || now < pd.retry_at) continue;
    pd.queued.clear();  // door commands are for the moment they were decided, not for later
    const bool default_key = pd.use_default_key;
    pd.handshake = std::make_unique<sc::ControlPanelHandshake>(
        default_key ? sc::kDefaultScbk : pd.key.scbk,
        default_key ? sc::KeySelector::DefaultInstallKey : sc::KeySelector::BaseKey, random_());
    pd.phase = Phase::AwaitClientCryptogram;
    auto wire = send(pd, pd.handshake->challenge(), now, false);
    if (!wire.empty()) return wire;
  }
  return std::nullopt;
}

Output ControlPanel::on_tick(WallTime, SteadyTime now) {
  Output out;
  if (!outstanding_ || now < outstanding_->deadline) return out;
  Pd* pd = find(outstanding_->address);
  outstanding_.reset();
  if (pd == nullptr) return out;
  // No retransmission on a secure session: the MAC chain has advanced, so a lost reply means a new
  // handshake.
  out.notices.push_back(describe(pd->address, config_.pd_name(pd->address)) + " did not answer in time" +
                        (pd->phase == Phase::Secure ? "; restarting its secure channel" : ""));
  drop_session(*pd, now, pd->phase == Phase::Secure ? std::chrono::milliseconds{0} : retry_after_);
  return out;
}

ControlPanelReceived ControlPanel::on_reply(const osdp::Frame& frame, WallTime wall, SteadyTime now) {
  ControlPanelReceived r;
  if (!frame.is_reply) return r;  // our own command echoed by a half-duplex adapter
  if (!outstanding_ || frame.address != outstanding_->address) {
    r.output.notices.push_back("reply from OSDP address " + std::to_string(frame.address) +
                               " that no command asked for; ignored");
    return r;
  }
  Pd* pd = find(frame.address);
  const Outstanding asked = *outstanding_;
  outstanding_.reset();
  if (pd == nullptr) return r;
  const auto name = config_.pd_name(pd->address);
  if (pd->phase != Phase::Secure && frame.sequence != asked.sequence) {
    r.output.notices.push_back(describe(pd->address, name) +
                               " answered the handshake out of sequence; restarting it");
    drop_session(*pd, now, retry_after_);
    return r;
  }

  switch (pd->phase) {
    case Phase::Idle: return r;
    case Phase::AwaitClientCryptogram: {
      if (!frame.security) {
        raise(r.output, *pd, &Pd::alarm_no_sc, "osdp-no-secure-channel",
              std::string("answered the Secure Channel challenge with ") +
                  std::string(osdp::reply_name(frame.code)) +
                  " in clear: it is refused until it runs a Secure Channel",
              wall);
        drop_session(*pd, now, retry_after_);
        return r;
      }
      auto scrypt = pd->handshake->on_client_cryptogram(frame);
      if (!scrypt.ok()) {
        raise(r.output, *pd, &Pd::alarm_wrong_key, "osdp-wrong-key",
              "failed the Secure Channel handshake: " + scrypt.error().reason, wall);
        drop_session(*pd, now, retry_after_);
        return r;
      }
      pd->phase = Phase::AwaitInitialRmac;
      // osdp_SCRYPT is the very next packet on the bus: next_command() hands it out first.
      auto wire = send(*pd, std::move(scrypt.value()), now, false);
      if (!wire.empty()) pending_write_ = std::move(wire);
      return r;
    }
    case Phase::AwaitInitialRmac: {
      if (!frame.security && frame.code == kReplyNak) {
        raise(r.output, *pd, &Pd::alarm_wrong_key, "osdp-wrong-key",
              "refused the control panel's cryptogram (osdp_NAK): it holds another key", wall);
        drop_session(*pd, now, retry_after_);
        return r;
      }
      auto session = pd->handshake->on_initial_rmac(frame);
      pd->handshake.reset();
      if (!session.ok()) {
        raise(r.output, *pd, &Pd::alarm_wrong_key, "osdp-wrong-key",
              "failed the Secure Channel handshake: " + session.error().reason, wall);
        drop_session(*pd, now, retry_after_);
        return r;
      }
      pd->session.emplace(std::move(session.value()));
      pd->phase = Phase::Secure;
      clear(r.output, *pd, &Pd::alarm_wrong_key, "osdp-wrong-key", wall);
      clear(r.output, *pd, &Pd::alarm_no_sc, "osdp-no-secure-channel", wall);
      clear(r.output, *pd, &Pd::alarm_downgrade, "osdp-downgrade", wall);
      if (pd->use_default_key) {
        r.output.notices.push_back(
            describe(pd->address, name) +
            ": secure channel on the install key SCBK-D (install_mode); setting its own key");
        pd->queued.push_front(sc::key_set_command(pd->key.scbk));
        pd->key_set_sent = true;
      } else {
        r.output.notices.push_back(describe(pd->address, name) + ": secure channel established");
      }
      return r;
    }
    case Phase::Secure: break;
  }

  // On the wire a reply is exactly what the frame rebuilds to (reserved control bits aside, which a PD
  // must send as zero): the MAC is checked over those bytes.
  const auto wire = osdp::build_frame(frame);
  auto opened = wire.ok() ? pd->session->open(*wire) : adapters::Result<osdp::Frame>(wire.error());
  if (!opened.ok()) {
    raise(r.output, *pd, &Pd::alarm_downgrade, "osdp-downgrade",
          "sent a reply the secure channel refuses (" +
              std::string(adapters::to_string(opened.error().code)) + ": " + opened.error().reason +
              "); dropped, session restarted",
          wall);
    drop_session(*pd, now, std::chrono::milliseconds{0});
    return r;
  }
  osdp::Frame clear_frame = std::move(opened.value());
  clear_frame.security.reset();
  clear_frame.mac.reset();
  if (asked.code == sc::kCommandKeySet && pd->key_set_sent) {
    pd->key_set_sent = false;
    if (clear_frame.code == kReplyAck) {
      pd->use_default_key = false;
      r.output.notices.push_back(
          describe(pd->address, name) +
          " accepted its own key; reconnecting on it (turn install_mode off in the config)");
      drop_session(*pd, now, std::chrono::milliseconds{0});
    } else {
      r.output.notices.push_back(describe(pd->address, name) + " refused osdp_KEYSET; it keeps SCBK-D");
    }
    return r;
  }
  if (clear_frame.code == kReplyNak) {
    r.output.notices.push_back(describe(pd->address, name) + " answered osdp_NAK to command " +
                               std::to_string(asked.code));
    return r;
  }
  if (clear_frame.code != kReplyAck) r.replies.push_back(std::move(clear_frame));
  return r;
}

}  // namespace portcullis::gateway
