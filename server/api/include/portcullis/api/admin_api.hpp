#pragma once
// Admin routes of issue 3: people, credentials, PINs, group membership and grants as operator actions
// (recorded and replayed through the sequencer like revocations), and the runtime site reload
// (PUT /api/v1/site). Bodies use the site file's own shapes and are read by the site file's code; the model
// checks (duplicate badge, unknown zone...) happen in the engine at their point of the log. Register before
// OperatorApi, which answers 501 on matrix routes nobody registered.
#include <memory>
#include <mutex>
#include <string>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/api/worker_pool.hpp"
#include "portcullis/ingest/sequencer.hpp"

namespace portcullis::api {

struct AdminLimits {
  std::size_t max_site_bytes = 1024 * 1024;  // the HTTP body limit; larger sites are loaded at start-up
};

class AdminApi {
 public:
  AdminApi(ingest::Sequencer& sequencer, WorkerPool& workers, AdminLimits limits = {});
  void register_routes(SecuredRouter& router);

  // GET /api/v1/site: the summary of the site in force (file + admin edits), recomputed when it changes.
  [[nodiscard]] std::string site_summary();

 private:
  void submit(core::OperatorAction action, const operators::Principal& who, int status_when_done,
              http::Responder respond);
  void load_site(const http::HttpRequest& request, const operators::Principal& who, http::Responder respond);

  ingest::Sequencer& sequencer_;
  WorkerPool& workers_;
  AdminLimits limits_;
  std::mutex summary_mutex_;
  std::shared_ptr<const core::SiteDefinition> summary_of_;
  std::string summary_;
};

}  // namespace portcullis::api
