#include "compliance_reports.hpp"
#include "stored_jsonb.hpp"

namespace portcullis::audit::detail {
namespace {

using T = ColumnType;

// The reasons of a decision that belong to a two-person rule (docs/access-policy.md, "Two-person rules").
constexpr const char* kTwoPersonReasons =
    "('second_person_pending', 'second_person_required', 'same_person_twice', 'window_expired', "
    "'two_person_order', 'supervisor_override')";
constexpr const char* kTwoPersonAlarms = "('lone_person', 'two_person_window_expired')";

// Decision rows are only parsed when the canonical outcome text can hold one of these words.
constexpr const char* kTwoPersonPrefilter =
    "e.outcome LIKE ANY (ARRAY['%first_person%', '%second_person%', '%same_person_twice%', "
    "'%window_expired%', '%two_person%', '%supervisor_override%', '%lone_person%'])";

// An operator action that the engine applied (refused ones are recorded too, with another reason).
constexpr const char* kApplied = "e.outcome LIKE '%\"reason\":\"applied\"%'";

std::string lit(const std::string& s) {
  return sql_literal(s);
}

std::string two_person(const ReportFilter& f, const std::string& site_id, const std::string& where) {
  std::string filters;
  if (f.person)
    filters += " AND (r.person = " + lit(*f.person) + " OR r.first_person = " + lit(*f.person) + ")";
  if (f.group) {
    const auto members = group_members(*f.group, site_id);
    filters += " AND (r.person IN " + members + " OR r.first_person IN " + members + ")";
  }
  auto place = [&](const std::optional<std::string>& v, const char* column) {
    if (v)
      filters +=
          " AND (r." + std::string{column} + " = " + lit(*v) + " OR r.alarm_subject = " + lit(*v) + ")";
  };
  place(f.zone, "destination");
  place(f.portal, "portal");
  place(f.rack, "rack");
  return "SELECT e.site_seq, e.received_us, e.device_id, e.type, r.row_kind, r.verdict, r.reason, r.person, "
         "r.first_person, r.portal, r.destination, r.rack, r.alarm, r.alarm_subject, r.alarm_detail, "
         "encode(e.hash, 'hex') "
         "FROM events e "
         "CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.outcome") +
         " AS j OFFSET 0) o "
         "CROSS JOIN LATERAL ("
         " SELECT CASE WHEN o.j -> 'first_person' ->> 'verdict' = 'grant' THEN 'entry'"
         " WHEN o.j -> 'decision' ->> 'reason' = 'supervisor_override' THEN 'override' ELSE 'attempt' END"
         " AS row_kind, o.j -> 'decision' ->> 'verdict' AS verdict, o.j -> 'decision' ->> 'reason' AS reason,"
         " o.j -> 'decision' ->> 'person' AS person, o.j -> 'first_person' ->> 'person' AS first_person,"
         " o.j -> 'decision' ->> 'portal' AS portal, o.j -> 'decision' ->> 'destination' AS destination,"
         " o.j -> 'decision' ->> 'rack' AS rack, NULL::text AS alarm, NULL::text AS alarm_subject,"
         " NULL::text AS alarm_detail, 0::bigint AS n"
         " WHERE jsonb_typeof(o.j -> 'decision') = 'object' AND (jsonb_typeof(o.j -> 'first_person') = "
         "'object'"
         " OR o.j -> 'decision' ->> 'reason' IN " +
         std::string{kTwoPersonReasons} +
         ")"
         " UNION ALL"
         " SELECT 'alarm', NULL, NULL,"
         " CASE WHEN x.a ->> 'kind' = 'lone_person' AND position(' alone in ' IN x.a ->> 'detail') > 0"
         " THEN split_part(x.a ->> 'detail', ' alone in ', 1) END, NULL, NULL, NULL, NULL,"
         " x.a ->> 'kind', x.a ->> 'subject', x.a ->> 'detail', x.n"
         " FROM jsonb_array_elements(CASE WHEN jsonb_typeof(o.j -> 'alarms') = 'array' THEN o.j -> 'alarms'"
         " ELSE '[]'::jsonb END) WITH ORDINALITY AS x(a, n)"
         " WHERE jsonb_typeof(x.a) = 'object' AND x.a ->> 'kind' IN " +
         std::string{kTwoPersonAlarms} +
         ") r "
         "WHERE " +
         where + " AND " + kTwoPersonPrefilter + filters + " ORDER BY e.site_seq, r.n";
}

std::string alarm_response(const ReportFilter& f, const std::string& site_id) {
  const auto site = lit(site_id);
  // Filters apply to the alarm as it was raised (its first occurrence).
  std::string filters;
  auto either = [&](const std::optional<std::string>& v, const char* decision_key) {
    if (!v) return;
    filters += " AND (g.subject = " + lit(*v) + " OR g.d ->> '" + decision_key + "' = " + lit(*v) + ")";
  };
  either(f.person, "person");
  either(f.portal, "portal");
  either(f.zone, "destination");
  either(f.rack, "rack");
  if (f.from_us) filters += " AND g.received_us >= " + std::to_string(*f.from_us);
  const std::string before_to = f.to_us ? " AND e.received_us < " + std::to_string(*f.to_us) : "";
  auto seconds = [](const char* change) {
    return "round((" + std::string{change} + ".received_us - g.received_us) / 1000000.0, 3)";
  };
  // The server (core::AlarmBook) names an alarm "A<site_seq>.<index>" after the event that raised it, and
  // folds a raise of the same kind and subject into the alarm still open (not yet resolved): a count, no new
  // id. The same folding here: an occurrence starts a new alarm when it is the first of its kind and subject,
  // or when an alarm of that kind and subject was resolved since the previous occurrence. It needs every
  // occurrence from the start of history (up to `to`), so the time range filters the alarms afterwards.
  return "WITH changes AS MATERIALIZED ("
         " SELECT c.site_seq, c.type, c.received_us, p.j ->> 'alarm' AS alarm, p.j ->> 'operator' AS "
         "operator_id,"
         " p.j ->> 'comment' AS comment"
         " FROM events c CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("c.payload") +
         " AS j OFFSET 0) p"
         " WHERE c.site_id = " +
         site +
         " AND c.type IN ('alarm.acknowledged', 'alarm.resolved')"
         "), occurrences AS MATERIALIZED ("
         " SELECT e.site_seq, e.received_us, e.device_id, e.type, x.n, x.a, x.a ->> 'kind' AS kind,"
         " x.a ->> 'subject' AS subject, o.j -> 'decision' AS d, e.hash,"
         " 'A' || e.site_seq || '.' || (x.n - 1) AS id"
         " FROM events e"
         " CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.outcome") +
         " AS j OFFSET 0) o"
         " CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(o.j -> 'alarms') = 'array'"
         " THEN o.j -> 'alarms' ELSE '[]'::jsonb END) WITH ORDINALITY AS x(a, n)"
         " WHERE e.site_id = " +
         site + before_to +
         " AND e.outcome LIKE '%\"alarms\":[{%' AND jsonb_typeof(x.a) = 'object'"
         "), resolutions AS ("
         " SELECT i.kind, i.subject, c.site_seq AS resolved_seq FROM changes c JOIN occurrences i ON i.id = "
         "c.alarm"
         " WHERE c.type = 'alarm.resolved'"
         "), flagged AS ("
         // Occurrences and resolutions of each kind and subject in chain order: an occurrence right after a
         // resolution (or the first one) opens a new alarm, one right after another occurrence is a repeat.
         " SELECT m.*, lag(m.is_resolution) OVER (PARTITION BY m.kind, m.subject ORDER BY m.site_seq, m.n)"
         " AS after_resolution"
         " FROM (SELECT i.kind, i.subject, i.site_seq, i.n, 0 AS is_resolution FROM occurrences i"
         " UNION ALL SELECT r.kind, r.subject, r.resolved_seq, 0::bigint, 1 FROM resolutions r) m"
         "), opened AS ("
         " SELECT i.*, CASE WHEN fl.after_resolution IS DISTINCT FROM 0 THEN 1 ELSE 0 END AS is_new"
         " FROM occurrences i JOIN flagged fl ON fl.is_resolution = 0 AND fl.site_seq = i.site_seq AND fl.n "
         "= i.n"
         "), grouped AS ("
         " SELECT op.*, sum(op.is_new) OVER (PARTITION BY op.kind, op.subject ORDER BY op.site_seq, op.n) AS "
         "grp"
         " FROM opened op"
         "), folded AS ("
         " SELECT kind, subject, grp, count(*) AS occurrences, max(received_us) AS last_seen_us FROM grouped"
         " GROUP BY kind, subject, grp"
         ") "
         "SELECT g.id, g.site_seq, g.received_us, g.device_id, g.type, g.kind, g.a ->> 'severity', g.subject,"
         " g.a ->> 'detail', coalesce(g.a ->> 'silent' = 'true', false), fo.occurrences, fo.last_seen_us,"
         " ack.received_us, ack.operator_id, ack.comment, " +
         seconds("ack") + ", res.received_us, res.operator_id, res.comment, " + seconds("res") +
         ", encode(g.hash, 'hex') "
         "FROM grouped g"
         " JOIN folded fo ON fo.kind IS NOT DISTINCT FROM g.kind AND fo.subject IS NOT DISTINCT FROM "
         "g.subject"
         " AND fo.grp = g.grp"
         " LEFT JOIN changes ack ON ack.type = 'alarm.acknowledged' AND ack.alarm = g.id"
         " LEFT JOIN changes res ON res.type = 'alarm.resolved' AND res.alarm = g.id"
         " WHERE g.is_new = 1" +
         filters + " ORDER BY g.site_seq, g.n";
}

std::string revoked_use(const ReportFilter& f, const std::string& site_id, const std::string& where) {
  const auto site = lit(site_id);
  std::string filters;
  if (f.person) filters += " AND (w.person = " + lit(*f.person) + " OR u.person = " + lit(*f.person) + ")";
  if (f.group) {
    const auto members = group_members(*f.group, site_id);
    filters += " AND (w.person IN " + members + " OR u.person IN " + members + ")";
  }
  return "WITH rev AS MATERIALIZED ("
         " SELECT e.site_seq, e.received_us, substr(e.type, 8) AS action, p.j ->> 'person' AS person,"
         " p.j ->> 'credential' AS credential, p.j -> 'actor' ->> 'id' AS by_operator, p.j ->> 'reason' AS "
         "reason,"
         " e.hash"
         " FROM events e CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.payload") +
         " AS j OFFSET 0) p"
         " WHERE " +
         where + " AND e.type IN ('policy.revoke_person', 'policy.revoke_credential') AND " + kApplied +
         "), restores AS MATERIALIZED ("
         " SELECT e.site_seq, p.j ->> 'person' AS person, p.j ->> 'credential' AS credential"
         " FROM events e CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.payload") +
         " AS j OFFSET 0) p"
         " WHERE e.site_id = " +
         site + " AND e.type IN ('policy.restore_person', 'policy.restore_credential') AND " + kApplied +
         "), windows AS ("
         " SELECT rev.*, (SELECT min(s.site_seq) FROM restores s WHERE s.site_seq > rev.site_seq"
         " AND (s.person = rev.person OR s.credential = rev.credential)) AS until_seq FROM rev"
         "), uses AS MATERIALIZED ("
         " SELECT e.site_seq, e.received_us, e.device_id, e.type, d.verdict, d.reason, d.person, "
         "d.credential,"
         " d.portal, e.hash"
         " FROM events e"
         " CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.outcome") +
         " -> 'decision' AS j OFFSET 0) o"
         " CROSS JOIN LATERAL jsonb_to_record(CASE WHEN jsonb_typeof(o.j) = 'object' THEN o.j END)"
         " AS d(verdict text, reason text, person text, credential text, portal text)"
         " WHERE e.site_id = " +
         site +
         " AND e.source = 'device' AND e.site_seq > (SELECT min(site_seq) FROM rev)"
         " AND e.outcome LIKE '%\"decision\":{%'"
         " AND (d.person IN (SELECT person FROM rev WHERE person IS NOT NULL)"
         " OR d.credential IN (SELECT credential FROM rev WHERE credential IS NOT NULL))"
         ") "
         "SELECT w.site_seq, w.received_us, w.action, w.person, w.credential, w.by_operator, w.reason,"
         " encode(w.hash, 'hex'),"
         " CASE WHEN u.site_seq IS NULL THEN 'no_later_use' WHEN u.verdict = 'grant' THEN 'use_granted'"
         " WHEN u.verdict = 'deny' THEN 'use_denied' ELSE 'use_pending' END,"
         " u.site_seq, u.received_us, u.device_id, u.type, u.verdict, u.reason, u.person, u.credential, "
         "u.portal,"
         " encode(u.hash, 'hex') "
         "FROM windows w LEFT JOIN uses u ON u.site_seq > w.site_seq"
         " AND (w.until_seq IS NULL OR u.site_seq < w.until_seq)"
         " AND ((w.person IS NOT NULL AND u.person = w.person)"
         " OR (w.credential IS NOT NULL AND u.credential = w.credential)) "
         "WHERE true" +
         filters + " ORDER BY w.site_seq, u.site_seq";
}

std::string presence(const ReportFilter& f, const std::string& site_id, const std::string& where) {
  std::string filters;
  if (f.zone) filters += " AND l.destination = " + lit(*f.zone);
  if (f.person) filters += " AND l.person = " + lit(*f.person);
  if (f.group) filters += " AND l.person IN " + group_members(*f.group, site_id);
  return "WITH moves AS ("
         " SELECT e.site_seq, e.received_us, m.person, m.destination, m.portal, e.hash"
         " FROM events e"
         " CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.outcome") +
         " AS j OFFSET 0) o"
         " CROSS JOIN LATERAL (VALUES (o.j -> 'decision'), (o.j -> 'first_person')) AS v(d)"
         " CROSS JOIN LATERAL jsonb_to_record(CASE WHEN jsonb_typeof(v.d) = 'object' THEN v.d END)"
         " AS m(verdict text, person text, portal text, destination text, rack text)"
         " WHERE " +
         where +
         " AND e.source = 'device' AND e.outcome LIKE '%\"verdict\":\"grant\"%' AND m.verdict = 'grant'"
         " AND m.person IS NOT NULL AND m.destination IS NOT NULL AND m.rack IS NULL"
         " UNION ALL"
         " SELECT e.site_seq, e.received_us, p.j ->> 'person', NULL, NULL, e.hash"
         " FROM events e CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.payload") +
         " AS j OFFSET 0) p"
         " WHERE " +
         where + " AND e.type = 'policy.forgive_presence' AND " + kApplied +
         "), latest AS (SELECT DISTINCT ON (person) * FROM moves ORDER BY person, site_seq DESC) "
         "SELECT l.destination, l.person, l.received_us, l.portal, l.site_seq, encode(l.hash, 'hex') "
         "FROM latest l WHERE l.destination IS NOT NULL" +
         filters + " ORDER BY l.destination, l.person";
}

// The asset a record is about: its "asset" field, or that object's "id" (a registration carries the whole
// asset definition).
std::string asset_of(const std::string& payload) {
  return "(CASE WHEN jsonb_typeof(" + payload + " -> 'asset') = 'object' THEN " + payload +
         " -> 'asset' ->> 'id' ELSE " + payload + " ->> 'asset' END)";
}

std::string custody(const ReportFilter& f, const std::string& site_id, const std::string& where) {
  std::string filters;
  if (f.asset) {
    filters += " AND " + asset_of("p.j") + " = " + lit(*f.asset);
  } else {
    // All disposals: the whole trail of every asset that reached the end of its lifecycle (a refused
    // destruction or disposal, recorded too, does not count).
    filters += " AND " + asset_of("p.j") + " IN (SELECT " + asset_of(detail::stored_jsonb("d.payload")) +
               " FROM events d WHERE d.site_id = " + lit(site_id) +
               " AND d.type IN ('asset.disposed', 'asset.destroyed', 'asset.record_disposal', "
               "'asset.record_destruction') AND d.outcome NOT LIKE '%\"verdict\":\"deny\"%')";
  }
  const std::string actor = "coalesce(p.j ->> 'operator', p.j -> 'actor' ->> 'id')";
  if (f.person) filters += " AND " + actor + " = " + lit(*f.person);
  return "SELECT e.site_seq, e.received_us, " + asset_of("p.j") + ", substr(e.type, 7), " +
         detail::stored_jsonb("e.outcome") + " -> 'decision' ->> 'reason', e.source, e.device_id, " + actor +
         ", p.j ->> 'from', p.j ->> 'to', e.payload, encode(e.hash, 'hex') "
         "FROM events e CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("e.payload") +
         " AS j OFFSET 0) p "
         "WHERE " +
         where + " AND e.type LIKE 'asset.%'" + filters + " ORDER BY e.site_seq";
}

}  // namespace

bool is_compliance_report(ReportKind kind) noexcept {
  switch (kind) {
    case ReportKind::TwoPerson:
    case ReportKind::AlarmResponse:
    case ReportKind::RevokedUse:
    case ReportKind::Presence:
    case ReportKind::Custody: return true;
    default: return false;
  }
}

const std::vector<Column>& compliance_columns(ReportKind kind) {
  static const std::vector<Column> two = {
      {"site_seq", T::Integer}, {"received_at", T::Time},   {"device_id", T::Text},
      {"event_type", T::Text},  {"row_kind", T::Text},      {"verdict", T::Text},
      {"reason", T::Text},      {"person", T::Text},        {"first_person", T::Text},
      {"portal", T::Text},      {"destination", T::Text},   {"rack", T::Text},
      {"alarm", T::Text},       {"alarm_subject", T::Text}, {"alarm_detail", T::Text},
      {"hash", T::Text}};
  static const std::vector<Column> response = {{"alarm_id", T::Text},
                                               {"site_seq", T::Integer},
                                               {"raised_at", T::Time},
                                               {"device_id", T::Text},
                                               {"event_type", T::Text},
                                               {"alarm", T::Text},
                                               {"severity", T::Text},
                                               {"subject", T::Text},
                                               {"detail", T::Text},
                                               {"silent", T::Bool},
                                               {"occurrences", T::Integer},
                                               {"last_seen_at", T::Time},
                                               {"acknowledged_at", T::Time},
                                               {"acknowledged_by", T::Text},
                                               {"acknowledge_comment", T::Text},
                                               {"seconds_to_acknowledge", T::Seconds},
                                               {"resolved_at", T::Time},
                                               {"resolved_by", T::Text},
                                               {"resolve_comment", T::Text},
                                               {"seconds_to_resolve", T::Seconds},
                                               {"hash", T::Text}};
  static const std::vector<Column> revoked = {{"revocation_seq", T::Integer},
                                              {"revoked_at", T::Time},
                                              {"action", T::Text},
                                              {"person", T::Text},
                                              {"credential", T::Text},
                                              {"revoked_by", T::Text},
                                              {"revocation_reason", T::Text},
                                              {"revocation_hash", T::Text},
                                              {"finding", T::Text},
                                              {"use_seq", T::Integer},
                                              {"used_at", T::Time},
                                              {"use_device_id", T::Text},
                                              {"use_event_type", T::Text},
                                              {"use_verdict", T::Text},
                                              {"use_reason", T::Text},
                                              {"use_person", T::Text},
                                              {"use_credential", T::Text},
                                              {"use_portal", T::Text},
                                              {"use_hash", T::Text}};
  static const std::vector<Column> present = {{"zone", T::Text},        {"person", T::Text},
                                              {"since", T::Time},       {"portal", T::Text},
                                              {"site_seq", T::Integer}, {"hash", T::Text}};
  static const std::vector<Column> trail = {
      {"site_seq", T::Integer}, {"received_at", T::Time}, {"asset", T::Text},     {"action", T::Text},
      {"result", T::Text},      {"source", T::Text},      {"device_id", T::Text}, {"operator", T::Text},
      {"from", T::Text},        {"to", T::Text},          {"payload", T::Text},   {"hash", T::Text}};
  static const std::vector<Column> none;
  switch (kind) {
    case ReportKind::TwoPerson: return two;
    case ReportKind::AlarmResponse: return response;
    case ReportKind::RevokedUse: return revoked;
    case ReportKind::Presence: return present;
    case ReportKind::Custody: return trail;
    default: return none;
  }
}

std::string compliance_select(ReportKind kind, const ReportFilter& f, const std::string& site_id,
                              const std::string& where) {
  switch (kind) {
    case ReportKind::TwoPerson: return two_person(f, site_id, where);
    case ReportKind::AlarmResponse: return alarm_response(f, site_id);
    case ReportKind::RevokedUse: return revoked_use(f, site_id, where);
    case ReportKind::Presence: return presence(f, site_id, where);
    case ReportKind::Custody: return custody(f, site_id, where);
    default: return {};
  }
}

std::string group_members(const std::string& group, const std::string& site_id) {
  return "(SELECT m.person FROM site_versions v "
         "CROSS JOIN LATERAL (SELECT " +
         detail::stored_jsonb("v.content") +
         " AS j OFFSET 0) c "
         "CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(c.j -> 'groups') = 'array' "
         "THEN c.j -> 'groups' ELSE '[]'::jsonb END) AS g(grp) "
         "CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(g.grp -> 'members') = 'array' "
         "THEN g.grp -> 'members' ELSE '[]'::jsonb END) AS m(person) "
         "WHERE v.site_id = " +
         sql_literal(site_id) + " AND g.grp ->> 'id' = " + sql_literal(group) +
         // A version whose content does not hash to its name was not written by the server: never read.
         " AND sha256(convert_to(v.content, 'UTF8')) = v.content_hash" +
         // Members added at run time through the admin API (an applied policy.add_group_member record).
         " UNION SELECT " + detail::stored_jsonb("a.payload") +
         " ->> 'person' FROM events a WHERE a.site_id = " + sql_literal(site_id) +
         " AND a.type = 'policy.add_group_member' AND a.outcome LIKE '%\"reason\":\"applied\"%'"
         " AND " +
         detail::stored_jsonb("a.payload") + " ->> 'group' = " + sql_literal(group) + ")";
}

}  // namespace portcullis::audit::detail
