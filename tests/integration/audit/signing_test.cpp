// The audit key and signed documents: round trips, and every kind of change is refused.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <random>

#include "portcullis/audit/signed_document.hpp"
#include "portcullis/audit/signing.hpp"

namespace portcullis::audit {
namespace {

namespace fs = std::filesystem;

class Signing : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("portcullis-audit-unit-" + std::to_string(rd()));
    files = generate_key_files(dir.string());
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
  KeyFiles files;
};

TEST_F(Signing, KeygenWritesAPrivateKeyOnlyTheOwnerCanRead) {
  struct stat st {};
  ASSERT_EQ(::stat(files.private_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  EXPECT_EQ(files.fingerprint.rfind("sha256:", 0), 0U);
  EXPECT_EQ(files.fingerprint.size(), 7U + 64U);
  EXPECT_THROW(generate_key_files(dir.string()), std::runtime_error);  // never overwrites a key
  fs::permissions(files.private_path, fs::perms::group_read, fs::perm_options::add);
  EXPECT_THROW(AuditKey::load_private(files.private_path), std::runtime_error);
}

TEST_F(Signing, SignatureRoundTrip) {
  const auto priv = AuditKey::load_private(files.private_path);
  const auto pub = AuditKey::load_public(files.public_path);
  EXPECT_EQ(priv.fingerprint(), pub.fingerprint());
  const auto sig = priv.sign("message");
  EXPECT_EQ(sig.size(), 64U);
  EXPECT_TRUE(pub.verify("message", sig));
  EXPECT_FALSE(pub.verify("messagf", sig));
  auto bad = sig;
  bad[10] = static_cast<char>(bad[10] ^ 1);
  EXPECT_FALSE(pub.verify("message", bad));
  EXPECT_THROW((void)pub.sign("x"), std::runtime_error);
}

TEST_F(Signing, SignedDocumentVerifiesAndEveryOneByteChangeFails) {
  const auto priv = AuditKey::load_private(files.private_path);
  const auto pub = AuditKey::load_public(files.public_path);
  auto doc = checkpoint_document({"main", 120, std::string(64, 'a'), 1'700'000'000'000'000});
  sign_document(doc, priv);
  const auto text = document_text(doc);
  nlohmann::json parsed;
  ASSERT_EQ(check_signed_document(text, pub, parsed), "");
  EXPECT_EQ(checkpoint_from_document(parsed)->site_seq, 120);
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto changed = text;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_NE(check_signed_document(changed, pub, parsed), "") << "byte " << i << " of\n" << text;
  }
  EXPECT_NE(check_signed_document(text + " ", pub, parsed), "");
}

TEST_F(Signing, AnotherKeyIsRefused) {
  const auto other = generate_key_files((dir / "other").string());
  auto doc = checkpoint_document({"main", 1, std::string(64, 'b'), 0});
  sign_document(doc, AuditKey::load_private(other.private_path));
  nlohmann::json parsed;
  const auto problem =
      check_signed_document(document_text(doc), AuditKey::load_public(files.public_path), parsed);
  EXPECT_NE(problem.find("not by the given public key"), std::string::npos) << problem;
}

TEST(SignedDocument, ManifestRoundTrip) {
  ExportManifest m;
  m.site = "main";
  m.report = "access";
  m.filters_json = R"({"person":"alice"})";
  m.format = "csv";
  m.file = "a.csv";
  m.file_sha256 = std::string(64, 'c');
  m.file_bytes = 10;
  m.rows = 2;
  m.chain_range = {1, "h1", 9, "h9", 12, "h12"};
  m.created_us = 1'700'000'000'000'000;
  const auto back = manifest_from_document(manifest_document(m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->filters_json, m.filters_json);
  EXPECT_EQ(back->chain_range.last_hash, "h9");
  EXPECT_EQ(back->created_us, m.created_us);
  EXPECT_EQ(checkpoint_file_name("main", 120), "main-00000000000000000120.checkpoint.json");
}

}  // namespace
}  // namespace portcullis::audit
