#pragma once
#include <optional>
#include <string>
#include <vector>

namespace portcullis::app {

// serve | migrate | add-device ID KIND | disable-device ID | check-site FILE | help
int run_command(const std::string& command, const std::vector<std::string>& args,
                const std::optional<std::string>& config_file);

}  // namespace portcullis::app
