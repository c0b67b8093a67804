#pragma once
// Admin routes of issue 3: people, credentials, PINs, group membership and grants as operator actions
// (recorded and replayed through the sequencer like revocations), and the runtime site reload
// (PUT /api/v1/site). Bodies use the site file's own shapes and are read by the site file's code; the model
// checks (duplicate badge, unknown zone...) happen in the engine at their point of the log. Register before
// OperatorApi, which answers 501 on matrix routes nobody registered.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/api/worker_pool.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/operators/dual_approval.hpp"

namespace portcullis::api {

struct AdminLimits {
  std::size_t max_site_bytes = 1024 * 1024;  // the HTTP body limit; larger sites are loaded at start-up
  core::Duration approval_validity = std::chrono::minutes(30);
  std::size_t max_pending_changes = 64;  // held for approval at once; expired ones are dropped first
};

class AdminApi {
 public:
  AdminApi(ingest::Sequencer& sequencer, WorkerPool& workers, const core::Clock& clock,
           AdminLimits limits = {});
  void register_routes(SecuredRouter& router);
  // Sensitive changes (a grant to a two-person zone or rack, a site reload that changes tier requirements)
  // wait for a second operator (server/operators dual_approval, bound to the hash of the exact change):
  // POST /api/v1/approvals/{id}/approve reaches this first (OperatorApi::set_change_approvals).
  bool approve(const std::string& id, const operators::Principal& who, http::Responder& respond);
  // Called on a worker thread with the text of each site file loaded at run time (after it is in force).
  void set_on_site_loaded(std::function<void(const std::string& text)> hook) {
    on_site_loaded_ = std::move(hook);
  }

  // GET /api/v1/site: the summary of the site in force (file + admin edits), recomputed when it changes.
  [[nodiscard]] std::string site_summary();

 private:
  void submit(core::OperatorAction action, const operators::Principal& who, int status_when_done,
              http::Responder respond);
  void load_site(const http::HttpRequest& request, const operators::Principal& who, http::Responder respond);

  // Holds a sensitive change for approval: answers 202 with its id.
  using Execute = std::function<void(http::Responder)>;
  void hold_for_approval(const std::string& action, const std::string& canonical,
                         const operators::Principal& who, Execute execute, http::Responder respond);
  void record_step(const std::string& type, const operators::PendingApproval& approval,
                   const std::string& by);

  struct PendingChange {
    operators::PendingApproval approval;
    std::string canonical;
    Execute execute;
  };
  ingest::Sequencer& sequencer_;
  WorkerPool& workers_;
  const core::Clock& clock_;
  AdminLimits limits_;
  std::mutex pending_mutex_;
  std::map<std::string, PendingChange> pending_;
  std::size_t next_change_ = 1;
  std::function<void(const std::string& text)> on_site_loaded_;
  std::mutex summary_mutex_;
  std::shared_ptr<const core::SiteDefinition> summary_of_;
  std::string summary_;
};

}  // namespace portcullis::api
