#include "portcullis/api/operator_lifecycle.hpp"

#include <algorithm>
#include <iostream>

#include "portcullis/json/operator_json.hpp"
#include "portcullis/ledger/records/canonical_change.hpp"
#include "portcullis/ledger/records/operator_fact_record.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/operators/crypto/otpauth.hpp"
#include "portcullis/operators/crypto/password_hash.hpp"
#include "portcullis/operators/crypto/random.hpp"

namespace portcullis::api {
namespace {

// What a reset or a new account is given: shown once, kept only as its scrypt hash.
std::string one_time_password() {
  return operators::crypto::random_token().substr(0, 24);
}

std::string password_fields(const std::string& password) {
  return ",\"password\":\"" + http::json_escape(password) + "\",\"password_change_required\":true";
}

bool may_approve(const std::string& role) {
  return role == "supervisor" || role == "admin";
}

// Held for another admin: the change hands out or gives back an account that may approve (one admin would
// otherwise hold a second account to approve their own changes with), or takes an admin's away (one admin
// would otherwise lock the others out).
bool is_held(const std::string& change, const std::string& role) {
  if (change == "disable") return role == "admin";
  return may_approve(role);
}

std::string reason_for(const std::string& change, const std::string& role) {
  if (change == "disable") return "[\"disables an admin account\"]";
  return "[\"" + change + " of a " + role + " account, which approves others' changes\"]";
}

}  // namespace

OperatorLifecycle::OperatorLifecycle(services::OperatorAccounts& accounts, ingest::Sequencer& sequencer,
                                     services::WorkerPool& workers, AdminApi& held_changes)
    : accounts_(accounts), sequencer_(sequencer), workers_(workers), held_changes_(held_changes) {
  held_changes_.set_operator_change_runner(
      [this](const std::string& canonical, const operators::Principal& requester, http::Responder respond) {
        execute(canonical, requester, {}, std::move(respond));
      });
}

void OperatorLifecycle::register_routes(SecuredRouter& router) {
  router.add(
      "POST", "/api/v1/operators",
      [this](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal& who,
             http::Responder respond) { request_create(request.body, who, std::move(respond)); });
  const std::pair<const char*, const char*> changes[] = {
      {"/api/v1/operators/{id}/disable", "disable"},
      {"/api/v1/operators/{id}/enable", "enable"},
      {"/api/v1/operators/{id}/password-reset", "password_reset"},
      {"/api/v1/operators/{id}/totp-reset", "totp_reset"},
  };
  for (const auto& [pattern, change] : changes) {
    router.add("POST", pattern,
               [this, change = std::string(change)](
                   const http::HttpRequest&, const http::RouteParams& params, const operators::Principal& who,
                   http::Responder respond) { request(change, params.at("id"), who, std::move(respond)); });
  }
}

void OperatorLifecycle::request_create(const std::string& body, const operators::Principal& who,
                                       http::Responder respond) {
  auto parsed = json::parse_new_operator(body);
  if (auto* e = std::get_if<json::FieldError>(&parsed))
    return respond(http::json_error(400, e->field, e->message));
  auto created = std::get<json::NewOperatorBody>(parsed);
  if (!operators::parse_role(created.role))
    return respond(http::json_error(400, "role", "expected guard, supervisor, auditor or admin"));
  if (!created.person.empty()) {
    const auto site = sequencer_.current_site();
    const bool known =
        site && std::any_of(site->people.begin(), site->people.end(),
                            [&](const core::PersonDef& p) { return p.id.str() == created.person; });
    if (!known)
      return respond(http::json_error(400, "person", "no person \"" + created.person + "\" in the site"));
  }
  // The slow hash of the one-time password: on the sign-in pool, never on a network thread.
  const bool posted = accounts_.post_hashing([this, created, who, respond] {
    try {
      if (accounts_.find(created.id))
        return respond(http::json_error(409, "id", "an operator \"" + created.id + "\" exists"));
      json::OperatorChange change;
      change.change = "create";
      change.operator_id = created.id;
      change.created = created;
      const auto password = one_time_password();
      change.password_hash = operators::crypto::hash_password(password);
      const auto canonical = json::canonical_operator_change(change);
      if (!is_held("create", created.role))
        return execute(canonical, who, password_fields(password), respond);
      if (who.is_service_account()) return respond(http::json_error(403, "approval", "not_a_person"));
      held_changes_.hold_operator_change(canonical, reason_for("create", created.role),
                                         password_fields(password), who, respond);
    } catch (const std::exception& e) {
      logging::error("api", "creating an operator failed", {{"error", e.what()}});
      respond(http::json_error(500, "server", "the operator could not be created"));
    }
  });
  if (!posted) respond(http::json_error(503, "server", "busy; retry"));
}

void OperatorLifecycle::request(const std::string& change_name, const std::string& operator_id,
                                const operators::Principal& who, http::Responder respond) {
  auto job = [this, change_name, operator_id, who, respond] {
    try {
      const auto row = accounts_.find(operator_id);
      if (!row) return respond(http::json_error(404, "id", "no such operator"));
      json::OperatorChange change;
      change.change = change_name;
      change.operator_id = operator_id;
      std::string password;
      if (change_name == "password_reset") {
        password = one_time_password();
        change.password_hash = operators::crypto::hash_password(password);
      }
      const auto canonical = json::canonical_operator_change(change);
      const auto fields = password.empty() ? std::string{} : password_fields(password);
      if (!is_held(change_name, row->role)) return execute(canonical, who, fields, respond);
      if (who.is_service_account()) return respond(http::json_error(403, "approval", "not_a_person"));
      held_changes_.hold_operator_change(canonical, reason_for(change_name, row->role), fields, who, respond);
    } catch (const std::exception& e) {
      logging::error("api", "an operator change failed", {{"error", e.what()}});
      respond(http::json_error(500, "server", "the operator could not be changed"));
    }
  };
  const bool posted = change_name == "password_reset" ? accounts_.post_hashing(job) : workers_.post(job);
  if (!posted) respond(http::json_error(503, "server", "busy; retry"));
}

void OperatorLifecycle::execute(const std::string& canonical, const operators::Principal& requester,
                                const std::string& reply_fields, http::Responder respond) {
  const bool posted = workers_.post([this, canonical, requester, reply_fields, respond] {
    try {
      const auto change = json::parse_operator_change(canonical);
      if (!change) return respond(http::json_error(409, "change", "not an operator change"));
      const auto& id = change->operator_id;
      const auto& by = requester.operator_id.str();
      const auto id_field = "\"id\":\"" + http::json_escape(id) + "\"";
      if (change->change == "create") {
        storage::OperatorRow row;
        row.operator_id = id;
        row.display_name = change->created.name;
        row.role = change->created.role;
        row.person_id = change->created.person;
        row.password_hash = change->password_hash;
        row.password_change_required = true;
        const auto enrolment = operators::crypto::new_totp_enrollment(id);
        row.totp_secret = enrolment.secret_base32;
        if (!accounts_.create(row))
          return respond(http::json_error(409, "id", "an operator \"" + id + "\" exists"));
        const auto person = change->created.service
                                ? std::string("\"service\":true")
                                : "\"person\":\"" + http::json_escape(change->created.person) + "\"";
        const auto fact = json::operator_created_fact_json(
            {by, id, change->created.service, change->created.person, row.role});
        return record("operator.created", fact, 201,
                      "{" + id_field + ",\"role\":\"" + http::json_escape(row.role) + "\"," + person +
                          ",\"totp_secret\":\"" + enrolment.secret_base32 + "\",\"otpauth_uri\":\"" +
                          http::json_escape(enrolment.uri) + "\",\"password_change_required\":true" +
                          reply_fields + "}",
                      respond);
      }
      if (change->change == "disable" || change->change == "enable") {
        const bool disable = change->change == "disable";
        if (!accounts_.set_disabled(id, disable))
          return respond(http::json_error(404, "id", "no such operator"));
        return record(disable ? "operator.disabled" : "operator.enabled",
                      json::operator_change_fact_json(by, id), 200,
                      "{" + id_field + ",\"disabled\":" + (disable ? "true" : "false") + "}", respond);
      }
      if (change->change == "password_reset") {
        if (!accounts_.set_password(id, change->password_hash, true))
          return respond(http::json_error(404, "id", "no such operator"));
        return record("operator.password_reset", json::operator_change_fact_json(by, id), 200,
                      "{" + id_field + ",\"password_change_required\":true" + reply_fields + "}", respond);
      }
      if (change->change == "totp_reset") {
        const auto enrolment = operators::crypto::new_totp_enrollment(id);
        if (!accounts_.set_totp_secret(id, enrolment.secret_base32))
          return respond(http::json_error(404, "id", "no such operator"));
        return record("operator.totp_reenrolled", json::operator_change_fact_json(by, id), 200,
                      "{" + id_field + ",\"totp_secret\":\"" + enrolment.secret_base32 +
                          "\",\"otpauth_uri\":\"" + http::json_escape(enrolment.uri) + "\"}",
                      respond);
      }
      respond(http::json_error(409, "change", "unknown operator change \"" + change->change + "\""));
    } catch (const std::exception& e) {
      logging::error("api", "an operator change failed", {{"error", e.what()}});
      respond(http::json_error(500, "server", "the operator could not be changed"));
    }
  });
  if (!posted) respond(http::json_error(503, "server", "busy; retry"));
}

void OperatorLifecycle::record(const std::string& type, const std::string& payload_json, int status,
                               const std::string& reply, http::Responder respond) {
  ingest::ServerFact fact;
  fact.type = type;
  fact.by_operator = true;
  fact.payload_json = payload_json;
  // Answered once the change is in the chain. Not stored: 503, and the change stays made without its
  // record or its answer (an admin sees the account as it is, and resets or disables it again).
  fact.done = [respond, status, reply](bool stored, std::int64_t) {
    if (!stored) return respond(http::json_error(503, "server", "the change could not be recorded; retry"));
    respond(http::json_response(reply, status));
  };
  sequencer_.record(std::move(fact));
}

}  // namespace portcullis::api
