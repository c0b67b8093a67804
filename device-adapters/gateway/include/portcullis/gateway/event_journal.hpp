#pragma once
// EventJournal: the outbound buffer's write-ahead log, so events survive a crash of the gateway (kill -9,
// power loss) and are delivered exactly once after the restart: each event is written and fsynced before
// it counts as buffered; an event is settled (acknowledged by the server, or dropped) by a later record.
// A restart resends every event not settled, with its original seq, and the server answers "duplicate" for
// those it had stored (it keys events by device and seq), so nothing is stored twice.
//
// FileEventJournal, one text file <state-dir>/gateway-<device-id>.journal, one record a line:
//   E <seq> <event JSON>    an event (the JSON as posted, on one line)
//   S <seq>                 that event is settled
// Fsync policy: an E record is fsynced before append() returns (write-ahead: no event is acknowledged to
// the reader bus side, or counted, before it is on disk). S records are written without fsync: losing one
// in a crash only makes the restart resend an event the server then answers "duplicate". After 1,000 S
// records the file is compacted: the pending E records are written to a temporary file, fsynced, renamed
// over the journal, and the directory fsynced. A last line without its newline is a write torn by the
// crash and is ignored (its event was never acknowledged as buffered); any other malformed line stops the
// gateway rather than guess.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace portcullis::gateway {

class EventJournal {
 public:
  virtual ~EventJournal() = default;
  // Events not settled, in seq order.
  [[nodiscard]] virtual std::vector<std::pair<std::int64_t, std::string>> load() = 0;
  // Durably records an event; throws std::runtime_error when it cannot (the event is then not buffered).
  virtual void append(std::int64_t seq, const std::string& event_json) = 0;
  virtual void settle(std::int64_t seq) = 0;
};

class FileEventJournal final : public EventJournal {
 public:
  explicit FileEventJournal(std::string path, std::size_t compact_after = 1000);
  ~FileEventJournal() override;
  FileEventJournal(const FileEventJournal&) = delete;
  FileEventJournal& operator=(const FileEventJournal&) = delete;

  std::vector<std::pair<std::int64_t, std::string>> load() override;
  void append(std::int64_t seq, const std::string& event_json) override;
  void settle(std::int64_t seq) override;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }

 private:
  void open_for_append();
  void write_all(const std::string& text);
  void compact();

  std::string path_;
  std::size_t compact_after_;
  int fd_ = -1;
  std::map<std::int64_t, std::string> pending_;
  std::size_t settled_since_compaction_ = 0;
};

}  // namespace portcullis::gateway
