#pragma once
// Runs the real portcullis-audit binary and captures its output and exit status.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace portcullis::testing {

struct CliResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

// Runs a shell command line (quote its arguments with shell_quote): stdout and stderr, exit status.
inline CliResult run_command(const std::string& command_line) {
  CliResult r;
  const std::string command = command_line + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

inline CliResult run_audit(const std::string& args) {
  return run_command(std::string{PORTCULLIS_AUDIT_BIN} + " " + args);
}

}  // namespace portcullis::testing
