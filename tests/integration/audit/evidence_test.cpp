// Signed exports: the manifest names the chain range and the file's digest, verifies offline, and a copy
// changed by one byte (in the report or in the manifest) is rejected. Through the library and the CLI.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "audit_history.hpp"
#include "cli.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/audit/signing.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using testing::kDay;
using testing::kHour;

void write(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
}

class Evidence : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    std::vector<testing::HistoryEvent> h;
    for (int i = 0; i < 40; ++i) {
      h.push_back(testing::access(kDay + i * kHour / 2, i % 3 == 0 ? "deny" : "grant",
                                  i % 3 == 0 ? "no_grant" : "granted",
                                  i % 2 == 0 ? "alice" : "=HYPERLINK(\"http://evil\")", "p-lobby", "z-hall"));
    }
    testing::append_history(db->app(), "main", h);
    keys = audit::generate_key_files(dir.file("keys"));
  }

  audit::ExportResult export_denied(const std::string& out) {
    audit::ExportRequest r;
    r.database = db->app();
    r.kind = audit::ReportKind::Denied;
    r.filter.from_us = kDay + 2 * kHour;
    r.out_path = out;
    r.key_path = keys.private_path;
    return audit::export_report(r);
  }

  std::unique_ptr<testing::TestDatabase> db;
  testing::TempDir dir;
  audit::KeyFiles keys;
};

TEST_F(Evidence, SignedExportVerifiesAndNamesItsChainRange) {
  const auto out = dir.file("denied.csv");
  const auto result = export_denied(out);
  EXPECT_EQ(result.stream.rows, 12);  // i % 3 == 0 for i in 4..39
  EXPECT_EQ(result.manifest_path, out + ".sig.json");
  const auto check = audit::verify_export(out, keys.public_path);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.manifest.report, "denied");
  EXPECT_EQ(check.manifest.rows, 12);
  EXPECT_EQ(check.manifest.chain_range.first_seq, 5);
  EXPECT_EQ(check.manifest.chain_range.last_seq, 40);
  EXPECT_EQ(check.manifest.chain_range.head_seq, 40);
  EXPECT_EQ(check.manifest.chain_range.last_hash.size(), 64U);
  EXPECT_EQ(check.manifest.filters_json, R"({"decision":"deny","from":"2026-11-27T02:00:00.000000Z"})");
  EXPECT_EQ(check.manifest.file, "denied.csv");
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
}

TEST_F(Evidence, OneByteChangeInTheReportIsRejected) {
  const auto out = dir.file("denied.csv");
  export_denied(out);
  const auto original = audit::read_file(out);
  const auto copy = dir.file("copy.csv");
  std::filesystem::copy_file(out + ".sig.json", copy + ".sig.json");
  for (std::size_t i : {std::size_t{0}, original.size() / 2, original.size() - 1}) {
    auto changed = original;
    changed[i] = static_cast<char>(changed[i] ^ 0x20);
    write(copy, changed);
    const auto check = audit::verify_export(copy, keys.public_path);
    EXPECT_FALSE(check.ok) << "byte " << i;
    EXPECT_NE(check.problem.find("differs from the signed export"), std::string::npos) << check.problem;
  }
  write(copy, original + "x");
  EXPECT_FALSE(audit::verify_export(copy, keys.public_path).ok);
  write(copy, original);
  EXPECT_TRUE(audit::verify_export(copy, keys.public_path).ok);
}

TEST_F(Evidence, EveryOneByteChangeInTheManifestIsRejected) {
  const auto out = dir.file("denied.csv");
  export_denied(out);
  const auto manifest = audit::read_file(out + ".sig.json");
  const auto changed_path = dir.file("changed.sig.json");
  for (std::size_t i = 0; i < manifest.size(); ++i) {
    auto changed = manifest;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    write(changed_path, changed);
    EXPECT_FALSE(audit::verify_export(out, keys.public_path, changed_path).ok) << "byte " << i;
  }
}

TEST_F(Evidence, AnotherKeyDoesNotVerify) {
  const auto out = dir.file("denied.csv");
  export_denied(out);
  const auto other = audit::generate_key_files(dir.file("other"));
  const auto check = audit::verify_export(out, other.public_path);
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.problem.find("not by the given public key"), std::string::npos) << check.problem;
}

TEST_F(Evidence, CommandLineExportAndVerify) {
  using testing::shell_quote;
  const auto keydir = dir.file("cli-keys");
  auto r = testing::run_audit("keygen --out " + shell_quote(keydir));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto key = keydir + "/audit-key.pem";
  const auto pub = keydir + "/audit-key.pub.pem";
  EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  const auto csv = dir.file("alice.csv");
  r = testing::run_audit(
      "export --report access --person alice --from 2026-11-27T00:00:00Z --to 2026-11-28 "
      "--format csv --out " +
      shell_quote(csv) + " --key " + shell_quote(key) + " --database " + shell_quote(db->app()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("exported 20 rows"), std::string::npos) << r.output;
  r = testing::run_audit("verify " + shell_quote(csv) + " --pubkey " + shell_quote(pub));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("evidence verified"), std::string::npos) << r.output;

  const auto jsonl = dir.file("after.jsonl");
  r = testing::run_audit(
      "export --report after-hours --hours 08:00-17:00 --tz Europe/Berlin --format jsonl --out " +
      shell_quote(jsonl) + " --key " + shell_quote(key) + " --database " + shell_quote(db->app()));
  ASSERT_EQ(r.status, 0) << r.output;
  r = testing::run_audit("verify " + shell_quote(jsonl) + " --pubkey " + shell_quote(pub));
  EXPECT_EQ(r.status, 0) << r.output;

  auto text = audit::read_file(csv);
  text[text.size() / 2] = static_cast<char>(text[text.size() / 2] ^ 1);
  write(csv, text);
  r = testing::run_audit("verify " + shell_quote(csv) + " --pubkey " + shell_quote(pub));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("evidence REJECTED"), std::string::npos) << r.output;

  r = testing::run_audit("export --report everything --format csv --out x --key y");
  EXPECT_EQ(r.status, 2) << r.output;
}

}  // namespace
}  // namespace portcullis
