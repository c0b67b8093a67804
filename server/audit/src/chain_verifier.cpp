#include "portcullis/audit/chain_verifier.hpp"

#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/stored_chain.hpp"

namespace portcullis::audit {
namespace {

struct Stop {};  // thrown out of the row visitor at the first bad row: the rest is not read

}  // namespace

ChainReport verify_chain(const std::string& database, const std::string& site_id) {
  return verify_chain_after(database, site_id, ChainAnchor{});
}

ChainReport verify_chain_after(const std::string& database, const std::string& site_id,
                               const ChainAnchor& anchor) {
  ChainReport report;
  ledger::Hash expected_prev = anchor.site_seq > 0 ? anchor.hash : ledger::Hash{};
  std::int64_t expected_seq = anchor.site_seq > 0 ? anchor.site_seq + 1 : 1;
  report.head_seq = expected_seq - 1;
  bool anchor_pending = anchor.site_seq > 0;
  auto anchor_changed = [&](std::string problem) {
    report.intact = false;
    report.anchor_mismatch = true;
    report.first_bad_seq = anchor.site_seq;
    report.problem = std::move(problem);
  };
  try {
    // From the anchor row itself, so that it is checked too.
    storage::for_each_stored_event(
        database, site_id, anchor_pending ? anchor.site_seq - 1 : 0, [&](const ledger::EventRecord& record) {
          if (anchor_pending) {
            anchor_pending = false;
            if (record.site_seq != anchor.site_seq) {
              anchor_changed("site_seq " + std::to_string(anchor.site_seq) + ", verified before, is missing");
              throw Stop{};
            }
            if (record.hash != anchor.hash || ledger::chain_hash(record.prev_hash, record) != record.hash) {
              anchor_changed("site_seq " + std::to_string(anchor.site_seq) +
                             " changed since it was verified");
              throw Stop{};
            }
            return;
          }
          ++report.rows;
          auto fail = [&](std::string problem) {
            report.intact = false;
            report.first_bad_seq = record.site_seq;
            report.problem = std::move(problem);
            throw Stop{};
          };
          if (record.site_seq != expected_seq) {
            fail("site_seq " + std::to_string(expected_seq) + " is missing (next row is " +
                 std::to_string(record.site_seq) + ")");
          }
          if (record.prev_hash != expected_prev) fail("prev_hash does not match the hash of the row before");
          if (ledger::chain_hash(expected_prev, record) != record.hash) {
            fail("stored hash differs from the hash recomputed over the row: its content was changed");
          }
          expected_prev = record.hash;
          report.head_seq = record.site_seq;
          ++expected_seq;
        });
  } catch (const Stop&) {
  }
  if (anchor_pending) {
    anchor_changed("site_seq " + std::to_string(anchor.site_seq) + ", verified before, is missing");
  }
  report.head = expected_prev;
  report.head_hash = ledger::to_hex(expected_prev);
  return report;
}

}  // namespace portcullis::audit
