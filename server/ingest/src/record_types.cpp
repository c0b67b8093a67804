#include "portcullis/ingest/record_types.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/device_event.hpp"
#include "portcullis/core/policy/operator_action.hpp"
#include "portcullis/ingest/sequencer.hpp"

namespace portcullis::ingest {
namespace {

// The names of every alternative of a variant, each default-constructed and named by `name_of`.
template <typename Variant, typename NameOf, std::size_t... I>
std::vector<std::string> names_of(NameOf name_of, std::index_sequence<I...>) {
  std::vector<std::string> names{name_of(Variant{std::in_place_index<I>})...};
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

template <typename Variant, typename NameOf>
std::vector<std::string> names_of(NameOf name_of) {
  return names_of<Variant>(name_of, std::make_index_sequence<std::variant_size_v<Variant>>{});
}

}  // namespace

std::vector<std::string> device_event_record_types() {
  return names_of<core::DevicePayload>(
      [](const core::DevicePayload& p) { return std::string(core::type_name(p)); });
}

std::vector<std::string> policy_record_types() {
  std::vector<std::string> types;
  for (const auto& name : names_of<core::OperatorAction>(
           [](const core::OperatorAction& a) { return std::string(core::type_name(a)); })) {
    types.push_back("policy." + name);
  }
  // AdminChange is named by its edit: one type per edit.
  for (const auto& name :
       names_of<core::AdminEdit>([](const core::AdminEdit& e) { return std::string(core::type_name(e)); })) {
    types.push_back("policy." + name);
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

std::vector<std::string> asset_action_record_types() {
  std::vector<std::string> types;
  for (const auto& name : names_of<core::AssetAction>(
           [](const core::AssetAction& a) { return std::string(core::type_name(a)); }))
    types.push_back("asset." + name);
  return types;
}

std::vector<std::string> stateless_fact_record_types() {
  return {"security.device_auth_failed",
          "operator.created",
          "operator.disabled",
          "operator.enabled",
          "operator.password_reset",
          "operator.totp_reenrolled",
          "operator.unlocked",
          "operator.password_changed",
          "operator.password_change_failed",
          "operator.login",
          "operator.login_failed",
          "operator.logout",
          "audit.report_requested",
          "audit.export_requested",
          "audit.export_downloaded",
          "audit.chain_checked",
          "command.requested",
          "command.issued",
          "command.refused",
          "command.approval_refused",
          "command.approved",
          "command.edited",
          "command.expired",
          "command.result",
          "change.requested",
          "change.approved",
          "change.approval_refused",
          // An admin's acknowledgement that a restore lost rows a signed checkpoint covered (written by
          // `portcullisd acknowledge-restore`): the audit trail names the lost range itself.
          "history.restore_acknowledged"};
}

std::vector<std::string> stored_record_types() {
  std::vector<std::string> types{kSiteLoadedRecord,    kEngineDeadlinesRecord, kAlarmAcknowledgedRecord,
                                 kAlarmResolvedRecord, kAlarmEscalatedRecord,  kAssetRegistryOpenedRecord,
                                 kAssetMovedRecord,    kAssetDeadlinesRecord,  kEpcisCapturedRecord,
                                 kChainTamperedRecord, kChainUnattestedRecord};
  for (auto list : {device_event_record_types(), policy_record_types(), asset_action_record_types(),
                    stateless_fact_record_types()})
    types.insert(types.end(), list.begin(), list.end());
  return types;
}

}  // namespace portcullis::ingest
