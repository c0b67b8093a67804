#include "portcullis/gateway/outbound_buffer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace portcullis::gateway {

using nlohmann::json;

// ---- FileSeqStore ----------------------------------------------------------------------------------------

FileSeqStore::FileSeqStore(std::string path) : path_(std::move(path)) {}

std::optional<std::int64_t> FileSeqStore::load() {
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("cannot read seq state file " + path_ + ": " + std::strerror(errno));
  }
  std::string key;
  std::int64_t value = 0;
  if (!(in >> key >> value) || key != "next_seq" || value < 1 || value > kMaxSeq + 1)
    throw std::runtime_error("seq state file " + path_ +
                             " is not 'next_seq N'; refusing to guess (a reused seq would be refused by "
                             "the server). Fix or remove it.");
  return value;
}

void FileSeqStore::save(std::int64_t next_seq) {
  const std::string tmp = path_ + ".tmp";
  const std::string text = "next_seq " + std::to_string(next_seq) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("cannot save seq state to " + path_ + ": " + std::strerror(errno));
  const auto slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path_.substr(0, slash));
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

// ---- OutboundBuffer --------------------------------------------------------------------------------------

namespace {

bool power_of_two_or_thousand(std::uint64_t n) {
  return (n & (n - 1)) == 0 || n % 1000 == 0;
}

// "events[12].card.facility" -> 12
std::optional<std::size_t> event_index(const std::string& field) {
  const std::string prefix = "events[";
  if (field.rfind(prefix, 0) != 0) return std::nullopt;
  const auto close = field.find(']', prefix.size());
  if (close == std::string::npos || close == prefix.size() || close - prefix.size() > 6) return std::nullopt;
  std::size_t index = 0;
  for (std::size_t i = prefix.size(); i < close; ++i) {
    if (field[i] < '0' || field[i] > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(field[i] - '0');
  }
  return index;
}

}  // namespace

OutboundBuffer::OutboundBuffer(std::string device_id, SeqStore& store, OutboundOptions options,
                               std::int64_t fresh_first_seq, Log log)
    : device_id_(std::move(device_id)), store_(store), options_(options), log_(std::move(log)) {
  if (options_.capacity == 0)
    throw std::invalid_argument("the outbound buffer needs room for at least one event");
  if (options_.max_batch == 0 || options_.max_batch > 500)
    throw std::invalid_argument("batch size must be 1 to 500 (the device API's limit)");
  if (options_.seq_reserve < 1) throw std::invalid_argument("seq reserve must be at least 1");
  const auto saved = store_.load();
  next_seq_ = saved ? *saved : std::clamp<std::int64_t>(fresh_first_seq, 1, kMaxSeq);
  reserved_until_ = next_seq_;  // nothing reserved yet in this run: the first enqueue saves a new mark
}

void OutboundBuffer::attach_journal(EventJournal& journal) {
  if (!events_.empty()) throw std::logic_error("attach the journal before buffering events");
  journal_ = &journal;
  for (auto& [seq, body] : journal.load()) {
    events_.push_back(Pending{seq, std::move(body), 0});
    // Every journaled seq is below the saved mark already; this only guards a journal from a lost state file.
    next_seq_ = std::max(next_seq_, seq + 1);
  }
  reserved_until_ = std::min(reserved_until_, next_seq_);
  if (!events_.empty())
    log(std::to_string(events_.size()) + " event(s) from the journal to deliver first (seqs " +
        std::to_string(events_.front().seq) + " to " + std::to_string(events_.back().seq) + ")");
}

std::int64_t OutboundBuffer::enqueue(json event) {
  if (next_seq_ > kMaxSeq) throw std::runtime_error("device seq space exhausted (2^53-1)");
  if (next_seq_ >= reserved_until_) {
    const auto mark = std::min(next_seq_ + options_.seq_reserve, kMaxSeq + 1);
    store_.save(mark);  // throws: the event is not issued a seq that a restart could reuse
    reserved_until_ = mark;
  }
  const auto seq = next_seq_++;
  event["device_id"] = device_id_;
  event["seq"] = seq;
  const bool durable = journal_ != nullptr && event.value("type", std::string{}) != "pin";
  std::string body = event.dump();
  if (durable) journal_->append(seq, body);  // throws: not buffered, and the seq is simply skipped
  if (events_.size() >= options_.capacity) {
    const auto dropped = events_.front().seq;
    events_.pop_front();
    if (journal_ != nullptr) journal_->settle(dropped);
    const auto n = ++counters_.dropped_overflow;
    if (power_of_two_or_thousand(n)) {
      log("outbound buffer full (" + std::to_string(options_.capacity) +
          " events): dropped the oldest, seq " + std::to_string(dropped) + " (" + std::to_string(n) +
          " dropped so far)");
    }
  }
  events_.push_back(Pending{seq, std::move(body), 0});
  ++counters_.enqueued;
  return seq;
}

std::optional<Batch> OutboundBuffer::next_batch(SteadyTime now) {
  if (events_.empty() || now < retry_at_) return std::nullopt;
  const std::size_t limit = events_.front().seq <= isolate_until_ ? 1 : options_.max_batch;
  Batch b;
  b.body = "{\"events\":[";
  for (std::size_t i = 0; i < events_.size() && i < limit; ++i) {
    auto& e = events_[i];
    if (i) b.body += ',';
    b.body += e.body;
    b.seqs.push_back(e.seq);
    ++e.attempts;
  }
  b.body += "]}";
  ++counters_.requests;
  return b;
}

bool OutboundBuffer::remove(std::int64_t seq) {
  const auto it = std::lower_bound(events_.begin(), events_.end(), seq,
                                   [](const Pending& p, std::int64_t s) { return p.seq < s; });
  if (it == events_.end() || it->seq != seq) return false;
  events_.erase(it);
  if (journal_ != nullptr) journal_->settle(seq);
  return true;
}

void OutboundBuffer::refuse(std::int64_t seq, const std::string& why) {
  if (remove(seq)) {
    ++counters_.dropped_refused;
    log("event seq " + std::to_string(seq) +
        " refused by the server and dropped (it can never succeed): " + why);
  }
}

void OutboundBuffer::fail(const std::string& why, SteadyTime now, std::chrono::milliseconds at_least) {
  ++counters_.failures;
  backoff_ = backoff_.count() == 0 ? options_.backoff_initial : std::min(options_.backoff_max, backoff_ * 2);
  retry_at_ = now + std::max(backoff_, at_least);
  if (!down_) {
    log(why + "; keeping " + std::to_string(events_.size()) + " event(s) buffered and retrying with backoff");
  }
  down_ = true;
}

void OutboundBuffer::succeeded() {
  if (down_)
    log("server answering again; " + std::to_string(events_.size()) + " event(s) to deliver in order");
  down_ = false;
  backoff_ = {};
  retry_at_ = SteadyTime::min();
}

void OutboundBuffer::on_network_error(const Batch&, std::string_view what, SteadyTime now) {
  fail("server unreachable (" + std::string(what) + ")", now);
}

void OutboundBuffer::on_answer(const Batch& batch, int status, std::string_view body, SteadyTime now) {
  const auto answer = json::parse(body.begin(), body.end(), nullptr, false);
  if (status == 200) {
    const json* results = answer.is_object() && answer.contains("results") ? &answer["results"] : nullptr;
    if (results == nullptr || !results->is_array() || results->size() != batch.seqs.size()) {
      return fail("unexpected answer to a batch of " + std::to_string(batch.seqs.size()) +
                      " event(s): " + std::string(body.substr(0, 200)),
                  now);
    }
    for (std::size_t i = 0; i < batch.seqs.size(); ++i) {
      const auto& r = (*results)[i];
      const auto st = r.is_object() && r.contains("status") && r["status"].is_string()
                          ? r["status"].get<std::string>()
                          : std::string{};
      const bool seq_ok = r.is_object() && r.contains("seq") && r["seq"].is_number_integer() &&
                          r["seq"].get<std::int64_t>() == batch.seqs[i];
      if ((st != "stored" && st != "duplicate") || !seq_ok) {
        return fail(
            "unexpected result for seq " + std::to_string(batch.seqs[i]) + ": " + r.dump().substr(0, 200),
            now);
      }
    }
    for (std::size_t i = 0; i < batch.seqs.size(); ++i) {
      if (remove(batch.seqs[i])) {
        if ((*results)[i]["status"] == "stored" && outcome_listener_ && (*results)[i].contains("outcome"))
          outcome_listener_(batch.seqs[i], (*results)[i]["outcome"]);
        if ((*results)[i]["status"] == "stored")
          ++counters_.stored;
        else
          ++counters_.duplicates;
      }
    }
    return succeeded();
  }
  if (status == 503) return fail("server busy (503)", now, std::chrono::seconds{1});
  if (status >= 500 || status == 401 || status == 408 || status == 429 || status < 400) {
    return fail(
        "server answered " + std::to_string(status) +
            (status == 401 ? " (device credential refused: check the token or re-enable the device)" : ""),
        now);
  }
  // Any other 4xx: the request can never succeed as it is. Nothing of it was stored.
  std::string field;
  std::string message = std::string(body.substr(0, 200));
  if (answer.is_object() && answer.contains("error") && answer["error"].is_object()) {
    const auto& e = answer["error"];
    if (e.contains("field") && e["field"].is_string()) field = e["field"].get<std::string>();
    if (e.contains("message") && e["message"].is_string())
      message = field + ": " + e["message"].get<std::string>();
  }
  const auto why = "HTTP " + std::to_string(status) + " " + message;
  if (const auto index = event_index(field); index && *index < batch.seqs.size()) {
    refuse(batch.seqs[*index], why);
  } else if (batch.seqs.size() == 1) {
    refuse(batch.seqs.front(), why);
  } else {
    isolate_until_ = std::max(isolate_until_, batch.seqs.back());
    log("batch of " + std::to_string(batch.seqs.size()) + " events refused (" + why +
        ") without naming an event; resending them one at a time");
  }
  succeeded();
}

}  // namespace portcullis::gateway
