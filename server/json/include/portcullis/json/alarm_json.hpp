#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "portcullis/core/alarms/alarm_book.hpp"

namespace portcullis::json {

struct AlarmChangePayload {
  std::string alarm;
  std::string operator_id;
  std::string comment;
};

[[nodiscard]] std::string alarm_change_payload(const AlarmChangePayload& change);
[[nodiscard]] std::optional<AlarmChangePayload> parse_alarm_change_payload(std::string_view text);
[[nodiscard]] std::string alarm_json(const core::AlarmRecord& alarm);

}  // namespace portcullis::json
