#pragma once
// The device event API: POST /api/v1/events, POST /api/v1/rfid/reads, plus GET /api/v1/health and GET
// /metrics. Handlers authenticate, parse and hand the events to the sequencer; the answer is sent only when
// the sequencer reports the events durably committed. Nothing here blocks a network thread.
#include <atomic>
#include <chrono>
#include <mutex>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/http/router.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/metrics/metrics.hpp"
#include "portcullis/services/device_registry.hpp"

namespace portcullis::api {

class DeviceApi {
 public:
  DeviceApi(services::DeviceRegistry& devices, ingest::Sequencer& sequencer, metrics::ServerMetrics& metrics,
            const core::Clock& clock);
  void register_routes(SecuredRouter& router);
  // Chains a refused device request into history (rate-limited).
  void record_auth_failure(const http::HttpRequest& request, const services::DeviceAuthFailure& failure);

 private:
  void post_events(const http::HttpRequest& request, const std::string& device, http::Responder respond);
  // POST /api/v1/rfid/reads: a reader's batch of tag reads; answered once its changes of location are stored.
  void post_rfid_reads(const http::HttpRequest& request, const std::string& device, http::Responder respond);

  services::DeviceRegistry& devices_;
  ingest::Sequencer& sequencer_;
  metrics::ServerMetrics& metrics_;
  const core::Clock& clock_;

  // At most this many refused attempts per second are chained as security events; the rest are
  // counted, so a flood of bad tokens cannot flood history.
  static constexpr int kAuthFailureRecordsPerSecond = 20;
  std::mutex auth_failure_mutex_;
  std::int64_t auth_failure_window_ = 0;
  int auth_failures_in_window_ = 0;
};

}  // namespace portcullis::api
