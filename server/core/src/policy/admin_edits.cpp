// Admin edits laid over a site definition (see admin_change.hpp for why the engine rebuilds its model).
#include <algorithm>
#include <unordered_map>
#include "portcullis/core/overloaded.hpp"

#include "portcullis/core/engine.hpp"
#include "portcullis/core/policy/admin_change.hpp"
#include "supervision.hpp"

namespace portcullis::core {
namespace {

PersonDef* find_person(SiteDefinition& site, const PersonId& id) {
  auto it =
      std::find_if(site.people.begin(), site.people.end(), [&](const PersonDef& p) { return p.id == id; });
  return it == site.people.end() ? nullptr : &*it;
}

GroupDef* find_group(SiteDefinition& site, const GroupId& id) {
  auto it =
      std::find_if(site.groups.begin(), site.groups.end(), [&](const GroupDef& g) { return g.id == id; });
  return it == site.groups.end() ? nullptr : &*it;
}

void erase_credential(PersonDef& p, const CredentialId& id) {
  std::erase_if(p.cards, [&](const CardDef& c) { return c.id == id; });
  std::erase_if(p.biometrics, [&](const BiometricDef& b) { return b.id == id; });
}

void upsert(SiteDefinition& site, const UpsertPerson& e) {
  if (PersonDef* p = find_person(site, e.person)) {
    p->name = e.name;
    p->role = e.role;
    p->clearance = e.clearance;
    return;
  }
  PersonDef p;
  p.id = e.person;
  p.name = e.name;
  p.role = e.role;
  p.clearance = e.clearance;
  site.people.push_back(std::move(p));
}

void add_member(SiteDefinition& site, const GroupId& group, const PersonId& person) {
  if (GroupDef* g = find_group(site, group)) {
    if (std::find(g->members.begin(), g->members.end(), person) == g->members.end())
      g->members.push_back(person);
  }
}

void remove_member(SiteDefinition& site, const GroupId& group, const PersonId& person) {
  if (GroupDef* g = find_group(site, group)) std::erase(g->members, person);
}

}  // namespace

const char* type_name(const AdminEdit& edit) noexcept {
  return std::visit(Overloaded{
                        [](const UpsertPerson&) { return "upsert_person"; },
                        [](const AddCard&) { return "add_card"; },
                        [](const AddBiometric&) { return "add_biometric"; },
                        [](const SetPin&) { return "set_pin"; },
                        [](const RemoveCredential&) { return "remove_credential"; },
                        [](const AddGroupMember&) { return "add_group_member"; },
                        [](const RemoveGroupMember&) { return "remove_group_member"; },
                    },
                    edit);
}

void record_edit(AdminEdits& edits, const AdminEdit& edit) {
  std::visit(
      Overloaded{
          [&](const UpsertPerson& e) { edits.people.insert_or_assign(e.person, e); },
          [&](const AddCard& e) {
            edits.removed_credentials.erase(e.card.id);
            edits.credentials.insert_or_assign(e.card.id, AddedCredential{e.person, e.card, std::nullopt});
          },
          [&](const AddBiometric& e) {
            edits.removed_credentials.erase(e.biometric.id);
            edits.credentials.insert_or_assign(e.biometric.id,
                                               AddedCredential{e.person, std::nullopt, e.biometric});
          },
          [&](const SetPin& e) { (e.duress ? edits.duress_pins : edits.pins)[e.person] = e.pin_hash; },
          [&](const RemoveCredential& e) {
            edits.credentials.erase(e.credential);
            edits.removed_credentials.insert(e.credential);
          },
          [&](const AddGroupMember& e) {
            edits.members_removed.erase({e.group, e.person});
            edits.members_added.insert({e.group, e.person});
          },
          [&](const RemoveGroupMember& e) {
            edits.members_added.erase({e.group, e.person});
            edits.members_removed.insert({e.group, e.person});
          },
      },
      edit);
}

void apply_edit(SiteDefinition& site, const AdminEdit& edit) {
  std::visit(Overloaded{
                 [&](const UpsertPerson& e) { upsert(site, e); },
                 [&](const AddCard& e) {
                   for (auto& p : site.people) erase_credential(p, e.card.id);
                   if (PersonDef* p = find_person(site, e.person)) p->cards.push_back(e.card);
                 },
                 [&](const AddBiometric& e) {
                   for (auto& p : site.people) erase_credential(p, e.biometric.id);
                   if (PersonDef* p = find_person(site, e.person)) p->biometrics.push_back(e.biometric);
                 },
                 [&](const SetPin& e) {
                   if (PersonDef* p = find_person(site, e.person))
                     (e.duress ? p->duress_pin_hash : p->pin_hash) = e.pin_hash;
                 },
                 [&](const RemoveCredential& e) {
                   for (auto& p : site.people) erase_credential(p, e.credential);
                 },
                 [&](const AddGroupMember& e) { add_member(site, e.group, e.person); },
                 [&](const RemoveGroupMember& e) { remove_member(site, e.group, e.person); },
             },
             edit);
}

void apply_edits(SiteDefinition& site, const AdminEdits& edits) {
  if (edits.empty()) return;
  for (const auto& [id, e] : edits.people) upsert(site, e);
  std::unordered_map<PersonId, std::size_t> person_at;
  person_at.reserve(site.people.size());
  for (std::size_t i = 0; i < site.people.size(); ++i) person_at.emplace(site.people[i].id, i);
  auto person = [&](const PersonId& id) -> PersonDef* {
    auto it = person_at.find(id);
    return it == person_at.end() ? nullptr : &site.people[it->second];
  };
  if (!edits.removed_credentials.empty() || !edits.credentials.empty()) {
    auto gone = [&](const CredentialId& id) {
      return edits.removed_credentials.contains(id) || edits.credentials.contains(id);
    };
    for (auto& p : site.people) {
      std::erase_if(p.cards, [&](const CardDef& c) { return gone(c.id); });
      std::erase_if(p.biometrics, [&](const BiometricDef& b) { return gone(b.id); });
    }
  }
  for (const auto& [id, added] : edits.credentials) {
    PersonDef* p = person(added.person);
    if (p == nullptr) continue;
    if (added.card) p->cards.push_back(*added.card);
    if (added.biometric) p->biometrics.push_back(*added.biometric);
  }
  for (const auto& [id, hash] : edits.pins) {
    if (PersonDef* p = person(id)) p->pin_hash = hash;
  }
  for (const auto& [id, hash] : edits.duress_pins) {
    if (PersonDef* p = person(id)) p->duress_pin_hash = hash;
  }
  for (const auto& [group, member] : edits.members_removed) remove_member(site, group, member);
  for (const auto& [group, member] : edits.members_added) add_member(site, group, member);
}

}  // namespace portcullis::core

// ---- The engine side: apply one admin edit, load a site with the edits laid over it. ----
namespace portcullis::core {
namespace {

Outcome refused(Reason reason, PersonId person = {}) {
  Decision d;
  d.verdict = Verdict::Deny;
  d.reason = reason;
  d.person = std::move(person);
  Outcome out;
  out.decision = std::move(d);
  return out;
}

const PersonDef* person_in(const SiteDefinition& site, const PersonId& id) {
  for (const auto& p : site.people) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const GroupDef* group_in(const SiteDefinition& site, const GroupId& id) {
  for (const auto& g : site.groups) {
    if (g.id == id) return &g;
  }
  return nullptr;
}

// The person holding a credential id, if any.
const PersonDef* holder_of(const SiteDefinition& site, const CredentialId& id) {
  for (const auto& p : site.people) {
    for (const auto& c : p.cards) {
      if (c.id == id) return &p;
    }
    for (const auto& b : p.biometrics) {
      if (b.id == id) return &p;
    }
  }
  return nullptr;
}

PersonId person_of(const AdminEdit& edit) {
  return std::visit(Overloaded{
                        [](const UpsertPerson& e) { return e.person; },
                        [](const AddCard& e) { return e.person; },
                        [](const AddBiometric& e) { return e.person; },
                        [](const SetPin& e) { return e.person; },
                        [](const RemoveCredential& e) { return e.person; },
                        [](const AddGroupMember& e) { return e.person; },
                        [](const RemoveGroupMember& e) { return e.person; },
                    },
                    edit);
}

}  // namespace

Problems Engine::load_site(std::shared_ptr<const SiteDefinition> definition,
                           std::shared_ptr<const SiteModel> built) {
  if (!definition) return {{"$", "no site definition"}};
  std::shared_ptr<const SiteDefinition> effective = definition;
  std::shared_ptr<const SiteModel> model = state_.admin.empty() ? std::move(built) : nullptr;
  if (!state_.admin.empty()) {
    auto laid = std::make_shared<SiteDefinition>(*definition);
    apply_edits(*laid, state_.admin);
    effective = std::move(laid);
  }
  if (!model) {
    auto result = SiteModel::build(*effective);
    if (!result.model) return result.problems;
    model = std::move(result.model);
  }
  base_ = std::move(definition);
  effective_ = std::move(effective);
  replace_model(std::move(model));
  return {};
}

Problems Engine::restore(std::shared_ptr<const SiteDefinition> definition, EngineState state,
                         std::shared_ptr<const SiteModel> built) {
  if (!definition) {
    state_ = std::move(state);
    return {};
  }
  std::shared_ptr<const SiteDefinition> effective = definition;
  std::shared_ptr<const SiteModel> model = state.admin.empty() ? std::move(built) : nullptr;
  if (!state.admin.empty()) {
    auto laid = std::make_shared<SiteDefinition>(*definition);
    apply_edits(*laid, state.admin);
    effective = std::move(laid);
  }
  if (!model) {
    auto result = SiteModel::build(*effective);
    if (!result.model) return result.problems;
    model = std::move(result.model);
  }
  base_ = std::move(definition);
  effective_ = std::move(effective);
  state_ = std::move(state);
  // The stored attempts' indexes are positions in the model they were taken with, which may number people
  // otherwise than this one: resolve them again by id (and drop one whose person or credential is gone).
  swap_model_keeping_attempts(std::move(model));
  return {};
}

void Engine::swap_model_keeping_attempts(std::shared_ptr<const SiteModel> model) {
  // Admin edits never change zones, portals or racks, so attempt keys (portal/rack indexes) stay valid;
  // person and credential indexes are resolved again by id, and an attempt whose person or credential is
  // gone is dropped.
  model_ = std::move(model);
  for (auto it = state_.attempts.begin(); it != state_.attempts.end();) {
    PendingAttempt& a = it->second;
    a.person_index = model_->person_index(a.person);
    a.card_index = a.card.empty() ? kNoIndex : model_->credential_index(a.card);
    a.biometric_index = a.biometric.empty() ? kNoIndex : model_->credential_index(a.biometric);
    const bool lost = a.person_index == kNoIndex || (!a.card.empty() && a.card_index == kNoIndex) ||
                      (!a.biometric.empty() && a.biometric_index == kNoIndex);
    it = lost ? state_.attempts.erase(it) : std::next(it);
  }
}

Outcome Engine::apply_admin(const AdminChange& change, Timestamp now, const Actor&) {
  std::vector<Alarm> due;
  detail::run_deadlines(*model_, state_, now, due);
  admin_report_ = AdminReport{};
  Outcome out = admin_edit(change.edit);
  detail::after_input(*model_, state_, now);
  out.alarms.insert(out.alarms.begin(), due.begin(), due.end());
  return out;
}

Outcome Engine::admin_edit(const AdminEdit& edit) {
  using Refusal = AdminReport::Refusal;
  const PersonId person = person_of(edit);
  auto refuse = [&](Refusal refusal, std::string path, std::string message) {
    admin_report_.refusal = refusal;
    admin_report_.problems.push_back({std::move(path), std::move(message)});
    return refused(refusal == Refusal::Conflict ? Reason::DuplicateId : Reason::UnknownSubject, person);
  };
  if (!effective_) return refuse(Refusal::Invalid, "$", "the site definition is not loaded");
  const SiteDefinition& current = *effective_;
  const PersonDef* holder = person_in(current, person);
  const bool group_edit =
      std::holds_alternative<AddGroupMember>(edit) || std::holds_alternative<RemoveGroupMember>(edit);
  const GroupDef* group = nullptr;
  if (person.empty()) return refuse(Refusal::Invalid, "person", "a person id is required");
  if (holder == nullptr && !std::holds_alternative<UpsertPerson>(edit))
    return refuse(Refusal::NotFound, "person", "unknown person \"" + person.str() + "\"");
  if (const auto* e = std::get_if<AddCard>(&edit); e != nullptr && holder_of(current, e->card.id) != nullptr)
    return refuse(Refusal::Conflict, "id", "credential id \"" + e->card.id.str() + "\" is already in use");
  if (const auto* e = std::get_if<AddBiometric>(&edit);
      e != nullptr && holder_of(current, e->biometric.id) != nullptr)
    return refuse(Refusal::Conflict, "id",
                  "credential id \"" + e->biometric.id.str() + "\" is already in use");
  if (const auto* e = std::get_if<RemoveCredential>(&edit);
      e != nullptr && holder_of(current, e->credential) != holder)
    return refuse(Refusal::NotFound, "credential",
                  "\"" + person.str() + "\" holds no credential \"" + e->credential.str() + "\"");
  if (group_edit) {
    const GroupId id = std::holds_alternative<AddGroupMember>(edit) ? std::get<AddGroupMember>(edit).group
                                                                    : std::get<RemoveGroupMember>(edit).group;
    group = group_in(current, id);
    if (group == nullptr) return refuse(Refusal::NotFound, "group", "unknown group \"" + id.str() + "\"");
    const bool member =
        std::find(group->members.begin(), group->members.end(), person) != group->members.end();
    if (std::holds_alternative<AddGroupMember>(edit) && member)
      return refuse(Refusal::Conflict, "person", "\"" + person.str() + "\" is already a member");
    if (std::holds_alternative<RemoveGroupMember>(edit) && !member)
      return refuse(Refusal::NotFound, "person", "\"" + person.str() + "\" is not a member");
  }
  auto next = std::make_shared<SiteDefinition>(current);
  apply_edit(*next, edit);
  auto built = SiteModel::build(*next);
  if (!built.model) {
    const bool duplicate = std::any_of(built.problems.begin(), built.problems.end(), [](const Problem& p) {
      return p.message.find("duplicate") != std::string::npos;
    });
    admin_report_.refusal = duplicate ? Refusal::Conflict : Refusal::Invalid;
    admin_report_.problems = std::move(built.problems);
    return refused(duplicate ? Reason::DuplicateId : Reason::UnknownSubject, person);
  }
  if (group_edit) {
    admin_report_.group_before = *group;
    admin_report_.group_after = *group_in(*next, group->id);
  } else {
    if (holder != nullptr) admin_report_.person_before = *holder;
    if (const PersonDef* after = person_in(*next, person)) admin_report_.person_after = *after;
  }
  record_edit(state_.admin, edit);
  effective_ = std::move(next);
  swap_model_keeping_attempts(std::move(built.model));
  Decision d;
  d.verdict = Verdict::Grant;
  d.reason = Reason::Applied;
  d.person = person;
  Outcome out;
  out.decision = std::move(d);
  return out;
}

}  // namespace portcullis::core
