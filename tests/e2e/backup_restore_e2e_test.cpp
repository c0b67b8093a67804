// Backup and restore with pgBackRest (docs/operations.md, "Backup and restore (pgBackRest)"): a cluster of
// its own archives its WAL into a pgBackRest repository, is backed up while portcullisd writes to it, and is
// destroyed. Restored to the latest point, the server starts and every event is there; restored to an
// earlier point, the signed checkpoints prove which events were lost and the server refuses to serve until
// an admin acknowledges the loss, which is recorded in the history.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "portcullis/client/https_client.hpp"
#include "server_process.hpp"

namespace portcullis {
namespace {

namespace fs = std::filesystem;

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a bash command line; its exit status, with stdout and stderr in `out`.
int run(const std::string& command, std::string& out) {
  out.clear();
  FILE* pipe = popen(("bash -c " + shell_quoted(command) + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf{};
  while (auto n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// "2026-12-07 10:04:45.123456+00", as pgBackRest's --target takes it.
std::string postgres_time(std::chrono::system_clock::time_point t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t - seconds).count();
  const std::time_t tt = std::chrono::system_clock::to_time_t(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::array<char, 64> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M:%S", &tm);
  std::array<char, 32> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%06lld+00", static_cast<long long>(micros));
  return std::string(text.data()) + fraction.data();
}

// A private PostgreSQL that archives its WAL into a pgBackRest repository, all under one directory. The
// commands run as the cluster's owner (postgres when the test runs as root), as scripts/lib/postgres.sh does.
class BackedUpCluster {
 public:
  BackedUpCluster() {
    const char* state = std::getenv("PORTCULLIS_TEST_STATE");
    std::random_device rd;
    dir_ = (fs::path{state && *state ? state : "/tmp"} / ("backup-" + std::to_string(rd()))).string();
    port_ = std::to_string(20000 + rd() % 20000);
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    std::ofstream(config()) << "[global]\n"
                            << "repo1-path=" << dir_ << "/repo\n"
                            << "repo1-retention-full=2\n"
                            << "log-path=" << dir_ << "/log\n"
                            << "lock-path=" << dir_ << "/lock\n"
                            << "spool-path=" << dir_ << "/spool\n"
                            << "log-level-console=warn\n"
                            << "start-fast=y\n\n"
                            << "[portcullis]\n"
                            << "pg1-path=" << data() << "\n"
                            << "pg1-socket-path=" << pg_dir() << "\n"
                            << "pg1-port=" << port_ << "\n";
    for (const char* sub : {"/repo", "/log", "/lock", "/spool"}) fs::create_directories(dir_ + sub);
    shell("if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres " + dir_ + "/repo " + dir_ + "/log " +
          dir_ + "/lock " + dir_ + "/spool; fi");
    shell("pg_start " + pg_dir() + " " + port_ + " && cat >>" + data() + "/postgresql.conf <<'CONF'\n" +
          "archive_mode = on\narchive_command = 'pgbackrest --config=" + config() +
          " --stanza=portcullis archive-push %p'\nCONF\n" + "as_pg_owner \"$PGBIN/pg_ctl\" -D " + data() +
          " -l " + pg_dir() + "/server.log -w -t 60 restart >/dev/null");
    pgbackrest("stanza-create");
    pgbackrest("check");
  }
  ~BackedUpCluster() {
    std::string ignored;
    run(lib() + "pg_stop " + pg_dir(), ignored);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  BackedUpCluster(const BackedUpCluster&) = delete;
  BackedUpCluster& operator=(const BackedUpCluster&) = delete;

  [[nodiscard]] std::string host() const { return pg_dir(); }
  [[nodiscard]] const std::string& port() const { return port_; }
  [[nodiscard]] std::string dir() const { return dir_; }

  std::string pgbackrest(const std::string& args) {
    return as_owner("pgbackrest --config=" + config() + " --stanza=portcullis " + args);
  }
  // Loses the cluster: stopped, its data directory deleted.
  void destroy() {
    shell("pg_stop " + pg_dir());
    fs::remove_all(data());
    ASSERT_FALSE(fs::exists(data()));
  }
  // Restores into a fresh data directory and starts it; `args` choose the point (empty: the latest).
  void restore_and_start(const std::string& args) {
    pgbackrest("restore " + args);
    shell("as_pg_owner \"$PGBIN/pg_ctl\" -D " + data() + " -l " + pg_dir() + "/server.log -w -t 120 start");
    // It accepts connections while it still replays the archive (read-only): wait for the promotion.
    for (int i = 0; i < 1200; ++i) {
      if (shell("\"$PGBIN/psql\" -h " + pg_dir() + " -p " + port_ +
                " -U postgres -d postgres -Atqc 'SELECT pg_is_in_recovery()'") == "f\n")
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("the restored cluster did not finish recovery within 120 s");
  }

 private:
  [[nodiscard]] std::string pg_dir() const { return dir_ + "/pg"; }
  [[nodiscard]] std::string data() const { return pg_dir() + "/data"; }
  [[nodiscard]] std::string config() const { return dir_ + "/pgbackrest.conf"; }
  [[nodiscard]] static std::string lib() {
    return "set -e; source " + testing::source_dir() + "/scripts/lib/postgres.sh; ";
  }
  std::string shell(const std::string& command) {
    std::string out;
    if (run(lib() + command, out) != 0) throw std::runtime_error(command + " failed:\n" + out);
    return out;
  }
  std::string as_owner(const std::string& command) {
    return shell("as_pg_owner bash -c " + shell_quoted(command));
  }

  std::string dir_;
  std::string port_;
};

class BackupRestore : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();  // run through ./scripts/test, like every database test
    std::string out;
    ASSERT_EQ(run("command -v pgbackrest", out), 0) << "pgbackrest is not installed (scripts/lib/common.sh)";
    cluster_ = std::make_unique<BackedUpCluster>();
    db_ = std::make_unique<testing::TestDatabase>(cluster_->host(), cluster_->port());
    auditor_key_dir_ = cluster_->dir() + "/auditor-key";
    auditor_checkpoints_ = cluster_->dir() + "/auditor-checkpoints";
    ASSERT_EQ(audit("keygen --out " + auditor_key_dir_, out), 0) << out;
    server_ = std::make_unique<testing::ServerProcess>(
        *db_,
        testing::example_site_env({{"PORTCULLIS_CHECKPOINT_DIR", cluster_->dir() + "/server-checkpoints"},
                                   {"PORTCULLIS_AUDIT_CHECKPOINTS", auditor_checkpoints_},
                                   {"PORTCULLIS_AUDIT_PUBKEY", auditor_pubkey()}}));
    token_ = server_->enrol_device("ctl-backup");
  }
  void TearDown() override {
    if (server_) server_->stop();
    server_.reset();
    db_.reset();
    cluster_.reset();
  }

  [[nodiscard]] std::string auditor_pubkey() const { return auditor_key_dir_ + "/audit-key.pub.pem"; }

  int audit(const std::string& args, std::string& out) const {
    return run(testing::binary_dir() + "/server/audit/portcullis-audit " + args, out);
  }
  int verify_chain(bool with_checkpoints, std::string& out) const {
    return audit(
        "verify-chain --site ams-dc1 --database " + shell_quoted(db_->app()) +
            (with_checkpoints ? " --checkpoints " + auditor_checkpoints_ + " --pubkey " + auditor_pubkey()
                              : std::string{}),
        out);
  }

  int sign_auditor_checkpoint(std::string& out) const {
    return audit("checkpoint --site ams-dc1 --database " + shell_quoted(db_->app()) + " --dir " +
                     auditor_checkpoints_ + " --key " + auditor_key_dir_ + "/audit-key.pem",
                 out);
  }

  client::HttpReply post_event(int seq) {
    client::HttpsClient c{"localhost", server_->port(), client::ClientTls{testing::test_tls().ca, "", ""}};
    return c.post_json("/api/v1/events",
                       R"({"device_id":"ctl-backup","seq":)" + std::to_string(seq) + R"(,"time":")" +
                           testing::device_time_now() + R"(","type":"heartbeat"})",
                       token_);
  }
  void store_events(int from, int to) {
    for (int seq = from; seq <= to; ++seq) ASSERT_EQ(post_event(seq).status, 200) << "event " << seq;
  }
  client::HttpReply get(const std::string& path) {
    client::HttpsClient c{"localhost", server_->port(), client::ClientTls{testing::test_tls().ca, "", ""}};
    return c.get(path);
  }

  std::int64_t head_seq() {
    pqxx::connection c{db_->admin()};
    pqxx::read_transaction tx{c};
    return tx.exec1("SELECT coalesce(max(site_seq), 0) FROM events WHERE site_id = 'ams-dc1'")[0]
        .as<std::int64_t>();
  }
  int device_events_stored() {
    pqxx::connection c{db_->admin()};
    pqxx::read_transaction tx{c};
    return tx.exec1("SELECT count(*) FROM events WHERE device_id = 'ctl-backup'")[0].as<int>();
  }

  // Events 1..10 before the full backup, 11..15 after it; the point-in-time target lies after event 15;
  // events 16..20 follow it, then the auditor signs a checkpoint of the head. The cluster is then lost.
  void back_up_while_serving_then_lose_the_cluster() {
    server_->start();
    store_events(1, 10);
    cluster_->pgbackrest("backup --type=full");
    store_events(11, 15);
    head_at_target_ = head_seq();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    target_ = postgres_time(std::chrono::system_clock::now());
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    store_events(16, 20);
    server_->stop();  // signs its own final checkpoint
    std::string out;
    ASSERT_EQ(sign_auditor_checkpoint(out), 0) << out;
    head_before_loss_ = head_seq();
    ASSERT_GT(head_before_loss_, head_at_target_);
    cluster_->pgbackrest("check");  // switches the WAL segment and waits until it is archived
    cluster_->destroy();
  }

  std::unique_ptr<BackedUpCluster> cluster_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::string token_, auditor_key_dir_, auditor_checkpoints_, target_;
  std::int64_t head_at_target_ = 0, head_before_loss_ = 0;
};

TEST_F(BackupRestore, LatestRestoreServesEveryEventAndTheChainHoldsAgainstCheckpoints) {
  back_up_while_serving_then_lose_the_cluster();
  cluster_->restore_and_start("");

  EXPECT_EQ(head_seq(), head_before_loss_);
  EXPECT_EQ(device_events_stored(), 20);
  std::string out;
  EXPECT_EQ(verify_chain(true, out), 0) << out;
  server_->start();
  EXPECT_EQ(get("/health/ready").status, 200) << server_->log();
  EXPECT_EQ(post_event(21).status, 200);
  EXPECT_EQ(device_events_stored(), 21);
}

// An insider who restores an old backup to erase events: the checkpoints signed after those events name the
// rows that are gone, the server refuses to serve until an admin acknowledges the loss, and the history then
// says what was lost.
TEST_F(BackupRestore, RestoreToAnEarlierPointIsCaughtByCheckpointsAndHeldUntilAcknowledged) {
  back_up_while_serving_then_lose_the_cluster();
  cluster_->restore_and_start("--type=time --target=" + shell_quoted(target_) + " --target-action=promote");

  ASSERT_EQ(head_seq(), head_at_target_) << "restored to " << target_;
  EXPECT_EQ(device_events_stored(), 15);
  std::string out;
  EXPECT_EQ(verify_chain(false, out), 0) << "the chain up to the restored head is intact: " << out;
  EXPECT_EQ(verify_chain(true, out), 1) << out;
  EXPECT_NE(out.find("checkpoint FAILED"), std::string::npos) << out;

  server_->start();
  const auto lost =
      "site_seq " + std::to_string(head_at_target_ + 1) + ".." + std::to_string(head_before_loss_);
  const auto ready = get("/health/ready");
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("history_behind_checkpoint"), std::string::npos) << ready.body;
  const auto refused = post_event(16);
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("restored to an earlier point"), std::string::npos) << refused.body;
  EXPECT_NE(server_->log().find(lost), std::string::npos) << server_->log();
  EXPECT_EQ(head_seq(), head_at_target_) << "a held server wrote into the restored history";
  server_->stop();

  // The acknowledgement is the admin's, on the server machine, with the server stopped.
  EXPECT_NE(server_->run_tool("acknowledge-restore", out), 0) << "needs --by: " << out;
  ASSERT_EQ(server_->run_tool("acknowledge-restore --by admin-on-call", out), 0) << out;
  EXPECT_NE(out.find(lost), std::string::npos) << out;
  {
    pqxx::connection c{db_->admin()};
    pqxx::read_transaction tx{c};
    const auto row = tx.exec1(
        "SELECT site_seq, payload::text FROM events WHERE site_id = 'ams-dc1' AND type = "
        "'history.restore_acknowledged'");
    EXPECT_EQ(row[0].as<std::int64_t>(), head_at_target_ + 1);
    const auto payload = nlohmann::json::parse(row[1].as<std::string>());
    EXPECT_EQ(payload.at("lost_from").get<std::int64_t>(), head_at_target_ + 1);
    EXPECT_EQ(payload.at("lost_to").get<std::int64_t>(), head_before_loss_);
    EXPECT_EQ(payload.at("acknowledged_by").get<std::string>(), "admin-on-call");
    EXPECT_FALSE(payload.at("checkpoint").get<std::string>().empty());
  }
  const auto aside = auditor_checkpoints_ + "/lost-" + std::to_string(head_at_target_ + 1) + "-" +
                     std::to_string(head_before_loss_);
  EXPECT_TRUE(fs::exists(aside + "/ams-dc1-" +
                         std::string(20 - std::to_string(head_before_loss_).size(), '0') +
                         std::to_string(head_before_loss_) + ".checkpoint.json"))
      << "the lost checkpoint is kept as evidence: " << out;
  // The auditor signs the acknowledged head; the chain and every checkpoint left in place hold again.
  ASSERT_EQ(sign_auditor_checkpoint(out), 0) << out;
  EXPECT_EQ(verify_chain(true, out), 0) << out;

  server_->start();
  EXPECT_EQ(get("/health/ready").status, 200) << server_->log();
  EXPECT_EQ(post_event(16).status, 200);
  EXPECT_EQ(device_events_stored(), 16);
  EXPECT_EQ(verify_chain(false, out), 0) << out;
  pqxx::connection c{db_->admin()};
  pqxx::read_transaction tx{c};
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM events WHERE type LIKE 'security.chain_%'")[0].as<int>(), 0)
      << "the acknowledged restore is not reported as tampering: " << server_->log();
}

}  // namespace
}  // namespace portcullis
