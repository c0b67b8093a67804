#include "snapshots/snapshot_writer.hpp"

#include <chrono>
#include <cstdint>

#include "portcullis/logging/log.hpp"

namespace portcullis::ingest {

SnapshotWriter::SnapshotWriter(storage::SnapshotStore store, std::size_t keep,
                               metrics::ServerMetrics& metrics)
    : store_(std::move(store)), keep_(keep), metrics_(metrics), thread_([this] { run(); }) {}

SnapshotWriter::~SnapshotWriter() {
  stop();
}

void SnapshotWriter::offer(core::StateSnapshot snapshot) {
  {
    std::lock_guard lock{mutex_};
    if (stopping_) return;
    waiting_ = std::move(snapshot);
  }
  wake_.notify_one();
}

void SnapshotWriter::stop() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SnapshotWriter::run() {
  for (;;) {
    std::optional<core::StateSnapshot> next;
    {
      std::unique_lock lock{mutex_};
      wake_.wait(lock, [this] { return stopping_ || waiting_.has_value(); });
      if (!waiting_) return;  // stopping with nothing left to write
      next = std::move(waiting_);
      waiting_.reset();
    }
    try {
      const auto started = std::chrono::steady_clock::now();
      storage::SnapshotHeader header;
      header.site_seq = next->site_seq;
      header.chain_hash = next->chain_hash;
      header.format_version = core::kStateSnapshotFormat;
      header.site_version_hash = next->definition_site_hash;
      const auto body = core::encode_snapshot(*next);
      store_.write(header, body, keep_);
      metrics_.snapshots_written.add();
      const auto took =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
      logging::info("ingest", "engine snapshot stored",
                    {{"site_seq", header.site_seq},
                     {"bytes", static_cast<std::int64_t>(body.size())},
                     {"took_us", static_cast<std::int64_t>(took.count())}});
    } catch (const std::exception& e) {
      metrics_.snapshot_write_failures.add();
      // Start-up replays further back until the next one is stored.
      logging::error("ingest", "storing an engine snapshot failed", {{"error", e.what()}});
    }
  }
}

}  // namespace portcullis::ingest
