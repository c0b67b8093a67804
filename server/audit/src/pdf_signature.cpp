#include "portcullis/audit/pdf_signature.hpp"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <vector>

#include "key_file.hpp"
#include "portcullis/audit/text_format.hpp"
#include "portcullis/util/hex.hpp"

namespace portcullis::audit {

struct PdfSigningIdentity::Impl {
  EVP_PKEY* key = nullptr;
  X509* certificate = nullptr;
  STACK_OF(X509) * chain = nullptr;  // CA certificates after the signing one in the PEM file
  ~Impl() {
    EVP_PKEY_free(key);
    X509_free(certificate);
    sk_X509_pop_free(chain, X509_free);
  }
};

namespace {

std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

using detail::create_exclusive;
using detail::File;
using detail::open_read;

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

Key read_private_key(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    throw std::runtime_error("private key " + path + " is readable by others: chmod 600 it");
  }
  auto f = open_read(path);
  Key key{PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free};
  if (!key) throw std::runtime_error(path + " is not a PEM private key: " + openssl_error());
  return key;
}

X509_NAME* subject_name(const std::string& common_name) {
  X509_NAME* name = X509_NAME_new();
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
  const auto* org = reinterpret_cast<const unsigned char*>("Portcullis");
  if (name == nullptr || X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, org, -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1) {
    X509_NAME_free(name);
    throw std::runtime_error("bad certificate name: " + openssl_error());
  }
  return name;
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
    X509_EXTENSION_free(ext);
    throw std::runtime_error("cannot add a certificate extension: " + openssl_error());
  }
  X509_EXTENSION_free(ext);
}

// "D:YYYYMMDDHHmmSSZ" (PDF date, UTC).
std::string pdf_date(std::int64_t micros) {
  std::string out = "D:";
  for (char c : rfc3339_from_micros(micros).substr(0, 19)) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out + "Z";
}

// Reads `length` bytes at `offset` (fewer at the end of the file).
std::string read_at(std::ifstream& in, std::int64_t offset, std::size_t length) {
  std::string out(length, '\0');
  in.clear();
  in.seekg(offset);
  in.read(out.data(), static_cast<std::streamsize>(length));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

std::optional<std::int64_t> number_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  auto rest = text.substr(at + key.size());
  const auto start = rest.find_first_not_of(" \r\n\t");
  if (start == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(start);
  std::int64_t value = 0;
  const auto r = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (r.ec != std::errc{}) return std::nullopt;
  return value;
}

// The PDF written by cairo, as far as the signature needs it: its trailer and the objects it rewrites.
class PdfFile {
 public:
  PdfFile(const std::string& path, std::int64_t file_bytes) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw std::runtime_error("cannot read back " + path);
    const auto tail_length = static_cast<std::size_t>(std::min<std::int64_t>(file_bytes, 2048));
    const auto tail = read_at(in_, file_bytes - static_cast<std::int64_t>(tail_length), tail_length);
    const auto trailer_at = tail.rfind("trailer");
    const auto startxref_at = tail.rfind("startxref");
    if (trailer_at == std::string::npos || startxref_at == std::string::npos || startxref_at < trailer_at)
      fail("no classic trailer at the end");
    const std::string_view trailer = std::string_view{tail}.substr(trailer_at, startxref_at - trailer_at);
    const auto xref = number_after(std::string_view{tail}.substr(startxref_at), "startxref");
    const auto objects = number_after(trailer, "/Size");
    const auto root = number_after(trailer, "/Root");
    if (!xref || !objects || !root) fail("trailer without startxref, /Size or /Root");
    xref_offset = *xref;
    size = *objects;
    catalog = *root;
    info = number_after(trailer, "/Info");
    // "xref\n0 N\n" then N entries of 20 bytes: one subsection holding every object, as cairo writes it.
    const auto head = read_at(in_, xref_offset, 64);
    if (head.rfind("xref", 0) != 0) fail("startxref does not point at an xref table");
    const auto first_line_end = head.find('\n');
    const auto second_line_end = head.find('\n', first_line_end + 1);
    if (first_line_end == std::string::npos || second_line_end == std::string::npos ||
        number_after(head.substr(first_line_end, second_line_end - first_line_end), "") != 0)
      fail("an xref table that does not start at object 0");
    entries_offset_ = xref_offset + static_cast<std::int64_t>(second_line_end) + 1;
  }

  // The dictionary of object `number` ("<< ... >>"), read from its xref entry.
  std::string dictionary(std::int64_t number, std::size_t max_bytes = 1 << 16) {
    if (number <= 0 || number >= size) fail("object " + std::to_string(number) + " is not in the xref table");
    const auto entry = read_at(in_, entries_offset_ + 20 * number, 20);
    const auto offset = number_after(entry, "");
    if (entry.size() != 20 || entry[17] != 'n' || !offset) fail("bad xref entry " + std::to_string(number));
    const auto text = read_at(in_, *offset, max_bytes);
    const auto header = std::to_string(number) + " 0 obj";
    const auto open = text.find("<<");
    if (text.rfind(header, 0) != 0 || open == std::string::npos)
      fail("object " + std::to_string(number) + " is not where the xref says");
    const auto end = text.find("endobj");
    const auto close = end == std::string::npos ? std::string::npos : text.rfind(">>", end);
    if (close == std::string::npos || close < open) return text.substr(open);  // a prefix (max_bytes)
    return text.substr(open, close + 2 - open);
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("cannot sign " + path_ + ": " + why);
  }

  std::int64_t xref_offset = 0;
  std::int64_t size = 0;  // /Size: the next object number
  std::int64_t catalog = 0;
  std::optional<std::int64_t> info;

 private:
  std::string path_;
  std::ifstream in_;
  std::int64_t entries_offset_ = 0;
};

// `dictionary` with `entries` added before its closing ">>".
std::string with_entries(const std::string& dictionary, const std::string& entries) {
  return dictionary.substr(0, dictionary.size() - 2) + "\n" + entries + "\n>>";
}

std::optional<std::int64_t> reference_after(std::string_view dictionary, std::string_view key) {
  return number_after(dictionary, key);
}

}  // namespace

PdfSigningFiles pdf_signing_files_in(const std::string& dir) {
  const std::filesystem::path d{dir};
  return {(d / "pdf-signing-key.pem").string(), (d / "pdf-signing-cert.pem").string()};
}

PdfSigningFiles generate_pdf_signing_identity(const std::string& dir, const std::string& common_name) {
  std::filesystem::create_directories(dir);
  const auto files = pdf_signing_files_in(dir);
  if (std::filesystem::exists(files.key_path) || std::filesystem::exists(files.certificate_path))
    throw std::runtime_error("a PDF signing key or certificate already exists in " + dir +
                             ": refusing to overwrite it");
  // ECDSA P-256: what PDF readers (NSS, Adobe, pdf.js) verify; Ed25519 is not yet read in PDF signatures.
  Key key{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free};
  if (!key) throw std::runtime_error("EC key generation failed: " + openssl_error());
  std::unique_ptr<X509, decltype(&X509_free)> cert{X509_new(), &X509_free};
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial{BN_new(), &BN_free};
  X509_NAME* name = subject_name(common_name);
  const bool ok = cert && serial && X509_set_version(cert.get(), 2) == 1 &&
                  BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
                  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
                  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr &&
                  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 366 * 24 * 3600) != nullptr &&
                  X509_set_subject_name(cert.get(), name) == 1 &&
                  X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1;
  X509_NAME_free(name);
  if (!ok) throw std::runtime_error("cannot make the certificate: " + openssl_error());
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,nonRepudiation");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    throw std::runtime_error("cannot sign the certificate: " + openssl_error());
  {
    auto f = create_exclusive(files.key_path, 0600);
    if (PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0)
      throw std::runtime_error("cannot write " + files.key_path);
  }
  auto f = create_exclusive(files.certificate_path, 0644);
  if (PEM_write_X509(f.get(), cert.get()) != 1 || std::fflush(f.get()) != 0)
    throw std::runtime_error("cannot write " + files.certificate_path);
  return files;
}

std::string pdf_signing_request(const std::string& key_path, const std::string& common_name) {
  const auto key = read_private_key(key_path);
  std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> request{X509_REQ_new(), &X509_REQ_free};
  X509_NAME* name = subject_name(common_name);
  const bool ok = request && X509_REQ_set_version(request.get(), 0) == 1 &&
                  X509_REQ_set_subject_name(request.get(), name) == 1 &&
                  X509_REQ_set_pubkey(request.get(), key.get()) == 1 &&
                  X509_REQ_sign(request.get(), key.get(), EVP_sha256()) > 0;
  X509_NAME_free(name);
  if (!ok) throw std::runtime_error("cannot make the signing request: " + openssl_error());
  std::unique_ptr<BIO, decltype(&BIO_free)> out{BIO_new(BIO_s_mem()), &BIO_free};
  if (!out || PEM_write_bio_X509_REQ(out.get(), request.get()) != 1)
    throw std::runtime_error("cannot write the signing request: " + openssl_error());
  char* data = nullptr;
  const long length = BIO_get_mem_data(out.get(), &data);
  return std::string{data, static_cast<std::size_t>(length)};
}

PdfSigningIdentity PdfSigningIdentity::load(const PdfSigningFiles& files) {
  PdfSigningIdentity identity;
  identity.impl_ = std::make_shared<Impl>();
  auto& m = *identity.impl_;
  m.key = read_private_key(files.key_path).release();
  auto f = open_read(files.certificate_path);
  m.certificate = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
  if (m.certificate == nullptr)
    throw std::runtime_error(files.certificate_path + " holds no PEM certificate: " + openssl_error());
  if (X509_check_private_key(m.certificate, m.key) != 1)
    throw std::runtime_error(files.certificate_path + " is not the certificate of " + files.key_path);
  m.chain = sk_X509_new_null();
  while (X509* ca = PEM_read_X509(f.get(), nullptr, nullptr, nullptr)) sk_X509_push(m.chain, ca);
  ERR_clear_error();  // the end of the file ends the loop with an error queued
  // RFC 2253 text with UTF-8 left as it is ("CN=Portcullis audit, Zoë's site,O=Portcullis").
  std::unique_ptr<BIO, decltype(&BIO_free)> text{BIO_new(BIO_s_mem()), &BIO_free};
  if (text && X509_NAME_print_ex(text.get(), X509_get_subject_name(m.certificate), 0,
                                 XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB)) >= 0) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(text.get(), &data);
    identity.subject_.assign(data, static_cast<std::size_t>(length));
  }
  return identity;
}

struct PadesSigner::State {
  CMS_ContentInfo* cms = nullptr;
  BIO* data = nullptr;  // digests what is written to it
  ~State() {
    BIO_free_all(data);
    CMS_ContentInfo_free(cms);
  }
};

PadesSigner::PadesSigner(const PdfSigningIdentity& identity)
    : state_(std::make_unique<State>()), identity_(identity) {
  const auto& id = *identity_.impl_;
  // Detached, binary (no MIME canonicalization), and finalized only after the whole document has streamed
  // through the digest (CMS_STREAM | CMS_PARTIAL).
  state_->cms = CMS_sign(id.certificate, id.key, id.chain, nullptr,
                         CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_STREAM | CMS_NOSMIMECAP);
  if (state_->cms == nullptr) throw std::runtime_error("CMS signature set-up failed: " + openssl_error());
  state_->data = CMS_dataInit(state_->cms, nullptr);
  if (state_->data == nullptr) throw std::runtime_error("CMS signature set-up failed: " + openssl_error());
}

PadesSigner::~PadesSigner() = default;

void PadesSigner::update(std::string_view bytes) {
  while (!bytes.empty()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30));
    if (BIO_write(state_->data, bytes.data(), chunk) != chunk)
      throw std::runtime_error("CMS digest failed: " + openssl_error());
    bytes.remove_prefix(static_cast<std::size_t>(chunk));
  }
}

std::string PadesSigner::signature_update(const std::string& pdf_path, std::int64_t pdf_bytes,
                                          std::int64_t signing_time_us) {
  PdfFile pdf{pdf_path, pdf_bytes};
  const auto catalog = pdf.dictionary(pdf.catalog);
  if (catalog.find("/AcroForm") != std::string::npos) pdf.fail("the document already has a form");
  const auto pages_ref = reference_after(catalog, "/Pages");
  if (!pages_ref) pdf.fail("a catalog without /Pages");
  const auto pages = pdf.dictionary(*pages_ref, 4096);  // only the first kid is needed
  const auto kids = pages.find("/Kids");
  const auto first_page = kids == std::string::npos ? std::nullopt : reference_after(pages.substr(kids), "[");
  if (!first_page) pdf.fail("a page tree without pages");
  const auto page = pdf.dictionary(*first_page);
  if (page.find("/Annots") != std::string::npos) pdf.fail("page one already has annotations");

  const std::int64_t field = pdf.size;
  const std::int64_t signature = pdf.size + 1;
  std::string out;
  std::vector<std::pair<std::int64_t, std::int64_t>> offsets;  // object, file offset
  auto object = [&](std::int64_t number, const std::string& body) {
    offsets.emplace_back(number, pdf_bytes + static_cast<std::int64_t>(out.size()));
    out += std::to_string(number) + " 0 obj\n" + body + "\nendobj\n";
  };
  const auto ref = [](std::int64_t n) { return std::to_string(n) + " 0 R"; };
  object(pdf.catalog, with_entries(catalog, "/AcroForm << /Fields [" + ref(field) + "] /SigFlags 3 >>"));
  object(*first_page, with_entries(page, "/Annots [" + ref(field) + "]"));
  // An invisible signature (empty rectangle, printed and locked flags): readers list it in their signature
  // panel and banner.
  object(field,
         "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Portcullis evidence signature) /F 132 "
         "/Rect [0 0 0 0] /P " +
             ref(*first_page) + " /V " + ref(signature) + " >>");
  const std::string byte_range_slot(48, ' ');
  const std::string contents_slot = "<" + std::string(2 * kSignatureRoom, '0') + ">";
  offsets.emplace_back(signature, pdf_bytes + static_cast<std::int64_t>(out.size()));
  out += std::to_string(signature) +
         " 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
         "/Reason (Portcullis audit evidence: this report as exported) /M (" +
         pdf_date(signing_time_us) + ")\n/ByteRange ";
  const auto byte_range_at = out.size();
  out += byte_range_slot + "\n/Contents ";
  const auto contents_at = out.size();
  out += contents_slot + "\n>>\nendobj\n";

  const auto xref_at = pdf_bytes + static_cast<std::int64_t>(out.size());
  out += "xref\n0 1\n0000000000 65535 f \n";
  char entry[32];
  for (const auto& [number, offset] : offsets) {
    std::snprintf(entry, sizeof entry, "%010lld 00000 n \n", static_cast<long long>(offset));
    out += std::to_string(number) + " 1\n" + entry;
  }
  out += "trailer\n<< /Size " + std::to_string(signature + 1) + " /Root " + ref(pdf.catalog) +
         (pdf.info ? " /Info " + ref(*pdf.info) : std::string{}) + " /Prev " +
         std::to_string(pdf.xref_offset) + " >>\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";

  // Everything but the signature value (the hex string with its angle brackets) is signed.
  const auto total = pdf_bytes + static_cast<std::int64_t>(out.size());
  const auto hole_start = pdf_bytes + static_cast<std::int64_t>(contents_at);
  const auto hole_end = hole_start + static_cast<std::int64_t>(contents_slot.size());
  const std::string byte_range = "[0 " + std::to_string(hole_start) + " " + std::to_string(hole_end) + " " +
                                 std::to_string(total - hole_end) + "]";
  if (byte_range.size() > byte_range_slot.size()) pdf.fail("the document is too large");
  out.replace(byte_range_at, byte_range.size(), byte_range);

  update(std::string_view{out}.substr(0, contents_at));
  update(std::string_view{out}.substr(contents_at + contents_slot.size()));
  if (CMS_dataFinal(state_->cms, state_->data) != 1)
    throw std::runtime_error("CMS signature failed: " + openssl_error());
  unsigned char* der = nullptr;
  const int der_length = i2d_CMS_ContentInfo(state_->cms, &der);
  if (der_length <= 0) throw std::runtime_error("CMS encoding failed: " + openssl_error());
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> owned{der,
                                                                 [](unsigned char* p) { OPENSSL_free(p); }};
  if (static_cast<std::size_t>(der_length) > kSignatureRoom)
    pdf.fail("the signature with its certificate chain takes " + std::to_string(der_length) +
             " bytes, more than the " + std::to_string(kSignatureRoom) + " reserved");
  const auto hex = util::hex_encode(std::span<const std::uint8_t>{der, static_cast<std::size_t>(der_length)},
                                    util::HexCase::Upper);
  out.replace(contents_at + 1, hex.size(), hex);
  return out;
}

}  // namespace portcullis::audit
