#pragma once
// The EPCIS mapping's results in the core asset book's own types (portcullis/core/assets/asset_book.hpp),
// and the SiteDirectory built from a site definition. Pure functions: the HTTP handler calls these, then
// AssetBook::observe / AssetBook::apply on the site's sequencer thread.
//
//   Observation  -> core::RfidObservation  (device: the authenticated caller; EPCIS does not carry it)
//   Registration -> core::RegisterAsset    (lifecycle received: putting it in service is an operator action)
//   Destruction  -> core::RecordDestruction (asset: the handler looks it up with AssetBook::asset_by_epc)
#include <string>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/epcis/mapping.hpp"

namespace portcullis::epcis {

// Readers with the RFID capability (portal and rack readers) plus the site's area readers; every rack and
// zone. No aliases: SGLNs are not part of the site file yet; add them to `aliases` where they are known.
[[nodiscard]] SiteDirectory directory_from(const core::SiteDefinition& site);

// The reason recorded with each action: "EPCIS event <eventID>".
[[nodiscard]] std::string reason_for(const std::string& event_id);

[[nodiscard]] core::RfidObservation to_core(const Observation& observation, const core::DeviceId& device);
[[nodiscard]] core::RegisterAsset to_core(const Registration& registration, const std::string& event_id);
[[nodiscard]] core::RecordDestruction to_core(const Destruction& destruction, const core::AssetId& asset,
                                              const std::string& event_id);

}  // namespace portcullis::epcis
