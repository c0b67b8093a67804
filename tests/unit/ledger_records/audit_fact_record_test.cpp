// The details of the audit facts (an auditor's report, export, download or chain check, stored before any
// data leaves), pinned byte for byte: they are hashed into the chain, so a failure here is a new record
// version, never an expected value to edit. They are nlohmann's dump() (sorted keys, ensure_ascii off, bytes
// that are not UTF-8 replaced by U+FFFD written as its three bytes); the path and remote address come from
// the request.
#include <gtest/gtest.h>

#include <string>

#include "portcullis/ledger/records/audit_fact_record.hpp"

namespace portcullis::json {
namespace {

const AuditAccess kAuditor{"aud-1", "auditor", "GET", "/api/v1/audit/reports/access", "198.51.100.2:5000"};
// Quote, backslash, newline, tab, backspace, form feed, U+0001, an e with acute accent, a lone 0xff byte.
const std::string kAwkward = "q\"b\\s\n\t\b\f\x01 caf\xc3\xa9 \xff end";
// kAwkward as dump() writes it: the 0xff byte becomes U+FFFD, written as its UTF-8 bytes.
#define AWKWARD_DUMPED              \
  R"(q\"b\\s\n\t\b\f\u0001 café )" \
  "\xef\xbf\xbd"                    \
  " end"

TEST(AuditFactRecord, ReportRequestedDetailsSortTheKeysAndTheFilters) {
  EXPECT_EQ(audit_report_requested_json(kAuditor, "denied", "csv",
                                        R"({"zone":"hall","decision":"deny","from":"2026-01-01T00:00:00Z"})"),
            R"({"filters":{"decision":"deny","from":"2026-01-01T00:00:00Z","zone":"hall"},"format":"csv",)"
            R"("method":"GET","operator":"aud-1","path":"/api/v1/audit/reports/access",)"
            R"("remote_address":"198.51.100.2:5000","report":"denied","role":"auditor"})");
  EXPECT_EQ(audit_report_requested_json(kAuditor, "access", "jsonl", "{}"),
            R"({"filters":{},"format":"jsonl","method":"GET","operator":"aud-1",)"
            R"("path":"/api/v1/audit/reports/access","remote_address":"198.51.100.2:5000","report":"access",)"
            R"("role":"auditor"})");
}

TEST(AuditFactRecord, ExportRequestedDetailsNameTheFile) {
  EXPECT_EQ(audit_export_requested_json(kAuditor, "custody", "pdf", R"({"assets":"disposed"})",
                                        "custody-site-a-20260101T000000Z-abcd.pdf"),
            R"({"file":"custody-site-a-20260101T000000Z-abcd.pdf","filters":{"assets":"disposed"},)"
            R"("format":"pdf","method":"GET","operator":"aud-1","path":"/api/v1/audit/reports/access",)"
            R"("remote_address":"198.51.100.2:5000","report":"custody","role":"auditor"})");
}

TEST(AuditFactRecord, DownloadAndChainCheckDetails) {
  EXPECT_EQ(
      audit_export_downloaded_json(kAuditor, "access-a.csv"),
      R"({"file":"access-a.csv","method":"GET","operator":"aud-1","path":"/api/v1/audit/reports/access",)"
      R"("remote_address":"198.51.100.2:5000","role":"auditor"})");
  EXPECT_EQ(audit_chain_checked_json(kAuditor, true),
            R"({"full":true,"method":"GET","operator":"aud-1","path":"/api/v1/audit/reports/access",)"
            R"("remote_address":"198.51.100.2:5000","role":"auditor"})");
  // An operator without a role (never in practice: the matrix lets only auditors and admins here) is "".
  EXPECT_EQ(audit_chain_checked_json({"svc", "", "GET", "/api/v1/audit/chain", "[::1]:1"}, false),
            R"({"full":false,"method":"GET","operator":"svc","path":"/api/v1/audit/chain",)"
            R"("remote_address":"[::1]:1","role":""})");
}

TEST(AuditFactRecord, DetailsEscapeAsDumpDoesAndReplaceBytesThatAreNotUtf8) {
  const AuditAccess awkward{kAwkward, kAwkward, kAwkward, kAwkward, kAwkward};
  EXPECT_EQ(audit_report_requested_json(awkward, kAwkward, kAwkward, R"({"person":"a\"b\\c\u0001é"})"),
            R"({"filters":{"person":"a\"b\\c\u0001é"},"format":")" AWKWARD_DUMPED
            R"(","method":")" AWKWARD_DUMPED R"(","operator":")" AWKWARD_DUMPED R"(","path":")" AWKWARD_DUMPED
            R"(","remote_address":")" AWKWARD_DUMPED R"(","report":")" AWKWARD_DUMPED
            R"(","role":")" AWKWARD_DUMPED R"("})");
  EXPECT_EQ(audit_export_downloaded_json(awkward, kAwkward),
            R"({"file":")" AWKWARD_DUMPED R"(","method":")" AWKWARD_DUMPED R"(","operator":")" AWKWARD_DUMPED
            R"(","path":")" AWKWARD_DUMPED R"(","remote_address":")" AWKWARD_DUMPED
            R"(","role":")" AWKWARD_DUMPED R"("})");
}

}  // namespace
}  // namespace portcullis::json
