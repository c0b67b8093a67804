#include "live_types.hpp"

#include <QJsonArray>
#include <algorithm>

namespace portcullis::console {

namespace {
QString str(const QJsonObject& o, const char* key, const QString& fallback = {}) {
  const auto v = o.value(QLatin1String(key));
  return v.isString() ? v.toString() : fallback;
}
bool flag(const QJsonObject& o, const char* key, bool fallback) {
  const auto v = o.value(QLatin1String(key));
  return v.isBool() ? v.toBool() : fallback;
}
int count(const QJsonObject& o, const char* key, int fallback) {
  const auto v = o.value(QLatin1String(key));
  return v.isDouble() ? v.toInt(fallback) : fallback;
}
QDateTime when(const QJsonObject& o, const char* key) {
  return QDateTime::fromString(str(o, key), Qt::ISODateWithMs);
}
QString iso(const QDateTime& t) {
  return t.toUTC().toString(Qt::ISODateWithMs);
}
}  // namespace

bool AccessEvent::granted() const {
  return verdict == QLatin1String("grant") || verdict == QLatin1String("granted");
}

DoorState parseDoor(const QJsonObject& o) {
  DoorState d;
  d.id = str(o, "id");
  d.name = str(o, "name");
  d.open = flag(o, "open", false);
  d.locked = flag(o, "locked", false);
  d.mode = str(o, "mode", QStringLiteral("normal"));
  d.alarm = str(o, "alarm", QStringLiteral("none"));
  d.online = flag(o, "online", false);
  return d;
}

ZoneState parseZone(const QJsonObject& o) {
  return ZoneState{str(o, "id"), count(o, "occupancy", 0), flag(o, "lockdown", false)};
}

RackState parseRack(const QJsonObject& o) {
  RackState r;
  r.id = str(o, "id");
  r.lockKnown = o.value(QLatin1String("locked")).isBool();
  r.locked = flag(o, "locked", false);
  r.open = flag(o, "open", false);
  r.seal = str(o, "seal", QStringLiteral("unknown"));
  r.name = str(o, "name");
  r.zone = str(o, "zone");
  r.tier = count(o, "tier", -1);
  r.twoPerson = flag(o, "two_person", false);
  // portcullisd: "asset_count" and "assets" as the list of ids; the contract: "assets" as a count.
  const auto list = o.value(QLatin1String("assets"));
  if (list.isArray()) {
    const auto ids = list.toArray();
    r.assetIds.reserve(ids.size());
    for (const auto& v : ids)
      if (v.isString()) r.assetIds.push_back(v.toString());
    r.assets = static_cast<int>(r.assetIds.size());
  } else {
    r.assets = count(o, "assets", 0);
  }
  r.assets = count(o, "asset_count", r.assets);
  if (o.value(QLatin1String("expected_count")).isDouble()) {
    r.expected = count(o, "expected_count", 0);
    r.present = count(o, "present_count", 0);
    for (const auto& v : o.value(QLatin1String("away")).toArray())
      if (v.isString()) r.awayIds.push_back(v.toString());
    r.away = count(o, "away_count", std::max(0, r.expected - r.present));
    r.unseen = std::min(r.away, count(o, "unseen_count", 0));
  }
  r.known = !r.id.isEmpty();
  return r;
}

bool looksLikeAsset(const QJsonObject& o) {
  return o.contains(QLatin1String("tag")) || o.contains(QLatin1String("lifecycle")) ||
         o.contains(QLatin1String("location"));
}

AssetState parseAsset(const QJsonObject& o) {
  AssetState a;
  a.id = str(o, "id");
  a.tag = str(o, "tag");
  a.kind = str(o, "kind");
  a.model = str(o, "model");
  a.epc = str(o, "epc");
  a.homeRack = str(o, "home_rack");
  a.lifecycle = str(o, "lifecycle", QStringLiteral("unknown"));
  a.holdsModelWeights = flag(o, "holds_model_weights", false);
  const auto location = o.value(QLatin1String("location")).toObject();
  a.zone = str(location, "zone");
  a.rack = str(location, "rack");
  a.missing = flag(o, "missing", false);
  return a;
}

QString sealText(const QString& seal) {
  if (seal == QLatin1String("broken")) return QStringLiteral("SEAL BROKEN");
  if (seal == QLatin1String("intact")) return QStringLiteral("seal intact");
  if (seal == QLatin1String("none")) return QStringLiteral("no seal");
  return QStringLiteral("seal ?");
}

QString rackContentsText(const RackState& r) {
  if (r.expectedKnown() && r.expected > 0)
    return QStringLiteral("%1 / %2 present").arg(r.present).arg(r.expected);
  return QStringLiteral("%1 asset%2").arg(r.assets).arg(r.assets == 1 ? QString() : QStringLiteral("s"));
}

QString rackAwayText(const RackState& r) {
  QStringList parts;
  if (r.awayElsewhere() > 0) parts << QStringLiteral("%1 AWAY").arg(r.awayElsewhere());
  if (r.unseen > 0) parts << QStringLiteral("%1 NOT READ YET").arg(r.unseen);
  return parts.join(QStringLiteral(" · "));
}

Severity parseSeverity(const QString& s) {
  if (s == QLatin1String("critical")) return Severity::Critical;
  if (s == QLatin1String("high")) return Severity::High;
  if (s == QLatin1String("low")) return Severity::Low;
  return Severity::Medium;
}

QString severityName(Severity s) {
  switch (s) {
    case Severity::Critical: return QStringLiteral("critical");
    case Severity::High: return QStringLiteral("high");
    case Severity::Medium: return QStringLiteral("medium");
    case Severity::Low: return QStringLiteral("low");
  }
  return QStringLiteral("medium");
}

Alarm parseAlarm(const QJsonObject& o) {
  Alarm a;
  a.id = o.value(QLatin1String("id")).isDouble() ? QString::number(o.value(QLatin1String("id")).toInteger())
                                                 : str(o, "id");
  a.kind = str(o, "kind");
  a.severity = parseSeverity(str(o, "severity"));
  a.subject = str(o, "subject");
  a.detail = str(o, "detail");
  a.state = str(o, "state", QStringLiteral("raised"));
  a.count = count(o, "count", 1);
  a.raisedAt = when(o, "raised_at");
  a.acknowledgedBy = str(o, "acknowledged_by");
  // The contract says "comment"; portcullisd sends acknowledge_comment / resolve_comment.
  a.comment = str(o, "comment", str(o, "resolve_comment", str(o, "acknowledge_comment")));
  return a;
}

AccessEvent parseAccess(const QJsonObject& o) {
  AccessEvent e;
  e.time = when(o, "time");
  e.portal = str(o, "portal");
  e.reader = str(o, "reader");
  e.person = str(o, "person");
  e.personName = str(o, "person_name");
  e.verdict = str(o, "verdict");
  e.reason = str(o, "reason");
  e.destination = str(o, "destination");
  e.siteSeq = o.value(QLatin1String("site_seq")).toInteger(0);
  return e;
}

QJsonObject toJson(const DoorState& d) {
  return {{"id", d.id},     {"name", d.name},   {"open", d.open},    {"locked", d.locked},
          {"mode", d.mode}, {"alarm", d.alarm}, {"online", d.online}};
}
QJsonObject toJson(const ZoneState& z) {
  return {{"id", z.id}, {"occupancy", z.occupancy}, {"lockdown", z.lockdown}};
}
QJsonObject toJson(const RackState& r) {
  // The portcullisd shape; lock and door only when known (as a contract server would send them).
  QJsonObject o{{"id", r.id}, {"seal", r.seal}, {"asset_count", r.assets}, {"two_person", r.twoPerson}};
  QJsonArray ids;
  for (const auto& id : r.assetIds) ids.append(id);
  o.insert(QStringLiteral("assets"), ids);
  if (r.expectedKnown()) {
    o.insert(QStringLiteral("expected_count"), r.expected);
    o.insert(QStringLiteral("present_count"), r.present);
    o.insert(QStringLiteral("away_count"), r.away);
    QJsonArray away;
    for (const auto& id : r.awayIds) away.append(id);
    o.insert(QStringLiteral("away"), away);
    o.insert(QStringLiteral("unseen_count"), r.unseen);
  }
  if (!r.name.isEmpty()) o.insert(QStringLiteral("name"), r.name);
  if (!r.zone.isEmpty()) o.insert(QStringLiteral("zone"), r.zone);
  if (r.tier >= 0) o.insert(QStringLiteral("tier"), r.tier);
  if (r.lockKnown) {
    o.insert(QStringLiteral("locked"), r.locked);
    o.insert(QStringLiteral("open"), r.open);
  }
  return o;
}
QJsonObject toJson(const AssetState& a) {
  QJsonObject location;
  if (!a.zone.isEmpty()) location.insert(QStringLiteral("zone"), a.zone);
  if (!a.rack.isEmpty()) location.insert(QStringLiteral("rack"), a.rack);
  QJsonObject o{{"id", a.id},
                {"tag", a.tag},
                {"kind", a.kind},
                {"epc", a.epc},
                {"lifecycle", a.lifecycle},
                {"holds_model_weights", a.holdsModelWeights},
                {"location", location},
                {"missing", a.missing}};
  if (!a.model.isEmpty()) o.insert(QStringLiteral("model"), a.model);
  if (!a.homeRack.isEmpty()) o.insert(QStringLiteral("home_rack"), a.homeRack);
  return o;
}
QJsonObject toJson(const Alarm& a) {
  return {{"id", a.id},
          {"kind", a.kind},
          {"severity", severityName(a.severity)},
          {"subject", a.subject},
          {"detail", a.detail},
          {"state", a.state},
          {"count", a.count},
          {"raised_at", iso(a.raisedAt)},
          {"acknowledged_by", a.acknowledgedBy},
          {"comment", a.comment}};
}
QJsonObject toJson(const AccessEvent& e) {
  return {{"time", iso(e.time)}, {"portal", e.portal},          {"reader", e.reader},
          {"person", e.person},  {"person_name", e.personName}, {"verdict", e.verdict},
          {"reason", e.reason},  {"site_seq", e.siteSeq}};
}

DoorLook doorLook(const DoorState& d) {
  if (!d.online) return DoorLook::Offline;
  if (d.alarm == QLatin1String("forced")) return DoorLook::Forced;
  if (d.alarm == QLatin1String("held")) return DoorLook::Held;
  if (d.mode == QLatin1String("locked_down")) return DoorLook::LockedDown;
  if (d.open) return DoorLook::Open;
  if (!d.locked || d.mode == QLatin1String("unlocked") || d.mode == QLatin1String("lock_open") ||
      d.mode == QLatin1String("fire_release"))
    return DoorLook::Unlocked;
  return DoorLook::Locked;
}

QString doorLookName(DoorLook look) {
  switch (look) {
    case DoorLook::Offline: return QStringLiteral("OFFLINE");
    case DoorLook::Forced: return QStringLiteral("FORCED");
    case DoorLook::Held: return QStringLiteral("HELD OPEN");
    case DoorLook::LockedDown: return QStringLiteral("LOCKDOWN");
    case DoorLook::Open: return QStringLiteral("Open");
    case DoorLook::Unlocked: return QStringLiteral("Unlocked");
    case DoorLook::Locked: return QStringLiteral("Closed, locked");
  }
  return {};
}

QColor doorLookColor(DoorLook look) {
  switch (look) {
    case DoorLook::Offline: return QColor(0x8a, 0x8f, 0x98);
    case DoorLook::Forced: return QColor(0xff, 0x3b, 0x30);
    case DoorLook::Held: return QColor(0xff, 0x95, 0x00);
    case DoorLook::LockedDown: return QColor(0xd0, 0x4d, 0xff);
    case DoorLook::Open: return QColor(0xff, 0xd6, 0x0a);
    case DoorLook::Unlocked: return QColor(0x40, 0xc8, 0xff);
    case DoorLook::Locked: return QColor(0x34, 0xc7, 0x59);
  }
  return Qt::gray;
}

QColor severityColor(Severity s) {
  switch (s) {
    case Severity::Critical: return QColor(0xff, 0x3b, 0x30);
    case Severity::High: return QColor(0xff, 0x95, 0x00);
    case Severity::Medium: return QColor(0xff, 0xd6, 0x0a);
    case Severity::Low: return QColor(0x64, 0xb5, 0xf6);
  }
  return Qt::gray;
}

}  // namespace portcullis::console
