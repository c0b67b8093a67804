#include "live_types.hpp"

#include <QCoreApplication>
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
  // "fire" (portcullisd); "fire_alarm" accepted as well.
  return ZoneState{str(o, "id"), count(o, "occupancy", 0), flag(o, "lockdown", false),
                   flag(o, "fire", flag(o, "fire_alarm", false))};
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
  if (seal == QLatin1String("broken")) return QCoreApplication::translate("Rack", "SEAL BROKEN");
  if (seal == QLatin1String("intact")) return QCoreApplication::translate("Rack", "seal intact");
  if (seal == QLatin1String("none")) return QCoreApplication::translate("Rack", "no seal");
  return QCoreApplication::translate("Rack", "seal ?");
}

int presentNotMissing(const RackState& r, int missingCountedPresent) {
  return std::max(0, r.present - std::max(0, missingCountedPresent));
}

QString rackContentsText(const RackState& r, int missingCountedPresent) {
  if (r.expectedKnown() && r.expected > 0)
    return QCoreApplication::translate("Rack", "%1 / %2 present")
        .arg(presentNotMissing(r, missingCountedPresent))
        .arg(r.expected);
  // English reads right with no translation loaded; each text is a plural form of its own for the languages
  // that have more of them.
  return r.assets == 1 ? QCoreApplication::translate("Rack", "%n asset", nullptr, r.assets)
                       : QCoreApplication::translate("Rack", "%n assets", nullptr, r.assets);
}

QString rackAwayText(const RackState& r) {
  QStringList parts;
  if (r.awayElsewhere() > 0)
    parts << QCoreApplication::translate("Rack", "%n AWAY", nullptr, r.awayElsewhere());
  if (r.unseen > 0) parts << QCoreApplication::translate("Rack", "%n NOT READ YET", nullptr, r.unseen);
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
  return {{"id", z.id}, {"occupancy", z.occupancy}, {"lockdown", z.lockdown}, {"fire", z.fire}};
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
  // Offline first: what an unreachable controller last said may no longer be true.
  if (!d.online) return DoorLook::Offline;
  const auto& m = d.mode;
  if (d.alarm == QLatin1String("forced") || m == QLatin1String("forced")) return DoorLook::Forced;
  if (d.alarm == QLatin1String("held") || m == QLatin1String("held")) return DoorLook::Held;
  if (m == QLatin1String("fire_release")) return DoorLook::FireRelease;
  if (m == QLatin1String("lockdown") || m == QLatin1String("locked_down")) return DoorLook::LockedDown;
  const bool known = m == QLatin1String("normal") || m == QLatin1String("locked") ||
                     m == QLatin1String("unlocked") || m == QLatin1String("lock_open") || m.isEmpty();
  if (!known) return DoorLook::Unknown;
  if (d.open) return DoorLook::Open;
  if (m == QLatin1String("unlocked") || m == QLatin1String("lock_open")) return DoorLook::Unlocked;
  if (m == QLatin1String("locked")) return DoorLook::Locked;
  return d.locked ? DoorLook::Locked : DoorLook::Unlocked;
}

QString doorLookName(DoorLook look) {
  switch (look) {
    case DoorLook::Offline: return QCoreApplication::translate("DoorLook", "OFFLINE");
    case DoorLook::Forced: return QCoreApplication::translate("DoorLook", "FORCED");
    case DoorLook::Held: return QCoreApplication::translate("DoorLook", "HELD OPEN");
    case DoorLook::FireRelease: return QCoreApplication::translate("DoorLook", "FIRE RELEASE");
    case DoorLook::LockedDown: return QCoreApplication::translate("DoorLook", "LOCKDOWN");
    case DoorLook::Unknown: return QCoreApplication::translate("DoorLook", "UNKNOWN MODE");
    case DoorLook::Open: return QCoreApplication::translate("DoorLook", "Open");
    case DoorLook::Unlocked: return QCoreApplication::translate("DoorLook", "Unlocked");
    case DoorLook::Locked: return QCoreApplication::translate("DoorLook", "Locked");
  }
  return {};
}

QColor doorLookColor(DoorLook look) {
  switch (look) {
    case DoorLook::Offline: return QColor(0x8a, 0x8f, 0x98);
    case DoorLook::Forced: return QColor(0xff, 0x3b, 0x30);
    case DoorLook::Held: return QColor(0xff, 0x95, 0x00);
    case DoorLook::FireRelease: return QColor(0xff, 0x6a, 0x3d);
    case DoorLook::LockedDown: return QColor(0xd0, 0x4d, 0xff);
    case DoorLook::Unknown: return QColor(0xf5, 0xf5, 0xf5);
    case DoorLook::Open: return QColor(0xff, 0xd6, 0x0a);
    case DoorLook::Unlocked: return QColor(0x40, 0xc8, 0xff);
    case DoorLook::Locked: return QColor(0x34, 0xc7, 0x59);
  }
  return Qt::gray;
}

QString doorLookGlyph(DoorLook look) {
  // Drawn in the marker: one distinct shape per state (colour-blind guards read the shape).
  switch (look) {
    case DoorLook::Offline: return QStringLiteral("✕");
    case DoorLook::Forced: return QStringLiteral("!");
    case DoorLook::Held: return QStringLiteral("‖");
    case DoorLook::FireRelease: return QStringLiteral("▲");
    case DoorLook::LockedDown: return QStringLiteral("≡");
    case DoorLook::Unknown: return QStringLiteral("?");
    case DoorLook::Open: return QStringLiteral("/");
    case DoorLook::Unlocked: return QStringLiteral("○");
    case DoorLook::Locked: return QStringLiteral("—");
  }
  return QStringLiteral("?");
}

QVector<DoorLook> allDoorLooks() {
  return {DoorLook::Locked,      DoorLook::Unlocked,   DoorLook::Open,    DoorLook::Held,   DoorLook::Forced,
          DoorLook::FireRelease, DoorLook::LockedDown, DoorLook::Offline, DoorLook::Unknown};
}

QString severityText(Severity s) {
  switch (s) {
    case Severity::Critical: return QCoreApplication::translate("Severity", "CRITICAL");
    case Severity::High: return QCoreApplication::translate("Severity", "HIGH");
    case Severity::Medium: return QCoreApplication::translate("Severity", "MEDIUM");
    case Severity::Low: return QCoreApplication::translate("Severity", "LOW");
  }
  return {};
}

QString alarmKindText(const QString& kind) {
  static const QHash<QString, const char*> words{
      {QStringLiteral("door_forced"), QT_TRANSLATE_NOOP("AlarmKind", "Door forced open")},
      {QStringLiteral("door_held"), QT_TRANSLATE_NOOP("AlarmKind", "Door held open")},
      {QStringLiteral("tailgating"), QT_TRANSLATE_NOOP("AlarmKind", "Tailgating in mantrap")},
      {QStringLiteral("mantrap_stuck"), QT_TRANSLATE_NOOP("AlarmKind", "Person stuck in mantrap")},
      {QStringLiteral("asset_missing"), QT_TRANSLATE_NOOP("AlarmKind", "Asset missing")},
      {QStringLiteral("asset_wrong_rack"), QT_TRANSLATE_NOOP("AlarmKind", "Asset in wrong rack")},
      {QStringLiteral("asset_unauthorized_movement"),
       QT_TRANSLATE_NOOP("AlarmKind", "Asset moved without order")},
      {QStringLiteral("seal_broken"), QT_TRANSLATE_NOOP("AlarmKind", "Seal broken")},
      {QStringLiteral("rack_door_forced"), QT_TRANSLATE_NOOP("AlarmKind", "Rack door forced")},
      {QStringLiteral("rack_door_held"), QT_TRANSLATE_NOOP("AlarmKind", "Rack door held open")},
      {QStringLiteral("device_silent"), QT_TRANSLATE_NOOP("AlarmKind", "Controller offline")},
      {QStringLiteral("tamper"), QT_TRANSLATE_NOOP("AlarmKind", "Device tampered with")},
      {QStringLiteral("lockdown"), QT_TRANSLATE_NOOP("AlarmKind", "Lockdown in force")},
      {QStringLiteral("fire_alarm"), QT_TRANSLATE_NOOP("AlarmKind", "Fire alarm")},
      {QStringLiteral("duress"), QT_TRANSLATE_NOOP("AlarmKind", "Duress code used")},
      {QStringLiteral("lone_person"), QT_TRANSLATE_NOOP("AlarmKind", "Person alone in two-person zone")},
      {QStringLiteral("two_person_window_expired"),
       QT_TRANSLATE_NOOP("AlarmKind", "Second person did not follow")},
      {QStringLiteral("credential_locked"), QT_TRANSLATE_NOOP("AlarmKind", "Badge locked (wrong PINs)")},
      {QStringLiteral("anti_passback_violation"), QT_TRANSLATE_NOOP("AlarmKind", "Anti-passback violation")},
      {QStringLiteral("threat_level"), QT_TRANSLATE_NOOP("AlarmKind", "Threat level raised")},
      {QStringLiteral("reader_device_mismatch"),
       QT_TRANSLATE_NOOP("AlarmKind", "Reader on wrong controller")},
      {QStringLiteral("reader_capability_mismatch"),
       QT_TRANSLATE_NOOP("AlarmKind", "Reader sent what it cannot read")},
  };
  const auto it = words.constFind(kind);
  if (it != words.cend()) return QCoreApplication::translate("AlarmKind", it.value());
  QString spelled = kind;
  spelled.replace(QLatin1Char('_'), QLatin1Char(' '));
  if (!spelled.isEmpty()) spelled[0] = spelled[0].toUpper();
  return spelled.isEmpty() ? QCoreApplication::translate("AlarmKind", "Alarm") : spelled;
}

QString alarmStateText(const QString& state) {
  if (state == QLatin1String("raised")) return QCoreApplication::translate("AlarmState", "NEW");
  if (state == QLatin1String("acknowledged"))
    return QCoreApplication::translate("AlarmState", "acknowledged");
  if (state == QLatin1String("resolved")) return QCoreApplication::translate("AlarmState", "resolved");
  return state;
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
