#pragma once
#include <atomic>
#include <future>
#include <memory>
#include <stdexcept>

#include "portcullis/ingest/sequencer.hpp"

namespace portcullis::testing {

inline core::DeviceEvent heartbeat(const std::string& device, std::int64_t seq) {
  core::DeviceEvent e;
  e.device = core::DeviceId{device};
  e.seq = seq;
  e.device_time = core::from_unix_micros(1'700'000'000'000'000 + seq);
  e.payload = core::Heartbeat{};
  return e;
}

inline ingest::SubmissionResult submit_and_wait(ingest::Sequencer& sequencer,
                                                std::vector<core::DeviceEvent> events, bool batch = true) {
  std::promise<ingest::SubmissionResult> promise;
  auto future = promise.get_future();
  ingest::Submission s;
  s.events = std::move(events);
  s.batch = batch;
  s.done = [&promise](ingest::SubmissionResult r) { promise.set_value(std::move(r)); };
  if (!sequencer.submit(std::move(s))) throw std::runtime_error("queue full");
  return future.get();
}

// Submits an operator command and waits for its answer (given after the durable commit).
inline ingest::CommandResult run_command(ingest::Sequencer& sequencer, ingest::OperatorCommand command) {
  std::promise<ingest::CommandResult> answer;
  auto result = answer.get_future();
  command.done = [&answer](ingest::CommandResult r) { answer.set_value(std::move(r)); };
  if (!sequencer.submit(std::move(command))) throw std::runtime_error("queue full");
  return result.get();
}

// A clock the test moves while the sequencer thread reads it.
class SteppedClock final : public core::Clock {
 public:
  [[nodiscard]] core::Timestamp now() const override { return core::from_unix_micros(us_.load()); }
  void advance(std::chrono::seconds s) { us_ += std::chrono::microseconds(s).count(); }

 private:
  std::atomic<std::int64_t> us_{1'800'000'000'000'000};
};

// One device, ctl-1, that must be heard every 5 s.
inline std::shared_ptr<const core::SiteModel> supervised_device_site() {
  core::SiteDefinition def;
  def.site_id = "main";
  def.name = "Main";
  def.version = "1";
  def.zones = {core::ZoneDef{core::ZoneId{"site"}, "Site", {}, 0}};
  def.tiers = {core::TierRequirementDef{0, {{core::Factor::Badge}}, false, false}};
  core::DeviceDef device;
  device.id = core::DeviceId{"ctl-1"};
  device.heartbeat_s = 5;
  device.token_sha256 = std::string(64, 'a');
  def.devices = {device};
  auto built = core::SiteModel::build(def);
  if (!built.model)
    throw std::runtime_error(built.problems.front().json_path + ": " + built.problems.front().message);
  return built.model;
}

}  // namespace portcullis::testing
