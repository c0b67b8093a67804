#include "portcullis/gateway/event_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace portcullis::gateway {

namespace {

void fsync_directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

std::int64_t parse_seq(const std::string& text, const std::string& path, std::size_t line) {
  std::size_t used = 0;
  long long v = -1;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || v < 1)
    throw std::runtime_error("journal " + path + " line " + std::to_string(line) + ": bad seq");
  return v;
}

}  // namespace

FileEventJournal::FileEventJournal(std::string path, std::size_t compact_after)
    : path_(std::move(path)), compact_after_(compact_after == 0 ? 1 : compact_after) {}

FileEventJournal::~FileEventJournal() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<std::pair<std::int64_t, std::string>> FileEventJournal::load() {
  pending_.clear();
  std::ifstream in(path_, std::ios::binary);
  if (in) {
    std::stringstream all;
    all << in.rdbuf();
    const std::string text = all.str();
    std::size_t start = 0, line_no = 0;
    while (start < text.size()) {
      const auto end = text.find('\n', start);
      if (end == std::string::npos) break;  // torn last write: never acknowledged as buffered
      ++line_no;
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      const auto space = line.find(' ');
      if (line.size() < 3 || space != 1 || (line[0] != 'E' && line[0] != 'S'))
        throw std::runtime_error("journal " + path_ + " line " + std::to_string(line_no) + " is not E or S");
      if (line[0] == 'S') {
        pending_.erase(parse_seq(line.substr(2), path_, line_no));
        continue;
      }
      const auto second = line.find(' ', 2);
      if (second == std::string::npos)
        throw std::runtime_error("journal " + path_ + " line " + std::to_string(line_no) + " has no event");
      pending_[parse_seq(line.substr(2, second - 2), path_, line_no)] = line.substr(second + 1);
    }
  }
  // Start from a clean file holding exactly the pending events (this also drops a torn tail).
  compact();
  return {pending_.begin(), pending_.end()};
}

void FileEventJournal::open_for_append() {
  if (fd_ >= 0) return;
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot open journal " + path_ + ": " + std::strerror(errno));
}

void FileEventJournal::write_all(const std::string& text) {
  open_for_append();
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("cannot write journal " + path_ + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

void FileEventJournal::append(std::int64_t seq, const std::string& event_json) {
  if (event_json.find('\n') != std::string::npos) throw std::runtime_error("journal: event JSON spans lines");
  write_all("E " + std::to_string(seq) + " " + event_json + "\n");
  if (::fdatasync(fd_) != 0)
    throw std::runtime_error("cannot fsync journal " + path_ + ": " + std::strerror(errno));
  pending_[seq] = event_json;
}

void FileEventJournal::settle(std::int64_t seq) {
  if (pending_.erase(seq) == 0) return;
  write_all("S " + std::to_string(seq) + "\n");
  if (++settled_since_compaction_ >= compact_after_) compact();
}

void FileEventJournal::compact() {
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
  std::string text;
  for (const auto& [seq, body] : pending_) text += "E " + std::to_string(seq) + " " + body + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("cannot compact journal " + path_ + ": " + std::strerror(errno));
  fsync_directory_of(path_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  settled_since_compaction_ = 0;
}

}  // namespace portcullis::gateway
