#include "portcullis/core/snapshot/state_snapshot.hpp"

#include <concepts>
#include <deque>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace portcullis::core {
namespace {

constexpr std::string_view kMagic = "PCSNAP";

// The fields of each stored struct, in encoding order: one list serves both directions, so a field cannot
// be written and forgotten on reading. A new field of any of these structs must be added here (and the
// format version bumped); the round-trip tests fill every field.
#define PORTCULLIS_SNAPSHOT_FIELDS(Type, ...)         \
  template <class T>                                  \
  requires std::same_as<std::remove_const_t<T>, Type> \
  auto fields_of(T& v) {                              \
    return std::tie(__VA_ARGS__);                     \
  }

PORTCULLIS_SNAPSHOT_FIELDS(Presence, v.zone, v.since)
PORTCULLIS_SNAPSHOT_FIELDS(PendingAttempt, v.person, v.card, v.biometric, v.factors, v.started,
                           v.person_index, v.card_index, v.biometric_index)
PORTCULLIS_SNAPSHOT_FIELDS(JitRequest, v.requested_by, v.requested_by_person, v.person, v.zone, v.reason,
                           v.duration, v.requested_at, v.approved)
PORTCULLIS_SNAPSHOT_FIELDS(DoorState, v.raw_open, v.raw_since, v.open, v.open_since, v.released_until,
                           v.released_for, v.shunted, v.forced, v.held_alarmed, v.contact_known)
PORTCULLIS_SNAPSHOT_FIELDS(MantrapState, v.inside, v.sensed, v.occupied_since, v.stuck_alarmed, v.entry_door)
PORTCULLIS_SNAPSHOT_FIELDS(Decision, v.verdict, v.reason, v.needed, v.person, v.credential, v.portal,
                           v.destination, v.rack)
PORTCULLIS_SNAPSHOT_FIELDS(TwoPersonAttempt, v.first, v.first_attempt, v.started, v.deadline, v.exit,
                           v.expired)
PORTCULLIS_SNAPSHOT_FIELDS(DeviceSeen, v.last, v.silent_alarmed)
PORTCULLIS_SNAPSHOT_FIELDS(LoneState, v.person, v.since, v.alarmed)
PORTCULLIS_SNAPSHOT_FIELDS(FireClearRequest, v.requested_by, v.requested_by_person, v.zone, v.requested_at)
PORTCULLIS_SNAPSHOT_FIELDS(PendingOverride, v.by, v.by_person, v.at)
PORTCULLIS_SNAPSHOT_FIELDS(GrantDef, v.id, v.person, v.group, v.effect, v.zones, v.racks, v.include_subzones,
                           v.schedule, v.valid_from, v.valid_until, v.revoked)
PORTCULLIS_SNAPSHOT_FIELDS(ClearanceDef, v.status, v.expires)
PORTCULLIS_SNAPSHOT_FIELDS(UpsertPerson, v.person, v.name, v.role, v.clearance)
PORTCULLIS_SNAPSHOT_FIELDS(CardDef, v.id, v.format, v.facility, v.number, v.raw_bits, v.revoked)
PORTCULLIS_SNAPSHOT_FIELDS(BiometricDef, v.id, v.template_id, v.revoked)
PORTCULLIS_SNAPSHOT_FIELDS(AddedCredential, v.person, v.card, v.biometric)
PORTCULLIS_SNAPSHOT_FIELDS(AdminEdits, v.people, v.credentials, v.removed_credentials, v.pins, v.duress_pins,
                           v.members_added, v.members_removed)
PORTCULLIS_SNAPSHOT_FIELDS(EngineState, v.person_revoked, v.credential_revoked, v.grant_revoked,
                           v.removed_grants, v.added_grants, v.jit_requests, v.site_lockdown, v.lockdowns,
                           v.presence, v.pin_failures, v.locked_credentials, v.attempts, v.occupancy, v.doors,
                           v.doors_open, v.rack_doors, v.rack_doors_open, v.mantraps, v.two_person, v.fires,
                           v.threat_levels, v.devices, v.silence_deadlines, v.lone, v.occupancy_unknown,
                           v.device_clocks, v.fire_clear_requests, v.pending_overrides, v.admin)
PORTCULLIS_SNAPSHOT_FIELDS(AlarmRecord, v.id, v.kind, v.severity, v.subject, v.detail, v.silent, v.state,
                           v.count, v.raised_at, v.last_seen_at, v.escalated, v.acknowledged_by,
                           v.acknowledge_comment, v.acknowledged_at, v.resolved_by, v.resolve_comment,
                           v.resolved_at)
PORTCULLIS_SNAPSHOT_FIELDS(AlarmBook::Contents, v.alarms, v.resolved)
PORTCULLIS_SNAPSHOT_FIELDS(AssetDef, v.id, v.tag, v.serial, v.model, v.kind, v.epc, v.home_rack, v.unit,
                           v.custodian, v.lifecycle, v.holds_model_weights, v.allowed_zones,
                           v.missing_after_s)
PORTCULLIS_SNAPSHOT_FIELDS(Location, v.zone, v.rack)
PORTCULLIS_SNAPSHOT_FIELDS(AssetState, v.def, v.location, v.located_at, v.confirmed_in_home_at,
                           v.missing_since_base, v.last_read_at, v.missing, v.reads_since_movement)
PORTCULLIS_SNAPSHOT_FIELDS(FieldChange, v.field, v.before, v.after)
PORTCULLIS_SNAPSHOT_FIELDS(CustodyEntry, v.at, v.what, v.by, v.person, v.witnesses, v.reason, v.changes)
PORTCULLIS_SNAPSHOT_FIELDS(SealDef, v.id, v.serial, v.rack, v.asset)
PORTCULLIS_SNAPSHOT_FIELDS(SealState, v.def, v.status, v.retired, v.checked_at, v.last_observed_serial)
PORTCULLIS_SNAPSHOT_FIELDS(MoveOrder, v.id, v.asset, v.to_zone, v.to_rack, v.origin, v.reason, v.valid_until,
                           v.requested_by, v.requester, v.requested_at, v.approved_by, v.approver, v.comment,
                           v.approved_at, v.status, v.completed_at)
PORTCULLIS_SNAPSHOT_FIELDS(ReadCounters, v.raw, v.observations, v.duplicates, v.unknown_epc, v.unknown_reader,
                           v.movements, v.confirmations)
PORTCULLIS_SNAPSHOT_FIELDS(AssetBook::Contents, v.assets, v.trails, v.seals, v.orders, v.counters)
PORTCULLIS_SNAPSHOT_FIELDS(RememberedEpcisEvent, v.event_id, v.canonical_sha256, v.result_json, v.at)
PORTCULLIS_SNAPSHOT_FIELDS(DoorView, v.id, v.name, v.open, v.locked, v.alarm, v.online, v.mode, v.unlocked_at)
PORTCULLIS_SNAPSHOT_FIELDS(StateSnapshot, v.site_seq, v.chain_hash, v.definition_site_hash, v.text_site_hash,
                           v.loaded_site_hash, v.engine_on_startup_model, v.engine, v.alarms, v.assets,
                           v.assets_opened_at, v.registry_recorded, v.epcis_events, v.epcis_forgot_any,
                           v.last_seq_by_device, v.recorded_findings, v.doors)

#undef PORTCULLIS_SNAPSHOT_FIELDS

// The last enumerator of each stored enum: a decoded value past it is refused, never cast into the enum.
constexpr Verdict last_enumerator(Verdict) {
  return Verdict::Pending;
}
constexpr Reason last_enumerator(Reason) {
  return Reason::SecondOperatorRequired;
}
constexpr Factor last_enumerator(Factor) {
  return Factor::SecondPerson;
}
constexpr Severity last_enumerator(Severity) {
  return Severity::Critical;
}
constexpr AlarmState last_enumerator(AlarmState) {
  return AlarmState::Resolved;
}
constexpr GrantEffect last_enumerator(GrantEffect) {
  return GrantEffect::Deny;
}
constexpr ClearanceStatus last_enumerator(ClearanceStatus) {
  return ClearanceStatus::Denied;
}
constexpr CardFormat last_enumerator(CardFormat) {
  return CardFormat::FacilityAndNumber;
}
constexpr AssetKind last_enumerator(AssetKind) {
  return AssetKind::Other;
}
constexpr AssetLifecycle last_enumerator(AssetLifecycle) {
  return AssetLifecycle::Disposed;
}
constexpr SealStatus last_enumerator(SealStatus) {
  return SealStatus::Replaced;
}
constexpr MoveOrderStatus last_enumerator(MoveOrderStatus) {
  return MoveOrderStatus::Completed;
}

template <class T>
concept Optional = requires(T v) {
  v.has_value();
  v.reset();
};
template <class T>
concept Pair = requires(T v) {
  v.first;
  v.second;
};
template <class T>
concept Chrono = requires(T v) {
  v.count();
  typename T::period;
};
template <class T>
concept TimePoint = requires(T v) {
  v.time_since_epoch();
};
template <class T>
concept Id = requires(T v) {
  { v.str() } -> std::same_as<const std::string&>;
};
template <class T>
concept ByteArray = std::same_as<T, std::array<std::uint8_t, 32>>;
template <class T>
concept MapLike = requires {
  typename T::mapped_type;
};
template <class T>
concept SetLike = requires {
  typename T::key_type;
}
&&!MapLike<T>;
template <class T>
concept Sequence = requires(T v, typename T::value_type e) {
  v.push_back(e);
}
&&!std::same_as<T, std::string>;

class Writer {
 public:
  template <std::integral T>
  void integral(T value) {
    if constexpr (std::is_same_v<T, bool>) {
      out_.push_back(value ? '\1' : '\0');
    } else {
      auto bits = static_cast<std::make_unsigned_t<T>>(value);
      for (std::size_t i = 0; i < sizeof(T); ++i) {
        out_.push_back(static_cast<char>(static_cast<unsigned char>(bits & 0xFFU)));
        if constexpr (sizeof(T) > 1) bits = static_cast<std::make_unsigned_t<T>>(bits >> 8U);
      }
    }
  }
  void bytes(std::string_view text) {
    integral<std::uint64_t>(text.size());
    out_.append(text);
  }
  void raw(std::string_view text) { out_.append(text); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  template <std::integral T>
  T integral() {
    if (!ok_ || in_.size() - pos_ < sizeof(T)) {
      fail("truncated");
      return T{};
    }
    if constexpr (std::is_same_v<T, bool>) {
      const auto b = static_cast<unsigned char>(in_[pos_++]);
      if (b > 1) fail("a boolean that is neither 0 nor 1");
      return b == 1;
    } else {
      std::make_unsigned_t<T> bits = 0;
      for (std::size_t i = 0; i < sizeof(T); ++i) {
        const auto byte = static_cast<std::make_unsigned_t<T>>(static_cast<unsigned char>(in_[pos_ + i]));
        bits = static_cast<std::make_unsigned_t<T>>(bits |
                                                    static_cast<std::make_unsigned_t<T>>(byte << (8U * i)));
      }
      pos_ += sizeof(T);
      return static_cast<T>(bits);
    }
  }
  // An element count: never more than the bytes left (every element takes at least one), so a forged
  // count cannot make the loader reserve memory it does not have.
  std::size_t count() {
    const auto n = integral<std::uint64_t>();
    if (n > in_.size() - pos_) {
      fail("a count of " + std::to_string(n) + " past the end");
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  std::string_view bytes(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      fail("truncated");
      return {};
    }
    const auto out = in_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  void fail(const std::string& what) {
    if (!ok_) return;
    ok_ = false;
    error_ = what + " at byte " + std::to_string(pos_);
  }
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] bool at_end() const noexcept { return pos_ == in_.size(); }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::string error_;
};

template <class T>
void put(Writer& w, const T& v) {
  if constexpr (std::is_enum_v<T>) {
    w.integral(static_cast<std::int64_t>(v));
  } else if constexpr (std::integral<T>) {
    w.integral(v);
  } else if constexpr (std::same_as<T, std::string>) {
    w.bytes(v);
  } else if constexpr (Id<T>) {
    w.bytes(v.str());
  } else if constexpr (Chrono<T>) {
    w.integral(static_cast<std::int64_t>(v.count()));
  } else if constexpr (TimePoint<T>) {
    w.integral(static_cast<std::int64_t>(v.time_since_epoch().count()));
  } else if constexpr (ByteArray<T>) {
    w.raw(std::string_view{reinterpret_cast<const char*>(v.data()), v.size()});
  } else if constexpr (Optional<T>) {
    w.integral(v.has_value());
    if (v) put(w, *v);
  } else if constexpr (Pair<T>) {
    put(w, v.first);
    put(w, v.second);
  } else if constexpr (MapLike<T> || SetLike<T> || Sequence<T>) {
    w.integral(static_cast<std::uint64_t>(v.size()));
    for (const auto& e : v) put(w, e);
  } else {
    std::apply([&w](const auto&... field) { (put(w, field), ...); }, fields_of(v));
  }
}

template <class T>
void get(Reader& r, T& v) {
  if (!r.ok()) return;
  if constexpr (std::is_enum_v<T>) {
    const auto n = r.integral<std::int64_t>();
    if (n < 0 || n > static_cast<std::int64_t>(last_enumerator(T{}))) {
      r.fail("an enumerator out of range (" + std::to_string(n) + ")");
      return;
    }
    v = static_cast<T>(n);
  } else if constexpr (std::integral<T>) {
    v = r.integral<T>();
  } else if constexpr (std::same_as<T, std::string>) {
    v = std::string{r.bytes(r.count())};
  } else if constexpr (Id<T>) {
    v = T{std::string{r.bytes(r.count())}};
  } else if constexpr (Chrono<T>) {
    v = T{static_cast<typename T::rep>(r.integral<std::int64_t>())};
  } else if constexpr (TimePoint<T>) {
    v = T{typename T::duration{r.integral<std::int64_t>()}};
  } else if constexpr (ByteArray<T>) {
    const auto b = r.bytes(v.size());
    if (r.ok())
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(b[i]);
  } else if constexpr (Optional<T>) {
    v.reset();
    if (r.integral<bool>()) {
      typename T::value_type inner{};
      get(r, inner);
      v = std::move(inner);
    }
  } else if constexpr (Pair<T>) {
    get(r, v.first);
    get(r, v.second);
  } else if constexpr (MapLike<T>) {
    v.clear();
    const auto n = r.count();
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      typename T::key_type key{};
      typename T::mapped_type value{};
      get(r, key);
      get(r, value);
      if (r.ok() && !v.emplace(std::move(key), std::move(value)).second) r.fail("a key given twice");
    }
  } else if constexpr (SetLike<T>) {
    v.clear();
    const auto n = r.count();
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      typename T::key_type key{};
      get(r, key);
      if (r.ok() && !v.insert(std::move(key)).second) r.fail("a set member given twice");
    }
  } else if constexpr (Sequence<T>) {
    v.clear();
    const auto n = r.count();
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      typename T::value_type e{};
      get(r, e);
      v.push_back(std::move(e));
    }
  } else {
    std::apply([&r](auto&... field) { (get(r, field), ...); }, fields_of(v));
  }
}

}  // namespace

std::string encode_snapshot(const StateSnapshot& snapshot) {
  Writer w;
  w.raw(kMagic);
  w.integral(kStateSnapshotFormat);
  put(w, snapshot);
  return w.take();
}

std::optional<std::uint32_t> snapshot_format(std::string_view bytes) noexcept {
  if (!bytes.starts_with(kMagic)) return std::nullopt;
  Reader r{bytes.substr(kMagic.size())};
  const auto version = r.integral<std::uint32_t>();
  if (!r.ok()) return std::nullopt;
  return version;
}

std::string_view to_string(SnapshotRefusal::Why why) noexcept {
  switch (why) {
    case SnapshotRefusal::Why::NotASnapshot: return "not_a_snapshot";
    case SnapshotRefusal::Why::UnknownFormat: return "unknown_format";
    case SnapshotRefusal::Why::Malformed: return "malformed";
  }
  return "malformed";
}

std::variant<StateSnapshot, SnapshotRefusal> decode_snapshot(std::string_view bytes) {
  const auto format = snapshot_format(bytes);
  if (!format) return SnapshotRefusal{SnapshotRefusal::Why::NotASnapshot, "no PCSNAP header"};
  if (*format != kStateSnapshotFormat) {
    return SnapshotRefusal{SnapshotRefusal::Why::UnknownFormat,
                           "format version " + std::to_string(*format) + " (this server reads " +
                               std::to_string(kStateSnapshotFormat) + ")"};
  }
  Reader r{bytes.substr(kMagic.size() + sizeof(std::uint32_t))};
  StateSnapshot snapshot;
  get(r, snapshot);
  if (r.ok() && !r.at_end()) r.fail("bytes after the end of the snapshot");
  if (!r.ok()) return SnapshotRefusal{SnapshotRefusal::Why::Malformed, r.error()};
  return snapshot;
}

}  // namespace portcullis::core
