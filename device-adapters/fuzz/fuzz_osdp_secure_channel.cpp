// Fuzz the OSDP Secure Channel: arbitrary packets into both sides of an established session and into
// every handshake step, plus seal/open round trips whose sealed bytes the fuzzer then corrupts.
// Invariants: nothing crashes; a refused packet closes the session; a session never opens a packet
// it did not get from the other side intact (any changed byte is refused); opened data equals what
// was sealed.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.hpp"
#include "portcullis/adapters/osdp_secure_channel.hpp"

namespace osdp = portcullis::adapters::osdp;
namespace sc = portcullis::adapters::osdp::sc;

namespace {

constexpr sc::Key kKey{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                       0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
constexpr sc::Random kCpRandom{1, 2, 3, 4, 5, 6, 7, 8};
constexpr sc::Random kPdRandom{9, 10, 11, 12, 13, 14, 15, 16};
constexpr sc::ClientUid kUid{0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7};

struct Pair {
  sc::Session panel;
  sc::Session peripheral;
};

Pair establish() {
  sc::ControlPanelHandshake cp{kKey, sc::KeySelector::BaseKey, kCpRandom};
  sc::PeripheralHandshake pd{kKey, false, kUid};
  auto challenge = cp.challenge();
  challenge.sequence = 1;
  auto ccrypt = pd.on_challenge(challenge, kPdRandom);
  FUZZ_CHECK(ccrypt.ok());
  auto scrypt = cp.on_client_cryptogram(*ccrypt);
  FUZZ_CHECK(scrypt.ok());
  auto s = scrypt.value();
  s.sequence = 2;
  auto established = pd.on_server_cryptogram(s);
  FUZZ_CHECK(established.ok());
  auto session = cp.on_initial_rmac(established->reply);
  FUZZ_CHECK(session.ok());
  return Pair{std::move(session.value()), std::move(established.value().session)};
}

void open_arbitrary(std::span<const std::uint8_t> bytes) {
  auto pair = establish();
  for (sc::Session* s : {&pair.panel, &pair.peripheral}) {
    const auto r = s->open(bytes);
    if (!r.ok()) {
      FUZZ_CHECK(!r.error().reason.empty());
      FUZZ_CHECK(s->closed());
      FUZZ_CHECK(s->open(bytes).error().code == portcullis::adapters::ErrorCode::SessionClosed);
    } else {
      FUZZ_CHECK(r->security.has_value() && r->mac.has_value());
    }
  }
}

void handshake_arbitrary(std::span<const std::uint8_t> bytes) {
  const auto frame = osdp::parse_frame(bytes);
  if (!frame.ok()) return;
  sc::ControlPanelHandshake cp{kKey, sc::KeySelector::BaseKey, kCpRandom};
  const auto scrypt = cp.on_client_cryptogram(*frame);
  if (scrypt.ok()) FUZZ_CHECK(scrypt->code == sc::kCommandServerCryptogram);
  (void)cp.on_initial_rmac(*frame);
  sc::PeripheralHandshake pd{kKey, (bytes.size() & 1U) != 0, kUid};
  const auto ccrypt = pd.on_challenge(*frame, kPdRandom);
  if (ccrypt.ok()) FUZZ_CHECK(ccrypt->code == sc::kReplyClientCryptogram && ccrypt->data.size() == 32);
  (void)pd.on_server_cryptogram(*frame);
  (void)sc::parse_key_set(*frame);
}

// data[0]: corruption position, data[1]: corruption mask, rest: the command's code and data.
void round_trip(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 3) return;
  auto pair = establish();
  osdp::Frame command;
  command.address = 1;
  command.sequence = 3;  // the handshake used 1 and 2
  command.code = bytes[2];
  const auto payload = bytes.subspan(3, std::min<std::size_t>(bytes.size() - 3, 600));
  command.data.assign(payload.begin(), payload.end());
  const auto sealed = pair.panel.seal(command);
  FUZZ_CHECK(sealed.ok());
  auto corrupted = sealed.value();
  const std::uint8_t mask = bytes[1];
  if (mask != 0) {
    corrupted[bytes[0] % corrupted.size()] ^= mask;
    FUZZ_CHECK(!pair.peripheral.open(corrupted).ok());
    FUZZ_CHECK(pair.peripheral.closed());
    return;
  }
  const auto opened = pair.peripheral.open(sealed.value());
  FUZZ_CHECK(opened.ok());
  FUZZ_CHECK(opened->code == command.code && opened->data == command.data);
  // A replay of the same command is refused: the sequence and the MAC chain have moved on.
  FUZZ_CHECK(!pair.peripheral.open(sealed.value()).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto rest = std::span<const std::uint8_t>(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: open_arbitrary(rest); break;
    case 1: handshake_arbitrary(rest); break;
    default: round_trip(rest); break;
  }
  return 0;
}
