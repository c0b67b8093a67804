// The console against the real portcullisd, not a fake: the example site, devices that drive a scenario over
// the device API (a forced door, a drive gone missing from its rack, a controller that goes silent) and a
// supervisor's lockdown sent from the console itself. The console's own API and stream clients feed its
// models exactly as the application wires them (followStream); the test then compares what the map draws with
// what the server says, read independently (a second stream connection through the server's own client
// library, and GET /api/v1/alarms). With PORTCULLIS_SHOT_DIR=DIR it also writes the main window mid-scenario
// to DIR/console-live-1366x768.png and DIR/console-live-1920x1080.png (the screenshots in docs/).
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>
#include <QTest>
#include <chrono>
#include <memory>
#include <optional>

#include "api_client.hpp"
#include "console_app.hpp"
#include "console_state.hpp"
#include "facility_map.hpp"
#include "live_wiring.hpp"
#include "main_window.hpp"
#include "portcullis/client/https_client.hpp"
#include "portcullis/client/wss_client.hpp"
#include "server_process.hpp"
#include "stream_client.hpp"
#include "test_database.hpp"
#include "theme.hpp"
#include "totp.hpp"

using namespace portcullis::console;
namespace support = portcullis::testing;

namespace {

QByteArray compact(const QJsonObject& o) {
  return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject parseObject(const std::string& text) {
  return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

// Sets `field` of the entry with `id` in the site's array `list`.
void setInList(QJsonObject& site, const QString& list, const QString& id, const QString& field,
               const QJsonValue& value) {
  auto entries = site.value(list).toArray();
  for (qsizetype i = 0; i < entries.size(); ++i) {
    auto o = entries[i].toObject();
    if (o.value(QLatin1String("id")).toString() != id) continue;
    o.insert(field, value);
    entries[i] = o;
  }
  site.insert(list, entries);
}

// The example site (with the test support's all-day engineers' hours) and two shortcuts taken through the
// site file's own settings, so the scenario takes seconds instead of minutes: the mantrap controller is
// supervised every 2 s (the site says 300 s) and drive PC-00343 counts as missing 2 s after it was last read
// in its rack (the site says 300 s).
QByteArray scenarioSite() {
  auto site = QJsonDocument::fromJson(QByteArray::fromStdString(support::example_site_text())).object();
  setInList(site, QStringLiteral("devices"), QStringLiteral("ctl-mantrap"), QStringLiteral("heartbeat_s"), 2);
  setInList(site, QStringLiteral("assets"), QStringLiteral("drv-w01-0043"), QStringLiteral("missing_after_s"),
            2);
  return QJsonDocument(site).toJson();
}

// A device of the site talking to the device API: its own token, its own sequence numbers, its own clock
// (now: the server decides at device time and refuses events too far behind it).
class Device {
 public:
  Device(std::string id, std::string token, unsigned short port)
      : id_(std::move(id)),
        token_(std::move(token)),
        client_("localhost", port, portcullis::client::ClientTls{support::test_tls().ca, "", ""}) {}

  portcullis::client::HttpReply event(const QString& type, QJsonObject fields = {}) {
    fields.insert(QStringLiteral("device_id"), QString::fromStdString(id_));
    fields.insert(QStringLiteral("seq"), ++seq_);
    fields.insert(QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    fields.insert(QStringLiteral("type"), type);
    return client_.post_json("/api/v1/events", compact(fields).toStdString(), token_);
  }
  portcullis::client::HttpReply rfidReads(const QString& reader, const QStringList& epcs) {
    QJsonArray reads;
    for (const auto& epc : epcs) reads.append(QJsonObject{{"reader", reader}, {"epc", epc}});
    const QJsonObject body{{"device_id", QString::fromStdString(id_)}, {"reads", reads}};
    return client_.post_json("/api/v1/rfid/reads", compact(body).toStdString(), token_);
  }

 private:
  std::string id_;
  std::string token_;
  portcullis::client::HttpsClient client_;
  qint64 seq_ = 0;
};

struct Operator {
  QString id, password, totpSecret;
};

QString valueAfter(const QString& text, const QString& key) {
  for (const auto& line : text.split(QLatin1Char('\n')))
    if (line.startsWith(key + QStringLiteral(": "))) return line.mid(key.size() + 2).trimmed();
  return {};
}

// What the map must draw for a door the server describes (docs/operator-api.md "doors", docs/console.md's
// table), worst first: written out here rather than taken from the console, so a console that reads the
// stream wrongly cannot agree with itself.
DoorLook lookTheServerMeans(const QJsonObject& door) {
  if (!door.value(QLatin1String("online")).toBool()) return DoorLook::Offline;
  const auto alarm = door.value(QLatin1String("alarm")).toString();
  if (alarm == QLatin1String("forced")) return DoorLook::Forced;
  if (alarm == QLatin1String("held")) return DoorLook::Held;
  const auto mode = door.value(QLatin1String("mode")).toString();
  if (mode == QLatin1String("fire_release")) return DoorLook::FireRelease;
  if (mode == QLatin1String("locked_down")) return DoorLook::LockedDown;
  if (mode != QLatin1String("normal")) return DoorLook::Unknown;
  if (door.value(QLatin1String("open")).toBool()) return DoorLook::Open;
  return door.value(QLatin1String("locked")).toBool() ? DoorLook::Locked : DoorLook::Unlocked;
}

}  // namespace

class ServerScenarioTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void cleanupTestCase();
  void consoleHoldsTheServersOpenAlarms();
  void everyOpenAlarmIsMarkedOnItsSubject();
  void everyDoorIsDrawnInTheServersMode();
  void everyZoneIsDrawnAsTheServerSaysIncludingTheLockdown();
  void rackThatLostADriveNeverReadsAllPresent();
  void windowMidScenarioIsReadable_data();
  void windowMidScenarioIsReadable();

 private:
  // The server's own view: a snapshot read over a separate stream connection.
  QJsonObject serverSnapshot();
  QJsonArray serverOpenAlarms();
  // Differences between the server's view and what the console draws; empty when they agree.
  QStringList doorDifferences();
  QStringList zoneDifferences();
  QStringList alarmDifferences();
  bool waitFor(const std::function<bool()>& condition, int timeoutMs);

  std::unique_ptr<support::TestDatabase> db_;
  std::unique_ptr<support::ServerProcess> server_;
  std::unique_ptr<Device> cageController_, mantrapController_, rackW01_;
  std::unique_ptr<ConsoleState> state_;
  std::unique_ptr<ApiClient> api_;
  std::unique_ptr<MainWindow> window_;
  std::unique_ptr<StreamClient> stream_;
  QString sitePath_;
};

bool ServerScenarioTest::waitFor(const std::function<bool()>& condition, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (!condition()) {
    if (t.elapsed() > timeoutMs) return false;
    QTest::qWait(100);
  }
  return true;
}

void ServerScenarioTest::initTestCase() {
  if (!support::TestDatabase::available())
    QSKIP("no test PostgreSQL (run through ./scripts/test, which starts one)");
  db_ = std::make_unique<support::TestDatabase>();
  sitePath_ = QString::fromStdString(support::test_tls().dir) + QStringLiteral("/scenario.site.json");
  {
    QFile f(sitePath_);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(scenarioSite());
  }
  server_ = std::make_unique<support::ServerProcess>(
      *db_, support::example_site_env({{"PORTCULLIS_SITE_FILE", sitePath_.toStdString()}}));
  const auto cageToken = server_->enrol_device("ctl-cage", "door-controller");
  const auto mantrapToken = server_->enrol_device("ctl-mantrap", "door-controller");
  const auto rackToken = server_->enrol_device("rack-ctl-w01", "rack-controller");
  // A supervisor (lockdown is theirs to order), linked to the site's person Emeka Adeyemi.
  std::string out;
  QCOMPARE(server_->run_tool("add-operator sup.emeka supervisor --person emeka-adeyemi", out), 0);
  const Operator supervisor{QStringLiteral("sup.emeka"),
                            valueAfter(QString::fromStdString(out), QStringLiteral("password")),
                            valueAfter(QString::fromStdString(out), QStringLiteral("totp_secret"))};
  QVERIFY2(!supervisor.password.isEmpty() && !supervisor.totpSecret.isEmpty(), out.c_str());
  try {
    server_->start();
  } catch (const std::exception& e) {
    QFAIL(e.what());
  }
  const auto port = server_->port();
  cageController_ = std::make_unique<Device>("ctl-cage", cageToken, port);
  mantrapController_ = std::make_unique<Device>("ctl-mantrap", mantrapToken, port);
  rackW01_ = std::make_unique<Device>("rack-ctl-w01", rackToken, port);

  // The printed password is a one-time password: it only sets the supervisor's own (docs/operators.md,
  // "One-time passwords"). That spends this step's TOTP code, so the console signs in with the next step's
  // (the server accepts one step either side for clock skew): no waiting, the scenario's timers keep running.
  const auto ownPassword = supervisor.password + QStringLiteral("-own");
  {
    portcullis::client::HttpsClient setup("localhost", port,
                                          portcullis::client::ClientTls{support::test_tls().ca, "", ""});
    const QJsonObject body{{QStringLiteral("username"), supervisor.id},
                           {QStringLiteral("password"), supervisor.password},
                           {QStringLiteral("totp"), totpCode(*base32Decode(supervisor.totpSecret),
                                                             QDateTime::currentSecsSinceEpoch())},
                           {QStringLiteral("new_password"), ownPassword}};
    const auto changed = setup.post_json("/api/v1/auth/password",
                                         QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString());
    QVERIFY2(changed.status == 200, changed.body.c_str());
  }

  // The console, wired as the application wires it: sign in (password and the current TOTP code), load the
  // site from the server, follow the stream.
  state_ = std::make_unique<ConsoleState>();
  api_ = std::make_unique<ApiClient>();
  api_->setBaseUrl(QUrl(QStringLiteral("https://localhost:%1").arg(port)));
  QString error;
  const auto ssl = pinnedSslConfiguration(QString::fromStdString(support::test_tls().ca), &error);
  QVERIFY2(ssl.has_value(), qPrintable(error));
  api_->setSslConfiguration(*ssl);
  std::optional<ApiResult> login;
  api_->login(supervisor.id, ownPassword,
              totpCode(*base32Decode(supervisor.totpSecret), QDateTime::currentSecsSinceEpoch() + 30),
              [&login](const ApiResult& r) { login = r; });
  QTRY_VERIFY_WITH_TIMEOUT(login.has_value(), 30000);
  QVERIFY2(login->ok, qPrintable(login->error));
  std::optional<Site> site;
  api_->fetchSite([&site, &error](std::optional<Site> s, const QString& e) {
    site = s ? std::move(s) : std::optional<Site>{Site{}};
    error = e;
  });
  QTRY_VERIFY_WITH_TIMEOUT(site.has_value(), 10000);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  state_->setSite(*site);
  window_ = std::make_unique<MainWindow>(state_.get(), api_.get());
  window_->setOperator(api_->operatorName(), api_->operatorRole());
  stream_ = std::make_unique<StreamClient>();
  stream_->setSslConfiguration(api_->sslConfiguration());
  stream_->setToken(api_->token());
  followStream(*stream_, *state_, *window_);
  stream_->start(api_->streamUrl());
  renderWindow(*window_, QSize(1366, 768));
  QTRY_COMPARE_WITH_TIMEOUT(stream_->health(), StreamHealth::Connected, 10000);

  // The scenario. The mantrap controller is heard once, then falls silent.
  auto r = mantrapController_->event(QStringLiteral("heartbeat"));
  QVERIFY2(r.status == 200, r.body.c_str());
  // Every tag of rack W01 is read in it by the rack's own RFID reader; then PC-00343 is never read again.
  r = rackW01_->rfidReads(QStringLiteral("rfid-rack-w01"),
                          {QStringLiteral("urn:epc:id:giai:4012345.STOR-W01"),
                           QStringLiteral("urn:epc:id:giai:4012345.DRV-W01-0042"),
                           QStringLiteral("urn:epc:id:sgtin:4012345.012345.100043"),
                           QStringLiteral("urn:epc:id:giai:4012345.HSM-W01")});
  QVERIFY2(r.status == 200, r.body.c_str());
  QCOMPARE(parseObject(r.body).value(QLatin1String("unknown")).toInt(), 0);
  // The cage door opens with no grant and no request to exit: forced. It stays open.
  r = cageController_->event(QStringLiteral("door_contact"), {{"portal", "cage-door"}, {"state", "open"}});
  QVERIFY2(r.status == 200, r.body.c_str());
  QVERIFY2(parseObject(r.body).value(QLatin1String("status")).toString() == QLatin1String("stored"),
           r.body.c_str());
  // The supervisor locks the cage down from the console.
  std::optional<QString> lockdownError;
  api_->sendCommand(QStringLiteral("weights-cage"), QStringLiteral("lockdown"),
                    QStringLiteral("cage door forced: nobody in or out until checked"),
                    [&lockdownError](std::optional<CommandOutcome>, const QString& e) { lockdownError = e; });
  QTRY_VERIFY_WITH_TIMEOUT(lockdownError.has_value(), 10000);
  QVERIFY2(lockdownError->isEmpty(), qPrintable(*lockdownError));

  // Until everything the scenario causes has reached the console: the forced door, the missing drive (its
  // alarm and, on the asset topic, which may come after it, the drive's own state), the silent controller
  // and the lockdown.
  const auto driveReportedMissing = [this] {
    const auto* drive = state_->assets()->asset(QStringLiteral("drv-w01-0043"));
    return drive != nullptr && drive->missing;
  };
  const auto consoleHas = [this](const QString& kind, const QString& subject) {
    for (int row = 0; row < state_->alarms()->rowCount(); ++row) {
      const auto& a = state_->alarms()->at(row);
      if (a.kind == kind && a.subject == subject) return true;
    }
    return false;
  };
  const bool arrived = waitFor(
      [&] {
        return consoleHas(QStringLiteral("door_forced"), QStringLiteral("cage-door")) &&
               consoleHas(QStringLiteral("asset_missing"), QStringLiteral("drv-w01-0043")) &&
               driveReportedMissing() &&
               consoleHas(QStringLiteral("device_silent"), QStringLiteral("ctl-mantrap")) &&
               consoleHas(QStringLiteral("lockdown"), QStringLiteral("weights-cage"));
      },
      20000);
  if (!arrived) {
    QStringList seen;
    for (int row = 0; row < state_->alarms()->rowCount(); ++row)
      seen << state_->alarms()->at(row).kind + QLatin1Char('@') + state_->alarms()->at(row).subject;
    QFAIL(qPrintable(QStringLiteral("the scenario's alarms did not all reach the console; it has: ") +
                     seen.join(QStringLiteral(", ")) + QStringLiteral("\nserver log:\n") +
                     QString::fromStdString(server_->log()).right(4000)));
  }
  state_->flush();
}

void ServerScenarioTest::cleanupTestCase() {
  if (stream_) stream_->stop();
  if (api_ && !api_->token().isEmpty()) {
    api_->logout();
    QTest::qWait(200);
  }
  window_.reset();
  stream_.reset();
  if (server_) server_->stop();
}

QJsonObject ServerScenarioTest::serverSnapshot() {
  portcullis::client::WssClient ws("localhost", server_->port(), support::test_tls().ca);
  ws.connect("/api/v1/stream", api_->token().toStdString());
  for (int i = 0; i < 50; ++i) {
    const auto message = ws.read(std::chrono::seconds(10));
    if (!message) break;
    const auto o = parseObject(*message);
    if (o.value(QLatin1String("type")).toString() == QLatin1String("snapshot")) {
      ws.close();
      return o;
    }
  }
  return {};
}

QJsonArray ServerScenarioTest::serverOpenAlarms() {
  portcullis::client::HttpsClient client("localhost", server_->port(),
                                         portcullis::client::ClientTls{support::test_tls().ca, "", ""});
  const auto r = client.get("/api/v1/alarms?state=open", api_->token().toStdString());
  return r.status == 200 ? parseObject(r.body).value(QLatin1String("alarms")).toArray() : QJsonArray{};
}

QStringList ServerScenarioTest::alarmDifferences() {
  state_->flush();
  QStringList differences;
  QSet<QString> server;
  for (const auto& v : serverOpenAlarms()) {
    const auto a = v.toObject();
    const auto id = a.value(QLatin1String("id")).toString();
    server.insert(id);
    const auto* mine = state_->alarms()->alarm(id);
    if (mine == nullptr)
      differences << QStringLiteral("server's open alarm %1 (%2 on %3) is not in the console")
                         .arg(id, a.value(QLatin1String("kind")).toString(),
                              a.value(QLatin1String("subject")).toString());
    else if (mine->state != a.value(QLatin1String("state")).toString())
      differences << QStringLiteral("alarm %1: console %2, server %3")
                         .arg(id, mine->state, a.value(QLatin1String("state")).toString());
  }
  for (int row = 0; row < state_->alarms()->rowCount(); ++row)
    if (!server.contains(state_->alarms()->at(row).id))
      differences << QStringLiteral("the console shows alarm %1, which the server does not have open")
                         .arg(state_->alarms()->at(row).id);
  return differences;
}

QStringList ServerScenarioTest::doorDifferences() {
  state_->flush();
  QStringList differences;
  const auto doors = serverSnapshot().value(QLatin1String("doors")).toArray();
  if (doors.size() != state_->site().portals.size())
    differences << QStringLiteral("the server sent %1 doors, the site has %2")
                       .arg(doors.size())
                       .arg(state_->site().portals.size());
  for (const auto& v : doors) {
    const auto door = v.toObject();
    const auto id = door.value(QLatin1String("id")).toString();
    const auto drawn = window_->map()->drawnDoorLook(id);
    const auto want = lookTheServerMeans(door);
    if (!drawn)
      differences << QStringLiteral("door %1 is not on the map").arg(id);
    else if (*drawn != want)
      differences << QStringLiteral("door %1 drawn %2, the server says %3 (%4)")
                         .arg(id, doorLookName(*drawn), doorLookName(want), QString::fromUtf8(compact(door)));
  }
  return differences;
}

QStringList ServerScenarioTest::zoneDifferences() {
  state_->flush();
  QStringList differences;
  const auto zones = serverSnapshot().value(QLatin1String("zones")).toArray();
  for (const auto& v : zones) {
    const auto zone = v.toObject();
    const auto id = zone.value(QLatin1String("id")).toString();
    const auto drawn = window_->map()->drawnZoneState(id);
    if (!drawn) {
      differences << QStringLiteral("zone %1 is not on the map").arg(id);
      continue;
    }
    if (drawn->lockdown != zone.value(QLatin1String("lockdown")).toBool() ||
        drawn->fire != zone.value(QLatin1String("fire")).toBool() ||
        drawn->occupancy != zone.value(QLatin1String("occupancy")).toInt())
      differences << QStringLiteral("zone %1 drawn lockdown=%2 fire=%3 occupancy=%4, the server says %5")
                         .arg(id)
                         .arg(drawn->lockdown)
                         .arg(drawn->fire)
                         .arg(drawn->occupancy)
                         .arg(QString::fromUtf8(compact(zone)));
  }
  return differences;
}

void ServerScenarioTest::consoleHoldsTheServersOpenAlarms() {
  QStringList differences;
  const bool agree = waitFor([&] { return (differences = alarmDifferences()).isEmpty(); }, 10000);
  QVERIFY2(agree, qPrintable(differences.join(QLatin1Char('\n'))));
  QVERIFY(state_->alarms()->rowCount() >= 4);
}

void ServerScenarioTest::everyOpenAlarmIsMarkedOnItsSubject() {
  const auto& marks = window_->map()->alarmMarks();
  for (const auto& v : serverOpenAlarms()) {
    const auto id = v.toObject().value(QLatin1String("id")).toString();
    const auto* a = state_->alarms()->alarm(id);
    QVERIFY2(a != nullptr, qPrintable(id));
    const auto targets = alarmTargets(*a, state_->site(), state_->assets(), state_->presence());
    QVERIFY2(!targets.isEmpty(), qPrintable(a->kind + QStringLiteral(" on ") + a->subject +
                                            QStringLiteral(" has no place on the map")));
    for (const auto& t : targets) {
      const auto key = t.kind + QLatin1Char(':') + t.id;
      QVERIFY2(marks.contains(key), qPrintable(a->kind + QStringLiteral(" not marked on ") + key));
      QVERIFY(marks.value(key).severity >= a->severity);
    }
  }
  // Where a guard must see them: the forced door, the rack the drive belongs to (critical: it holds model
  // weights), both doors of the silent controller, the locked-down cage.
  QVERIFY(marks.contains(QStringLiteral("door:cage-door")));
  QCOMPARE(marks.value(QStringLiteral("rack:rack-w01")).severity, Severity::Critical);
  QVERIFY(marks.value(QStringLiteral("rack:rack-w01")).unacknowledged);
  QVERIFY(marks.contains(QStringLiteral("door:mantrap-outer")));
  QVERIFY(marks.contains(QStringLiteral("door:mantrap-inner")));
  QVERIFY(marks.contains(QStringLiteral("zone:weights-cage")));
  QVERIFY(window_->criticalAlerting());  // the missing weights drive is critical and not acknowledged
}

void ServerScenarioTest::everyDoorIsDrawnInTheServersMode() {
  QStringList differences;
  const bool agree = waitFor([&] { return (differences = doorDifferences()).isEmpty(); }, 10000);
  QVERIFY2(agree, qPrintable(differences.join(QLatin1Char('\n'))));
  // The scenario's doors, by name: forced, and the silent controller's two doors offline.
  auto* map = window_->map();
  QCOMPARE(map->drawnDoorLook(QStringLiteral("cage-door")), std::optional{DoorLook::Forced});
  QCOMPARE(map->drawnDoorLook(QStringLiteral("mantrap-outer")), std::optional{DoorLook::Offline});
  QCOMPARE(map->drawnDoorLook(QStringLiteral("mantrap-inner")), std::optional{DoorLook::Offline});
  QCOMPARE(map->drawnDoorLook(QStringLiteral("office-door")), std::optional{DoorLook::Locked});
}

void ServerScenarioTest::everyZoneIsDrawnAsTheServerSaysIncludingTheLockdown() {
  QStringList differences;
  const bool agree = waitFor([&] { return (differences = zoneDifferences()).isEmpty(); }, 10000);
  QVERIFY2(agree, qPrintable(differences.join(QLatin1Char('\n'))));
  const auto cage = window_->map()->drawnZoneState(QStringLiteral("weights-cage"));
  QVERIFY(cage.has_value());
  QVERIFY(cage->lockdown);
  QVERIFY(!window_->map()->drawnZoneState(QStringLiteral("compute-hall"))->lockdown);
}

// The server still locates the drive in W01 (its last read was there), so its rack entry counts it present:
// 4 of 4. The drive is missing all the same, and neither the map nor the Racks tab may read "4 / 4 present".
void ServerScenarioTest::rackThatLostADriveNeverReadsAllPresent() {
  QJsonObject w01;
  for (const auto& v : serverSnapshot().value(QLatin1String("racks")).toArray())
    if (v.toObject().value(QLatin1String("id")).toString() == QLatin1String("rack-w01")) w01 = v.toObject();
  QCOMPARE(w01.value(QLatin1String("expected_count")).toInt(), 4);
  QCOMPARE(w01.value(QLatin1String("present_count")).toInt(), 4);
  const auto* drive = state_->assets()->asset(QStringLiteral("drv-w01-0043"));
  QVERIFY(drive != nullptr);
  QVERIFY(drive->missing);
  QCOMPARE(drive->rack, QStringLiteral("rack-w01"));

  const auto lines = window_->map()->rackTileLines(QStringLiteral("rack-w01"));
  QCOMPARE(lines.value(1), QStringLiteral("3 / 4 present"));
  QCOMPARE(lines.value(3), QStringLiteral("1 MISSING"));
  auto* racks = state_->racks();
  const auto assets =
      racks->index(racks->rowOf(QStringLiteral("rack-w01")), RackGridModel::ColAssets).data().toString();
  QVERIFY2(!assets.contains(QStringLiteral("4 / 4 present")), qPrintable(assets));
  QVERIFY2(assets.startsWith(QStringLiteral("3 / 4 present")), qPrintable(assets));
  QVERIFY2(assets.contains(QStringLiteral("1 MISSING")), qPrintable(assets));
}

void ServerScenarioTest::windowMidScenarioIsReadable_data() {
  QTest::addColumn<QSize>("size");
  QTest::newRow("1366x768") << QSize(1366, 768);
  QTest::newRow("1920x1080") << QSize(1920, 1080);
}

// The live state mid-scenario at a laptop's and a wall screen's size: no text or marker on the map overlaps
// another, both mantrap doors read differently, and the alarm queue shows what is wrong where without
// scrolling (at 1366x768 the subject column once started beyond the panel's edge). The window as rendered is
// the screenshot in docs/.
void ServerScenarioTest::windowMidScenarioIsReadable() {
  QFETCH(QSize, size);
  window_->selectAlarm([this] {
    for (int row = 0; row < state_->alarms()->rowCount(); ++row)
      if (state_->alarms()->at(row).kind == QLatin1String("asset_missing"))
        return state_->alarms()->at(row).id;
    return QString();
  }());
  const auto image = renderWindow(*window_, size);
  QCOMPARE(image.size(), size);
  const auto rects = window_->map()->labelRects();
  QVERIFY(rects.size() > 40);
  for (qsizetype i = 0; i < rects.size(); ++i)
    for (qsizetype j = i + 1; j < rects.size(); ++j)
      QVERIFY2(!rects[i].second.intersects(rects[j].second),
               qPrintable(QStringLiteral("%1 overlaps %2").arg(rects[i].first, rects[j].first)));
  // And none lies outside the map's scene, which the view always shows whole: the legend once wrapped onto a
  // fourth row below it at 1366x768, cut off by the window's edge.
  for (const auto& [name, rect] : rects)
    QVERIFY2(window_->map()->sceneRect().contains(rect),
             qPrintable(name + QStringLiteral(" is outside the map")));
  const auto outer = window_->map()->drawnName(QStringLiteral("door"), QStringLiteral("mantrap-outer"));
  const auto inner = window_->map()->drawnName(QStringLiteral("door"), QStringLiteral("mantrap-inner"));
  QVERIFY(!outer.isEmpty());
  QVERIFY(outer != inner);
  auto* queue = window_->alarmView();
  for (const int column :
       {AlarmQueueModel::ColSeverity, AlarmQueueModel::ColKind, AlarmQueueModel::ColSubject}) {
    const int right = queue->columnViewportPosition(column) + queue->columnWidth(column);
    QVERIFY2(queue->columnViewportPosition(column) >= 0 && right <= queue->viewport()->width(),
             qPrintable(QStringLiteral("alarm column %1 ends at %2 of %3")
                            .arg(column)
                            .arg(right)
                            .arg(queue->viewport()->width())));
  }
  const auto dir = qEnvironmentVariable("PORTCULLIS_SHOT_DIR");
  if (!dir.isEmpty()) {
    const auto file =
        QDir(dir).filePath(QStringLiteral("console-live-%1x%2.png").arg(size.width()).arg(size.height()));
    QVERIFY2(image.save(file, "PNG"), qPrintable(file));
    qInfo("wrote %s", qPrintable(file));
  }
}

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  applyWallTheme(app);
  ServerScenarioTest test;
  return QTest::qExec(&test, argc, argv);
}
#include "server_scenario_test.moc"
