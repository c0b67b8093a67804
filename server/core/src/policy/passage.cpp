#include "passage.hpp"

#include "portcullis/core/antipassback/presence.hpp"
#include "supervision.hpp"

namespace portcullis::core::detail {

Passage passage_of(const SiteModel& model, Index reader_index) {
  const ReaderNode& reader = model.reader(reader_index);
  Passage p;
  p.reader = reader_index;
  p.rack = reader.on_rack;
  p.target = reader.target;
  p.side = reader.def.side;
  if (reader.on_rack) {
    const RackNode& rack = model.rack(reader.target);
    p.side = ReaderSide::Entry;
    p.source = rack.zone;
    p.destination = rack.zone;
    p.tier = rack.def.tier;
    return p;
  }
  const PortalNode& portal = model.portal(reader.target);
  const bool entry = reader.def.side == ReaderSide::Entry;
  p.source = entry ? portal.from : portal.to;
  p.destination = entry ? portal.to : portal.from;
  p.egress = p.destination != p.source && model.is_within(p.source, p.destination);
  p.tier = model.zone(p.destination).def.tier;
  return p;
}

std::optional<Reason> passage_checks(const SiteModel& model, const EngineState& state, const Passage& passage,
                                     const PersonId& person, Timestamp now, std::vector<Alarm>& alarms,
                                     std::vector<Alarm>& soft_alarms) {
  if (passage.rack) return std::nullopt;
  const Index governing = passage.egress ? passage.source : passage.destination;
  const ApbCheck apb = check_anti_passback(model, state, person, passage.source, governing, now);
  if (apb.violation && (apb.mode == ApbMode::Hard || apb.mode == ApbMode::Timed)) return Reason::AntiPassback;
  if (apb.violation) {
    soft_alarms.push_back({"anti_passback_violation", Severity::Low, person.str(),
                           "entered " + model.zone(passage.destination).def.id.str() + " through " +
                               model.portal(passage.target).def.id.str() + " while recorded elsewhere",
                           false});
  }
  return mantrap_check(model, state, passage.target, passage.source, passage.egress, person, now, alarms);
}

void commit_access(const SiteModel& model, EngineState& state, const Passage& passage, const PersonId& person,
                   Timestamp now) {
  if (passage.rack) {  // rack openings do not move presence; they release the rack's door
    release_rack_door(model, state, passage.target, person, now);
    return;
  }
  commit_passage(model, state, passage.target, passage.destination, person, now);
}

}  // namespace portcullis::core::detail
