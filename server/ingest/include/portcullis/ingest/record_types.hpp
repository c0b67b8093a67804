#pragma once
// Every record type the write path stores, in one list: what a replay must understand. Device events are
// named by their payload (core::type_name), operator actions "policy.<action>", asset actions
// "asset.<action>"; the rest are named here. A new record type is added here, and a unit test checks that
// exactly one record family of the sequencer writes and replays it.
#include <string>
#include <vector>

namespace portcullis::ingest {

inline constexpr const char* kSiteLoadedRecord = "site.loaded";
inline constexpr const char* kEngineDeadlinesRecord = "engine.deadlines";
inline constexpr const char* kAlarmAcknowledgedRecord = "alarm.acknowledged";
inline constexpr const char* kAlarmResolvedRecord = "alarm.resolved";
inline constexpr const char* kAlarmEscalatedRecord = "alarm.escalated";
inline constexpr const char* kAssetRegistryOpenedRecord = "asset.registry_opened";
inline constexpr const char* kAssetMovedRecord = "asset.moved";
inline constexpr const char* kAssetDeadlinesRecord = "asset.deadlines";
inline constexpr const char* kEpcisCapturedRecord = "epcis.captured";

// Device event types: core::type_name of every DevicePayload alternative.
[[nodiscard]] std::vector<std::string> device_event_record_types();
// "policy.<name>" of every operator action (each admin edit has its own name).
[[nodiscard]] std::vector<std::string> policy_record_types();
// "asset.<name>" of every asset action.
[[nodiscard]] std::vector<std::string> asset_action_record_types();
// Facts the server and its operators record that change no replayed state (sign-ins, refused devices,
// door commands, approvals, audit requests): stored and chained, nothing to apply on replay.
[[nodiscard]] std::vector<std::string> stateless_fact_record_types();
// All of the above and the named ones: every type a replay may meet.
[[nodiscard]] std::vector<std::string> stored_record_types();

}  // namespace portcullis::ingest
