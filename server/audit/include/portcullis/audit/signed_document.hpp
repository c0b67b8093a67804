#pragma once
// Canonical forms of the signed evidence documents (export manifests and chain checkpoints). Pure: no
// OpenSSL here, the signature itself is made and checked in signing.hpp.
//
// A document is a JSON object. What is signed is signed_bytes(doc): the object without its "signature"
// member, serialized compactly with sorted keys. The file holds exactly document_text(doc); a verifier
// re-serializes what it parsed and refuses a file that differs by a single byte, so even a change that
// leaves the parsed values alone (spacing) is rejected.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace portcullis::audit {

inline constexpr const char* kEvidenceFormat = "portcullis-evidence-v1";
inline constexpr const char* kCheckpointFormat = "portcullis-checkpoint-v1";

[[nodiscard]] std::string signed_bytes(const nlohmann::json& doc);
[[nodiscard]] std::string document_text(const nlohmann::json& doc);

// The span of the hash chain a report was computed over (every row of the site in its time range), and
// the chain head at the moment of the export (same snapshot).
struct ChainRange {
  std::int64_t first_seq = 0;  // 0: the range holds no rows
  std::string first_hash;      // hex
  std::int64_t last_seq = 0;
  std::string last_hash;
  std::int64_t head_seq = 0;
  std::string head_hash;
};

struct ExportManifest {
  std::string site;
  std::string report;
  std::string filters_json;  // canonical JSON object
  std::string format;        // csv | jsonl
  std::string file;          // base name of the exported file
  std::string file_sha256;   // hex
  std::int64_t file_bytes = 0;
  std::int64_t rows = 0;
  ChainRange chain_range;
  std::int64_t created_us = 0;
};

// Unsigned document (no "signature", no "public_key_fingerprint" yet).
[[nodiscard]] nlohmann::json manifest_document(const ExportManifest& m);
[[nodiscard]] std::optional<ExportManifest> manifest_from_document(const nlohmann::json& doc);

struct Checkpoint {
  std::string site;
  std::int64_t site_seq = 0;
  std::string hash;  // hex
  std::int64_t time_us = 0;
};

[[nodiscard]] nlohmann::json checkpoint_document(const Checkpoint& c);
[[nodiscard]] std::optional<Checkpoint> checkpoint_from_document(const nlohmann::json& doc);
// "<site>-<site_seq, 20 digits>.checkpoint.json": sorts by sequence within a site.
[[nodiscard]] std::string checkpoint_file_name(const std::string& site, std::int64_t site_seq);

}  // namespace portcullis::audit
