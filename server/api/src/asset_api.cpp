#include "portcullis/api/asset_api.hpp"

#include <utility>

#include "portcullis/json/asset_json.hpp"
#include "portcullis/operators/crypto/random.hpp"

namespace portcullis::api {
namespace {

std::string param(const http::RouteParams& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? std::string{} : it->second;
}

}  // namespace

AssetApi::AssetApi(ingest::Sequencer& sequencer, const core::Clock& clock)
    : sequencer_(sequencer), clock_(clock) {}

void AssetApi::change(const std::string& type, const http::HttpRequest& request, const std::string& target,
                      const operators::Principal& who, http::Responder respond) {
  const auto new_id = "mo-" + operators::crypto::random_token().substr(0, 12);
  auto parsed = json::parse_asset_action_request(type, target, request.body, new_id, clock_.now());
  if (auto* error = std::get_if<json::FieldError>(&parsed)) {
    return respond(http::json_error(400, error->field, error->message));
  }
  ingest::OperatorCommand command;
  command.kind = ingest::OperatorCommand::Kind::AssetAction;
  command.operator_id = who.operator_id.str();
  command.asset_action = std::get<core::AssetAction>(std::move(parsed));
  command.actor.id = who.operator_id;
  command.actor.person = who.person;
  command.actor.may_approve = who.has_role_in({operators::Role::Supervisor, operators::Role::Admin});
  const bool creates = type == "request_move_order" || type == "register_asset" || type == "fit_seal";
  const bool named = type == "request_move_order";
  command.done = [respond, creates, named, new_id](ingest::CommandResult result) {
    if (result.status != 200) return respond(http::json_error(result.status, result.field, result.message));
    if (named)
      return respond(
          http::json_response("{\"id\":\"" + new_id + "\",\"outcome\":" + result.body_json + "}", 201));
    respond(http::json_response("{\"outcome\":" + result.body_json + "}", creates ? 201 : 200));
  };
  if (!sequencer_.submit(std::move(command))) respond(http::json_error(503, "server", "too busy; retry"));
}

void AssetApi::register_routes(SecuredRouter& router) {
  const std::pair<const char*, const char*> changes[] = {
      {"/api/v1/assets", "register_asset"},
      {"/api/v1/assets/{id}/lifecycle", "change_lifecycle"},
      {"/api/v1/assets/{id}/wipe", "record_wipe"},
      {"/api/v1/assets/{id}/destruction", "record_destruction"},
      {"/api/v1/assets/{id}/disposal", "record_disposal"},
      {"/api/v1/move-orders", "request_move_order"},
      {"/api/v1/move-orders/{id}/approve", "approve_move_order"},
      {"/api/v1/seals", "fit_seal"},
      {"/api/v1/seals/{id}/check", "check_seal"},
  };
  for (const auto& [pattern, type] : changes) {
    router.add(
        "POST", pattern,
        [this, type = std::string(type)](const http::HttpRequest& request, const http::RouteParams& params,
                                         const operators::Principal& who, http::Responder respond) {
          change(type, request, param(params, "id"), who, std::move(respond));
        });
  }
  router.add("PUT", "/api/v1/assets/{id}",
             [this](const http::HttpRequest& request, const http::RouteParams& params,
                    const operators::Principal& who, http::Responder respond) {
               change("update_asset", request, param(params, "id"), who, std::move(respond));
             });
  auto query = [this](std::function<std::string(const core::AssetBook&, core::Timestamp)> run,
                      http::Responder respond) {
    ingest::OperatorCommand command;
    command.kind = ingest::OperatorCommand::Kind::AssetQuery;
    command.asset_query = std::move(run);
    command.done = [respond](ingest::CommandResult result) {
      if (result.status != 200) return respond(http::json_error(result.status, result.field, result.message));
      respond(http::json_response(std::move(result.body_json)));
    };
    if (!sequencer_.submit(std::move(command))) respond(http::json_error(503, "server", "too busy; retry"));
  };
  router.add("GET", "/api/v1/assets",
             [query](const http::HttpRequest&, const http::RouteParams&, const operators::Principal&,
                     http::Responder respond) {
               query([](const core::AssetBook& book,
                        core::Timestamp now) { return json::asset_list_json(book, now); },
                     std::move(respond));
             });
  router.add("GET", "/api/v1/assets/{id}",
             [query](const http::HttpRequest&, const http::RouteParams& params, const operators::Principal&,
                     http::Responder respond) {
               const core::AssetId id{param(params, "id")};
               query([id](const core::AssetBook& book,
                          core::Timestamp) { return json::asset_detail_json(book, id); },
                     std::move(respond));
             });
}

}  // namespace portcullis::api
