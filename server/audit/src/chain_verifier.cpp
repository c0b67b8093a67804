#include "portcullis/audit/chain_verifier.hpp"

#include <pqxx/pqxx>

#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/event_store.hpp"

namespace portcullis::audit {

ChainReport verify_chain(const std::string& database, const std::string& site_id) {
  pqxx::connection connection{database};
  storage::EventStore store{connection};
  ChainReport report;
  ledger::Hash expected_prev{};
  std::int64_t expected_seq = 1;
  store.for_each(site_id, 0, [&](const ledger::EventRecord& record) {
    if (!report.intact) return;
    ++report.rows;
    auto fail = [&](std::string problem) {
      report.intact = false;
      report.first_bad_seq = record.site_seq;
      report.problem = std::move(problem);
    };
    if (record.site_seq != expected_seq) {
      return fail("site_seq " + std::to_string(expected_seq) + " is missing (next row is " +
                  std::to_string(record.site_seq) + ")");
    }
    if (record.prev_hash != expected_prev) return fail("prev_hash does not match the hash of the row before");
    if (ledger::chain_hash(expected_prev, record) != record.hash) {
      return fail("stored hash differs from the hash recomputed over the row: its content was changed");
    }
    expected_prev = record.hash;
    ++expected_seq;
  });
  report.head_hash = ledger::to_hex(expected_prev);
  return report;
}

}  // namespace portcullis::audit
