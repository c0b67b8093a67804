#pragma once
// PDF signatures a standard PDF reader shows (PAdES, CMS-based: SubFilter adbe.pkcs7.detached): the signed
// report carries a signature field whose value is a detached CMS SignedData (OpenSSL's CMS API) over the
// whole file except the signature itself (/ByteRange), made with the site's PDF signing key and its X.509
// certificate: self-issued by default, or issued by the customer's CA (docs/audit.md).
//
// The signature is added as an incremental update after the report's last byte (new versions of the
// catalog, with an /AcroForm, and of page one, with the field's widget; the field; the signature
// dictionary; an xref section with /Prev), so the report itself is written and streamed unchanged, and the
// digest of its bytes is computed while they stream: nothing is read twice but the few objects the update
// rewrites.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace portcullis::audit {

struct PdfSigningFiles {
  std::string key_path;          // ECDSA P-256 private key, PKCS#8 PEM, mode 0600
  std::string certificate_path;  // PEM: the signing certificate first, then any CA certificates of its chain
};

// DIR/pdf-signing-key.pem and DIR/pdf-signing-cert.pem: where keygen puts them, next to the audit key.
[[nodiscard]] PdfSigningFiles pdf_signing_files_in(const std::string& dir);

// A new key and a self-issued certificate (`common_name`, valid 10 years, key usage digital signature and
// non-repudiation). Refuses to overwrite either file.
PdfSigningFiles generate_pdf_signing_identity(const std::string& dir, const std::string& common_name);

// A PKCS#10 certificate signing request (PEM) for the key, to have the customer's CA issue the certificate.
[[nodiscard]] std::string pdf_signing_request(const std::string& key_path, const std::string& common_name);

class PdfSigningIdentity {
 public:
  // Throws std::runtime_error naming the file and the reason: unreadable, a key group or others can
  // read, no certificate, or a certificate that is not the key's.
  static PdfSigningIdentity load(const PdfSigningFiles& files);
  [[nodiscard]] const std::string& subject() const noexcept { return subject_; }

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
  std::string subject_;
  friend class PadesSigner;
};

class PadesSigner {
 public:
  explicit PadesSigner(const PdfSigningIdentity& identity);
  ~PadesSigner();
  PadesSigner(const PadesSigner&) = delete;
  PadesSigner& operator=(const PadesSigner&) = delete;

  // Every byte of the unsigned PDF, in order, as it is written.
  void update(std::string_view bytes);

  // The incremental update to append to the PDF at `pdf_path` (`pdf_bytes` long, all passed to update()):
  // reads the trailer, catalog and first page back, signs, and returns the bytes to append.
  [[nodiscard]] std::string signature_update(const std::string& pdf_path, std::int64_t pdf_bytes,
                                             std::int64_t signing_time_us);

  // Room for the DER signature (certificate chain included) in the file; a larger one is refused.
  static constexpr std::size_t kSignatureRoom = 16384;

 private:
  struct State;
  std::unique_ptr<State> state_;
  PdfSigningIdentity identity_;
};

}  // namespace portcullis::audit
