#include "portcullis/sim/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <initializer_list>

#include "portcullis/util/rfc3339.hpp"

namespace portcullis::sim {
namespace {

using nlohmann::json;

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}
std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

const char* kind_of(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "value";
  }
}

// Reads the members of one object, remembering which were used so unknown ones are reported.
class Fields {
 public:
  Fields(const json& object, std::string path) : object_(object), path_(std::move(path)) {
    if (!object_.is_object())
      throw ScenarioError(path_.empty() ? "$" : path_,
                          std::string("expected an object, found ") + kind_of(object_));
  }

  bool has(const std::string& key) const { return object_.contains(key); }

  const json& required(const std::string& key) {
    allowed_.push_back(key);
    if (!object_.contains(key)) throw ScenarioError(join(path_, key), "required field is missing");
    return object_.at(key);
  }
  const json* optional(const std::string& key) {
    allowed_.push_back(key);
    return object_.contains(key) ? &object_.at(key) : nullptr;
  }

  std::string string(const std::string& key, bool required_field = true, std::size_t max_len = 256) {
    const json* v = required_field ? &required(key) : optional(key);
    if (v == nullptr) return {};
    if (!v->is_string())
      throw ScenarioError(join(path_, key), std::string("expected a string, found ") + kind_of(*v));
    auto s = v->get<std::string>();
    if (required_field && s.empty()) throw ScenarioError(join(path_, key), "must not be empty");
    if (s.size() > max_len)
      throw ScenarioError(join(path_, key), "longer than " + std::to_string(max_len) + " characters");
    return s;
  }
  std::int64_t integer(const std::string& key, std::int64_t lo, std::int64_t hi, bool required_field = true,
                       std::int64_t fallback = 0) {
    const json* v = required_field ? &required(key) : optional(key);
    if (v == nullptr) return fallback;
    if (!v->is_number_integer())
      throw ScenarioError(join(path_, key), std::string("expected an integer, found ") + kind_of(*v));
    const auto n = v->get<std::int64_t>();
    if (n < lo || n > hi) {
      throw ScenarioError(join(path_, key), "expected " + std::to_string(lo) + " to " + std::to_string(hi) +
                                                ", found " + std::to_string(n));
    }
    return n;
  }
  bool boolean(const std::string& key) {
    const json& v = required(key);
    if (!v.is_boolean())
      throw ScenarioError(join(path_, key), std::string("expected true or false, found ") + kind_of(v));
    return v.get<bool>();
  }
  std::string one_of(const std::string& key, std::initializer_list<const char*> choices,
                     bool required_field = true) {
    auto s = string(key, required_field);
    if (s.empty() && !required_field) return s;
    for (const char* c : choices) {
      if (s == c) return s;
    }
    std::string list;
    for (const char* c : choices) list += list.empty() ? std::string(c) : std::string(", ") + c;
    throw ScenarioError(join(path_, key), "expected one of " + list + ", found \"" + s + "\"");
  }

  // Every member must have been read (or be one of `also`).
  void no_others(std::initializer_list<const char*> also = {}) const {
    for (const auto& [key, value] : object_.items()) {
      if (std::find(allowed_.begin(), allowed_.end(), key) != allowed_.end()) continue;
      if (std::find_if(also.begin(), also.end(), [&](const char* a) { return key == a; }) != also.end())
        continue;
      throw ScenarioError(join(path_, key), "unknown field");
    }
  }

  const std::string& path() const { return path_; }

 private:
  const json& object_;
  std::string path_;
  std::vector<std::string> allowed_;
};

void validate_card(const json& card, const std::string& path) {
  Fields f{card, path};
  f.integer("facility", 0, 0xFFFFFFF);
  f.integer("number", 0, (std::int64_t{1} << 40) - 1);
  f.one_of("format", {"facility_number"}, false);
  f.no_others();
}

Expectation parse_expectation(Fields& step) {
  Expectation e;
  if (const json* v = step.optional("expect")) {
    const std::string path = join(step.path(), "expect");
    Fields f{*v, path};
    auto verdict = f.one_of("verdict", {"grant", "deny", "pending"}, false);
    if (!verdict.empty()) e.verdict = verdict;
    auto reason = f.string("reason", false, 64);
    if (!reason.empty()) e.reason = reason;
    auto needed = f.one_of("needed", {"badge", "pin", "biometric", "second_person"}, false);
    if (!needed.empty()) e.needed = needed;
    f.no_others({"comment"});
    if (e.empty()) throw ScenarioError(path, "an expectation needs verdict, reason or needed");
  }
  if (const json* v = step.optional("expect_alarm")) {
    const std::string path = join(step.path(), "expect_alarm");
    if (v->is_string()) {
      if (v->get<std::string>().empty()) throw ScenarioError(path, "must not be empty");
      e.alarms.push_back(v->get<std::string>());
    } else if (v->is_array()) {
      for (std::size_t i = 0; i < v->size(); ++i) {
        const json& kind = (*v)[i];
        if (!kind.is_string() || kind.get<std::string>().empty())
          throw ScenarioError(at(path, i), "expected an alarm kind");
        e.alarms.push_back(kind.get<std::string>());
      }
    } else {
      throw ScenarioError(path,
                          std::string("expected an alarm kind or a list of them, found ") + kind_of(*v));
    }
  }
  return e;
}

}  // namespace

const DeviceSpec* Scenario::device(std::string_view id) const noexcept {
  for (const auto& d : devices) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

void validate_event(const json& event, const std::string& path) {
  if (event.is_object()) {
    for (const char* assigned : {"device_id", "seq", "time"}) {
      if (event.contains(assigned))
        throw ScenarioError(join(path, assigned), "assigned by the simulator; remove it");
    }
  }
  Fields f{event, path};
  const auto type = f.one_of("type", {"credential", "pin", "biometric", "door_contact", "request_to_exit",
                                      "tamper", "heartbeat", "rfid_read", "fire_alarm", "occupancy"});
  if (type == "credential") {
    f.string("reader");
    validate_card(f.required("card"), join(path, "card"));
  } else if (type == "pin") {
    f.string("reader");
    const auto pin = f.string("pin", true, 12);
    if (pin.size() < 4 || !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw ScenarioError(join(path, "pin"), "expected 4 to 12 digits");
    }
  } else if (type == "biometric") {
    f.string("reader");
    f.string("template_id");
    f.integer("score", 0, 1'000'000);
    f.boolean("matched");
  } else if (type == "door_contact") {
    f.string("portal");
    f.one_of("state", {"open", "closed"});
  } else if (type == "request_to_exit") {
    f.string("portal");
  } else if (type == "tamper") {
    f.string("component");
    f.boolean("active");
  } else if (type == "rfid_read") {
    f.string("reader");
    f.string("epc", true, 128);
    f.integer("antenna", 0, 255, false);
    f.integer("rssi", -200, 200, false);
    f.integer("count", 1, 1'000'000, false);
  } else if (type == "fire_alarm") {
    f.string("zone", false);
    f.boolean("active");
  } else if (type == "occupancy") {
    f.string("mantrap");
    f.integer("count", 0, 1000);
  }
  f.no_others();
}

Scenario parse_scenario(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw ScenarioError("$", std::string("not valid JSON: ") + e.what());
  }
  Scenario s;
  Fields top{doc, ""};
  if (top.has("format")) {
    const auto format = top.string("format");
    if (format != "portcullis-scenario/1")
      throw ScenarioError("format", "expected \"portcullis-scenario/1\", found \"" + format + "\"");
  }
  s.name = top.string("name", false);
  s.description = top.string("description", false, 4096);
  s.loop_gap_ms = top.integer("loop_gap_ms", 0, 3'600'000, false, s.loop_gap_ms);

  const json& devices = top.required("devices");
  if (!devices.is_array() || devices.empty())
    throw ScenarioError("devices", "expected a non-empty array of devices");
  for (std::size_t i = 0; i < devices.size(); ++i) {
    Fields f{devices[i], at("devices", i)};
    DeviceSpec d;
    d.id = f.string("id", true, 128);
    d.token_file = f.string("token_file", false, 1024);
    d.token_env = f.string("token_env", false, 128);
    f.no_others({"comment", "kind"});
    if (s.device(d.id) != nullptr)
      throw ScenarioError(at("devices", i) + ".id", "device \"" + d.id + "\" is listed twice");
    s.devices.push_back(std::move(d));
  }

  const json& steps = top.required("steps");
  if (!steps.is_array() || steps.empty()) throw ScenarioError("steps", "expected a non-empty array of steps");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Fields f{steps[i], at("steps", i)};
    Step step;
    step.index = i;
    step.at_ms = f.integer("at_ms", 0, std::int64_t{1} << 40);
    step.device = f.string("device", true, 128);
    if (s.device(step.device) == nullptr) {
      throw ScenarioError(f.path() + ".device", "device \"" + step.device + "\" is not in \"devices\"");
    }
    step.event = f.required("event");
    validate_event(step.event, f.path() + ".event");
    step.expect = parse_expectation(f);
    step.note = f.string("note", false, 1024);
    f.no_others();
    s.steps.push_back(std::move(step));
  }
  top.no_others({"comment"});
  return s;
}

std::vector<TimelineEntry> build_timeline(const Scenario& scenario) {
  std::vector<TimelineEntry> out;
  out.reserve(scenario.steps.size());
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) out.push_back({scenario.steps[i].at_ms, i});
  std::stable_sort(out.begin(), out.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at_ms < b.at_ms; });
  return out;
}

std::int64_t round_length_ms(const Scenario& scenario) {
  std::int64_t last = 0;
  for (const auto& s : scenario.steps) last = std::max(last, s.at_ms);
  return last + scenario.loop_gap_ms;
}

std::chrono::microseconds due_offset(std::int64_t at_ms, std::int64_t round, std::int64_t round_ms,
                                     double speed) {
  if (!(speed > 0)) throw std::invalid_argument("speed must be positive");
  const double ms = static_cast<double>(round * round_ms + at_ms) / speed;
  return std::chrono::microseconds{static_cast<std::int64_t>(std::llround(ms * 1000.0))};
}

std::string format_time(std::chrono::system_clock::time_point t) {
  return util::format_rfc3339(std::chrono::floor<std::chrono::microseconds>(t), util::SecondFraction::Millis);
}

std::string event_body(const std::string& device_id, std::int64_t seq,
                       std::chrono::system_clock::time_point time, const json& event) {
  json body = event;
  body["device_id"] = device_id;
  body["seq"] = seq;
  body["time"] = format_time(time);
  return body.dump();
}

std::string describe_event(const json& event) {
  std::string s = event.value("type", std::string{"?"});
  for (const char* key : {"reader", "portal", "mantrap", "component", "zone", "epc"}) {
    if (event.contains(key) && event[key].is_string()) s += " " + event[key].get<std::string>();
  }
  if (event.contains("card") && event["card"].is_object()) {
    s += " card " + event["card"].value("facility", json{}).dump() + "/" +
         event["card"].value("number", json{}).dump();
  }
  if (event.contains("template_id"))
    s += " " + event["template_id"].get<std::string>() +
         (event.value("matched", false) ? " matched" : " no-match");
  if (event.contains("state")) s += " " + event["state"].get<std::string>();
  if (event.contains("count")) s += " count=" + event["count"].dump();
  if (event.contains("active")) s += event["active"].get<bool>() ? " active" : " cleared";
  if (event.contains("pin")) s += " pin ****";
  return s;
}

namespace {
std::string field_text(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key)) return "(none)";
  const json& v = object[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}
}  // namespace

std::vector<std::string> check_outcome(const Expectation& expect, const json& outcome) {
  std::vector<std::string> problems;
  const json* decision =
      (outcome.is_object() && outcome.contains("decision")) ? &outcome["decision"] : nullptr;
  const bool has_decision = decision != nullptr && decision->is_object();
  auto compare = [&](const std::optional<std::string>& wanted, const char* key) {
    if (!wanted) return;
    if (!has_decision) {
      problems.push_back(std::string("expected ") + key + " " + *wanted + ", got no decision");
      return;
    }
    const auto got = field_text(*decision, key);
    if (got != *wanted) problems.push_back(std::string("expected ") + key + " " + *wanted + ", got " + got);
  };
  compare(expect.verdict, "verdict");
  compare(expect.reason, "reason");
  compare(expect.needed, "needed");
  for (const auto& kind : expect.alarms) {
    bool found = false;
    if (outcome.is_object() && outcome.contains("alarms") && outcome["alarms"].is_array()) {
      for (const auto& alarm : outcome["alarms"]) {
        if (alarm.is_object() && alarm.value("kind", std::string{}) == kind) found = true;
      }
    }
    if (!found) problems.push_back("expected alarm " + kind + ", not raised");
  }
  return problems;
}

std::string summarize_outcome(const json& outcome) {
  std::string s = "-";
  if (outcome.is_object() && outcome.contains("decision") && outcome["decision"].is_object()) {
    const json& d = outcome["decision"];
    s = field_text(d, "verdict") + "/" + field_text(d, "reason");
    if (d.contains("needed") && d["needed"].is_string()) s += " needs " + d["needed"].get<std::string>();
  }
  if (outcome.is_object() && outcome.contains("alarms") && outcome["alarms"].is_array()) {
    for (const auto& a : outcome["alarms"])
      s += " +alarm:" + (a.is_object() ? a.value("kind", std::string{"?"}) : std::string{"?"});
  }
  return s;
}

}  // namespace portcullis::sim
