#include "portcullis/storage/secret_box.hpp"
#include "portcullis/storage/totp_secret_sealing.hpp"
#include "portcullis/util/hex.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace portcullis::storage {
namespace {

constexpr std::string_view kPrefix = "aesgcm1:";
constexpr std::size_t kNonce = 12;
constexpr std::size_t kTag = 16;

struct CipherContext {
  CipherContext() : ctx(EVP_CIPHER_CTX_new()) {
    if (ctx == nullptr) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  }
  ~CipherContext() { EVP_CIPHER_CTX_free(ctx); }
  CipherContext(const CipherContext&) = delete;
  CipherContext& operator=(const CipherContext&) = delete;
  EVP_CIPHER_CTX* ctx;
};

int int_size(std::size_t n) {
  if (n > 1'000'000) throw std::runtime_error("secret too long");
  return static_cast<int>(n);
}

std::mutex box_mutex;
std::shared_ptr<const SecretBox> box_in_use;

}  // namespace

SecretBox SecretBox::load_or_create(const std::string& key_path) {
  std::array<unsigned char, 32> key{};
  const int created = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (created >= 0) {
    ::fchmod(created, 0600);  // whatever the umask
    const bool ok = RAND_bytes(key.data(), static_cast<int>(key.size())) == 1 &&
                    ::write(created, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                    ::fsync(created) == 0;
    ::close(created);
    if (!ok) {
      std::filesystem::remove(key_path);
      throw std::runtime_error("cannot write the new key file " + key_path);
    }
    return SecretBox{key};
  }
  if (errno != EEXIST) throw std::runtime_error("cannot create " + key_path + ": " + std::strerror(errno));
  const int fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + key_path + ": " + std::strerror(errno));
  struct stat st {};
  const bool readable_by_others = ::fstat(fd, &st) != 0 || (st.st_mode & 077U) != 0;
  const auto got = readable_by_others ? -1 : ::read(fd, key.data(), key.size());
  char extra = 0;
  const bool longer = got == static_cast<ssize_t>(key.size()) && ::read(fd, &extra, 1) > 0;
  ::close(fd);
  if (readable_by_others)
    throw std::runtime_error(key_path + " can be read by group or others: chmod 600 it");
  if (got != static_cast<ssize_t>(key.size()) || longer)
    throw std::runtime_error(key_path + " is not a 32-byte key");
  return SecretBox{key};
}

std::string SecretBox::derive_key(std::string_view purpose) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string SecretBox::seal(std::string_view plain, std::string_view bound_to) const {
  std::array<unsigned char, kNonce> nonce{};
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
  std::vector<unsigned char> out(plain.size() + kTag);
  CipherContext c;
  int length = 0;
  int total = 0;
  const bool ok =
      EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key_.data(), nonce.data()) == 1 &&
      EVP_EncryptUpdate(c.ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(bound_to.data()),
                        int_size(bound_to.size())) == 1 &&
      EVP_EncryptUpdate(c.ctx, out.data(), &length, reinterpret_cast<const unsigned char*>(plain.data()),
                        int_size(plain.size())) == 1 &&
      (total = length, EVP_EncryptFinal_ex(c.ctx, out.data() + total, &length) == 1) &&
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTag), out.data() + plain.size()) ==
          1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  return std::string(kPrefix) + util::hex_encode(std::span<const std::uint8_t>{nonce.data(), nonce.size()}) +
         ":" + util::hex_encode(std::span<const std::uint8_t>{out.data(), out.size()});
}

std::optional<std::string> SecretBox::open(std::string_view sealed, std::string_view bound_to) const {
  if (!is_sealed(sealed)) return std::nullopt;
  const auto body = sealed.substr(kPrefix.size());
  const auto colon = body.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto nonce = util::hex_decode(body.substr(0, colon));
  const auto data = util::hex_decode(body.substr(colon + 1));
  if (!nonce || nonce->size() != kNonce || !data || data->size() < kTag) return std::nullopt;
  const std::size_t text_size = data->size() - kTag;
  std::vector<unsigned char> tag(data->end() - static_cast<std::ptrdiff_t>(kTag), data->end());
  std::string plain(text_size, '\0');
  CipherContext c;
  int length = 0;
  const bool ok =
      EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key_.data(), nonce->data()) == 1 &&
      EVP_DecryptUpdate(c.ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(bound_to.data()),
                        int_size(bound_to.size())) == 1 &&
      EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(plain.data()), &length, data->data(),
                        int_size(text_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTag), tag.data()) == 1 &&
      EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(plain.data()) + length, &length) == 1;
  if (!ok) return std::nullopt;
  return plain;
}

bool SecretBox::is_sealed(std::string_view stored) noexcept {
  return stored.substr(0, kPrefix.size()) == kPrefix;
}

void use_totp_secret_box(std::shared_ptr<const SecretBox> box) {
  std::lock_guard lock{box_mutex};
  box_in_use = std::move(box);
}

std::shared_ptr<const SecretBox> totp_secret_box() {
  std::lock_guard lock{box_mutex};
  return box_in_use;
}

std::size_t seal_clear_totp_secrets(pqxx::connection& connection) {
  const auto box = totp_secret_box();
  if (!box) throw std::runtime_error("no key to seal TOTP secrets with");
  pqxx::work tx{connection};
  std::size_t sealed = 0;
  for (const auto& row : tx.exec("SELECT operator_id, totp_secret FROM operators FOR UPDATE")) {
    const auto id = row[0].as<std::string>();
    const auto secret = row[1].as<std::string>();
    if (SecretBox::is_sealed(secret)) continue;
    tx.exec_params("UPDATE operators SET totp_secret = $2 WHERE operator_id = $1", id, box->seal(secret, id));
    ++sealed;
  }
  tx.commit();
  return sealed;
}

}  // namespace portcullis::storage
