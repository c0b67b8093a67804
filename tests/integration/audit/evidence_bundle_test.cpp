// The evidence bundle: one zip with the report as CSV, JSON Lines and PDF, their signed manifests, the chain
// range, the checkpoint that covers it, the keys and a README. Unpacked with unzip (a tool no one here
// wrote) and verified the ways the README tells a recipient to: portcullis-audit, jq + openssl, pdfsig.
#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>

#include "audit_history.hpp"
#include "cli.hpp"
#include "portcullis/audit/checkpoints.hpp"
#include "portcullis/audit/evidence_bundle.hpp"
#include "portcullis/audit/pdf_signature.hpp"
#include "portcullis/audit/signing.hpp"
#include "test_database.hpp"

namespace portcullis {
namespace {

using testing::kDay;
using testing::kHour;
using testing::shell_quote;

class EvidenceBundle : public ::testing::Test {
 protected:
  void SetUp() override {
    PORTCULLIS_REQUIRE_DATABASE();
    db = std::make_unique<testing::TestDatabase>();
    std::vector<testing::HistoryEvent> h;
    for (int i = 0; i < 30; ++i) {
      h.push_back(testing::access(kDay + i * kHour / 4, i % 4 == 0 ? "deny" : "grant",
                                  i % 4 == 0 ? "no_grant" : "granted", i % 2 == 0 ? "Zoë Müller" : "王小明",
                                  "p-cage", "z-cage"));
    }
    testing::append_history(db->app(), "main", h);
    keys = audit::generate_key_files(dir.file("keys"));
    audit::generate_pdf_signing_identity(dir.file("keys"), "Portcullis audit evidence");
    std::filesystem::create_directories(dir.file("checkpoints"));
    audit::write_checkpoint(db->app(), "main", dir.file("checkpoints"), keys.private_path);
  }

  testing::CliResult bundle(const std::string& out) {
    return testing::run_audit("bundle --report access --from 2026-11-27T01:00:00Z --out " + shell_quote(out) +
                              " --key " + shell_quote(keys.private_path) + " --database " +
                              shell_quote(db->app()) + " --checkpoints " +
                              shell_quote(dir.file("checkpoints")));
  }

  std::unique_ptr<testing::TestDatabase> db;
  testing::TempDir dir;
  audit::KeyFiles keys;
};

TEST_F(EvidenceBundle, UnpacksAndVerifiesOfflineAsItsReadmeSays) {
  const auto zip = dir.file("evidence.zip");
  auto r = bundle(zip);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("26 rows"), std::string::npos) << r.output;

  const auto unpacked = dir.file("unpacked");
  r = testing::run_command("unzip -q " + shell_quote(zip) + " -d " + shell_quote(unpacked));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string checkpoint = "main-00000000000000000030.checkpoint.json";
  for (const char* name : {"README.txt", "access.csv", "access.csv.sig.json", "access.jsonl",
                           "access.jsonl.sig.json", "access.pdf", "access.pdf.sig.json", "chain-range.json",
                           "audit-key.pub.pem", "pdf-signing-cert.pem"}) {
    EXPECT_TRUE(std::filesystem::exists(unpacked + "/" + name)) << name;
  }
  EXPECT_TRUE(std::filesystem::exists(unpacked + "/" + checkpoint));

  // The same 26 rows in every format.
  EXPECT_EQ(testing::lines_of(audit::read_file(unpacked + "/access.csv"), "\r\n").size(), 27U);
  EXPECT_EQ(testing::lines_of(audit::read_file(unpacked + "/access.jsonl"), "\n").size(), 26U);
  const auto range = nlohmann::json::parse(audit::read_file(unpacked + "/chain-range.json"));
  EXPECT_EQ(range.at("first_seq"), 5);
  EXPECT_EQ(range.at("last_seq"), 30);
  EXPECT_EQ(range.at("checkpoint"), checkpoint);
  const auto readme = audit::read_file(unpacked + "/README.txt");
  EXPECT_NE(readme.find("portcullis-audit verify-bundle"), std::string::npos);
  EXPECT_NE(readme.find(keys.fingerprint), std::string::npos);

  const auto pub = shell_quote(unpacked + "/audit-key.pub.pem");
  for (const char* report : {"access.csv", "access.jsonl", "access.pdf"}) {
    r = testing::run_audit("verify " + shell_quote(unpacked + "/" + report) + " --pubkey " + pub);
    EXPECT_EQ(r.status, 0) << report << ": " << r.output;
    // README step 3: the manifest's signature with jq and openssl alone.
    const auto manifest = shell_quote(unpacked + "/" + report + ".sig.json");
    const auto work = shell_quote(unpacked + "/");
    r = testing::run_command("jq -jcS 'del(.signature)' " + manifest + " > " + work +
                             "signed.bin && jq -r .signature " + manifest + " | base64 -d > " + work +
                             "signature.bin && openssl pkeyutl -verify -pubin -inkey " + pub +
                             " -rawin -in " + work + "signed.bin -sigfile " + work + "signature.bin");
    EXPECT_EQ(r.status, 0) << report << ": " << r.output;
    EXPECT_NE(r.output.find("Signature Verified Successfully"), std::string::npos) << r.output;
  }
  r = testing::run_command("pdfsig " + shell_quote(unpacked + "/access.pdf"));
  EXPECT_NE(r.output.find("Signature is Valid."), std::string::npos) << r.output;

  r = testing::run_audit("verify-bundle " + shell_quote(zip) + " --pubkey " + shell_quote(keys.public_path));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("verified: checkpoint " + checkpoint), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bundle verified"), std::string::npos) << r.output;
}

TEST_F(EvidenceBundle, AReportChangedInsideTheZipOrAnotherKeyIsRejected) {
  const auto zip = dir.file("evidence.zip");
  ASSERT_EQ(bundle(zip).status, 0);
  const auto copy = dir.file("changed.zip");
  std::filesystem::copy_file(zip, copy);
  {
    // Rewrite access.csv inside the archive with one byte changed (a valid zip: only the evidence lies).
    int error = 0;
    zip_t* archive = zip_open(copy.c_str(), 0, &error);
    ASSERT_NE(archive, nullptr);
    const auto index = zip_name_locate(archive, "access.csv", 0);
    ASSERT_GE(index, 0);
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0);
    std::string text(1 << 20, '\0');
    const auto n = zip_fread(file, text.data(), text.size());
    zip_fclose(file);
    text.resize(static_cast<std::size_t>(n));
    text[text.size() / 2] = static_cast<char>(text[text.size() / 2] ^ 1);
    zip_source_t* source = zip_source_buffer(archive, text.data(), text.size(), 0);
    ASSERT_GE(zip_file_replace(archive, static_cast<zip_uint64_t>(index), source, 0), 0);
    ASSERT_EQ(zip_close(archive), 0);
  }
  auto r =
      testing::run_audit("verify-bundle " + shell_quote(copy) + " --pubkey " + shell_quote(keys.public_path));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("REJECTED: access.csv: "), std::string::npos) << r.output;

  const auto other = audit::generate_key_files(dir.file("other"));
  r = testing::run_audit("verify-bundle " + shell_quote(zip) + " --pubkey " + shell_quote(other.public_path));
  EXPECT_EQ(r.status, 1) << r.output;

  std::ofstream{dir.file("not.zip")} << "not a zip";
  r = testing::run_audit("verify-bundle " + shell_quote(dir.file("not.zip")) + " --pubkey " +
                         shell_quote(keys.public_path));
  EXPECT_EQ(r.status, 1) << r.output;
}

}  // namespace
}  // namespace portcullis
