#include "portcullis/siem/siem_tap.hpp"

#include <chrono>

namespace portcullis::siem {

void SiemTap::on_update(const ingest::LiveUpdate& update, bool live) {
  views_.on_update(update, live);
  // A start-up replay (live = false) re-reads history the feed already carried when it was committed.
  if (!live) return;
  const auto now = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  for (const auto& event : security_events(update, identity_.site_id))
    forwarder_.enqueue(syslog_message_of(event, identity_, now));
}

}  // namespace portcullis::siem
