#pragma once
// GS1 EPCIS 2.0 capture for RFID systems (issue 5): POST /epcis/capture (an EPCISDocument) and
// POST /epcis/events (one event), device-authenticated like the native device API. The adapter
// (server/epcis) parses and maps on the network thread; the sequencer applies the events in order, keeps
// each eventID once (a retry gets the same answer, other content under a known eventID is a conflict) and
// answers after the durable commit. docs/epcis.md describes the mapping.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>

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
};

class EpcisApi {
 public:
  // `site` gives the site definition in force (it changes with reloads and admin edits).
  using SiteSource = std::function<std::shared_ptr<const core::SiteDefinition>()>;
  EpcisApi(ingest::Sequencer& sequencer, SiteSource site, EpcisSettings settings = {});
  // Adds the routes and their body limit.
  void register_routes(SecuredRouter& router);

 private:
  void capture(bool document, const http::HttpRequest& request, const std::string& device,
               http::Responder respond);

  [[nodiscard]] std::shared_ptr<const epcis::SiteDirectory> directory();

  ingest::Sequencer& sequencer_;
  SiteSource site_;
  EpcisSettings settings_;
  std::mutex directory_mutex_;
  std::shared_ptr<const core::SiteDefinition> directory_site_;  // what directory_ was built from
  std::shared_ptr<const epcis::SiteDirectory> directory_;
};

}  // namespace portcullis::api
