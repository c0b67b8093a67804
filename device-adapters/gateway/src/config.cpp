#include "portcullis/gateway/config.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace portcullis::gateway {
namespace {

using nlohmann::json;

bool valid_reader_id(const std::string& s) {
  if (s.empty() || s.size() > kMaxReaderIdLength) return false;
  for (char c : s) {
    const bool good = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == ':' || c == '-';
    if (!good) return false;
  }
  return true;
}

int parse_small(const std::string& text, int max, const std::string& what) {
  if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("readers: key '" + what + "' is not ADDRESS or ADDRESS:READER");
  const int v = std::stoi(text);
  if (v > max) throw std::invalid_argument("readers: key '" + what + "' out of range");
  return v;
}

std::int64_t integer(const json& root, const char* field, std::int64_t lo, std::int64_t hi) {
  const auto& v = root.at(field);
  if (!v.is_number_integer()) throw std::invalid_argument(std::string(field) + ": expected an integer");
  const auto n = v.get<std::int64_t>();
  if (n < lo || n > hi)
    throw std::invalid_argument(std::string(field) + ": expected " + std::to_string(lo) + " to " +
                                std::to_string(hi));
  return n;
}

}  // namespace

std::optional<std::string> GatewayConfig::reader_for(std::uint8_t address, std::uint8_t reader) const {
  if (auto it = readers.find({address, reader}); it != readers.end()) return it->second;
  if (auto it = readers.find({address, -1}); it != readers.end()) return it->second;
  return std::nullopt;
}

std::string GatewayConfig::pd_name(std::uint8_t address) const {
  if (auto it = readers.find({address, -1}); it != readers.end()) return it->second;
  if (auto it = readers.lower_bound({address, 0}); it != readers.end() && it->first.first == address)
    return it->second;
  return "osdp-" + std::to_string(address);
}

GatewayConfig parse_config(std::string_view json_text) {
  const auto root = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (root.is_discarded()) throw std::invalid_argument("map file is not valid JSON");
  if (!root.is_object()) throw std::invalid_argument("map file: expected a JSON object");
  GatewayConfig c;
  for (const auto& [key, value] : root.items()) {
    if (key != "readers" && key != "pin_max_digits" && key != "pin_timeout_seconds" &&
        key != "biometric_threshold" && key != "biometric_template_id")
      throw std::invalid_argument("unknown field '" + key +
                                  "' (expected readers, pin_max_digits, pin_timeout_seconds, "
                                  "biometric_threshold, biometric_template_id)");
  }
  if (!root.contains("readers") || !root["readers"].is_object() || root["readers"].empty())
    throw std::invalid_argument("readers: expected an object mapping OSDP addresses to reader ids");
  for (const auto& [key, value] : root["readers"].items()) {
    const auto colon = key.find(':');
    const int address = parse_small(key.substr(0, colon), 126, key);
    const int reader = colon == std::string::npos ? -1 : parse_small(key.substr(colon + 1), 255, key);
    if (!value.is_string() || !valid_reader_id(value.get<std::string>()))
      throw std::invalid_argument("readers." + key + ": expected a reader id of 1-" +
                                  std::to_string(kMaxReaderIdLength) + " characters [A-Za-z0-9._:-]");
    if (!c.readers.emplace(std::pair{address, reader}, value.get<std::string>()).second)
      throw std::invalid_argument("readers: '" + key + "' given twice");
  }
  if (root.contains("pin_max_digits"))
    c.pin_max_digits = static_cast<std::size_t>(integer(root, "pin_max_digits", 4, 12));
  if (root.contains("pin_timeout_seconds"))
    c.pin_timeout = std::chrono::seconds{integer(root, "pin_timeout_seconds", 1, 600)};
  if (root.contains("biometric_threshold"))
    c.biometric_threshold = static_cast<std::uint8_t>(integer(root, "biometric_threshold", 0, 255));
  if (root.contains("biometric_template_id")) {
    const auto& v = root["biometric_template_id"];
    if (!v.is_string() || !valid_reader_id(v.get<std::string>()))
      throw std::invalid_argument("biometric_template_id: expected an identifier of 1-40 characters");
    c.biometric_template_id = v.get<std::string>();
  }
  return c;
}

}  // namespace portcullis::gateway
