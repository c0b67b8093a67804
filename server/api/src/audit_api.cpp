#include "portcullis/api/audit_api.hpp"

#include "portcullis/http/request_checks.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <system_error>
#include <thread>

#include "portcullis/audit/checkpoints.hpp"
#include "portcullis/audit/exporter.hpp"
#include "portcullis/audit/signing.hpp"
#include "portcullis/audit/text_format.hpp"
#include "portcullis/ledger/records/audit_fact_record.hpp"
#include "portcullis/logging/log.hpp"
#include "portcullis/storage/report_snapshot.hpp"
#include "portcullis/util/query_string.hpp"
#include "portcullis/util/random_token.hpp"

namespace portcullis::api {
namespace {

using audit::OutputFormat;
using audit::ReportKind;
using nlohmann::json;

// Pieces of about 1 MiB (the exporter's chunk) waiting between the report thread and the connection.
constexpr std::size_t kChannelPieces = 4;
constexpr std::size_t kFileChunk = 1 << 20;

struct Cancelled {};  // the client went away: stop the report

const char* content_type(OutputFormat f) {
  switch (f) {
    case OutputFormat::Csv: return "text/csv; charset=utf-8";
    case OutputFormat::JsonLines: return "application/x-ndjson";
    case OutputFormat::Pdf: return "application/pdf";
  }
  return "application/octet-stream";
}

// Letters, digits, '-' and '_' only: safe in a file name and a Content-Disposition header.
std::string safe_name(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out.empty() ? "site" : out;
}

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "20261127T101500Z"
std::string stamp() {
  std::string out;
  for (char c : audit::rfc3339_from_micros(now_us()).substr(0, 19)) {
    if (c == 'T') {
      out += 'T';
    } else if (c >= '0' && c <= '9') {
      out += c;
    }
  }
  return out + "Z";
}

std::string random_suffix() {
  return util::random_hex(4);
}

http::HttpResponse streamed(std::shared_ptr<http::BodyChannel> channel, std::string type,
                            const std::string& filename) {
  http::HttpResponse r;
  r.content_type = std::move(type);
  r.body_stream = std::move(channel);
  if (!filename.empty())
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return r;
}

// An export or manifest name this API wrote: "<report>-<site>-<stamp>-<hex>.<ext>[.sig.json]".
bool valid_export_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name.front() == '.' || name.find("..") != std::string::npos)
    return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  auto ends = [&](const std::string& suffix) {
    return name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  std::string base = name;
  if (ends(".sig.json")) base = name.substr(0, name.size() - 9);
  for (const char* ext : {".csv", ".jsonl", ".pdf"}) {
    const std::string e{ext};
    if (base.size() > e.size() && base.compare(base.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

std::string type_of_file(const std::string& name) {
  auto ends = [&](const char* s) {
    const std::string suffix{s};
    return name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends(".sig.json")) return "application/json";
  if (ends(".csv")) return content_type(OutputFormat::Csv);
  if (ends(".jsonl")) return content_type(OutputFormat::JsonLines);
  return content_type(OutputFormat::Pdf);
}

// Who asked, and how: the part every audit fact's details share. Views into `request` and `who`.
portcullis::json::AuditAccess access_of(const http::HttpRequest& request, const operators::Principal& who) {
  return {who.operator_id.str(), who.role ? operators::to_string(*who.role) : std::string_view{},
          request.method, request.path, request.remote_address};
}

}  // namespace

// Decodes the query (server/util: malformed percent-encoding, text that is not valid UTF-8, an empty or
// repeated key are refused) and hands each parameter to `take`, stopping at the first error.
std::optional<QueryError> for_each_query_parameter(
    const std::string& query,
    const std::function<std::optional<QueryError>(const std::string&, const std::string&)>& take) {
  const auto parameters = util::parse_query(query);
  if (!parameters) return QueryError{400, parameters.error().field, parameters.error().message};
  for (const auto& [key, value] : parameters->all()) {
    if (auto refused = take(key, value)) return refused;
  }
  return std::nullopt;
}

std::variant<ReportQuery, QueryError> parse_report_query(const std::string& report,
                                                         const std::string& query) {
  ReportQuery q;
  const auto kind = audit::report_from_string(report);
  if (!kind)
    return QueryError{404, "report", "no such report: " + report + " (GET /api/v1/audit/reports lists them)"};
  q.kind = *kind;
  const auto bad = for_each_query_parameter(
      query, [&](const std::string& key, const std::string& value) -> std::optional<QueryError> {
        auto& f = q.filter;
        if (key == "format") {
          const auto format = audit::format_from_string(value);
          if (!format) return QueryError{400, "format", "expected csv, jsonl or pdf"};
          q.format = *format;
        } else if (key == "person") {
          f.person = value;
        } else if (key == "portal") {
          f.portal = value;
        } else if (key == "zone") {
          f.zone = value;
        } else if (key == "rack") {
          f.rack = value;
        } else if (key == "group") {
          f.group = value;
        } else if (key == "asset") {
          f.asset = value;
        } else if (key == "decision") {
          f.decision = value;
        } else if (key == "from" || key == "to") {
          const auto micros = audit::parse_time(value);
          if (!micros)
            return QueryError{400, key, "expected an RFC 3339 time or a date (percent-encode '+')"};
          (key == "from" ? f.from_us : f.to_us) = *micros;
        } else if (key == "hours") {
          const auto w = audit::parse_window(value);
          if (!w) return QueryError{400, "hours", "expected HH:MM-HH:MM, e.g. 07:00-19:00"};
          f.window = *w;
        } else if (key == "tz") {
          f.time_zone = value;
        } else {
          return QueryError{400, key, "unknown query parameter"};
        }
        return std::nullopt;
      });
  if (bad) return *bad;
  if (auto problem = audit::validate(q.kind, q.filter)) return QueryError{400, "query", *problem};
  return q;
}

AuditApi::AuditApi(AuditSettings settings, ingest::Sequencer& sequencer)
    : settings_(std::move(settings)), sequencer_(sequencer) {}

AuditApi::~AuditApi() {
  stop();
}

void AuditApi::stop() {
  std::unique_lock lock{mutex_};
  stopping_ = true;
  for (const auto& channel : channels_) channel->cancel();
  idle_.wait(lock, [&] { return running_ == 0; });
}

bool AuditApi::take_slot() {
  std::lock_guard lock{mutex_};
  if (stopping_ || running_ >= settings_.max_running) return false;
  ++running_;
  return true;
}

void AuditApi::release_slot() {
  std::lock_guard lock{mutex_};
  --running_;
  idle_.notify_all();
}

void AuditApi::run_audited(
    const http::HttpRequest&, const operators::Principal&, const std::string& fact_type,
    const std::string& details_json, http::Responder respond,
    std::function<void(http::Responder, const std::shared_ptr<http::BodyChannel>&)> work) {
  if (!take_slot()) {
    return respond(http::json_error(503, "server", "too many audit requests running; retry in a moment"));
  }
  ingest::ServerFact fact;
  fact.type = fact_type;
  fact.by_operator = true;
  fact.payload_json = details_json;
  // The record of the auditor's access is stored before any data leaves.
  fact.done = [this, respond, work = std::move(work)](bool stored, std::int64_t) {
    auto channel = std::make_shared<http::BodyChannel>(kChannelPieces);
    {
      std::lock_guard lock{mutex_};
      if (stored && !stopping_)
        channels_.insert(channel);
      else
        stored = false;
    }
    if (!stored) {
      release_slot();
      return respond(
          http::json_error(503, "server", "the audit record of this request could not be stored; retry"));
    }
    try {
      std::thread([this, respond, work, channel] {
        try {
          work(respond, channel);
        } catch (const std::exception& e) {
          logging::error("api", "audit request failed", {{"error", e.what()}});
          channel->close(false);
        }
        {
          std::lock_guard lock{mutex_};
          channels_.erase(channel);
        }
        release_slot();
      }).detach();
    } catch (const std::system_error&) {  // no thread to be had: this runs on the sequencer thread
      {
        std::lock_guard lock{mutex_};
        channels_.erase(channel);
      }
      release_slot();
      respond(http::json_error(503, "server", "too busy; retry"));
    }
  };
  sequencer_.record(std::move(fact));
}

void AuditApi::report(const http::HttpRequest& request, const std::string& name,
                      const operators::Principal& who, http::Responder respond) {
  auto parsed = parse_report_query(name, request.query);
  if (auto* e = std::get_if<QueryError>(&parsed))
    return respond(http::json_error(e->status, e->field, e->message));
  const auto q = std::get<ReportQuery>(parsed);
  const auto details = portcullis::json::audit_report_requested_json(
      access_of(request, who), name, audit::to_string(q.format), audit::filters_json(q.kind, q.filter));
  const std::string filename = name + "-" + safe_name(settings_.site_id) + "." + audit::to_string(q.format);
  run_audited(request, who, "audit.report_requested", details, std::move(respond),
              [this, q, filename](http::Responder reply, const std::shared_ptr<http::BodyChannel>& channel) {
                bool started = false;
                try {
                  storage::ReportConnection connection{settings_.database};
                  audit::stream_report(connection, settings_.site_id, q.kind, q.filter, q.format,
                                       [&](std::string_view chunk) {
                                         if (!started) {
                                           // The first bytes (CSV header, PDF head) exist: the status is
                                           // known.
                                           reply(streamed(channel, content_type(q.format), filename));
                                           started = true;
                                         }
                                         if (!channel->push(std::string{chunk})) {
                                           // The client is gone: end the COPY on the server too, rather
                                           // than read the rest of it while unwinding.
                                           connection.cancel_query();
                                           throw Cancelled{};
                                         }
                                       });
                  if (!started) {  // JSON Lines without a row: an empty body
                    http::HttpResponse r;
                    r.content_type = content_type(q.format);
                    reply(std::move(r));
                    return;
                  }
                  channel->close(true);
                } catch (const Cancelled&) {
                } catch (const std::exception& e) {
                  logging::error("api", "audit report failed", {{"error", e.what()}});
                  if (!started) {
                    reply(http::json_error(500, "server", "the report could not be produced"));
                  } else {
                    channel->close(false);  // the client sees an incomplete body
                  }
                }
              });
}

void AuditApi::export_evidence(const http::HttpRequest& request, const std::string& name,
                               const operators::Principal& who, http::Responder respond) {
  if (settings_.key_path.empty() || settings_.export_dir.empty()) {
    return respond(http::json_error(
        503, "server", "evidence exports are not set up on this server (audit_key, audit_export_dir)"));
  }
  auto parsed = parse_report_query(name, request.query);
  if (auto* e = std::get_if<QueryError>(&parsed))
    return respond(http::json_error(e->status, e->field, e->message));
  const auto q = std::get<ReportQuery>(parsed);
  const std::string file = name + "-" + safe_name(settings_.site_id) + "-" + stamp() + "-" + random_suffix() +
                           "." + audit::to_string(q.format);
  const auto details = portcullis::json::audit_export_requested_json(
      access_of(request, who), name, audit::to_string(q.format), audit::filters_json(q.kind, q.filter), file);
  run_audited(request, who, "audit.export_requested", details, std::move(respond),
              [this, q, file](http::Responder reply, const std::shared_ptr<http::BodyChannel>&) {
                try {
                  std::filesystem::create_directories(settings_.export_dir);
                  audit::ExportRequest r;
                  r.database = settings_.database;
                  r.site_id = settings_.site_id;
                  r.kind = q.kind;
                  r.filter = q.filter;
                  r.format = q.format;
                  r.out_path = (std::filesystem::path{settings_.export_dir} / file).string();
                  r.key_path = settings_.key_path;
                  const auto result = audit::export_report(r);
                  json body;
                  body["file"] = file;
                  body["manifest_file"] = file + ".sig.json";
                  body["download"] = "/api/v1/audit/exports/" + file;
                  body["manifest"] = json::parse(audit::read_file(result.manifest_path));
                  reply(http::json_response(body.dump()));
                } catch (const std::exception& e) {
                  logging::error("api", "evidence export failed", {{"error", e.what()}});
                  reply(http::json_error(500, "server", "the export could not be written"));
                }
              });
}

void AuditApi::download(const http::HttpRequest& request, const std::string& name,
                        const operators::Principal& who, http::Responder respond) {
  if (settings_.export_dir.empty()) return respond(http::json_error(404, "name", "no such export"));
  if (!valid_export_name(name)) return respond(http::json_error(404, "name", "no such export"));
  const auto path = (std::filesystem::path{settings_.export_dir} / name).string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return respond(http::json_error(404, "name", "no such export"));
  const auto details = portcullis::json::audit_export_downloaded_json(access_of(request, who), name);
  run_audited(request, who, "audit.export_downloaded", details, std::move(respond),
              [path, name](http::Responder reply, const std::shared_ptr<http::BodyChannel>& channel) {
                std::ifstream in{path, std::ios::binary};
                if (!in) return reply(http::json_error(404, "name", "no such export"));
                reply(streamed(channel, type_of_file(name), name));
                std::string buffer(kFileChunk, '\0');
                while (in) {
                  in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
                  const auto n = static_cast<std::size_t>(in.gcount());
                  if (n == 0) break;
                  if (!channel->push(buffer.substr(0, n))) return;
                }
                channel->close(!in.bad());
              });
}

std::variant<ChainQuery, QueryError> parse_chain_query(const std::string& query) {
  ChainQuery q;
  const auto bad = for_each_query_parameter(
      query, [&](const std::string& key, const std::string& value) -> std::optional<QueryError> {
        if (key == "full") {
          if (value == "true" || value == "1") {
            q.full = true;
          } else if (value == "false" || value == "0") {
            q.full = false;
          } else {
            return QueryError{400, "full", "expected true or false"};
          }
        } else {
          return QueryError{400, key, "unknown query parameter (the chain status takes only full=true)"};
        }
        return std::nullopt;
      });
  if (bad) return *bad;
  return q;
}

void AuditApi::chain(const http::HttpRequest& request, const operators::Principal& who,
                     http::Responder respond) {
  auto parsed = parse_chain_query(request.query);
  if (auto* e = std::get_if<QueryError>(&parsed))
    return respond(http::json_error(e->status, e->field, e->message));
  const bool full = std::get<ChainQuery>(parsed).full;
  const auto details = portcullis::json::audit_chain_checked_json(access_of(request, who), full);
  run_audited(
      request, who, "audit.chain_checked", details, std::move(respond),
      [this, full](const http::Responder& reply, const std::shared_ptr<http::BodyChannel>&) {
        try {
          const auto status = chain_monitor_.verify(settings_.database, settings_.site_id, full);
          const auto& report = status.report;
          json body;
          body["site"] = settings_.site_id;
          body["intact"] = report.intact;
          body["events"] = status.through_seq;  // the chain is verified from 1 through this site_seq
          body["head_hash"] = report.head_hash;
          body["first_bad_seq"] = report.first_bad_seq ? json(*report.first_bad_seq) : json(nullptr);
          body["problem"] = report.problem;
          json verification;
          verification["mode"] = status.incremental ? "incremental" : "full";
          verification["incremental"] = status.incremental;
          verification["from_seq"] = status.from_seq;
          verification["through_seq"] = status.through_seq;
          verification["rows_checked"] = status.rows_checked;
          verification["full_because"] = status.incremental ? json(nullptr) : json(status.full_because);
          verification["last_full"] = status.last_full_us
                                          ? json{{"at", audit::rfc3339_from_micros(*status.last_full_us)},
                                                 {"through_seq", status.last_full_through_seq},
                                                 {"intact", status.last_full_intact}}
                                          : json(nullptr);
          verification["history_contradiction"] =
              status.history_contradiction.empty() ? json(nullptr) : json(status.history_contradiction);
          body["verification"] = std::move(verification);
          // A row verified earlier that is now gone or different fails the status even when what is left
          // is a consistent chain.
          bool ok = report.intact && status.history_contradiction.empty();
          if (!settings_.checkpoint_dir.empty() && !settings_.public_key_path.empty()) {
            const auto cps = audit::check_checkpoints(settings_.database, settings_.site_id,
                                                      settings_.checkpoint_dir, settings_.public_key_path);
            body["checkpoints"] = {{"ok", cps.ok},
                                   {"checked", cps.checked},
                                   {"newest_seq", cps.newest_seq},
                                   {"newest_hash", cps.newest_hash},
                                   {"database_head", cps.database_head},
                                   {"problems", cps.problems}};
            ok = ok && cps.ok;
          } else {
            body["checkpoints"] = nullptr;
          }
          body["ok"] = ok;
          body["checked_at"] = audit::rfc3339_from_micros(now_us());
          reply(http::json_response(body.dump()));
        } catch (const std::exception& e) {
          logging::error("api", "chain verification failed", {{"error", e.what()}});
          reply(http::json_error(500, "server", "the chain could not be verified"));
        }
      });
}

void AuditApi::register_routes(SecuredRouter& router) {
  router.add(
      "GET", "/api/v1/audit/reports",
      [](const http::HttpRequest&, const http::RouteParams&, const operators::Principal&,
         http::Responder respond) {
        // Which filters each report takes, asked of the validator itself so the list cannot drift.
        json list = json::array();
        for (auto kind : audit::all_reports()) {
          json filters = json::array();
          const std::pair<const char*, void (*)(audit::ReportFilter&)> candidates[] = {
              {"person", [](audit::ReportFilter& f) { f.person = "x"; }},
              {"portal", [](audit::ReportFilter& f) { f.portal = "x"; }},
              {"zone", [](audit::ReportFilter& f) { f.zone = "x"; }},
              {"rack", [](audit::ReportFilter& f) { f.rack = "x"; }},
              {"group", [](audit::ReportFilter& f) { f.group = "x"; }},
              {"asset", [](audit::ReportFilter& f) { f.asset = "x"; }},
              {"decision", [](audit::ReportFilter& f) { f.decision = "deny"; }},
              {"from", [](audit::ReportFilter& f) { f.from_us = 0; }},
              {"to", [](audit::ReportFilter& f) { f.to_us = 1; }},
          };
          for (const auto& [filter_name, set] : candidates) {
            audit::ReportFilter f;
            set(f);
            if (!audit::validate(kind, f)) filters.push_back(filter_name);
          }
          if (kind == ReportKind::AfterHours) {
            filters.push_back("hours");
            filters.push_back("tz");
          }
          list.push_back({{"name", audit::to_string(kind)},
                          {"columns", audit::report_columns(kind)},
                          {"filters", filters}});
        }
        respond(http::json_response(json{{"reports", list}, {"formats", {"csv", "jsonl", "pdf"}}}.dump()));
      });
  auto report_route = [this](const http::HttpRequest& request, const http::RouteParams& params,
                             const operators::Principal& who, http::Responder respond) {
    report(request, params.at("report"), who, std::move(respond));
  };
  router.add("GET", "/api/v1/audit/reports/{report}", report_route);
  // The matrix's earlier name for the same reports.
  router.add("GET", "/api/v1/reports/{report}", report_route);
  router.add("POST", "/api/v1/audit/exports/{report}",
             [this](const http::HttpRequest& request, const http::RouteParams& params,
                    const operators::Principal& who, http::Responder respond) {
               export_evidence(request, params.at("report"), who, std::move(respond));
             });
  router.add("GET", "/api/v1/audit/exports/{name}",
             [this](const http::HttpRequest& request, const http::RouteParams& params,
                    const operators::Principal& who, http::Responder respond) {
               download(request, params.at("name"), who, std::move(respond));
             });
  router.add(
      "GET", "/api/v1/audit/chain",
      [this](const http::HttpRequest& request, const http::RouteParams&, const operators::Principal& who,
             http::Responder respond) { chain(request, who, std::move(respond)); });
}

}  // namespace portcullis::api
