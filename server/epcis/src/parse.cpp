// EPCIS 2.0 JSON / JSON-LD capture parsing. See capture.hpp for the contract and docs/epcis.md for
// the accepted fields. Every refusal names the field; nlohmann exceptions stop at this file's edge.
#include <algorithm>
#include <cctype>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "detail.hpp"
#include "portcullis/epcis/capture.hpp"
#include "portcullis/json/strict_json.hpp"
#include "time_text.hpp"

namespace portcullis::epcis {

std::string_view to_string(EventType type) noexcept {
  switch (type) {
    case EventType::ObjectEvent: return "ObjectEvent";
    case EventType::AggregationEvent: return "AggregationEvent";
    case EventType::TransactionEvent: return "TransactionEvent";
    case EventType::TransformationEvent: return "TransformationEvent";
    case EventType::AssociationEvent: return "AssociationEvent";
  }
  return "?";
}

std::string_view to_string(Action action) noexcept {
  switch (action) {
    case Action::Add: return "ADD";
    case Action::Observe: return "OBSERVE";
    case Action::Delete: return "DELETE";
  }
  return "?";
}

namespace {

using json = nlohmann::json;
// JSON-LD prefix -> IRI, from the document's and the event's @context.
using Prefixes = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kEventTypesText =
    "ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent";
constexpr std::string_view kVocabularyIlmd = "assetTag, serial, model, kind, homeRack, holdsModelWeights";
constexpr std::string_view kVocabularyEvent = "witnesses, destructionMethod, certificateSha256";
constexpr std::size_t kMaxFreeText = 256;  // model, destructionMethod (also bounded by max_string_bytes)

std::string join(std::string_view base, std::string_view field) {
  // An empty key is a legal JSON key: name it [""] so no path is ever blank.
  if (field.empty()) return std::string(base.empty() ? "$" : base) + "[\"\"]";
  if (base.empty() || base == "$") return std::string(field);
  std::string out;
  out.reserve(base.size() + 1 + field.size());
  out.append(base);
  if (!field.starts_with('[')) out.push_back('.');
  out.append(field);
  return out;
}

std::string indexed(std::string_view base, std::size_t i) {
  return join(base, "[" + std::to_string(i) + "]");
}

// A value quoted into a message: bounded so an error never echoes a megabyte back.
std::string quote_value(std::string_view value) {
  constexpr std::size_t kMax = 64;
  std::string out = "'";
  if (value.size() <= kMax) {
    out.append(value);
  } else {
    out.append(value.substr(0, kMax));
    out.append("...");
  }
  out.push_back('\'');
  return out;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// scheme ":" rest, RFC 3986 scheme syntax, nothing blank.
bool looks_like_uri(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= s.size()) return false;
  if (std::isalpha(static_cast<unsigned char>(s[0])) == 0) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c) == 0 && c != '+' && c != '-' && c != '.') return false;
  }
  return s.find(' ') == std::string_view::npos;
}

std::optional<EventType> event_type_from(std::string_view s) {
  if (s == "ObjectEvent") return EventType::ObjectEvent;
  if (s == "AggregationEvent") return EventType::AggregationEvent;
  if (s == "TransactionEvent") return EventType::TransactionEvent;
  if (s == "TransformationEvent") return EventType::TransformationEvent;
  if (s == "AssociationEvent") return EventType::AssociationEvent;
  return std::nullopt;
}

// How a standard field we do not keep is still checked for shape.
enum class Shape { Kept, Uri, UriList, Object, ObjectList, Text, DateTime, Refused };

struct FieldRule {
  std::string_view name;
  Shape shape;
};

// EPCIS 2.0 section 7.4 fields per event type (JSON names). "Kept" fields are read explicitly.
constexpr FieldRule kCommonFields[] = {
    {"eventID", Shape::Kept},
    {"type", Shape::Kept},
    {"eventTime", Shape::Kept},
    {"eventTimeZoneOffset", Shape::Kept},
    {"recordTime", Shape::DateTime},  // set by the repository; a capturer's value is ignored
    {"certificationInfo", Shape::Text},
    {"errorDeclaration", Shape::Refused},
    {"readPoint", Shape::Kept},
    {"bizLocation", Shape::Kept},
    {"bizStep", Shape::Kept},
    {"disposition", Shape::Kept},
    {"persistentDisposition", Shape::Object},
    {"bizTransactionList", Shape::ObjectList},
    {"sourceList", Shape::ObjectList},
    {"destinationList", Shape::ObjectList},
    {"sensorElementList", Shape::ObjectList},
};
constexpr FieldRule kObjectFields[] = {{"action", Shape::Kept},
                                       {"epcList", Shape::Kept},
                                       {"quantityList", Shape::ObjectList},
                                       {"ilmd", Shape::Kept}};
constexpr FieldRule kAggregationFields[] = {{"action", Shape::Kept},
                                            {"parentID", Shape::Uri},
                                            {"childEPCs", Shape::UriList},
                                            {"childQuantityList", Shape::ObjectList}};
constexpr FieldRule kTransactionFields[] = {{"action", Shape::Kept},
                                            {"parentID", Shape::Uri},
                                            {"epcList", Shape::UriList},
                                            {"quantityList", Shape::ObjectList}};
constexpr FieldRule kTransformationFields[] = {
    {"inputEPCList", Shape::UriList},  {"inputQuantityList", Shape::ObjectList},
    {"outputEPCList", Shape::UriList}, {"outputQuantityList", Shape::ObjectList},
    {"transformationID", Shape::Uri},  {"ilmd", Shape::Kept}};
constexpr FieldRule kAssociationFields[] = {{"action", Shape::Kept},
                                            {"parentID", Shape::Uri},
                                            {"childEPCs", Shape::UriList},
                                            {"childQuantityList", Shape::ObjectList}};

template <std::size_t N>
std::optional<Shape> find_rule(const FieldRule (&rules)[N], std::string_view key) {
  for (const auto& r : rules) {
    if (r.name == key) return r.shape;
  }
  return std::nullopt;
}

std::optional<Shape> rule_for(EventType type, std::string_view key) {
  if (auto s = find_rule(kCommonFields, key)) return s;
  switch (type) {
    case EventType::ObjectEvent: return find_rule(kObjectFields, key);
    case EventType::AggregationEvent: return find_rule(kAggregationFields, key);
    case EventType::TransactionEvent: return find_rule(kTransactionFields, key);
    case EventType::TransformationEvent: return find_rule(kTransformationFields, key);
    case EventType::AssociationEvent: return find_rule(kAssociationFields, key);
  }
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(const Limits& limits) : limits_(limits) {}

  void fail(std::string path, std::string message) {
    if (errors_.size() < limits_.max_errors) {
      errors_.push_back(FieldError{std::move(path), std::move(message)});
    } else {
      ++unlisted_;
    }
  }
  [[nodiscard]] std::size_t error_count() const { return errors_.size() + unlisted_; }
  [[nodiscard]] bool failed() const { return error_count() != 0; }

  FieldErrors take_errors() {
    if (unlisted_ != 0) fail_unlisted();
    return std::move(errors_);
  }

  std::optional<json> parse_json(std::string_view body) {
    if (body.size() > limits_.max_body_bytes) {
      fail("$", "body larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
      return std::nullopt;
    }
    // The server's one strict parser: nesting bounded while parsing, a key given twice or a number beyond
    // a double refused with its path.
    auto parsed = ::portcullis::json::parse_strict(body, limits_.max_depth);
    if (auto* refused = std::get_if<::portcullis::json::FieldError>(&parsed)) {
      fail(refused->field, refused->message);
      return std::nullopt;
    }
    return std::move(std::get<json>(parsed));
  }

  // @context: a string, an object of prefix bindings, or an array of those.
  void read_context(const json& ctx, const std::string& path, Prefixes& prefixes, bool* has_epcis_context) {
    const auto one = [&](const json& item, const std::string& item_path) {
      if (item.is_string()) {
        const auto& s = item.get_ref<const std::string&>();
        if (s.find("epcis-context.jsonld") != std::string::npos && has_epcis_context != nullptr) {
          *has_epcis_context = true;
        }
        return;
      }
      if (!item.is_object()) {
        fail(item_path, "expected a context URL or an object of prefix bindings");
        return;
      }
      for (const auto& [prefix, iri] : item.items()) {
        // Only plain string bindings matter to us; expanded term definitions are left to JSON-LD tools.
        if (iri.is_string() && iri.get_ref<const std::string&>().size() <= limits_.max_string_bytes) {
          prefixes[prefix] = iri.get<std::string>();
        }
      }
    };
    if (ctx.is_array()) {
      for (std::size_t i = 0; i < ctx.size(); ++i) one(ctx[i], indexed(path, i));
    } else {
      one(ctx, path);
    }
  }

  std::optional<CaptureEvent> read_event(const json& e, const std::string& path, std::size_t index,
                                         Prefixes prefixes) {
    if (!e.is_object()) {
      fail(path, "expected an event object");
      return std::nullopt;
    }
    const std::size_t errors_before = error_count();
    CaptureEvent ev;
    ev.path = path;
    ev.index = index;
    if (const auto c = e.find("@context"); c != e.end())
      read_context(*c, join(path, "@context"), prefixes, nullptr);

    // type first: which fields are allowed depends on it.
    const auto t = e.find("type");
    if (t == e.end()) {
      fail(join(path, "type"), "required: " + std::string(kEventTypesText));
      return std::nullopt;
    }
    const auto type = t->is_string() ? event_type_from(t->get_ref<const std::string&>()) : std::nullopt;
    if (!type) {
      fail(join(path, "type"), "must be " + std::string(kEventTypesText));
      return std::nullopt;
    }
    ev.type = *type;

    read_event_id(e, path, ev);
    read_times(e, path, ev);
    read_action(e, path, ev);
    ev.biz_step = read_cbv(e, path, "bizStep", cbv_biz_step);
    ev.disposition = read_cbv(e, path, "disposition", cbv_disposition);
    ev.read_point = read_location(e, path, "readPoint");
    ev.biz_location = read_location(e, path, "bizLocation");
    if (ev.type == EventType::ObjectEvent) {
      if (const auto l = e.find("epcList"); l != e.end())
        ev.epc_list = read_uri_list(*l, join(path, "epcList"));
      ev.has_quantity_list = e.contains("quantityList");
    }

    // Every other key: a standard field of this type (shape-checked), one of ours, or another
    // vocabulary's extension (ignored, as EPCIS requires).
    for (const auto& [key, value] : e.items()) {
      const std::string key_path = join(path, key);
      if (key == "@context") continue;
      if (key.find(':') != std::string::npos) {
        if (const auto local = ours(key, prefixes)) read_event_extension(*local, value, key_path, ev);
        continue;
      }
      const auto shape = rule_for(ev.type, key);
      if (!shape) {
        fail(key_path, "unknown field for " + std::string(to_string(ev.type)) +
                           " (extension fields need a namespace prefix declared in @context, e.g. "
                           "\"example:field\")");
        continue;
      }
      if (*shape == Shape::Kept && key == "ilmd") {
        read_ilmd(value, key_path, prefixes, ev);
        continue;
      }
      check_shape(*shape, value, key_path);
    }

    // Standard-required fields per type (EPCIS 2.0 JSON schema).
    if (ev.type == EventType::TransactionEvent && !e.contains("bizTransactionList")) {
      fail(join(path, "bizTransactionList"), "required for TransactionEvent");
    }
    if (ev.type == EventType::AssociationEvent && !e.contains("parentID")) {
      fail(join(path, "parentID"), "required for AssociationEvent");
    }
    if (ev.epc_list.size() != 1) {
      if (!ev.ilmd.asset_tag.empty()) {
        fail(join(path, "ilmd." + ilmd_keys_["assetTag"]), "only allowed when epcList has exactly one EPC");
      }
      if (!ev.ilmd.serial.empty()) {
        fail(join(path, "ilmd." + ilmd_keys_["serial"]), "only allowed when epcList has exactly one EPC");
      }
    }
    ilmd_keys_.clear();
    if (error_count() != errors_before) return std::nullopt;
    return ev;
  }

 private:
  void fail_unlisted() {
    errors_.push_back(FieldError{"$", std::to_string(unlisted_) + " more errors not listed"});
    unlisted_ = 0;
  }

  // Key is ours when its prefix is bound to our namespace, or is "portcullis" and not bound to
  // anything else, or it is a full IRI in our namespace. Returns the local name.
  static std::optional<std::string> ours(const std::string& key, const Prefixes& prefixes) {
    if (key.starts_with(kPortcullisNamespace)) return key.substr(kPortcullisNamespace.size());
    const auto colon = key.find(':');
    const std::string_view prefix = std::string_view(key).substr(0, colon);
    const auto bound = prefixes.find(prefix);
    if (bound != prefixes.end()) {
      if (bound->second == kPortcullisNamespace) return key.substr(colon + 1);
      return std::nullopt;
    }
    if (prefix == "portcullis") return key.substr(colon + 1);
    return std::nullopt;
  }

  // A string that is an identifier: present, non-empty, bounded, no control characters or spaces.
  std::optional<std::string> identifier(const json& v, const std::string& path) {
    if (!v.is_string()) {
      fail(path, "expected a string");
      return std::nullopt;
    }
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) {
      fail(path, "must not be empty");
    } else if (s.size() > limits_.max_string_bytes) {
      fail(path, "longer than " + std::to_string(limits_.max_string_bytes) + " bytes");
    } else if (has_control(s) || s.find(' ') != std::string::npos) {
      fail(path, "must not contain spaces or control characters");
    } else {
      return s;
    }
    return std::nullopt;
  }

  std::optional<std::string> uri(const json& v, const std::string& path) {
    auto s = identifier(v, path);
    if (s && !looks_like_uri(*s)) {
      fail(path, "expected a URI (scheme:...), got " + quote_value(*s));
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::string> free_text(const json& v, const std::string& path) {
    if (!v.is_string()) {
      fail(path, "expected a string");
      return std::nullopt;
    }
    const auto& s = v.get_ref<const std::string&>();
    const std::size_t max = std::min(kMaxFreeText, limits_.max_string_bytes);
    if (s.empty()) {
      fail(path, "must not be empty");
    } else if (s.size() > max) {
      fail(path, "longer than " + std::to_string(max) + " bytes");
    } else if (has_control(s)) {
      fail(path, "must not contain control characters");
    } else {
      return s;
    }
    return std::nullopt;
  }

  void read_event_id(const json& e, const std::string& path, CaptureEvent& ev) {
    const auto it = e.find("eventID");
    const std::string p = join(path, "eventID");
    if (it == e.end()) {
      fail(p,
           "required: Portcullis keeps eventID for idempotency (a URI such as urn:uuid:... or the CBV 2.0 "
           "hash ID ni:///sha-256;...)");
      return;
    }
    if (auto id = uri(*it, p)) ev.event_id = std::move(*id);
  }

  void read_times(const json& e, const std::string& path, CaptureEvent& ev) {
    const std::string time_path = join(path, "eventTime");
    if (const auto it = e.find("eventTime"); it == e.end()) {
      fail(time_path, "required (e.g. \"2026-11-27T10:00:00.000+01:00\")");
    } else if (!it->is_string()) {
      fail(time_path, "expected a date-time string");
    } else if (const auto t = detail::parse_date_time(it->get_ref<const std::string&>())) {
      ev.event_time = *t;
      ev.event_time_text = it->get<std::string>();
    } else {
      fail(time_path,
           "expected an RFC 3339 date-time with an offset, e.g. \"2026-11-27T10:00:00.000+01:00\", got " +
               quote_value(it->get_ref<const std::string&>()));
    }
    const std::string offset_path = join(path, "eventTimeZoneOffset");
    if (const auto it = e.find("eventTimeZoneOffset"); it == e.end()) {
      fail(offset_path, "required (e.g. \"+01:00\")");
    } else if (!it->is_string() || !detail::valid_time_zone_offset(it->get_ref<const std::string&>())) {
      fail(offset_path, "expected an offset from -14:00 to +14:00 such as \"+01:00\"");
    } else {
      ev.event_time_zone_offset = it->get<std::string>();
    }
  }

  void read_action(const json& e, const std::string& path, CaptureEvent& ev) {
    const std::string p = join(path, "action");
    const auto it = e.find("action");
    if (ev.type == EventType::TransformationEvent) return;  // no action; a stray one is an unknown field
    if (it == e.end()) {
      fail(p, "required for " + std::string(to_string(ev.type)) + ": ADD, OBSERVE or DELETE");
      return;
    }
    const std::string s = it->is_string() ? it->get<std::string>() : std::string{};
    if (s == "ADD") {
      ev.action = Action::Add;
    } else if (s == "OBSERVE") {
      ev.action = Action::Observe;
    } else if (s == "DELETE") {
      ev.action = Action::Delete;
    } else {
      fail(p, "must be ADD, OBSERVE or DELETE");
    }
  }

  template <class Normalise>
  std::string read_cbv(const json& e, const std::string& path, const char* field, Normalise normalise) {
    const auto it = e.find(field);
    if (it == e.end()) return {};
    const std::string p = join(path, field);
    const auto s = identifier(*it, p);
    if (!s) return {};
    if (auto bare = normalise(*s)) return std::move(*bare);
    if (detail::in_cbv_namespace(*s) || !looks_like_uri(*s)) {
      fail(p,
           "not a CBV 2.0 " + std::string(field) + ": " + quote_value(*s) +
               " (use a CBV name such as \"commissioning\", its URN or https://ref.gs1.org/cbv/ form, or a "
               "URI of your own vocabulary)");
      return {};
    }
    return std::move(*s);  // a custom vocabulary value, kept as sent
  }

  std::string read_location(const json& e, const std::string& path, const char* field) {
    const auto it = e.find(field);
    if (it == e.end()) return {};
    const std::string p = join(path, field);
    if (!it->is_object()) {
      fail(p, "expected an object with an \"id\"");
      return {};
    }
    const auto id = it->find("id");
    if (id == it->end()) {
      fail(join(p, "id"), "required");
      return {};
    }
    auto s = identifier(*id, join(p, "id"));
    return s ? std::move(*s) : std::string{};
  }

  std::vector<std::string> read_uri_list(const json& list, const std::string& path) {
    std::vector<std::string> out;
    if (!list.is_array()) {
      fail(path, "expected an array of EPC URIs");
      return out;
    }
    if (list.size() > limits_.max_epcs_per_event) {
      fail(path, "more than " + std::to_string(limits_.max_epcs_per_event) + " EPCs");
      return out;
    }
    out.reserve(list.size());
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = indexed(path, i);
      if (auto epc = uri(list[i], p)) out.push_back(std::move(*epc));
    }
    if (out.size() == list.size()) {
      for (std::size_t i = 0; i < out.size(); ++i) {
        const auto [at, inserted] = seen.emplace(out[i], i);
        if (!inserted) fail(indexed(path, i), "duplicate of " + indexed(path, at->second));
      }
    }
    return out;
  }

  void check_shape(Shape shape, const json& v, const std::string& path) {
    switch (shape) {
      case Shape::Kept: return;
      case Shape::Uri: (void)uri(v, path); return;
      case Shape::UriList: (void)read_uri_list(v, path); return;
      case Shape::Object:
        if (!v.is_object()) fail(path, "expected an object");
        return;
      case Shape::ObjectList:
        if (!v.is_array()) {
          fail(path, "expected an array of objects");
          return;
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (!v[i].is_object()) fail(indexed(path, i), "expected an object");
        }
        return;
      case Shape::Text:
        if (!v.is_string() || v.get_ref<const std::string&>().size() > limits_.max_string_bytes) {
          fail(path, "expected a string of at most " + std::to_string(limits_.max_string_bytes) + " bytes");
        }
        return;
      case Shape::DateTime:
        if (!v.is_string() || !detail::parse_date_time(v.get_ref<const std::string&>())) {
          fail(path, "expected an RFC 3339 date-time with an offset");
        }
        return;
      case Shape::Refused:
        fail(path,
             "not supported: Portcullis does not retract captured events through EPCIS; corrections go "
             "through "
             "the operator API");
        return;
    }
  }

  void read_ilmd(const json& v, const std::string& path, const Prefixes& prefixes, CaptureEvent& ev) {
    if (!v.is_object()) {
      fail(path, "expected an object");
      return;
    }
    for (const auto& [key, value] : v.items()) {
      const std::string p = join(path, key);
      if (key.find(':') == std::string::npos) {
        fail(p, "ilmd fields need a namespace prefix declared in @context (e.g. \"portcullis:serial\")");
        continue;
      }
      const auto local = ours(key, prefixes);
      if (!local) continue;  // another vocabulary's master data
      if (*local == "assetTag") {
        if (auto s = identifier(value, p)) ev.ilmd.asset_tag = std::move(*s);
        ilmd_keys_["assetTag"] = key;
      } else if (*local == "serial") {
        if (auto s = identifier(value, p)) ev.ilmd.serial = std::move(*s);
        ilmd_keys_["serial"] = key;
      } else if (*local == "model") {
        if (auto s = free_text(value, p)) ev.ilmd.model = std::move(*s);
      } else if (*local == "kind") {
        const std::string s = value.is_string() ? value.get<std::string>() : std::string{};
        if (s == "gpu_server" || s == "storage_drive" || s == "hsm" || s == "network_device" ||
            s == "other") {
          ev.ilmd.kind = s;
        } else {
          fail(p, "must be gpu_server, storage_drive, hsm, network_device or other");
        }
      } else if (*local == "holdsModelWeights") {
        if (value.is_boolean()) {
          ev.ilmd.holds_model_weights = value.get<bool>();
        } else {
          fail(p, "expected true or false");
        }
      } else if (*local == "homeRack") {
        if (auto s = identifier(value, p)) ev.ilmd.home_rack = core::RackId{std::move(*s)};
      } else if (*local == "witnesses" || *local == "destructionMethod" || *local == "certificateSha256") {
        fail(p, "belongs on the event itself, not in ilmd");
      } else {
        fail(p, "unknown Portcullis ilmd field (known: " + std::string(kVocabularyIlmd) + ")");
      }
    }
  }

  void read_event_extension(const std::string& local, const json& v, const std::string& path,
                            CaptureEvent& ev) {
    if (local == "witnesses") {
      if (!v.is_array() || v.empty()) {
        fail(path, "expected a non-empty array of person ids");
        return;
      }
      if (v.size() > limits_.max_witnesses) {
        fail(path, "more than " + std::to_string(limits_.max_witnesses) + " witnesses");
        return;
      }
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (auto s = identifier(v[i], indexed(path, i))) ev.custody.witnesses.emplace_back(std::move(*s));
      }
    } else if (local == "destructionMethod") {
      if (auto s = free_text(v, path)) ev.custody.destruction_method = std::move(*s);
    } else if (local == "certificateSha256") {
      std::string s = v.is_string() ? v.get<std::string>() : std::string{};
      const bool hex = s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
                         return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                       });
      if (!hex) {
        fail(path, "expected 64 hexadecimal digits (SHA-256 of the destruction certificate)");
        return;
      }
      std::transform(s.begin(), s.end(), s.begin(),
                     [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
      ev.custody.certificate_sha256 = std::move(s);
    } else if (local == "assetTag" || local == "serial" || local == "model" || local == "kind" ||
               local == "homeRack" || local == "holdsModelWeights") {
      fail(path, "belongs in ilmd, not on the event");
    } else {
      fail(path, "unknown Portcullis event field (known: " + std::string(kVocabularyEvent) + ")");
    }
  }

  const Limits& limits_;
  FieldErrors errors_;
  std::size_t unlisted_ = 0;
  std::map<std::string, std::string> ilmd_keys_;  // local name -> key as spelled, for error paths
};

constexpr std::string_view kDocumentFields[] = {
    "@context",  "type", "schemaVersion", "creationDate", "epcisHeader",
    "epcisBody", "id",   "sender",        "receiver",     "instanceIdentifier"};

Result<CaptureDocument> parse_document_unguarded(std::string_view body, const Limits& limits) {
  Parser p(limits);
  auto root = p.parse_json(body);  // not const: each event's DOM is released once it has been read
  if (!root) return p.take_errors();
  if (!root->is_object()) {
    p.fail("$", "expected an EPCISDocument object");
    return p.take_errors();
  }
  CaptureDocument doc;
  Prefixes prefixes;
  bool has_epcis_context = false;
  if (const auto c = root->find("@context"); c == root->end()) {
    p.fail("@context",
           "required (include \"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\")");
  } else {
    p.read_context(*c, "@context", prefixes, &has_epcis_context);
    if (!has_epcis_context) {
      p.fail("@context",
             "must include the EPCIS 2.0 context "
             "(https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld)");
    }
  }
  if (const auto t = root->find("type"); t == root->end() || *t != "EPCISDocument") {
    p.fail("type", "must be \"EPCISDocument\"");
  }
  if (const auto v = root->find("schemaVersion"); v == root->end() || *v != "2.0") {
    p.fail("schemaVersion", "must be \"2.0\"");
  }
  if (const auto c = root->find("creationDate"); c == root->end()) {
    p.fail("creationDate", "required");
  } else if (const auto t =
                 c->is_string() ? detail::parse_date_time(c->get_ref<const std::string&>()) : std::nullopt) {
    doc.creation_date = *t;
    doc.creation_date_text = c->get<std::string>();
  } else {
    p.fail("creationDate", "expected an RFC 3339 date-time with an offset");
  }
  if (const auto h = root->find("epcisHeader"); h != root->end() && !h->is_object()) {
    p.fail("epcisHeader", "expected an object");
  }
  for (const auto& [key, value] : root->items()) {
    if (key.find(':') != std::string::npos) continue;  // another vocabulary's extension
    if (std::find(std::begin(kDocumentFields), std::end(kDocumentFields), key) == std::end(kDocumentFields)) {
      p.fail(join("$", key), "unknown field for EPCISDocument");
    }
  }

  const auto b = root->find("epcisBody");
  if (b == root->end() || !b->is_object()) {
    p.fail("epcisBody", "required: an object with an eventList");
    return p.take_errors();
  }
  for (const auto& [key, value] : b->items()) {
    if (key != "eventList" && key.find(':') == std::string::npos) {
      p.fail(join("epcisBody", key), "unknown field (a capture document carries epcisBody.eventList)");
    }
  }
  const auto list = b->find("eventList");
  if (list == b->end() || !list->is_array()) {
    p.fail("epcisBody.eventList", "required: an array of events");
    return p.take_errors();
  }
  if (list->size() > limits.max_events) {
    p.fail("epcisBody.eventList",
           "more than " + std::to_string(limits.max_events) + " events in one document");
    return p.take_errors();
  }
  doc.events.reserve(list->size());
  std::unordered_map<std::string, std::size_t> first_with_id;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = "epcisBody.eventList[" + std::to_string(i) + "]";
    auto ev = p.read_event((*list)[i], path, i, prefixes);
    // The DOM takes about 8 bytes per byte of JSON; dropping each event's part as its struct is made keeps
    // the peak near the DOM's size instead of the DOM's plus the structs' (docs/epcis.md "Limits").
    (*list)[i] = nullptr;
    if (!ev) continue;
    const auto [at, inserted] = first_with_id.emplace(ev->event_id, i);
    if (!inserted) {
      p.fail(path + ".eventID", "duplicate of epcisBody.eventList[" + std::to_string(at->second) +
                                    "].eventID " + quote_value(ev->event_id));
      continue;
    }
    doc.events.push_back(std::move(*ev));
  }
  if (p.failed()) return p.take_errors();
  return doc;
}

Result<CaptureEvent> parse_event_unguarded(std::string_view body, const Limits& limits) {
  Parser p(limits);
  const auto root = p.parse_json(body);
  if (!root) return p.take_errors();
  auto ev = p.read_event(*root, "$", 0, Prefixes{});
  if (!ev || p.failed()) return p.take_errors();
  return std::move(*ev);
}

}  // namespace

Result<CaptureDocument> parse_capture_document(std::string_view body, const Limits& limits) {
  // The parser only throws on allocation failure; it must still not escape the adapter.
  try {
    return parse_document_unguarded(body, limits);
  } catch (const std::exception&) {
    // The library's text (nlohmann's "[json.exception...]", allocation failures) tells a client about our
    // internals and nothing it can fix: one message of our own.
    return FieldError{"$", "the document could not be processed"};
  }
}

Result<CaptureEvent> parse_capture_event(std::string_view body, const Limits& limits) {
  try {
    return parse_event_unguarded(body, limits);
  } catch (const std::exception&) {
    // The library's text (nlohmann's "[json.exception...]", allocation failures) tells a client about our
    // internals and nothing it can fix: one message of our own.
    return FieldError{"$", "the document could not be processed"};
  }
}

std::string canonical_form(const CaptureEvent& event) {
  json j = json::object();
  j["eventID"] = event.event_id;
  j["type"] = to_string(event.type);
  j["eventTime"] = core::to_unix_micros(event.event_time);
  j["eventTimeZoneOffset"] = event.event_time_zone_offset;
  if (event.action) j["action"] = to_string(*event.action);
  j["bizStep"] = event.biz_step;
  j["disposition"] = event.disposition;
  j["epcList"] = event.epc_list;
  j["readPoint"] = event.read_point;
  j["bizLocation"] = event.biz_location;
  j["quantityList"] = event.has_quantity_list;
  j["ilmd"] = {{"assetTag", event.ilmd.asset_tag}, {"holdsModelWeights", event.ilmd.holds_model_weights},
               {"serial", event.ilmd.serial},      {"model", event.ilmd.model},
               {"kind", event.ilmd.kind},          {"homeRack", event.ilmd.home_rack.str()}};
  json witnesses = json::array();
  for (const auto& w : event.custody.witnesses) witnesses.push_back(w.str());
  j["custody"] = {{"witnesses", std::move(witnesses)},
                  {"destructionMethod", event.custody.destruction_method},
                  {"certificateSha256", event.custody.certificate_sha256}};
  // Object keys are sorted (nlohmann's std::map), so equal events give equal text.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string errors_to_json(const FieldErrors& errors) {
  json list = json::array();
  for (const auto& e : errors) list.push_back({{"field", e.path}, {"message", e.message}});
  json j = {{"type", "epcisException:ValidationException"}};
  j["error"] = list.empty() ? json{{"field", "$"}, {"message", "refused"}} : list.front();
  j["errors"] = std::move(list);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace portcullis::epcis
