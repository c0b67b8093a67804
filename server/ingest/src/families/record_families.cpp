#include "families/record_family.hpp"

namespace portcullis::ingest {

RecordFamilies::RecordFamilies() {
  families_.push_back(make_asset_family());
  families_.push_back(make_device_event_family());
  families_.push_back(make_operator_command_family());
  families_.push_back(make_site_load_family());
  families_.push_back(make_epcis_family());
  families_.push_back(make_server_fact_family());
  for (const auto& family : families_) {
    for (const auto& type : family->record_types()) by_type_.emplace(type, family.get());
    for (const auto& prefix : family->type_prefixes()) by_prefix_.emplace_back(prefix, family.get());
  }
}

void RecordFamilies::live(Work& work, WriteContext& ctx) const {
  if (std::holds_alternative<DeadlineTick>(work)) {
    for (const auto& family : families_) family->deadline(ctx);
    return;
  }
  for (const auto& family : families_) {
    if (family->live(work, ctx)) return;
  }
}

RecordFamily* RecordFamilies::for_type(const std::string& type) const {
  if (const auto it = by_type_.find(type); it != by_type_.end()) return it->second;
  for (const auto& [prefix, family] : by_prefix_) {
    if (type.rfind(prefix, 0) == 0) return family;
  }
  return nullptr;
}

}  // namespace portcullis::ingest
