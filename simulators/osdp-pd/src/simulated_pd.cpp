#include "portcullis/osdp_pd/simulated_pd.hpp"

#include "portcullis/adapters/osdp_replies.hpp"
#include "portcullis/adapters/wiegand.hpp"

namespace portcullis::osdp_pd {

namespace osdp = adapters::osdp;
namespace sc = adapters::osdp::sc;

namespace {
constexpr std::uint8_t kPoll = 0x60;
constexpr std::uint8_t kAck = 0x40;
constexpr std::uint8_t kNak = 0x41;
constexpr std::uint8_t kRaw = 0x50;
}  // namespace

SimulatedPd::SimulatedPd(SimulatedPdOptions options, RandomSource random)
    : options_(options), random_(std::move(random)) {}

void SimulatedPd::present_card(std::uint32_t facility, std::uint32_t number, std::uint8_t reader) {
  const auto credential = adapters::wiegand::encode(adapters::wiegand::Format::H10301_26, facility, number);
  if (!credential.ok()) return;
  const auto payload = osdp::encode_reply(osdp::RawCardRead{
      reader, static_cast<std::uint8_t>(osdp::RawCardFormat::Wiegand), credential->raw_bits});
  if (payload.ok()) cards_.push_back(payload->data);
}

std::vector<std::uint8_t> SimulatedPd::reply(const osdp::Frame& to, std::uint8_t code,
                                             std::vector<std::uint8_t> data, bool sealed) {
  osdp::Frame f;
  f.address = options_.address;
  f.is_reply = true;
  f.sequence = to.sequence;
  f.integrity = to.integrity;
  f.code = code;
  f.data = std::move(data);
  auto wire = sealed && session_ ? session_->seal(f) : osdp::build_frame(f);
  return wire.ok() ? std::move(wire.value()) : std::vector<std::uint8_t>{};
}

std::vector<std::uint8_t> SimulatedPd::nak(const osdp::Frame& to, std::uint8_t error) {
  session_.reset();
  handshake_.reset();
  return reply(to, kNak, {error}, false);
}

std::optional<std::vector<std::uint8_t>> SimulatedPd::on_command(const osdp::Frame& command) {
  if (command.is_reply || (command.address != options_.address && command.address != osdp::kBroadcastAddress))
    return std::nullopt;
  const auto type = command.security ? std::optional{command.security->type} : std::nullopt;
  if (!options_.secure_channel) {
    if (type) return nak(command, static_cast<std::uint8_t>(osdp::NakError::SecurityBlockNotSupported));
    return answer(command, false);
  }
  if (type == osdp::SecureBlockType::Scs11) {
    session_.reset();
    handshake_ =
        std::make_unique<sc::PeripheralHandshake>(options_.scbk, options_.install_mode, options_.uid);
    auto ccrypt = handshake_->on_challenge(command, random_());
    if (!ccrypt.ok())
      return nak(command, static_cast<std::uint8_t>(osdp::NakError::SecurityBlockNotSupported));
    auto wire = osdp::build_frame(*ccrypt);
    return wire.ok() ? std::optional{std::move(wire.value())} : std::nullopt;
  }
  if (type == osdp::SecureBlockType::Scs13) {
    if (!handshake_) return nak(command, static_cast<std::uint8_t>(osdp::NakError::UnexpectedSequence));
    auto done = handshake_->on_server_cryptogram(command);
    handshake_.reset();
    if (!done.ok()) return nak(command, static_cast<std::uint8_t>(osdp::NakError::SecurityBlockNotSupported));
    session_.emplace(std::move(done.value().session));
    ++sessions_;
    auto wire = osdp::build_frame(done.value().reply);
    return wire.ok() ? std::optional{std::move(wire.value())} : std::nullopt;
  }
  if (!session_) {
    // Secure Channel is required: nothing is served in clear.
    return nak(command, static_cast<std::uint8_t>(osdp::NakError::EncryptionRequired));
  }
  const auto wire = osdp::build_frame(command);
  auto opened = wire.ok() ? session_->open(*wire) : adapters::Result<osdp::Frame>(wire.error());
  if (!opened.ok()) return nak(command, static_cast<std::uint8_t>(osdp::NakError::EncryptionRequired));
  return answer(*opened, true);
}

std::vector<std::uint8_t> SimulatedPd::answer(const osdp::Frame& command, bool sealed) {
  received_.push_back(ReceivedCommand{command.code, command.data, sealed});
  if (command.code == sc::kCommandKeySet) {
    const auto key = sc::parse_key_set(command);
    if (!key.ok() || !sealed) return reply(command, kNak, {0x09}, sealed);
    auto ack = reply(command, kAck, {}, true);
    options_.scbk = *key;
    options_.install_mode = false;
    key_set_ = true;
    session_.reset();
    return ack;
  }
  if (command.code == kPoll && !cards_.empty()) {
    auto data = std::move(cards_.front());
    cards_.pop_front();
    const bool in_clear = inject_plaintext_;
    inject_plaintext_ = false;
    if (in_clear && sealed) {
      // The injected read does not come from the session: the PD's MAC chain is not advanced.
      return reply(command, kRaw, std::move(data), false);
    }
    return reply(command, kRaw, std::move(data), sealed);
  }
  return reply(command, kAck, {}, sealed);
}

}  // namespace portcullis::osdp_pd
