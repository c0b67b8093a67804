#pragma once
#include <algorithm>
// Live state records as the stream carries them (docs/operator-api.md), parsed leniently: a missing field
// takes a safe default (a door we know nothing about is shown offline, not closed).
#include <QColor>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace portcullis::console {

struct DoorState {
  QString id;
  QString name;
  bool open = false;
  bool locked = false;
  QString mode = QStringLiteral("normal");  // normal | locked_down | fire_release | unlocked | lock_open
  QString alarm = QStringLiteral("none");   // none | forced | held
  bool online = false;
  bool operator==(const DoorState&) const = default;
};

struct ZoneState {
  QString id;
  int occupancy = 0;
  bool lockdown = false;
  bool operator==(const ZoneState&) const = default;
};

// A rack as portcullisd's stream carries it (server/json stream_json.cpp rack_json): id, name, zone, tier,
// two_person, asset_count, assets (ids of the assets located in it) and seal (none | intact | broken).
// The contract's lock and door fields ("locked", "open") are used when a server sends them; portcullisd does
// not, so lockKnown stays false and the console shows no lock state rather than a made-up one.
struct RackState {
  QString id;
  bool locked = false;
  bool open = false;
  QString seal = QStringLiteral("unknown");  // none | intact | broken | unknown
  int assets = 0;
  bool known = false;  // false until the server has said anything about this rack
  bool lockKnown = false;
  bool twoPerson = false;
  int tier = -1;  // -1: not said
  QString name;
  QString zone;
  QVector<QString> assetIds;
  // What the registry expects here (portcullisd: expected_count, present_count, away_count, away): assets
  // whose home is this rack and that are in service, how many of them are located here, and the ids of those
  // that are not. expected = -1 when the server does not say (then only the RFID count is known).
  int expected = -1;
  int present = 0;
  int away = 0;
  QVector<QString> awayIds;
  // Of the away, those never read anywhere yet (unseen_count): "not read yet", not a reason to worry.
  int unseen = 0;
  bool operator==(const RackState&) const = default;
  [[nodiscard]] int awayElsewhere() const { return std::max(0, away - unseen); }
  [[nodiscard]] bool sealBroken() const { return seal == QLatin1String("broken"); }
  [[nodiscard]] bool expectedKnown() const { return expected >= 0; }
};

// An asset as the stream carries it (server/json asset_json.cpp asset_state_to_json).
struct AssetState {
  QString id;
  QString tag;
  QString kind;
  QString model;
  QString epc;
  QString homeRack;
  QString lifecycle;
  bool holdsModelWeights = false;
  QString zone;  // location.zone
  QString rack;  // location.rack
  bool missing = false;
  bool operator==(const AssetState&) const = default;
};

enum class Severity { Low = 1, Medium = 2, High = 3, Critical = 4 };

struct Alarm {
  QString id;
  QString kind;
  Severity severity = Severity::Medium;
  QString subject;
  QString detail;
  QString state = QStringLiteral("raised");  // raised | acknowledged | resolved
  int count = 1;
  QDateTime raisedAt;
  QString acknowledgedBy;
  QString comment;
  bool operator==(const Alarm&) const = default;
};

struct AccessEvent {
  QDateTime time;
  QString portal;
  QString reader;
  QString person;
  QString personName;
  QString verdict;  // grant | deny (granted/denied accepted)
  QString reason;
  QString destination;  // zone the person is in afterwards, when the server says (portcullisd does)
  qint64 siteSeq = 0;
  [[nodiscard]] bool granted() const;
};

DoorState parseDoor(const QJsonObject& o);
ZoneState parseZone(const QJsonObject& o);
RackState parseRack(const QJsonObject& o);
AssetState parseAsset(const QJsonObject& o);
// True when an object on the "assets" topic is an asset (portcullisd) rather than a contract Rack record.
bool looksLikeAsset(const QJsonObject& o);
Alarm parseAlarm(const QJsonObject& o);
AccessEvent parseAccess(const QJsonObject& o);

QJsonObject toJson(const DoorState& d);
QJsonObject toJson(const ZoneState& z);
QJsonObject toJson(const RackState& r);
QJsonObject toJson(const AssetState& a);
QJsonObject toJson(const Alarm& a);
QJsonObject toJson(const AccessEvent& e);

Severity parseSeverity(const QString& s);
QString severityName(Severity s);
// "SEAL BROKEN", "seal intact", "no seal", "seal ?" for a rack's seal field.
QString sealText(const QString& seal);
// A rack's contents for a guard: "12 / 14 present" when the server says what is expected there (and something
// is), else "N assets" from the RFID locations alone. Assets located here that do not belong here are not
// in "present".
QString rackContentsText(const RackState& r);
// What is not here of what belongs here: "2 AWAY" (read elsewhere), "3 NOT READ YET" (never read since
// registration), both, or empty.
QString rackAwayText(const RackState& r);

// What a guard needs to know about a door at a glance, worst first.
enum class DoorLook { Offline, Forced, Held, LockedDown, Open, Unlocked, Locked };
DoorLook doorLook(const DoorState& d);
QString doorLookName(DoorLook look);
QColor doorLookColor(DoorLook look);
QColor severityColor(Severity s);

}  // namespace portcullis::console
