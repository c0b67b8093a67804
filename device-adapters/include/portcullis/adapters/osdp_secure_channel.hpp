#pragma once
// OSDP Secure Channel (SIA OSDP 2.2 Annex D / IEC 60839-11-5): key derivation, the challenge /
// cryptogram handshake, the chained message MAC and data block encryption. AES-128 comes from
// OpenSSL (EVP); nothing here implements a cipher. Pure otherwise: no I/O, no clock, no random
// source (the caller passes the random numbers in), errors as values.
//
// Key and message schedule (RND.A = the CP's 8 random bytes in osdp_CHLNG, RND.B = the PD's in
// osdp_CCRYPT; AES(K, X) is one AES-128 block encryption):
//   S-ENC  = AES(SCBK, 01 82 RND.A[0..5] 00*8)
//   S-MAC1 = AES(SCBK, 01 01 RND.A[0..5] 00*8)
//   S-MAC2 = AES(SCBK, 01 02 RND.A[0..5] 00*8)
//   client cryptogram (PD -> CP, osdp_CCRYPT) = AES(S-ENC, RND.A || RND.B)
//   server cryptogram (CP -> PD, osdp_SCRYPT) = AES(S-ENC, RND.B || RND.A)
//   initial R-MAC (PD -> CP, osdp_RMAC_I)     = AES(S-MAC2, AES(S-MAC1, server cryptogram))
// Each secure message carries the first 4 bytes of a 16-byte MAC over the packet from SOM through
// its (encrypted) data, with the length field already counting MAC and trailer: CBC with S-MAC1
// over every block but the last, the last block (0x80 then zeros when the message is not whole
// blocks) with S-MAC2. The IV of a command's MAC is the previous reply's full MAC (the initial
// R-MAC for the first command); the IV of a reply's MAC is the command's full MAC. So every MAC
// depends on every message before it in the session: a replayed, dropped or reordered message
// fails. Data blocks (SCS_17/SCS_18, the bytes after the command/reply code) are AES-CBC with
// S-ENC, IV = the bitwise complement of that same previous MAC, always padded with 0x80 then zeros
// to whole blocks.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/result.hpp"

namespace portcullis::adapters::osdp::sc {

inline constexpr std::size_t kKeyLength = 16;
inline constexpr std::size_t kRandomLength = 8;

using Key = std::array<std::uint8_t, kKeyLength>;
using Block = std::array<std::uint8_t, kKeyLength>;
using Random = std::array<std::uint8_t, kRandomLength>;
using ClientUid = std::array<std::uint8_t, kRandomLength>;

// SCBK-D, the key every OSDP device knows: only for install mode, never for operation.
inline constexpr Key kDefaultScbk{0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
                                  0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F};

// Command and reply codes of the handshake and key set.
inline constexpr std::uint8_t kCommandChallenge = 0x76;         // osdp_CHLNG, data RND.A
inline constexpr std::uint8_t kCommandServerCryptogram = 0x77;  // osdp_SCRYPT
inline constexpr std::uint8_t kCommandKeySet = 0x75;            // osdp_KEYSET
inline constexpr std::uint8_t kReplyClientCryptogram = 0x76;    // osdp_CCRYPT: cUID, RND.B, cryptogram
inline constexpr std::uint8_t kReplyInitialRmac = 0x78;         // osdp_RMAC_I

// The security block byte of SCS_11..SCS_13 naming the key in use.
enum class KeySelector : std::uint8_t { DefaultInstallKey = 0x00, BaseKey = 0x01 };

struct SessionKeys {
  Key enc{};   // S-ENC
  Key mac1{};  // S-MAC1
  Key mac2{};  // S-MAC2
};

// --- The primitives (each documented in the header comment) ----------------------------------
[[nodiscard]] Result<SessionKeys> derive_session_keys(const Key& scbk, const Random& cp_random);
[[nodiscard]] Result<Block> client_cryptogram(const SessionKeys& keys, const Random& cp_random,
                                              const Random& pd_random);
[[nodiscard]] Result<Block> server_cryptogram(const SessionKeys& keys, const Random& cp_random,
                                              const Random& pd_random);
[[nodiscard]] Result<Block> initial_rmac(const SessionKeys& keys, const Block& server_cryptogram);
// The full 16-byte MAC of `message` chained on `iv` (the previous MAC in the session).
[[nodiscard]] Result<Block> message_mac(const SessionKeys& keys, const Block& iv,
                                        std::span<const std::uint8_t> message);
// Data block encryption / decryption; `previous_mac` is the MAC the IV is the complement of.
[[nodiscard]] Result<std::vector<std::uint8_t>> encrypt_data(const Key& s_enc, const Block& previous_mac,
                                                             std::span<const std::uint8_t> plain);
// BadPadding: not whole blocks, empty, or no 0x80 end marker after the trailing zeros.
[[nodiscard]] Result<std::vector<std::uint8_t>> decrypt_data(const Key& s_enc, const Block& previous_mac,
                                                             std::span<const std::uint8_t> cipher);
// Compares in time independent of where the first difference is.
[[nodiscard]] bool equal_in_constant_time(std::span<const std::uint8_t> a,
                                          std::span<const std::uint8_t> b) noexcept;

// --- An established session ------------------------------------------------------------------
enum class Role { ControlPanel, PeripheralDevice };

// One side of an established Secure Channel. Sealing and opening advance the MAC chain; any
// failure to open (bad MAC, plaintext, bad padding, wrong sequence) closes the session for good:
// every later call answers SessionClosed and a new handshake is needed. Keys are wiped on
// destruction.
class Session {
 public:
  Session(Role role, const SessionKeys& keys, const Block& initial_rmac);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&& other) noexcept;
  Session& operator=(Session&& other) noexcept;
  ~Session();

  // The wire bytes of `frame` (which must carry no security block or MAC) as a secure message of
  // this side: SCS_15/SCS_16 when it has no data, SCS_17/SCS_18 with its data encrypted otherwise.
  // The control panel side remembers the sequence so that a reply with another one is refused.
  [[nodiscard]] Result<std::vector<std::uint8_t>> seal(Frame frame);
  // One complete packet from the other side: checks framing, that it is a secure message of the
  // other side's direction (PlaintextOnSecureChannel when it has no security block or no MAC,
  // UnexpectedMessage for a handshake block or this side's own types), the sequence
  // (SequenceMismatch: on the control panel the reply must echo the command's sequence; on the
  // peripheral a command must carry the next sequence, 1, 2, 3, 1, ...), the MAC, then decrypts.
  // The frame returned has its data in clear (security block and MAC kept as received).
  [[nodiscard]] Result<Frame> open(std::span<const std::uint8_t> packet);

  // The peripheral side: the sequence of the command that completed the handshake, so the first
  // secure command must carry the one after it.
  void continue_after(std::uint8_t sequence) noexcept { last_sequence_ = sequence; }

  [[nodiscard]] bool closed() const noexcept { return closed_; }
  [[nodiscard]] Role role() const noexcept { return role_; }

 private:
  void wipe() noexcept;
  Result<Frame> refuse(CodecError error);

  Role role_;
  SessionKeys keys_;
  Block command_mac_{};  // C-MAC: the last command's full MAC
  Block reply_mac_{};    // R-MAC: the last reply's full MAC (the initial R-MAC at first)
  std::optional<std::uint8_t> last_sequence_;
  bool closed_ = false;
};

// --- The handshake ---------------------------------------------------------------------------
// Control panel side: osdp_CHLNG -> (osdp_CCRYPT) -> osdp_SCRYPT -> (osdp_RMAC_I) -> Session.
class ControlPanelHandshake {
 public:
  // `scbk` is the PD's key (kDefaultScbk with DefaultInstallKey for install mode); `cp_random`
  // comes from a cryptographic random source.
  ControlPanelHandshake(const Key& scbk, KeySelector selector, const Random& cp_random);
  ControlPanelHandshake(const ControlPanelHandshake&) = delete;
  ControlPanelHandshake& operator=(const ControlPanelHandshake&) = delete;
  ~ControlPanelHandshake();

  // The osdp_CHLNG command (address and sequence to be set by the caller).
  [[nodiscard]] Frame challenge() const;
  // Checks the PD's osdp_CCRYPT (UnexpectedMessage, BadCryptogram: the PD holds another key) and
  // returns the osdp_SCRYPT command.
  [[nodiscard]] Result<Frame> on_client_cryptogram(const Frame& reply);
  // Checks the PD's osdp_RMAC_I (BadCryptogram when the PD refused our cryptogram or its R-MAC
  // is wrong) and returns the established session.
  [[nodiscard]] Result<Session> on_initial_rmac(const Frame& reply);
  [[nodiscard]] const std::optional<ClientUid>& pd_uid() const noexcept { return pd_uid_; }

 private:
  Key scbk_;
  KeySelector selector_;
  Random cp_random_;
  std::optional<Random> pd_random_;
  std::optional<ClientUid> pd_uid_;
  std::optional<SessionKeys> keys_;
  std::optional<Block> server_cryptogram_;
};

// Peripheral device side (used by the PD simulator and tests).
class PeripheralHandshake {
 public:
  // `install_mode`: whether a challenge naming SCBK-D is answered (on SCBK-D) at all.
  PeripheralHandshake(const Key& scbk, bool install_mode, const ClientUid& uid);
  PeripheralHandshake(const PeripheralHandshake&) = delete;
  PeripheralHandshake& operator=(const PeripheralHandshake&) = delete;
  ~PeripheralHandshake();

  // osdp_CHLNG -> osdp_CCRYPT reply (address, sequence and reply flag copied from the command).
  // UnexpectedMessage for another command, or SCBK-D asked for outside install mode.
  [[nodiscard]] Result<Frame> on_challenge(const Frame& command, const Random& pd_random);
  // osdp_SCRYPT -> (osdp_RMAC_I reply, session). BadCryptogram when the CP's cryptogram is wrong
  // (the CP holds another key): the caller answers osdp_NAK.
  struct Established;
  [[nodiscard]] Result<Established> on_server_cryptogram(const Frame& command);

 private:
  Key scbk_;
  bool install_mode_;
  ClientUid uid_;
  std::optional<Random> cp_random_;
  std::optional<Random> pd_random_;
  std::optional<SessionKeys> keys_;
};

struct PeripheralHandshake::Established {
  Frame reply;
  Session session;
};

// osdp_KEYSET carrying a new SCBK (key type 0x01, length 16); send it through Session::seal, so
// the key travels encrypted. parse_key_set refuses anything else with BadReplyData.
[[nodiscard]] Frame key_set_command(const Key& new_scbk);
[[nodiscard]] Result<Key> parse_key_set(const Frame& command);

// Parses 32 hex digits (a key from a configuration file). Errors name nothing of the key.
[[nodiscard]] Result<Key> parse_key_hex(std::string_view hex);

}  // namespace portcullis::adapters::osdp::sc
