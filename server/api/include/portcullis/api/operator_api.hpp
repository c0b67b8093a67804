#pragma once
// Operator routes: sign-in, the site for the map, alarms, operator administration. Every route of the
// authorization matrix is registered here or in DeviceApi, so none is reachable without passing it;
// routes whose feature is not built yet answer 501 after authorization.
#include <memory>
#include <string>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/services/command_desk.hpp"
#include "portcullis/services/operator_accounts.hpp"
#include "portcullis/services/worker_pool.hpp"

namespace portcullis::api {

class OperatorApi {
 public:
  OperatorApi(services::OperatorAccounts& accounts, ingest::Sequencer& sequencer,
              services::WorkerPool& workers, std::function<std::string()> site_summary_json,
              std::function<std::string()> open_alarms_json, services::CommandDesk& commands);
  // Registers its routes, then answers 501 on every other route of the matrix not yet registered.
  void register_routes(SecuredRouter& router, const http::Router& plain);
  // Approvals of other pending changes (admin changes, see AdminApi): given an approval id, answers and
  // returns true if it is theirs; otherwise POST /api/v1/approvals/{id}/approve goes to the command desk.
  using ChangeApprovals =
      std::function<bool(const std::string& id, const operators::Principal& who, http::Responder& respond)>;
  void set_change_approvals(ChangeApprovals approvals) { change_approvals_ = std::move(approvals); }

 private:
  void policy_action(const std::string& route, const http::HttpRequest& request, const std::string& target,
                     const operators::Principal& who, http::Responder respond);
  void alarm_change(bool acknowledge, const http::HttpRequest& request, const std::string& id,
                    const operators::Principal& who, http::Responder respond);

  services::OperatorAccounts& accounts_;
  ingest::Sequencer& sequencer_;
  services::WorkerPool& workers_;
  std::function<std::string()> site_summary_json_;  // the site in force (reloads and admin edits included)
  std::function<std::string()> open_alarms_json_;
  services::CommandDesk& commands_;
  ChangeApprovals change_approvals_;
};

}  // namespace portcullis::api
