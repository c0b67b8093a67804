#include "portcullis/audit/signing.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "key_file.hpp"
#include "portcullis/audit/signed_document.hpp"
#include "portcullis/audit/text_format.hpp"
#include "portcullis/util/base64.hpp"
#include "portcullis/util/hex.hpp"

namespace portcullis::audit {

struct AuditKey::Impl {
  EVP_PKEY* pkey = nullptr;
  ~Impl() { EVP_PKEY_free(pkey); }
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

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex_final();
}

std::string fingerprint_of(EVP_PKEY* pkey) {
  unsigned char raw[32];
  std::size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1 || len != sizeof raw) {
    throw std::runtime_error("cannot read the raw Ed25519 public key: " + openssl_error());
  }
  return "sha256:" + sha256_hex(std::string_view{reinterpret_cast<const char*>(raw), len});
}

using detail::create_exclusive;
using detail::File;
using detail::open_read;

}  // namespace

AuditKey AuditKey::load_private(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    throw std::runtime_error("private key " + path + " is readable by others: chmod 600 it");
  }
  auto f = open_read(path);
  AuditKey key;
  key.impl_ = std::make_shared<Impl>();
  key.impl_->pkey = PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr);
  if (key.impl_->pkey == nullptr)
    throw std::runtime_error(path + " is not a PEM private key: " + openssl_error());
  if (EVP_PKEY_get_id(key.impl_->pkey) != EVP_PKEY_ED25519)
    throw std::runtime_error(path + " is not an Ed25519 key");
  key.private_ = true;
  key.fingerprint_ = fingerprint_of(key.impl_->pkey);
  return key;
}

AuditKey AuditKey::load_public(const std::string& path) {
  auto f = open_read(path);
  AuditKey key;
  key.impl_ = std::make_shared<Impl>();
  key.impl_->pkey = PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr);
  if (key.impl_->pkey == nullptr)
    throw std::runtime_error(path + " is not a PEM public key: " + openssl_error());
  if (EVP_PKEY_get_id(key.impl_->pkey) != EVP_PKEY_ED25519)
    throw std::runtime_error(path + " is not an Ed25519 key");
  key.fingerprint_ = fingerprint_of(key.impl_->pkey);
  return key;
}

std::string AuditKey::sign(std::string_view message) const {
  if (!private_) throw std::runtime_error("signing needs the private audit key");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::runtime_error("EVP_MD_CTX_new failed");
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  const bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, impl_->pkey) == 1 &&
                  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                                 reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len != 64) throw std::runtime_error("Ed25519 signing failed: " + openssl_error());
  return sig;
}

bool AuditKey::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != 64) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) throw std::runtime_error("EVP_MD_CTX_new failed");
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, impl_->pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

KeyFiles generate_key_files(const std::string& dir) {
  std::filesystem::create_directories(dir);
  KeyFiles files;
  files.private_path = (std::filesystem::path{dir} / "audit-key.pem").string();
  files.public_path = (std::filesystem::path{dir} / "audit-key.pub.pem").string();
  if (std::filesystem::exists(files.private_path) || std::filesystem::exists(files.public_path)) {
    throw std::runtime_error("a key already exists in " + dir + ": refusing to overwrite it");
  }
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (pkey == nullptr) throw std::runtime_error("Ed25519 key generation failed: " + openssl_error());
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> owned{pkey, &EVP_PKEY_free};
  {
    auto f = create_exclusive(files.private_path, 0600);
    if (PEM_write_PrivateKey(f.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0) {
      throw std::runtime_error("cannot write " + files.private_path);
    }
  }
  {
    auto f = create_exclusive(files.public_path, 0644);
    if (PEM_write_PUBKEY(f.get(), pkey) != 1 || std::fflush(f.get()) != 0) {
      throw std::runtime_error("cannot write " + files.public_path);
    }
  }
  files.fingerprint = fingerprint_of(pkey);
  return files;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    throw std::runtime_error("SHA-256 init failed");
  }
}
Sha256::~Sha256() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("SHA-256 update failed");
  }
}

std::string Sha256::hex_final() {
  unsigned char out[32];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &len) != 1 || len != 32) {
    throw std::runtime_error("SHA-256 final failed");
  }
  return util::hex_encode(std::span<const std::uint8_t>{out, len});
}

FileDigest digest_file(const std::string& path) {
  auto f = open_read(path);
  Sha256 h;
  FileDigest d;
  std::string buf(1 << 20, '\0');
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), f.get());
    if (n == 0) break;
    h.update(std::string_view{buf.data(), n});
    d.bytes += static_cast<std::int64_t>(n);
  }
  if (std::ferror(f.get())) throw std::runtime_error("cannot read " + path);
  d.sha256 = h.hex_final();
  return d;
}

void sign_document(nlohmann::json& doc, const AuditKey& key) {
  doc.erase("signature");
  doc["public_key_fingerprint"] = key.fingerprint();
  doc["signature"] = util::base64_encode(key.sign(signed_bytes(doc)));
}

std::string check_signed_document(const std::string& text, const AuditKey& key, nlohmann::json& doc) {
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return "not valid JSON";
  }
  if (!doc.is_object()) return "not a JSON object";
  if (document_text(doc) != text) return "not in canonical form: the file was edited";
  const auto fp = doc.find("public_key_fingerprint");
  if (fp == doc.end() || !fp->is_string()) return "no public_key_fingerprint";
  if (fp->get<std::string>() != key.fingerprint()) {
    return "signed by key " + fp->get<std::string>() + ", not by the given public key " + key.fingerprint();
  }
  const auto sig = doc.find("signature");
  if (sig == doc.end() || !sig->is_string()) return "no signature";
  const auto raw = util::base64_decode(sig->get<std::string>());
  if (!raw || raw->size() != 64) return "signature is not 64 bytes of canonical base64";
  if (!key.verify(signed_bytes(doc), std::string{raw->begin(), raw->end()}))
    return "signature does not match the content";
  return {};
}

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file_atomically(const std::string& path, const std::string& text, unsigned mode) {
  const std::string tmp = path + ".tmp";
  std::filesystem::remove(tmp);
  {
    auto f = create_exclusive(tmp, static_cast<mode_t>(mode));
    if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size() || std::fflush(f.get()) != 0 ||
        ::fsync(::fileno(f.get())) != 0) {
      throw std::runtime_error("cannot write " + tmp);
    }
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace portcullis::audit
