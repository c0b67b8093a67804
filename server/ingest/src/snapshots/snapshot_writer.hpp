#pragma once
// Writes engine snapshots on a thread of its own, so neither encoding nor the database write ever delays
// the sequencer's group commits. Only the newest snapshot waiting is written: an older one still waiting
// when a newer arrives is dropped (the newer replaces it at start-up anyway).
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "portcullis/core/snapshot/state_snapshot.hpp"
#include "portcullis/metrics/metrics.hpp"
#include "portcullis/storage/snapshot_store.hpp"

namespace portcullis::ingest {

class SnapshotWriter {
 public:
  SnapshotWriter(storage::SnapshotStore store, std::size_t keep, metrics::ServerMetrics& metrics);
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // Thread-safe; never blocks on the database.
  void offer(core::StateSnapshot snapshot);
  // Writes what is waiting, then ends the thread.
  void stop();

 private:
  void run();

  storage::SnapshotStore store_;
  std::size_t keep_;
  metrics::ServerMetrics& metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<core::StateSnapshot> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portcullis::ingest
