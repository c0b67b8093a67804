#pragma once
// GS1 EPCIS 2.0 capture for RFID systems: POST /epcis/capture (an EPCISDocument) and
// POST /epcis/events (one event), device-authenticated like the native device API. The adapter
// (server/epcis) parses and maps a small body on the network thread and a large one (over 256 KiB, up to the
// 16 MiB limit: about a second of parsing) on a thread of its own, so the door controllers sharing that
// network thread are not held up; the sequencer applies the events in order, keeps
// each eventID once (a retry gets the same answer, other content under a known eventID is a conflict) and
// answers after the durable commit. docs/epcis.md describes the mapping.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/epcis/capture.hpp"
#include "portcullis/epcis/mapping.hpp"
#include "portcullis/ingest/sequencer.hpp"

namespace portcullis::api {

// The EPCIS routes' own limits (docs/epcis.md "Limits"). Capture documents from RFID middleware are larger
// than anything else the server takes, so these two routes get a body limit of their own; every other route
// keeps the server's (http::ServerConfig::body_limit, 1 MiB).
struct EpcisSettings {
  static constexpr std::size_t kDefaultBodyLimit = 16u * 1024u * 1024u;
  std::size_t body_limit = kDefaultBodyLimit;  // POST /epcis/capture and POST /epcis/events, in bytes
  epcis::Limits limits;                        // the parser's; its max_body_bytes follows body_limit
  // Bodies over this are parsed off the network thread, at most `max_large_parses` at once (more: 503 with
  // Retry-After); each holds a copy of its body and its DOM (docs/epcis.md "Limits": ~250 MiB for 16 MiB).
  std::size_t inline_parse_bytes = 256u * 1024u;
  int max_large_parses = 2;
};

class EpcisApi {
 public:
  // `site` gives the site definition in force (it changes with reloads and admin edits).
  using SiteSource = std::function<std::shared_ptr<const core::SiteDefinition>()>;
  EpcisApi(ingest::Sequencer& sequencer, SiteSource site, EpcisSettings settings = {});
  ~EpcisApi();  // waits for the large documents being parsed
  EpcisApi(const EpcisApi&) = delete;
  EpcisApi& operator=(const EpcisApi&) = delete;
  // Adds the routes and their body limit.
  void register_routes(SecuredRouter& router);

 private:
  void capture(bool document, const http::HttpRequest& request, const std::string& device,
               http::Responder respond);
  // Parses, maps and submits `body`; answers through `respond` (now on a refusal, after the commit
  // otherwise).
  void process(bool document, std::string_view body, const std::string& device,
               const http::Responder& respond);

  [[nodiscard]] std::shared_ptr<const epcis::SiteDirectory> directory();

  ingest::Sequencer& sequencer_;
  SiteSource site_;
  EpcisSettings settings_;
  std::mutex directory_mutex_;
  std::shared_ptr<const core::SiteDefinition> directory_site_;  // what directory_ was built from
  std::shared_ptr<const epcis::SiteDirectory> directory_;
  std::mutex large_mutex_;
  std::condition_variable large_idle_;
  int large_running_ = 0;
};

}  // namespace portcullis::api
