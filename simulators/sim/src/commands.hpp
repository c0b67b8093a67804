#pragma once
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace portcullis::sim {

// Set by SIGINT/SIGTERM: playing and load generation stop, buffers drain briefly, the summary is printed.
extern std::atomic<bool> g_stop;

int play_command(const std::vector<std::string>& args);
// Writes a JSON summary for scripts and tests (--report FILE); throws std::runtime_error when it cannot.
void write_report(const std::string& path, const nlohmann::json& report);
int load_command(const std::vector<std::string>& args);

// Small option reader shared by the commands: "--name value" and "--flag".
class Options {
 public:
  explicit Options(std::vector<std::string> args) : args_(std::move(args)) {}
  bool flag(const std::string& name);
  std::string value(const std::string& name, const std::string& fallback = {});
  double number(const std::string& name, double fallback, double lo, double hi);
  long long integer(const std::string& name, long long fallback, long long lo, long long hi);
  // What is left after every option was taken; throws on a leftover "--option".
  std::vector<std::string> positional() const;

 private:
  std::vector<std::string> args_;
};

}  // namespace portcullis::sim
