#include "portcullis/gateway/osdp_script.hpp"

#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "portcullis/adapters/osdp_frame.hpp"
#include "portcullis/adapters/osdp_replies.hpp"
#include "portcullis/adapters/wiegand.hpp"

namespace portcullis::gateway {

namespace osdp = adapters::osdp;
namespace wiegand = adapters::wiegand;

namespace {

[[noreturn]] void bad(std::size_t line, const std::string& why) {
  throw std::invalid_argument("script line " + std::to_string(line) + ": " + why);
}

long number(std::size_t line, const std::string& text, long lo, long hi, const char* what) {
  try {
    std::size_t used = 0;
    const long v = std::stol(text, &used);
    if (used == text.size() && v >= lo && v <= hi) return v;
  } catch (const std::exception&) {
  }
  bad(line, std::string(what) + " '" + text + "' is not a number from " + std::to_string(lo) + " to " +
                std::to_string(hi));
}

}  // namespace

std::vector<std::uint8_t> encode_osdp_script(std::string_view script) {
  std::vector<std::uint8_t> out;
  std::map<std::uint8_t, std::uint8_t> sequence;
  std::istringstream lines{std::string(script)};
  std::string text;
  for (std::size_t line_no = 1; std::getline(lines, text); ++line_no) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos || text[first] == '#') continue;  // blank or comment ('#' is also a key)
    std::istringstream words{text};
    std::vector<std::string> w;
    for (std::string s; words >> s;) w.push_back(s);
    if (w.empty()) continue;

    std::optional<osdp::SecurityBlock> security = osdp::SecurityBlock{osdp::SecureBlockType::Scs16, {}};
    if (w.back() == "clear" || w.back() == "scs16" || w.back() == "scs18") {
      if (w.back() == "clear") security.reset();
      if (w.back() == "scs18") security = osdp::SecurityBlock{osdp::SecureBlockType::Scs18, {}};
      w.pop_back();
    }
    std::uint8_t reader = 0;
    std::uint8_t bio_status = 0;
    std::vector<std::string> args;
    for (const auto& s : w) {
      if (s.rfind("reader=", 0) == 0)
        reader = static_cast<std::uint8_t>(number(line_no, s.substr(7), 0, 255, "reader"));
      else if (s.rfind("status=", 0) == 0)
        bio_status = static_cast<std::uint8_t>(number(line_no, s.substr(7), 0, 255, "status"));
      else
        args.push_back(s);
    }
    if (args.size() < 2) bad(line_no, "expected a command and an address");
    const auto& cmd = args[0];
    const auto address = static_cast<std::uint8_t>(number(line_no, args[1], 0, 126, "address"));
    auto need = [&](std::size_t n) {
      if (args.size() != n) bad(line_no, cmd + " takes " + std::to_string(n - 1) + " argument(s)");
    };

    osdp::Frame frame;
    frame.address = address;
    frame.is_reply = true;
    std::optional<osdp::Reply> reply;
    if (cmd == "card") {
      need(5);
      wiegand::Format format{};
      if (args[2] == "H10301")
        format = wiegand::Format::H10301_26;
      else if (args[2] == "C1000" || args[2] == "Corporate1000")
        format = wiegand::Format::Corporate1000_35;
      else if (args[2] == "H10304")
        format = wiegand::Format::H10304_37;
      else
        bad(line_no, "unknown card format '" + args[2] + "' (H10301, C1000, H10304)");
      auto c = wiegand::encode(format,
                               static_cast<std::uint32_t>(number(line_no, args[3], 0, 0xFFFFFFF, "facility")),
                               static_cast<std::uint32_t>(number(line_no, args[4], 0, 0xFFFFFFF, "number")));
      if (!c.ok()) bad(line_no, c.error().reason);
      reply = osdp::RawCardRead{reader, 1, c->raw_bits};
    } else if (cmd == "bits") {
      need(3);
      reply = osdp::RawCardRead{reader, 1, args[2]};
    } else if (cmd == "keys") {
      need(3);
      reply = osdp::KeypadEntry{reader, args[2]};
    } else if (cmd == "status") {
      need(3);
      if (args[2] != "normal" && args[2] != "tamper" && args[2] != "power" && args[2] != "tamper+power")
        bad(line_no, "status is normal, tamper, power or tamper+power");
      reply = osdp::LocalStatus{args[2].find("tamper") != std::string::npos,
                                args[2].find("power") != std::string::npos};
    } else if (cmd == "bio") {
      need(3);
      reply = osdp::BiometricMatchResult{
          reader, bio_status, static_cast<std::uint8_t>(number(line_no, args[2], 0, 255, "score"))};
    } else if (cmd == "ack") {
      need(2);
      reply = osdp::Ack{};
    } else if (cmd == "handshake") {
      need(4);
      const auto& kind = args[2];
      const auto& key = args[3];
      std::uint8_t selector = 0;
      if (kind == "scs14") {
        if (key != "accepted" && key != "rejected") bad(line_no, "scs14 takes accepted or rejected");
        selector = key == "accepted" ? 1 : 0;
      } else {
        if (key != "default" && key != "scbk") bad(line_no, kind + " takes default or scbk");
        selector = key == "scbk" ? 1 : 0;
      }
      if (kind == "scs11")
        frame.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs11, {selector}};
      else if (kind == "scs12")
        frame.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs12, {selector}};
      else if (kind == "scs13")
        frame.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs13, {selector}};
      else if (kind == "scs14")
        frame.security = osdp::SecurityBlock{osdp::SecureBlockType::Scs14, {selector}};
      else
        bad(line_no, "handshake is scs11, scs12, scs13 or scs14");
      frame.is_reply = kind == "scs12" || kind == "scs14";
      frame.code = kind == "scs11" || kind == "scs12" ? 0x76 : (kind == "scs13" ? 0x77 : 0x78);
      frame.data.assign(16, 0x5A);
    } else {
      bad(line_no, "unknown command '" + cmd + "'");
    }
    if (reply) {
      auto payload = osdp::encode_reply(*reply);
      if (!payload.ok()) bad(line_no, payload.error().reason);
      frame.code = payload->code;
      frame.data = payload->data;
      frame.security = security;
    }
    if (frame.security && osdp::carries_mac(frame.security->type))
      frame.mac = std::array<std::uint8_t, osdp::kMacLength>{0xA1, 0xB2, 0xC3, 0xD4};
    auto& seq = sequence[address];
    seq = static_cast<std::uint8_t>(seq % 3 + 1);
    frame.sequence = seq;
    auto bytes = osdp::build_frame(frame);
    if (!bytes.ok()) bad(line_no, bytes.error().reason);
    out.push_back(osdp::kMarkByte);
    out.insert(out.end(), bytes->begin(), bytes->end());
  }
  return out;
}

}  // namespace portcullis::gateway
