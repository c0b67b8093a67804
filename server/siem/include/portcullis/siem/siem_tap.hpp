#pragma once
// Sits between the sequencer and the live views: every update goes on to the views unchanged, and the
// committed ones (live, after the durable commit) that carry alarms or security facts are formatted and
// queued for the syslog receiver. Runs on the sequencer thread, so it only formats and appends to the
// forwarder's bounded queue; it never touches the network. Only what this instance committed as the site's
// owner is forwarded: a follower sees the owner's records live too, and forwarding them would send every
// fact twice (`owning` says whether this instance writes the site now; a follower may take it over).
#include <functional>
#include <utility>

#include "portcullis/ingest/ingest_types.hpp"
#include "portcullis/siem/security_event.hpp"
#include "portcullis/siem/syslog_forwarder.hpp"

namespace portcullis::siem {

class SiemTap final : public ingest::LiveObserver {
 public:
  SiemTap(ingest::LiveObserver& views, SyslogForwarder& forwarder, SyslogIdentity identity,
          std::function<bool()> owning)
      : views_(views), forwarder_(forwarder), identity_(std::move(identity)), owning_(std::move(owning)) {}

  void on_update(const ingest::LiveUpdate& update, bool live) override;
  void on_reset() override { views_.on_reset(); }

 private:
  ingest::LiveObserver& views_;
  SyslogForwarder& forwarder_;
  SyslogIdentity identity_;
  std::function<bool()> owning_;
};

}  // namespace portcullis::siem
