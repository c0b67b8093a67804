#pragma once
// GS1 EPCIS 2.0 capture for RFID systems (issue 5): POST /epcis/capture (an EPCISDocument) and
// POST /epcis/events (one event), device-authenticated like the native device API. The adapter
// (server/epcis) parses and maps on the network thread; the sequencer applies the events in order, keeps
// each eventID once (a retry gets the same answer, other content under a known eventID is a conflict) and
// answers after the durable commit. docs/epcis.md describes the mapping.
#include <functional>
#include <memory>
#include <mutex>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/epcis/mapping.hpp"
#include "portcullis/ingest/sequencer.hpp"

namespace portcullis::api {

class EpcisApi {
 public:
  // `site` gives the site definition in force (it changes with reloads and admin edits).
  using SiteSource = std::function<std::shared_ptr<const core::SiteDefinition>()>;
  EpcisApi(ingest::Sequencer& sequencer, SiteSource site);
  void register_routes(SecuredRouter& router);

 private:
  void capture(bool document, const http::HttpRequest& request, const std::string& device,
               http::Responder respond);

  [[nodiscard]] std::shared_ptr<const epcis::SiteDirectory> directory();

  ingest::Sequencer& sequencer_;
  SiteSource site_;
  std::mutex directory_mutex_;
  std::shared_ptr<const core::SiteDefinition> directory_site_;  // what directory_ was built from
  std::shared_ptr<const epcis::SiteDirectory> directory_;
};

}  // namespace portcullis::api
