#pragma once
// The site's audit key (Ed25519 through OpenSSL's EVP interface) and SHA-256 of files.
// Key files are PEM: the private key as PKCS#8 (mode 0600), the public key as SubjectPublicKeyInfo.
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace portcullis::audit {

class AuditKey {
 public:
  // Throws std::runtime_error with the path and the reason.
  static AuditKey load_private(const std::string& pem_path);
  static AuditKey load_public(const std::string& pem_path);

  [[nodiscard]] bool has_private() const noexcept { return private_; }
  // "sha256:<hex of the raw 32-byte public key>"
  [[nodiscard]] const std::string& fingerprint() const noexcept { return fingerprint_; }

  // 64-byte Ed25519 signature (throws without a private key).
  [[nodiscard]] std::string sign(std::string_view message) const;
  [[nodiscard]] bool verify(std::string_view message, std::string_view signature) const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  bool private_ = false;
  std::string fingerprint_;
};

struct KeyFiles {
  std::string private_path;  // DIR/audit-key.pem, mode 0600
  std::string public_path;   // DIR/audit-key.pub.pem
  std::string fingerprint;
};
// Makes a new key pair in `dir` (created if missing); refuses to overwrite existing key files.
KeyFiles generate_key_files(const std::string& dir);

// Incremental SHA-256.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  [[nodiscard]] std::string hex_final();

 private:
  void* ctx_;
};

// {hex, size} of a file's content.
struct FileDigest {
  std::string sha256;
  std::int64_t bytes = 0;
};
[[nodiscard]] FileDigest digest_file(const std::string& path);

// Adds "public_key_fingerprint" and "signature" (base64) over signed_bytes(doc).
void sign_document(nlohmann::json& doc, const AuditKey& key);

// Checks a signed document file's text: exact canonical form, the key fingerprint, the signature.
// Returns an empty string if it holds, else what is wrong. `doc` receives the parsed document.
[[nodiscard]] std::string check_signed_document(const std::string& text, const AuditKey& key,
                                                nlohmann::json& doc);

[[nodiscard]] std::string read_file(const std::string& path);
// Writes `text` to a temporary file next to `path`, fsyncs it and renames it into place.
void write_file_atomically(const std::string& path, const std::string& text, unsigned mode = 0644);

}  // namespace portcullis::audit
