#pragma once
// An alarm as the API and the live stream show it. The stored alarm changes (acknowledge, resolve, escalate)
// are a frozen format: portcullis/ledger/records/alarm_record.hpp.
#include <string>

#include "portcullis/core/alarms/alarm_book.hpp"

namespace portcullis::json {

[[nodiscard]] std::string alarm_json(const core::AlarmRecord& alarm);

}  // namespace portcullis::json
