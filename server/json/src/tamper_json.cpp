#include "portcullis/json/tamper_json.hpp"

#include <nlohmann/json.hpp>

namespace portcullis::json {

std::string tamper_finding_json(const TamperFinding& finding) {
  nlohmann::json j;
  j["check"] = finding.check;
  j["detail"] = finding.detail;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<TamperFinding> tamper_finding_from_json(std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    return TamperFinding{j.at("check").get<std::string>(), j.at("detail").get<std::string>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace portcullis::json
