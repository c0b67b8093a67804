// The EPCIS routes' own body limit end to end: a capture document over 1 MiB is taken on /epcis/capture while
// the same bytes are refused with 413 on /api/v1/events (every other route keeps 1 MiB); a document over the
// EPCIS limit, or with more events than the parser takes, gets an error naming the limit; and the server's
// peak memory for a 16 MiB document is measured (printed, and bounded).
#include <gtest/gtest.h>

#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/http/router.hpp"

namespace portcullis {
namespace {

using nlohmann::json;

constexpr std::size_t kMiB = 1024 * 1024;

// One OBSERVE event as RFID middleware sends them: a few EPCs seen by a cage reader. About 420 bytes.
std::string observe_event(std::size_t i, int epcs) {
  char id[48];
  std::snprintf(id, sizeof id, "urn:uuid:5a3c9e2e-7d41-4f0b-9c1e-%012zu", i);
  std::string e =
      R"({"type":"ObjectEvent","eventID":")" + std::string(id) +
      R"(","eventTime":"2026-11-27T11:00:00.123+01:00","eventTimeZoneOffset":"+01:00","epcList":[)";
  for (int k = 0; k < epcs; ++k) {
    if (k) e += ',';
    e += "\"urn:epc:id:giai:4012345.TAG-" + std::to_string(i) + "-" + std::to_string(k) + "\"";
  }
  e += R"(],"action":"OBSERVE","bizStep":"inspecting","disposition":"in_progress",)"
       R"("readPoint":{"id":"rfid-cage-in"}})";
  return e;
}

// A capture document of `events` events, padded with spaces (insignificant JSON whitespace) to at least
// `min_bytes`.
std::string document(std::size_t events, int epcs = 3, std::size_t min_bytes = 0) {
  std::string d = R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],)"
                  R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-27T11:00:00Z",)"
                  R"("epcisBody":{"eventList":[)";
  for (std::size_t i = 0; i < events; ++i) {
    if (i) d += ',';
    d += observe_event(i, epcs);
  }
  d += "]}";
  if (d.size() + 1 < min_bytes) d += std::string(min_bytes - d.size() - 1, ' ');
  return d + "}";
}

// The server process (a child of this test) and its peak resident memory so far, in KiB.
long server_peak_rss_kib() {
  const auto self = getpid();
  long best = -1;
  if (DIR* proc = opendir("/proc")) {
    while (const dirent* entry = readdir(proc)) {
      const std::string pid = entry->d_name;
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream status("/proc/" + pid + "/status");
      std::string line, name;
      long ppid = -1, hwm = -1;
      while (std::getline(status, line)) {
        std::istringstream in(line);
        std::string key;
        in >> key;
        if (key == "Name:") in >> name;
        if (key == "PPid:") in >> ppid;
        if (key == "VmHWM:") in >> hwm;
      }
      if (name == "portcullisd" && ppid == self) best = hwm;
    }
    closedir(proc);
  }
  return best;
}

class EpcisLimitsE2E : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> env = {}) {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    server = std::make_unique<testing::ServerProcess>(*db, testing::example_site_env(std::move(env)));
    reader = server->enrol_device("rfid-cage-door", "rfid-reader");
    server->start();
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
  }
  client::HttpReply capture(const std::string& body) {
    return client->request("POST", "/epcis/capture", body, reader);
  }
  static json error_of(const client::HttpReply& r) { return json::parse(r.body).at("error"); }

  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
  std::string reader;
};

TEST_F(EpcisLimitsE2E, ADocumentOverOneMiBIsTakenOnCaptureAndRefusedElsewhere) {
  start();
  if (!server) return;
  const auto body = document(3000);
  ASSERT_GT(body.size(), 1 * kMiB);
  const auto r = capture(body);
  ASSERT_EQ(r.status, 202) << r.body.substr(0, 500);
  EXPECT_EQ(json::parse(r.body).at("events").size(), 3000U);

  // The same bytes on the native device API: the server's 1 MiB limit still holds there.
  const auto refused = client->post_json("/api/v1/events", body, reader);
  EXPECT_EQ(refused.status, 413);
  EXPECT_EQ(error_of(refused).at("field"), "body");
  EXPECT_EQ(error_of(refused).at("message"), "request body exceeds 1048576 bytes") << refused.body;
}

TEST_F(EpcisLimitsE2E, OverTheEpcisLimitsTheErrorNamesTheLimit) {
  start();
  if (!server) return;
  // Over 16 MiB: refused from the Content-Length, before any of it is parsed.
  const auto huge = capture(document(10, 3, 16 * kMiB + 1));
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(error_of(huge).at("field"), "body");
  EXPECT_EQ(error_of(huge).at("message"),
            "request body exceeds 16777216 bytes (the limit of POST /epcis/capture)");
  // Under 16 MiB but more events than a document may carry.
  const auto many_events = document(40'001, 1);
  ASSERT_LT(many_events.size(), 16 * kMiB);
  const auto many = capture(many_events);
  EXPECT_EQ(many.status, 400);
  EXPECT_EQ(error_of(many).at("field"), "epcisBody.eventList");
  EXPECT_EQ(error_of(many).at("message"), "more than 40000 events in one document");
  // The single-event route has the same limit.
  const auto event = client->request("POST", "/epcis/events", std::string(16 * kMiB + 1, ' '), reader);
  EXPECT_EQ(event.status, 413);
}

TEST_F(EpcisLimitsE2E, TheLimitIsConfigurable) {
  start({{"PORTCULLIS_EPCIS_BODY_LIMIT", "2MiB"}});
  if (!server) return;
  const auto over = capture(document(10, 3, 2 * kMiB + 1));
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(error_of(over).at("message"),
            "request body exceeds 2097152 bytes (the limit of POST /epcis/capture)");
  EXPECT_EQ(capture(document(10, 3, 2 * kMiB)).status, 202);
}

// The peak resident memory of the server for a 16 MiB capture document (the largest allowed): parsed into a
// JSON DOM, checked, mapped and applied. Printed for docs/epcis.md; bounded well under a gigabyte.
TEST_F(EpcisLimitsE2E, PeakMemoryForASixteenMiBDocument) {
  start();
  if (!server) return;
  // As many ~420-byte events as fit under 16 MiB (the 40,000-event limit binds first).
  const std::size_t events =
      std::min<std::size_t>(40'000, (16 * kMiB - 400) / (observe_event(99999, 3).size() + 1));
  auto body = document(events, 3);
  if (body.size() < 16 * kMiB) body = document(events, 3, 16 * kMiB);  // pad the rest with whitespace
  ASSERT_LE(body.size(), 16 * kMiB);
  const long before = server_peak_rss_kib();
  ASSERT_GT(before, 0) << "the server process was not found under /proc";
  const auto started = std::chrono::steady_clock::now();
  const auto r = capture(body);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();
  ASSERT_EQ(r.status, 202) << r.body.substr(0, 500);
  const long after = server_peak_rss_kib();
  std::cout << "16 MiB capture document (" << body.size() << " bytes, " << events
            << " events of 3 EPCs): " << ms << " ms; server peak RSS " << before / 1024 << " MiB before, "
            << after / 1024 << " MiB after\n";
  EXPECT_LT(after, 1024L * 1024L);  // KiB: under 1 GiB
}

// Per-route body limits in the router (pure: no server needed).
TEST(RouterBodyLimit, OnlyTheRoutesGivenOneHaveIt) {
  http::Router r;
  auto nothing = [](const http::HttpRequest&, const http::RouteParams&, http::Responder) {};
  r.add("POST", "/epcis/capture", nothing);
  r.add("POST", "/api/v1/events", nothing);
  r.add("PUT", "/api/v1/assets/{id}", nothing);
  EXPECT_EQ(r.largest_body_limit(), 0U);
  EXPECT_FALSE(r.body_limit("POST", "/epcis/capture"));
  r.set_body_limit("POST", "/epcis/capture", 16 * kMiB);
  r.set_body_limit("PUT", "/api/v1/assets/{id}", 2 * kMiB);
  EXPECT_EQ(r.body_limit("POST", "/epcis/capture"), 16 * kMiB);
  EXPECT_EQ(r.body_limit("POST", "/epcis/capture/"), 16 * kMiB);  // the same path to the router
  EXPECT_FALSE(r.body_limit("GET", "/epcis/capture"));
  EXPECT_FALSE(r.body_limit("POST", "/epcis/capture/more"));
  EXPECT_FALSE(r.body_limit("POST", "/epcis"));
  EXPECT_FALSE(r.body_limit("POST", "/api/v1/events"));
  EXPECT_EQ(r.body_limit("PUT", "/api/v1/assets/srv-1"), 2 * kMiB);
  EXPECT_EQ(r.largest_body_limit(), 16 * kMiB);
  r.set_body_limit("POST", "/epcis/capture", 4 * kMiB);  // set again: replaced
  EXPECT_EQ(r.body_limit("POST", "/epcis/capture"), 4 * kMiB);
  EXPECT_EQ(r.largest_body_limit(), 4 * kMiB);
}

}  // namespace
}  // namespace portcullis
