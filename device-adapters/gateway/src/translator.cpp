#include "portcullis/gateway/translator.hpp"

#include <type_traits>
#include <variant>

#include "portcullis/adapters/wiegand.hpp"

namespace portcullis::gateway {

namespace osdp = adapters::osdp;
namespace wiegand = adapters::wiegand;
using nlohmann::json;

namespace {

json event(const char* type, WallTime now) {
  return json{{"type", type}, {"time", format_rfc3339(now)}};
}

std::string where(std::uint8_t address, std::uint8_t reader) {
  return "OSDP address " + std::to_string(address) + " reader " + std::to_string(reader);
}

}  // namespace

Translator::Translator(GatewayConfig config) : config_(std::move(config)) {}

Output Translator::on_frame(const osdp::Frame& frame, WallTime now) {
  if (!frame.is_reply) return {};  // commands from the CP on a tapped bus carry nothing to report
  auto reply = osdp::decode_reply(frame);
  if (!reply.ok()) {
    const auto& e = reply.error();
    if (e.code == adapters::ErrorCode::UnsupportedReply)
      return {};  // osdp_PDID, osdp_COM...: nothing to send
    Output out;
    if (e.code == adapters::ErrorCode::EncryptedPayload) {
      out.notices.push_back(std::string(osdp::reply_name(frame.code)) + " from OSDP address " +
                            std::to_string(frame.address) +
                            " is encrypted (SCS_18); this gateway holds no session key and cannot read it");
    } else {
      out.notices.push_back("unreadable " + std::string(osdp::reply_name(frame.code)) +
                            " from OSDP address " + std::to_string(frame.address) + ": " +
                            std::string(adapters::to_string(e.code)) + ": " + e.reason);
    }
    return out;
  }
  return translate(frame.address, reply.value(), now);
}

Output Translator::translate(std::uint8_t address, const osdp::Reply& reply, WallTime now) {
  return std::visit(
      [&](const auto& r) -> Output {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, osdp::RawCardRead>) {
          return on_card(address, r, now);
        } else if constexpr (std::is_same_v<T, osdp::KeypadEntry>) {
          return on_keys(address, r, now);
        } else if constexpr (std::is_same_v<T, osdp::LocalStatus>) {
          return on_status(address, r, now);
        } else if constexpr (std::is_same_v<T, osdp::BiometricMatchResult>) {
          return on_biometric(address, r, now);
        } else if constexpr (std::is_same_v<T, osdp::Nak>) {
          Output out;
          out.notices.push_back("osdp_NAK from OSDP address " + std::to_string(address) + ": " +
                                std::string(osdp::nak_error_name(r.error_code)));
          return out;
        } else {
          return {};  // osdp_ACK
        }
      },
      reply);
}

Output Translator::on_card(std::uint8_t address, const osdp::RawCardRead& read, WallTime now) {
  Output out;
  const auto reader = config_.reader_for(address, read.reader);
  if (!reader) {
    out.notices.push_back("card read from unmapped " + where(address, read.reader) + " ignored");
    return out;
  }
  if (read.format_code != static_cast<std::uint8_t>(osdp::RawCardFormat::Wiegand) &&
      read.format_code != static_cast<std::uint8_t>(osdp::RawCardFormat::Unspecified)) {
    out.notices.push_back("card read on " + *reader + " in OSDP format code " +
                          std::to_string(read.format_code) + " ignored (only raw Wiegand bits are decoded)");
    return out;
  }
  auto credential = wiegand::decode(read.bits);
  if (!credential.ok()) {
    out.notices.push_back("card read on " + *reader +
                          " refused: " + std::string(adapters::to_string(credential.error().code)) + ": " +
                          credential.error().reason);
    return out;
  }
  auto e = event("credential", now);
  e["reader"] = *reader;
  e["card"] = json{{"facility", credential->facility}, {"number", credential->card_number}};
  out.events.push_back(std::move(e));
  return out;
}

Output Translator::on_keys(std::uint8_t address, const osdp::KeypadEntry& keys, WallTime now) {
  Output out;
  const auto reader = config_.reader_for(address, keys.reader);
  if (!reader) {
    out.notices.push_back("keypad entry from unmapped " + where(address, keys.reader) + " ignored");
    return out;
  }
  const auto key = std::pair{address, keys.reader};
  auto it = pins_.find(key);
  if (it != pins_.end() && now - it->second.last_key > config_.pin_timeout) {
    out.notices.push_back("unfinished PIN entry on " + *reader + " timed out and was discarded");
    pins_.erase(it);
    it = pins_.end();
  }
  if (it == pins_.end()) it = pins_.emplace(key, PinEntry{}).first;
  auto& entry = it->second;
  entry.last_key = now;
  auto send = [&] {
    auto e = event("pin", now);
    e["reader"] = *reader;
    e["pin"] = entry.digits;
    out.events.push_back(std::move(e));
    entry.digits.clear();
  };
  for (const char c : keys.digits) {
    if (c >= '0' && c <= '9') {
      entry.digits.push_back(c);
      if (entry.digits.size() >= config_.pin_max_digits) send();
    } else if (c == '#') {
      if (entry.digits.size() >= 4) {
        send();
      } else {
        out.notices.push_back("PIN entry of " + std::to_string(entry.digits.size()) + " digit(s) on " +
                              *reader + " discarded (at least 4 needed)");
        entry.digits.clear();
      }
    } else if (c == '*') {
      entry.digits.clear();
    } else {
      out.notices.push_back(std::string("function key '") + c + "' on " + *reader + " ignored");
    }
  }
  if (entry.digits.empty()) pins_.erase(it);
  return out;
}

Output Translator::on_status(std::uint8_t address, const osdp::LocalStatus& status, WallTime now) {
  Output out;
  auto [it, first] = status_.try_emplace(address);
  auto& known = it->second;
  const auto name = config_.pd_name(address);
  if (status.tamper != known.tamper) {
    auto e = event("tamper", now);
    e["component"] = name;
    e["active"] = status.tamper;
    out.events.push_back(std::move(e));
  }
  if (status.power_failure != known.power_failure) {
    auto e = event("tamper", now);
    e["component"] = name + ":power";
    e["active"] = status.power_failure;
    out.events.push_back(std::move(e));
  }
  (void)first;  // a first report equal to the assumed normal state sends nothing
  known.tamper = status.tamper;
  known.power_failure = status.power_failure;
  return out;
}

Output Translator::on_biometric(std::uint8_t address, const osdp::BiometricMatchResult& match, WallTime now) {
  Output out;
  const auto reader = config_.reader_for(address, match.reader);
  if (!reader) {
    out.notices.push_back("biometric result from unmapped " + where(address, match.reader) + " ignored");
    return out;
  }
  if (match.status != static_cast<std::uint8_t>(osdp::BiometricStatus::Success)) {
    out.notices.push_back("biometric read on " + *reader + " did not complete (status " +
                          std::to_string(match.status) + ")");
    return out;
  }
  auto e = event("biometric", now);
  e["reader"] = *reader;
  e["template_id"] = config_.biometric_template_id;
  e["score"] = match.score;
  e["matched"] = match.score >= config_.biometric_threshold;
  out.events.push_back(std::move(e));
  return out;
}

Output Translator::expire(WallTime now) {
  Output out;
  for (auto it = pins_.begin(); it != pins_.end();) {
    if (now - it->second.last_key > config_.pin_timeout) {
      const auto reader = config_.reader_for(it->first.first, it->first.second);
      out.notices.push_back("unfinished PIN entry on " + reader.value_or("?") +
                            " timed out and was discarded");
      it = pins_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

}  // namespace portcullis::gateway
