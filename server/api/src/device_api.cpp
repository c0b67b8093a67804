#include "portcullis/api/device_api.hpp"

#include "portcullis/http/request_checks.hpp"

#include <nlohmann/json.hpp>
#include <variant>

#include "portcullis/json/asset_json.hpp"
#include "portcullis/json/device_answer_json.hpp"
#include "portcullis/json/device_event_json.hpp"
#include "portcullis/ledger/records/device_fact_record.hpp"

namespace portcullis::api {
namespace {
// A follower instance (role = follower) never writes the site's history: devices must post to the owner.
http::HttpResponse follower_refusal() {
  return http::json_error(
      503, "server", "this instance follows the site read-only; devices post to the instance that owns it");
}
}  // namespace
namespace {

// The device hears the verdict and the door action only: the stored outcome's person and alarms (a silent
// duress alarm, deadline alarms of other places) stay with the operators.
std::string answer_json(const ingest::EventAnswer& a, const core::SiteModel* model) {
  return std::string("{\"status\":\"") +
         (a.status == ingest::EventAnswer::Status::Stored ? "stored" : "duplicate") + "\",\"device_id\":\"" +
         http::json_escape(a.device_id) + "\",\"seq\":" + std::to_string(a.device_seq) +
         ",\"site_seq\":" + std::to_string(a.site_seq) +
         ",\"outcome\":" + json::device_answer_outcome_json(a.outcome_json, model) + "}";
}

bool is_json(const http::HttpRequest& request) {
  return http::has_media_type(request, "application/json");
}

}  // namespace

DeviceApi::DeviceApi(services::DeviceRegistry& devices, ingest::Sequencer& sequencer,
                     metrics::ServerMetrics& metrics, const core::Clock& clock)
    : devices_(devices), sequencer_(sequencer), metrics_(metrics), clock_(clock) {}

void DeviceApi::register_routes(SecuredRouter& router) {
  router.add("POST", "/api/v1/events",
             [this](const http::HttpRequest& req, const http::RouteParams&, const operators::Principal& who,
                    http::Responder respond) { post_events(req, who.device_id.str(), std::move(respond)); });
  router.add(
      "POST", "/api/v1/rfid/reads",
      [this](const http::HttpRequest& req, const http::RouteParams&, const operators::Principal& who,
             http::Responder respond) { post_rfid_reads(req, who.device_id.str(), std::move(respond)); });
  router.add(
      "GET", "/api/v1/health",
      [this](const http::HttpRequest&, const http::RouteParams&, const operators::Principal& who,
             http::Responder respond) {
        // Degraded while a chain_tampered alarm is open (docs/event-store.md, "Tampering").
        const bool tampered = sequencer_.history_tampered();
        const std::string status = std::string("{\"status\":\"") + (tampered ? "degraded" : "ok") + "\"";
        // Counts are reconnaissance material: only signed-in operators see them.
        if (!who.is_operator()) return respond(http::json_response(status + "}"));
        respond(http::json_response(status + ",\"devices\":" + std::to_string(devices_.size()) +
                                    ",\"replayed_events\":" + std::to_string(sequencer_.replayed_events()) +
                                    ",\"history\":\"" + (tampered ? "tampered" : "intact") + "\"}"));
      });
  // Liveness: the process answers HTTP at all (a stuck or dead one does not). For systemd and load balancers.
  router.add("GET", "/health/live",
             [](const http::HttpRequest&, const http::RouteParams&, const operators::Principal&,
                http::Responder respond) { respond(http::json_response(R"({"status":"live"})")); });
  // Readiness: send device events here. Only the site's owner, replayed and with its event store reachable
  // (a follower serves consoles but refuses device events, so a load balancer must not send it doors).
  router.add("GET", "/health/ready",
             [this](const http::HttpRequest&, const http::RouteParams&, const operators::Principal&,
                    http::Responder respond) {
               if (sequencer_.ready()) return respond(http::json_response(R"({"status":"ready"})"));
               if (!sequencer_.follower()) {
                 return respond(http::json_response(
                     R"({"status":"not_ready","reason":"event_store_unreachable"})", 503));
               }
               // A follower: whether it stands by to take the site when its owner stops, and if it may
               // not, why (what it lacks: the operator fixes its configuration before it is needed).
               auto body = nlohmann::json{{"status", "not_ready"},
                                          {"reason", "follower"},
                                          {"takeover", sequencer_.takeover_state()}};
               if (!sequencer_.takeover_refused().empty()) body["detail"] = sequencer_.takeover_refused();
               respond(http::json_response(body.dump(), 503));
             });
  router.add("GET", "/metrics",
             [this](const http::HttpRequest&, const http::RouteParams&, const operators::Principal&,
                    http::Responder respond) {
               http::HttpResponse r;
               r.content_type = "text/plain; version=0.0.4";
               r.body = metrics_.render();
               respond(std::move(r));
             });
}

void DeviceApi::record_auth_failure(const http::HttpRequest& request,
                                    const services::DeviceAuthFailure& failure) {
  metrics_.auth_failures.add();
  const auto second = core::to_unix_micros(clock_.now()) / 1'000'000;
  {
    std::lock_guard lock{auth_failure_mutex_};
    if (second != auth_failure_window_) {
      auth_failure_window_ = second;
      auth_failures_in_window_ = 0;
    }
    if (++auth_failures_in_window_ > kAuthFailureRecordsPerSecond) return;
  }
  ingest::ServerFact fact;
  fact.type = "security.device_auth_failed";
  fact.device_id = failure.claimed_device;
  fact.payload_json =
      json::device_auth_failed_fact_json(request.path, failure.reason, request.remote_address);
  sequencer_.record(std::move(fact));
}

// The authorization matrix let only an identified, enabled device reach this (a refused one was
// recorded by the router's refusal hook), so `device` is already authenticated.
void DeviceApi::post_events(const http::HttpRequest& request, const std::string& device,
                            http::Responder respond) {
  if (!is_json(request)) {
    metrics_.events_rejected.add();
    return respond(http::json_error(415, "content-type", "expected application/json"));
  }
  auto parsed = json::parse_event_request(request.body);
  if (auto* error = std::get_if<json::FieldError>(&parsed)) {
    metrics_.events_rejected.add();
    return respond(http::json_error(400, error->field, error->message));
  }
  auto& events = std::get<json::EventRequest>(parsed);
  for (std::size_t i = 0; i < events.events.size(); ++i) {
    if (events.events[i].device.str() != device) {
      metrics_.events_rejected.add();
      const auto field =
          events.batch ? "events[" + std::to_string(i) + "].device_id" : std::string{"device_id"};
      return respond(
          http::json_error(403, field, "does not match the authenticated device '" + device + "'"));
    }
  }

  ingest::Submission submission;
  submission.events = std::move(events.events);
  submission.batch = events.batch;
  submission.done = [this, respond, batch = events.batch](ingest::SubmissionResult result) {
    using Status = ingest::SubmissionResult::Status;
    if (result.status == Status::Rejected)
      return respond(http::json_error(409, result.error_field, result.error_message));
    if (result.status == Status::Unavailable) {
      auto r = http::json_error(503, "server", result.error_message);
      r.headers.emplace_back("Retry-After", "1");
      return respond(std::move(r));
    }
    const auto model = sequencer_.current_model();
    if (!batch) return respond(http::json_response(answer_json(result.answers.front(), model.get())));
    std::string body = "{\"results\":[";
    for (std::size_t i = 0; i < result.answers.size(); ++i) {
      if (i) body += ',';
      body += answer_json(result.answers[i], model.get());
    }
    body += "]}";
    respond(http::json_response(std::move(body)));
  };
  if (!sequencer_.submit(std::move(submission))) {
    metrics_.requests_unavailable.add();
    if (sequencer_.follower()) return respond(follower_refusal());
    auto r = http::json_error(503, "server", "too many events waiting to be stored; retry");
    r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  }
}

void DeviceApi::post_rfid_reads(const http::HttpRequest& request, const std::string& device,
                                http::Responder respond) {
  if (!is_json(request)) return respond(http::json_error(415, "content-type", "expected application/json"));
  auto parsed = json::parse_rfid_reads(request.body);
  if (auto* error = std::get_if<json::FieldError>(&parsed)) {
    return respond(http::json_error(400, error->field, error->message));
  }
  auto& batch = std::get<json::RfidReadBatch>(parsed);
  if (batch.device_id != device) {
    return respond(
        http::json_error(403, "device_id", "does not match the authenticated device '" + device + "'"));
  }
  ingest::RfidSubmission submission;
  submission.reads = std::move(batch.reads);
  submission.done = [respond](ingest::RfidResult result) {
    if (!result.stored) {
      auto r = http::json_error(503, "server", result.error_message);
      r.headers.emplace_back("Retry-After", "1");
      return respond(std::move(r));
    }
    respond(http::json_response("{\"status\":\"stored\",\"reads\":" + std::to_string(result.reads) +
                                ",\"movements\":" + std::to_string(result.movements) +
                                ",\"duplicates\":" + std::to_string(result.duplicates) +
                                ",\"unknown\":" + std::to_string(result.unknown) + "}"));
  };
  if (!sequencer_.submit(std::move(submission))) {
    if (sequencer_.follower()) return respond(follower_refusal());
    auto r = http::json_error(503, "server", "too many reads waiting; retry");
    r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  }
}

}  // namespace portcullis::api
