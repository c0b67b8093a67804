#include "portcullis/json/alarm_json.hpp"

#include "portcullis/json/rfc3339.hpp"
#include "portcullis/ledger/records/detail/json_writer.hpp"

namespace portcullis::json {

// Written by hand (json_writer.hpp): one per raised or folded alarm on the live stream, which is one per
// moved asset when tags land in racks other than their home. Keys sorted as nlohmann wrote them.
std::string alarm_json(const core::AlarmRecord& a) {
  using detail::put_bool;
  using detail::put_int;
  using detail::put_string;
  std::string out;
  out.reserve(256 + a.detail.size());
  out += '{';
  if (a.acknowledged_at) {
    out += "\"acknowledge_comment\":";
    put_string(out, a.acknowledge_comment);
    out += ",\"acknowledged_at\":";
    put_string(out, format_rfc3339(*a.acknowledged_at));
    out += ",\"acknowledged_by\":";
    put_string(out, a.acknowledged_by);
    out += ',';
  }
  out += "\"count\":";
  put_int(out, a.count);
  out += ",\"detail\":";
  put_string(out, a.detail);
  out += ",\"escalated\":";
  put_bool(out, a.escalated);
  out += ",\"id\":";
  put_string(out, a.id);
  out += ",\"kind\":";
  put_string(out, a.kind);
  out += ",\"last_seen_at\":";
  put_string(out, format_rfc3339(a.last_seen_at));
  out += ",\"raised_at\":";
  put_string(out, format_rfc3339(a.raised_at));
  if (a.resolved_at) {
    out += ",\"resolve_comment\":";
    put_string(out, a.resolve_comment);
    out += ",\"resolved_at\":";
    put_string(out, format_rfc3339(*a.resolved_at));
    out += ",\"resolved_by\":";
    put_string(out, a.resolved_by);
  }
  out += ",\"severity\":";
  put_string(out, core::to_string(a.severity));
  out += ",\"silent\":";
  put_bool(out, a.silent);
  out += ",\"state\":";
  put_string(out, core::to_string(a.state));
  out += ",\"subject\":";
  put_string(out, a.subject);
  out += '}';
  return out;
}

}  // namespace portcullis::json
