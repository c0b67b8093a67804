// Operator actions on the asset book: registry edits, the lifecycle with its evidence, move orders, seals.
// Every refusal is a Decision with a Reason plus a detail naming the field; every change lists before/after.
#include <algorithm>
#include <type_traits>

#include "portcullis/core/assets/asset_book.hpp"
#include "portcullis/core/overloaded.hpp"

namespace portcullis::core {
namespace {

AssetOutcome refuse(Reason reason, std::string detail) {
  AssetOutcome out;
  Decision d;
  d.verdict = Verdict::Deny;
  d.reason = reason;
  out.decision = d;
  out.detail = std::move(detail);
  return out;
}

AssetOutcome accepted(std::vector<FieldChange> changes) {
  AssetOutcome out;
  Decision d;
  d.verdict = Verdict::Grant;
  d.reason = Reason::Applied;
  out.decision = d;
  out.changes = std::move(changes);
  return out;
}

bool is_edge(AssetLifecycle from, AssetLifecycle to) {
  using L = AssetLifecycle;
  switch (from) {
    case L::Received: return to == L::InService;
    case L::InService: return to == L::Maintenance || to == L::Decommissioning;
    case L::Maintenance: return to == L::InService || to == L::Decommissioning;
    case L::Decommissioning:
    case L::Wiped:
    case L::Destroyed:
    case L::Disposed: return false;
  }
  return false;
}

std::string join(const std::vector<ZoneId>& zones) {
  std::string out;
  for (const auto& z : zones) {
    if (!out.empty()) out += ",";
    out += z.str();
  }
  return out;
}

std::string yes_no(bool b) {
  return b ? "true" : "false";
}

}  // namespace

AssetOutcome AssetBook::apply(const AssetAction& action, Timestamp now, const Actor& who) {
  return apply_action(action, now, who);
}

AssetOutcome AssetBook::apply_action(const AssetAction& action, Timestamp now, const Actor& who) {
  const SiteModel& m = *model_;
  // A person of the site, present and not revoked; empty string when fine, else the refusal.
  const auto check_person = [&](const PersonId& p, const char* field) -> std::optional<AssetOutcome> {
    const Index i = m.person_index(p);
    if (i == kNoIndex)
      return refuse(Reason::UnknownSubject, std::string{field} + ": unknown person \"" + p.str() + "\"");
    if (m.person(i).revoked)
      return refuse(Reason::PersonRevoked, std::string{field} + ": person \"" + p.str() + "\" is revoked");
    return std::nullopt;
  };
  const auto entry = [&](const char* what, const std::string& reason, std::vector<FieldChange> changes) {
    CustodyEntry e;
    e.at = now;
    e.what = what;
    e.by = who.id;
    e.person = who.person;
    e.reason = reason;
    e.changes = std::move(changes);
    return e;
  };
  const auto set_lifecycle = [&](std::uint32_t index, AssetLifecycle to, const char* what,
                                 const std::string& reason, std::vector<FieldChange> evidence,
                                 std::vector<PersonId> witnesses) {
    AssetState& a = assets_[index];
    std::vector<FieldChange> changes{
        {"lifecycle", std::string{to_string(a.def.lifecycle)}, std::string{to_string(to)}}};
    changes.insert(changes.end(), evidence.begin(), evidence.end());
    a.def.lifecycle = to;
    if (to == AssetLifecycle::InService) {
      a.missing_since_base = now;
      a.confirmed_in_home_at.reset();
      a.missing = false;
    }
    CustodyEntry e = entry(what, reason, changes);
    e.witnesses = std::move(witnesses);
    trails_[index].push_back(std::move(e));
    return accepted(std::move(changes));
  };
  const auto find_asset = [&](const AssetId& id, std::uint32_t& index) -> std::optional<AssetOutcome> {
    index = index_of(id);
    if (index == 0xFFFFFFFFU)
      return refuse(Reason::UnknownSubject, "asset: unknown asset \"" + id.str() + "\"");
    return std::nullopt;
  };

  return std::visit(
      Overloaded{
          [&](const RegisterAsset& act) -> AssetOutcome {
            const AssetDef& d = act.asset;
            if (act.reason.empty()) return refuse(Reason::InvalidValue, "reason: required");
            if (d.id.empty()) return refuse(Reason::InvalidValue, "asset.id: required");
            if (index_of(d.id) != 0xFFFFFFFFU)
              return refuse(Reason::DuplicateId, "asset.id: \"" + d.id.str() + "\" exists");
            if (!is_valid_epc(d.epc))
              return refuse(Reason::InvalidValue, "asset.epc: not an EPC pure-identity URN");
            if (by_epc_.contains(epc_key(d.epc)))
              return refuse(Reason::DuplicateId, "asset.epc: \"" + d.epc + "\" is another asset's");
            if (!d.home_rack.empty() && m.rack_index(d.home_rack) == kNoIndex)
              return refuse(Reason::UnknownSubject,
                            "asset.home_rack: unknown rack \"" + d.home_rack.str() + "\"");
            for (const auto& z : d.allowed_zones) {
              if (m.zone_index(z) == kNoIndex)
                return refuse(Reason::UnknownSubject,
                              "asset.allowed_zones: unknown zone \"" + z.str() + "\"");
            }
            if (!d.custodian.empty()) {
              if (auto r = check_person(d.custodian, "asset.custodian")) return *r;
            }
            if (d.unit < 0 || d.unit > 60) return refuse(Reason::InvalidValue, "asset.unit: must be 0..60");
            if (d.missing_after_s < 0)
              return refuse(Reason::InvalidValue, "asset.missing_after_s: must not be negative");
            if (d.lifecycle != AssetLifecycle::Received && d.lifecycle != AssetLifecycle::InService &&
                d.lifecycle != AssetLifecycle::Maintenance)
              return refuse(Reason::InvalidTransition,
                            "asset.lifecycle: a new asset is received, in service or in maintenance");
            add_asset(d, now);
            std::vector<FieldChange> changes{
                {"id", "", d.id.str()},
                {"tag", "", d.tag},
                {"serial", "", d.serial},
                {"model", "", d.model},
                {"kind", "", std::string{to_string(d.kind)}},
                {"epc", "", d.epc},
                {"home_rack", "", d.home_rack.str()},
                {"unit", "", std::to_string(d.unit)},
                {"custodian", "", d.custodian.str()},
                {"lifecycle", "", std::string{to_string(d.lifecycle)}},
                {"holds_model_weights", "", yes_no(d.holds_model_weights)},
                {"allowed_zones", "", join(d.allowed_zones)},
                {"missing_after_s", "", std::to_string(d.missing_after_s)},
            };
            trails_.back().push_back(entry("registered", act.reason, changes));
            return accepted(std::move(changes));
          },
          [&](const UpdateAsset& act) -> AssetOutcome {
            std::uint32_t index = 0;
            if (auto r = find_asset(act.asset, index)) return *r;
            if (act.reason.empty()) return refuse(Reason::InvalidValue, "reason: required");
            AssetDef next = assets_[index].def;
            std::vector<FieldChange> changes;
            const auto text = [&](const std::optional<std::string>& v, std::string& field, const char* name) {
              if (v && *v != field) {
                changes.push_back({name, field, *v});
                field = *v;
              }
            };
            text(act.tag, next.tag, "tag");
            text(act.serial, next.serial, "serial");
            text(act.model, next.model, "model");
            if (act.epc && *act.epc != next.epc) {
              if (!is_valid_epc(*act.epc))
                return refuse(Reason::InvalidValue, "epc: not an EPC pure-identity URN");
              if (by_epc_.contains(epc_key(*act.epc)))
                return refuse(Reason::DuplicateId, "epc: \"" + *act.epc + "\" is another asset's");
              changes.push_back({"epc", next.epc, *act.epc});
              next.epc = *act.epc;
            }
            if (act.kind && *act.kind != next.kind) {
              changes.push_back(
                  {"kind", std::string{to_string(next.kind)}, std::string{to_string(*act.kind)}});
              next.kind = *act.kind;
            }
            if (act.home_rack && *act.home_rack != next.home_rack) {
              if (!act.home_rack->empty() && m.rack_index(*act.home_rack) == kNoIndex)
                return refuse(Reason::UnknownSubject,
                              "home_rack: unknown rack \"" + act.home_rack->str() + "\"");
              changes.push_back({"home_rack", next.home_rack.str(), act.home_rack->str()});
              next.home_rack = *act.home_rack;
            }
            if (act.unit && *act.unit != next.unit) {
              if (*act.unit < 0 || *act.unit > 60) return refuse(Reason::InvalidValue, "unit: must be 0..60");
              changes.push_back({"unit", std::to_string(next.unit), std::to_string(*act.unit)});
              next.unit = *act.unit;
            }
            if (act.custodian && *act.custodian != next.custodian) {
              if (!act.custodian->empty()) {
                if (auto r = check_person(*act.custodian, "custodian")) return *r;
              }
              changes.push_back({"custodian", next.custodian.str(), act.custodian->str()});
              next.custodian = *act.custodian;
            }
            if (act.holds_model_weights && *act.holds_model_weights != next.holds_model_weights) {
              changes.push_back({"holds_model_weights", yes_no(next.holds_model_weights),
                                 yes_no(*act.holds_model_weights)});
              next.holds_model_weights = *act.holds_model_weights;
            }
            if (act.allowed_zones && *act.allowed_zones != next.allowed_zones) {
              for (const auto& z : *act.allowed_zones) {
                if (m.zone_index(z) == kNoIndex)
                  return refuse(Reason::UnknownSubject, "allowed_zones: unknown zone \"" + z.str() + "\"");
              }
              changes.push_back({"allowed_zones", join(next.allowed_zones), join(*act.allowed_zones)});
              next.allowed_zones = *act.allowed_zones;
            }
            if (act.missing_after_s && *act.missing_after_s != next.missing_after_s) {
              if (*act.missing_after_s < 0)
                return refuse(Reason::InvalidValue, "missing_after_s: must not be negative");
              changes.push_back({"missing_after_s", std::to_string(next.missing_after_s),
                                 std::to_string(*act.missing_after_s)});
              next.missing_after_s = *act.missing_after_s;
            }
            if (changes.empty()) return refuse(Reason::InvalidValue, "nothing to change");
            AssetState& a = assets_[index];
            if (next.epc != a.def.epc) {
              by_epc_.erase(by_epc_.find(epc_key(a.def.epc)));
              by_epc_.emplace(epc_key(next.epc), index);
            }
            if (next.home_rack != a.def.home_rack) {
              a.missing_since_base = now;
              a.confirmed_in_home_at.reset();
              a.missing = false;
            }
            a.def = std::move(next);
            trails_[index].push_back(entry("updated", act.reason, changes));
            return accepted(std::move(changes));
          },
          [&](const ChangeLifecycle& act) -> AssetOutcome {
            std::uint32_t index = 0;
            if (auto r = find_asset(act.asset, index)) return *r;
            if (act.reason.empty()) return refuse(Reason::InvalidValue, "reason: required");
            const AssetLifecycle from = assets_[index].def.lifecycle;
            if (act.to == AssetLifecycle::Wiped || act.to == AssetLifecycle::Destroyed ||
                act.to == AssetLifecycle::Disposed) {
              return refuse(
                  Reason::InvalidTransition,
                  "to: " + std::string{to_string(act.to)} +
                      " is recorded with its evidence (record_wipe, record_destruction, record_disposal)");
            }
            if (!is_edge(from, act.to)) {
              return refuse(Reason::InvalidTransition, "to: " + std::string{to_string(from)} + " -> " +
                                                           std::string{to_string(act.to)} +
                                                           " is not an edge of the asset lifecycle");
            }
            return set_lifecycle(index, act.to, "lifecycle", act.reason, {}, {});
          },
          [&](const RecordWipe& act) -> AssetOutcome {
            std::uint32_t index = 0;
            if (auto r = find_asset(act.asset, index)) return *r;
            if (act.reason.empty()) return refuse(Reason::InvalidValue, "reason: required");
            if (assets_[index].def.lifecycle != AssetLifecycle::Decommissioning)
              return refuse(Reason::InvalidTransition,
                            "asset: a wipe is recorded on a decommissioning asset, this one is " +
                                std::string{to_string(assets_[index].def.lifecycle)});
            if (std::find(std::begin(kWipeMethods), std::end(kWipeMethods), act.method) ==
                std::end(kWipeMethods))
              return refuse(Reason::EvidenceRequired,
                            "method: expected nist-800-88-clear, nist-800-88-purge, crypto-erase or degauss");
            if (!is_sha256_hex(act.certificate_sha256))
              return refuse(Reason::EvidenceRequired,
                            "certificate_sha256: expected the SHA-256 of the wipe certificate (64 lowercase "
                            "hex digits)");
            return set_lifecycle(
                index, AssetLifecycle::Wiped, "wipe", act.reason,
                {{"wipe_method", "", act.method}, {"wipe_certificate_sha256", "", act.certificate_sha256}},
                {});
          },
          [&](const RecordDestruction& act) -> AssetOutcome {
            std::uint32_t index = 0;
            if (auto r = find_asset(act.asset, index)) return *r;
            if (act.reason.empty()) return refuse(Reason::InvalidValue, "reason: required");
            if (assets_[index].def.lifecycle != AssetLifecycle::Wiped)
              return refuse(Reason::InvalidTransition,
                            "asset: destruction is recorded on a wiped asset, this one is " +
                                std::string{to_string(assets_[index].def.lifecycle)});
            if (act.method.empty()) return refuse(Reason::EvidenceRequired, "method: required");
            if (act.witnesses[0].empty() || act.witnesses[1].empty())
              return refuse(Reason::SecondPersonRequired, "witnesses: two distinct witnesses are required");
            if (act.witnesses[0] == act.witnesses[1])
              return refuse(Reason::SamePersonTwice, "witnesses: the two witnesses must be distinct persons");
            if (auto r = check_person(act.witnesses[0], "witnesses[0]")) return *r;
            if (auto r = check_person(act.witnesses[1], "witnesses[1]")) return *r;
            if (!act.certificate_sha256.empty() && !is_sha256_hex(act.certificate_sha256))
              return refuse(Reason::InvalidValue, "certificate_sha256: expected 64 lowercase hex digits");
            std::vector<FieldChange> evidence{
                {"destruction_method", "", act.method},
                {"witnesses", "", act.witnesses[0].str() + "," + act.witnesses[1].str()}};
            if (!act.certificate_sha256.empty())
              evidence.push_back({"destruction_certificate_sha256", "", act.certificate_sha256});
            return set_lifecycle(index, AssetLifecycle::Destroyed, "destruction", act.reason,
                                 std::move(evidence), {act.witnesses[0], act.witnesses[1]});
          },
          [&](const RecordDisposal& act) -> AssetOutcome {
            std::uint32_t index = 0;
            if (auto r = find_asset(act.asset, index)) return *r;
            if (act.reason.empty()) return refuse(Reason::InvalidValue, "reason: required");
            if (assets_[index].def.lifecycle != AssetLifecycle::Destroyed)
              return refuse(Reason::InvalidTransition,
                            "asset: disposal is recorded on a destroyed asset, this one is " +
                                std::string{to_string(assets_[index].def.lifecycle)});
            if (act.vendor.empty()) return refuse(Reason::EvidenceRequired, "vendor: required");
            if (act.manifest.empty()) return refuse(Reason::EvidenceRequired, "manifest: required");
            return set_lifecycle(index, AssetLifecycle::Disposed, "disposal", act.reason,
                                 {{"vendor", "", act.vendor}, {"manifest", "", act.manifest}}, {});
          },
          [&](const RequestMoveOrder& act) -> AssetOutcome {
            if (act.order.empty()) return refuse(Reason::InvalidValue, "order: required");
            if (order_ids_.contains(act.order))
              return refuse(Reason::DuplicateId, "order: \"" + act.order.str() + "\" exists");
            std::uint32_t index = 0;
            if (auto r = find_asset(act.asset, index)) return *r;
            if (act.reason.empty()) return refuse(Reason::InvalidValue, "reason: required");
            if (act.to_zone.empty() == act.to_rack.empty())
              return refuse(Reason::InvalidValue, "a move order names exactly one of to_zone or to_rack");
            if (!act.to_zone.empty() && m.zone_index(act.to_zone) == kNoIndex)
              return refuse(Reason::UnknownSubject, "to_zone: unknown zone \"" + act.to_zone.str() + "\"");
            if (!act.to_rack.empty() && m.rack_index(act.to_rack) == kNoIndex)
              return refuse(Reason::UnknownSubject, "to_rack: unknown rack \"" + act.to_rack.str() + "\"");
            if (act.valid_until <= now) return refuse(Reason::RequestExpired, "valid_until: already passed");
            const AssetState& a = assets_[index];
            MoveOrder order;
            order.id = act.order;
            order.asset = act.asset;
            order.to_zone = act.to_zone;
            order.to_rack = act.to_rack;
            order.origin = a.location.zone;
            if (order.origin.empty() && !a.def.home_rack.empty()) {
              const Index rack = m.rack_index(a.def.home_rack);
              if (rack != kNoIndex) order.origin = m.zone(m.rack(rack).zone).def.id;
            }
            order.reason = act.reason;
            order.valid_until = act.valid_until;
            order.requested_by = who.id;
            order.requester = who.person;
            order.requested_at = now;
            order_ids_.emplace(order.id, static_cast<std::uint32_t>(orders_.size()));
            std::vector<FieldChange> changes{
                {"move_order", "", order.id.str()},
                {"destination", "",
                 act.to_rack.empty() ? "zone:" + act.to_zone.str() : "rack:" + act.to_rack.str()},
                {"origin", "", order.origin.str()},
                {"valid_until", "", std::to_string(to_unix_micros(act.valid_until))},
                {"status", "", "requested"}};
            orders_.push_back(std::move(order));
            trails_[index].push_back(entry("move_order_requested", act.reason, changes));
            return accepted(std::move(changes));
          },
          [&](const ApproveMoveOrder& act) -> AssetOutcome {
            auto it = order_ids_.find(act.order);
            if (it == order_ids_.end())
              return refuse(Reason::UnknownSubject, "order: unknown move order \"" + act.order.str() + "\"");
            MoveOrder& order = orders_[it->second];
            if (order.status != MoveOrderStatus::Requested)
              return refuse(Reason::AlreadyDecided, "order: already " + std::string{to_string(order.status)});
            if (now >= order.valid_until) return refuse(Reason::RequestExpired, "order: expired");
            if (who.id == order.requested_by || (!who.person.empty() && who.person == order.requester))
              return refuse(Reason::SelfApproval, "order: the requester cannot approve their own move order");
            if (!who.may_approve) return refuse(Reason::ApproverRoleRequired, "approver role required");
            order.status = MoveOrderStatus::Approved;
            order.approved_by = who.id;
            order.approver = who.person;
            order.comment = act.comment;
            order.approved_at = now;
            std::vector<FieldChange> changes{{"move_order." + order.id.str(), "requested", "approved"}};
            trails_[index_of(order.asset)].push_back(entry("move_order_approved", act.comment, changes));
            return accepted(std::move(changes));
          },
          [&](const CheckSeal& act) -> AssetOutcome {
            auto it = seal_ids_.find(act.seal);
            if (it == seal_ids_.end())
              return refuse(Reason::UnknownSubject, "seal: unknown seal \"" + act.seal.str() + "\"");
            SealState& s = seals_[it->second];
            if (s.retired) return refuse(Reason::AlreadyDecided, "seal: retired (replaced by a fitted seal)");
            bool alarm = false;
            std::string why;
            if (act.status == SealStatus::Broken) {
              alarm = true;
              why = "found broken";
            } else if (act.status == SealStatus::Intact) {
              if (!act.observed_serial.empty() && act.observed_serial != s.def.serial) {
                alarm = true;
                why = "carries serial " + act.observed_serial + " instead of " + s.def.serial;
              }
            } else {
              // Replaced: fine only by a seal fitted on record at the same place.
              bool known = false;
              for (const auto& other : seals_) {
                known = known || (!other.retired && other.def.id != s.def.id &&
                                  other.def.serial == act.observed_serial && other.def.rack == s.def.rack &&
                                  other.def.asset == s.def.asset);
              }
              if (!known) {
                alarm = true;
                why = "replaced by an unregistered seal" +
                      (act.observed_serial.empty() ? std::string{} : " (serial " + act.observed_serial + ")");
              }
            }
            const SealStatus before = s.status;
            s.status =
                alarm ? (act.status == SealStatus::Intact ? SealStatus::Replaced : act.status) : act.status;
            if (!alarm && act.status == SealStatus::Replaced) s.retired = true;
            s.checked_at = now;
            s.last_observed_serial = act.observed_serial;
            AssetOutcome out =
                accepted({{"seal." + s.def.id.str() + ".status", std::string{to_string(before)},
                           std::string{to_string(s.status)}},
                          {"seal." + s.def.id.str() + ".observed_serial", "", act.observed_serial}});
            if (alarm) {
              const std::string place =
                  s.def.rack.empty() ? "asset " + s.def.asset.str() : "rack " + s.def.rack.str();
              out.alarms.push_back(
                  Alarm{"seal_broken", seal_is_critical(s) ? Severity::Critical : Severity::High,
                        s.def.id.str(), "seal " + s.def.serial + " on " + place + " " + why, false});
            }
            if (!s.def.asset.empty()) {
              const std::uint32_t index = index_of(s.def.asset);
              if (index != 0xFFFFFFFFU)
                trails_[index].push_back(entry("seal_checked", act.comment, out.changes));
            }
            return out;
          },
          [&](const FitSeal& act) -> AssetOutcome {
            const SealDef& d = act.seal;
            if (who.person.empty())
              return refuse(Reason::SecondPersonRequired,
                            "the fitting operator must be a person of the site");
            if (act.witness.empty())
              return refuse(Reason::SecondPersonRequired, "witness: a second person is required");
            if (act.witness == who.person)
              return refuse(Reason::SamePersonTwice,
                            "witness: must be another person than the one fitting the seal");
            if (auto r = check_person(who.person, "operator")) return *r;
            if (auto r = check_person(act.witness, "witness")) return *r;
            if (d.id.empty()) return refuse(Reason::InvalidValue, "seal.id: required");
            if (seal_ids_.contains(d.id))
              return refuse(Reason::DuplicateId, "seal.id: \"" + d.id.str() + "\" exists");
            if (d.serial.empty()) return refuse(Reason::InvalidValue, "seal.serial: required");
            for (const auto& other : seals_) {
              if (other.def.serial == d.serial)
                return refuse(Reason::DuplicateId, "seal.serial: \"" + d.serial + "\" is already registered");
            }
            if (d.rack.empty() == d.asset.empty())
              return refuse(Reason::InvalidValue, "a seal is on exactly one of rack or asset");
            if (!d.rack.empty() && m.rack_index(d.rack) == kNoIndex)
              return refuse(Reason::UnknownSubject, "seal.rack: unknown rack \"" + d.rack.str() + "\"");
            if (!d.asset.empty() && index_of(d.asset) == 0xFFFFFFFFU)
              return refuse(Reason::UnknownSubject, "seal.asset: unknown asset \"" + d.asset.str() + "\"");
            SealState* replaced = nullptr;
            if (!act.replaces.empty()) {
              auto it = seal_ids_.find(act.replaces);
              if (it == seal_ids_.end())
                return refuse(Reason::UnknownSubject,
                              "replaces: unknown seal \"" + act.replaces.str() + "\"");
              replaced = &seals_[it->second];
              if (replaced->retired) return refuse(Reason::AlreadyDecided, "replaces: already retired");
              if (replaced->def.rack != d.rack || replaced->def.asset != d.asset)
                return refuse(Reason::InvalidValue, "replaces: that seal is on another rack or asset");
            }
            std::vector<FieldChange> changes{
                {"seal", "", d.id.str()},
                {"seal.serial", "", d.serial},
                {"seal.place", "", d.rack.empty() ? "asset:" + d.asset.str() : "rack:" + d.rack.str()},
                {"witness", "", act.witness.str()}};
            if (replaced != nullptr) {
              changes.push_back({"seal." + replaced->def.id.str() + ".retired", "false", "true"});
              replaced->retired = true;
            }
            add_seal(d);
            if (!d.asset.empty()) {
              CustodyEntry e = entry("seal_fitted", act.reason, changes);
              e.witnesses = {act.witness};
              trails_[index_of(d.asset)].push_back(std::move(e));
            }
            return accepted(std::move(changes));
          },
      },
      action);
}

}  // namespace portcullis::core
