#pragma once
// Sits between the sequencer and the live views: every update goes on to the views unchanged, and the
// committed ones (live, after the durable commit) that carry alarms or security facts are formatted and
// queued for the syslog receiver. Runs on the sequencer thread, so it only formats and appends to the
// forwarder's bounded queue; it never touches the network.
#include "portcullis/ingest/ingest_types.hpp"
#include "portcullis/siem/security_event.hpp"
#include "portcullis/siem/syslog_forwarder.hpp"

namespace portcullis::siem {

class SiemTap final : public ingest::LiveObserver {
 public:
  SiemTap(ingest::LiveObserver& views, SyslogForwarder& forwarder, SyslogIdentity identity)
      : views_(views), forwarder_(forwarder), identity_(std::move(identity)) {}

  void on_update(const ingest::LiveUpdate& update, bool live) override;
  void on_reset() override { views_.on_reset(); }

 private:
  ingest::LiveObserver& views_;
  SyslogForwarder& forwarder_;
  SyslogIdentity identity_;
};

}  // namespace portcullis::siem
