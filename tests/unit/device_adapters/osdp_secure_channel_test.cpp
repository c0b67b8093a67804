// OSDP Secure Channel: published vectors pinned as facts, then the handshake, the session's MAC
// chain, encryption, downgrade, replay and key set behaviour.
#include "portcullis/adapters/osdp_secure_channel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace osdp = portcullis::adapters::osdp;
namespace sc = portcullis::adapters::osdp::sc;
using portcullis::adapters::ErrorCode;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes bytes_of(std::span<const std::uint8_t> s) {
  return Bytes(s.begin(), s.end());
}

// --- SIA OSDP 2.2 Annex E ("Examples"), secure channel on SCBK-D. The numbers as libosdp pins
// them in tests/unit-tests/test-sc-sia-vectors.c (github.com/goToMain/libosdp, commit 45d03d8),
// where the spec's "host cryptogram" is the server cryptogram (CP -> PD, osdp_SCRYPT) and its
// "client cryptogram" the one the PD sends in osdp_CCRYPT. The SIA conformance tool's
// osdp-sc-calc (github.com/Security-Industry-Association/libosdp-conformance,
// test/raw-decoder/osdp-sc-calc.c) checks the same layout: the client cryptogram decrypts to
// RND.A first, the server cryptogram to RND.B first.
constexpr sc::Random kAnnexECpRandom{0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7};  // RND.A
constexpr sc::Random kAnnexEPdRandom{0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7};  // RND.B
constexpr sc::Key kAnnexESmac1{0x5E, 0x86, 0xC6, 0x76, 0x60, 0x3B, 0xDE, 0xE2,
                               0xD8, 0xBE, 0xAF, 0xE1, 0x78, 0x63, 0x73, 0x32};
constexpr sc::Key kAnnexESmac2{0x6F, 0xDA, 0x86, 0xE8, 0x57, 0x77, 0x7E, 0x81,
                               0x13, 0x20, 0x35, 0x75, 0x82, 0x39, 0x17, 0x2E};
constexpr sc::Key kAnnexESenc{0xBF, 0x8D, 0xC2, 0xA8, 0x32, 0x9A, 0xCB, 0x8C,
                              0x67, 0xC6, 0xD0, 0xCD, 0x9A, 0x45, 0x16, 0x82};
constexpr sc::Block kAnnexEServerCryptogram{0x26, 0xD3, 0x35, 0x6E, 0x07, 0x76, 0x2D, 0x26,
                                            0x28, 0x01, 0xFC, 0x8E, 0x66, 0x65, 0xA8, 0x91};
constexpr sc::Block kAnnexEClientCryptogram{0xFD, 0xE5, 0xD2, 0xF4, 0x28, 0xEC, 0x16, 0x31,
                                            0x24, 0x71, 0xEA, 0x3C, 0x02, 0xBD, 0x77, 0x96};
constexpr sc::Block kAnnexEInitialRmac{0xB2, 0xA3, 0x00, 0x57, 0xEB, 0x98, 0xBA, 0x22,
                                       0x29, 0xEC, 0x1F, 0x87, 0x56, 0x62, 0xB5, 0x24};

// --- MAC and data block vectors: libosdp tests/unit-tests/test-sc.c (same commit), built on
// NIST SP 800-38A F.2.1 (AES-128-CBC): key 2B7E..., IV 0001...0F, with S-MAC1 = S-MAC2 = S-ENC = the
// NIST key, so the OSDP MAC of whole blocks is the last NIST ciphertext block.
constexpr sc::Key kNistKey{0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                           0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
constexpr sc::Block kNistIv{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                            0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
const Bytes kNistPlain{0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73,
                       0x93, 0x17, 0x2a, 0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c, 0x9e, 0xb7,
                       0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51, 0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4,
                       0x11, 0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef, 0xf6, 0x9f, 0x24, 0x45,
                       0xdf, 0x4f, 0x9b, 0x17, 0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10};
constexpr sc::Block kNistCipherBlock1{0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
                                      0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d};
constexpr sc::Block kNistCipherBlock4{0x3f, 0xf1, 0xca, 0xa1, 0x68, 0x1f, 0xac, 0x09,
                                      0x12, 0x0e, 0xca, 0x30, 0x75, 0x86, 0xe1, 0xa7};
// AES-128-CBC(NIST key, NIST IV) over 00..0E 80: the MAC of a 15-byte message and the encryption
// of a 15-byte data block.
const Bytes kPadded15Cipher{0xc5, 0x31, 0x1f, 0x3d, 0x23, 0xd0, 0x86, 0xea,
                            0x86, 0xf5, 0xee, 0x7f, 0x85, 0x24, 0x7b, 0x40};
// ... over 00..0F 80 00*15: a 16-byte data block takes two blocks.
const Bytes kPadded16Cipher{0x7d, 0xf7, 0x6b, 0x0c, 0x1a, 0xb8, 0x99, 0xb3, 0x3e, 0x42, 0xf0,
                            0x47, 0xb9, 0x1b, 0x54, 0x6f, 0xe2, 0xfe, 0x5b, 0xd6, 0xc1, 0xdf,
                            0xcd, 0xd1, 0x91, 0x24, 0xf0, 0x3e, 0x1a, 0x13, 0x4d, 0x3b};
// ... over 80 00*15: an empty data block.
const Bytes kPadded0Cipher{0x4c, 0x08, 0x22, 0x0c, 0x79, 0xd9, 0x19, 0x10,
                           0x22, 0xdc, 0x66, 0x74, 0x87, 0x4c, 0xea, 0xf8};

Bytes counting(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i);
  return b;
}

sc::SessionKeys nist_keys() {
  return sc::SessionKeys{kNistKey, kNistKey, kNistKey};
}

// The data-block IV is the complement of the previous MAC: this previous MAC gives the NIST IV.
sc::Block complement(const sc::Block& b) {
  sc::Block out{};
  for (std::size_t i = 0; i < b.size(); ++i) out[i] = static_cast<std::uint8_t>(~b[i]);
  return out;
}

}  // namespace

TEST(OsdpSecureChannelVectors, AnnexESessionKeysFromTheDefaultKey) {
  const auto keys = sc::derive_session_keys(sc::kDefaultScbk, kAnnexECpRandom);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->enc, kAnnexESenc);
  EXPECT_EQ(keys->mac1, kAnnexESmac1);
  EXPECT_EQ(keys->mac2, kAnnexESmac2);
}

TEST(OsdpSecureChannelVectors, AnnexECryptogramsAndInitialRmac) {
  const auto keys = sc::derive_session_keys(sc::kDefaultScbk, kAnnexECpRandom);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*sc::client_cryptogram(*keys, kAnnexECpRandom, kAnnexEPdRandom), kAnnexEClientCryptogram);
  EXPECT_EQ(*sc::server_cryptogram(*keys, kAnnexECpRandom, kAnnexEPdRandom), kAnnexEServerCryptogram);
  EXPECT_EQ(*sc::initial_rmac(*keys, kAnnexEServerCryptogram), kAnnexEInitialRmac);
}

TEST(OsdpSecureChannelVectors, AnnexEHandshakeOnBothSidesProducesThePublishedMessages) {
  sc::ControlPanelHandshake cp{sc::kDefaultScbk, sc::KeySelector::DefaultInstallKey, kAnnexECpRandom};
  sc::PeripheralHandshake pd{sc::kDefaultScbk, /*install_mode=*/true, sc::ClientUid{}};
  auto challenge = cp.challenge();
  EXPECT_EQ(challenge.data, bytes_of(kAnnexECpRandom));
  const auto ccrypt = pd.on_challenge(challenge, kAnnexEPdRandom);
  ASSERT_TRUE(ccrypt.ok()) << ccrypt.error().reason;
  EXPECT_EQ(Bytes(ccrypt->data.begin() + 16, ccrypt->data.end()), bytes_of(kAnnexEClientCryptogram));
  const auto scrypt = cp.on_client_cryptogram(*ccrypt);
  ASSERT_TRUE(scrypt.ok()) << scrypt.error().reason;
  EXPECT_EQ(scrypt->data, bytes_of(kAnnexEServerCryptogram));
  const auto established = pd.on_server_cryptogram(*scrypt);
  ASSERT_TRUE(established.ok()) << established.error().reason;
  EXPECT_EQ(established->reply.data, bytes_of(kAnnexEInitialRmac));
  EXPECT_TRUE(cp.on_initial_rmac(established->reply).ok());
}

TEST(OsdpSecureChannelVectors, AnnexECrcAndChecksumExamples) {
  // Annex E CRC examples 1 and 2 and checksum examples 1 and 2 (same libosdp file).
  EXPECT_EQ(osdp::crc16(Bytes{0x53, 0x7F, 0x0D, 0x00, 0x04, 0x6E, 0x00, 0x80, 0x25, 0x00, 0x00}), 0x386E);
  EXPECT_EQ(osdp::crc16(Bytes{0x53, 0x00, 0x09, 0x00, 0x04, 0x61, 0x00}), 0x66C0);
  EXPECT_EQ(osdp::checksum8(Bytes{0x53, 0x7F, 0x0C, 0x00, 0x00, 0x6E, 0x00, 0x80, 0x25, 0x00, 0x00}), 0x0F);
  EXPECT_EQ(osdp::checksum8(Bytes{0x53, 0x00, 0x08, 0x00, 0x00, 0x61, 0x00}), 0x44);
}

TEST(OsdpSecureChannelVectors, MacOfOneWholeBlockIsOneCbcBlockWithoutPadding) {
  const auto mac = sc::message_mac(nist_keys(), kNistIv, std::span(kNistPlain).first(16));
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(*mac, kNistCipherBlock1);
}

TEST(OsdpSecureChannelVectors, MacOfFourBlocksIsTheLastCbcBlock) {
  const auto mac = sc::message_mac(nist_keys(), kNistIv, kNistPlain);
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(*mac, kNistCipherBlock4);
}

TEST(OsdpSecureChannelVectors, MacOfAPartialBlockPadsWith0x80) {
  const auto mac = sc::message_mac(nist_keys(), kNistIv, counting(15));
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(bytes_of(*mac), kPadded15Cipher);
}

TEST(OsdpSecureChannelVectors, DataBlocksEncryptWithTheComplementedMacAsIv) {
  const auto previous = complement(kNistIv);
  EXPECT_EQ(*sc::encrypt_data(kNistKey, previous, counting(15)), kPadded15Cipher);
  EXPECT_EQ(*sc::encrypt_data(kNistKey, previous, counting(16)), kPadded16Cipher);
  EXPECT_EQ(*sc::encrypt_data(kNistKey, previous, Bytes{}), kPadded0Cipher);
  EXPECT_EQ(*sc::decrypt_data(kNistKey, previous, kPadded15Cipher), counting(15));
  EXPECT_EQ(*sc::decrypt_data(kNistKey, previous, kPadded16Cipher), counting(16));
  EXPECT_EQ(*sc::decrypt_data(kNistKey, previous, kPadded0Cipher), Bytes{});
}

TEST(OsdpSecureChannelVectors, DecryptRefusesPartialBlocksAndAMissingEndMarker) {
  const auto previous = complement(kNistIv);
  EXPECT_EQ(sc::decrypt_data(kNistKey, previous, Bytes(15, 0)).error().code, ErrorCode::BadPadding);
  EXPECT_EQ(sc::decrypt_data(kNistKey, previous, Bytes{}).error().code, ErrorCode::BadPadding);
  // The first NIST block decrypts to plaintext that ends in 0x2A, not in 0x80 00..00.
  EXPECT_EQ(sc::decrypt_data(kNistKey, previous, bytes_of(kNistCipherBlock1)).error().code,
            ErrorCode::BadPadding);
}

// --- Behaviour -------------------------------------------------------------------------------

namespace {

constexpr sc::Key kSiteKey{0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE,
                           0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
constexpr sc::Key kOtherKey{0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01,
                            0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10};
constexpr sc::ClientUid kUid{0x5C, 0x26, 0x23, 0x01, 0x0E, 0x00, 0x00, 0x01};

struct Established {
  sc::Session panel;
  sc::Session peripheral;
};

Established establish(const sc::Key& cp_key = kSiteKey, const sc::Key& pd_key = kSiteKey) {
  sc::ControlPanelHandshake cp{cp_key, sc::KeySelector::BaseKey, kAnnexECpRandom};
  sc::PeripheralHandshake pd{pd_key, false, kUid};
  auto challenge = cp.challenge();
  challenge.address = 1;
  challenge.sequence = 1;
  auto ccrypt = pd.on_challenge(challenge, kAnnexEPdRandom);
  EXPECT_TRUE(ccrypt.ok());
  auto scrypt = cp.on_client_cryptogram(*ccrypt);
  EXPECT_TRUE(scrypt.ok());
  auto s = scrypt.value();
  s.address = 1;
  s.sequence = 2;
  auto done = pd.on_server_cryptogram(s);
  EXPECT_TRUE(done.ok());
  auto session = cp.on_initial_rmac(done->reply);
  EXPECT_TRUE(session.ok());
  return Established{std::move(session.value()), std::move(done.value().session)};
}

osdp::Frame command(std::uint8_t sequence, std::uint8_t code, Bytes data = {}) {
  osdp::Frame f;
  f.address = 1;
  f.sequence = sequence;
  f.code = code;
  f.data = std::move(data);
  return f;
}

osdp::Frame reply(std::uint8_t sequence, std::uint8_t code, Bytes data = {}) {
  auto f = command(sequence, code, std::move(data));
  f.is_reply = true;
  return f;
}

const Bytes kCardRead{0x00, 0x01, 0x1A, 0x00, 0x0A, 0x04, 0x45, 0x40};  // osdp_RAW data, 26 bits

}  // namespace

TEST(OsdpSecureChannel, CommandsAndRepliesRoundTripEncryptedAndMacChained) {
  auto s = establish();
  const auto poll = s.panel.seal(command(3, 0x60));
  ASSERT_TRUE(poll.ok());
  const auto poll_frame = osdp::parse_frame(*poll);
  EXPECT_EQ(poll_frame->security->type, osdp::SecureBlockType::Scs15);  // no data: MAC only
  ASSERT_TRUE(s.peripheral.open(*poll).ok());

  const auto card = s.peripheral.seal(reply(3, 0x50, kCardRead));
  ASSERT_TRUE(card.ok());
  const auto on_wire = osdp::parse_frame(*card);
  EXPECT_EQ(on_wire->security->type, osdp::SecureBlockType::Scs18);
  EXPECT_EQ(on_wire->data.size(), 16U);  // encrypted and padded
  EXPECT_EQ(std::search(card->begin(), card->end(), kCardRead.begin(), kCardRead.end()), card->end());
  const auto opened = s.panel.open(*card);
  ASSERT_TRUE(opened.ok()) << opened.error().reason;
  EXPECT_EQ(opened->data, kCardRead);

  const auto led = s.panel.seal(command(1, 0x69, Bytes(14, 0x01)));
  ASSERT_TRUE(led.ok());
  EXPECT_EQ(osdp::parse_frame(*led)->security->type, osdp::SecureBlockType::Scs17);
  const auto led_opened = s.peripheral.open(*led);
  ASSERT_TRUE(led_opened.ok());
  EXPECT_EQ(led_opened->data, Bytes(14, 0x01));
}

TEST(OsdpSecureChannel, TheMacOnTheWireIsTheChainedMacOfThePacket) {
  auto s = establish();
  const auto poll = s.panel.seal(command(3, 0x60));
  ASSERT_TRUE(poll.ok());
  const auto keys = sc::derive_session_keys(kSiteKey, kAnnexECpRandom);
  const auto server = sc::server_cryptogram(*keys, kAnnexECpRandom, kAnnexEPdRandom);
  const auto rmac = sc::initial_rmac(*keys, *server);
  const auto mac = sc::message_mac(*keys, *rmac, std::span(*poll).first(poll->size() - 6));
  EXPECT_EQ(Bytes(poll->end() - 6, poll->end() - 2), Bytes(mac->begin(), mac->begin() + 4));
}

TEST(OsdpSecureChannel, APeripheralWithAnotherKeyIsRefusedAtItsCryptogram) {
  sc::ControlPanelHandshake cp{kSiteKey, sc::KeySelector::BaseKey, kAnnexECpRandom};
  sc::PeripheralHandshake pd{kOtherKey, false, kUid};
  const auto ccrypt = pd.on_challenge(cp.challenge(), kAnnexEPdRandom);
  ASSERT_TRUE(ccrypt.ok());
  EXPECT_EQ(cp.on_client_cryptogram(*ccrypt).error().code, ErrorCode::BadCryptogram);
}

TEST(OsdpSecureChannel, AControlPanelWithAnotherKeyIsRefusedByThePeripheral) {
  // A peripheral whose CCRYPT was computed with the panel's key, then a server cryptogram made with
  // another key (an impostor panel replaying the first half of a handshake).
  sc::ControlPanelHandshake honest{kSiteKey, sc::KeySelector::BaseKey, kAnnexECpRandom};
  sc::ControlPanelHandshake impostor{kOtherKey, sc::KeySelector::BaseKey, kAnnexECpRandom};
  sc::PeripheralHandshake pd{kSiteKey, false, kUid};
  const auto ccrypt = pd.on_challenge(honest.challenge(), kAnnexEPdRandom);
  const auto good = honest.on_client_cryptogram(*ccrypt);
  ASSERT_TRUE(good.ok());
  auto forged = good.value();
  forged.data[0] ^= 0x01;
  EXPECT_EQ(pd.on_server_cryptogram(forged).error().code, ErrorCode::BadCryptogram);
  EXPECT_EQ(impostor.on_client_cryptogram(*ccrypt).error().code, ErrorCode::BadCryptogram);
}

TEST(OsdpSecureChannel, ThePanelRefusesARejectedOrForgedInitialRmac) {
  sc::ControlPanelHandshake cp{kSiteKey, sc::KeySelector::BaseKey, kAnnexECpRandom};
  sc::PeripheralHandshake pd{kSiteKey, false, kUid};
  const auto ccrypt = pd.on_challenge(cp.challenge(), kAnnexEPdRandom);
  const auto scrypt = cp.on_client_cryptogram(*ccrypt);
  auto done = pd.on_server_cryptogram(*scrypt);
  ASSERT_TRUE(done.ok());
  auto forged = done->reply;
  forged.data[15] ^= 0x80;
  EXPECT_EQ(cp.on_initial_rmac(forged).error().code, ErrorCode::BadCryptogram);
  auto refused = done->reply;
  refused.security->data[0] = 0x00;
  EXPECT_EQ(cp.on_initial_rmac(refused).error().code, ErrorCode::BadCryptogram);
}

TEST(OsdpSecureChannel, TheDefaultKeyIsAnsweredOnlyInInstallMode) {
  sc::ControlPanelHandshake cp{sc::kDefaultScbk, sc::KeySelector::DefaultInstallKey, kAnnexECpRandom};
  sc::PeripheralHandshake operating{kSiteKey, /*install_mode=*/false, kUid};
  EXPECT_EQ(operating.on_challenge(cp.challenge(), kAnnexEPdRandom).error().code,
            ErrorCode::UnexpectedMessage);
  sc::PeripheralHandshake installing{kSiteKey, /*install_mode=*/true, kUid};
  EXPECT_TRUE(installing.on_challenge(cp.challenge(), kAnnexEPdRandom).ok());
}

TEST(OsdpSecureChannel, PlaintextAfterSecureIsADowngradeAndClosesTheSession) {
  auto s = establish();
  ASSERT_TRUE(s.panel.seal(command(3, 0x60)).ok());
  // An attacker on the wire answers the poll with a card read in clear.
  const auto forged = osdp::build_frame(reply(3, 0x50, kCardRead));
  const auto opened = s.panel.open(*forged);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::PlaintextOnSecureChannel);
  EXPECT_TRUE(s.panel.closed());
  EXPECT_EQ(s.panel.seal(command(1, 0x60)).error().code, ErrorCode::SessionClosed);
}

TEST(OsdpSecureChannel, AForgedMacHeaderIsRefusedAndClosesTheSession) {
  auto s = establish();
  ASSERT_TRUE(s.panel.seal(command(3, 0x60)).ok());
  // An SCS_16 header with a made-up MAC: the old gateway counted this as "authenticated".
  auto forged = reply(3, 0x50, kCardRead);
  forged.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs16, {}};
  forged.mac = std::array<std::uint8_t, 4>{0xDE, 0xAD, 0xBE, 0xEF};
  const auto opened = s.panel.open(*osdp::build_frame(forged));
  EXPECT_EQ(opened.error().code, ErrorCode::BadMac);
  EXPECT_TRUE(s.panel.closed());
}

TEST(OsdpSecureChannel, AReplayedCardReadIsRefused) {
  auto s = establish();
  ASSERT_TRUE(s.peripheral.open(*s.panel.seal(command(3, 0x60))).ok());
  const auto card = s.peripheral.seal(reply(3, 0x50, kCardRead));
  ASSERT_TRUE(s.panel.open(*card).ok());
  // Same sequence number later in the session: the MAC chain has moved on.
  ASSERT_TRUE(s.peripheral.open(*s.panel.seal(command(1, 0x60))).ok());
  ASSERT_TRUE(s.peripheral.open(*s.panel.seal(command(2, 0x60))).ok());
  ASSERT_TRUE(s.panel.seal(command(3, 0x60)).ok());
  EXPECT_EQ(s.panel.open(*card).error().code, ErrorCode::BadMac);
}

TEST(OsdpSecureChannel, ARepliedSequenceThatDoesNotEchoTheCommandIsRefused) {
  auto s = establish();
  ASSERT_TRUE(s.peripheral.open(*s.panel.seal(command(3, 0x60))).ok());
  const auto card = s.peripheral.seal(reply(2, 0x50, kCardRead));
  EXPECT_EQ(s.panel.open(*card).error().code, ErrorCode::SequenceMismatch);
}

TEST(OsdpSecureChannel, ThePeripheralRefusesACommandOutOfSequence) {
  auto s = establish();
  const auto poll = s.panel.seal(command(1, 0x60));  // the handshake ended on 2, so 3 is next
  EXPECT_EQ(s.peripheral.open(*poll).error().code, ErrorCode::SequenceMismatch);
}

TEST(OsdpSecureChannel, ACorruptedEncryptedBlockFailsItsMacBeforeDecryption) {
  auto s = establish();
  ASSERT_TRUE(s.peripheral.open(*s.panel.seal(command(3, 0x60))).ok());
  auto card = s.peripheral.seal(reply(3, 0x50, kCardRead)).value();
  card[9] ^= 0x01;  // inside the encrypted data; the CRC is fixed up so only the MAC can tell
  const auto crc = osdp::crc16(std::span(card).first(card.size() - 2));
  card[card.size() - 2] = static_cast<std::uint8_t>(crc & 0xFF);
  card[card.size() - 1] = static_cast<std::uint8_t>(crc >> 8);
  EXPECT_EQ(s.panel.open(card).error().code, ErrorCode::BadMac);
}

TEST(OsdpSecureChannel, KeySetTravelsEncryptedAndParsesBack) {
  auto s = establish();
  auto keyset = sc::key_set_command(kOtherKey);
  keyset.address = 1;
  keyset.sequence = 3;
  const auto sealed = s.panel.seal(keyset);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(std::search(sealed->begin(), sealed->end(), kOtherKey.begin(), kOtherKey.end()), sealed->end());
  const auto opened = s.peripheral.open(*sealed);
  ASSERT_TRUE(opened.ok());
  const auto key = sc::parse_key_set(*opened);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, kOtherKey);
  auto bad = *opened;
  bad.data[1] = 8;
  EXPECT_EQ(sc::parse_key_set(bad).error().code, ErrorCode::BadReplyData);
}

TEST(OsdpSecureChannel, KeysParseFromHexAndBadKeysSayWhyWithoutEchoingThem) {
  EXPECT_EQ(*sc::parse_key_hex("303132333435363738393a3b3c3d3e3f"), sc::kDefaultScbk);
  const auto short_key = sc::parse_key_hex("3031");
  EXPECT_EQ(short_key.error().code, ErrorCode::WrongLength);
  const auto bad = sc::parse_key_hex("zz3132333435363738393a3b3c3d3e3f");
  EXPECT_EQ(bad.error().code, ErrorCode::BadCharacter);
  EXPECT_EQ(bad.error().reason.find("3132"), std::string::npos);
}
