#include "portcullis/core/device_event.hpp"
#include "portcullis/core/overloaded.hpp"

namespace portcullis::core {
const char* to_string(PinVerdict verdict) noexcept {
  switch (verdict) {
    case PinVerdict::Match: return "match";
    case PinVerdict::Mismatch: return "mismatch";
    case PinVerdict::Duress: return "duress";
  }
  return "mismatch";
}

const char* type_name(const DevicePayload& payload) noexcept {
  return std::visit(Overloaded{
                        [](const CardPresented&) { return "credential"; },
                        [](const PinEntered&) { return "pin"; },
                        [](const BiometricMatch&) { return "biometric"; },
                        [](const DoorContact&) { return "door_contact"; },
                        [](const RequestToExit&) { return "request_to_exit"; },
                        [](const Tamper&) { return "tamper"; },
                        [](const Heartbeat&) { return "heartbeat"; },
                        [](const RfidRead&) { return "rfid_read"; },
                        [](const FireAlarm&) { return "fire_alarm"; },
                        [](const OccupancyReport&) { return "occupancy"; },
                    },
                    payload);
}

}  // namespace portcullis::core
