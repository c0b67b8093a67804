#pragma once
// Events as devices report them, after the adapter has parsed and validated the wire format.
// The core never sees JSON or raw protocol bytes: only these values.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "portcullis/core/strong_id.hpp"
#include "portcullis/core/time.hpp"

namespace portcullis::core {

enum class CardFormat { H10301_26, H10304_37, Corporate1000_35, FacilityAndNumber };

// A badge as read: the decoded numbers and, where the reader gave them, the raw Wiegand bits.
struct Card {
  CardFormat format = CardFormat::FacilityAndNumber;
  std::uint32_t facility = 0;
  std::uint64_t number = 0;
  std::string raw_bits;  // '0'/'1' characters, empty when the device sent decoded numbers only
  friend bool operator==(const Card&, const Card&) = default;
};

// Result of checking a PIN against its stored slow hash. The clear PIN never reaches storage: the engine
// reports the verdict it used (Outcome::pin_verdict) and the event is stored with that verdict instead.
enum class PinVerdict { Match, Mismatch, Duress };

struct CardPresented {
  ReaderId reader;
  Card card;
};
struct PinEntered {
  ReaderId reader;
  // The clear PIN as typed: transient, only while the live event is decided. Empty in stored events.
  std::string pin;
  // Set on stored events (replay): the engine then uses it and never calls the PinVerifier.
  std::optional<PinVerdict> recorded_verdict;
  PersonId
      verified_for;  // informational copy of Outcome::pin_verified_for for storage; the engine ignores it
};

[[nodiscard]] const char* to_string(PinVerdict verdict) noexcept;
struct BiometricMatch {
  ReaderId reader;
  std::string template_id;  // reference only; templates never leave the reader
  std::uint32_t score = 0;
  bool matched = false;
};
enum class ContactState { Open, Closed };
// A door contact: of a portal, or (exactly one of them) of a rack's door.
struct DoorContact {
  PortalId portal;
  RackId rack;
  ContactState state = ContactState::Closed;
};
struct RequestToExit {
  PortalId portal;
};
struct Tamper {
  std::string component;  // "reader", "controller", "enclosure"...
  bool active = true;
};
struct Heartbeat {};
struct RfidRead {
  ReaderId reader;
  std::string epc;
  std::uint32_t antenna = 0;
  std::int32_t rssi = 0;
  std::uint32_t count = 1;
};
struct FireAlarm {
  ZoneId zone;  // empty: the whole site
  bool active = true;
};
struct OccupancyReport {
  MantrapId mantrap;
  std::uint32_t count = 0;
};

using DevicePayload = std::variant<CardPresented, PinEntered, BiometricMatch, DoorContact, RequestToExit,
                                   Tamper, Heartbeat, RfidRead, FireAlarm, OccupancyReport>;

struct DeviceEvent {
  DeviceId device;
  std::int64_t seq = 0;     // per-device, strictly increasing
  Timestamp device_time{};  // the device's own clock: late events are normal
  Timestamp received_at{};  // the server's clock at receipt
  DevicePayload payload;
};

[[nodiscard]] const char* type_name(const DevicePayload& payload) noexcept;

}  // namespace portcullis::core
