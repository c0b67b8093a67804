#include "portcullis/audit/report.hpp"
#include "portcullis/util/json_string.hpp"
#include "stored_jsonb.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

#include "compliance_reports.hpp"

namespace portcullis::audit {
namespace {

// SELECT field order of the decision reports (access, denied, after-hours).
enum DecisionField {
  kSeq,
  kReceived,
  kDeviceTime,
  kDevice,
  kType,
  kVerdict,
  kReason,
  kNeeded,
  kPerson,
  kPortal,
  kDestination,
  kRack,
  kHash,
  kDecisionFieldCount
};
// SELECT field order of the alarms report.
enum AlarmField {
  kAlarmSeq,
  kAlarmReceived,
  kAlarmDevice,
  kAlarmType,
  kAlarmKind,
  kAlarmSeverity,
  kAlarmSubject,
  kAlarmDetail,
  kAlarmSilent,
  kAlarmPerson,
  kAlarmPortal,
  kAlarmVerdict,
  kAlarmHash,
  kAlarmFieldCount
};

bool is_alarms(ReportKind kind) {
  return kind == ReportKind::Alarms;
}

std::string two_digits(int v) {
  return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
}
std::string hhmm(int minutes) {
  return two_digits(minutes / 60) + ":" + two_digits(minutes % 60);
}

bool parse_i64(std::string_view text, std::int64_t& value) {
  const auto* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, value);
  return r.ec == std::errc{} && r.ptr == end;
}

void time_range(std::string& where, const ReportFilter& f) {
  if (f.from_us) where += " AND e.received_us >= " + std::to_string(*f.from_us);
  if (f.to_us) where += " AND e.received_us < " + std::to_string(*f.to_us);
}

// Output helpers shared by both formats.
struct RowWriter {
  OutputFormat format;
  std::string& out;
  bool first = true;

  void begin() {
    if (format == OutputFormat::JsonLines) out += '{';
  }
  void key(const char* name) {
    if (format == OutputFormat::Csv) {
      if (!first) out += ',';
    } else if (format == OutputFormat::JsonLines) {
      if (!first) out += ',';
      out += '"';
      out += name;
      out += "\":";
    } else if (!first) {  // Pdf: the cells, separated by kPdfCellSeparator (absent values empty)
      out += kPdfCellSeparator;
    }
    first = false;
  }
  void integer(const char* name, std::string_view digits) {
    key(name);
    out.append(digits);
  }
  void text(const char* name, const CopyField& f) {
    if (format == OutputFormat::Pdf) {
      key(name);
      for (char c : f.text) out += c == kPdfCellSeparator ? ' ' : c;  // a separator inside a value is data
      return;
    }
    key(name);
    if (format == OutputFormat::Csv) {
      if (!f.null) append_csv_cell(out, f.text);
    } else if (f.null) {
      out += "null";
    } else {
      // Stored text is valid UTF-8; the checked style writes it exactly as exports always did.
      util::append_json_string(out, f.text, util::JsonStringStyle::CheckedUtf8);
    }
  }
  bool time(const char* name, const CopyField& f) {
    key(name);
    if (f.null) {
      if (format == OutputFormat::JsonLines) out += "null";
      return true;
    }
    std::int64_t micros = 0;
    if (!parse_i64(f.text, micros)) return false;
    if (format == OutputFormat::JsonLines) out += '"';
    append_rfc3339(out, micros);
    if (format == OutputFormat::JsonLines) out += '"';
    return true;
  }
  void boolean(const char* name, const CopyField& f) {
    key(name);
    out += !f.null && f.text == "t" ? "true" : "false";
  }
  // A decimal number (JSON number, CSV cell as is), or absent.
  bool number(const char* name, const CopyField& f) {
    if (f.null) {
      key(name);
      if (format == OutputFormat::JsonLines) out += "null";
      return true;
    }
    const auto digits = f.text.find_first_not_of("0123456789.-");
    if (f.text.empty() || digits != std::string_view::npos) return false;
    key(name);
    out.append(f.text);
    return true;
  }
  void end() {
    if (format == OutputFormat::Csv) out += "\r\n";
    if (format == OutputFormat::JsonLines) out += "\n";
  }
};

bool plain_integer(const CopyField& f) {
  std::int64_t v = 0;
  return !f.null && parse_i64(f.text, v);
}

}  // namespace

const char* to_string(ReportKind kind) noexcept {
  switch (kind) {
    case ReportKind::Access: return "access";
    case ReportKind::Denied: return "denied";
    case ReportKind::AfterHours: return "after-hours";
    case ReportKind::Alarms: return "alarms";
    case ReportKind::TwoPerson: return "two-person";
    case ReportKind::AlarmResponse: return "alarm-response";
    case ReportKind::RevokedUse: return "revoked-use";
    case ReportKind::Presence: return "presence";
    case ReportKind::Custody: return "custody";
  }
  return "access";
}

std::optional<ReportKind> report_from_string(std::string_view s) noexcept {
  if (s == "access") return ReportKind::Access;
  if (s == "denied") return ReportKind::Denied;
  if (s == "after-hours") return ReportKind::AfterHours;
  if (s == "alarms") return ReportKind::Alarms;
  if (s == "two-person") return ReportKind::TwoPerson;
  if (s == "alarm-response") return ReportKind::AlarmResponse;
  if (s == "revoked-use") return ReportKind::RevokedUse;
  if (s == "presence") return ReportKind::Presence;
  if (s == "custody") return ReportKind::Custody;
  return std::nullopt;
}

const std::vector<ReportKind>& all_reports() {
  static const std::vector<ReportKind> all = {
      ReportKind::Access,     ReportKind::Denied,    ReportKind::AfterHours,
      ReportKind::Alarms,     ReportKind::TwoPerson, ReportKind::AlarmResponse,
      ReportKind::RevokedUse, ReportKind::Presence,  ReportKind::Custody};
  return all;
}

bool streams_in_chain_order(ReportKind kind) noexcept {
  // alarm-response joins the acknowledgements (a hash join the planner may follow by a sort of the alarms),
  // revoked-use and presence are grouped by revocation / person: PostgreSQL sorts those within work_mem
  // and spills to disk beyond it, so their memory is bounded too, but their first row waits for the sort.
  return kind != ReportKind::AlarmResponse && kind != ReportKind::RevokedUse && kind != ReportKind::Presence;
}

const char* to_string(OutputFormat format) noexcept {
  switch (format) {
    case OutputFormat::Csv: return "csv";
    case OutputFormat::JsonLines: return "jsonl";
    case OutputFormat::Pdf: return "pdf";
  }
  return "csv";
}

std::optional<OutputFormat> format_from_string(std::string_view s) noexcept {
  if (s == "csv") return OutputFormat::Csv;
  if (s == "jsonl") return OutputFormat::JsonLines;
  if (s == "pdf") return OutputFormat::Pdf;
  return std::nullopt;
}

std::optional<DailyWindow> parse_window(std::string_view text) {
  // HH:MM-HH:MM
  auto minutes = [](std::string_view t) -> std::optional<int> {
    if (t.size() != 5 || t[2] != ':') return std::nullopt;
    for (std::size_t i : {0U, 1U, 3U, 4U}) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
    }
    const int h = (t[0] - '0') * 10 + (t[1] - '0');
    const int m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
  };
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  const auto start = minutes(text.substr(0, 5));
  const auto end = minutes(text.substr(6, 5));
  if (!start || !end || *start == *end || *start == 24 * 60) return std::nullopt;
  return DailyWindow{*start, *end};
}

std::optional<std::string> validate(ReportKind kind, const ReportFilter& f) {
  if (f.decision && *f.decision != "grant" && *f.decision != "deny" && *f.decision != "pending") {
    return "--decision must be grant, deny or pending";
  }
  if (kind == ReportKind::Denied && f.decision && *f.decision != "deny") {
    return "the denied report only holds deny decisions";
  }
  {
    // Which filters each report understands: a filter it would silently ignore is refused instead.
    const bool decisions =
        kind == ReportKind::Access || kind == ReportKind::Denied || kind == ReportKind::AfterHours;
    const bool places = decisions || kind == ReportKind::Alarms || kind == ReportKind::TwoPerson ||
                        kind == ReportKind::AlarmResponse;
    const char* name = to_string(kind);
    if (f.decision && !(decisions || kind == ReportKind::Alarms))
      return std::string{"--decision does not apply to the "} + name + " report";
    if ((f.portal || f.rack) && !places)
      return std::string{"--portal and --rack do not apply to the "} + name + " report";
    if (f.zone && !places && kind != ReportKind::Presence)
      return std::string{"--zone does not apply to the "} + name + " report";
    if (f.group && !(decisions || kind == ReportKind::TwoPerson || kind == ReportKind::RevokedUse ||
                     kind == ReportKind::Presence))
      return std::string{"--group does not apply to the "} + name + " report";
    if (f.asset && kind != ReportKind::Custody) return "--asset only applies to the custody report";
    if (f.from_us && kind == ReportKind::Presence)
      return "the presence report is a state at one time: give --to (as of), not --from";
  }
  if (f.from_us && f.to_us && *f.from_us >= *f.to_us) return "--from must be before --to";
  const auto& w = f.window;
  if (w.start_minute < 0 || w.start_minute >= 24 * 60 || w.end_minute < 0 || w.end_minute > 24 * 60 ||
      w.start_minute == w.end_minute) {
    return "the working-hours window is empty or out of range";
  }
  if (f.time_zone.empty() || f.time_zone.size() > 64) return "--tz must name a time zone";
  for (char c : f.time_zone) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                    c == '_' || c == '-' || c == '+' || c == ':';
    if (!ok) return "--tz must be an IANA time zone name such as Europe/Berlin";
  }
  for (const auto* v : {&f.person, &f.portal, &f.zone, &f.rack, &f.group, &f.asset}) {
    if (*v && v->value().find('\0') != std::string::npos) return "filter values cannot hold NUL";
  }
  return std::nullopt;
}

std::string sql_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string range_where(const ReportFilter& f, const std::string& site_id) {
  std::string where = "e.site_id = " + sql_literal(site_id);
  time_range(where, f);
  return where;
}

std::string report_select(ReportKind kind, const ReportFilter& f, const std::string& site_id) {
  std::string where = range_where(f, site_id);
  if (f.first_seq) where += " AND e.site_seq >= " + std::to_string(*f.first_seq);
  if (f.last_seq) where += " AND e.site_seq <= " + std::to_string(*f.last_seq);
  if (detail::is_compliance_report(kind)) return detail::compliance_select(kind, f, site_id, where);
  if (is_alarms(kind)) {
    // One row per alarm of an event. The LIKE skips the JSON parse for the many events without alarms
    // (outcomes are canonical JSON written by the server, see docs/event-store.md).
    where += " AND e.outcome LIKE '%\"alarms\":[{%'";
    auto either = [&](const std::optional<std::string>& v, const char* decision_key) {
      if (!v) return;
      where += " AND (a.subject = " + sql_literal(*v) + " OR o.j -> 'decision' ->> '" + decision_key +
               "' = " + sql_literal(*v) + ")";
    };
    either(f.person, "person");
    either(f.portal, "portal");
    either(f.zone, "destination");
    if (f.rack) where += " AND o.j -> 'decision' ->> 'rack' = " + sql_literal(*f.rack);
    if (f.decision) where += " AND o.j -> 'decision' ->> 'verdict' = " + sql_literal(*f.decision);
    return "SELECT e.site_seq, e.received_us, e.device_id, e.type, a.kind, a.severity, a.subject, a.detail, "
           "a.silent, o.j -> 'decision' ->> 'person', o.j -> 'decision' ->> 'portal', "
           "o.j -> 'decision' ->> 'verdict', encode(e.hash, 'hex') "
           "FROM events e "
           "CROSS JOIN LATERAL (SELECT " +
           detail::stored_jsonb("e.outcome") +
           " AS j OFFSET 0) o "
           "CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(o.j -> 'alarms') = 'array' "
           "THEN o.j -> 'alarms' ELSE '[]'::jsonb END) WITH ORDINALITY AS x(alarm, n) "
           "CROSS JOIN LATERAL jsonb_to_record(CASE WHEN jsonb_typeof(x.alarm) = 'object' THEN x.alarm END) "
           "AS a(kind text, severity text, subject text, detail text, silent boolean) "
           "WHERE " +
           where + " ORDER BY e.site_seq, x.n";
  }
  where += " AND e.outcome LIKE '%\"decision\":{%' AND d.verdict IS NOT NULL";
  if (f.person) where += " AND d.person = " + sql_literal(*f.person);
  if (f.portal) where += " AND d.portal = " + sql_literal(*f.portal);
  if (f.zone) where += " AND d.destination = " + sql_literal(*f.zone);
  if (f.rack) where += " AND d.rack = " + sql_literal(*f.rack);
  if (f.group) where += " AND d.person IN " + detail::group_members(*f.group, site_id);
  if (kind == ReportKind::Denied) {
    where += " AND d.verdict = 'deny'";
  } else if (f.decision) {
    where += " AND d.verdict = " + sql_literal(*f.decision);
  }
  if (kind == ReportKind::AfterHours) {
    const std::string local =
        "(to_timestamp(e.received_us / 1e6) AT TIME ZONE " + sql_literal(f.time_zone) + ")::time";
    const std::string start = "'" + hhmm(f.window.start_minute) + "'::time";
    const std::string end =
        f.window.end_minute == 24 * 60 ? "'24:00'::time" : "'" + hhmm(f.window.end_minute) + "'::time";
    if (f.window.start_minute < f.window.end_minute) {
      where += " AND NOT (" + local + " >= " + start + " AND " + local + " < " + end + ")";
    } else {  // the working window spans midnight: after hours is the gap between its end and its start
      where += " AND " + local + " >= " + end + " AND " + local + " < " + start;
    }
  }
  return "SELECT e.site_seq, e.received_us, e.device_time_us, e.device_id, e.type, d.verdict, d.reason, "
         "d.needed, d.person, d.portal, d.destination, d.rack, encode(e.hash, 'hex') "
         "FROM events e "
         "CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.outcome") +
         " -> 'decision' AS j OFFSET 0) o "
         "CROSS JOIN LATERAL jsonb_to_record(CASE WHEN jsonb_typeof(o.j) = 'object' THEN o.j END) "
         "AS d(verdict text, reason text, needed text, person text, portal text, destination text, rack "
         "text) "
         "WHERE " +
         where + " ORDER BY e.site_seq";
}

const std::vector<std::string>& report_columns(ReportKind kind) {
  static const std::vector<std::string> decisions = {
      "site_seq", "received_at", "device_time", "device_id",   "event_type", "verdict", "reason",
      "needed",   "person",      "portal",      "destination", "rack",       "hash"};
  static const std::vector<std::string> alarms = {
      "site_seq", "received_at", "device_id", "event_type", "alarm",   "severity", "subject",
      "detail",   "silent",      "person",    "portal",     "verdict", "hash"};
  if (detail::is_compliance_report(kind)) {
    static const auto names = [] {
      std::vector<std::vector<std::string>> all;
      for (auto k : {ReportKind::TwoPerson, ReportKind::AlarmResponse, ReportKind::RevokedUse,
                     ReportKind::Presence, ReportKind::Custody}) {
        std::vector<std::string> n;
        for (const auto& c : detail::compliance_columns(k)) n.emplace_back(c.name);
        all.push_back(std::move(n));
      }
      return all;
    }();
    return names.at(static_cast<std::size_t>(kind) - static_cast<std::size_t>(ReportKind::TwoPerson));
  }
  return is_alarms(kind) ? alarms : decisions;
}

std::string header(ReportKind kind, OutputFormat format) {
  if (format != OutputFormat::Csv) return {};
  std::string out;
  std::vector<std::string_view> cells;
  for (const auto& c : report_columns(kind)) cells.emplace_back(c);
  append_csv_row(out, cells);
  return out;
}

bool format_row(ReportKind kind, OutputFormat format, const std::vector<CopyField>& f, std::string& out) {
  const std::size_t mark = out.size();
  RowWriter w{format, out};
  w.begin();
  bool ok = true;
  if (detail::is_compliance_report(kind)) {
    const auto& columns = detail::compliance_columns(kind);
    if (f.size() != columns.size()) return false;
    for (std::size_t i = 0; i < columns.size() && ok; ++i) {
      const auto& c = columns[i];
      switch (c.type) {
        case detail::ColumnType::Integer:
          if (f[i].null) {
            w.text(c.name, f[i]);
          } else if (plain_integer(f[i])) {
            w.integer(c.name, f[i].text);
          } else {
            ok = false;
          }
          break;
        case detail::ColumnType::Time: ok = w.time(c.name, f[i]); break;
        case detail::ColumnType::Text: w.text(c.name, f[i]); break;
        case detail::ColumnType::Bool: w.boolean(c.name, f[i]); break;
        case detail::ColumnType::Seconds: ok = w.number(c.name, f[i]); break;
      }
    }
  } else if (is_alarms(kind)) {
    if (f.size() != kAlarmFieldCount || !plain_integer(f[kAlarmSeq])) return false;
    w.integer("site_seq", f[kAlarmSeq].text);
    ok = w.time("received_at", f[kAlarmReceived]);
    w.text("device_id", f[kAlarmDevice]);
    w.text("event_type", f[kAlarmType]);
    w.text("alarm", f[kAlarmKind]);
    w.text("severity", f[kAlarmSeverity]);
    w.text("subject", f[kAlarmSubject]);
    w.text("detail", f[kAlarmDetail]);
    w.boolean("silent", f[kAlarmSilent]);
    w.text("person", f[kAlarmPerson]);
    w.text("portal", f[kAlarmPortal]);
    w.text("verdict", f[kAlarmVerdict]);
    w.text("hash", f[kAlarmHash]);
  } else {
    if (f.size() != kDecisionFieldCount || !plain_integer(f[kSeq])) return false;
    w.integer("site_seq", f[kSeq].text);
    ok = w.time("received_at", f[kReceived]) && w.time("device_time", f[kDeviceTime]);
    w.text("device_id", f[kDevice]);
    w.text("event_type", f[kType]);
    w.text("verdict", f[kVerdict]);
    w.text("reason", f[kReason]);
    w.text("needed", f[kNeeded]);
    w.text("person", f[kPerson]);
    w.text("portal", f[kPortal]);
    w.text("destination", f[kDestination]);
    w.text("rack", f[kRack]);
    w.text("hash", f[kHash]);
  }
  if (!ok) {
    out.resize(mark);
    return false;
  }
  if (format == OutputFormat::JsonLines) out += '}';
  w.end();
  return true;
}

std::string filters_json(ReportKind kind, const ReportFilter& f) {
  nlohmann::json j = nlohmann::json::object();
  if (f.person) j["person"] = *f.person;
  if (f.portal) j["portal"] = *f.portal;
  if (f.zone) j["zone"] = *f.zone;
  if (f.rack) j["rack"] = *f.rack;
  if (f.decision) j["decision"] = *f.decision;
  if (f.group) j["group"] = *f.group;
  if (f.asset) j["asset"] = *f.asset;
  if (kind == ReportKind::Custody && !f.asset) j["assets"] = "disposed";
  if (kind == ReportKind::Denied) j["decision"] = "deny";
  if (f.from_us) j["from"] = rfc3339_from_micros(*f.from_us);
  if (f.to_us) j["to"] = rfc3339_from_micros(*f.to_us);
  if (kind == ReportKind::AfterHours) {
    j["working_hours"] = hhmm(f.window.start_minute) + "-" + hhmm(f.window.end_minute);
    j["time_zone"] = f.time_zone;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // never throws on bad bytes
}

}  // namespace portcullis::audit
