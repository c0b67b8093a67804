#pragma once
// The files the audit signers read and write (keys, certificates) as C stdio handles, for OpenSSL's PEM
// functions. Shared by the manifest signer (signing.cpp) and the PDF signer (pdf_signature.cpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace portcullis::audit::detail {

struct FileCloser {
  void operator()(FILE* f) const noexcept {
    if (f != nullptr) std::fclose(f);
  }
};
using File = std::unique_ptr<FILE, FileCloser>;

inline File open_read(const std::string& path) {
  File f{std::fopen(path.c_str(), "rb")};
  if (!f) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  return f;
}

// Creates `path` with `mode` (whatever the umask), failing if it exists: a key is never overwritten.
inline File create_exclusive(const std::string& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  ::fchmod(fd, mode);
  File f{::fdopen(fd, "wb")};
  if (!f) {
    ::close(fd);
    throw std::runtime_error("cannot open " + path);
  }
  return f;
}

}  // namespace portcullis::audit::detail
