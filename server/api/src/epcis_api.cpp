#include "portcullis/api/epcis_api.hpp"

#include "portcullis/http/request_checks.hpp"

#include <system_error>
#include <thread>
#include <utility>

#include "portcullis/epcis/capture.hpp"
#include "portcullis/epcis/to_core.hpp"
#include "portcullis/services/device_registry.hpp"
#include "portcullis/util/query_string.hpp"

namespace portcullis::api {
namespace {

bool is_json(const http::HttpRequest& request) {
  return http::has_media_type(request, "application/json") ||
         http::has_media_type(request, "application/ld+json");
}

ingest::CapturedEvent to_captured(const epcis::CaptureEvent& event, const epcis::MappedEvent& mapped,
                                  const core::DeviceId& device) {
  ingest::CapturedEvent c;
  c.event_id = mapped.event_id;
  c.canonical_sha256 = services::sha256_hex(epcis::canonical_form(event));
  c.path = mapped.path;
  c.effect = std::string(epcis::to_string(mapped.effect));
  c.not_applied_reason = mapped.not_applied_reason;
  for (const auto& o : mapped.observations) c.observations.push_back(epcis::to_core(o, device));
  for (const auto& reg : mapped.registrations) {
    c.actions.emplace_back(epcis::to_core(reg, mapped.event_id));
    c.action_epcs.emplace_back();
  }
  for (const auto& d : mapped.destructions) {
    // The asset is looked up by EPC on the sequencer thread (the book is not ours to read here).
    c.actions.emplace_back(epcis::to_core(d, core::AssetId{}, mapped.event_id));
    c.action_epcs.push_back(d.epc);
  }
  return c;
}

std::string capture_body(const ingest::EpcisResult& result) {
  std::string body = "{\"running\":false,\"success\":true,\"events\":[";
  for (std::size_t i = 0; i < result.answers.size(); ++i) {
    if (i) body += ',';
    body += result.answers[i].result_json;
  }
  return body + "]}";
}

}  // namespace

EpcisApi::EpcisApi(ingest::Sequencer& sequencer, SiteSource site, EpcisSettings settings)
    : sequencer_(sequencer), site_(std::move(site)), settings_(std::move(settings)) {
  // One limit, stated once: the parser's backstop is the HTTP limit of these routes.
  settings_.limits.max_body_bytes = settings_.body_limit;
}

std::shared_ptr<const epcis::SiteDirectory> EpcisApi::directory() {
  auto site = site_ ? site_() : nullptr;
  std::lock_guard lock{directory_mutex_};
  if (!directory_ || site != directory_site_) {
    directory_ = std::make_shared<const epcis::SiteDirectory>(site ? epcis::directory_from(*site)
                                                                   : epcis::SiteDirectory{});
    directory_site_ = std::move(site);
  }
  return directory_;
}

void EpcisApi::register_routes(SecuredRouter& router) {
  router.add(
      "POST", "/epcis/capture",
      [this](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal& who,
             http::Responder respond) { capture(true, request, who.device_id.str(), std::move(respond)); });
  router.add(
      "POST", "/epcis/events",
      [this](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal& who,
             http::Responder respond) { capture(false, request, who.device_id.str(), std::move(respond)); });
  router.set_body_limit("POST", "/epcis/capture", settings_.body_limit);
  router.set_body_limit("POST", "/epcis/events", settings_.body_limit);
}

EpcisApi::~EpcisApi() {
  std::unique_lock lock{large_mutex_};
  large_idle_.wait(lock, [&] { return large_running_ == 0; });
}

void EpcisApi::capture(bool document, const http::HttpRequest& request, const std::string& device,
                       http::Responder respond) {
  if (!is_json(request)) {
    return respond(http::json_error(415, "content-type", "expected application/json or application/ld+json"));
  }
  if (request.body.size() <= settings_.inline_parse_bytes)
    return process(document, request.body, device, respond);
  // A large document takes up to about a second to parse: not on the network thread, whose other
  // connections (door controllers) would wait that long.
  {
    std::lock_guard lock{large_mutex_};
    if (large_running_ >= settings_.max_large_parses) {
      auto r = http::json_error(503, "server", "too many large EPCIS documents being processed; retry");
      r.headers.emplace_back("Retry-After", "1");
      return respond(std::move(r));
    }
    ++large_running_;
  }
  auto done = [this] {
    std::lock_guard lock{large_mutex_};
    --large_running_;
    large_idle_.notify_all();
  };
  try {
    std::thread([this, document, body = request.body, device, respond, done] {
      try {
        process(document, body, device, respond);
      } catch (const std::exception&) {
        respond(http::json_error(500, "server", "the document could not be processed"));
      }
      done();
    }).detach();
  } catch (const std::system_error&) {
    done();
    auto r = http::json_error(503, "server", "too busy; retry");
    r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  }
}

void EpcisApi::process(bool document, std::string_view body, const std::string& device,
                       const http::Responder& respond) {
  const core::DeviceId device_id{device};
  ingest::EpcisSubmission submission;
  submission.device = device_id;
  const auto site = directory();
  if (document) {
    auto parsed = epcis::parse_capture_document(body, settings_.limits);
    if (!parsed) return respond(http::json_response(epcis::errors_to_json(parsed.errors()), 400));
    auto mapped = epcis::map_document(*parsed, *site);
    if (!mapped) return respond(http::json_response(epcis::errors_to_json(mapped.errors()), 400));
    for (std::size_t i = 0; i < mapped->size(); ++i) {
      submission.events.push_back(to_captured(parsed->events[i], (*mapped)[i], device_id));
    }
  } else {
    auto parsed = epcis::parse_capture_event(body, settings_.limits);
    if (!parsed) return respond(http::json_response(epcis::errors_to_json(parsed.errors()), 400));
    auto mapped = epcis::map_event(*parsed, *site);
    if (!mapped) return respond(http::json_response(epcis::errors_to_json(mapped.errors()), 400));
    submission.events.push_back(to_captured(*parsed, *mapped, device_id));
  }
  submission.done = [respond, document](ingest::EpcisResult result) {
    using Status = ingest::EpcisResult::Status;
    if (result.status == Status::Conflict) {
      return respond(http::json_error(409, result.error_field, result.error_message));
    }
    if (result.status == Status::Unavailable) {
      auto r = http::json_error(503, "server", result.error_message);
      r.headers.emplace_back("Retry-After", "1");
      return respond(std::move(r));
    }
    if (document) {
      // EPCIS 2.0 answers a capture with 202 and the capture job's Location; this one is already done.
      auto r = http::json_response(capture_body(result), 202);
      const auto first = result.answers.empty() ? std::string{"empty"} : result.answers.front().event_id;
      r.headers.emplace_back("Location", "/epcis/capture/" + util::percent_encode(first));
      return respond(std::move(r));
    }
    auto r = http::json_response(result.answers.front().result_json, 201);
    r.headers.emplace_back("Location",
                           "/epcis/events/" + util::percent_encode(result.answers.front().event_id));
    respond(std::move(r));
  };
  if (!sequencer_.submit(std::move(submission))) {
    auto r = http::json_error(503, "server", "too busy; retry");
    r.headers.emplace_back("Retry-After", "1");
    respond(std::move(r));
  }
}

}  // namespace portcullis::api
