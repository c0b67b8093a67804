#include "portcullis/audit/checkpoints.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "portcullis/audit/chain_verifier.hpp"
#include "portcullis/audit/signing.hpp"
#include "portcullis/audit/text_format.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/stored_chain.hpp"

namespace portcullis::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSuffix = ".checkpoint.json";

bool safe_site_name(const std::string& site) {
  if (site.empty() || site.size() > 128) return false;
  return std::all_of(site.begin(), site.end(),
                     [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                              c == '.' || c == '_' || c == '-' || c == ':';
                     }) &&
         site.front() != '.';
}

struct Tail {
  std::int64_t head_seq = 0;
  std::string head_hash;
  std::string problem;  // empty: intact
};

// The chain from the row after `from_seq` (whose hash is `from_hash`) to the head, with the checks of
// audit::verify_chain.
Tail verify_tail(const std::string& database, const std::string& site_id, std::int64_t from_seq,
                 const std::string& from_hash) {
  Tail tail;
  tail.head_seq = from_seq;
  tail.head_hash = from_hash;
  storage::for_each_stored_event(database, site_id, from_seq, [&](const ledger::EventRecord& record) {
    if (!tail.problem.empty()) return;
    const auto at = "site_seq " + std::to_string(record.site_seq) + ": ";
    if (record.site_seq != tail.head_seq + 1) {
      tail.problem = "site_seq " + std::to_string(tail.head_seq + 1) + " is missing (next row is " +
                     std::to_string(record.site_seq) + ")";
    } else if (ledger::to_hex(record.prev_hash) != tail.head_hash) {
      tail.problem = at + "prev_hash does not match the hash of the row before";
    } else if (ledger::chain_hash(record.prev_hash, record) != record.hash) {
      tail.problem =
          at + "stored hash differs from the hash recomputed over the row: its content was changed";
    } else {
      tail.head_seq = record.site_seq;
      tail.head_hash = ledger::to_hex(record.hash);
    }
  });
  return tail;
}

CheckpointReport check_with_key(const std::string& database, const std::string& site_id,
                                const std::string& dir, const AuditKey& key) {
  CheckpointReport report;
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& entry : fs::directory_iterator{dir}) {
      const auto name = entry.path().filename().string();
      if (entry.is_regular_file() && name.size() > kSuffix.size() && name.ends_with(kSuffix)) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());

  storage::StoredChainSnapshot chain{database, site_id};
  report.database_head = chain.head_seq();

  for (const auto& file : files) {
    const auto name = file.filename().string();
    nlohmann::json doc;
    std::string problem;
    try {
      problem = check_signed_document(read_file(file.string()), key, doc);
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (!problem.empty()) {
      report.ok = false;
      report.problems.push_back("checkpoint " + name + ": " + problem);
      continue;
    }
    const auto cp = checkpoint_from_document(doc);
    if (!cp) {
      report.ok = false;
      report.problems.push_back("checkpoint " + name + ": not a checkpoint record");
      continue;
    }
    if (cp->site != site_id) continue;
    ++report.checked;
    if (cp->site_seq > report.newest_seq) {
      report.newest_seq = cp->site_seq;
      report.newest_hash = cp->hash;
    }
    const auto stored = chain.hash_hex(cp->site_seq);
    if (!stored) {
      report.ok = false;
      if (cp->site_seq > report.database_head) {
        report.problems.push_back("database ends at site_seq " + std::to_string(report.database_head) +
                                  " but checkpoint " + name + " (" + rfc3339_from_micros(cp->time_us) +
                                  ") says " + std::to_string(cp->site_seq) +
                                  ": the newest rows were removed");
      } else {
        report.problems.push_back("site_seq " + std::to_string(cp->site_seq) + " named by checkpoint " +
                                  name + " is missing from the database");
      }
      continue;
    }
    if (*stored != cp->hash) {
      report.ok = false;
      report.problems.push_back("site_seq " + std::to_string(cp->site_seq) + " has hash " + *stored +
                                " but checkpoint " + name + " signed " + cp->hash +
                                ": history up to it was rewritten");
    }
  }
  chain.finish();
  return report;
}

}  // namespace

CheckpointWritten write_checkpoint(const std::string& database, const std::string& site_id,
                                   const std::string& dir, const std::string& private_key_path, bool full) {
  if (!safe_site_name(site_id)) throw std::invalid_argument("site id unusable in a file name: " + site_id);
  const auto key = AuditKey::load_private(private_key_path);
  const auto earlier = check_with_key(database, site_id, dir, key);
  if (!earlier.ok) throw std::runtime_error("refusing to checkpoint: " + earlier.problems.front());
  CheckpointWritten written;
  std::int64_t head_seq = 0;
  std::string head_hash;
  if (full || earlier.checked == 0) {
    const auto chain = verify_chain(database, site_id);
    if (!chain.intact) {
      throw std::runtime_error("refusing to checkpoint a broken chain: site_seq " +
                               std::to_string(chain.first_bad_seq.value_or(0)) + ": " + chain.problem);
    }
    written.verified_from = 1;
    head_seq = chain.rows;  // an intact chain is numbered 1..rows
    head_hash = chain.head_hash;
  } else {
    const auto tail = verify_tail(database, site_id, earlier.newest_seq, earlier.newest_hash);
    if (!tail.problem.empty())
      throw std::runtime_error("refusing to checkpoint a broken chain: " + tail.problem);
    written.verified_from = earlier.newest_seq + 1;
    head_seq = tail.head_seq;
    head_hash = tail.head_hash;
  }
  if (head_seq == 0) throw std::runtime_error("site " + site_id + " has no history yet");

  written.checkpoint.site = site_id;
  written.checkpoint.site_seq = head_seq;
  written.checkpoint.hash = head_hash;
  written.checkpoint.time_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
  fs::create_directories(dir);
  written.path = (fs::path{dir} / checkpoint_file_name(site_id, written.checkpoint.site_seq)).string();
  if (fs::exists(written.path)) {
    written.unchanged = true;
    return written;
  }
  auto doc = checkpoint_document(written.checkpoint);
  sign_document(doc, key);
  write_file_atomically(written.path, document_text(doc), 0444);
  return written;
}

CheckpointReport check_checkpoints(const std::string& database, const std::string& site_id,
                                   const std::string& dir, const std::string& public_key_path) {
  if (!fs::is_directory(dir)) {
    CheckpointReport r;
    r.ok = false;
    r.problems.push_back("no checkpoint directory " + dir);
    return r;
  }
  auto report = check_with_key(database, site_id, dir, AuditKey::load_public(public_key_path));
  if (report.checked == 0) {
    report.ok = false;
    report.problems.push_back("no checkpoint of site " + site_id + " in " + dir);
  }
  return report;
}

}  // namespace portcullis::audit
