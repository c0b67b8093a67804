#pragma once
// Day-to-day admin edits of people, credentials and group membership made through the admin API instead of
// the site file. They are operator actions (OperatorAction's AdminChange), decided in order with device
// events, recorded as policy.<type> records and replayed like every other action.
//
// How the engine applies them (choice: rebuild, not overlay lookups). The edits in force are kept in
// EngineState::admin, keyed by id like the added grants, and laid over the loaded site definition
// (apply_edits). After each applied edit the engine builds a new SiteModel from (definition + edits) with
// SiteModel::build, which validates with the same core::validate as a site file (duplicate badge, unknown
// group, bad Wiegand bits... named by JSON path), and swaps it in. Decisions therefore read one compiled
// model with no overlay lookup on the hot path (the decision rate is unchanged); an edit costs one model
// build, O(size of the site): well under a millisecond for the example data center, about 1.2 s for the
// 100,000 person campus of docs/performance.md. Pending multi-factor attempts are re-resolved by id, not
// abandoned. Keyed by id, the edits survive a site reload: a new site file is loaded with them laid over it.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "portcullis/core/model/problem.hpp"
#include "portcullis/core/model/site_definition.hpp"
#include "portcullis/core/strong_id.hpp"

namespace portcullis::core {

// Adds the person, or updates the name, role and clearance of an existing one (credentials untouched).
struct UpsertPerson {
  PersonId person;
  std::string name;
  std::string role;
  ClearanceDef clearance;
  friend bool operator==(const UpsertPerson&, const UpsertPerson&) = default;
};
struct AddCard {
  PersonId person;
  CardDef card;
  friend bool operator==(const AddCard&, const AddCard&) = default;
};
struct AddBiometric {
  PersonId person;
  BiometricDef biometric;  // the reader's template reference, never the template
  friend bool operator==(const AddBiometric&, const AddBiometric&) = default;
};
// `pin_hash` is the slow salted hash made by the server (server/crypto); the clear PIN never reaches the
// engine or the log. An empty hash removes the PIN.
struct SetPin {
  PersonId person;
  std::string pin_hash;
  bool duress = false;
  friend bool operator==(const SetPin&, const SetPin&) = default;
};
struct RemoveCredential {
  PersonId person;
  CredentialId credential;
  std::string reason;
  friend bool operator==(const RemoveCredential&, const RemoveCredential&) = default;
};
struct AddGroupMember {
  GroupId group;
  PersonId person;
  friend bool operator==(const AddGroupMember&, const AddGroupMember&) = default;
};
struct RemoveGroupMember {
  GroupId group;
  PersonId person;
  friend bool operator==(const RemoveGroupMember&, const RemoveGroupMember&) = default;
};

using AdminEdit = std::variant<UpsertPerson, AddCard, AddBiometric, SetPin, RemoveCredential, AddGroupMember,
                               RemoveGroupMember>;

// The operator action wrapping one edit.
struct AdminChange {
  AdminEdit edit;
};

[[nodiscard]] const char* type_name(const AdminEdit& edit) noexcept;

struct AddedCredential {
  PersonId person;
  std::optional<CardDef> card;
  std::optional<BiometricDef> biometric;
  friend bool operator==(const AddedCredential&, const AddedCredential&) = default;
};

// The edits in force. Keyed, so laying them over a definition is idempotent: a site file that already holds
// a REST-added person or credential (exported and reloaded) does not get it twice.
struct AdminEdits {
  std::map<PersonId, UpsertPerson> people;
  std::map<CredentialId, AddedCredential> credentials;
  std::set<CredentialId> removed_credentials;
  std::map<PersonId, std::string> pins;         // empty: PIN removed
  std::map<PersonId, std::string> duress_pins;  // empty: duress PIN removed
  std::set<std::pair<GroupId, PersonId>> members_added;
  std::set<std::pair<GroupId, PersonId>> members_removed;
  [[nodiscard]] bool empty() const noexcept {
    return people.empty() && credentials.empty() && removed_credentials.empty() && pins.empty() &&
           duress_pins.empty() && members_added.empty() && members_removed.empty();
  }
  friend bool operator==(const AdminEdits&, const AdminEdits&) = default;
};

// Records the edit (the caller has checked it applies).
void record_edit(AdminEdits& edits, const AdminEdit& edit);
// `site` with the edits laid over it, in a fixed order: people, removed then added credentials, PINs,
// membership. Edits whose person or group is not in `site` are skipped (a reload may have removed them).
void apply_edits(SiteDefinition& site, const AdminEdits& edits);
// One edit on a definition: what the engine does for a new edit.
void apply_edit(SiteDefinition& site, const AdminEdit& edit);

// What the last admin edit did, for the record (before/after) and the HTTP answer (problems).
struct AdminReport {
  enum class Refusal { None, NotFound, Conflict, Invalid };
  Refusal refusal = Refusal::None;
  Problems problems;  // why refused, by JSON path in the effective site definition
  std::optional<PersonDef> person_before, person_after;
  std::optional<GroupDef> group_before, group_after;
};

}  // namespace portcullis::core
