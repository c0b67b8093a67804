// Under a Type=notify unit systemd waits for READY=1 on $NOTIFY_SOCKET: the datagram arrives as sent, on a
// path and in the abstract namespace ("@..."), and without the variable nothing is sent.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include "systemd_notify.hpp"

namespace portcullis::app {
namespace {

// A datagram socket bound to `name` (a leading '@' for the abstract namespace), as systemd holds one.
class FakeServiceManager {
 public:
  explicit FakeServiceManager(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name.front() == '@') address.sun_path[0] = '\0';
    ::bind(fd_, reinterpret_cast<const sockaddr*>(&address),
           static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size()));
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  ~FakeServiceManager() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  std::string received() const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 2000) != 1) return "(nothing)";
    char buffer[256];
    const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n < 0 ? "(error)" : std::string(buffer, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
};

TEST(ServiceManagerNotification, ReadyReachesASocketPath) {
  const auto path = ::testing::TempDir() + "/notify-" + std::to_string(::getpid());
  ::unlink(path.c_str());
  FakeServiceManager systemd{path};
  EXPECT_TRUE(notify_service_manager("READY=1"));
  EXPECT_EQ(systemd.received(), "READY=1");
  ::unlink(path.c_str());
}

TEST(ServiceManagerNotification, StoppingReachesAnAbstractSocket) {
  FakeServiceManager systemd{"@portcullis-notify-test-" + std::to_string(::getpid())};
  EXPECT_TRUE(notify_service_manager("STOPPING=1"));
  EXPECT_EQ(systemd.received(), "STOPPING=1");
}

TEST(ServiceManagerNotification, OutsideSystemdNothingIsSent) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(notify_service_manager("READY=1"));
}

}  // namespace
}  // namespace portcullis::app
