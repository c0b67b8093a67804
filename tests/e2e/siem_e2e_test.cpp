// The SIEM feed and the log lines, against the real portcullisd and a real syslog receiver: a private
// rsyslogd (Debian's rsyslog, imtcp on 127.0.0.1) started by the test writes every message it receives twice,
// raw and as its own RFC 5424 parser split it. An alarm, a failed sign-in and a denied badge must arrive as
// valid RFC 5424 with the site and the committed site_seq, a down receiver must not hold up a door, and every
// line the server writes on stderr must be one JSON object.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/operators/crypto/digest.hpp"
#include "portcullis/util/rfc3339.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kRsyslogd = "/usr/sbin/rsyslogd";
constexpr const char* kScrapeToken = "siem-scrape-token-for-the-tests-0123456789";
const std::string kBom = "\xEF\xBB\xBF";

// A port nothing listens on right now (bound and released): for a receiver that is down, then started.
unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t length = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Whether something accepts TCP connections on 127.0.0.1:`port`.
bool accepts_connections(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return connected;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in{testing::slurp(path)};
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// rsyslogd in the foreground with a configuration of its own: imtcp on 127.0.0.1 (the given port, or one it
// picks and writes to a file), every message written raw (%rawmsg%) and as its RFC 5424 fields.
class PrivateRsyslog {
 public:
  explicit PrivateRsyslog(unsigned short port = 0) {
    static int instances = 0;
    dir_ = testing::test_tls().dir + "/rsyslog-" + std::to_string(++instances);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream{dir_ + "/rsyslog.conf"}
        << "global(workDirectory=\"" << dir_ << "\")\n"
        << "module(load=\"imtcp\")\n"
        << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << port << "\" listenPortFileName=\"" << dir_
        << "/port\")\n"
        << "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"
        << "template(name=\"fields\" type=\"string\" "
           "string=\"%pri%|%protocol-version%|%hostname%|%app-name%|%procid%|%msgid%\\n\")\n"
        << "action(type=\"omfile\" file=\"" << dir_ << "/raw.log\" template=\"raw\")\n"
        << "action(type=\"omfile\" file=\"" << dir_ << "/fields.log\" template=\"fields\")\n";
    child_ = std::make_unique<testing::Child>(
        std::vector<std::string>{kRsyslogd, "-n", "-f", dir_ + "/rsyslog.conf", "-i", dir_ + "/rsyslogd.pid"},
        dir_ + "/rsyslogd.out");
    // rsyslogd writes the port file only for a port it picked itself (port 0).
    const bool listening = testing::wait_for(
        [&] { return port != 0 ? accepts_connections(port) : !testing::slurp(dir_ + "/port").empty(); },
        std::chrono::seconds(10), std::chrono::milliseconds(50));
    if (!listening)
      throw std::runtime_error("rsyslogd did not listen: " + testing::slurp(dir_ + "/rsyslogd.out"));
    port_ = port != 0 ? port : static_cast<unsigned short>(std::stoi(testing::slurp(dir_ + "/port")));
  }
  [[nodiscard]] std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::vector<std::string> raw() const { return lines_of(dir_ + "/raw.log"); }
  [[nodiscard]] std::vector<std::string> fields() const { return lines_of(dir_ + "/fields.log"); }
  // Waits until a raw line holds `text`.
  bool wait_for_text(const std::string& text, std::chrono::seconds limit) const {
    return testing::wait_for(
        [&] { return testing::slurp(dir_ + "/raw.log").find(text) != std::string::npos; }, limit);
  }

 private:
  std::string dir_;
  unsigned short port_ = 0;
  std::unique_ptr<testing::Child> child_;
};

// One received message split by RFC 5424's grammar (header, structured data, BOM, MSG).
struct Received {
  int pri = 0;
  std::string timestamp, hostname, app_name, procid, msgid, structured_data;
  json body;
};

std::optional<Received> parse_rfc5424(const std::string& line) {
  static const std::regex grammar{
      R"(^<([0-9]{1,3})>1 ([^ ]+) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) ((?:\[[^\]\\"]*(?:"(?:[^"\\]|\\.)*"[^\]\\"]*)*\])+) (.*)$)"};
  std::smatch m;
  if (!std::regex_match(line, m, grammar)) return std::nullopt;
  Received r;
  r.pri = std::stoi(m[1]);
  r.timestamp = m[2];
  r.hostname = m[3];
  r.app_name = m[4];
  r.procid = m[5];
  r.msgid = m[6];
  r.structured_data = m[7];
  const std::string msg = m[8];
  if (msg.rfind(kBom, 0) != 0) return std::nullopt;
  r.body = json::parse(msg.substr(kBom.size()), nullptr, false);
  if (r.body.is_discarded()) return std::nullopt;
  return r;
}

class SiemE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    ASSERT_TRUE(fs::exists(kRsyslogd))
        << "rsyslogd is missing: scripts/lib/common.sh installs Debian's rsyslog";
    db = std::make_unique<testing::TestDatabase>();
  }
  void start_server(const std::string& syslog_target) {
    server = std::make_unique<testing::ServerProcess>(
        *db, testing::example_site_env(
                 {{"PORTCULLIS_SYSLOG_TARGET", syslog_target},
                  {"PORTCULLIS_SYSLOG_HOSTNAME", "portcullis-test"},
                  {"PORTCULLIS_METRICS_TOKEN_SHA256", operators::crypto::sha256_hex(kScrapeToken)}}));
    device_token = server->enrol_device("ctl-lobby");
    server->start();
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
  }
  std::string metric(const std::string& name) {
    const auto body = client->get("/metrics", kScrapeToken).body;
    const auto at = body.find("\n" + name + " ");
    return at == std::string::npos
               ? ""
               : body.substr(at + name.size() + 2, body.find('\n', at + 1) - at - name.size() - 2);
  }

  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
  std::string device_token;
};

TEST_F(SiemE2E, AlarmsFailedSignInsAndDeniedBadgesReachARealSyslogReceiverAsRfc5424) {
  PrivateRsyslog receiver;
  start_server(receiver.target());
  const auto guard = testing::create_operator(*server, "gil", "guard", "farah-haddad");
  const auto token = testing::sign_in(*client, guard);
  // A failed sign-in, a badge nobody holds, then Alice into reception and the office twice without leaving
  // (soft anti-passback raises an alarm), which the guard acknowledges.
  const testing::TestOperator wrong{guard.id, "not-the-password", guard.totp_secret};
  EXPECT_EQ(client->post_json("/api/v1/auth/login", testing::login_body(wrong, testing::current_code(guard)))
                .status,
            401);
  const auto denied =
      client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 99999), device_token);
  ASSERT_EQ(denied.status, 200) << denied.body;
  for (const auto& [seq, reader] : std::vector<std::pair<int, std::string>>{
           {2, "rdr-lobby-in"}, {3, "rdr-office-in"}, {4, "rdr-office-in"}})
    ASSERT_EQ(
        client->post_json("/api/v1/events", testing::lobby_badge(seq, reader, 10001), device_token).status,
        200);
  const auto alarms = json::parse(client->get("/api/v1/alarms", token).body).at("alarms");
  ASSERT_FALSE(alarms.empty()) << "no alarm raised";
  const std::string alarm_id = alarms.front().at("id");
  ASSERT_EQ(
      client
          ->post_json("/api/v1/alarms/" + alarm_id + "/acknowledge", R"({"comment":"spoke to Alice"})", token)
          .status,
      200);
  ASSERT_TRUE(receiver.wait_for_text(" alarm.acknowledged ", std::chrono::seconds(15)))
      << "the acknowledgement never reached the receiver:\n"
      << server->log();

  pqxx::connection site_db{db->admin()};
  std::set<std::string> seen, denial_reasons;
  const auto raw = receiver.raw();
  for (const auto& line : raw) {
    const auto message = parse_rfc5424(line);
    ASSERT_TRUE(message.has_value()) << "not RFC 5424 with a JSON body: " << line;
    const int severity = message->pri % 8;
    EXPECT_EQ(message->pri / 8, 10) << "facility authpriv: " << line;
    EXPECT_TRUE(util::parse_rfc3339(message->timestamp, util::kAuditTime).ok()) << line;
    EXPECT_EQ(message->hostname, "portcullis-test");
    EXPECT_EQ(message->app_name, "portcullisd");
    EXPECT_EQ(message->procid, std::to_string(server->pid()));
    const auto& body = message->body;
    EXPECT_EQ(body.at("event"), message->msgid) << line;
    EXPECT_EQ(body.at("site_id"), "ams-dc1") << line;
    const auto site_seq = body.at("site_seq").get<std::int64_t>();
    EXPECT_NE(message->structured_data.find("[portcullis@32473 site_id=\"ams-dc1\" site_seq=\"" +
                                            std::to_string(site_seq) + "\" event=\"" + message->msgid + "\""),
              std::string::npos)
        << line;
    // Forwarded only once committed: the record it names is in the history, with that type.
    pqxx::read_transaction tx{site_db};
    const auto stored =
        tx.exec_params("SELECT type FROM events WHERE site_id = 'ams-dc1' AND site_seq = $1", site_seq);
    ASSERT_EQ(stored.size(), 1u) << "forwarded but not in the history: " << line;
    EXPECT_EQ(stored[0][0].as<std::string>(), body.at("record_type").get<std::string>()) << line;
    if (message->msgid == "operator.login_failed") {
      EXPECT_EQ(severity, 4) << line;
      EXPECT_EQ(body.at("payload").dump().find("gil") != std::string::npos, true) << line;
    }
    if (message->msgid == "access.denied") denial_reasons.insert(body.at("reason").get<std::string>());
    if (message->msgid == "alarm.raised" || message->msgid == "alarm.acknowledged") {
      EXPECT_EQ(body.at("alarm").at("id"), alarm_id) << line;
      EXPECT_NE(message->structured_data.find("alarm_id=\"" + alarm_id + "\""), std::string::npos) << line;
    }
    if (message->msgid == "alarm.acknowledged") {
      EXPECT_EQ(body.at("alarm").at("acknowledged_by"), "gil") << line;
    }
    seen.insert(message->msgid);
  }
  for (const char* expected : {"operator.password_changed", "operator.login_failed", "access.denied",
                               "alarm.raised", "alarm.acknowledged"})
    EXPECT_TRUE(seen.contains(expected)) << expected << " was not forwarded";
  EXPECT_TRUE(denial_reasons.contains("unknown_credential")) << "the badge nobody holds was not forwarded";
  // rsyslog's own RFC 5424 parser read the same header fields (a message it cannot parse as RFC 5424 would
  // come out with other fields as RFC 3164).
  const auto fields = receiver.fields();
  ASSERT_EQ(fields.size(), raw.size());
  for (const auto& line : fields) {
    EXPECT_NE(line.find("|1|portcullis-test|portcullisd|" + std::to_string(server->pid()) + "|"),
              std::string::npos)
        << line;
  }
}

TEST_F(SiemE2E, ADownReceiverDoesNotStallAccessDecisionsAndGetsTheEventsWhenItIsBack) {
  const auto port = free_port();
  start_server("127.0.0.1:" + std::to_string(port));
  for (int seq = 1; seq <= 20; ++seq) {
    const auto began = std::chrono::steady_clock::now();
    const auto r =
        client->post_json("/api/v1/events", testing::lobby_badge(seq, "rdr-lobby-in", 99999), device_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(2))
        << "a denied badge waited for the absent SIEM";
  }
  EXPECT_EQ(metric("portcullis_siem_connected"), "0");
  EXPECT_NE(metric("portcullis_siem_connect_failures_total"), "0");
  const auto queued = std::stoul("0" + metric("portcullis_siem_queue_depth"));
  EXPECT_GE(queued, 20u) << "the denials wait in the queue";

  PrivateRsyslog receiver{
      port};  // the receiver comes back: the queued denials are sent (retries back off to 30 s)
  EXPECT_TRUE(testing::wait_for([&] { return receiver.raw().size() >= queued; }, std::chrono::seconds(40)))
      << receiver.raw().size() << " of " << queued << " arrived";
  EXPECT_EQ(metric("portcullis_siem_messages_dropped_total"), "0");
  EXPECT_EQ(metric("portcullis_siem_connected"), "1");
}

// What journald, Loki or a SIEM agent reads from stderr: every line one JSON object with ts, level,
// component and msg, from start-up to stop, including the lines of failed requests.
TEST_F(SiemE2E, EveryLineTheServerWritesOnStderrIsOneJsonObject) {
  start_server("127.0.0.1:" + std::to_string(free_port()));  // a down receiver adds its own warning
  EXPECT_EQ(
      client->post_json("/api/v1/auth/login", R"({"username":"ghost","password":"x","totp":"1"})").status,
      401);
  EXPECT_EQ(client->post_json("/api/v1/events", "{not json", device_token).status, 400);
  server->stop();
  const auto lines = lines_of(testing::test_tls().dir + "/server-" + db->name() + ".log");
  ASSERT_GE(lines.size(), 2u);
  std::set<std::string> messages;
  for (const auto& line : lines) {
    const auto parsed = json::parse(line, nullptr, false);
    ASSERT_TRUE(parsed.is_object()) << "not one JSON object: " << line;
    ASSERT_TRUE(parsed.contains("ts") && parsed.contains("level") && parsed.contains("component") &&
                parsed.contains("msg"))
        << line;
    EXPECT_TRUE(util::parse_rfc3339(parsed.at("ts").get<std::string>()).ok()) << line;
    EXPECT_TRUE(parsed.at("level") == "info" || parsed.at("level") == "warning" ||
                parsed.at("level") == "error")
        << line;
    messages.insert(parsed.at("msg").get<std::string>().substr(0, 21));
  }
  EXPECT_TRUE(messages.contains("listening on https://")) << lines.front();
  EXPECT_TRUE(messages.contains("stopped"));
}

}  // namespace
}  // namespace portcullis
