#pragma once
// Scenario files: which simulated devices take part and what they report over time, with the decisions and
// alarms the server is expected to answer. Pure: no I/O besides reading the file text the caller passes in.
// Format reference: docs/simulator.md.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::sim {

// A scenario problem, naming the field as a path such as "steps[3].event.reader".
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string field, const std::string& message)
      : std::runtime_error(field + ": " + message), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

struct DeviceSpec {
  std::string id;
  std::string token_file;  // optional: relative to the tokens directory, or absolute
  std::string token_env;   // optional: environment variable holding the token (wins when set)
};

struct Expectation {
  std::optional<std::string> verdict;  // grant | deny | pending
  std::optional<std::string> reason;   // e.g. "granted", "credential_revoked"
  std::optional<std::string> needed;   // e.g. "pin" (only with pending)
  std::vector<std::string> alarms;     // alarm kinds that must be among outcome.alarms
  [[nodiscard]] bool empty() const noexcept { return !verdict && !reason && !needed && alarms.empty(); }
};

struct Step {
  std::int64_t at_ms = 0;
  std::string device;
  nlohmann::json event;  // {"type": ..., type-specific fields}; device_id, seq and time are added when sent
  Expectation expect;
  std::string note;
  std::size_t index = 0;  // position in the file's "steps"
};

struct Scenario {
  std::string name;
  std::string description;
  std::int64_t loop_gap_ms = 2000;  // pause between the last step and the next round with --loop
  std::vector<DeviceSpec> devices;
  std::vector<Step> steps;
  [[nodiscard]] const DeviceSpec* device(std::string_view id) const noexcept;
};

// Throws ScenarioError naming the first offending field.
[[nodiscard]] Scenario parse_scenario(std::string_view text);
// Validates one event body as a device would send it (without device_id, seq, time). `path` prefixes fields.
void validate_event(const nlohmann::json& event, const std::string& path);

// --- timeline -------------------------------------------------------------------------------------------
struct TimelineEntry {
  std::int64_t at_ms = 0;
  std::size_t step = 0;  // index into Scenario::steps
};
// Steps ordered by at_ms; steps at the same time keep their file order.
[[nodiscard]] std::vector<TimelineEntry> build_timeline(const Scenario& scenario);
// Length of one round with --loop: the last step's time plus loop_gap_ms.
[[nodiscard]] std::int64_t round_length_ms(const Scenario& scenario);
// Wall-clock offset from the start of playing at which a step of round `round` is due at the given speed.
[[nodiscard]] std::chrono::microseconds due_offset(std::int64_t at_ms, std::int64_t round,
                                                   std::int64_t round_ms, double speed);

// --- wire -----------------------------------------------------------------------------------------------
// RFC 3339 UTC with milliseconds: 2026-11-27T10:00:00.000Z
[[nodiscard]] std::string format_time(std::chrono::system_clock::time_point t);
// The request body for one event: the step's event plus device_id, seq and time.
[[nodiscard]] std::string event_body(const std::string& device_id, std::int64_t seq,
                                     std::chrono::system_clock::time_point time, const nlohmann::json& event);
// One line describing an event for logs: "credential rdr-lobby-in 42/10001".
[[nodiscard]] std::string describe_event(const nlohmann::json& event);

// --- expectations ---------------------------------------------------------------------------------------
// Compares an answer's "outcome" object ({"decision": {...}|null, "alarms": [...]}) with the expectation.
// Returns one human-readable line per mismatch; empty when it matches.
[[nodiscard]] std::vector<std::string> check_outcome(const Expectation& expect,
                                                     const nlohmann::json& outcome);
// "grant/granted", "pending/missing_factor needs pin", "-" for no decision; plus " +alarm:kind" per alarm.
[[nodiscard]] std::string summarize_outcome(const nlohmann::json& outcome);

}  // namespace portcullis::sim
