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

ControlPanelConfig parse_control_panel(const json& cp) {
  if (!cp.is_object()) throw std::invalid_argument("control_panel: expected an object");
  for (const auto& [key, value] : cp.items()) {
    if (key != "transport" && key != "baud" && key != "reply_timeout_ms" && key != "pds")
      throw std::invalid_argument("control_panel: unknown field '" + key +
                                  "' (expected transport, baud, reply_timeout_ms, pds)");
  }
  ControlPanelConfig c;
  if (!cp.contains("transport") || !cp["transport"].is_string())
    throw std::invalid_argument("control_panel.transport: expected \"serial:PATH\" or \"tcp:HOST:PORT\"");
  c.transport = cp["transport"].get<std::string>();
  if ((c.transport.rfind("serial:", 0) != 0 || c.transport.size() == 7) &&
      (c.transport.rfind("tcp:", 0) != 0 || c.transport.size() == 4))
    throw std::invalid_argument("control_panel.transport: expected \"serial:PATH\" or \"tcp:HOST:PORT\"");
  if (cp.contains("baud")) c.baud = static_cast<unsigned>(integer(cp, "baud", 1200, 230400));
  if (cp.contains("reply_timeout_ms"))
    c.reply_timeout = std::chrono::milliseconds{integer(cp, "reply_timeout_ms", 20, 5000)};
  if (!cp.contains("pds") || !cp["pds"].is_object() || cp["pds"].empty())
    throw std::invalid_argument("control_panel.pds: expected an object of OSDP addresses to poll");
  for (const auto& [key, pd] : cp["pds"].items()) {
    const auto field = "control_panel.pds." + key;
    if (key.empty() || key.size() > 3 || key.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(key) > 126)
      throw std::invalid_argument(field + ": the key is an OSDP address 0-126");
    if (!pd.is_object()) throw std::invalid_argument(field + ": expected an object with scbk");
    for (const auto& [k, v] : pd.items()) {
      if (k != "scbk" && k != "install_mode")
        throw std::invalid_argument(field + ": unknown field '" + k + "' (expected scbk, install_mode)");
    }
    PeripheralKey entry;
    // The key itself never appears in an error: only what is wrong with it.
    if (!pd.contains("scbk") || !pd["scbk"].is_string())
      throw std::invalid_argument(field + ".scbk: expected the PD's Secure Channel base key, 32 hex digits");
    const auto key_bytes = adapters::osdp::sc::parse_key_hex(pd["scbk"].get<std::string>());
    if (!key_bytes.ok()) throw std::invalid_argument(field + ".scbk: " + key_bytes.error().reason);
    if (*key_bytes == adapters::osdp::sc::kDefaultScbk)
      throw std::invalid_argument(field +
                                  ".scbk: is the public default key SCBK-D; give the PD its own key "
                                  "(install_mode sets it)");
    entry.scbk = *key_bytes;
    if (pd.contains("install_mode")) {
      if (!pd["install_mode"].is_boolean())
        throw std::invalid_argument(field + ".install_mode: expected true or false");
      entry.install_mode = pd["install_mode"].get<bool>();
    }
    c.pds.emplace(static_cast<std::uint8_t>(std::stoi(key)), entry);
  }
  return c;
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
        key != "biometric_threshold" && key != "biometric_template_id" && key != "control_panel")
      throw std::invalid_argument("unknown field '" + key +
                                  "' (expected readers, pin_max_digits, pin_timeout_seconds, "
                                  "biometric_threshold, biometric_template_id, control_panel)");
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
  if (root.contains("control_panel")) c.control_panel = parse_control_panel(root["control_panel"]);
  return c;
}

}  // namespace portcullis::gateway
