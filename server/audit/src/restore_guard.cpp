#include "portcullis/audit/restore_guard.hpp"

#include <algorithm>
#include <filesystem>

#include "portcullis/audit/signed_document.hpp"
#include "portcullis/audit/signing.hpp"
#include "portcullis/ledger/records/restore_record.hpp"
#include "portcullis/storage/stored_chain.hpp"

namespace portcullis::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCheckpointSuffix = ".checkpoint.json";

// The site's "<site>-<20 digits>.checkpoint.json" files, newest first (names sort by sequence).
std::vector<fs::path> checkpoint_files_newest_first(const std::string& dir, const std::string& site) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  const auto prefix = site + "-";
  for (const auto& entry : fs::directory_iterator{dir}) {
    const auto name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.size() != prefix.size() + 20 + kCheckpointSuffix.size() ||
        name.rfind(prefix, 0) != 0 || !name.ends_with(kCheckpointSuffix))
      continue;
    if (name.substr(prefix.size(), 20).find_first_not_of("0123456789") != std::string::npos) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a > b; });
  return files;
}

struct SignedCheckpoint {
  std::string name;
  Checkpoint checkpoint;
};

// The checkpoints of the site whose signature by `key` holds, newest first. Others are not this source's.
std::vector<SignedCheckpoint> signed_checkpoints(const CheckpointSource& source, const AuditKey& key,
                                                 const std::string& site) {
  std::vector<SignedCheckpoint> out;
  for (const auto& file : checkpoint_files_newest_first(source.dir, site)) {
    nlohmann::json doc;
    try {
      if (!check_signed_document(read_file(file.string()), key, doc).empty()) continue;
    } catch (const std::exception&) {
      continue;
    }
    if (auto checkpoint = checkpoint_from_document(doc); checkpoint && checkpoint->site == site)
      out.push_back(SignedCheckpoint{file.filename().string(), std::move(*checkpoint)});
  }
  return out;
}

std::optional<LostHistory> lost_by(const CheckpointSource& source, storage::StoredChainSnapshot& chain,
                                   const std::string& site) {
  const auto key = AuditKey::load_public(source.public_key_path);
  const auto checkpoints = signed_checkpoints(source, key, site);
  if (checkpoints.empty()) return std::nullopt;
  const auto& newest = checkpoints.front();
  const auto stored = chain.hash_hex(newest.checkpoint.site_seq);
  if (stored && *stored == newest.checkpoint.hash) return std::nullopt;
  LostHistory lost;
  lost.checkpoint_dir = source.dir;
  lost.checkpoint = newest.name;
  lost.checkpoint_hash = newest.checkpoint.hash;
  lost.checkpoint_key = key.fingerprint();
  lost.lost_to = newest.checkpoint.site_seq;
  lost.database_head = chain.head_seq();
  if (lost.database_head > 0) lost.database_head_hash = chain.hash_hex(lost.database_head).value_or("");
  if (!stored) {
    lost.kind = "removed";
    lost.lost_from = lost.database_head + 1;
  } else {
    // The row is there with another hash: rows after the newest checkpoint that still holds were replaced.
    lost.kind = "replaced";
    lost.lost_from = 1;
    for (std::size_t i = 1; i < checkpoints.size(); ++i) {
      const auto& older = checkpoints[i].checkpoint;
      if (chain.hash_hex(older.site_seq) == older.hash) {
        lost.lost_from = older.site_seq + 1;
        break;
      }
    }
  }
  return lost;
}

}  // namespace

std::string LostHistory::range() const {
  return "site_seq " + std::to_string(lost_from) + ".." + std::to_string(lost_to);
}

std::string LostHistory::describe() const {
  return kind == "removed"
             ? "the database ends at site_seq " + std::to_string(database_head) + " but checkpoint " +
                   checkpoint + " (" + checkpoint_dir + ") signed site_seq " + std::to_string(lost_to) +
                   ": history was restored to an earlier point; " + range() + " were lost"
             : "checkpoint " + checkpoint + " (" + checkpoint_dir + ") signed another hash for site_seq " +
                   std::to_string(lost_to) + ": history was replaced; " + range() +
                   " differ from what was signed";
}

std::string lost_checkpoints_dir(const LostHistory& lost, const std::string& dir) {
  return (fs::path{dir} / ("lost-" + std::to_string(lost.lost_from) + "-" + std::to_string(lost.lost_to)))
      .string();
}

std::string restore_acknowledgement_payload(const LostHistory& lost, const std::string& acknowledged_by) {
  json::RestoreAcknowledgement acknowledgement;
  acknowledgement.acknowledged_by = acknowledged_by;
  acknowledgement.kind = lost.kind;
  acknowledgement.lost_from = lost.lost_from;
  acknowledgement.lost_to = lost.lost_to;
  acknowledgement.checkpoint = lost.checkpoint;
  acknowledgement.checkpoint_hash = lost.checkpoint_hash;
  acknowledgement.checkpoint_key = lost.checkpoint_key;
  acknowledgement.restored_head = lost.database_head;
  acknowledgement.restored_head_hash = lost.database_head_hash;
  acknowledgement.set_aside_to = lost_checkpoints_dir(lost, lost.checkpoint_dir);
  return json::restore_acknowledgement_json(acknowledgement);
}

std::optional<LostHistory> find_lost_history(const std::string& database, const std::string& site_id,
                                             const std::vector<CheckpointSource>& sources) {
  storage::StoredChainSnapshot chain{database, site_id};
  std::optional<LostHistory> largest;
  for (const auto& source : sources) {
    if (source.dir.empty() || source.public_key_path.empty()) continue;
    auto lost = lost_by(source, chain, site_id);
    if (lost && (!largest || lost->lost_to > largest->lost_to)) largest = std::move(lost);
  }
  chain.finish();
  return largest;
}

std::string set_lost_checkpoints_aside(const LostHistory& lost, const CheckpointSource& source,
                                       const std::string& site_id) {
  if (source.dir.empty() || source.public_key_path.empty()) return {};
  const auto key = AuditKey::load_public(source.public_key_path);
  const fs::path aside{lost_checkpoints_dir(lost, source.dir)};
  bool moved = false;
  for (const auto& checkpoint : signed_checkpoints(source, key, site_id)) {
    if (checkpoint.checkpoint.site_seq < lost.lost_from) continue;
    fs::create_directories(aside);
    fs::rename(fs::path{source.dir} / checkpoint.name, aside / checkpoint.name);
    moved = true;
  }
  return moved ? aside.string() : std::string{};
}

}  // namespace portcullis::audit
