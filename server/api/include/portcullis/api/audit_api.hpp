#pragma once
// The auditor's REST routes, under /api/v1/audit/ (auditor and admin in the authorization
// matrix):
//   GET  /api/v1/audit/reports                 the reports and the filters each takes
//   GET  /api/v1/audit/reports/{report}?...    a report streamed as CSV, JSON Lines or PDF (chunked)
//   POST /api/v1/audit/exports/{report}?...    a signed evidence export written on the server; answers
//                                              the signed manifest
//   GET  /api/v1/audit/exports/{name}          downloads an export or its manifest (.sig.json)
//   GET  /api/v1/audit/chain[?full=true]       verifies the hash chain (and the checkpoints, if set up):
//                                              the rows appended since the last call, or all of them
//
// Every request that reads history is itself recorded in the event log ("audit.report_requested",
// "audit.export_requested", "audit.export_downloaded", "audit.chain_checked": operator, report, filters)
// and only once that record is durably stored does the data start to flow. The work runs on a thread of
// its own with its own database connection (never on a network thread, never in the shared worker pool
// that sign-ins need), at most `max_running` at once; bodies go out through a bounded BodyChannel, so a
// report of ten million events starts at once and holds a few MiB whatever its size.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "portcullis/api/secured_router.hpp"
#include "portcullis/audit/chain_monitor.hpp"
#include "portcullis/audit/report.hpp"
#include "portcullis/ingest/sequencer.hpp"

namespace portcullis::api {

struct AuditSettings {
  std::string database;  // the server's role: SELECT on events and site_versions is all it needs
  std::string site_id = "main";
  std::string key_path;         // the site's private audit key; with export_dir, enables evidence exports
  std::string export_dir;       // where evidence exports are written
  std::string checkpoint_dir;   // with public_key_path, the chain status also checks the checkpoints
  std::string public_key_path;  //
  int max_running = 2;          // reports, exports and chain checks running at once; more answer 503
};

// A report request's query string, parsed (pure; unit-tested).
struct ReportQuery {
  audit::ReportKind kind = audit::ReportKind::Access;
  audit::OutputFormat format = audit::OutputFormat::Csv;
  audit::ReportFilter filter;
};
struct QueryError {
  int status = 400;
  std::string field;
  std::string message;
};
// `report` is the path's name; `query` the raw query string (percent-encoded; '+' is a plus sign).
[[nodiscard]] std::variant<ReportQuery, QueryError> parse_report_query(const std::string& report,
                                                                       const std::string& query);
// GET /api/v1/audit/chain's query string: "full=true" asks for a full re-verification (pure; unit-tested).
struct ChainQuery {
  bool full = false;
};
[[nodiscard]] std::variant<ChainQuery, QueryError> parse_chain_query(const std::string& query);

class AuditApi {
 public:
  AuditApi(AuditSettings settings, ingest::Sequencer& sequencer);
  ~AuditApi();  // stops the running reports (their clients see an incomplete body) and waits for them
  AuditApi(const AuditApi&) = delete;
  AuditApi& operator=(const AuditApi&) = delete;

  void register_routes(SecuredRouter& router);
  // Refuses new requests, cancels the running ones and waits for them. Call before the sequencer stops
  // (a request waiting for its audit record needs it).
  void stop();

 private:
  void report(const http::HttpRequest& request, const std::string& name, const operators::Principal& who,
              http::Responder respond);
  void export_evidence(const http::HttpRequest& request, const std::string& name,
                       const operators::Principal& who, http::Responder respond);
  void download(const http::HttpRequest& request, const std::string& name, const operators::Principal& who,
                http::Responder respond);
  void chain(const http::HttpRequest& request, const operators::Principal& who, http::Responder respond);

  // Takes a running slot, records `fact_type` with `details` (a JSON object's text) through the sequencer,
  // and once it is stored runs `work` on a new thread. Answers 503 itself when no slot is free or the record
  // cannot be stored.
  void run_audited(const http::HttpRequest& request, const operators::Principal& who,
                   const std::string& fact_type, const std::string& details_json, http::Responder respond,
                   std::function<void(http::Responder, const std::shared_ptr<http::BodyChannel>&)> work);
  bool take_slot();
  void release_slot();

  AuditSettings settings_;
  ingest::Sequencer& sequencer_;
  audit::ChainMonitor chain_monitor_;  // the last verified row per site: the chain status is incremental
  std::mutex mutex_;
  std::condition_variable idle_;
  int running_ = 0;
  bool stopping_ = false;
  std::set<std::shared_ptr<http::BodyChannel>> channels_;  // of the running jobs, cancelled on shutdown
};

}  // namespace portcullis::api
