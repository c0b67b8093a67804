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
  *this = std::move(next);
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
  for (const auto& [id, count] : occupancy_) out.push_back({id, count});
  return out;
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
      // A completed two-person entry moves both persons.
      std::vector<const Decision*> movers{&decision};
      if (outcome.first_person && outcome.first_person->verdict == Verdict::Grant)
        movers.push_back(&*outcome.first_person);
      for (const Decision* mover : movers) {
        if (mover->person.empty() || mover->destination.empty()) continue;
        auto& where = person_zone_[mover->person.str()];
        if (where == mover->destination.str()) continue;
        if (!where.empty() && occupancy_[where] > 0) {
          --occupancy_[where];
          changes.zones.push_back({where, occupancy_[where]});
        }
        where = mover->destination.str();
        ++occupancy_[where];
        changes.zones.push_back({where, occupancy_[where]});
      }
    }
  }
  return changes;
}

}  // namespace portcullis::core
