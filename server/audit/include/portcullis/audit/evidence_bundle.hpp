#pragma once
// The evidence bundle: one zip file an auditor can hand on, holding one report in CSV, JSON Lines and PDF
// (the same rows: one pass in one snapshot), each with its signed manifest (and the PDF with its PAdES
// signature), the chain range they cover (chain-range.json, a copy of what the signed manifests say), the
// signed checkpoint that covers that range when one is given, the public keys to check them with, and a
// README telling the recipient how to verify it all offline.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "portcullis/audit/exporter.hpp"

namespace portcullis::audit {

struct BundleRequest {
  ExportRequest report;  // format and out_path unused
  std::string out_path;  // FILE.zip
  // A directory of signed checkpoints (the server's checkpoint_dir or the auditor's own): the one that
  // covers the report's chain range goes into the bundle.
  std::optional<std::string> checkpoints_dir;
};

struct BundleResult {
  std::string path;
  std::int64_t rows = 0;
  ChainRange range;
  std::string checkpoint;            // the file name put into the bundle; empty when none covers the range
  std::vector<std::string> entries;  // the names in the zip, in order
};

BundleResult export_bundle(const BundleRequest& request);

// Unpacks `zip_path` into a temporary directory and checks, offline, with the site's public audit key:
// every report file against its signed manifest, the three manifests naming the same report, filters, rows
// and chain range, and the checkpoint (when there is one) signed by the key and at or after the range's
// last row (with the chain head's hash when it is that row). `problems` is empty when it all holds.
struct BundleCheck {
  bool ok = false;
  std::vector<std::string> problems;
  std::vector<std::string> verified;  // what was checked, for the report
};
BundleCheck verify_bundle(const std::string& zip_path, const std::string& public_key_path);

}  // namespace portcullis::audit
