// portcullis-sim: plays scenario files against the server's device API and generates load.
#include <csignal>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.hpp"

namespace portcullis::sim {

std::atomic<bool> g_stop{false};

bool Options::flag(const std::string& name) {
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == name) {
      args_.erase(it);
      return true;
    }
  }
  return false;
}

std::string Options::value(const std::string& name, const std::string& fallback) {
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == name) {
      if (it + 1 == args_.end()) throw std::invalid_argument(name + " needs a value");
      std::string v = *(it + 1);
      args_.erase(it, it + 2);
      return v;
    }
    if (it->rfind(name + "=", 0) == 0) {
      std::string v = it->substr(name.size() + 1);
      args_.erase(it);
      return v;
    }
  }
  return fallback;
}

double Options::number(const std::string& name, double fallback, double lo, double hi) {
  const auto text = value(name);
  if (text.empty()) return fallback;
  double v = 0;
  try {
    std::size_t used = 0;
    v = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    throw std::invalid_argument(name + " expects a number, got '" + text + "'");
  }
  if (!(v >= lo && v <= hi)) {
    throw std::invalid_argument(name + " must be between " + std::to_string(lo) + " and " +
                                std::to_string(hi));
  }
  return v;
}

long long Options::integer(const std::string& name, long long fallback, long long lo, long long hi) {
  const auto text = value(name);
  if (text.empty()) return fallback;
  long long v = 0;
  try {
    std::size_t used = 0;
    v = std::stoll(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    throw std::invalid_argument(name + " expects an integer, got '" + text + "'");
  }
  if (v < lo || v > hi) {
    throw std::invalid_argument(name + " must be between " + std::to_string(lo) + " and " +
                                std::to_string(hi));
  }
  return v;
}

void write_report(const std::string& path, const nlohmann::json& report) {
  std::ofstream out(path, std::ios::trunc);
  out << report.dump(2) << '\n';
  if (!out) throw std::runtime_error("cannot write report " + path);
}

std::vector<std::string> Options::positional() const {
  for (const auto& a : args_) {
    if (a.size() > 1 && a[0] == '-') throw std::invalid_argument("unknown option " + a);
  }
  return args_;
}

}  // namespace portcullis::sim

namespace {

void print_help() {
  std::cout <<
      R"(usage:
  portcullis-sim play --server https://HOST:PORT --ca CA.pem --tokens DIR SCENARIO.json
                      [--check] [--loop [--rounds N]] [--speed X] [--buffer N] [--drain-timeout S] [--quiet]
      Plays a scenario: each device posts its steps' events over HTTPS with its own token (DIR/<id>.token
      unless the scenario names a token_file or token_env). --check compares decisions and alarms with the
      steps' "expect"/"expect_alarm" and exits 1 listing every mismatch. --speed 10 plays ten times faster.
  portcullis-sim load --server https://HOST:PORT --ca CA.pem --tokens DIR --devices N --rate R --seconds S
                      [--prefix load-] [--mix mixed|heartbeat|credential] [--reader ID] [--buffer N]
      N devices (ids <prefix>1..<prefix>N, one thread and connection each) post events at R events/s in total
      for S seconds, then print the achieved rate and a latency histogram (p50/p90/p99/max).
  common: --seq-base N   first seq of every device (default: now in microseconds since 1970, so a restarted
                         simulator keeps each device's seq increasing)
          --buffer N     store-and-forward bound per device (default 1000; when full the oldest is dropped)
          --report FILE  also write the summary as JSON
See docs/simulator.md.
)";
}

void on_signal(int) {
  portcullis::sim::g_stop.store(true);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "play") return portcullis::sim::play_command(args);
    if (command == "load") return portcullis::sim::load_command(args);
    std::cerr << "portcullis-sim: unknown command '" << command << "'\n";
    print_help();
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "portcullis-sim: " << e.what() << '\n';
    return 2;
  }
}
