#include "passage.hpp"

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

}  // namespace portcullis::core::detail
