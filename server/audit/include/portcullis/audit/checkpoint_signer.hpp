#pragma once
// The server's own signed checkpoints (docs/audit.md, "Automatic checkpoints"), written without anyone
// having to set up a cron job, and the periodic comparison of the database with what the server wrote.
//
// The signer signs the head the sequencer *committed* (its own knowledge of what it wrote), never the
// database's head, with a key held by the server (Ed25519, generated at first start with mode 0600 unless
// one is configured). It runs on its own thread, off the commit path: a door event never waits for it.
// Every `check_every` it compares the database with the server's knowledge and reports what does not fit:
//  - rows above the highest site_seq the server sealed: someone else appended them (the application role
//    can INSERT, and the chain is unkeyed, so such a row can be chained correctly);
//  - the newest checkpoint's row missing (the tail was truncated) or with another hash (history rewritten);
//  - the rows appended since the last check not chaining (verified incrementally from the last good row).
// It signs a new checkpoint when the head moved by `sign_every_records` or `sign_every` passed.
// On a clean stop it signs the final head and writes a signed clean-stop marker; at start-up it compares
// the newest checkpoint and that marker with the head the replay reached: rows after a clean stop were
// written by someone else (tampering); rows after an unclean stop (a crash) are reported as unattested.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "portcullis/audit/chain_verifier.hpp"
#include "portcullis/audit/signing.hpp"

namespace portcullis::audit {

struct CheckpointSignerConfig {
  std::string database;  // any role that can SELECT on events (the application role)
  std::string site_id;
  std::string dir;       // checkpoints and the clean-stop marker
  std::string key_path;  // private key (PEM, mode 0600); empty: DIR/key/audit-key.pem, made at first start
  std::chrono::milliseconds check_every{5'000};
  std::chrono::milliseconds sign_every{60'000};
  std::int64_t sign_every_records = 10'000;
};

class CheckpointSigner {
 public:
  struct Sources {
    std::function<ChainAnchor()> committed_head;  // the last row the server committed
    std::function<std::int64_t()> sealed_seq;     // the highest site_seq it sealed, committed or not
    // A finding: `unattested` when rows are merely not covered by a signature (after a crash).
    std::function<void(std::string check, std::string detail, bool unattested)> report;
  };

  // Loads the key, or creates it when none is configured and none exists yet. Throws if it is unusable.
  CheckpointSigner(CheckpointSignerConfig config, Sources sources);
  ~CheckpointSigner();
  CheckpointSigner(const CheckpointSigner&) = delete;
  CheckpointSigner& operator=(const CheckpointSigner&) = delete;

  // Before start(): compares the newest checkpoint and the clean-stop marker with `replayed` (the head the
  // start-up replay reached, before anything was appended), reports what does not fit, removes the marker
  // and signs `replayed`.
  void check_at_startup(const ChainAnchor& replayed);
  void start();
  // Stops the thread, then signs the committed head and writes the clean-stop marker. Call it after the
  // sequencer stopped, so the head is final.
  void stop();
  // One cycle of the thread: compare, then sign if due. Public for tests.
  void run_once();

  [[nodiscard]] const std::string& private_key_path() const noexcept { return key_path_; }
  [[nodiscard]] std::string public_key_path() const;
  [[nodiscard]] std::int64_t last_signed_seq() const;

 private:
  struct Signed {
    std::int64_t site_seq = 0;
    std::string hash;  // hex
    std::chrono::steady_clock::time_point at{};
  };
  void report_once(const std::string& check, const std::string& detail, bool unattested = false);
  void compare_checkpoint(const Signed& checkpoint, const std::string& name);
  void sign(const ChainAnchor& head);
  [[nodiscard]] std::string marker_path() const;

  CheckpointSignerConfig config_;
  Sources sources_;
  std::string key_path_;
  AuditKey key_;
  std::optional<ChainAnchor> verified_;  // the last row found chained (incremental verification)
  Signed last_;                          // the newest checkpoint this process knows
  std::set<std::string> reported_;       // findings already reported by this process
  mutable std::mutex mutex_;             // guards last_ (read by last_signed_seq)
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portcullis::audit
