#include "portcullis/metrics/metrics.hpp"

#include <cstdio>

namespace portcullis::metrics {
namespace {
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
void counter(std::string& out, const char* name, const char* help, std::uint64_t value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " +
         std::to_string(value) + "\n";
}
void gauge(std::string& out, const char* name, const char* help, std::int64_t value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " +
         std::to_string(value) + "\n";
}
}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(bounds_.size() + 1) {}

void Histogram::observe(double value) noexcept {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(static_cast<std::uint64_t>(value * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& help) const {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += name + "_bucket{le=\"" + number(bounds_[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_.back().load(std::memory_order_relaxed);
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out +=
      name + "_sum " + number(static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6) + "\n";
  out += name + "_count " + std::to_string(count_.load(std::memory_order_relaxed)) + "\n";
}

std::string ServerMetrics::render() const {
  std::string out;
  counter(out, "portcullis_events_accepted_total", "Device events durably stored.", events_accepted.value());
  counter(out, "portcullis_events_duplicate_total", "Retried events answered from history.",
          events_duplicate.value());
  counter(out, "portcullis_events_rejected_total", "Events refused as bad input.", events_rejected.value());
  counter(out, "portcullis_requests_unavailable_total", "Requests answered 503 (queue full or storage down).",
          requests_unavailable.value());
  counter(out, "portcullis_auth_failures_total", "Requests with an unknown or disabled credential.",
          auth_failures.value());
  counter(out, "portcullis_commits_total", "Group commits.", commits.value());
  counter(out, "portcullis_commit_failures_total", "Group commits that failed.", commit_failures.value());
  counter(out, "portcullis_snapshots_written_total", "Engine snapshots stored.", snapshots_written.value());
  counter(out, "portcullis_snapshot_write_failures_total", "Engine snapshots that could not be stored.",
          snapshot_write_failures.value());
  counter(out, "portcullis_snapshots_refused_total",
          "Engine snapshots refused at start-up (unknown format, digest or chain mismatch).",
          snapshots_refused.value());
  out +=
      "# HELP portcullis_startup_replayed_records Records the last start-up replayed (after its snapshot).\n"
      "# TYPE portcullis_startup_replayed_records gauge\nportcullis_startup_replayed_records " +
      std::to_string(startup_replayed_records.value()) + "\n";
  out +=
      "# HELP portcullis_ingest_queue_depth Submissions waiting for the sequencer.\n"
      "# TYPE portcullis_ingest_queue_depth gauge\nportcullis_ingest_queue_depth " +
      std::to_string(queue_depth.value()) + "\n";
  batch_size.render(out, "portcullis_commit_batch_events", "Events per group commit.");
  commit_seconds.render(out, "portcullis_commit_seconds", "Time to write and commit one group.");
  ingest_seconds.render(out, "portcullis_ingest_seconds", "From request parsed to durable answer.");
  counter(out, "portcullis_siem_messages_forwarded_total", "Security events the syslog receiver accepted.",
          siem.forwarded.value());
  counter(out, "portcullis_siem_messages_dropped_total",
          "Security events not forwarded: the queue was full or they were still queued at stop.",
          siem.dropped.value());
  counter(out, "portcullis_siem_connect_failures_total", "Failed connection attempts to the syslog receiver.",
          siem.connect_failures.value());
  gauge(out, "portcullis_siem_queue_depth", "Security events waiting for the syslog receiver.",
        siem.queue_depth.value());
  gauge(out, "portcullis_siem_connected", "1 while connected to the syslog receiver, else 0.",
        siem.connected.value());
  return out;
}

}  // namespace portcullis::metrics
