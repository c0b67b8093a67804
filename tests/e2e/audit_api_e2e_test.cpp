// The auditor's REST routes end to end: reports over HTTPS as auditor (CSV, JSON Lines, PDF; refused for a
// guard), the request itself recorded in the event log, a signed evidence export downloaded and verified
// offline, and the chain status.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "operator_support.hpp"
#include "portcullis/api/audit_api.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/audit/signing.hpp"
#include "portcullis/audit/text_format.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/http/http_types.hpp"
#include "portcullis/util/query_string.hpp"

namespace portcullis {
namespace {

using nlohmann::json;

std::vector<std::string> lines(const std::string& text, const std::string& eol) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto end = text.find(eol); end != std::string::npos; end = text.find(eol, start)) {
    out.push_back(text.substr(start, end - start));
    start = end + eol.size();
  }
  return out;
}

class AuditApiE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() / ("portcullis-audit-e2e-" + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    keys = audit::generate_key_files((dir / "keys").string());
    db = std::make_unique<testing::TestDatabase>();
    server = std::make_unique<testing::ServerProcess>(
        *db, testing::example_site_env({{"PORTCULLIS_AUDIT_KEY", keys.private_path},
                                        {"PORTCULLIS_AUDIT_EXPORT_DIR", (dir / "exports").string()}}));
    device_token = server->enrol_device("ctl-lobby");
    server->start();
    client = std::make_unique<client::HttpsClient>("localhost", server->port(),
                                                   client::ClientTls{testing::test_tls().ca, "", ""});
    auditor = testing::create_operator(*server, "audrey", "auditor");
    auditor_token = testing::sign_in(*client, auditor);
  }
  void TearDown() override {
    server.reset();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }

  // Badges alice twice, with her revocation in between.
  void seed() {
    const auto supervisor = testing::create_operator(*server, "sam", "supervisor");
    const auto token = testing::sign_in(*client, supervisor);
    ASSERT_EQ(
        client->post_json("/api/v1/events", testing::lobby_badge(1, "rdr-lobby-in", 10001), device_token)
            .status,
        200);
    ASSERT_EQ(client->post_json("/api/v1/people/alice-nguyen/revoke", R"({"reason":"left"})", token).status,
              200);
    ASSERT_EQ(
        client->post_json("/api/v1/events", testing::lobby_badge(2, "rdr-lobby-in", 10001), device_token)
            .status,
        200);
  }

  std::filesystem::path dir;
  audit::KeyFiles keys;
  std::unique_ptr<testing::TestDatabase> db;
  std::unique_ptr<testing::ServerProcess> server;
  std::unique_ptr<client::HttpsClient> client;
  std::string device_token;
  testing::TestOperator auditor;
  std::string auditor_token;
};

TEST_F(AuditApiE2E, AuditorGetsReportsAndAGuardIsRefused) {
  seed();
  const auto csv = client->get("/api/v1/audit/reports/access?format=csv&person=alice-nguyen", auditor_token);
  ASSERT_EQ(csv.status, 200) << csv.body;
  const auto rows = lines(csv.body, "\r\n");
  // Her two badges and, between them, the revocation (an operator action's decision names her too).
  ASSERT_EQ(rows.size(), 4U) << csv.body;
  EXPECT_EQ(rows[0].rfind("site_seq,received_at,device_time,device_id,event_type,verdict,", 0), 0U);
  EXPECT_NE(rows[1].find(",credential,grant,granted,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find(",policy.revoke_person,grant,applied,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[3].find(",credential,deny,person_revoked,"), std::string::npos) << rows[3];

  const auto jsonl = client->get("/api/v1/audit/reports/revoked-use?format=jsonl", auditor_token);
  ASSERT_EQ(jsonl.status, 200) << jsonl.body;
  const auto revoked = lines(jsonl.body, "\n");
  ASSERT_EQ(revoked.size(), 1U) << jsonl.body;
  const auto row = json::parse(revoked[0]);
  EXPECT_EQ(row.at("person"), "alice-nguyen");
  EXPECT_EQ(row.at("finding"), "use_denied");
  EXPECT_EQ(row.at("revoked_by"), "sam");

  const auto pdf = client->get("/api/v1/audit/reports/denied?format=pdf", auditor_token);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.body.rfind("%PDF-1.", 0), 0U);
  EXPECT_NE(pdf.body.find("portcullis-audit"), std::string::npos);  // the document's Creator
  EXPECT_NE(pdf.body.rfind("%%EOF"), std::string::npos);

  // The older route name answers the same.
  EXPECT_EQ(client->get("/api/v1/reports/access?format=csv&person=alice-nguyen", auditor_token).body,
            csv.body);

  const auto listing = client->get("/api/v1/audit/reports", auditor_token);
  ASSERT_EQ(listing.status, 200);
  EXPECT_EQ(json::parse(listing.body).at("reports").size(), 9U);

  const auto guard = testing::create_operator(*server, "gus", "guard");
  const auto guard_token = testing::sign_in(*client, guard);
  EXPECT_EQ(client->get("/api/v1/audit/reports/access?format=csv", guard_token).status, 403);
  EXPECT_EQ(client->get("/api/v1/audit/chain", guard_token).status, 403);
  EXPECT_EQ(client->post_json("/api/v1/audit/exports/access", "", guard_token).status, 403);
  EXPECT_EQ(client->get("/api/v1/audit/reports/access").status, 401);
}

TEST_F(AuditApiE2E, BadRequestsAreRefusedWithTheField) {
  auto r = client->get("/api/v1/audit/reports/everything", auditor_token);
  EXPECT_EQ(r.status, 404) << r.body;
  r = client->get("/api/v1/audit/reports/access?colour=red", auditor_token);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("colour"), std::string::npos) << r.body;
  r = client->get("/api/v1/audit/reports/presence?from=2026-11-27", auditor_token);
  EXPECT_EQ(r.status, 400) << r.body;
  r = client->get("/api/v1/audit/reports/access?from=2026-11-27T09:00:00%2B01:00&to=yesterday",
                  auditor_token);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("\"to\""), std::string::npos) << r.body;
  r = client->get("/api/v1/audit/reports/access?format=xlsx", auditor_token);
  EXPECT_EQ(r.status, 400);
  // Refused at the edge: '%' is outside the identifier grammar of path parameters.
  r = client->get("/api/v1/audit/exports/..%2Fkeys%2Faudit-key.pem", auditor_token);
  EXPECT_EQ(r.status, 400);
}

TEST_F(AuditApiE2E, EachRequestIsRecordedInTheEventLogBeforeTheData) {
  seed();
  ASSERT_EQ(
      client->get("/api/v1/audit/reports/denied?format=jsonl&person=alice-nguyen", auditor_token).status,
      200);
  pqxx::connection c{db->app()};
  pqxx::read_transaction tx{c};
  const auto rows = tx.exec(
      "SELECT source, payload, site_seq FROM events WHERE type = 'audit.report_requested' ORDER BY site_seq");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0][0].as<std::string>(), "operator");
  const auto payload = json::parse(rows[0][1].as<std::string>());
  EXPECT_EQ(payload.at("operator"), "audrey");
  EXPECT_EQ(payload.at("role"), "auditor");
  EXPECT_EQ(payload.at("report"), "denied");
  EXPECT_EQ(payload.at("format"), "jsonl");
  EXPECT_EQ(payload.at("filters").at("person"), "alice-nguyen");
  // The record is part of the chain like every other.
  const auto chain = client->get("/api/v1/audit/chain", auditor_token);
  ASSERT_EQ(chain.status, 200) << chain.body;
  const auto status = json::parse(chain.body);
  EXPECT_TRUE(status.at("intact").get<bool>()) << chain.body;
  EXPECT_GE(status.at("events").get<int>(), 5);
  EXPECT_EQ(tx.exec("SELECT 1 FROM events WHERE type = 'audit.chain_checked'").size(), 1U);
}

TEST_F(AuditApiE2E, SignedEvidenceExportDownloadsAndVerifiesOffline) {
  seed();
  const auto made =
      client->post_json("/api/v1/audit/exports/access?format=pdf&person=alice-nguyen", "", auditor_token);
  ASSERT_EQ(made.status, 200) << made.body;
  const auto answer = json::parse(made.body);
  EXPECT_EQ(answer.at("manifest").at("rows"), 3);
  EXPECT_EQ(answer.at("manifest").at("output_format"), "pdf");
  const std::string file = answer.at("file");
  const auto body = client->get("/api/v1/audit/exports/" + file, auditor_token);
  ASSERT_EQ(body.status, 200);
  const auto manifest = client->get("/api/v1/audit/exports/" + file + ".sig.json", auditor_token);
  ASSERT_EQ(manifest.status, 200);
  const auto local = (dir / "download.pdf").string();
  std::ofstream{local, std::ios::binary} << body.body;
  std::ofstream{local + ".sig.json", std::ios::binary} << manifest.body;
  const auto check = audit::verify_export(local, keys.public_path, local + ".sig.json");
  EXPECT_TRUE(check.ok) << check.problem;
  auto changed = body.body;
  changed[changed.size() / 2] = static_cast<char>(changed[changed.size() / 2] ^ 1);
  std::ofstream{local, std::ios::binary | std::ios::trunc} << changed;
  EXPECT_FALSE(audit::verify_export(local, keys.public_path, local + ".sig.json").ok);

  pqxx::connection c{db->app()};
  pqxx::read_transaction tx{c};
  EXPECT_EQ(tx.exec("SELECT 1 FROM events WHERE type = 'audit.export_requested'").size(), 1U);
  EXPECT_EQ(tx.exec("SELECT 1 FROM events WHERE type = 'audit.export_downloaded'").size(), 2U);
}

// GET /api/v1/audit/chain is incremental: a call verifies the rows appended since the last one; full=true
// re-verifies everything. Rows are edited as superuser (bypassing the append-only triggers), as a forger with
// database access would.
TEST_F(AuditApiE2E, ChainStatusVerifiesOnlyNewRowsUnlessAFullVerificationIsAsked) {
  seed();
  auto chain = [&](const std::string& query = "") {
    const auto r = client->get("/api/v1/audit/chain" + query, auditor_token);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  };
  auto head = [&] {
    pqxx::connection c{db->app()};
    pqxx::read_transaction tx{c};
    return tx.exec("SELECT max(site_seq) FROM events")[0][0].as<std::int64_t>();
  };
  auto as_superuser = [&](const std::string& sql) {
    pqxx::connection c{db->admin()};
    pqxx::work tx{c};
    tx.exec("SET session_replication_role = replica");
    tx.exec(sql);
    tx.commit();
  };

  const auto first = chain();
  EXPECT_TRUE(first.at("intact").get<bool>()) << first;
  const auto& v1 = first.at("verification");
  EXPECT_EQ(v1.at("mode"), "full");
  EXPECT_EQ(v1.at("full_because"), "no remembered point");
  EXPECT_EQ(v1.at("from_seq"), 1);
  const auto through1 = v1.at("through_seq").get<std::int64_t>();
  EXPECT_EQ(v1.at("rows_checked").get<std::int64_t>(), through1);
  EXPECT_EQ(v1.at("last_full").at("through_seq"), through1);
  EXPECT_GE(through1, 5);

  // (a) A second call verifies only what was appended since: two badges and its own audit record.
  ASSERT_EQ(client->post_json("/api/v1/events", testing::lobby_badge(3, "rdr-lobby-in", 10002), device_token)
                .status,
            200);
  ASSERT_EQ(client->post_json("/api/v1/events", testing::lobby_badge(4, "rdr-lobby-in", 10002), device_token)
                .status,
            200);
  const auto second = chain();
  EXPECT_TRUE(second.at("intact").get<bool>()) << second;
  const auto& v2 = second.at("verification");
  EXPECT_EQ(v2.at("mode"), "incremental");
  EXPECT_EQ(v2.at("from_seq").get<std::int64_t>(), through1 + 1);
  const auto through2 = v2.at("through_seq").get<std::int64_t>();
  EXPECT_EQ(v2.at("rows_checked").get<std::int64_t>(), through2 - through1);
  EXPECT_GE(through2 - through1, 3);
  EXPECT_EQ(second.at("events").get<std::int64_t>(), through2);
  EXPECT_EQ(v2.at("last_full"), v1.at("last_full"));  // no full verification since the first call
  EXPECT_TRUE(v2.at("history_contradiction").is_null());

  // (c) A broken link between the remembered row and the next one is found by an incremental call.
  ASSERT_EQ(client->post_json("/api/v1/events", testing::lobby_badge(5, "rdr-lobby-in", 10002), device_token)
                .status,
            200);
  const auto cut = head();
  ASSERT_GT(cut, through2);
  as_superuser("UPDATE events SET prev_hash = sha256(prev_hash) WHERE site_seq = " + std::to_string(cut));
  const auto third = chain();
  EXPECT_EQ(third.at("verification").at("mode"), "incremental");
  EXPECT_FALSE(third.at("intact").get<bool>()) << third;
  EXPECT_FALSE(third.at("ok").get<bool>());
  EXPECT_EQ(third.at("first_bad_seq").get<std::int64_t>(), cut);
  EXPECT_NE(third.at("problem").get<std::string>().find("prev_hash"), std::string::npos) << third;

  // (b) An edit of an early row is outside an incremental call's reach; full=true finds it.
  as_superuser("UPDATE events SET payload = '{\"forged\":1}' WHERE site_seq = 2");
  const auto full = chain("?full=true");
  const auto& vf = full.at("verification");
  EXPECT_EQ(vf.at("mode"), "full");
  EXPECT_EQ(vf.at("full_because"), "requested");
  EXPECT_EQ(vf.at("from_seq"), 1);
  EXPECT_FALSE(full.at("intact").get<bool>()) << full;
  EXPECT_EQ(full.at("first_bad_seq"), 2);
  EXPECT_NE(full.at("problem").get<std::string>().find("content was changed"), std::string::npos) << full;
  EXPECT_EQ(vf.at("last_full").at("intact"), false);
  EXPECT_EQ(vf.at("last_full").at("through_seq"), 1);
  // The point was reset to the last good row: the next incremental call reports the same break.
  const auto after = chain();
  EXPECT_EQ(after.at("verification").at("mode"), "incremental");
  EXPECT_EQ(after.at("first_bad_seq"), 2);

  const auto bad = client->get("/api/v1/audit/chain?full=maybe", auditor_token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"full\""), std::string::npos) << bad.body;
  pqxx::connection c{db->app()};
  pqxx::read_transaction tx{c};
  const auto recorded =
      tx.exec("SELECT payload FROM events WHERE type = 'audit.chain_checked' ORDER BY site_seq");
  ASSERT_EQ(recorded.size(), 5U);  // the refused request is not run, so not recorded
  EXPECT_EQ(json::parse(recorded[3][0].as<std::string>()).at("full"), true);
}

// The query parsing of the report routes (pure: no server needed).
TEST(AuditQuery, ParsesFiltersAndRefusesWhatItDoesNotKnow) {
  using api::QueryError;
  using api::ReportQuery;
  auto q = api::parse_report_query(
      "after-hours",
      "format=jsonl&person=o%27brien&from=2026-11-27T09:00:00%2B01:00&hours=20:00-06:00"
      "&tz=Europe%2FBerlin&&");
  ASSERT_TRUE(std::holds_alternative<ReportQuery>(q));
  const auto& r = std::get<ReportQuery>(q);
  EXPECT_EQ(r.kind, audit::ReportKind::AfterHours);
  EXPECT_EQ(r.format, audit::OutputFormat::JsonLines);
  EXPECT_EQ(r.filter.person, "o'brien");
  EXPECT_EQ(r.filter.from_us, audit::parse_time("2026-11-27T08:00:00Z"));
  EXPECT_EQ(r.filter.time_zone, "Europe/Berlin");
  EXPECT_EQ(r.filter.window.start_minute, 20 * 60);
  EXPECT_EQ(std::get<ReportQuery>(api::parse_report_query("custody", "")).format, audit::OutputFormat::Csv);

  auto error = [](const std::string& report, const std::string& query) {
    const auto parsed = api::parse_report_query(report, query);
    return std::holds_alternative<QueryError>(parsed) ? std::get<QueryError>(parsed) : QueryError{0, "", ""};
  };
  EXPECT_EQ(error("nope", "").status, 404);
  EXPECT_EQ(error("access", "person=a&person=b").field, "person");
  EXPECT_EQ(error("access", "colour=red").field, "colour");
  EXPECT_EQ(error("access", "person=%zz").field, "query");
  EXPECT_EQ(error("access", "person=%4").field, "query");
  EXPECT_EQ(error("access", "format=xml").field, "format");
  EXPECT_EQ(error("access", "asset=srv-1").status, 400);
  EXPECT_EQ(error("presence", "from=2026-11-27").status, 400);
  EXPECT_EQ(util::percent_decode("a%20b+c%2B"), "a b+c+");
  EXPECT_FALSE(util::percent_decode("%"));

  EXPECT_FALSE(std::get<api::ChainQuery>(api::parse_chain_query("")).full);
  EXPECT_TRUE(std::get<api::ChainQuery>(api::parse_chain_query("full=true")).full);
  EXPECT_TRUE(std::get<api::ChainQuery>(api::parse_chain_query("full=1")).full);
  EXPECT_FALSE(std::get<api::ChainQuery>(api::parse_chain_query("full=false")).full);
  EXPECT_EQ(std::get<QueryError>(api::parse_chain_query("full=yes")).field, "full");
  EXPECT_EQ(std::get<QueryError>(api::parse_chain_query("full=true&full=true")).field, "full");
  EXPECT_EQ(std::get<QueryError>(api::parse_chain_query("from=1")).field, "from");
}

// The bounded channel between a report thread and its connection (pure: no server needed).
TEST(BodyChannel, HoldsAtMostItsCapacityAndDeliversInOrder) {
  auto channel = std::make_shared<http::BodyChannel>(2);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < 5; ++i) {
      if (!channel->push("piece " + std::to_string(i))) return;
      ++pushed;
    }
    channel->close(true);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(pushed.load(), 2) << "the producer must wait while the channel is full";
  std::vector<std::string> got;
  bool ended = false;
  bool ok = false;
  while (!ended) {
    std::promise<std::pair<std::optional<std::string>, bool>> next;
    channel->pull([&](std::optional<std::string> piece, bool done_ok) {
      next.set_value({std::move(piece), done_ok});
    });
    auto [piece, piece_ok] = next.get_future().get();
    if (piece) {
      got.push_back(*piece);
    } else {
      ended = true;
      ok = piece_ok;
    }
  }
  producer.join();
  EXPECT_EQ(got, (std::vector<std::string>{"piece 0", "piece 1", "piece 2", "piece 3", "piece 4"}));
  EXPECT_TRUE(ok);
}

TEST(BodyChannel, CancelStopsTheProducerAndABrokenBodyIsReported) {
  auto channel = std::make_shared<http::BodyChannel>(1);
  ASSERT_TRUE(channel->push("a"));
  std::thread producer([&] { EXPECT_FALSE(channel->push("b")); });  // blocks: full
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  channel->cancel();  // the client went away
  producer.join();
  EXPECT_FALSE(channel->push("c"));

  auto broken = std::make_shared<http::BodyChannel>(1);
  std::optional<bool> result;
  broken->pull([&](std::optional<std::string> piece, bool ok) {
    EXPECT_FALSE(piece);
    result = ok;
  });
  EXPECT_FALSE(result) << "nothing to deliver yet: the pull waits";
  broken->close(false);
  ASSERT_TRUE(result);
  EXPECT_FALSE(*result);
}

}  // namespace
}  // namespace portcullis
