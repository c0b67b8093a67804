#include "demo_state.hpp"

#include <QHash>
#include <QJsonArray>

namespace portcullis::console {

qint64 applyDemoState(ConsoleState& state, const QDateTime& now) {
  const auto& site = state.site();
  QJsonArray doors;
  auto door = [&](const char* id, bool open, bool locked, const char* mode, const char* alarm, bool online) {
    const auto sid = QString::fromLatin1(id);
    if (site.portal(sid) == nullptr) return;
    doors.append(toJson(DoorState{sid, site.portal(sid)->name, open, locked, QString::fromLatin1(mode),
                                  QString::fromLatin1(alarm), online}));
  };
  door("main-entrance", false, true, "normal", "none", true);
  door("office-door", true, false, "normal", "held", true);
  door("secops-door", false, true, "normal", "none", true);
  door("mantrap-outer", false, true, "normal", "none", true);
  door("mantrap-inner", false, true, "normal", "none", false);
  door("cage-door", true, true, "locked_down", "forced", true);

  QJsonArray zones;
  const QList<std::pair<const char*, int>> occupancy{
      {"public", 9},         {"reception", 3},    {"office", 14},     {"security-office", 2},
      {"hall-vestibule", 0}, {"compute-hall", 4}, {"weights-cage", 1}};
  for (const auto& [id, n] : occupancy)
    if (site.zone(QString::fromLatin1(id)) != nullptr)
      zones.append(
          toJson(ZoneState{QString::fromLatin1(id), n, QLatin1String(id) == QLatin1String("weights-cage")}));

  // Racks and assets in portcullisd's stream shape. The story: rack W01's door seal reads broken and one of
  // its weight drives is missing (last read in the cage, not in the rack); the GPU server of C02 has not been
  // read since it was registered (not read yet: location unknown, not yet missing).
  struct DemoAsset {
    const char* id;
    const char* tag;
    const char* kind;
    const char* home;
    const char* rack;  // where it is now; empty: not in a rack
    bool weights;
    bool missing;
  };
  const QList<DemoAsset> demoAssets{
      {"gpu-c01-01", "PC-00101", "gpu_server", "rack-c01", "rack-c01", false, false},
      {"gpu-c01-02", "PC-00102", "gpu_server", "rack-c01", "rack-c01", false, false},
      {"net-c01-tor", "PC-00110", "network_device", "rack-c01", "rack-c01", false, false},
      {"gpu-c02-01", "PC-00201", "gpu_server", "rack-c02", "", false, false},
      {"stor-w01", "PC-00301", "other", "rack-w01", "rack-w01", true, false},
      {"drv-w01-0042", "PC-00342", "storage_drive", "rack-w01", "rack-w01", true, false},
      {"drv-w01-0043", "PC-00343", "storage_drive", "rack-w01", "", true, true},
      {"hsm-w01", "PC-00350", "hsm", "rack-w01", "rack-w01", false, false},
      {"gpu-w02-01", "PC-00401", "gpu_server", "rack-w02", "rack-w02", true, false},
      {"drv-w02-0001", "PC-00411", "storage_drive", "rack-w02", "rack-w02", true, false}};
  QJsonArray assets;
  QHash<QString, QVector<QString>> inRack;
  QHash<QString, int> expected;
  QHash<QString, int> present;
  QHash<QString, QVector<QString>> away;
  QHash<QString, int> unseen;
  for (const auto& d : demoAssets) {
    const auto home = QString::fromLatin1(d.home);
    const auto* homeRack = site.rack(home);
    if (homeRack == nullptr) continue;
    AssetState a;
    a.id = QString::fromLatin1(d.id);
    a.tag = QString::fromLatin1(d.tag);
    a.kind = QString::fromLatin1(d.kind);
    a.homeRack = home;
    a.rack = QString::fromLatin1(d.rack);
    a.zone = a.rack.isEmpty() && !d.missing ? QString() : homeRack->zone;
    a.lifecycle = QStringLiteral("in_service");
    a.holdsModelWeights = d.weights;
    a.missing = d.missing;
    if (!a.rack.isEmpty()) inRack[a.rack].push_back(a.id);
    // Every demo asset is in service: its home rack expects it.
    ++expected[home];
    if (a.rack == home)
      ++present[home];
    else
      away[home].push_back(a.id);
    if (a.rack != home && a.zone.isEmpty()) ++unseen[home];
    assets.append(toJson(a));
  }
  QJsonArray racks;
  for (const auto& sr : site.racks) {
    RackState r;
    r.id = sr.id;
    r.name = sr.name;
    r.zone = sr.zone;
    r.tier = sr.tier;
    r.twoPerson = sr.twoPerson;
    r.assetIds = inRack.value(sr.id);
    r.assets = static_cast<int>(r.assetIds.size());
    r.expected = expected.value(sr.id);
    r.present = present.value(sr.id);
    r.awayIds = away.value(sr.id);
    r.away = static_cast<int>(r.awayIds.size());
    r.unseen = unseen.value(sr.id);
    r.seal = sr.id == QLatin1String("rack-w01")          ? QStringLiteral("broken")
             : sr.id.startsWith(QLatin1String("rack-w")) ? QStringLiteral("intact")
                                                         : QStringLiteral("none");
    racks.append(toJson(r));
  }

  QJsonArray alarms;
  auto alarm = [&](const char* id, const char* kind, Severity s, const char* subject, const char* detail,
                   int minutesAgo, const char* st, const char* by) {
    Alarm a;
    a.id = QString::fromLatin1(id);
    a.kind = QString::fromLatin1(kind);
    a.severity = s;
    a.subject = QString::fromLatin1(subject);
    a.detail = QString::fromUtf8(detail);
    a.state = QString::fromLatin1(st);
    a.raisedAt = now.addSecs(-60 * minutesAgo);
    a.acknowledgedBy = QString::fromLatin1(by);
    alarms.append(toJson(a));
  };
  alarm("a-1041", "door_forced", Severity::Critical, "cage-door", "Opened without a grant; zone locked down",
        2, "raised", "");
  alarm("a-1040", "seal_broken", Severity::Critical, "rack-w01", "Tamper seal reports broken", 3, "raised",
        "");
  alarm("a-1039", "asset_missing", Severity::High, "drv-w01-0043", "Weights drive PC-00343 not read in W01",
        4, "raised", "");
  alarm("a-1038", "door_held", Severity::High, "office-door", "Held open 94 s (limit 30 s)", 6,
        "acknowledged", "guard.kim");
  alarm("a-1037", "lockdown", Severity::High, "weights-cage", "Lockdown after the forced cage door", 2,
        "acknowledged", "guard.kim");
  alarm("a-1036", "device_silent", Severity::Medium, "ctl-mantrap", "Controller heartbeat lost", 11, "raised",
        "");
  alarm("a-1031", "pin_failures", Severity::Low, "rdr-rack-c02", "3 wrong PINs for one badge", 25,
        "acknowledged", "guard.kim");

  state.applySnapshot(QJsonObject{{"type", "snapshot"},
                                  {"seq", 48170},
                                  {"doors", doors},
                                  {"zones", zones},
                                  {"racks", racks},
                                  {"alarms", alarms},
                                  {"assets", assets}});

  // A few minutes of traffic, oldest first.
  struct Pass {
    const char* person;
    const char* portal;
    const char* reader;
    bool grant;
    const char* reason;
  };
  const QList<Pass> passes{
      {"alice-nguyen", "main-entrance", "rdr-lobby-in", true, "granted"},
      {"bernard-okafor", "main-entrance", "rdr-lobby-in", true, "granted"},
      {"alice-nguyen", "office-door", "rdr-office-in", true, "granted"},
      {"farah-haddad", "secops-door", "rdr-secops-in", true, "granted"},
      {"kofi-mensah", "office-door", "rdr-office-in", false, "outside_schedule"},
      {"bernard-okafor", "office-door", "rdr-office-in", true, "granted"},
      {"alice-nguyen", "mantrap-outer", "rdr-mt-outer-in", true, "granted"},
      {"alice-nguyen", "mantrap-inner", "rdr-mt-inner-in", true, "granted"},
      {"chen-li", "main-entrance", "rdr-lobby-in", true, "granted"},
      {"liam-walsh", "mantrap-outer", "rdr-mt-outer-in", false, "no_grant"},
      {"chen-li", "office-door", "rdr-office-in", true, "granted"},
      {"alice-nguyen", "rack-c01", "rdr-rack-c01", true, "granted"},
      {"julia-romero", "cage-door", "rdr-cage-in", false, "two_person_required"},
      {"dana-kowalski", "main-entrance", "rdr-lobby-in", true, "granted"},
      {"julia-romero", "cage-door", "rdr-cage-in", true, "granted"},
      {"ivan-petrov", "main-entrance", "rdr-lobby-out", true, "granted"},
      {"hana-sato", "office-door", "rdr-office-in", false, "anti_passback"},
      {"george-miller", "main-entrance", "rdr-lobby-in", true, "granted"},
  };
  QDateTime t = now.addSecs(-60 * 8);
  qint64 seq = 48170;
  qint64 siteSeq = 981200;
  for (const auto& p : passes) {
    t = t.addSecs(25);
    AccessEvent e;
    e.time = t;
    e.portal = QString::fromLatin1(p.portal);
    e.reader = QString::fromLatin1(p.reader);
    e.person = QString::fromLatin1(p.person);
    e.personName = site.personName(e.person);
    e.verdict = p.grant ? QStringLiteral("grant") : QStringLiteral("deny");
    e.reason = QString::fromLatin1(p.reason);
    e.siteSeq = ++siteSeq;
    state.queueDelta(QStringLiteral("access"), toJson(e));
    ++seq;
  }
  state.flush();
  return seq;
}

}  // namespace portcullis::console
