// portcullis-gateway: the I/O shell around the pure gateway core. Reads OSDP bytes from a reader bus (TCP
// via Boost.Asio, a serial device file, a file or stdin), deframes and translates them, and posts the events
// in batches to the device API over HTTPS. Two threads: this one reads the bus (it must never stall behind a
// slow server, or a serial line's kernel buffer overflows); a sender thread drains the outbound buffer.
#include <fcntl.h>
#include <openssl/rand.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "portcullis/adapters/osdp_deframer.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/gateway/config.hpp"
#include "portcullis/gateway/control_panel.hpp"
#include "portcullis/gateway/event_journal.hpp"
#include "portcullis/gateway/osdp_script.hpp"
#include "portcullis/gateway/outbound_buffer.hpp"
#include "portcullis/gateway/output.hpp"
#include "portcullis/gateway/security_watch.hpp"
#include "portcullis/gateway/sender.hpp"
#include "portcullis/gateway/translator.hpp"

namespace gw = portcullis::gateway;
namespace osdp = portcullis::adapters::osdp;
using Steady = std::chrono::steady_clock;

namespace {

constexpr const char* kUsage =
    "usage: portcullis-gateway --server https://HOST:PORT --ca FILE --token-file FILE --device-id ID\n"
    "                          --map FILE [--tcp HOST:PORT | --input FILE|-]\n"
    "                          [--commissioning-until RFC3339] [--state-dir DIR] [--baud N]\n"
    "                          [--buffer N] [--drain-seconds N] [--frame-timeout-ms N]\n"
    "                          [--heartbeat-seconds N] [--cert FILE --key FILE]\n"
    "       portcullis-gateway encode [SCRIPT|-]   (OSDP reply script -> wire bytes on stdout)\n"
    "Reads OSDP replies from a reader bus and posts them as device-API events (docs/device-adapters.md).\n"
    "With \"control_panel\" in the map file it is the bus's Control Panel instead (no --tcp/--input).\n";

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
  g_stop = 1;
}

std::mutex g_log_mutex;
void log_line(const std::string& line) {
  std::lock_guard lock{g_log_mutex};
  std::cerr << gw::format_rfc3339(gw::WallClock::now()) << " portcullis-gateway: " << line << std::endl;
}

// Logs a repeated message the 1st, 2nd, 4th, 8th... and every 1000th time, with its count: a noisy bus must
// not flood the log. Alarms are always logged.
class ThrottledLog {
 public:
  void operator()(const std::string& line) {
    if (line.rfind("ALARM", 0) == 0) return log_line(line);
    if (counts_.size() > 1000) counts_.clear();
    const auto n = ++counts_[line];
    if ((n & (n - 1)) == 0 || n % 1000 == 0)
      log_line(n == 1 ? line : line + " (" + std::to_string(n) + " times)");
  }

 private:
  std::map<std::string, std::uint64_t> counts_;
};

struct Args {
  std::string server, ca, token_file, device_id, map, tcp, input, commissioning_until, cert, key;
  std::string state_dir = ".";
  unsigned baud = 0;
  std::size_t buffer = 10'000;
  int drain_seconds = 30;
  int heartbeat_seconds = 0;  // 0: no heartbeat events
  int frame_timeout_ms = 0;   // 0: 50 ms on a serial line or file, 250 ms over TCP (bridges add latency)
};

[[noreturn]] void usage_error(const std::string& why) {
  std::cerr << "portcullis-gateway: " << why << "\n" << kUsage;
  std::exit(2);
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) usage_error(flag + " needs a value");
    const std::string value = argv[++i];
    auto number = [&](long lo, long hi) {
      try {
        std::size_t used = 0;
        const long n = std::stol(value, &used);
        if (used == value.size() && n >= lo && n <= hi) return n;
      } catch (const std::exception&) {
      }
      usage_error(flag + ": expected a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    };
    if (flag == "--server")
      a.server = value;
    else if (flag == "--ca")
      a.ca = value;
    else if (flag == "--token-file")
      a.token_file = value;
    else if (flag == "--device-id")
      a.device_id = value;
    else if (flag == "--map")
      a.map = value;
    else if (flag == "--tcp")
      a.tcp = value;
    else if (flag == "--input")
      a.input = value;
    else if (flag == "--commissioning-until")
      a.commissioning_until = value;
    else if (flag == "--state-dir")
      a.state_dir = value;
    else if (flag == "--cert")
      a.cert = value;
    else if (flag == "--key")
      a.key = value;
    else if (flag == "--baud")
      a.baud = static_cast<unsigned>(number(1200, 230400));
    else if (flag == "--buffer")
      a.buffer = static_cast<std::size_t>(number(1, 10'000'000));
    else if (flag == "--drain-seconds")
      a.drain_seconds = static_cast<int>(number(0, 86400));
    else if (flag == "--frame-timeout-ms")
      a.frame_timeout_ms = static_cast<int>(number(5, 10'000));
    else if (flag == "--heartbeat-seconds")
      a.heartbeat_seconds = static_cast<int>(number(0, 86400));
    else
      usage_error("unknown option " + flag);
  }
  if (a.server.empty() || a.ca.empty() || a.token_file.empty() || a.device_id.empty() || a.map.empty())
    usage_error("--server, --ca, --token-file, --device-id and --map are required");
  if (!a.tcp.empty() && !a.input.empty())
    usage_error("give at most one of --tcp HOST:PORT and --input FILE|-");
  if (a.cert.empty() != a.key.empty()) usage_error("--cert and --key go together");
  return a;
}

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot read ") + what + " " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// "HOST:PORT" or "[V6]:PORT" -> (host, port). Throws std::invalid_argument.
std::pair<std::string, unsigned short> host_port(std::string text, const std::string& what,
                                                 unsigned short default_port = 0) {
  std::string host = text;
  long port = default_port;
  const auto colon = text.rfind(':');
  const auto bracket = text.find(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    host = text.substr(0, colon);
    try {
      std::size_t used = 0;
      port = std::stol(text.substr(colon + 1), &used);
      if (used != text.size() - colon - 1) port = -1;
    } catch (const std::exception&) {
      port = -1;
    }
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || port <= 0 || port > 65535)
    throw std::invalid_argument("bad " + what + " '" + text + "'");
  return {host, static_cast<unsigned short>(port)};
}

speed_t baud_constant(unsigned baud) {
  switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    default: throw std::invalid_argument("--baud: unsupported rate " + std::to_string(baud));
  }
}

// One byte source: a file descriptor we can poll, reopened for TCP after a disconnect.
class Source {
 public:
  // `writable`: the Control Panel also writes commands to the bus.
  Source(const Args& args, bool writable = false) : args_(args), writable_(writable) {}
  ~Source() { close_fd(); }

  // Opens (or reconnects). Returns false when it failed (logged); TCP callers retry with backoff.
  bool open() {
    close_fd();
    if (!args_.input.empty()) {
      if (args_.input == "-") {
        fd_ = 0;
        owned_ = false;
        return true;
      }
      fd_ = ::open(args_.input.c_str(), (writable_ ? O_RDWR : O_RDONLY) | O_NOCTTY | O_CLOEXEC);
      if (fd_ < 0) throw std::runtime_error("cannot open " + args_.input + ": " + std::strerror(errno));
      owned_ = true;
      if (::isatty(fd_)) configure_tty();
      return true;
    }
    try {
      const auto [host, port] = host_port(args_.tcp, "--tcp");
      boost::asio::ip::tcp::resolver resolver{io_};
      socket_.emplace(io_);
      boost::asio::connect(*socket_, resolver.resolve(host, std::to_string(port)));
      socket_->set_option(boost::asio::socket_base::keep_alive(true));
      fd_ = socket_->native_handle();
      owned_ = false;
      log_line("connected to the reader bus at " + args_.tcp);
      return true;
    } catch (const std::exception& e) {
      socket_.reset();
      log_line("cannot connect to the reader bus at " + args_.tcp + ": " + e.what());
      return false;
    }
  }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  // TCP, and the Control Panel's serial line (a USB adapter unplugged, a simulator restarted), are reopened.
  [[nodiscard]] bool reconnects() const noexcept { return !args_.tcp.empty() || writable_; }

 private:
  void configure_tty() {
    termios t{};
    if (::tcgetattr(fd_, &t) != 0)
      throw std::runtime_error("tcgetattr " + args_.input + ": " + std::strerror(errno));
    ::cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    if (args_.baud != 0) {
      ::cfsetispeed(&t, baud_constant(args_.baud));
      ::cfsetospeed(&t, baud_constant(args_.baud));
    }
    if (::tcsetattr(fd_, TCSANOW, &t) != 0)
      throw std::runtime_error("tcsetattr " + args_.input + ": " + std::strerror(errno));
  }
  void close_fd() {
    if (socket_) {
      boost::system::error_code ignored;
      socket_->close(ignored);
      socket_.reset();
    } else if (owned_ && fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = -1;
    owned_ = false;
  }

  const Args& args_;
  bool writable_ = false;
  boost::asio::io_context io_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
  int fd_ = -1;
  bool owned_ = false;
};

struct PendingRead {
  std::uint8_t address = 0;
  std::uint8_t reader = 0;
  Steady::time_point at{};
};

// Verdicts arrive on the sender thread; the bus thread turns them into door commands.
class VerdictQueue {
 public:
  void push(std::int64_t seq, nlohmann::json outcome) {
    std::lock_guard lock{mutex_};
    items_.emplace_back(seq, std::move(outcome));
  }
  std::vector<std::pair<std::int64_t, nlohmann::json>> take() {
    std::lock_guard lock{mutex_};
    return std::exchange(items_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::int64_t, nlohmann::json>> items_;
};

// A verdict this late is not acted on: the person has walked away, and opening the door now would let in
// whoever stands there.
constexpr auto kVerdictMaxAge = std::chrono::seconds{5};

bool write_all(int fd, const std::vector<std::uint8_t>& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

osdp::sc::Random strong_random() {
  osdp::sc::Random r{};
  if (RAND_bytes(r.data(), static_cast<int>(r.size())) != 1)
    throw std::runtime_error("no random numbers from OpenSSL for the Secure Channel challenge");
  return r;
}

int run(const Args& args) {
  const auto config = gw::parse_config(read_file(args.map, "map file"));
  const bool control_panel = config.control_panel.has_value();
  if (control_panel && (!args.tcp.empty() || !args.input.empty()))
    throw std::invalid_argument(
        "the map file makes this gateway the Control Panel: the bus is its "
        "control_panel.transport, so --tcp and --input are not used");
  if (!control_panel && args.tcp.empty() && args.input.empty())
    throw std::invalid_argument("give --tcp HOST:PORT or --input FILE|-, or a control_panel in the map file");
  if (control_panel) {
    std::error_code ec;
    using P = std::filesystem::perms;
    const auto perms = std::filesystem::status(args.map, ec).permissions();
    if (!ec && (perms & (P::group_all | P::others_all)) != P::none)
      log_line("warning: map file " + args.map +
               " holds Secure Channel keys and is readable by others than its owner (chmod 600 it)");
  }
  const auto token = trimmed(read_file(args.token_file, "token file"));
  {
    std::error_code ec;
    const auto perms = std::filesystem::status(args.token_file, ec).permissions();
    using P = std::filesystem::perms;
    if (!ec && (perms & (P::group_all | P::others_all)) != P::none)
      log_line("warning: token file " + args.token_file +
               " is readable by others than its owner (chmod 600 it)");
  }
  if (token.empty()) throw std::runtime_error("token file " + args.token_file + " is empty");
  gw::SecurityPolicy policy;
  if (!args.commissioning_until.empty()) {
    policy.commissioning_until = gw::parse_rfc3339(args.commissioning_until);
    if (!policy.commissioning_until)
      throw std::invalid_argument("--commissioning-until: expected RFC 3339, e.g. 2026-11-27T18:00:00Z");
  }
  if (args.server.rfind("https://", 0) != 0) throw std::invalid_argument("--server must start with https://");
  std::string authority = args.server.substr(8);
  if (const auto slash = authority.find('/'); slash != std::string::npos) authority.resize(slash);
  const auto [host, port] = host_port(authority, "--server", 443);

  std::filesystem::create_directories(args.state_dir);
  gw::FileSeqStore seq_store{args.state_dir + "/gateway-" + args.device_id + ".seq"};
  const auto fresh_seq =
      std::chrono::duration_cast<std::chrono::microseconds>(gw::WallClock::now().time_since_epoch()).count();
  gw::OutboundOptions options;
  options.capacity = args.buffer;
  gw::OutboundBuffer buffer{args.device_id, seq_store, options, fresh_seq, log_line};
  // Write-ahead journal: events survive a crash of the gateway and are resent with their seqs at the next
  // start (event_journal.hpp documents the fsync policy).
  gw::FileEventJournal journal{args.state_dir + "/gateway-" + args.device_id + ".journal"};
  buffer.attach_journal(journal);
  // Fail now, not at the first card read, when the state directory is not writable. Saving the next seq as
  // the mark is always safe: every seq issued so far is below it.
  seq_store.save(buffer.next_seq());
  log_line("device " + args.device_id + ", " + std::to_string(config.readers.size()) +
           " reader mapping(s), next seq " + std::to_string(buffer.next_seq()) + " (state " +
           seq_store.path() + "), buffer " + std::to_string(args.buffer) + " events" +
           (policy.commissioning_until
                ? ", commissioning window until " + gw::format_rfc3339(*policy.commissioning_until)
                : std::string(", no commissioning window")));

  portcullis::client::HttpsClient client{host, port,
                                         portcullis::client::ClientTls{args.ca, args.cert, args.key}};
  gw::Sender sender{buffer,
                    [&](const std::string& body) {
                      auto reply = client.post_json("/api/v1/events", body, token);
                      return gw::PostAnswer{reply.status, std::move(reply.body)};
                    },
                    log_line};
  VerdictQueue verdicts;
  if (control_panel)
    buffer.set_outcome_listener(
        [&](std::int64_t seq, const nlohmann::json& outcome) { verdicts.push(seq, outcome); });
  std::thread sender_thread{[&] { sender.run(); }};

  gw::Translator translator{config};
  gw::SecurityWatch watch{config, policy};
  osdp::Deframer deframer;
  ThrottledLog throttled;
  std::uint64_t frames = 0, framing_errors = 0, events = 0;

  auto deliver = [&](gw::Output out) {
    for (const auto& n : out.notices) throttled(n);
    events += sender.add(std::move(out.events));
  };
  auto handle = [&](std::vector<portcullis::adapters::Result<osdp::Frame>> results) {
    for (const auto& r : results) {
      const auto now = gw::WallClock::now();
      if (!r.ok()) {
        ++framing_errors;
        throttled("framing error on the reader bus: " + std::string(to_string(r.error().code)));
        continue;
      }
      ++frames;
      auto out = watch.observe(r.value(), now);
      out.append(translator.on_frame(r.value(), now));
      deliver(std::move(out));
    }
  };

  Args bus_args = args;
  std::optional<gw::ControlPanel> cp;
  std::map<std::string, std::pair<std::uint8_t, std::uint8_t>>
      reader_location;                                // site reader -> (PD, reader)
  std::map<std::int64_t, PendingRead> pending_reads;  // seq -> where it was read
  if (control_panel) {
    const auto& transport = config.control_panel->transport;
    if (transport.rfind("tcp:", 0) == 0)
      bus_args.tcp = transport.substr(4);
    else
      bus_args.input = transport.substr(7);
    if (config.control_panel->baud != 0) bus_args.baud = config.control_panel->baud;
    cp.emplace(config, strong_random);
    for (const auto& [where, id] : config.readers)
      reader_location.emplace(id, std::pair{static_cast<std::uint8_t>(where.first),
                                            static_cast<std::uint8_t>(std::max(where.second, 0))});
    log_line("Control Panel for " + std::to_string(config.control_panel->pds.size()) + " PD(s) on " +
             transport);
  }
  // Control Panel: an opened reply is translated; a credential, PIN or biometric event remembers where it
  // was read so that the server's verdict can drive that door.
  auto handle_cp = [&](std::vector<portcullis::adapters::Result<osdp::Frame>> results) {
    for (const auto& r : results) {
      const auto wall = gw::WallClock::now();
      if (!r.ok()) {
        ++framing_errors;
        throttled("framing error on the reader bus: " + std::string(to_string(r.error().code)));
        continue;
      }
      ++frames;
      auto received = cp->on_reply(r.value(), wall, Steady::now());
      for (const auto& reply : received.replies) received.output.append(translator.on_frame(reply, wall));
      for (const auto& n : received.output.notices) throttled(n);
      std::vector<std::int64_t> seqs;
      const auto out_events = received.output.events;
      events += sender.add(std::move(received.output.events), &seqs);
      for (std::size_t i = 0; i < seqs.size() && i < out_events.size(); ++i) {
        const auto& e = out_events[i];
        const auto type = e.value("type", std::string{});
        if (seqs[i] < 0 || (type != "credential" && type != "pin" && type != "biometric")) continue;
        if (const auto it = reader_location.find(e.value("reader", std::string{}));
            it != reader_location.end())
          pending_reads[seqs[i]] = PendingRead{it->second.first, it->second.second, Steady::now()};
      }
    }
  };
  auto act_on_verdicts = [&] {
    for (auto& [seq, outcome] : verdicts.take()) {
      const auto it = pending_reads.find(seq);
      if (it == pending_reads.end()) continue;
      const auto read = it->second;
      pending_reads.erase(it);
      if (Steady::now() - read.at > kVerdictMaxAge) {
        throttled("a verdict came too late to act on; the door stays as it is");
        continue;
      }
      const auto decision = outcome.value("decision", nlohmann::json{});
      const bool grant = decision.is_object() && decision.value("verdict", std::string{}) == "grant";
      const auto door = outcome.value("door", nlohmann::json{});
      if (grant && door.is_object() && door.value("action", std::string{}) == "unlock") {
        const auto seconds = door.value("unlock_s", 5);
        cp->queue(read.address, gw::door_strike_command(0, std::chrono::seconds{seconds}));
        cp->queue(read.address, gw::led_command(read.reader, true));
      } else {
        cp->queue(read.address, gw::led_command(read.reader, false));
        cp->queue(read.address, gw::buzzer_command(read.reader));
      }
    }
    // Reads whose verdict never came (refused, or stored while the server was away) are forgotten.
    std::erase_if(pending_reads,
                  [](const auto& p) { return Steady::now() - p.second.at > 2 * kVerdictMaxAge; });
  };

  Source source{bus_args, control_panel};
  auto reconnect_delay = std::chrono::seconds{1};
  bool connected = source.open();
  std::vector<std::uint8_t> chunk(4096);
  auto last_byte = Steady::now();
  auto last_heartbeat = Steady::now();
  const auto frame_timeout = std::chrono::milliseconds{
      args.frame_timeout_ms != 0 ? args.frame_timeout_ms : (bus_args.tcp.empty() ? 50 : 250)};
  auto on_bytes = [&](std::vector<portcullis::adapters::Result<osdp::Frame>> results) {
    if (control_panel)
      handle_cp(std::move(results));
    else
      handle(std::move(results));
  };
  // The Control Panel paces its commands: a PD on a local pseudo-terminal answers at once, and a bus
  // polled flat out would only burn CPU.
  constexpr auto kCommandInterval = std::chrono::milliseconds{40};
  auto next_command_at = Steady::now();
  while (g_stop == 0) {
    if (!connected) {
      for (auto waited = std::chrono::milliseconds{0}; waited < reconnect_delay && g_stop == 0;
           waited += std::chrono::milliseconds{100})
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
      if (g_stop != 0) break;
      connected = source.open();
      reconnect_delay =
          connected ? std::chrono::seconds{1} : std::min(reconnect_delay * 2, std::chrono::seconds{30});
      continue;
    }
    if (control_panel) {
      const auto wall = gw::WallClock::now();
      deliver(cp->on_tick(wall, Steady::now()));
      act_on_verdicts();
      if (Steady::now() >= next_command_at) {
        if (auto command = cp->next_command(wall, Steady::now())) {
          next_command_at = Steady::now() + kCommandInterval;
          if (!write_all(source.fd(), *command)) {
            log_line(std::string("reader bus write error: ") + std::strerror(errno) + "; reopening it");
            deframer.reset();
            connected = false;
            continue;
          }
        }
      }
    }
    pollfd p{source.fd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, control_panel ? 10 : 50);
    const auto steady_now = Steady::now();
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    }
    if (ready == 0) {
      if (deframer.buffered() > 0 && steady_now - last_byte >= frame_timeout) on_bytes(deframer.flush());
      deliver(translator.expire(gw::WallClock::now()));
      if (args.heartbeat_seconds > 0 &&
          steady_now - last_heartbeat >= std::chrono::seconds{args.heartbeat_seconds}) {
        last_heartbeat = steady_now;
        gw::Output beat;
        beat.events.push_back({{"type", "heartbeat"}, {"time", gw::format_rfc3339(gw::WallClock::now())}});
        deliver(std::move(beat));
      }
      continue;
    }
    const auto n = ::read(source.fd(), chunk.data(), chunk.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      on_bytes(deframer.flush());
      if (n < 0) log_line(std::string("reader bus read error: ") + std::strerror(errno));
      if (!source.reconnects()) break;  // end of file / stdin: drain and exit
      log_line("reader bus connection closed; reconnecting");
      deframer.reset();
      connected = false;
      continue;
    }
    last_byte = steady_now;
    on_bytes(deframer.push(std::span{chunk}.first(static_cast<std::size_t>(n))));
  }
  on_bytes(deframer.flush());

  if (const auto waiting = sender.buffered(); waiting > 0)
    log_line("input ended; delivering " + std::to_string(waiting) + " buffered event(s) (at most " +
             std::to_string(args.drain_seconds) + " s)");
  sender.finish(std::chrono::seconds{args.drain_seconds});
  sender_thread.join();
  const auto& c = buffer.counters();
  const auto left = buffer.size();
  log_line("done: " + std::to_string(frames) + " frame(s), " + std::to_string(framing_errors) +
           " framing error(s), " + std::to_string(events) + " event(s); stored " + std::to_string(c.stored) +
           ", duplicate " + std::to_string(c.duplicates) + ", refused " + std::to_string(c.dropped_refused) +
           ", dropped at overflow " + std::to_string(c.dropped_overflow) + ", undelivered " +
           std::to_string(left) + "; next seq " + std::to_string(buffer.next_seq()));
  return left == 0 && c.dropped_refused == 0 && c.dropped_overflow == 0 ? 0 : 1;
}

}  // namespace

int encode_main(int argc, char** argv) {
  try {
    const std::string path = argc > 2 ? argv[2] : "-";
    std::string script;
    if (path == "-") {
      std::stringstream s;
      s << std::cin.rdbuf();
      script = s.str();
    } else {
      script = read_file(path, "script");
    }
    const auto bytes = gw::encode_osdp_script(script);
    std::cout.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return std::cout ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "portcullis-gateway encode: " << e.what() << "\n";
    return 1;
  }
}

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "encode") return encode_main(argc, argv);
  const auto args = parse_args(argc, argv);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR and the loop sees g_stop
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run(args);
  } catch (const std::exception& e) {
    log_line(std::string("error: ") + e.what());
    return 1;
  }
}
