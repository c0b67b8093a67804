#pragma once
// OutboundBuffer: the gateway's store-and-forward queue towards POST /api/v1/events. Pure apart from the
// SeqStore it is given (FileSeqStore in production, MemorySeqStore in tests); time is passed in.
//
// - Every event gets the device id and a strictly increasing seq. Seqs are reserved in blocks: before a seq
// at
//   or beyond the persisted mark is issued, mark + seq_reserve is saved, so a restart (which resumes at the
//   saved mark) never reuses a seq; at most seq_reserve seqs are skipped by a restart. Gaps are allowed by
//   the API ("strictly increasing").
// - Events stay buffered, in seq order, until the server acknowledges them (200 "stored" or "duplicate").
// - At most `capacity` events are held; at overflow the oldest is dropped and counted (logged 1st, 2nd, 4th,
//   8th... and every 1000th time).
// - Batches of up to max_batch oldest events are sent as {"events": [...]}. A network failure, a 503, a 401
//   (device credential disabled: re-enabling it makes the events valid again) or any 5xx keeps them and
//   waits with exponential backoff; the same seqs are resent, which the server answers "duplicate" when it
//   had stored them, so given acknowledgements every event is stored exactly once.
// - Any other 4xx means the request can never succeed. The server names the field ("events[2].card..."):
//   that event is dropped and logged, the rest resent at once. When no event is named, the batch is
//   resent one event at a time so that only the refused events are dropped.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "portcullis/gateway/event_journal.hpp"

namespace portcullis::gateway {

inline constexpr std::int64_t kMaxSeq = (std::int64_t{1} << 53) - 1;  // the device API's limit

class SeqStore {
 public:
  virtual ~SeqStore() = default;
  // The saved mark (the first seq a restarted gateway may use), or nullopt when none was ever saved.
  [[nodiscard]] virtual std::optional<std::int64_t> load() = 0;
  // Durably saves the mark; throws std::runtime_error when it cannot (the event is then not issued).
  virtual void save(std::int64_t next_seq) = 0;
};

class MemorySeqStore final : public SeqStore {
 public:
  std::optional<std::int64_t> load() override { return saved; }
  void save(std::int64_t next_seq) override {
    if (fail_saves) throw std::runtime_error("save refused (test)");
    saved = next_seq;
    ++saves;
  }
  std::optional<std::int64_t> saved;
  int saves = 0;
  bool fail_saves = false;
};

// One small text file "next_seq N\n", replaced atomically (write temp, fsync, rename, fsync directory).
class FileSeqStore final : public SeqStore {
 public:
  explicit FileSeqStore(std::string path);
  std::optional<std::int64_t> load() override;  // throws std::runtime_error when the file exists but is bad
  void save(std::int64_t next_seq) override;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

struct OutboundOptions {
  std::size_t capacity = 10'000;
  std::size_t max_batch = 100;
  std::int64_t seq_reserve = 1000;
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30'000};
};

struct Batch {
  std::vector<std::int64_t> seqs;  // in order
  std::string body;                // {"events": [...]}
};

struct OutboundCounters {
  std::uint64_t enqueued = 0;
  std::uint64_t stored = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t dropped_overflow = 0;
  std::uint64_t dropped_refused = 0;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;  // network errors, 503s and other retryable answers
};

class OutboundBuffer {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using Log = std::function<void(const std::string&)>;

  // `fresh_first_seq` is used when the store has never saved a mark (a new gateway): the shell passes the
  // wall clock in microseconds so that even a lost state file does not go backwards; tests pass 1.
  OutboundBuffer(std::string device_id, SeqStore& store, OutboundOptions options,
                 std::int64_t fresh_first_seq, Log log = {});

  // Makes the buffer durable: loads the journal's pending events (resent first, with their seqs) and from
  // then on journals every event before buffering it and settles it when acknowledged or dropped. PIN
  // events are never written to disk: they stay in memory only, and a crash loses them. Call before any
  // enqueue.
  void attach_journal(EventJournal& journal);

  // Adds device_id and seq to `event` (an object with type, time and fields) and buffers it. Returns the seq.
  // Throws std::runtime_error when the seq mark cannot be saved (the event is not buffered).
  std::int64_t enqueue(nlohmann::json event);

  // The next request to send when one is due at `now`: the oldest events, at most max_batch (1 while
  // isolating a refused batch). nullopt when empty or waiting for a retry.
  [[nodiscard]] std::optional<Batch> next_batch(SteadyTime now);
  // Applies the server's answer to a batch returned by next_batch (events dropped in the meantime by
  // overflow are simply absent).
  void on_answer(const Batch& batch, int status, std::string_view body, SteadyTime now);
  // The request failed before any answer (connection refused, TLS failure, timeout...).
  void on_network_error(const Batch& batch, std::string_view what, SteadyTime now);

  [[nodiscard]] std::size_t size() const noexcept { return events_.size(); }
  [[nodiscard]] bool empty() const noexcept { return events_.empty(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return options_.capacity; }
  [[nodiscard]] std::int64_t next_seq() const noexcept { return next_seq_; }
  [[nodiscard]] std::optional<std::int64_t> oldest_seq() const noexcept {
    return events_.empty() ? std::nullopt : std::optional<std::int64_t>{events_.front().seq};
  }
  // When the next attempt is due (SteadyTime::min() when not waiting).
  [[nodiscard]] SteadyTime retry_at() const noexcept { return retry_at_; }
  [[nodiscard]] const OutboundCounters& counters() const noexcept { return counters_; }

  // Called for each event the server stored with an "outcome" (the verdict and door action), with its seq:
  // the Control Panel turns it into door and LED commands. Runs inside on_answer; keep it short.
  using OutcomeListener = std::function<void(std::int64_t seq, const nlohmann::json& outcome)>;
  void set_outcome_listener(OutcomeListener listener) { outcome_listener_ = std::move(listener); }

 private:
  struct Pending {
    std::int64_t seq = 0;
    std::string body;  // the serialised event
    int attempts = 0;
  };

  void fail(const std::string& why, SteadyTime now, std::chrono::milliseconds at_least = {});
  void succeeded();
  bool remove(std::int64_t seq);
  void refuse(std::int64_t seq, const std::string& why);
  void log(const std::string& line) const {
    if (log_) log_(line);
  }

  std::string device_id_;
  SeqStore& store_;
  OutboundOptions options_;
  Log log_;
  std::int64_t next_seq_ = 1;
  std::int64_t reserved_until_ = 1;  // the persisted mark: seqs below it may be issued
  std::deque<Pending> events_;
  OutboundCounters counters_;
  std::chrono::milliseconds backoff_{};
  SteadyTime retry_at_ = SteadyTime::min();
  bool down_ = false;
  std::int64_t isolate_until_ = 0;  // send one at a time up to this seq after an unattributed 4xx
  OutcomeListener outcome_listener_;
  EventJournal* journal_ = nullptr;
};

}  // namespace portcullis::gateway
