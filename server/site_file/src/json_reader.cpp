#include "json_reader.hpp"

#include <algorithm>

namespace portcullis::site_file::detail {

std::string type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
  }
  return "value";
}

ObjectReader::ObjectReader(Context& ctx, const Json& json, std::string path)
    : ctx_(ctx), json_(json), path_(std::move(path)), valid_(json.is_object()) {
  if (!valid_) ctx_.problem(path_, "expected object, found " + type_name(json));
}

ObjectReader::~ObjectReader() {
  if (!valid_) return;
  for (auto it = json_.begin(); it != json_.end(); ++it) {
    if (std::find(read_.begin(), read_.end(), std::string_view{it.key()}) == read_.end()) {
      ctx_.problem(path_ + "." + it.key(), "unknown field");
    }
  }
}

bool ObjectReader::has(const char* key) const {
  return valid_ && json_.contains(key) && !json_.at(key).is_null();
}

const Json* ObjectReader::field(const char* key, bool required) {
  if (!valid_) return nullptr;
  read_.emplace_back(key);
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) {
    if (required) ctx_.problem(path_ + "." + key, "missing required field");
    return nullptr;
  }
  return &*it;
}

std::string ObjectReader::string(const char* key, bool required, std::string fallback) {
  const Json* j = field(key, required);
  if (j == nullptr) return fallback;
  if (!j->is_string()) {
    ctx_.problem(path_ + "." + key, "expected string, found " + type_name(*j));
    return fallback;
  }
  const auto& s = j->get_ref<const std::string&>();
  if (s.size() > ctx_.limits().max_string_bytes) {
    ctx_.problem(path_ + "." + key,
                 "string longer than " + std::to_string(ctx_.limits().max_string_bytes) + " bytes");
    return fallback;
  }
  return s;
}

std::optional<std::string> ObjectReader::optional_string(const char* key) {
  if (!has(key)) {
    if (valid_) read_.emplace_back(key);
    return std::nullopt;
  }
  return string(key, false);
}

std::int64_t ObjectReader::integer(const char* key, bool required, std::int64_t fallback, std::int64_t min,
                                   std::int64_t max) {
  const Json* j = field(key, required);
  if (j == nullptr) return fallback;
  if (!j->is_number_integer()) {
    ctx_.problem(path_ + "." + key, "expected integer, found " + type_name(*j));
    return fallback;
  }
  if (j->is_number_unsigned() && j->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    ctx_.problem(path_ + "." + key, "must be " + std::to_string(min) + ".." + std::to_string(max));
    return fallback;
  }
  const auto v = j->get<std::int64_t>();
  if (v < min || v > max) {
    ctx_.problem(path_ + "." + key, "must be " + std::to_string(min) + ".." + std::to_string(max));
    return fallback;
  }
  return v;
}

bool ObjectReader::boolean(const char* key, bool fallback) {
  const Json* j = field(key, false);
  if (j == nullptr) return fallback;
  if (!j->is_boolean()) {
    ctx_.problem(path_ + "." + key, "expected boolean, found " + type_name(*j));
    return fallback;
  }
  return j->get<bool>();
}

void ObjectReader::array(const char* key, bool required, std::size_t max,
                         const std::function<void(const Json&, const std::string&)>& each) {
  const Json* j = field(key, required);
  if (j == nullptr) return;
  const std::string path = path_ + "." + key;
  if (!j->is_array()) {
    ctx_.problem(path, "expected array, found " + type_name(*j));
    return;
  }
  if (j->size() > max) {
    ctx_.problem(path, "more than " + std::to_string(max) + " elements");
    return;
  }
  for (std::size_t i = 0; i < j->size(); ++i) each((*j)[i], path + "[" + std::to_string(i) + "]");
}

std::vector<std::string> ObjectReader::strings(const char* key, bool required) {
  std::vector<std::string> out;
  array(key, required, ctx_.limits().max_list, [&](const Json& e, const std::string& path) {
    if (!e.is_string()) {
      ctx_.problem(path, "expected string, found " + type_name(e));
      return;
    }
    out.push_back(e.get<std::string>());
  });
  return out;
}

const Json* ObjectReader::object(const char* key, bool required) {
  return field(key, required);
}

}  // namespace portcullis::site_file::detail
