#pragma once
// sd_notify(3) without libsystemd: under a Type=notify unit, systemd passes $NOTIFY_SOCKET (a unix datagram
// socket, "@" for the abstract namespace) and waits for "READY=1" before it counts the service as started.
// Outside systemd the variable is unset and this does nothing.
#include <string_view>

namespace portcullis::app {

// Sends `state` ("READY=1", "STOPPING=1", "STATUS=...") to the service manager; false when there is none or
// the datagram could not be sent.
bool notify_service_manager(std::string_view state);

}  // namespace portcullis::app
