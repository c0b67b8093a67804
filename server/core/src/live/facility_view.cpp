#include "portcullis/core/live/facility_view.hpp"

#include <type_traits>

namespace portcullis::core {

FacilityView::FacilityView(std::shared_ptr<const SiteModel> model) : model_(std::move(model)) {
  if (!model_) return;
  for (std::size_t i = 0; i < model_->portal_count(); ++i) {
    const auto& p = model_->portal(static_cast<Index>(i));
    DoorView d;
    d.id = p.def.id.str();
    d.name = p.def.name;
    doors_[d.id] = d;
  }
  for (std::size_t i = 0; i < model_->zone_count(); ++i) {
    occupancy_[model_->zone(static_cast<Index>(i)).def.id.str()] = 0;
  }
}

void FacilityView::replace_model(std::shared_ptr<const SiteModel> model) {
  FacilityView next{std::move(model)};
  for (auto& [id, door] : next.doors_) {
    if (auto it = doors_.find(id); it != doors_.end()) {
      const std::string name = door.name;
      door = it->second;
      door.name = name;
    }
  }
  for (auto& [id, count] : next.occupancy_) {
    if (auto it = occupancy_.find(id); it != occupancy_.end()) count = it->second;
  }
  next.person_zone_ = std::move(person_zone_);
  next.zone_facts_ = std::move(zone_facts_);
  *this = std::move(next);
}

void FacilityView::restore_passage(const DoorView& door) {
  const auto it = doors_.find(door.id);
  if (it == doors_.end()) return;
  it->second.open = door.open;
  it->second.locked = door.locked;
  it->second.unlocked_at = door.unlocked_at;
}

std::vector<DoorView> FacilityView::relock_expired(Timestamp now, Duration unlock_time) {
  std::vector<DoorView> changed;
  for (auto& [id, d] : doors_) {
    if (!d.locked && !d.open && d.unlocked_at && now - *d.unlocked_at >= unlock_time) {
      d.locked = true;
      d.unlocked_at.reset();
      changed.push_back(d);
    }
  }
  return changed;
}

std::vector<ZoneView> FacilityView::zones() const {
  std::vector<ZoneView> out;
  for (const auto& [id, count] : occupancy_) {
    ZoneView z{id, count, false, false};
    if (const auto it = zone_facts_.find(id); it != zone_facts_.end()) {
      z.lockdown = it->second.lockdown;
      z.fire = it->second.fire;
    }
    out.push_back(z);
  }
  return out;
}

ViewChanges FacilityView::apply_facts(const LiveFacts& facts) {
  ViewChanges changes;
  for (auto& [id, d] : doors_) {
    const auto it = facts.doors.find(id);
    if (it == facts.doors.end()) continue;
    const DoorFacts& f = it->second;
    if (d.mode == f.mode && d.online == f.online && d.alarm == f.alarm) continue;
    d.mode = f.mode;
    d.online = f.online;
    d.alarm = f.alarm;
    changes.doors.push_back(d);
  }
  for (auto& [id, count] : occupancy_) {
    const auto it = facts.zones.find(id);
    if (it == facts.zones.end()) continue;
    const ZoneFacts& f = it->second;
    auto& known = zone_facts_[id];
    if (count == f.occupancy && known.lockdown == f.lockdown && known.fire == f.fire) continue;
    count = f.occupancy;
    known = f;
    changes.zones.push_back({id, count, f.lockdown, f.fire});
  }
  person_zone_ = facts.presence;
  return changes;
}

ZoneView FacilityView::zone_view(const std::string& id) const {
  ZoneView z{id, 0, false, false};
  if (const auto it = occupancy_.find(id); it != occupancy_.end()) z.occupancy = it->second;
  if (const auto it = zone_facts_.find(id); it != zone_facts_.end()) {
    z.lockdown = it->second.lockdown;
    z.fire = it->second.fire;
  }
  return z;
}

ViewChanges FacilityView::apply(const DeviceEvent& event, const Outcome& outcome, std::int64_t site_seq,
                                Timestamp at) {
  ViewChanges changes;
  auto door = [&](const std::string& id) -> DoorView* {
    auto it = doors_.find(id);
    return it == doors_.end() ? nullptr : &it->second;
  };
  if (const auto* contact = std::get_if<DoorContact>(&event.payload)) {
    if (auto* d = door(contact->portal.str())) {
      d->open = contact->state == ContactState::Open;
      if (!d->open) {
        d->locked = true;  // relocks on close
        d->unlocked_at.reset();
        d->alarm = "none";
      }
      changes.doors.push_back(*d);
    }
  }
  for (const auto& alarm : outcome.alarms) {
    if (alarm.kind == "door_forced" || alarm.kind == "door_held") {
      if (auto* d = door(alarm.subject)) {
        d->alarm = alarm.kind == "door_forced" ? "forced" : "held";
        changes.doors.push_back(*d);
      }
    }
  }
  if (outcome.decision) {
    const auto& decision = *outcome.decision;
    AccessView a;
    a.at = at;
    a.site_seq = site_seq;
    a.portal = decision.portal.str();
    if (const auto* card = std::get_if<CardPresented>(&event.payload)) a.reader = card->reader.str();
    if (const auto* pin = std::get_if<PinEntered>(&event.payload)) a.reader = pin->reader.str();
    if (const auto* bio = std::get_if<BiometricMatch>(&event.payload)) a.reader = bio->reader.str();
    a.person = decision.person.str();
    if (model_ && !decision.person.empty()) {
      const auto i = model_->person_index(decision.person);
      if (i != kNoIndex) a.person_name = model_->person(i).name;
    }
    a.verdict = std::string(to_string(decision.verdict));
    a.reason = std::string(to_string(decision.reason));
    a.destination = decision.destination.str();
    changes.access = a;
    if (decision.verdict == Verdict::Grant) {
      if (auto* d = door(decision.portal.str())) {
        d->locked = false;  // unlocked for the passage until the door closes or its unlock time ends
        d->unlocked_at = at;
        changes.doors.push_back(*d);
      }
      // Who is where and how many are in a zone come from the engine (apply_facts) after the batch: the
      // engine also moves people on forgiven presence, exits and reloads, which single decisions never show.
    }
  }
  return changes;
}

}  // namespace portcullis::core
