#include "portcullis/adapters/osdp_secure_channel.hpp"
#include "portcullis/util/hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace portcullis::adapters::osdp::sc {
namespace {

constexpr std::uint8_t kEndMarker = 0x80;
constexpr std::size_t kBlock = 16;

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};

CodecError crypto_failure(const char* what) {
  return make_error(ErrorCode::CryptoFailure, std::string("AES-128 ") + what + " failed in OpenSSL");
}

// AES-128 over whole blocks, no padding: ECB when iv is null, CBC otherwise.
Result<std::vector<std::uint8_t>> aes(const Key& key, const Block* iv, std::span<const std::uint8_t> in,
                                      bool encrypt) {
  if (in.size() % kBlock != 0) return make_error(ErrorCode::BadPadding, "data is not whole 16-byte blocks");
  std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree> ctx{EVP_CIPHER_CTX_new()};
  if (!ctx) return crypto_failure("context");
  const EVP_CIPHER* cipher = iv != nullptr ? EVP_aes_128_cbc() : EVP_aes_128_ecb();
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv != nullptr ? iv->data() : nullptr,
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1)
    return crypto_failure("init");
  std::vector<std::uint8_t> out(in.size() + kBlock);
  int written = 0;
  if (!in.empty() &&
      EVP_CipherUpdate(ctx.get(), out.data(), &written, in.data(), static_cast<int>(in.size())) != 1)
    return crypto_failure("update");
  int tail = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + written, &tail) != 1) return crypto_failure("final");
  out.resize(static_cast<std::size_t>(written + tail));
  return out;
}

Result<Block> encrypt_block(const Key& key, const Block& in) {
  auto out = aes(key, nullptr, in, true);
  if (!out.ok()) return out.error();
  Block b{};
  std::copy(out->begin(), out->end(), b.begin());
  OPENSSL_cleanse(out.value().data(), out->size());
  return b;
}

Result<Key> derive(const Key& scbk, std::uint8_t selector, const Random& cp_random) {
  Block in{};
  in[0] = 0x01;
  in[1] = selector;
  std::copy(cp_random.begin(), cp_random.begin() + 6, in.begin() + 2);
  return encrypt_block(scbk, in);
}

Block concat(const Random& first, const Random& second) {
  Block b{};
  std::copy(first.begin(), first.end(), b.begin());
  std::copy(second.begin(), second.end(), b.begin() + kRandomLength);
  return b;
}

template <class T>
void cleanse(T& v) noexcept {
  OPENSSL_cleanse(&v, sizeof(v));
}

std::uint8_t next_sequence(std::uint8_t s) {
  return s >= 3 ? 1 : static_cast<std::uint8_t>(s + 1);
}

bool is_command_type(SecureBlockType t) {
  return t == SecureBlockType::Scs15 || t == SecureBlockType::Scs17;
}

}  // namespace

bool equal_in_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<SessionKeys> derive_session_keys(const Key& scbk, const Random& cp_random) {
  SessionKeys k;
  auto enc = derive(scbk, 0x82, cp_random);
  auto mac1 = derive(scbk, 0x01, cp_random);
  auto mac2 = derive(scbk, 0x02, cp_random);
  if (!enc.ok()) return enc.error();
  if (!mac1.ok()) return mac1.error();
  if (!mac2.ok()) return mac2.error();
  k.enc = *enc;
  k.mac1 = *mac1;
  k.mac2 = *mac2;
  return k;
}

Result<Block> client_cryptogram(const SessionKeys& keys, const Random& cp_random, const Random& pd_random) {
  return encrypt_block(keys.enc, concat(cp_random, pd_random));
}

Result<Block> server_cryptogram(const SessionKeys& keys, const Random& cp_random, const Random& pd_random) {
  return encrypt_block(keys.enc, concat(pd_random, cp_random));
}

Result<Block> initial_rmac(const SessionKeys& keys, const Block& server_cryptogram) {
  auto first = encrypt_block(keys.mac1, server_cryptogram);
  if (!first.ok()) return first;
  return encrypt_block(keys.mac2, *first);
}

Result<Block> message_mac(const SessionKeys& keys, const Block& iv, std::span<const std::uint8_t> message) {
  // Whole blocks but the last go through CBC with S-MAC1; the last (padded with 0x80 then zeros
  // only when the message does not end on a block boundary) is XORed with the chain value and
  // encrypted with S-MAC2. An empty message is one padding block.
  const std::size_t remainder = message.size() % kBlock;
  std::size_t blocks = message.size() / kBlock + (remainder != 0 ? 1 : 0);
  if (blocks == 0) blocks = 1;
  const std::size_t head = (blocks - 1) * kBlock;
  Block chain = iv;
  if (head > 0) {
    auto cbc = aes(keys.mac1, &iv, message.first(head), true);
    if (!cbc.ok()) return cbc.error();
    std::copy(cbc->end() - static_cast<std::ptrdiff_t>(kBlock), cbc->end(), chain.begin());
  }
  Block last{};
  const auto rest = message.subspan(head);
  std::copy(rest.begin(), rest.end(), last.begin());
  if (rest.size() < kBlock) last[rest.size()] = kEndMarker;
  for (std::size_t i = 0; i < kBlock; ++i) last[i] = static_cast<std::uint8_t>(last[i] ^ chain[i]);
  return encrypt_block(keys.mac2, last);
}

Result<std::vector<std::uint8_t>> encrypt_data(const Key& s_enc, const Block& previous_mac,
                                               std::span<const std::uint8_t> plain) {
  Block iv{};
  for (std::size_t i = 0; i < kBlock; ++i) iv[i] = static_cast<std::uint8_t>(~previous_mac[i]);
  std::vector<std::uint8_t> padded(plain.begin(), plain.end());
  padded.push_back(kEndMarker);
  while (padded.size() % kBlock != 0) padded.push_back(0x00);
  auto out = aes(s_enc, &iv, padded, true);
  OPENSSL_cleanse(padded.data(), padded.size());
  return out;
}

Result<std::vector<std::uint8_t>> decrypt_data(const Key& s_enc, const Block& previous_mac,
                                               std::span<const std::uint8_t> cipher) {
  if (cipher.empty() || cipher.size() % kBlock != 0)
    return make_error(ErrorCode::BadPadding, "encrypted data block is " + std::to_string(cipher.size()) +
                                                 " bytes, expected a positive multiple of 16");
  Block iv{};
  for (std::size_t i = 0; i < kBlock; ++i) iv[i] = static_cast<std::uint8_t>(~previous_mac[i]);
  auto out = aes(s_enc, &iv, cipher, false);
  if (!out.ok()) return out;
  auto& plain = out.value();
  std::size_t end = plain.size();
  while (end > 0 && plain[end - 1] == 0x00 && plain.size() - end < kBlock) --end;
  if (end == 0 || plain[end - 1] != kEndMarker || plain.size() - end >= kBlock) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return make_error(ErrorCode::BadPadding, "decrypted data block has no 0x80 end marker");
  }
  plain.resize(end - 1);
  return out;
}

// --- Session ---------------------------------------------------------------------------------

Session::Session(Role role, const SessionKeys& keys, const Block& initial_rmac)
    : role_(role), keys_(keys), reply_mac_(initial_rmac) {}

Session::Session(Session&& other) noexcept
    : role_(other.role_),
      keys_(other.keys_),
      command_mac_(other.command_mac_),
      reply_mac_(other.reply_mac_),
      last_sequence_(other.last_sequence_),
      closed_(other.closed_) {
  other.wipe();
  other.closed_ = true;
}

Session& Session::operator=(Session&& other) noexcept {
  if (this != &other) {
    wipe();
    role_ = other.role_;
    keys_ = other.keys_;
    command_mac_ = other.command_mac_;
    reply_mac_ = other.reply_mac_;
    last_sequence_ = other.last_sequence_;
    closed_ = other.closed_;
    other.wipe();
    other.closed_ = true;
  }
  return *this;
}

Session::~Session() {
  wipe();
}

void Session::wipe() noexcept {
  cleanse(keys_);
  cleanse(command_mac_);
  cleanse(reply_mac_);
}

Result<Frame> Session::refuse(CodecError error) {
  closed_ = true;
  wipe();
  return error;
}

Result<std::vector<std::uint8_t>> Session::seal(Frame frame) {
  if (closed_) return make_error(ErrorCode::SessionClosed, "the secure channel session is closed");
  if (frame.security || frame.mac)
    return make_error(ErrorCode::BadSecurityBlock, "a frame to seal carries no security block or MAC");
  const bool from_panel = role_ == Role::ControlPanel;
  if (frame.is_reply == from_panel)
    return make_error(ErrorCode::UnexpectedMessage,
                      from_panel ? "the control panel sends commands" : "the peripheral sends replies");
  const Block& previous = from_panel ? reply_mac_ : command_mac_;
  const bool encrypted = !frame.data.empty();
  if (encrypted) {
    auto cipher = encrypt_data(keys_.enc, previous, frame.data);
    if (!cipher.ok()) return cipher.error();
    frame.data = std::move(cipher.value());
  }
  SecurityBlock block;
  block.type = from_panel ? (encrypted ? SecureBlockType::Scs17 : SecureBlockType::Scs15)
                          : (encrypted ? SecureBlockType::Scs18 : SecureBlockType::Scs16);
  frame.security = block;
  frame.mac = std::array<std::uint8_t, kMacLength>{};
  // Build once to get the header with its final length, MAC everything before the MAC, then put it in.
  auto wire = build_frame(frame);
  if (!wire.ok()) return wire.error();
  auto& bytes = wire.value();
  const std::size_t trailer = frame.integrity == Integrity::Crc16 ? 2 : 1;
  const std::size_t mac_at = bytes.size() - trailer - kMacLength;
  auto mac = message_mac(keys_, previous, std::span<const std::uint8_t>(bytes).first(mac_at));
  if (!mac.ok()) return mac.error();
  std::copy(mac->begin(), mac->begin() + kMacLength, frame.mac->begin());
  (from_panel ? command_mac_ : reply_mac_) = *mac;
  if (from_panel) last_sequence_ = frame.sequence;
  return build_frame(frame);
}

Result<Frame> Session::open(std::span<const std::uint8_t> packet) {
  if (closed_) return make_error(ErrorCode::SessionClosed, "the secure channel session is closed");
  auto parsed = parse_frame(packet);
  if (!parsed.ok()) return refuse(parsed.error());
  Frame frame = std::move(parsed.value());
  const bool from_panel = role_ == Role::ControlPanel;
  if (!frame.security || !frame.mac)
    return refuse(make_error(
        ErrorCode::PlaintextOnSecureChannel,
        std::string(from_panel ? "reply" : "command") + " code " + std::to_string(frame.code) +
            (frame.security ? " carries a handshake block" : " arrived in clear") + " on a secure channel"));
  // A panel opens replies (SCS_16/SCS_18), a peripheral opens commands (SCS_15/SCS_17).
  if (frame.is_reply != from_panel || is_command_type(frame.security->type) == from_panel)
    return refuse(make_error(ErrorCode::UnexpectedMessage,
                             std::string(to_string(frame.security->type)) + " in the wrong direction"));
  if (from_panel) {
    if (!last_sequence_ || frame.sequence != *last_sequence_)
      return refuse(
          make_error(ErrorCode::SequenceMismatch,
                     "reply sequence " + std::to_string(frame.sequence) + " does not echo the command's " +
                         (last_sequence_ ? std::to_string(*last_sequence_) : std::string("(none sent)"))));
  } else {
    const std::uint8_t expected = last_sequence_ ? next_sequence(*last_sequence_) : std::uint8_t{1};
    if (frame.sequence != expected)
      return refuse(make_error(
          ErrorCode::SequenceMismatch,
          "command sequence " + std::to_string(frame.sequence) + ", expected " + std::to_string(expected)));
  }
  const Block& previous = from_panel ? command_mac_ : reply_mac_;
  const std::size_t trailer = frame.integrity == Integrity::Crc16 ? 2 : 1;
  const std::size_t mac_at = packet.size() - trailer - kMacLength;
  auto mac = message_mac(keys_, previous, packet.first(mac_at));
  if (!mac.ok()) return refuse(mac.error());
  if (!equal_in_constant_time(std::span<const std::uint8_t>(mac->data(), kMacLength), *frame.mac))
    return refuse(make_error(ErrorCode::BadMac, std::string(to_string(frame.security->type)) +
                                                    " MAC does not match the session's MAC chain"));
  const Block chain_before = previous;
  if (frame.security->type == SecureBlockType::Scs17 || frame.security->type == SecureBlockType::Scs18) {
    auto plain = decrypt_data(keys_.enc, chain_before, frame.data);
    if (!plain.ok()) return refuse(plain.error());
    frame.data = std::move(plain.value());
  }
  (from_panel ? reply_mac_ : command_mac_) = *mac;
  if (!from_panel) last_sequence_ = frame.sequence;
  return frame;
}

// --- Handshake -------------------------------------------------------------------------------

ControlPanelHandshake::ControlPanelHandshake(const Key& scbk, KeySelector selector, const Random& cp_random)
    : scbk_(scbk), selector_(selector), cp_random_(cp_random) {}

ControlPanelHandshake::~ControlPanelHandshake() {
  cleanse(scbk_);
  cleanse(cp_random_);
  if (keys_) cleanse(*keys_);
}

Frame ControlPanelHandshake::challenge() const {
  Frame f;
  f.code = kCommandChallenge;
  f.security = SecurityBlock{SecureBlockType::Scs11, {static_cast<std::uint8_t>(selector_)}};
  f.data.assign(cp_random_.begin(), cp_random_.end());
  return f;
}

Result<Frame> ControlPanelHandshake::on_client_cryptogram(const Frame& reply) {
  if (!reply.is_reply || reply.code != kReplyClientCryptogram || !reply.security ||
      reply.security->type != SecureBlockType::Scs12 || reply.data.size() != 32)
    return make_error(ErrorCode::UnexpectedMessage,
                      "expected osdp_CCRYPT (SCS_12, 32 data bytes), got code " + std::to_string(reply.code));
  if (reply.security->data.empty() || reply.security->data[0] != static_cast<std::uint8_t>(selector_))
    return make_error(ErrorCode::BadCryptogram, "osdp_CCRYPT names another key than the challenge");
  ClientUid uid{};
  Random pd_random{};
  std::copy(reply.data.begin(), reply.data.begin() + 8, uid.begin());
  std::copy(reply.data.begin() + 8, reply.data.begin() + 16, pd_random.begin());
  auto keys = derive_session_keys(scbk_, cp_random_);
  if (!keys.ok()) return keys.error();
  auto expected = client_cryptogram(*keys, cp_random_, pd_random);
  if (!expected.ok()) return expected.error();
  if (!equal_in_constant_time(*expected, std::span<const std::uint8_t>(reply.data).subspan(16, 16)))
    return make_error(
        ErrorCode::BadCryptogram,
        "the PD's client cryptogram does not match: it holds another key than the one configured");
  auto server = server_cryptogram(*keys, cp_random_, pd_random);
  if (!server.ok()) return server.error();
  pd_uid_ = uid;
  pd_random_ = pd_random;
  keys_ = *keys;
  server_cryptogram_ = *server;
  Frame f;
  f.code = kCommandServerCryptogram;
  f.security = SecurityBlock{SecureBlockType::Scs13, {static_cast<std::uint8_t>(selector_)}};
  f.data.assign(server->begin(), server->end());
  return f;
}

Result<Session> ControlPanelHandshake::on_initial_rmac(const Frame& reply) {
  if (!keys_ || !server_cryptogram_)
    return make_error(ErrorCode::UnexpectedMessage, "osdp_RMAC_I before osdp_CCRYPT");
  if (!reply.is_reply || reply.code != kReplyInitialRmac || !reply.security ||
      reply.security->type != SecureBlockType::Scs14 || reply.data.size() != 16)
    return make_error(ErrorCode::UnexpectedMessage,
                      "expected osdp_RMAC_I (SCS_14, 16 data bytes), got code " + std::to_string(reply.code));
  if (reply.security->data.empty() || reply.security->data[0] != 0x01)
    return make_error(ErrorCode::BadCryptogram, "the PD refused the control panel's cryptogram");
  auto rmac = initial_rmac(*keys_, *server_cryptogram_);
  if (!rmac.ok()) return rmac.error();
  if (!equal_in_constant_time(*rmac, reply.data))
    return make_error(ErrorCode::BadCryptogram, "the PD's initial R-MAC does not match");
  return Session{Role::ControlPanel, *keys_, *rmac};
}

PeripheralHandshake::PeripheralHandshake(const Key& scbk, bool install_mode, const ClientUid& uid)
    : scbk_(scbk), install_mode_(install_mode), uid_(uid) {}

PeripheralHandshake::~PeripheralHandshake() {
  cleanse(scbk_);
  if (keys_) cleanse(*keys_);
}

Result<Frame> PeripheralHandshake::on_challenge(const Frame& command, const Random& pd_random) {
  if (command.is_reply || command.code != kCommandChallenge || !command.security ||
      command.security->type != SecureBlockType::Scs11 || command.security->data.size() != 1 ||
      command.data.size() != kRandomLength)
    return make_error(ErrorCode::UnexpectedMessage, "expected osdp_CHLNG (SCS_11, 8 data bytes)");
  const bool default_key = command.security->data[0] == 0x00;
  if (default_key && !install_mode_)
    return make_error(ErrorCode::UnexpectedMessage, "osdp_CHLNG names SCBK-D outside install mode");
  Random cp_random{};
  std::copy(command.data.begin(), command.data.end(), cp_random.begin());
  auto keys = derive_session_keys(default_key ? kDefaultScbk : scbk_, cp_random);
  if (!keys.ok()) return keys.error();
  auto cryptogram = client_cryptogram(*keys, cp_random, pd_random);
  if (!cryptogram.ok()) return cryptogram.error();
  keys_ = *keys;
  cp_random_ = cp_random;
  pd_random_ = pd_random;
  Frame f;
  f.address = command.address;
  f.is_reply = true;
  f.sequence = command.sequence;
  f.integrity = command.integrity;
  f.code = kReplyClientCryptogram;
  f.security = SecurityBlock{SecureBlockType::Scs12, {command.security->data[0]}};
  f.data.assign(uid_.begin(), uid_.end());
  f.data.insert(f.data.end(), pd_random.begin(), pd_random.end());
  f.data.insert(f.data.end(), cryptogram->begin(), cryptogram->end());
  return f;
}

Result<PeripheralHandshake::Established> PeripheralHandshake::on_server_cryptogram(const Frame& command) {
  if (!keys_ || !cp_random_ || !pd_random_)
    return make_error(ErrorCode::UnexpectedMessage, "osdp_SCRYPT before osdp_CHLNG");
  if (command.is_reply || command.code != kCommandServerCryptogram || !command.security ||
      command.security->type != SecureBlockType::Scs13 || command.data.size() != 16)
    return make_error(ErrorCode::UnexpectedMessage, "expected osdp_SCRYPT (SCS_13, 16 data bytes)");
  auto expected = server_cryptogram(*keys_, *cp_random_, *pd_random_);
  if (!expected.ok()) return expected.error();
  if (!equal_in_constant_time(*expected, command.data))
    return make_error(ErrorCode::BadCryptogram, "the control panel's server cryptogram does not match");
  auto rmac = initial_rmac(*keys_, *expected);
  if (!rmac.ok()) return rmac.error();
  Frame f;
  f.address = command.address;
  f.is_reply = true;
  f.sequence = command.sequence;
  f.integrity = command.integrity;
  f.code = kReplyInitialRmac;
  f.security = SecurityBlock{SecureBlockType::Scs14, {0x01}};
  f.data.assign(rmac->begin(), rmac->end());
  Session session{Role::PeripheralDevice, *keys_, *rmac};
  session.continue_after(command.sequence);
  return Established{std::move(f), std::move(session)};
}

Frame key_set_command(const Key& new_scbk) {
  Frame f;
  f.code = kCommandKeySet;
  f.data = {0x01, static_cast<std::uint8_t>(kKeyLength)};
  f.data.insert(f.data.end(), new_scbk.begin(), new_scbk.end());
  return f;
}

Result<Key> parse_key_set(const Frame& command) {
  if (command.is_reply || command.code != kCommandKeySet)
    return make_error(ErrorCode::UnexpectedMessage, "not an osdp_KEYSET command");
  if (command.data.size() != 2 + kKeyLength || command.data[0] != 0x01 || command.data[1] != kKeyLength)
    return make_error(ErrorCode::BadReplyData,
                      "osdp_KEYSET must carry key type 0x01 (SCBK) and 16 key bytes, got " +
                          std::to_string(command.data.size()) + " data bytes");
  Key k{};
  std::copy(command.data.begin() + 2, command.data.end(), k.begin());
  return k;
}

Result<Key> parse_key_hex(std::string_view hex) {
  if (hex.size() != 2 * kKeyLength)
    return make_error(ErrorCode::WrongLength,
                      "a key is 32 hex digits, got " + std::to_string(hex.size()) + " characters");
  Key k{};
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const int v = util::hex_digit_value(hex[i]);
    if (v < 0)
      return make_error(ErrorCode::BadCharacter,
                        "character " + std::to_string(i + 1) + " is not a hex digit");
    k[i / 2] = static_cast<std::uint8_t>(k[i / 2] | (v << (i % 2 == 0 ? 4 : 0)));
  }
  return k;
}

}  // namespace portcullis::adapters::osdp::sc
