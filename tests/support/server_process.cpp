#include "server_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "portcullis/util/rfc3339.hpp"

namespace portcullis::testing {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int run_shell(const std::string& command, std::string& out) {
  out.clear();
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string example_site_text() {
  std::ifstream in(source_dir() + "/examples/datacenter.site.json");
  std::stringstream text;
  text << in.rdbuf();
  auto site = text.str();
  const std::string extended = "\"start\": \"06:00\",\n          \"end\": \"23:00\"";
  const auto at = site.find(extended);
  if (at == std::string::npos) throw std::runtime_error("example site: extended hours not found");
  site.replace(at, extended.size(), "\"start\": \"00:00\",\n          \"end\": \"24:00\"");
  return site;
}

std::string device_time_now() {
  return util::format_rfc3339(std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()),
                              util::SecondFraction::Millis);
}

std::map<std::string, std::string> example_site_env(std::map<std::string, std::string> extra) {
  // Written once per test process, next to the test certificates.
  static const std::string path = [] {
    const auto file = test_tls().dir + "/datacenter-any-hour.site.json";
    std::ofstream(file) << example_site_text();
    return file;
  }();
  extra.emplace("PORTCULLIS_SITE_FILE", path);
  extra.emplace("PORTCULLIS_SITE_ID", "ams-dc1");
  return extra;
}

std::string binary_dir() {
  return env_or("PORTCULLIS_TEST_BIN", PORTCULLIS_BUILD_DIR);
}
std::string source_dir() {
  return PORTCULLIS_SOURCE_DIR;
}

const TlsFiles& test_tls() {
  static const TlsFiles files = [] {
    std::string base = env_or("PORTCULLIS_TEST_STATE", "");
    if (base.empty()) {
      char tmpl[] = "/tmp/portcullis-tls.XXXXXX";
      base = mkdtemp(tmpl);
    }
    TlsFiles f;
    f.dir = base + "/tls-" + std::to_string(getpid());
    std::string out;
    const auto cmd =
        "bash -c " + shell_quote("source " + source_dir() + "/scripts/lib/certs.sh && make_tls " + f.dir);
    if (run_shell(cmd, out) != 0) throw std::runtime_error("generating test certificates failed: " + out);
    f.ca = f.dir + "/ca.crt";
    f.server_cert = f.dir + "/server.crt";
    f.server_key = f.dir + "/server.key";
    f.device_ca = f.dir + "/device-ca.crt";
    return f;
  }();
  return files;
}

ServerProcess::ServerProcess(const TestDatabase& db, std::map<std::string, std::string> extra_env) : db_(db) {
  const auto& tls = test_tls();
  env_ = {{"PORTCULLIS_DATABASE", db.app()},      {"PORTCULLIS_ADMIN_DATABASE", db.admin()},
          {"PORTCULLIS_LISTEN", "127.0.0.1:0"},   {"PORTCULLIS_TLS_CERT", tls.server_cert},
          {"PORTCULLIS_TLS_KEY", tls.server_key}, {"PORTCULLIS_DEVICE_CA", tls.device_ca},
          {"PORTCULLIS_SITE_ID", "main"}};
  for (auto& [k, v] : extra_env) env_[k] = v;
  // One log per instance: a second instance on the same database (a follower) has its own.
  const auto role = env_.find("PORTCULLIS_ROLE");
  log_file_ = tls.dir + "/server-" + db.name() + (role == env_.end() ? "" : "-" + role->second) + ".log";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill_hard();
}

std::string ServerProcess::env_prefix() const {
  std::string prefix = "env";
  for (const auto& [k, v] : env_) prefix += " " + k + "=" + shell_quote(v);
  return prefix;
}

int ServerProcess::run_tool(const std::string& args, std::string& out) const {
  return run_shell(env_prefix() + " " + binary_dir() + "/server/app/portcullisd " + args, out);
}

std::string ServerProcess::enrol_device(const std::string& id, const std::string& kind) {
  std::string out;
  if (run_tool("add-device " + id + " " + kind, out) != 0)
    throw std::runtime_error("add-device failed: " + out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
}

void ServerProcess::start() {
  { std::ofstream truncate(log_file_, std::ios::trunc); }
  const std::string binary = binary_dir() + "/server/app/portcullisd";
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    for (const auto& [k, v] : env_) setenv(k.c_str(), v.c_str(), 1);
    FILE* log = fopen(log_file_.c_str(), "a");
    if (log) {
      dup2(fileno(log), STDERR_FILENO);
      dup2(fileno(log), STDOUT_FILENO);
    }
    execl(binary.c_str(), binary.c_str(), "serve", static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = log();
    const auto at = text.find("listening on https://127.0.0.1:");
    // The whole line: the log may be read while the port's digits are still being written.
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      port_ = static_cast<unsigned short>(std::stoi(text.substr(at + 31)));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("portcullisd exited during start-up:\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("portcullisd did not start listening within 60 s:\n" + log());
}

bool ServerProcess::alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ServerProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill_hard();
}

std::string ServerProcess::log() const {
  std::ifstream in(log_file_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace portcullis::testing
