#pragma once
// Admin routes: people, credentials, PINs, group membership and grants as operator actions
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
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/operators/dual_approval.hpp"
#include "portcullis/services/command_desk.hpp"
#include "portcullis/services/worker_pool.hpp"

namespace portcullis::api {

struct AdminLimits {
  std::size_t max_site_bytes = 1024 * 1024;  // the HTTP body limit; larger sites are loaded at start-up
  core::Duration approval_validity = std::chrono::minutes(30);
  std::size_t max_pending_changes = 64;  // held for approval at once; expired ones are dropped first
};

class AdminApi {
 public:
  AdminApi(ingest::Sequencer& sequencer, services::WorkerPool& workers, const core::Clock& clock,
           AdminLimits limits = {});
  void register_routes(SecuredRouter& router);
  // Changes that widen access to, or relax the rules of, a sensitive place (a two-person or tier >= 3 zone
  // or rack: core/policy/access_widening.hpp), whatever route they come through, including a site reload,
  // wait for a second operator (server/operators dual_approval, bound to the hash of the exact change):
  // POST /api/v1/approvals/{id}/approve reaches this first (OperatorApi::set_change_approvals).
  bool approve(const std::string& id, const operators::Principal& who, http::Responder& respond);
  // Start-up, before any request: re-applies one stored "change.*" record (in seq order), rebuilding the
  // changes still waiting for approval with their action. Returns an empty string when applied, else why
  // it was skipped (records written before changes were replayable, or a change that cannot be rebuilt).
  std::string restore(const services::StoredStep& step);
  // Changes to operator accounts that may approve (operator_lifecycle.hpp) are held the same way, and only
  // another admin approves them. `reply_fields`: more fields for the 202 answer (the requester's half of the
  // new credentials). The runner executes an approved one, also one rebuilt from its record after a restart;
  // set it before serving.
  using OperatorChangeRunner = std::function<void(const std::string& canonical,
                                                  const operators::Principal& requester, http::Responder)>;
  void set_operator_change_runner(OperatorChangeRunner runner) {
    operator_change_runner_ = std::move(runner);
  }
  void hold_operator_change(const std::string& canonical, const std::string& reasons_json,
                            const std::string& reply_fields, const operators::Principal& who,
                            http::Responder respond);
  // Called on a worker thread with the text of each site file loaded at run time (after it is in force).
  void set_on_site_loaded(std::function<void(const std::string& text)> hook) {
    on_site_loaded_ = std::move(hook);
  }

  // GET /api/v1/site: the summary of the site in force (file + admin edits), recomputed when it changes.
  [[nodiscard]] std::string site_summary();

 private:
  // `approved`: a second operator approved this action (held changes): the sequencer applies it even if it
  // widens access. Otherwise a widening action is answered 428 by the sequencer and held here.
  void submit(core::OperatorAction action, const operators::Principal& who, int status_when_done,
              http::Responder respond, bool approved = false);
  void load_site(const http::HttpRequest& request, const operators::Principal& who, http::Responder respond);
  // The work of load_site on the worker pool: parse, validate, hold a tier change or load.
  void load_parsed_site(const std::string& text, const operators::Principal& who, http::Responder respond);

  // Holds a sensitive change for approval: answers 202 with its id once change.requested is stored (with
  // the canonical change, the requester and, for a site reload, the site text, so a restart rebuilds it).
  using Execute = std::function<void(http::Responder)>;
  void hold_for_approval(const std::string& action, const std::string& canonical,
                         const std::string& site_text, const std::string& reasons_json,
                         const operators::Principal& who, Execute execute, http::Responder respond,
                         operators::RoleSet approver_roles = operators::kDefaultApproverRoles,
                         const std::string& reply_fields = {});
  Execute operator_change_executor(const std::string& canonical, const operators::Principal& requester);
  // The actions a held change executes once approved: built by the routes and, from the stored
  // change.requested record, by restore().
  Execute action_executor(core::OperatorAction action, const operators::Principal& who, int status_when_done);
  // `approved`: the load runs even if it widens access (a second operator approved it); otherwise a widening
  // file is held for approval.
  Execute site_loader(std::shared_ptr<const core::SiteDefinition> site, std::string text, std::string hash,
                      const operators::Principal& who, bool approved);
  struct PendingChange {
    operators::PendingApproval approval;
    std::string canonical;
    std::string site_text;
    operators::Principal requester;
    Execute execute;
    bool storing = false;  // its approval waits for its record to be stored
  };
  void record_step(const std::string& type, const PendingChange& change, const std::string& by,
                   bool with_change, std::function<void(bool stored)> done);
  ingest::Sequencer& sequencer_;
  services::WorkerPool& workers_;
  const core::Clock& clock_;
  AdminLimits limits_;
  std::mutex pending_mutex_;
  std::map<std::string, PendingChange> pending_;
  std::function<void(const std::string& text)> on_site_loaded_;
  OperatorChangeRunner operator_change_runner_;
  std::mutex summary_mutex_;
  std::shared_ptr<const core::SiteDefinition> summary_of_;
  std::string summary_;
};

}  // namespace portcullis::api
