// portcullisd signs checkpoints of its own history with no cron job (PORTCULLIS_CHECKPOINT_DIR only), and
// tampering it finds reaches operators: a row appended with the application role while the server was
// stopped makes the restarted server record the finding and report itself degraded. Also: TOTP secrets of
// operators created with PORTCULLIS_TOTP_KEY are sealed in the table.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "operator_support.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/ledger/event_record.hpp"
#include "portcullis/storage/event_store.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

TEST(HistoryIntegrityE2E, TheServerSignsItsOwnCheckpointsAndAForgedRowDegradesHealthAfterARestart) {
  PORTCULLIS_REQUIRE_DATABASE();
  testing::TestDatabase db;
  const auto dir = testing::test_tls().dir + "/checkpoints-" + db.name();
  testing::ServerProcess server{db, testing::example_site_env({{"PORTCULLIS_CHECKPOINT_DIR", dir},
                                                               {"PORTCULLIS_TOTP_KEY", dir + ".totp.key"}})};
  std::string out;
  ASSERT_EQ(server.run_tool("add-operator ada guard --person farah-haddad", out), 0) << out;
  server.start();
  server.stop();  // SIGTERM: a clean stop signs the final head
  ASSERT_TRUE(fs::exists(dir + "/key/audit-key.pem"));
  EXPECT_EQ(fs::status(dir + "/key/audit-key.pem").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_TRUE(fs::exists(dir + "/ams-dc1.clean-stop.json")) << server.log();
  {
    pqxx::connection admin{db.admin()};
    pqxx::read_transaction tx{admin};
    EXPECT_EQ(
        tx.exec("SELECT totp_secret FROM operators WHERE operator_id = 'ada'")[0][0].as<std::string>().rfind(
            "aesgcm1:", 0),
        0U);
  }

  // The application role appends a row that chains correctly.
  {
    pqxx::connection app{db.app()};
    std::vector<ledger::EventRecord> rows;
    storage::EventStore{app}.for_each("ams-dc1", 0, [&](const ledger::EventRecord& r) { rows.push_back(r); });
    ASSERT_FALSE(rows.empty());
    ledger::EventRecord forged;
    forged.site_id = "ams-dc1";
    forged.site_seq = rows.back().site_seq + 1;
    forged.source = ledger::Source::Operator;
    forged.type = "policy.add_group_member";
    forged.received_us = rows.back().received_us + 1;
    forged.payload = "{}";
    forged.outcome = "{}";
    ledger::seal(forged, rows.back().hash);
    pqxx::work tx{app};
    storage::EventStore::append(tx, {forged});
    tx.commit();
  }
  server.start();
  client::HttpsClient client{"localhost", server.port(), client::ClientTls{testing::test_tls().ca, "", ""}};
  json health;
  for (int i = 0; i < 50; ++i) {
    health = json::parse(client.get("/api/v1/health").body);
    if (health.at("status") == "degraded") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(health.at("status"), "degraded") << health.dump();
  // Anonymous health says only the status; an operator is told why.
  EXPECT_FALSE(health.contains("history")) << health.dump();
  const auto guard =
      testing::sign_in(client, testing::create_operator(server, "gil", "guard", "george-miller"));
  const auto detailed = json::parse(client.get("/api/v1/health", guard).body);
  EXPECT_EQ(detailed.at("history"), "tampered") << detailed.dump();
  pqxx::connection admin{db.admin()};
  pqxx::read_transaction tx{admin};
  EXPECT_EQ(tx.exec("SELECT count(*) FROM events WHERE type = 'security.chain_tampered' AND payload LIKE "
                    "'%appended while the server was stopped%'")[0][0]
                .as<int>(),
            1)
      << server.log();
}

}  // namespace
}  // namespace portcullis
