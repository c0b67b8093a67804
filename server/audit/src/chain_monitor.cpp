#include "portcullis/audit/chain_monitor.hpp"
#include "portcullis/util/hex.hpp"

#include <array>
#include <chrono>
#include <cstdint>

namespace portcullis::audit {
namespace {

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The last row found intact, as the next call's starting point (none for an empty or broken-at-1 chain).
std::optional<ChainAnchor> point_of(const ChainReport& report) {
  if (report.head_seq <= 0) return std::nullopt;
  return ChainAnchor{report.head_seq, report.head};
}

}  // namespace

std::shared_ptr<ChainMonitor::Site> ChainMonitor::site(const std::string& site_id) {
  std::lock_guard lock{mutex_};
  auto& s = sites_[site_id];
  if (!s) s = std::make_shared<Site>();
  return s;
}

std::optional<ChainAnchor> ChainMonitor::remembered(const std::string& site_id) {
  const auto s = site(site_id);
  std::lock_guard lock{s->state};
  return s->point;
}

ChainStatus ChainMonitor::verify(const std::string& database, const std::string& site_id, bool full) {
  const auto s = site(site_id);
  // One verification per site at a time. A caller that waits here then finds the point moved on by the one
  // that ran, and verifies only the rows appended meanwhile.
  std::lock_guard running{s->running};
  std::optional<ChainAnchor> point;
  {
    std::lock_guard lock{s->state};
    point = s->point;
  }
  ChainStatus status;
  if (full) {
    status.full_because = "requested";
    std::lock_guard lock{s->state};
    s->contradiction.clear();  // the auditor asked for a full verification: its result is what counts now
  } else if (!point) {
    status.full_because = "no remembered point";
  } else {
    auto report = verify_chain_after(database, site_id, *point);
    if (!report.anchor_mismatch) {
      status.incremental = true;
      status.from_seq = point->site_seq + 1;
      status.through_seq = report.head_seq;
      status.rows_checked = report.rows;
      std::lock_guard lock{s->state};
      // A broken row stays where it is: the point stops before it and every later call reports it again.
      s->point = point_of(report).value_or(*point);
      status.last_full_us = s->last_full_us;
      status.last_full_through_seq = s->last_full_through_seq;
      status.last_full_intact = s->last_full_intact;
      status.history_contradiction = s->contradiction;
      status.report = std::move(report);
      return status;
    }
    // The remembered row is gone or different: the point is no use, and only a full pass can say what
    // changed (and name the first bad row).
    status.full_because = "the remembered point no longer matches: " + report.problem;
    std::lock_guard lock{s->state};
    s->point.reset();
    s->contradiction = report.problem + " (it had hash " + util::hex_encode(point->hash) +
                       "): rows were removed or rewritten after this server verified them";
  }
  auto report = verify_chain(database, site_id);
  status.incremental = false;
  status.from_seq = 1;
  status.through_seq = report.head_seq;
  status.rows_checked = report.rows;
  std::lock_guard lock{s->state};
  s->point = point_of(report);
  s->last_full_us = now_us();
  s->last_full_through_seq = report.head_seq;
  s->last_full_intact = report.intact;
  status.last_full_us = s->last_full_us;
  status.last_full_through_seq = s->last_full_through_seq;
  status.last_full_intact = s->last_full_intact;
  status.history_contradiction = s->contradiction;
  status.report = std::move(report);
  return status;
}

}  // namespace portcullis::audit
