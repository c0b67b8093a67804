#pragma once
// Operator accounts over the API: create, disable, enable, password reset and TOTP re-enrolment. Each change
// is answered once it is recorded in the chain (operator.created, .disabled, .enabled, .password_reset,
// .totp_reenrolled). A password given here (create, reset) is a one-time password: it only sets the
// operator's own (POST /api/v1/auth/password).
//
// Separation of duties (docs/operators.md): creating, enabling, resetting or re-enrolling an account that may
// approve (supervisor or admin), and disabling an admin, is held for another admin (AdminApi's held changes,
// approved with POST /api/v1/approvals/{id}/approve). The new credentials are split between the two: the
// requester is given the one-time password when asking, the approver the TOTP enrolment when approving, so
// neither alone holds both factors of an account that approves.
#include <string>

#include "portcullis/api/admin_api.hpp"
#include "portcullis/api/secured_router.hpp"
#include "portcullis/ingest/sequencer.hpp"
#include "portcullis/services/operator_accounts.hpp"
#include "portcullis/services/worker_pool.hpp"

namespace portcullis::api {

class OperatorLifecycle {
 public:
  // Sets itself as `held_changes`' runner of approved operator changes.
  OperatorLifecycle(services::OperatorAccounts& accounts, ingest::Sequencer& sequencer,
                    services::WorkerPool& workers, AdminApi& held_changes);
  // Before OperatorApi, which answers 501 on matrix routes nobody registered.
  void register_routes(SecuredRouter& router);

 private:
  // `change_name`: create | disable | enable | password_reset | totp_reset.
  void request(const std::string& change_name, const std::string& operator_id,
               const operators::Principal& who, http::Responder respond);
  void request_create(const std::string& body, const operators::Principal& who, http::Responder respond);
  // Runs a change now (not held, or approved). `reply_fields`: the requester's one-time password when the
  // change is not held (they get both halves).
  void execute(const std::string& canonical, const operators::Principal& requester,
               const std::string& reply_fields, http::Responder respond);
  void record(const std::string& type, const std::string& payload_json, int status, const std::string& reply,
              http::Responder respond);

  services::OperatorAccounts& accounts_;
  ingest::Sequencer& sequencer_;
  services::WorkerPool& workers_;
  AdminApi& held_changes_;
};

}  // namespace portcullis::api
