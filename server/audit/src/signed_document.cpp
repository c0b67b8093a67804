#include "portcullis/audit/signed_document.hpp"

#include <cstdio>

#include "portcullis/audit/text_format.hpp"

namespace portcullis::audit {
namespace {
using nlohmann::json;

template <class T>
bool get(const json& doc, const char* key, T& out) {
  const auto it = doc.find(key);
  if (it == doc.end()) return false;
  if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) return false;
  } else {
    if (!it->is_number_integer()) return false;
  }
  out = it->get<T>();
  return true;
}

std::optional<std::int64_t> micros_of(const json& doc, const char* key) {
  std::string text;
  if (!get(doc, key, text)) return std::nullopt;
  return parse_time(text);
}

}  // namespace

std::string signed_bytes(const json& doc) {
  json copy = doc;
  copy.erase("signature");
  return copy.dump();
}

std::string document_text(const json& doc) {
  return doc.dump(2) + "\n";
}

json manifest_document(const ExportManifest& m) {
  json doc;
  doc["format"] = kEvidenceFormat;
  doc["site"] = m.site;
  doc["report"] = m.report;
  doc["filters"] = json::parse(m.filters_json);
  doc["output_format"] = m.format;
  doc["file"] = m.file;
  doc["file_sha256"] = m.file_sha256;
  doc["file_bytes"] = m.file_bytes;
  doc["rows"] = m.rows;
  doc["chain_range"] = {{"first_seq", m.chain_range.first_seq}, {"first_hash", m.chain_range.first_hash},
                        {"last_seq", m.chain_range.last_seq},   {"last_hash", m.chain_range.last_hash},
                        {"head_seq", m.chain_range.head_seq},   {"head_hash", m.chain_range.head_hash}};
  doc["created_at"] = rfc3339_from_micros(m.created_us);
  return doc;
}

std::optional<ExportManifest> manifest_from_document(const json& doc) {
  if (!doc.is_object()) return std::nullopt;
  std::string format;
  if (!get(doc, "format", format) || format != kEvidenceFormat) return std::nullopt;
  ExportManifest m;
  const auto filters = doc.find("filters");
  const auto range = doc.find("chain_range");
  if (filters == doc.end() || !filters->is_object() || range == doc.end() || !range->is_object()) {
    return std::nullopt;
  }
  m.filters_json = filters->dump();
  auto& r = m.chain_range;
  const bool ok = get(doc, "site", m.site) && get(doc, "report", m.report) &&
                  get(doc, "output_format", m.format) && get(doc, "file", m.file) &&
                  get(doc, "file_sha256", m.file_sha256) && get(doc, "file_bytes", m.file_bytes) &&
                  get(doc, "rows", m.rows) && get(*range, "first_seq", r.first_seq) &&
                  get(*range, "first_hash", r.first_hash) && get(*range, "last_seq", r.last_seq) &&
                  get(*range, "last_hash", r.last_hash) && get(*range, "head_seq", r.head_seq) &&
                  get(*range, "head_hash", r.head_hash);
  const auto created = micros_of(doc, "created_at");
  if (!ok || !created) return std::nullopt;
  m.created_us = *created;
  return m;
}

json checkpoint_document(const Checkpoint& c) {
  json doc;
  doc["format"] = kCheckpointFormat;
  doc["site"] = c.site;
  doc["site_seq"] = c.site_seq;
  doc["hash"] = c.hash;
  doc["time"] = rfc3339_from_micros(c.time_us);
  return doc;
}

std::optional<Checkpoint> checkpoint_from_document(const json& doc) {
  if (!doc.is_object()) return std::nullopt;
  std::string format;
  if (!get(doc, "format", format) || format != kCheckpointFormat) return std::nullopt;
  Checkpoint c;
  if (!get(doc, "site", c.site) || !get(doc, "site_seq", c.site_seq) || !get(doc, "hash", c.hash)) {
    return std::nullopt;
  }
  const auto time = micros_of(doc, "time");
  if (!time || c.hash.size() != 64) return std::nullopt;
  c.time_us = *time;
  return c;
}

std::string checkpoint_file_name(const std::string& site, std::int64_t site_seq) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%020lld", static_cast<long long>(site_seq));
  return site + "-" + digits + ".checkpoint.json";
}

}  // namespace portcullis::audit
