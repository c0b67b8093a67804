// portcullisd: wires the adapters around the core and runs one of its commands. No logic lives here.
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "portcullis/logging/log.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> config_file;
  if (args.size() >= 2 && args[0] == "--config") {
    config_file = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  const std::string command = args.empty() ? "serve" : args[0];
  if (!args.empty()) args.erase(args.begin());
  try {
    return portcullis::app::run_command(command, args, config_file);
  } catch (const std::exception& e) {
    portcullis::logging::error("app", e.what());
    return 1;
  }
}
