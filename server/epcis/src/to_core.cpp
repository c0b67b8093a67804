// EPCIS mapping results -> core asset book inputs. See to_core.hpp.
#include "portcullis/epcis/to_core.hpp"

#include "portcullis/core/assets/asset_text.hpp"

namespace portcullis::epcis {

SiteDirectory directory_from(const core::SiteDefinition& site) {
  SiteDirectory d;
  const auto add_rfid_readers = [&d](const std::vector<core::ReaderDef>& readers) {
    for (const auto& r : readers) {
      if ((r.reads & core::kReadsRfid) != 0) d.readers.insert(r.id.str());
    }
  };
  for (const auto& p : site.portals) add_rfid_readers(p.readers);
  for (const auto& r : site.racks) {
    add_rfid_readers(r.readers);
    d.racks.insert(r.id.str());
  }
  for (const auto& a : site.area_readers) d.readers.insert(a.id.str());
  for (const auto& z : site.zones) d.zones.insert(z.id.str());
  return d;
}

std::string reason_for(const std::string& event_id) {
  return "EPCIS event " + event_id;
}

core::RfidObservation to_core(const Observation& observation, const core::DeviceId& device) {
  core::RfidObservation o;
  o.device = device;
  o.reader = observation.reader;
  o.epc = observation.epc;
  o.count = 1;
  o.at_rack = observation.at_rack;
  o.at_zone = observation.at_zone;
  return o;
}

core::RegisterAsset to_core(const Registration& registration, const std::string& event_id) {
  const auto& a = registration.attributes;
  core::RegisterAsset r;
  r.asset.id = registration.asset;
  r.asset.tag = a.asset_tag;
  r.asset.serial = a.serial;
  r.asset.model = a.model;
  r.asset.kind = core::asset_kind_from(a.kind).value_or(core::AssetKind::Other);
  r.asset.epc = registration.epc;
  r.asset.home_rack = a.home_rack;
  r.asset.lifecycle = core::AssetLifecycle::Received;
  r.asset.holds_model_weights = a.holds_model_weights;
  r.reason = reason_for(event_id);
  return r;
}

core::RecordDestruction to_core(const Destruction& destruction, const core::AssetId& asset,
                                const std::string& event_id) {
  core::RecordDestruction d;
  d.asset = asset;
  d.method = destruction.method;
  d.witnesses[0] = destruction.witnesses[0];
  d.witnesses[1] = destruction.witnesses[1];
  d.certificate_sha256 = destruction.certificate_sha256;
  d.reason = reason_for(event_id);
  return d;
}

}  // namespace portcullis::epcis
