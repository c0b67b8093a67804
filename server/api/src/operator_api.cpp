#include "portcullis/api/operator_api.hpp"

#include <set>

#include "portcullis/json/operator_action_json.hpp"
#include "portcullis/json/operator_json.hpp"
#include "portcullis/json/rfc3339.hpp"
#include "portcullis/ledger/records/operator_fact_record.hpp"
#include "portcullis/operators/authorization_matrix.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/operators/crypto/random.hpp"
#include "portcullis/operators/password_policy.hpp"
#include "portcullis/util/bearer.hpp"

namespace portcullis::api {
namespace {

std::string bearer_hash(const http::HttpRequest& request) {
  const auto* auth = request.header("authorization");
  const auto token = auth == nullptr ? std::nullopt : util::bearer_token(*auth);
  return token ? operators::crypto::sha256_hex(*token) : std::string{};
}

// The answer to a sign-in or a password change.
http::HttpResponse sign_in_reply(const services::LoginOutcome& outcome) {
  if (outcome.busy) return http::json_error(503, "server", "busy; retry");
  if (outcome.retry_after > core::Duration::zero()) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(outcome.retry_after).count();
    auto r = http::json_error(429, "source", "too many sign-in attempts from this address; retry later");
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    return r;
  }
  // Told only to whoever gave the right password and code.
  if (outcome.password_change_required) return http::json_error(403, "password", "password_change_required");
  if (!outcome.new_password_problem.empty())
    return http::json_error(400, "new_password", outcome.new_password_problem);
  // One answer for every refusal: it tells an attacker nothing.
  if (!outcome.ok) return http::json_error(401, "credentials", "invalid username, password or code");
  return http::json_response(
      "{\"token\":\"" + outcome.token + "\",\"expires_at\":\"" + json::format_rfc3339(outcome.expires_at) +
      "\",\"operator\":{\"id\":\"" + http::json_escape(outcome.operator_id) + "\",\"name\":\"" +
      http::json_escape(outcome.display_name) + "\",\"role\":\"" + outcome.role + "\"}}");
}

}  // namespace

OperatorApi::OperatorApi(services::OperatorAccounts& accounts, ingest::Sequencer& sequencer,
                         services::WorkerPool& workers, std::function<std::string()> site_summary_json,
                         std::function<std::string()> open_alarms_json, services::CommandDesk& commands)
    : accounts_(accounts),
      sequencer_(sequencer),
      workers_(workers),
      site_summary_json_(std::move(site_summary_json)),
      open_alarms_json_(std::move(open_alarms_json)),
      commands_(commands) {}

void OperatorApi::alarm_change(bool acknowledge, const http::HttpRequest& request, const std::string& id,
                               const operators::Principal& who, http::Responder respond) {
  auto body = json::parse_comment(request.body);
  if (auto* error = std::get_if<json::FieldError>(&body))
    return respond(http::json_error(400, error->field, error->message));
  ingest::OperatorCommand command;
  command.kind = acknowledge ? ingest::OperatorCommand::Kind::AcknowledgeAlarm
                             : ingest::OperatorCommand::Kind::ResolveAlarm;
  command.operator_id = who.operator_id.str();
  command.target = id;
  command.comment = std::get<json::CommentBody>(body).comment;
  command.done = [respond](ingest::CommandResult result) {
    if (result.status != 200) return respond(http::json_error(result.status, result.field, result.message));
    respond(http::json_response(result.body_json));
  };
  if (!sequencer_.submit(std::move(command))) {
    respond(http::json_error(503, "server", "too busy; retry"));
  }
}

void OperatorApi::policy_action(const std::string& route, const http::HttpRequest& request,
                                const std::string& target, const operators::Principal& who,
                                http::Responder respond) {
  // A fire clear that a second operator must confirm is the other account's only way to complete it: it is
  // not the caller's to choose.
  const bool is_request = route == "request_jit" || route == "clear_fire";
  const auto new_id =
      (route == "clear_fire" ? "fire-clear-" : "jit-") + operators::crypto::random_token().substr(0, 12);
  auto parsed = json::parse_action_request(route, target, request.body, new_id);
  if (auto* error = std::get_if<json::FieldError>(&parsed)) {
    return respond(http::json_error(400, error->field, error->message));
  }
  if (route == "confirm_fire_clear" && who.is_service_account()) {
    // The second of two operators is a person: a service account's second account could be anyone's.
    return respond(http::json_error(403, "approval", "not_a_person"));
  }
  ingest::OperatorCommand command;
  command.kind = ingest::OperatorCommand::Kind::PolicyAction;
  command.operator_id = who.operator_id.str();
  command.action = std::get<core::OperatorAction>(parsed);
  command.actor.id = who.operator_id;
  command.actor.person = who.person;
  // The matrix already let only approvers reach the approve routes; the engine re-checks on replay. A
  // service account (no person) never approves or overrides: its second account could be anyone's.
  command.actor.may_approve =
      who.has_role_in({operators::Role::Supervisor, operators::Role::Admin}) && !who.is_service_account();
  command.done = [respond, is_request, new_id](ingest::CommandResult result) {
    if (result.status != 200) return respond(http::json_error(result.status, result.field, result.message));
    if (is_request)
      return respond(
          http::json_response("{\"id\":\"" + new_id + "\",\"outcome\":" + result.body_json + "}", 201));
    respond(http::json_response("{\"outcome\":" + result.body_json + "}"));
  };
  if (!sequencer_.submit(std::move(command))) respond(http::json_error(503, "server", "too busy; retry"));
}

void OperatorApi::register_routes(SecuredRouter& router, const http::Router& plain) {
  const std::pair<const char*, const char*> actions[] = {
      {"/api/v1/people/{id}/revoke", "revoke_person"},
      {"/api/v1/credentials/{id}/revoke", "revoke_credential"},
      {"/api/v1/grants/{id}/revoke", "revoke_grant"},
      {"/api/v1/jit-requests", "request_jit"},
      {"/api/v1/jit-requests/{id}/approve", "approve_jit"},
      {"/api/v1/presence/{person}/forgive", "forgive"},
      {"/api/v1/lockdown", "lockdown"},
      {"/api/v1/lockdown/release", "release"},
      {"/api/v1/threat-level", "threat_level"},
      {"/api/v1/overrides", "override"},
      {"/api/v1/fire/clear", "clear_fire"},
      {"/api/v1/fire/clear/{id}/confirm", "confirm_fire_clear"},
  };
  for (const auto& [pattern, route] : actions) {
    router.add(
        "POST", pattern,
        [this, action = std::string(route)](const http::HttpRequest& request, const http::RouteParams& params,
                                            const operators::Principal& who, http::Responder respond) {
          std::string target;
          if (auto it = params.find("id"); it != params.end()) target = it->second;
          if (auto it = params.find("person"); it != params.end()) target = it->second;
          policy_action(action, request, target, who, std::move(respond));
        });
  }
  router.add("POST", "/api/v1/auth/login",
             [this](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal&,
                    http::Responder respond) {
               auto body = json::parse_login(request.body);
               if (auto* error = std::get_if<json::FieldError>(&body)) {
                 return respond(http::json_error(400, error->field, error->message));
               }
               auto& login = std::get<json::LoginBody>(body);
               accounts_.login(
                   {login.username, login.password, login.totp, request.remote_address},
                   [respond](services::LoginOutcome outcome) { respond(sign_in_reply(outcome)); });
             });
  // The one-time password's only use, and any operator's own password change: checked as a sign-in, and
  // answered as one (the code it used is spent).
  router.add(
      "POST", "/api/v1/auth/password",
      [this](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal&,
             http::Responder respond) {
        auto body = json::parse_password_change(request.body);
        if (auto* error = std::get_if<json::FieldError>(&body)) {
          return respond(http::json_error(400, error->field, error->message));
        }
        auto& change = std::get<json::PasswordChangeBody>(body);
        if (const auto problem = operators::check_new_password(change.new_password, change.username))
          return respond(http::json_error(400, "new_password", std::string(operators::to_string(*problem))));
        accounts_.change_password({change.username, change.password, change.totp, request.remote_address},
                                  std::move(change.new_password), [respond](services::LoginOutcome outcome) {
                                    respond(sign_in_reply(outcome));
                                  });
      });
  router.add("POST", "/api/v1/auth/logout",
             [this](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal&,
                    http::Responder respond) {
               accounts_.logout(bearer_hash(request),
                                [respond] { respond(http::json_response("{\"status\":\"logged_out\"}")); });
             });
  router.add("GET", "/api/v1/site",
             [this](const http::HttpRequest&, const http::RouteParams&, const operators::Principal&,
                    http::Responder respond) { respond(http::json_response(site_summary_json_())); });
  router.add("GET", "/api/v1/alarms",
             [this](const http::HttpRequest&, const http::RouteParams&, const operators::Principal&,
                    http::Responder respond) {
               respond(http::json_response("{\"alarms\":" + open_alarms_json_() + "}"));
             });
  router.add("POST", "/api/v1/alarms/{id}/acknowledge",
             [this](const http::HttpRequest& request, const http::RouteParams& params,
                    const operators::Principal& who, http::Responder respond) {
               alarm_change(true, request, params.at("id"), who, std::move(respond));
             });
  router.add("POST", "/api/v1/alarms/{id}/resolve",
             [this](const http::HttpRequest& request, const http::RouteParams& params,
                    const operators::Principal& who, http::Responder respond) {
               alarm_change(false, request, params.at("id"), who, std::move(respond));
             });
  // A locked account (too many failed sign-ins) is opened again by an admin; recorded in the chain.
  router.add(
      "POST", "/api/v1/operators/{id}/unlock",
      [this](const http::HttpRequest&, const http::RouteParams& params, const operators::Principal& who,
             http::Responder respond) {
        const auto id = params.at("id");
        const bool posted = workers_.post([this, id, respond, who] {
          if (!accounts_.unlock(id)) return respond(http::json_error(404, "id", "no such operator"));
          ingest::ServerFact fact;
          fact.type = "operator.unlocked";
          fact.by_operator = true;
          fact.payload_json = json::operator_change_fact_json(who.operator_id.str(), id);
          fact.done = [respond, id](bool stored, std::int64_t) {
            if (!stored)
              return respond(http::json_error(503, "server", "the change could not be recorded; retry"));
            respond(http::json_response("{\"id\":\"" + http::json_escape(id) + "\",\"locked\":false}"));
          };
          sequencer_.record(std::move(fact));
        });
        if (!posted) respond(http::json_error(503, "server", "busy; retry"));
      });

  auto desk_reply = [](const services::DeskAnswer& a) {
    if (!a.field.empty()) return http::json_error(a.status, a.field, a.message);
    return http::json_response(a.body_json, a.status);
  };
  router.add("POST", "/api/v1/commands",
             [this, desk_reply](const http::HttpRequest& request, const http::RouteParams&,
                                const operators::Principal& who, http::Responder respond) {
               auto body = json::parse_door_command(request.body);
               if (auto* e = std::get_if<json::FieldError>(&body))
                 return respond(http::json_error(400, e->field, e->message));
               commands_.request(
                   std::get<json::DoorCommandBody>(body), who,
                   [respond, desk_reply](const services::DeskAnswer& a) { respond(desk_reply(a)); });
             });
  router.add("PUT", "/api/v1/commands/{id}",
             [this, desk_reply](const http::HttpRequest& request, const http::RouteParams& params,
                                const operators::Principal& who, http::Responder respond) {
               auto body = json::parse_door_command(request.body);
               if (auto* e = std::get_if<json::FieldError>(&body))
                 return respond(http::json_error(400, e->field, e->message));
               commands_.edit(
                   params.at("id"), std::get<json::DoorCommandBody>(body), who,
                   [respond, desk_reply](const services::DeskAnswer& a) { respond(desk_reply(a)); });
             });
  router.add("POST", "/api/v1/approvals/{id}/approve",
             [this, desk_reply](const http::HttpRequest&, const http::RouteParams& params,
                                const operators::Principal& who, http::Responder respond) {
               if (change_approvals_ && change_approvals_(params.at("id"), who, respond)) return;
               commands_.approve(params.at("id"), who, [respond, desk_reply](const services::DeskAnswer& a) {
                 respond(desk_reply(a));
               });
             });
  router.add("GET", "/api/v1/devices/me/commands",
             [this](const http::HttpRequest&, const http::RouteParams&, const operators::Principal& who,
                    http::Responder respond) {
               respond(http::json_response(commands_.commands_for_device(who.device_id.str())));
             });
  router.add("POST", "/api/v1/devices/me/commands/{id}/result",
             [this, desk_reply](const http::HttpRequest& request, const http::RouteParams& params,
                                const operators::Principal& who, http::Responder respond) {
               auto body = json::parse_command_result(request.body);
               if (auto* e = std::get_if<json::FieldError>(&body))
                 return respond(http::json_error(400, e->field, e->message));
               commands_.device_result(
                   who.device_id.str(), params.at("id"), std::get<json::CommandResultBody>(body),
                   [respond, desk_reply](const services::DeskAnswer& a) { respond(desk_reply(a)); });
             });

  // Every other route of the matrix: authorization first, then an honest "not built yet".
  std::set<std::string> registered;
  for (const auto& route : plain.routes()) registered.insert(route.method + " " + route.pattern);
  for (const auto& rule : operators::authorization_matrix()) {
    const std::string method{operators::to_string(rule.method)};
    const std::string pattern{rule.pattern};
    if (registered.count(method + " " + pattern)) continue;
    router.add(method, pattern,
               [](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal&,
                  http::Responder respond) {
                 respond(http::json_error(501, "path",
                                          request.method + " " + request.path + " is not implemented yet"));
               });
  }
}

}  // namespace portcullis::api
