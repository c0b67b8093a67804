#pragma once
// Assets, seals and move orders for operators: the registry and custody trail (GET), and the
// changes (register, update, lifecycle, wipe, destruction, disposal, move orders, seal checks and fitting).
// Changes are asset actions decided by the site's asset book on the sequencer thread, recorded in the chain
// (refusals too) and answered after the commit; reads also run there, so nothing here touches the book.
#include <string>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/core/time.hpp"
#include "portcullis/ingest/sequencer.hpp"

namespace portcullis::api {

class AssetApi {
 public:
  AssetApi(ingest::Sequencer& sequencer, const core::Clock& clock);
  void register_routes(SecuredRouter& router);

 private:
  void change(const std::string& type, const http::HttpRequest& request, const std::string& target,
              const operators::Principal& who, http::Responder respond);

  ingest::Sequencer& sequencer_;
  const core::Clock& clock_;
};

}  // namespace portcullis::api
