#include "portcullis/json/strict_json.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace portcullis::json {
namespace {

using nlohmann::json;

// Builds the tree as nlohmann's own DOM handler does, remembering where it is for error messages.
class StrictHandler {
 public:
  StrictHandler(json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() { return put(json(nullptr)); }
  bool boolean(bool v) { return put(json(v)); }
  bool number_integer(json::number_integer_t v) { return put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return put(json(v)); }
  bool number_float(json::number_float_t v, const std::string&) {
    if (!std::isfinite(v)) return fail(here(), "number out of range");
    return put(json(v));
  }
  bool string(std::string& v) { return put(json(std::move(v))); }
  bool binary(json::binary_t&) { return fail(here(), "binary values are not JSON"); }

  bool start_object(std::size_t) { return open(json::object()); }
  bool key(std::string& k) {
    auto& frame = frames_.back();
    if (frame.value->contains(k)) return fail(path_with(k), "duplicate key \"" + k + "\"");
    frame.key = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // 406: a number nlohmann could not represent (1e400); the rest are syntax errors.
    if (e.id == 406) return fail(here(), "number out of range");
    return fail("$", "malformed JSON at byte " + std::to_string(position));
  }

  [[nodiscard]] const std::optional<FieldError>& error() const { return error_; }

 private:
  struct Frame {
    json* value;
    std::string key;  // objects: the key whose value comes next
  };

  std::string path_with(const std::string& key) const {
    const auto base = path_of_frames();
    return base.empty() ? key : base + "." + key;
  }
  // The path of the value being read now.
  std::string here() const {
    if (frames_.empty()) return "$";
    const auto& frame = frames_.back();
    if (frame.value->is_object()) return path_with(frame.key);
    const auto base = path_of_frames();
    return (base.empty() ? "$" : base) + "[" + std::to_string(frame.value->size()) + "]";
  }
  std::string path_of_frames() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const auto& frame = frames_[i];
      if (frame.value->is_object()) {
        out += (out.empty() ? "" : ".") + frame.key;
      } else {
        out += (out.empty() ? "$" : "") + std::string("[") + std::to_string(frame.value->size() - 1) + "]";
      }
    }
    return out;
  }

  json* place(json value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    auto& frame = frames_.back();
    if (frame.value->is_object()) return &((*frame.value)[frame.key] = std::move(value));
    frame.value->push_back(std::move(value));
    return &frame.value->back();
  }
  bool put(json value) {
    place(std::move(value));
    return true;
  }
  bool open(json container) {
    if (frames_.size() + 1 > max_depth_)
      return fail("$", "JSON nested deeper than " + std::to_string(max_depth_) + " levels");
    frames_.push_back(Frame{place(std::move(container)), {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return true;
  }
  bool fail(std::string field, std::string message) {
    if (!error_) error_ = FieldError{std::move(field), std::move(message)};
    return false;
  }

  json& root_;
  std::size_t max_depth_;
  std::vector<Frame> frames_;
  std::optional<FieldError> error_;
};

}  // namespace

std::variant<json, FieldError> parse_strict(std::string_view text, std::size_t max_depth) {
  json root;
  StrictHandler handler{root, max_depth};
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &handler, json::input_format_t::json, true);
  } catch (const std::exception&) {
    ok = false;  // the handler reports every error itself; this is a last resort
  }
  if (!ok || handler.error()) {
    if (handler.error()) return *handler.error();
    return FieldError{"$", "malformed JSON"};
  }
  return root;
}

std::variant<json, FieldError> parse_strict_object(std::string_view text, std::size_t max_depth,
                                                   bool empty_is_object) {
  if (text.empty() && empty_is_object) return json::object();
  auto doc = parse_strict(text, max_depth);
  if (auto* e = std::get_if<FieldError>(&doc)) return *e;
  if (!std::get<json>(doc).is_object()) return FieldError{"$", "expected a JSON object"};
  return doc;
}

}  // namespace portcullis::json
