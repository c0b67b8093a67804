#pragma once
#include <future>

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

}  // namespace portcullis::testing
