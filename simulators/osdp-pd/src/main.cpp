// portcullis-osdp-pd: a simulated OSDP reader with a door strike, on a pseudo-terminal. The gateway (or any
// OSDP Control Panel) opens the terminal the --link symlink points to. Every command received is written to
// --log as one JSON line, so tests can see which door and LED commands arrived.
#include <fcntl.h>
#include <openssl/rand.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "portcullis/adapters/osdp_deframer.hpp"
#include "portcullis/osdp_pd/simulated_pd.hpp"
#include "portcullis/util/hex.hpp"

namespace osdp = portcullis::adapters::osdp;
namespace sc = portcullis::adapters::osdp::sc;
using portcullis::osdp_pd::SimulatedPd;
using portcullis::osdp_pd::SimulatedPdOptions;

namespace {

constexpr const char* kUsage =
    "usage: portcullis-osdp-pd --link PATH [--address N] (--scbk-file FILE | --no-secure-channel)\n"
    "                          [--install-mode] [--card FACILITY:NUMBER]... [--first-card-ms N]\n"
    "                          [--card-interval-ms N] [--inject-plaintext-card K] [--log FILE]\n"
    "                          [--exit-after-seconds N]\n"
    "A simulated OSDP reader on a pseudo-terminal; --link is made a symlink to the terminal to open.\n";

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
  g_stop = 1;
}

[[noreturn]] void usage_error(const std::string& why) {
  std::cerr << "portcullis-osdp-pd: " << why << "\n" << kUsage;
  std::exit(2);
}

sc::Random strong_random() {
  sc::Random r{};
  if (RAND_bytes(r.data(), static_cast<int>(r.size())) != 1) {
    std::cerr << "portcullis-osdp-pd: no random numbers from OpenSSL\n";
    std::exit(1);
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string link, scbk_file, log_path;
  SimulatedPdOptions options;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> cards;
  int first_card_ms = 500, card_interval_ms = 1000, inject_plaintext_card = 0, exit_after = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (flag == "--install-mode") {
      options.install_mode = true;
      continue;
    }
    if (flag == "--no-secure-channel") {
      options.secure_channel = false;
      continue;
    }
    if (i + 1 >= argc) usage_error(flag + " needs a value");
    const std::string value = argv[++i];
    auto number = [&](long lo, long hi) {
      try {
        std::size_t used = 0;
        const long n = std::stol(value, &used);
        if (used == value.size() && n >= lo && n <= hi) return static_cast<int>(n);
      } catch (const std::exception&) {
      }
      usage_error(flag + ": expected a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    };
    if (flag == "--link") {
      link = value;
    } else if (flag == "--address") {
      options.address = static_cast<std::uint8_t>(number(0, 126));
    } else if (flag == "--scbk-file") {
      scbk_file = value;
    } else if (flag == "--card") {
      const auto colon = value.find(':');
      try {
        if (colon == std::string::npos) throw std::invalid_argument("no colon");
        cards.emplace_back(static_cast<std::uint32_t>(std::stoul(value.substr(0, colon))),
                           static_cast<std::uint32_t>(std::stoul(value.substr(colon + 1))));
      } catch (const std::exception&) {
        usage_error("--card: expected FACILITY:NUMBER");
      }
    } else if (flag == "--first-card-ms") {
      first_card_ms = number(0, 600'000);
    } else if (flag == "--card-interval-ms") {
      card_interval_ms = number(0, 600'000);
    } else if (flag == "--inject-plaintext-card") {
      inject_plaintext_card = number(1, 1000);
    } else if (flag == "--log") {
      log_path = value;
    } else if (flag == "--exit-after-seconds") {
      exit_after = number(1, 86'400);
    } else {
      usage_error("unknown option " + flag);
    }
  }
  if (link.empty()) usage_error("--link is required");
  if (options.secure_channel == scbk_file.empty())
    usage_error("give --scbk-file FILE, or --no-secure-channel for a PD without Secure Channel");
  if (!scbk_file.empty()) {
    std::ifstream in(scbk_file);
    std::string text;
    in >> text;
    const auto key = sc::parse_key_hex(text);
    if (!key.ok()) usage_error("--scbk-file " + scbk_file + ": " + key.error().reason);
    options.scbk = *key;
  }

  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    std::cerr << "portcullis-osdp-pd: cannot create a pseudo-terminal: " << std::strerror(errno) << "\n";
    return 1;
  }
  const std::string slave_path = ::ptsname(master);
  // Hold the terminal open in raw mode: no echo or line editing before the control panel opens it, and no
  // hang-up on the master when the control panel closes and reopens it.
  const int slave = ::open(slave_path.c_str(), O_RDWR | O_NOCTTY);
  termios t{};
  if (slave < 0 || ::tcgetattr(slave, &t) != 0) {
    std::cerr << "portcullis-osdp-pd: cannot open " << slave_path << "\n";
    return 1;
  }
  ::cfmakeraw(&t);
  ::tcsetattr(slave, TCSANOW, &t);
  std::error_code ignored;
  std::filesystem::remove(link, ignored);
  std::filesystem::create_symlink(slave_path, link);

  std::ofstream log;
  if (!log_path.empty()) log.open(log_path, std::ios::app);
  auto note = [&](const std::string& json_line) {
    if (log.is_open()) log << json_line << std::endl;
  };

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  SimulatedPd pd{options, strong_random};
  osdp::Deframer deframer;
  std::vector<std::uint8_t> chunk(1024);
  const auto started = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> ready_at;  // when cards may be presented
  std::size_t next_card = 0, logged = 0, sessions = 0;
  auto next_card_at = std::chrono::steady_clock::time_point::max();
  std::cerr << "portcullis-osdp-pd: address " << int{options.address} << " on " << slave_path << " (" << link
            << "), " << (options.secure_channel ? "Secure Channel required" : "no Secure Channel")
            << (options.install_mode ? ", install mode" : "") << "\n";

  while (g_stop == 0) {
    const auto now = std::chrono::steady_clock::now();
    if (exit_after > 0 && now - started >= std::chrono::seconds{exit_after}) break;
    if (!ready_at && (pd.secure() || (!options.secure_channel && !pd.received().empty()))) {
      ready_at = now;
      next_card_at = now + std::chrono::milliseconds{first_card_ms};
    }
    if (next_card < cards.size() && now >= next_card_at) {
      if (inject_plaintext_card == static_cast<int>(next_card) + 1) pd.inject_plaintext_next();
      pd.present_card(cards[next_card].first, cards[next_card].second);
      note(R"({"event":"card","facility":)" + std::to_string(cards[next_card].first) + R"(,"number":)" +
           std::to_string(cards[next_card].second) + "}");
      ++next_card;
      next_card_at = now + std::chrono::milliseconds{card_interval_ms};
    }
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const auto n = ::read(master, chunk.data(), chunk.size());
    if (n <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
      continue;
    }
    for (const auto& r : deframer.push(std::span{chunk}.first(static_cast<std::size_t>(n)))) {
      if (!r.ok()) continue;
      const auto answer = pd.on_command(r.value());
      if (answer && !answer->empty()) {
        if (::write(master, answer->data(), answer->size()) < 0) break;
      }
    }
    if (pd.sessions_established() > sessions) {
      sessions = pd.sessions_established();
      note(R"({"event":"secure_channel"})");
    }
    for (; logged < pd.received().size(); ++logged) {
      const auto& c = pd.received()[logged];
      if (c.code == 0x60) continue;  // polls
      // KEYSET carries a key: log that it came, never its bytes.
      note(R"({"event":"command","code":)" + std::to_string(c.code) + R"(,"data":")" +
           (c.code == sc::kCommandKeySet ? std::string("(key)") : portcullis::util::hex_encode(c.data)) +
           R"(","secure":)" + (c.secure ? "true" : "false") + "}");
    }
  }
  std::filesystem::remove(link, ignored);
  ::close(slave);
  ::close(master);
  return 0;
}
