#include "portcullis/core/assets/asset_book.hpp"

#include "portcullis/core/assets/asset_text.hpp"

#include <algorithm>
#include <type_traits>

namespace portcullis::core {

const char* type_name(const AssetAction& action) noexcept {
  return std::visit(
      [](const auto& a) -> const char* {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, RegisterAsset>) return "register_asset";
        if constexpr (std::is_same_v<T, UpdateAsset>) return "update_asset";
        if constexpr (std::is_same_v<T, ChangeLifecycle>) return "change_lifecycle";
        if constexpr (std::is_same_v<T, RecordWipe>) return "record_wipe";
        if constexpr (std::is_same_v<T, RecordDestruction>) return "record_destruction";
        if constexpr (std::is_same_v<T, RecordDisposal>) return "record_disposal";
        if constexpr (std::is_same_v<T, RequestMoveOrder>) return "request_move_order";
        if constexpr (std::is_same_v<T, ApproveMoveOrder>) return "approve_move_order";
        if constexpr (std::is_same_v<T, CheckSeal>) return "check_seal";
        if constexpr (std::is_same_v<T, FitSeal>) return "fit_seal";
      },
      action);
}

std::string_view to_string(SealStatus s) noexcept {
  switch (s) {
    case SealStatus::Intact: return "intact";
    case SealStatus::Broken: return "broken";
    case SealStatus::Replaced: return "replaced";
  }
  return "broken";
}

std::optional<SealStatus> seal_status_from(std::string_view s) noexcept {
  if (s == "intact") return SealStatus::Intact;
  if (s == "broken") return SealStatus::Broken;
  if (s == "replaced") return SealStatus::Replaced;
  return std::nullopt;
}

std::string_view to_string(MoveOrderStatus s) noexcept {
  switch (s) {
    case MoveOrderStatus::Requested: return "requested";
    case MoveOrderStatus::Approved: return "approved";
    case MoveOrderStatus::Completed: return "completed";
  }
  return "requested";
}

std::string_view to_string(ReadResult r) noexcept {
  switch (r) {
    case ReadResult::UnknownReader: return "unknown_reader";
    case ReadResult::UnknownEpc: return "unknown_epc";
    case ReadResult::Duplicate: return "duplicate";
    case ReadResult::Unchanged: return "unchanged";
    case ReadResult::Moved: return "moved";
    case ReadResult::Confirmed: return "confirmed";
  }
  return "unknown_epc";
}

}  // namespace portcullis::core

namespace portcullis::core {
namespace {

constexpr std::uint32_t kNoAsset = 0xFFFFFFFFU;
constexpr std::uint32_t kAreaReaderBit = 0x80000000U;

std::string describe(const Location& l) {
  if (!l.rack.empty()) return "rack:" + l.rack.str();
  if (!l.zone.empty()) return "zone:" + l.zone.str();
  return "unknown";
}

// Where a reader places what it reads.
struct ReaderPlace {
  bool known = false;
  bool portal = false;  // a portal reader: the location is the zone it leads into
  std::uint32_t key = 0;
  Location location;
};

}  // namespace

AssetBook::AssetBook(std::shared_ptr<const SiteModel> model, Timestamp at) : model_(std::move(model)) {
  if (!model_) model_ = std::make_shared<const SiteModel>();
  for (const auto& def : model_->assets()) add_asset(def, at);
  for (const auto& def : model_->seals()) add_seal(def);
}

AssetBook::AssetBook(std::shared_ptr<const SiteModel> model, Contents contents)
    : model_(std::move(model)),
      assets_(std::move(contents.assets)),
      trails_(std::move(contents.trails)),
      seals_(std::move(contents.seals)),
      orders_(std::move(contents.orders)),
      counters_(contents.counters) {
  if (!model_) model_ = std::make_shared<const SiteModel>();
  trails_.resize(assets_.size());
  for (std::uint32_t i = 0; i < assets_.size(); ++i) {
    by_id_.emplace(assets_[i].def.id, i);
    by_epc_.emplace(epc_key(assets_[i].def.epc), i);
  }
  for (std::uint32_t i = 0; i < seals_.size(); ++i) seal_ids_.emplace(seals_[i].def.id, i);
  for (std::uint32_t i = 0; i < orders_.size(); ++i) order_ids_.emplace(orders_[i].id, i);
}

void AssetBook::replace_model(std::shared_ptr<const SiteModel> model, Timestamp at) {
  model_ = model ? std::move(model) : std::make_shared<const SiteModel>();
  for (const auto& def : model_->assets()) {
    if (index_of(def.id) == kNoAsset && !by_epc_.contains(epc_key(def.epc))) add_asset(def, at);
  }
  for (const auto& def : model_->seals()) {
    if (!seal_ids_.contains(def.id)) add_seal(def);
  }
  // Reader keys are indexes of the old model.
  dedup_.clear();
  dedup_queue_.clear();
}

void AssetBook::add_asset(const AssetDef& def, Timestamp at) {
  const auto index = static_cast<std::uint32_t>(assets_.size());
  AssetState state;
  state.def = def;
  state.missing_since_base = at;
  assets_.push_back(std::move(state));
  trails_.emplace_back();
  by_id_.emplace(def.id, index);
  by_epc_.emplace(epc_key(def.epc), index);
}

void AssetBook::add_seal(const SealDef& def) {
  seal_ids_.emplace(def.id, static_cast<std::uint32_t>(seals_.size()));
  SealState s;
  s.def = def;
  seals_.push_back(std::move(s));
}

std::uint32_t AssetBook::index_of(const AssetId& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? kNoAsset : it->second;
}

std::int64_t AssetBook::missing_after_s(const AssetState& a) const {
  return a.def.missing_after_s > 0 ? a.def.missing_after_s : model_->settings().asset_missing_after_s;
}

bool AssetBook::zone_allowed(const AssetState& a, Index zone) const {
  if (zone == kNoIndex) return false;
  if (!a.def.allowed_zones.empty()) {
    for (const auto& z : a.def.allowed_zones) {
      const Index allowed = model_->zone_index(z);
      if (allowed != kNoIndex && model_->is_within(zone, allowed)) return true;
    }
    return false;
  }
  if (a.def.home_rack.empty()) return true;
  const Index rack = model_->rack_index(a.def.home_rack);
  if (rack == kNoIndex) return true;  // home rack gone from the site: nothing to compare with
  return model_->is_within(zone, model_->rack(rack).zone);
}

const MoveOrder* AssetBook::covering_order(const AssetState& a, const Location& to, Timestamp now) const {
  const Index zone = model_->zone_index(to.zone);
  for (const auto& order : orders_) {
    if (order.asset != a.def.id || order.status != MoveOrderStatus::Approved || now >= order.valid_until)
      continue;
    if (!to.rack.empty()) {
      if (order.to_rack == to.rack) return &order;
      if (!order.to_zone.empty() && zone != kNoIndex &&
          model_->is_within(zone, model_->zone_index(order.to_zone)))
        return &order;
      continue;
    }
    if (zone == kNoIndex) continue;
    Index destination = kNoIndex;
    if (!order.to_zone.empty()) {
      destination = model_->zone_index(order.to_zone);
    } else {
      const Index rack = model_->rack_index(order.to_rack);
      if (rack != kNoIndex) destination = model_->rack(rack).zone;
    }
    if (destination == kNoIndex) continue;
    // Inside the destination, or on the zone-tree route between origin and destination.
    if (model_->is_within(zone, destination)) return &order;
    const Index origin = model_->zone_index(order.origin);
    Index common = destination;
    if (origin != kNoIndex) {
      while (common != kNoIndex && !model_->is_within(origin, common)) common = model_->zone(common).parent;
    }
    const bool on_route =
        model_->is_within(destination, zone) || (origin != kNoIndex && model_->is_within(origin, zone));
    if (on_route && common != kNoIndex && model_->is_within(zone, common)) return &order;
  }
  return nullptr;
}

bool AssetBook::seal_is_critical(const SealState& s) const {
  if (!s.def.asset.empty()) {
    const AssetState* a = asset(s.def.asset);
    return a != nullptr && a->def.holds_model_weights;
  }
  for (const auto& a : assets_) {
    if (a.def.home_rack == s.def.rack && a.def.holds_model_weights) return true;
  }
  return false;
}

void AssetBook::expire_dedup(Timestamp now) {
  const Duration window = std::chrono::milliseconds{model_->settings().rfid_dedup_window_ms};
  // A few per call: memory stays bounded by one window of reads without a pause to sweep.
  for (int i = 0; i < 4 && !dedup_queue_.empty(); ++i) {
    const DedupEntry& front = dedup_queue_.front();
    if (now - front.at < window) break;
    auto it = dedup_.find(front.key);
    if (it != dedup_.end() && it->second == front.at) dedup_.erase(it);
    dedup_queue_.pop_front();
  }
}

Observation AssetBook::observe(const RfidObservation& read, Timestamp now) {
  Observation obs;
  ++counters_.observations;
  const std::uint32_t count = read.count == 0 ? 1U : read.count;
  counters_.raw += count;

  // Where does this reader put what it reads?
  ReaderPlace place;
  const SiteModel& m = *model_;
  // A read counts only from a device that lists the reader (device binding is always on).
  const auto bound = [&](const std::vector<DeviceId>& devices) {
    for (const auto& d : devices) {
      if (d == read.device) return true;
    }
    return false;
  };
  if (const Index r = m.reader_index(read.reader); r != kNoIndex) {
    const ReaderNode& node = m.reader(r);
    if ((node.def.reads & kReadsRfid) != 0 && bound(node.devices)) {
      place.known = true;
      place.key = r;
      if (node.on_rack) {
        const RackNode& rack = m.rack(node.target);
        place.location = Location{m.zone(rack.zone).def.id, rack.def.id};
      } else {
        const PortalNode& portal = m.portal(node.target);
        place.portal = true;
        place.location.zone = node.def.side == ReaderSide::Entry ? portal.def.to : portal.def.from;
      }
    }
  } else if (const Index ar = m.area_reader_index(read.reader); ar != kNoIndex) {
    const AreaReaderNode& node = m.area_reader(ar);
    if (bound(node.devices)) {
      place.known = true;
      place.key = ar | kAreaReaderBit;
      place.location.zone = node.def.zone;
      // A handheld may say where it read, within its own zone.
      if (!read.at_rack.empty()) {
        const Index rack = m.rack_index(read.at_rack);
        if (rack != kNoIndex && m.is_within(m.rack(rack).zone, node.zone)) {
          place.location = Location{m.zone(m.rack(rack).zone).def.id, read.at_rack};
        }
      } else if (!read.at_zone.empty()) {
        const Index zone = m.zone_index(read.at_zone);
        if (zone != kNoIndex && m.is_within(zone, node.zone)) place.location.zone = read.at_zone;
      }
    }
  }
  if (!place.known) {
    ++counters_.unknown_reader;
    obs.result = ReadResult::UnknownReader;
    return obs;
  }

  auto found = by_epc_.find(epc_key(read.epc));
  if (found == by_epc_.end()) {
    ++counters_.unknown_epc;
    obs.result = ReadResult::UnknownEpc;
    return obs;
  }
  const std::uint32_t index = found->second;
  AssetState& a = assets_[index];
  a.reads_since_movement += count;

  expire_dedup(now);
  const std::uint64_t key = (static_cast<std::uint64_t>(index) << 32U) | place.key;
  auto [slot, inserted] = dedup_.try_emplace(key, now);
  if (!inserted) {
    const Duration window = std::chrono::milliseconds{m.settings().rfid_dedup_window_ms};
    if (now - slot->second < window) {
      ++counters_.duplicates;
      obs.result = ReadResult::Duplicate;
      return obs;
    }
    slot->second = now;
  }
  dedup_queue_.push_back({key, now});
  a.last_read_at = now;

  const Location& to = place.location;
  // A zone read is consistent with being in a rack of that zone.
  const bool same = to == a.location || (to.rack.empty() && to.zone == a.location.zone);
  if (same) {
    const std::int64_t checkpoint_s = std::max<std::int64_t>(1, missing_after_s(a) / 10);
    const bool home = !a.def.home_rack.empty() && a.location.rack == a.def.home_rack && to == a.location;
    if (home && (!a.confirmed_in_home_at || a.missing ||
                 now - *a.confirmed_in_home_at >= std::chrono::seconds{checkpoint_s})) {
      obs.result = ReadResult::Confirmed;
    } else {
      obs.result = ReadResult::Unchanged;
      return obs;
    }
  } else {
    obs.result = ReadResult::Moved;
  }
  AssetMovement movement;
  movement.asset = a.def.id;
  movement.epc = a.def.epc;
  movement.from = a.location;
  movement.to = obs.result == ReadResult::Confirmed ? a.location : to;
  movement.reader = read.reader;
  movement.device = read.device;
  movement.reads = a.reads_since_movement;
  movement.at = now;
  obs.outcome = apply_movement(movement, now);
  obs.movement = std::move(movement);
  return obs;
}

AssetOutcome AssetBook::apply_movement(const AssetMovement& mv, Timestamp now) {
  AssetOutcome out;
  const std::uint32_t index = index_of(mv.asset);
  if (index == kNoAsset) return out;
  AssetState& a = assets_[index];
  a.reads_since_movement = 0;
  const bool in_home = !a.def.home_rack.empty() && mv.to.rack == a.def.home_rack;
  if (in_home) {
    a.confirmed_in_home_at = now;
    if (a.missing) {
      a.missing = false;
      out.changes.push_back({"missing", "true", "false"});
    }
  }
  if (mv.from == mv.to && mv.to == a.location) {
    ++counters_.confirmations;
    return out;
  }
  ++counters_.movements;
  const std::string before = describe(a.location);
  a.location = mv.to;
  a.located_at = now;
  out.changes.insert(out.changes.begin(), FieldChange{"location", before, describe(mv.to)});

  const bool critical = a.def.holds_model_weights;
  const bool disposed = a.def.lifecycle == AssetLifecycle::Disposed;
  const Index reader = model_->reader_index(mv.reader);
  const bool portal_read = reader != kNoIndex && !model_->reader(reader).on_rack;
  if (portal_read && !disposed && !zone_allowed(a, model_->zone_index(mv.to.zone)) &&
      covering_order(a, mv.to, now) == nullptr) {
    out.alarms.push_back(Alarm{"asset_unauthorized_movement", critical ? Severity::Critical : Severity::High,
                               a.def.id.str(),
                               "read at " + mv.reader.str() + " heading into " + mv.to.zone.str() +
                                   ", outside its allowed zones, without an approved move order",
                               false});
  }
  if (!mv.to.rack.empty() && mv.to.rack != a.def.home_rack && !disposed &&
      covering_order(a, mv.to, now) == nullptr) {
    out.alarms.push_back(Alarm{"asset_wrong_rack", critical ? Severity::High : Severity::Medium,
                               a.def.id.str(),
                               "seen in rack " + mv.to.rack.str() + ", home rack " +
                                   (a.def.home_rack.empty() ? std::string{"none"} : a.def.home_rack.str()) +
                                   ", without an approved move order",
                               false});
  }

  auto& trail = trails_[index];
  CustodyEntry entry;
  entry.at = now;
  entry.what = "movement";
  entry.changes = {{"location", before, describe(mv.to)},
                   {"reader", "", mv.reader.str()},
                   {"device", "", mv.device.str()},
                   {"reads", "", std::to_string(mv.reads)}};
  trail.push_back(std::move(entry));
  for (const auto& alarm : out.alarms) {
    CustodyEntry e;
    e.at = now;
    e.what = "alarm";
    e.reason = alarm.kind + ": " + alarm.detail;
    trail.push_back(std::move(e));
  }

  // Arriving where an approved order sends it completes the order.
  for (auto& order : orders_) {
    if (order.asset != a.def.id || order.status != MoveOrderStatus::Approved || now >= order.valid_until)
      continue;
    bool arrived = false;
    if (!order.to_rack.empty()) {
      arrived = mv.to.rack == order.to_rack;
    } else {
      // The zone itself: a destination that is an ancestor (the site's public zone for an RMA) would
      // otherwise count as reached at the first step.
      arrived = mv.to.zone == order.to_zone;
    }
    if (!arrived) continue;
    order.status = MoveOrderStatus::Completed;
    order.completed_at = now;
    CustodyEntry done;
    done.at = now;
    done.what = "move_order_completed";
    done.reason = order.reason;
    done.changes.push_back({"move_order", order.id.str(), "completed"});
    out.changes.push_back({"move_order." + order.id.str(), "approved", "completed"});
    if (!order.to_rack.empty() && order.to_rack != a.def.home_rack) {
      done.changes.push_back({"home_rack", a.def.home_rack.str(), order.to_rack.str()});
      out.changes.push_back({"home_rack", a.def.home_rack.str(), order.to_rack.str()});
      a.def.home_rack = order.to_rack;
      a.confirmed_in_home_at = now;
      a.missing = false;
    }
    trail.push_back(std::move(done));
  }
  return out;
}

AssetOutcome AssetBook::tick(Timestamp now) {
  AssetOutcome out;
  for (std::size_t i = 0; i < assets_.size(); ++i) {
    AssetState& a = assets_[i];
    if (a.missing || a.def.lifecycle != AssetLifecycle::InService || a.def.home_rack.empty()) continue;
    const std::int64_t after = missing_after_s(a);
    const std::int64_t checkpoint = std::max<std::int64_t>(1, after / 10);
    const Timestamp since = a.confirmed_in_home_at ? *a.confirmed_in_home_at : a.missing_since_base;
    if (now - since <= std::chrono::seconds{after + checkpoint}) continue;
    bool moving = false;
    for (const auto& order : orders_) {
      moving = moving || (order.asset == a.def.id && order.status == MoveOrderStatus::Approved &&
                          now < order.valid_until);
    }
    if (moving) continue;
    a.missing = true;
    Alarm alarm{"asset_missing", a.def.holds_model_weights ? Severity::Critical : Severity::High,
                a.def.id.str(),
                "not seen in its home rack " + a.def.home_rack.str() + " for more than " +
                    std::to_string(after) + " s (last at " + describe(a.location) + ")",
                false};
    CustodyEntry e;
    e.at = now;
    e.what = "alarm";
    e.reason = alarm.kind + ": " + alarm.detail;
    trails_[i].push_back(std::move(e));
    out.alarms.push_back(std::move(alarm));
    out.changes.push_back({"missing." + a.def.id.str(), "false", "true"});
  }
  return out;
}

// ---- Queries ----

const AssetState* AssetBook::asset(const AssetId& id) const {
  const std::uint32_t i = index_of(id);
  return i == kNoAsset ? nullptr : &assets_[i];
}

const AssetState* AssetBook::asset_by_epc(std::string_view epc) const {
  auto it = by_epc_.find(epc_key(epc));
  return it == by_epc_.end() ? nullptr : &assets_[it->second];
}

std::vector<AssetId> AssetBook::assets_in_rack(const RackId& rack) const {
  std::vector<AssetId> out;
  for (const auto& a : assets_) {
    if (a.location.rack == rack) out.push_back(a.def.id);
  }
  return out;
}

const SealState* AssetBook::seal(const SealId& id) const {
  auto it = seal_ids_.find(id);
  return it == seal_ids_.end() ? nullptr : &seals_[it->second];
}

std::vector<SealState> AssetBook::seals_of_rack(const RackId& rack) const {
  std::vector<SealState> out;
  for (const auto& s : seals_) {
    if (!s.def.rack.empty() && s.def.rack == rack) out.push_back(s);
  }
  return out;
}

std::vector<SealState> AssetBook::seals_of_asset(const AssetId& asset) const {
  std::vector<SealState> out;
  for (const auto& s : seals_) {
    if (!s.def.asset.empty() && s.def.asset == asset) out.push_back(s);
  }
  return out;
}

const MoveOrder* AssetBook::move_order(const MoveOrderId& id) const {
  auto it = order_ids_.find(id);
  return it == order_ids_.end() ? nullptr : &orders_[it->second];
}

std::vector<MoveOrder> AssetBook::open_move_orders(Timestamp now) const {
  std::vector<MoveOrder> out;
  for (const auto& o : orders_) {
    if (o.status != MoveOrderStatus::Completed && now < o.valid_until) out.push_back(o);
  }
  return out;
}

const std::vector<CustodyEntry>& AssetBook::custody_trail(const AssetId& asset) const {
  static const std::vector<CustodyEntry> kNone;
  const std::uint32_t i = index_of(asset);
  return i == kNoAsset ? kNone : trails_[i];
}

}  // namespace portcullis::core
