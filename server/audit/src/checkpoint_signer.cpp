#include "portcullis/audit/checkpoint_signer.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <vector>

#include "portcullis/audit/signed_document.hpp"
#include "portcullis/audit/text_format.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/storage/stored_chain.hpp"

namespace portcullis::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCheckpointSuffix = ".checkpoint.json";
constexpr const char* kCleanStopFormat = "portcullis-clean-stop-v1";

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string hex_of(const ChainAnchor& head) {
  return ledger::to_hex(head.hash);
}

// The site's "<site>-<20 digits>.checkpoint.json" files in `dir`, newest first (names sort by sequence).
std::vector<fs::path> checkpoint_files_newest_first(const std::string& dir, const std::string& site) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  const auto prefix = site + "-";
  for (const auto& entry : fs::directory_iterator{dir}) {
    const auto name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.size() != prefix.size() + 20 + kCheckpointSuffix.size() ||
        name.rfind(prefix, 0) != 0 || !name.ends_with(kCheckpointSuffix))
      continue;
    const auto digits = name.substr(prefix.size(), 20);
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a > b; });
  return files;
}

// The key fingerprint a signed document names ("" if none can be read).
std::string fingerprint_named_by(const std::string& text) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return {};
  const auto fp = doc.find("public_key_fingerprint");
  return fp != doc.end() && fp->is_string() ? fp->get<std::string>() : std::string{};
}

}  // namespace

CheckpointSigner::CheckpointSigner(CheckpointSignerConfig config, Sources sources)
    : config_(std::move(config)), sources_(std::move(sources)) {
  key_path_ = config_.key_path;
  if (key_path_.empty()) {
    const auto key_dir = (fs::path{config_.dir} / "key").string();
    key_path_ = (fs::path{key_dir} / "audit-key.pem").string();
    if (!fs::exists(key_path_)) {
      const auto made = generate_key_files(key_dir);
      logging::info("audit", "made the checkpoint key; give auditors its public key",
                    {{"private_key", made.private_path},
                     {"fingerprint", made.fingerprint},
                     {"public_key", made.public_path}});
    }
  }
  key_ = AuditKey::load_private(key_path_);
  fs::create_directories(config_.dir);
}

CheckpointSigner::~CheckpointSigner() {
  {
    std::lock_guard lock{wake_mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string CheckpointSigner::public_key_path() const {
  auto path = key_path_;
  const auto dot = path.rfind(".pem");
  return dot == std::string::npos ? path + ".pub.pem" : path.substr(0, dot) + ".pub.pem";
}

std::int64_t CheckpointSigner::last_signed_seq() const {
  std::lock_guard lock{mutex_};
  return last_.site_seq;
}

std::string CheckpointSigner::marker_path() const {
  return (fs::path{config_.dir} / (config_.site_id + ".clean-stop.json")).string();
}

void CheckpointSigner::report_once(const std::string& check, const std::string& detail, bool unattested) {
  if (!reported_.insert(check + '\x1f' + detail).second) return;
  if (sources_.report) sources_.report(check, detail, unattested);
}

void CheckpointSigner::compare_checkpoint(const Signed& checkpoint, const std::string& name) {
  const auto stored = storage::stored_hash_hex(config_.database, config_.site_id, checkpoint.site_seq);
  if (!stored) {
    report_once("checkpoint",
                "the database ends at site_seq " +
                    std::to_string(storage::stored_head_seq(config_.database, config_.site_id)) +
                    " but checkpoint " + name + " signed site_seq " + std::to_string(checkpoint.site_seq) +
                    ": the newest rows were removed");
  } else if (*stored != checkpoint.hash) {
    report_once("checkpoint", "site_seq " + std::to_string(checkpoint.site_seq) + " has hash " + *stored +
                                  " but checkpoint " + name + " signed " + checkpoint.hash +
                                  ": history up to it was rewritten");
  }
}

void CheckpointSigner::check_at_startup(const ChainAnchor& replayed) {
  // The newest checkpoint this server's key signed. Files naming another key (an auditor's own
  // `portcullis-audit checkpoint` in the same directory) are not the server's to judge: they are skipped.
  std::optional<Signed> newest;
  std::string newest_name;
  for (const auto& file : checkpoint_files_newest_first(config_.dir, config_.site_id)) {
    const auto name = file.filename().string();
    nlohmann::json doc;
    std::string problem;
    try {
      const auto text = read_file(file.string());
      if (const auto fp = fingerprint_named_by(text); !fp.empty() && fp != key_.fingerprint()) continue;
      problem = check_signed_document(text, key_, doc);
    } catch (const std::exception& e) {
      problem = e.what();
    }
    const auto checkpoint = problem.empty() ? checkpoint_from_document(doc) : std::nullopt;
    if (!problem.empty() || !checkpoint || checkpoint->site != config_.site_id) {
      report_once("checkpoint", "checkpoint " + name + " does not hold this server's signature: " +
                                    (problem.empty() ? "not a checkpoint of this site" : problem));
      continue;  // an older one may still be good
    }
    newest = Signed{checkpoint->site_seq, checkpoint->hash, std::chrono::steady_clock::now()};
    newest_name = name;
    break;
  }
  bool clean_stop = false;
  if (fs::exists(marker_path())) {
    nlohmann::json doc;
    std::string problem;
    try {
      problem = check_signed_document(read_file(marker_path()), key_, doc);
      clean_stop = problem.empty() && newest && doc.value("format", "") == kCleanStopFormat &&
                   doc.value("site", "") == config_.site_id &&
                   doc.value("site_seq", std::int64_t{-1}) == newest->site_seq &&
                   doc.value("hash", "") == newest->hash;
    } catch (const std::exception&) {
      clean_stop = false;  // an unreadable marker proves nothing: the stop counts as unclean
    }
  }
  if (newest) {
    compare_checkpoint(*newest, newest_name);
    if (replayed.site_seq > newest->site_seq) {
      const auto rows =
          "site_seq " + std::to_string(newest->site_seq + 1) + ".." + std::to_string(replayed.site_seq);
      if (clean_stop) {
        report_once("foreign_rows", rows +
                                        " were appended while the server was stopped (it stopped cleanly at "
                                        "site_seq " +
                                        std::to_string(newest->site_seq) + ", checkpoint " + newest_name +
                                        "): someone else wrote them");
      } else {
        report_once("unattested",
                    rows + " follow the last checkpoint (" + newest_name +
                        ") and the server did not stop cleanly: no signature shows this server "
                        "wrote them",
                    true);
      }
    }
    std::lock_guard lock{mutex_};
    last_ = *newest;
  }
  std::error_code ignored;
  fs::remove(marker_path(), ignored);               // running now: a crash from here on leaves no marker
  if (replayed.site_seq > 0) verified_ = replayed;  // the replay verified the chain up to here
  if (replayed.site_seq > 0 && (!newest || replayed.site_seq > newest->site_seq)) sign(replayed);
}

void CheckpointSigner::sign(const ChainAnchor& head) {
  Checkpoint checkpoint;
  checkpoint.site = config_.site_id;
  checkpoint.site_seq = head.site_seq;
  checkpoint.hash = hex_of(head);
  checkpoint.time_us = now_us();
  const auto path = (fs::path{config_.dir} / checkpoint_file_name(config_.site_id, head.site_seq)).string();
  if (!fs::exists(path)) {
    auto doc = checkpoint_document(checkpoint);
    sign_document(doc, key_);
    write_file_atomically(path, document_text(doc), 0444);
  }
  std::lock_guard lock{mutex_};
  last_ = Signed{head.site_seq, checkpoint.hash, std::chrono::steady_clock::now()};
}

void CheckpointSigner::run_once() {
  // Read the database's head before the sealed head: a row the sequencer commits in between is then
  // counted on both sides, never as someone else's.
  const auto db_head = storage::stored_head_seq(config_.database, config_.site_id);
  const auto sealed = sources_.sealed_seq ? sources_.sealed_seq() : db_head;
  if (db_head > sealed) {
    report_once("foreign_rows", "the database holds site_seq up to " + std::to_string(db_head) +
                                    " but this server wrote only up to " + std::to_string(sealed) +
                                    ": someone else appended rows");
  }
  Signed last;
  {
    std::lock_guard lock{mutex_};
    last = last_;
  }
  if (last.site_seq > 0) compare_checkpoint(last, checkpoint_file_name(config_.site_id, last.site_seq));
  // The rows appended since the last check must chain on from the last row found good.
  const auto report =
      verify_chain_after(config_.database, config_.site_id, verified_.value_or(ChainAnchor{}));
  if (!report.intact) {
    report_once("chain",
                "site_seq " + std::to_string(report.first_bad_seq.value_or(0)) + ": " + report.problem);
  }
  if (report.head_seq > 0 && !report.anchor_mismatch) verified_ = ChainAnchor{report.head_seq, report.head};

  const auto head = sources_.committed_head();
  const bool moved = head.site_seq > last.site_seq;
  const bool due = head.site_seq - last.site_seq >= config_.sign_every_records ||
                   std::chrono::steady_clock::now() - last.at >= config_.sign_every;
  if (moved && due) sign(head);
}

void CheckpointSigner::start() {
  thread_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock{wake_mutex_};
        wake_.wait_for(lock, config_.check_every, [this] { return stopping_; });
        if (stopping_) return;
      }
      try {
        run_once();
      } catch (const std::exception& e) {
        logging::error("audit", "checking the chain for checkpoints failed", {{"error", e.what()}});
      }
    }
  });
}

void CheckpointSigner::stop() {
  {
    std::lock_guard lock{wake_mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  const auto head = sources_.committed_head();
  if (head.site_seq <= 0) return;
  if (head.site_seq > last_signed_seq()) sign(head);
  nlohmann::json marker;
  marker["format"] = kCleanStopFormat;
  marker["site"] = config_.site_id;
  marker["site_seq"] = head.site_seq;
  marker["hash"] = hex_of(head);
  marker["time"] = rfc3339_from_micros(now_us());
  sign_document(marker, key_);
  write_file_atomically(marker_path(), document_text(marker), 0644);
}

}  // namespace portcullis::audit
