// Operators' TOTP secrets are sealed at rest with a key the server holds outside the database: a copy of
// the operators table (or an auditor reading it) opens no authenticator. Against a real PostgreSQL.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "portcullis/storage/operator_directory.hpp"
#include "portcullis/storage/secret_box.hpp"
#include "portcullis/storage/totp_secret_sealing.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

class TotpSecretsAtRest : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    char tmpl[] = "/tmp/portcullis-totp-key.XXXXXX";
    dir = mkdtemp(tmpl);
  }
  void TearDown() override {
    storage::use_totp_secret_box(nullptr);
    std::error_code ignored;
    if (!dir.empty()) fs::remove_all(dir, ignored);
  }
  static storage::OperatorRow row(const std::string& id) {
    storage::OperatorRow r;
    r.operator_id = id;
    r.display_name = id;
    r.role = "guard";
    r.password_hash = "scrypt$placeholder";
    r.totp_secret = kSecret;
    return r;
  }
  std::string stored_secret(const std::string& id) {
    pqxx::connection c{db->admin()};
    pqxx::read_transaction tx{c};
    return tx.exec_params("SELECT totp_secret FROM operators WHERE operator_id = $1", id)[0][0]
        .as<std::string>();
  }
  std::unique_ptr<testing::TestDatabase> db;
  std::string dir;
};

TEST_F(TotpSecretsAtRest, AreSealedWithTheServerKeyAndRowsStoredInClearAreSealedAtStart) {
  pqxx::connection app{db->app()};
  storage::OperatorDirectory directory{app};
  ASSERT_TRUE(directory.insert(row("before-key"), 1));  // written before the server had a key
  EXPECT_EQ(stored_secret("before-key"), kSecret);

  const auto key_path = dir + "/totp.key";
  storage::use_totp_secret_box(
      std::make_shared<const storage::SecretBox>(storage::SecretBox::load_or_create(key_path)));
  struct stat key_stat {};
  ASSERT_EQ(::stat(key_path.c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777U, 0600U);
  EXPECT_EQ(key_stat.st_size, 32);

  EXPECT_EQ(storage::seal_clear_totp_secrets(app), 1U);
  EXPECT_EQ(storage::seal_clear_totp_secrets(app), 0U);  // already sealed
  ASSERT_TRUE(directory.insert(row("after-key"), 2));
  for (const auto* id : {"before-key", "after-key"}) {
    const auto stored = stored_secret(id);
    EXPECT_EQ(stored.rfind("aesgcm1:", 0), 0U) << stored;
    EXPECT_EQ(stored.find(kSecret), std::string::npos);
    EXPECT_EQ(directory.find(id)->totp_secret, kSecret) << "the server reads it back with its key";
  }

  // A sealed secret copied into another operator's row does not open there.
  {
    pqxx::connection admin{db->admin()};
    pqxx::work tx{admin};
    tx.exec(
        "UPDATE operators SET totp_secret = (SELECT totp_secret FROM operators WHERE operator_id = "
        "'after-key') WHERE operator_id = 'before-key'");
    tx.commit();
  }
  EXPECT_EQ(directory.find("before-key")->totp_secret, "");
  // Another key (a copy of the database on another server) opens nothing.
  storage::use_totp_secret_box(
      std::make_shared<const storage::SecretBox>(storage::SecretBox::load_or_create(dir + "/other.key")));
  EXPECT_EQ(directory.find("after-key")->totp_secret, "");
  // The same key file is read back, not replaced.
  storage::use_totp_secret_box(
      std::make_shared<const storage::SecretBox>(storage::SecretBox::load_or_create(key_path)));
  EXPECT_EQ(directory.find("after-key")->totp_secret, kSecret);
}

TEST_F(TotpSecretsAtRest, AKeyFileOthersCanReadIsRefused) {
  const auto key_path = dir + "/totp.key";
  (void)storage::SecretBox::load_or_create(key_path);
  fs::permissions(key_path, fs::perms::group_read, fs::perm_options::add);
  EXPECT_THROW((void)storage::SecretBox::load_or_create(key_path), std::runtime_error);
}

}  // namespace
}  // namespace portcullis
