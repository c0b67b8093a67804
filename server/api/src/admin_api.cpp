#include "portcullis/api/admin_api.hpp"

#include "portcullis/core/text/identifier.hpp"

#include <algorithm>
#include <iostream>
#include <set>

#include "crypto/pin_hash.hpp"
#include "portcullis/json/admin_change_json.hpp"
#include "portcullis/json/operator_action_json.hpp"
#include "portcullis/json/operator_json.hpp"
#include "portcullis/ledger/records/desk_record.hpp"
#include "portcullis/ledger/records/operator_action_record.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/services/approval_record.hpp"
#include "portcullis/services/device_registry.hpp"
#include "portcullis/site_file/site_file.hpp"

namespace portcullis::api {
namespace {

// {"error": {"field", "message"}, "problems": [{"path", "message"}...]}: the first problem, then all of them.
http::HttpResponse problems_error(int status, const core::Problems& problems) {
  auto r = http::json_error(status, problems.empty() ? "$" : problems.front().json_path,
                            problems.empty() ? "invalid" : problems.front().message);
  r.body.pop_back();
  r.body += ",\"problems\":" + json::problems_json(problems) + "}";
  return r;
}

http::HttpResponse command_error(const ingest::CommandResult& result) {
  auto r = http::json_error(result.status, result.field, result.message);
  if (!result.detail_json.empty() && result.detail_json.front() == '[') {
    r.body.pop_back();
    r.body += ",\"problems\":" + result.detail_json + "}";
  }
  return r;
}

bool has_person(const ingest::Sequencer& sequencer, const std::string& id) {
  const auto site = sequencer.current_site();
  if (!site) return false;
  return std::any_of(site->people.begin(), site->people.end(),
                     [&](const core::PersonDef& p) { return p.id.str() == id; });
}

core::Actor actor_of(const operators::Principal& who) {
  core::Actor actor;
  actor.id = who.operator_id;
  actor.person = who.person;
  actor.may_approve = who.has_role_in({operators::Role::Supervisor, operators::Role::Admin});
  return actor;
}

// A person body: the site file's person shape, without credentials, PINs or status (they have their own
// routes, so that each change is its own recorded action).
// An id created over the API must be one the routes can address (/people/{id}/...): the one grammar.
std::optional<http::HttpResponse> id_problem(const std::string& id, const std::string& field) {
  if (core::text::is_valid_identifier(id)) return std::nullopt;
  return http::json_error(400, field,
                          "expected an identifier of " + std::string(core::text::kIdentifierGrammar));
}

std::variant<core::UpsertPerson, http::HttpResponse> person_from(const std::string& body) {
  auto parsed = site_file::parse_person_fragment(body);
  if (!parsed.value) return problems_error(400, parsed.problems);
  const auto& p = *parsed.value;
  if (auto problem = id_problem(p.id.str(), "id")) return *problem;
  if (!p.cards.empty() || !p.biometrics.empty())
    return http::json_error(400, "cards", "add credentials with POST /api/v1/people/{id}/credentials");
  if (!p.pin_hash.empty() || !p.duress_pin_hash.empty())
    return http::json_error(400, "pin_hash",
                            "set a PIN with PUT /api/v1/people/{id}/pin (the server hashes it)");
  if (p.revoked) return http::json_error(400, "status", "revoke with POST /api/v1/people/{id}/revoke");
  return core::UpsertPerson{p.id, p.name, p.role, p.clearance};
}

// The references of a new grant, checked against the site in force so that the answer names the field
// ("$.zones[0]": unknown zone). The engine checks them again at the grant's point of the log.
core::Problems unknown_references(const core::SiteDefinition& site, const core::GrantDef& g) {
  core::Problems out;
  auto has = [](const auto& list, const auto& id) {
    return std::any_of(list.begin(), list.end(), [&](const auto& d) { return d.id == id; });
  };
  if (!g.person.empty() && !has(site.people, g.person))
    out.push_back({"$.person", "unknown person \"" + g.person.str() + "\""});
  if (!g.group.empty() && !has(site.groups, g.group))
    out.push_back({"$.group", "unknown group \"" + g.group.str() + "\""});
  for (std::size_t i = 0; i < g.zones.size(); ++i) {
    if (!has(site.zones, g.zones[i]))
      out.push_back({"$.zones[" + std::to_string(i) + "]", "unknown zone \"" + g.zones[i].str() + "\""});
  }
  for (std::size_t i = 0; i < g.racks.size(); ++i) {
    if (!has(site.racks, g.racks[i]))
      out.push_back({"$.racks[" + std::to_string(i) + "]", "unknown rack \"" + g.racks[i].str() + "\""});
  }
  if (!g.schedule.empty() && !has(site.schedules, g.schedule))
    out.push_back({"$.schedule", "unknown schedule \"" + g.schedule.str() + "\""});
  if (g.person.empty() == g.group.empty()) out.push_back({"$.person", "give exactly one of person or group"});
  if (g.zones.empty() && g.racks.empty())
    out.push_back({"$.zones", "a grant covers at least one zone or rack"});
  return out;
}

// The names of held changes (PendingApproval::action), stored in change.requested records.
constexpr const char* kHeldAction = "widen_access";
constexpr const char* kHeldSiteLoad = "site_load_widening";
constexpr const char* kHeldOperatorChange = "operator_account";
// Who approves a change to an account that may approve: another admin, never a supervisor.
constexpr operators::RoleSet kOperatorChangeApprovers{operators::Role::Admin};

// The status a route answers once its action is applied (201 for what adds, 200 for the rest).
int status_when_done(const core::OperatorAction& action) {
  if (std::holds_alternative<core::AddGrant>(action)) return 201;
  if (const auto* change = std::get_if<core::AdminChange>(&action)) {
    return std::holds_alternative<core::AddCard>(change->edit) ||
                   std::holds_alternative<core::AddBiometric>(change->edit) ||
                   std::holds_alternative<core::AddGroupMember>(change->edit)
               ? 201
               : 200;
  }
  return 200;
}

std::string hash_change(std::string_view bytes) {
  return operators::crypto::sha256_hex(bytes);
}

}  // namespace

AdminApi::AdminApi(ingest::Sequencer& sequencer, services::WorkerPool& workers, const core::Clock& clock,
                   AdminLimits limits)
    : sequencer_(sequencer), workers_(workers), clock_(clock), limits_(limits) {}

void AdminApi::record_step(const std::string& type, const PendingChange& change, const std::string& by,
                           bool with_change, std::function<void(bool stored)> done) {
  json::ChangeRecord r;
  r.id = change.approval.id.str();
  r.requested_by = change.approval.requester.str();
  r.requester_person = change.approval.requester_person.str();
  if (change.requester.role) r.requester_role = std::string(operators::to_string(*change.requester.role));
  r.approval = services::detail::approval_record(change.approval);
  r.change = change.canonical;
  r.site_text = change.site_text;
  ingest::ServerFact fact;
  fact.type = type;
  fact.by_operator = true;
  fact.payload_json = json::change_record_json(by, r, with_change);
  fact.done = [done = std::move(done)](bool stored, std::int64_t) { done(stored); };
  sequencer_.record(std::move(fact));  // never under pending_mutex_: a refused fact is answered at once
}

void AdminApi::hold_for_approval(const std::string& action, const std::string& canonical,
                                 const std::string& site_text, const std::string& reasons_json,
                                 const operators::Principal& who, Execute execute, http::Responder respond,
                                 operators::RoleSet approver_roles, const std::string& reply_fields) {
  auto change = std::make_shared<PendingChange>();
  {
    std::lock_guard lock{pending_mutex_};
    const auto now = clock_.now();
    std::erase_if(pending_, [&](const auto& entry) { return entry.second.approval.expires_at <= now; });
    if (pending_.size() >= limits_.max_pending_changes)
      return respond(http::json_error(503, "server", "too many changes waiting for approval; retry later"));
  }
  const auto id = services::random_id("chg-");
  change->approval =
      operators::request_approval(operators::ApprovalId{id}, action, who, canonical, hash_change,
                                  clock_.now(), limits_.approval_validity, approver_roles);
  change->canonical = canonical;
  change->site_text = site_text;
  change->requester = who;
  change->execute = std::move(execute);
  record_step(
      "change.requested", *change, who.operator_id.str(), true,
      [this, change, id, action, reasons_json, reply_fields, respond](bool stored) {
        if (!stored) {
          return respond(http::json_error(503, "server",
                                          "the change's record could not be stored; nothing is held; retry"));
        }
        {
          std::lock_guard lock{pending_mutex_};
          pending_[id] = std::move(*change);
        }
        respond(http::json_response("{\"id\":\"" + id + "\",\"status\":\"pending_approval\",\"action\":\"" +
                                        action + "\",\"reasons\":" + reasons_json + reply_fields + "}",
                                    202));
      });
}

void AdminApi::hold_operator_change(const std::string& canonical, const std::string& reasons_json,
                                    const std::string& reply_fields, const operators::Principal& who,
                                    http::Responder respond) {
  hold_for_approval(kHeldOperatorChange, canonical, {}, reasons_json, who,
                    operator_change_executor(canonical, who), std::move(respond), kOperatorChangeApprovers,
                    reply_fields);
}

AdminApi::Execute AdminApi::operator_change_executor(const std::string& canonical,
                                                     const operators::Principal& requester) {
  return [this, canonical, requester](http::Responder r) {
    if (!operator_change_runner_)
      return r(http::json_error(503, "server", "operator changes are not available"));
    operator_change_runner_(canonical, requester, std::move(r));
  };
}

bool AdminApi::approve(const std::string& id, const operators::Principal& who, http::Responder& respond) {
  std::shared_ptr<PendingChange> snapshot;
  std::string type, by = who.operator_id.str();
  http::HttpResponse refusal;
  bool approved = false;
  {
    std::lock_guard lock{pending_mutex_};
    auto it = pending_.find(id);
    if (it == pending_.end()) return false;
    auto& change = it->second;
    if (change.storing) {
      respond(http::json_error(409, "approval", "the change is being approved; retry"));
      return true;
    }
    const auto now = clock_.now();
    auto step = operators::approve(change.approval, who, change.canonical, hash_change, now);
    if (!step) {
      const std::string why{operators::to_string(step.result)};
      using Check = operators::ApprovalCheck;
      const bool forbidden = step.result == Check::SelfApproval || step.result == Check::RoleNotAllowed ||
                             step.result == Check::NotAnOperator || step.result == Check::NotAPerson;
      type = "change.approval_refused";
      by += " (" + why + ")";
      refusal = http::json_error(forbidden ? 403 : 409, "approval", why);
      snapshot = std::make_shared<PendingChange>(change);
    } else {
      auto executed = operators::consume_for_execution(step.approval, change.canonical, hash_change, now);
      if (!executed) {
        change.approval = executed.approval;
        respond(http::json_error(409, "approval", std::string(operators::to_string(executed.result))));
        return true;
      }
      type = "change.approved";
      approved = true;
      snapshot = std::make_shared<PendingChange>(change);
      snapshot->approval = executed.approval;
    }
    change.storing = true;
  }
  snapshot->execute = nullptr;  // the one in pending_ runs, once
  record_step(type, *snapshot, by, false, [this, id, approved, refusal, respond](bool stored) {
    Execute execute;
    {
      std::lock_guard lock{pending_mutex_};
      auto it = pending_.find(id);
      if (it != pending_.end()) {
        it->second.storing = false;
        if (stored && approved) {
          execute = std::move(it->second.execute);
          pending_.erase(it);
        }
      }
    }
    if (!stored)
      return respond(http::json_error(503, "server",
                                      "the approval's record could not be stored; nothing changed; retry"));
    if (!approved) return respond(refusal);
    if (execute) return execute(respond);  // answered with the change's own result
    respond(http::json_error(409, "approval", "the change is no longer held"));
  });
  return true;
}

std::string AdminApi::restore(const services::StoredStep& step) {
  const bool requested = step.type == "change.requested";
  auto parsed = json::change_from_record(step.payload, requested);
  if (auto* e = std::get_if<json::FieldError>(&parsed)) {
    // An approved change was executed whatever its record's format: it no longer waits.
    if (step.type == "change.approved") {
      if (auto old = json::change_from_record(step.payload, false);
          std::holds_alternative<json::ChangeRecord>(old)) {
        std::lock_guard lock{pending_mutex_};
        pending_.erase(std::get<json::ChangeRecord>(old).id);
      }
    }
    return e->field + ": " + e->message;
  }
  auto& r = std::get<json::ChangeRecord>(parsed);
  auto approval = services::detail::approval_from(r.approval, r.id, r.requested_by, r.requester_person);
  if (!approval) return "status: unknown approval status \"" + r.approval.status + "\"";
  if (approval->action == kHeldOperatorChange) approval->approver_roles = kOperatorChangeApprovers;
  std::lock_guard lock{pending_mutex_};
  if (!requested) {
    auto it = pending_.find(r.id);
    if (it == pending_.end()) return "approval: no held change " + r.id;
    if (step.type == "change.approved")
      pending_.erase(it);
    else
      it->second.approval = *approval;
    return {};
  }
  PendingChange change;
  change.approval = *approval;
  change.canonical = r.change;
  change.site_text = r.site_text;
  change.requester = operators::Principal::operator_with(
      core::OperatorId{r.requested_by},
      operators::parse_role(r.requester_role).value_or(operators::Role::Guard),
      core::PersonId{r.requester_person});
  if (hash_change(change.canonical) != change.approval.change_hash)
    return "change: its bytes do not match change_sha256";
  // "grant_two_person_place" and "site_tier_change": the names of held changes before every widening
  // change was held; their records rebuild the same way.
  if (change.approval.action == kHeldAction || change.approval.action == "grant_two_person_place") {
    auto stored = json::action_from_stored_json(change.canonical);
    if (!stored) return "change: not a stored operator action";
    change.execute = action_executor(stored->action, change.requester, status_when_done(stored->action));
  } else if (change.approval.action == kHeldSiteLoad || change.approval.action == "site_tier_change") {
    if (services::sha256_hex(change.site_text) != change.canonical)
      return "site_text: its hash is not the change";
    auto site_parsed = site_file::parse_site_json(change.site_text);
    if (!site_parsed.problems.empty()) return "site_text: the site file no longer parses";
    change.execute =
        site_loader(std::make_shared<const core::SiteDefinition>(std::move(site_parsed.definition)),
                    change.site_text, change.canonical, change.requester, true);
  } else if (change.approval.action == kHeldOperatorChange) {
    change.execute = operator_change_executor(change.canonical, change.requester);
  } else {
    return "action: unknown held change \"" + change.approval.action + "\"";
  }
  pending_[r.id] = std::move(change);
  return {};
}

AdminApi::Execute AdminApi::action_executor(core::OperatorAction action, const operators::Principal& who,
                                            int status_when_done) {
  return [this, action = std::move(action), who, status_when_done](http::Responder r) {
    submit(action, who, status_when_done, std::move(r), true);
  };
}

AdminApi::Execute AdminApi::site_loader(std::shared_ptr<const core::SiteDefinition> site, std::string text,
                                        std::string hash, const operators::Principal& who, bool approved) {
  return [this, site = std::move(site), text = std::move(text), hash = std::move(hash), who,
          approved](http::Responder r) {
    ingest::OperatorCommand command;
    command.kind = ingest::OperatorCommand::Kind::LoadSite;
    command.operator_id = who.operator_id.str();
    command.actor = actor_of(who);
    command.site = site;
    command.site_text = text;
    command.site_hash = hash;
    command.second_approver = approved;
    command.done = [this, r, site, text, hash, who](ingest::CommandResult result) {
      if (result.status == 428) {
        // Widens access to a sensitive place: held for a second operator, bound to the file's hash.
        const bool posted = workers_.post([this, r, site, text, hash, who, reasons = result.detail_json] {
          hold_for_approval(kHeldSiteLoad, hash, text, reasons, who, site_loader(site, text, hash, who, true),
                            r);
        });
        if (!posted) r(http::json_error(503, "server", "busy; retry"));
        return;
      }
      if (result.status != 200) return r(command_error(result));
      r(http::json_response("{\"loaded\":" + result.body_json + "}"));
      if (on_site_loaded_) (void)workers_.post([this, text] { on_site_loaded_(text); });
    };
    if (!sequencer_.submit(std::move(command))) r(http::json_error(503, "server", "too busy; retry"));
  };
}

std::string AdminApi::site_summary() {
  auto site = sequencer_.current_site();
  std::lock_guard lock{summary_mutex_};
  if (site && site != summary_of_) {
    summary_ = json::site_summary_with_edits(sequencer_.current_site_text(), *site);
    summary_of_ = site;
  }
  return summary_.empty() ? "{}" : summary_;
}

void AdminApi::submit(core::OperatorAction action, const operators::Principal& who, int status_when_done,
                      http::Responder respond, bool approved) {
  ingest::OperatorCommand command;
  command.kind = ingest::OperatorCommand::Kind::PolicyAction;
  command.operator_id = who.operator_id.str();
  command.action = action;
  command.actor = actor_of(who);
  command.second_approver = approved;
  command.done = [this, action, who, respond, status_when_done](ingest::CommandResult result) {
    if (result.status == 428) {
      // Widens access to a sensitive place: held for a second operator, bound to the exact action.
      const bool posted =
          workers_.post([this, action, who, respond, status_when_done, reasons = result.detail_json] {
            const auto canonical = json::stored_action_json(action, actor_of(who));
            hold_for_approval(kHeldAction, canonical, {}, reasons, who,
                              action_executor(action, who, status_when_done), respond);
          });
      if (!posted) respond(http::json_error(503, "server", "busy; retry"));
      return;
    }
    if (result.status != 200) return respond(command_error(result));
    std::string body = "{\"outcome\":" + result.body_json;
    if (!result.detail_json.empty()) body += ",\"change\":" + result.detail_json;
    respond(http::json_response(body + "}", status_when_done));
  };
  if (!sequencer_.submit(std::move(command))) respond(http::json_error(503, "server", "too busy; retry"));
}

void AdminApi::load_site(const http::HttpRequest& request, const operators::Principal& who,
                         http::Responder respond) {
  if (request.body.size() > limits_.max_site_bytes) {
    return respond(http::json_error(
        413, "$", "site file larger than the limit of " + std::to_string(limits_.max_site_bytes) + " bytes"));
  }
  // Parsing and validating a site is CPU work: on the worker pool, never on a network thread.
  const bool posted = workers_.post([this, text = request.body, who, respond]() mutable {
    try {
      load_parsed_site(text, who, respond);
    } catch (const std::exception& e) {
      // On the worker pool the router's guard does not reach: answer here (the responder answers once).
      logging::error("api", "loading a site failed", {{"error", e.what()}});
      respond(http::json_error(500, "server", "the site could not be loaded"));
    }
  });
  if (!posted) respond(http::json_error(503, "server", "busy; retry"));
}

void AdminApi::load_parsed_site(const std::string& text, const operators::Principal& who,
                                http::Responder respond) {
  auto parsed = site_file::parse_site_json(text);
  if (!parsed.problems.empty()) return respond(problems_error(422, parsed.problems));
  auto site = std::make_shared<const core::SiteDefinition>(std::move(parsed.definition));
  // A file that widens access to a sensitive place is held by the sequencer's answer (site_loader).
  site_loader(site, text, services::sha256_hex(text), who, false)(std::move(respond));
}

void AdminApi::register_routes(SecuredRouter& router) {
  using Params = http::RouteParams;
  using Principal = operators::Principal;

  router.add("PUT", "/api/v1/site",
             [this](const http::HttpRequest& request, const Params&, const Principal& who,
                    http::Responder respond) { load_site(request, who, std::move(respond)); });

  router.add(
      "GET", "/api/v1/people",
      [this](const http::HttpRequest&, const Params&, const Principal&, http::Responder respond) {
        const bool posted = workers_.post([this, respond] {
          const auto site = sequencer_.current_site();
          respond(http::json_response(site ? json::people_json(*site) : R"({"people":[],"groups":[]})"));
        });
        if (!posted) respond(http::json_error(503, "server", "busy; retry"));
      });

  router.add(
      "POST", "/api/v1/people",
      [this](const http::HttpRequest& request, const Params&, const Principal& who, http::Responder respond) {
        auto person = person_from(request.body);
        if (auto* error = std::get_if<http::HttpResponse>(&person)) return respond(*error);
        auto& upsert = std::get<core::UpsertPerson>(person);
        if (has_person(sequencer_, upsert.person.str()))
          return respond(http::json_error(
              409, "id",
              "a person \"" + upsert.person.str() + "\" exists; change it with PUT /api/v1/people/{id}"));
        submit(core::AdminChange{std::move(upsert)}, who, 201, std::move(respond));
      });

  router.add("PUT", "/api/v1/people/{id}",
             [this](const http::HttpRequest& request, const Params& params, const Principal& who,
                    http::Responder respond) {
               auto person = person_from(request.body);
               if (auto* error = std::get_if<http::HttpResponse>(&person)) return respond(*error);
               auto& upsert = std::get<core::UpsertPerson>(person);
               if (upsert.person.str() != params.at("id"))
                 return respond(http::json_error(400, "id", "the body's id differs from the path's"));
               submit(core::AdminChange{std::move(upsert)}, who, 200, std::move(respond));
             });

  router.add("DELETE", "/api/v1/people/{id}",
             [](const http::HttpRequest&, const Params&, const Principal&, http::Responder respond) {
               respond(http::json_error(409, "id",
                                        "people are never deleted (history refers to them): revoke with "
                                        "POST /api/v1/people/{id}/revoke"));
             });

  router.add(
      "POST", "/api/v1/people/{id}/credentials",
      [this](const http::HttpRequest& request, const Params& params, const Principal& who,
             http::Responder respond) {
        auto split = json::split_credential_body(request.body);
        if (auto* e = std::get_if<json::FieldError>(&split))
          return respond(http::json_error(400, e->field, e->message));
        const auto& [type, rest] = std::get<std::pair<std::string, std::string>>(split);
        const core::PersonId person{params.at("id")};
        if (type == "card") {
          auto card = site_file::parse_card_fragment(rest);
          if (!card.value) return respond(problems_error(400, card.problems));
          if (auto problem = id_problem(card.value->id.str(), "id")) return respond(*problem);
          return submit(core::AdminChange{core::AddCard{person, *card.value}}, who, 201, std::move(respond));
        }
        auto bio = site_file::parse_biometric_fragment(rest);
        if (!bio.value) return respond(problems_error(400, bio.problems));
        if (auto problem = id_problem(bio.value->id.str(), "id")) return respond(*problem);
        submit(core::AdminChange{core::AddBiometric{person, *bio.value}}, who, 201, std::move(respond));
      });

  router.add("DELETE", "/api/v1/people/{id}/credentials/{credential}",
             [this](const http::HttpRequest& request, const Params& params, const Principal& who,
                    http::Responder respond) {
               (void)request;
               submit(core::AdminChange{core::RemoveCredential{core::PersonId{params.at("id")},
                                                               core::CredentialId{params.at("credential")},
                                                               "removed by " + who.operator_id.str()}},
                      who, 200, std::move(respond));
             });

  router.add("PUT", "/api/v1/people/{id}/pin",
             [this](const http::HttpRequest& request, const Params& params, const Principal& who,
                    http::Responder respond) {
               auto body = json::parse_pin_body(request.body);
               if (auto* e = std::get_if<json::FieldError>(&body))
                 return respond(http::json_error(400, e->field, e->message));
               // The slow hash (about 20 ms) runs on the worker pool; only the hash goes further.
               const bool posted = workers_.post([this, pin = std::get<json::PinBody>(body),
                                                  person = params.at("id"), who, respond]() mutable {
                 auto hash = crypto::hash_pin(pin.pin);
                 std::fill(pin.pin.begin(), pin.pin.end(), '\0');
                 if (!hash) return respond(http::json_error(503, "server", "hashing failed; retry"));
                 submit(core::AdminChange{core::SetPin{core::PersonId{person}, *hash, pin.duress}}, who, 200,
                        respond);
               });
               if (!posted) respond(http::json_error(503, "server", "busy; retry"));
             });

  router.add(
      "DELETE", "/api/v1/people/{id}/pin",
      [this](const http::HttpRequest&, const Params& params, const Principal& who, http::Responder respond) {
        submit(core::AdminChange{core::SetPin{core::PersonId{params.at("id")}, "", false}}, who, 200,
               std::move(respond));
      });

  router.add(
      "POST", "/api/v1/grants",
      [this](const http::HttpRequest& request, const Params&, const Principal& who, http::Responder respond) {
        auto grant = site_file::parse_grant_fragment(request.body);
        if (!grant.value) return respond(problems_error(400, grant.problems));
        if (auto problem = id_problem(grant.value->id.str(), "id")) return respond(*problem);
        if (const auto site = sequencer_.current_site()) {
          const auto unknown = unknown_references(*site, *grant.value);
          if (!unknown.empty()) return respond(problems_error(400, unknown));
        }
        submit(core::AddGrant{*grant.value}, who, 201, std::move(respond));
      });

  router.add("POST", "/api/v1/groups/{id}/members",
             [this](const http::HttpRequest& request, const Params& params, const Principal& who,
                    http::Responder respond) {
               auto person = json::parse_member_body(request.body);
               if (auto* e = std::get_if<json::FieldError>(&person))
                 return respond(http::json_error(400, e->field, e->message));
               submit(core::AdminChange{core::AddGroupMember{core::GroupId{params.at("id")},
                                                             core::PersonId{std::get<std::string>(person)}}},
                      who, 201, std::move(respond));
             });

  router.add(
      "DELETE", "/api/v1/groups/{id}/members/{person}",
      [this](const http::HttpRequest&, const Params& params, const Principal& who, http::Responder respond) {
        submit(core::AdminChange{core::RemoveGroupMember{core::GroupId{params.at("id")},
                                                         core::PersonId{params.at("person")}}},
               who, 200, std::move(respond));
      });

  // Existing engine actions that had no route: restore (undo a revocation) and remove a grant.
  const std::pair<const char*, const char*> actions[] = {
      {"/api/v1/people/{id}/restore", "restore_person"},
      {"/api/v1/credentials/{id}/restore", "restore_credential"},
      {"/api/v1/grants/{id}/restore", "restore_grant"},
  };
  for (const auto& [pattern, route] : actions) {
    router.add("POST", pattern,
               [this, action = std::string(route)](const http::HttpRequest& request, const Params& params,
                                                   const Principal& who, http::Responder respond) {
                 auto parsed = json::parse_action_request(action, params.at("id"), request.body, "");
                 if (auto* e = std::get_if<json::FieldError>(&parsed))
                   return respond(http::json_error(400, e->field, e->message));
                 submit(std::get<core::OperatorAction>(parsed), who, 200, std::move(respond));
               });
  }
  router.add(
      "DELETE", "/api/v1/grants/{id}",
      [this](const http::HttpRequest&, const Params& params, const Principal& who, http::Responder respond) {
        // A DELETE has no body: the reason names who removed it, as for credentials. (Asking the action
        // parser for a reason here refused every removal with 400.)
        submit(core::RemoveGrant{core::GrantId{params.at("id")}, "removed by " + who.operator_id.str()}, who,
               200, std::move(respond));
      });
}

}  // namespace portcullis::api
