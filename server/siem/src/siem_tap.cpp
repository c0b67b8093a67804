#include "portcullis/siem/siem_tap.hpp"

#include <chrono>
#include <exception>

#include "portcullis/logging/log.hpp"

namespace portcullis::siem {

void SiemTap::on_update(const ingest::LiveUpdate& update, bool live) {
  views_.on_update(update, live);
  // A start-up replay (live = false) re-reads history the feed already carried when it was committed; a
  // follower's live updates are its owner's commits, which the owner forwards.
  if (!live || !owning_()) return;
  try {
    const auto now = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
    for (const auto& event : security_events(update, identity_.site_id))
      forwarder_.enqueue(syslog_message_of(event, identity_, now));
  } catch (const std::exception& e) {
    // The sequencer thread runs this: the feed loses one record rather than stopping the site.
    logging::error("siem", "a committed record could not be formatted for the SIEM",
                   {{"site_seq", update.site_seq}, {"type", update.type}, {"error", e.what()}});
  }
}

}  // namespace portcullis::siem
