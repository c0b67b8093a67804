#pragma once
// Realistic EPCIS 2.0 capture documents, shaped like the GS1 EPCIS 2.0 JSON-LD examples, for a data
// center that commissions, tracks and destroys GPU servers and drives.
#include <string>

#include "portcullis/epcis/mapping.hpp"

namespace portcullis::epcis::test {

// Two GPU servers commissioned into rack C01: CBV bare bizStep, GIAI EPCs, Portcullis ilmd.
inline const std::string kCommissioningDocument = R"({
  "@context": [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"portcullis": "urn:portcullis:epcis:"}
  ],
  "type": "EPCISDocument",
  "schemaVersion": "2.0",
  "creationDate": "2026-11-27T09:00:00.000Z",
  "epcisBody": {
    "eventList": [
      {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:2f1d6f0e-6f55-4a53-9a7e-1b9a3c0f0001",
        "eventTime": "2026-11-27T10:00:00.000+01:00",
        "eventTimeZoneOffset": "+01:00",
        "epcList": ["urn:epc:id:giai:4012345.GPU-0001"],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": "urn:portcullis:reader:rdr-rack-c01"},
        "bizLocation": {"id": "urn:portcullis:rack:rack-c01"},
        "ilmd": {
          "portcullis:assetTag": "AMS-GPU-0001",
          "portcullis:serial": "SN-H100-0001",
          "portcullis:model": "HGX H100 8-GPU",
          "portcullis:kind": "gpu_server"
        }
      },
      {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:2f1d6f0e-6f55-4a53-9a7e-1b9a3c0f0002",
        "eventTime": "2026-11-27T10:01:00.000+01:00",
        "eventTimeZoneOffset": "+01:00",
        "epcList": ["urn:epc:id:giai:4012345.GPU-0002"],
        "action": "ADD",
        "bizStep": "urn:epcglobal:cbv:bizstep:commissioning",
        "disposition": "https://ref.gs1.org/cbv/Disp-active",
        "bizLocation": {"id": "rack-c01"},
        "ilmd": {
          "portcullis:assetTag": "AMS-GPU-0002",
          "portcullis:serial": "SN-H100-0002",
          "portcullis:model": "HGX H100 8-GPU",
          "portcullis:kind": "gpu_server",
          "portcullis:homeRack": "rack-c01",
          "portcullis:holdsModelWeights": true
        }
      }
    ]
  }
})";

// An RFID portal read of both servers at the cage door, as a reader middleware would send it: SGLN
// readPoint (an alias), a bizTransaction, a sensor report and another vendor's extension.
inline const std::string kObserveDocument = R"({
  "@context": [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"example": "http://ns.example.com/epcis/"}
  ],
  "type": "EPCISDocument",
  "schemaVersion": "2.0",
  "creationDate": "2026-11-27T11:30:47.0Z",
  "epcisHeader": {},
  "epcisBody": {
    "eventList": [
      {
        "type": "ObjectEvent",
        "eventID": "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0",
        "eventTime": "2026-11-27T12:30:47.116+01:00",
        "eventTimeZoneOffset": "+01:00",
        "epcList": ["urn:epc:id:giai:4012345.GPU-0001", "urn:epc:id:giai:4012345.GPU-0002"],
        "action": "OBSERVE",
        "bizStep": "https://ref.gs1.org/cbv/BizStep-inspecting",
        "disposition": "in_progress",
        "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.cage1"},
        "bizTransactionList": [
          {"type": "po", "bizTransaction": "http://transaction.example.com/po/12345678"}
        ],
        "sensorElementList": [
          {"sensorMetadata": {"time": "2026-11-27T12:30:47.116+01:00"},
           "sensorReport": [{"type": "Temperature", "value": 24.5, "uom": "CEL"}]}
        ],
        "example:readerFirmware": "4.2.1"
      }
    ]
  }
})";

// Destruction of a wiped drive, witnessed by two people.
inline const std::string kDestroyingDocument = R"({
  "@context": [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"pc": "urn:portcullis:epcis:"}
  ],
  "type": "EPCISDocument",
  "schemaVersion": "2.0",
  "creationDate": "2026-11-27T16:00:00Z",
  "epcisBody": {
    "eventList": [
      {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:9c0a2f4e-1111-4d2b-8f00-00000000d001",
        "eventTime": "2026-11-27T16:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": ["urn:epc:id:giai:4012345.SSD-0042"],
        "action": "DELETE",
        "bizStep": "destroying",
        "disposition": "destroyed",
        "readPoint": {"id": "urn:portcullis:reader:rdr-disposal"},
        "bizLocation": {"id": "urn:portcullis:zone:secops"},
        "pc:witnesses": ["alice-nguyen", "hana-sato"],
        "pc:destructionMethod": "shred",
        "pc:certificateSha256": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
      }
    ]
  }
})";

// The directory of the test site (reader, rack and zone ids, one SGLN alias).
inline SiteDirectory test_site() {
  SiteDirectory s;
  s.readers = {"rdr-rack-c01", "rdr-cage-rfid", "rdr-disposal"};
  s.racks = {"rack-c01", "rack-c02"};
  s.zones = {"public", "compute-hall", "cage", "secops"};
  s.aliases.emplace("urn:epc:id:sgln:4012345.00001.cage1", Place{PlaceKind::Reader, "rdr-cage-rfid"});
  s.aliases.emplace("urn:epc:id:sgln:4012345.00001.0", Place{PlaceKind::Zone, "compute-hall"});
  return s;
}

}  // namespace portcullis::epcis::test
