// The REST client against a small fake HTTPS operator API (QSslServer with a certificate from a throwaway
// CA): login, bearer token on later requests, comment/reason required, pending approval, error messages,
// and refusal of a server the pinned CA did not sign.
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>
#include <memory>

#include <QAbstractBarSeries>
#include <QApplication>
#include <QBarSet>
#include <QChartView>
#include <QDateTimeEdit>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include "access_heat_map.hpp"
#include "api_client.hpp"
#include "dialogs.hpp"
#include "main_window.hpp"
#include "report_charts_view.hpp"
#include "reports.hpp"
#include "test_tls.hpp"
#include "theme.hpp"

using namespace portcullis::console;

namespace {

struct Request {
  QByteArray method;
  QByteArray path;
  QByteArray authorization;
  QJsonObject body;
};

// One request per connection (Connection: close), enough for a client test.
class FakeApi : public QObject {
 public:
  explicit FakeApi(const QSslConfiguration& tls) {
    server_.setSslConfiguration(tls);
    connect(&server_, &QSslServer::pendingConnectionAvailable, this, [this] {
      while (auto* s = server_.nextPendingConnection()) {
        sockets_ << s;
        auto buffer = std::make_shared<QByteArray>();
        connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
          buffer->append(s->readAll());
          const auto end = buffer->indexOf("\r\n\r\n");
          if (end < 0) return;
          qsizetype length = 0;
          QByteArray auth;
          const auto lines = buffer->left(end).split('\n');
          for (const auto& raw : lines.mid(1)) {
            const auto line = raw.trimmed();
            const auto colon = line.indexOf(':');
            const auto name = line.left(colon).trimmed().toLower();
            const auto value = line.mid(colon + 1).trimmed();
            if (name == "content-length") length = value.toLongLong();
            if (name == "authorization") auth = value;
          }
          if (buffer->size() < end + 4 + length) return;
          const auto first = lines[0].trimmed().split(' ');
          Request r{first.value(0), first.value(1), auth,
                    QJsonDocument::fromJson(buffer->mid(end + 4, length)).object()};
          requests << r;
          if (const auto raw = rawRoute(r); !raw.isEmpty()) {
            s->write(raw);
            s->disconnectFromHost();
            buffer->clear();
            return;
          }
          const auto [status, body] = route(r);
          const auto payload = QJsonDocument(body).toJson(QJsonDocument::Compact);
          s->write("HTTP/1.1 " + QByteArray::number(status) +
                   " X\r\nContent-Type: application/json\r\nContent-Length: " +
                   QByteArray::number(payload.size()) + "\r\nConnection: close\r\n\r\n" + payload);
          s->disconnectFromHost();
          buffer->clear();
        });
        connect(s, &QTcpSocket::disconnected, this, [this, s] {
          sockets_.removeAll(s);
          s->disconnect(this);
          s->deleteLater();
        });
      }
    });
    if (!server_.listen(QHostAddress::LocalHost, 0)) qFatal("fake api: listen failed");
  }
  ~FakeApi() override {
    for (auto* s : std::as_const(sockets_)) {
      s->disconnect(this);
      delete s;
    }
  }
  QUrl url() const { return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server_.serverPort())); }
  QList<Request> requests;
  // The CSV the fake report route streams, as portcullisd writes it (CRLF, quoting, formula neutralization).
  // A week of access decisions over four zones, busiest in working hours, a denial now and then: enough rows
  // for charts that look like a site's (a fixed pseudo-random sequence, so the picture is the same each run).
  static QByteArray accessCsv() {
    QByteArray csv =
        "site_seq,received_at,device_time,device_id,event_type,verdict,reason,needed,person,portal,"
        "destination,rack,hash\r\n";
    const char* zones[] = {"main-hall", "main-hall", "main-hall", "office", "office", "mantrap", "cage"};
    quint32 state = 12345;
    const auto next = [&state](quint32 n) {
      state = state * 1103515245u + 12345u;
      return (state >> 16) % n;
    };
    for (int seq = 1; seq <= 400; ++seq) {
      const int day = static_cast<int>(next(7));  // 2026-11-23 is a Monday
      const bool weekend = day >= 5;
      int hour = static_cast<int>(7 + next(11));
      if (next(10) == 0) hour = static_cast<int>(next(24));  // now and then at night
      if (weekend && next(3) != 0) continue;                 // few people at the weekend
      const bool deny = next(9) == 0 || (hour < 6 && next(2) == 0);
      csv += QByteArray::number(seq) + ",2026-11-" + QByteArray::number(23 + day) + "T" +
             QByteArray::number(hour).rightJustified(2, '0') + ":" +
             QByteArray::number(next(60)).rightJustified(2, '0') + ":00.000000Z,,ctl-1,badge," +
             (deny ? "deny,revoked" : "grant,") + ",,p-" + QByteArray::number(next(30)) + ",door," +
             zones[next(7)] + ",,ab\r\n";
    }
    return csv;
  }
  static QByteArray reportCsv() {
    return "site_seq,received_at,device_time,device_id,event_type,verdict,reason,needed,person,portal,"
           "destination,rack,hash\r\n"
           "12,2026-11-27T08:01:00.000000Z,,ctl-1,badge,deny,revoked,,p-ann,cage-door,,,ab12\r\n"
           "15,2026-11-27T08:20:00.000000Z,,ctl-1,badge,deny,\"pin, wrong\",,p-bob,office-door,,,cd34\r\n"
           "19,2026-11-27T08:45:00.000000Z,,ctl-2,badge,deny,\"'=cmd|' /C "
           "calc'!A0\",,\"p-\"\"x\"\"\r\nline\","
           "main-entrance,,,ef56\r\n";
  }

 private:
  static QJsonObject error(const char* field, const char* message) {
    return {{"error", QJsonObject{{"field", field}, {"message", message}}}};
  }
  // Reports: portcullisd streams them with Transfer-Encoding: chunked. "alarms" fails midway: the
  // connection closes without the last chunk, as the server does when a report fails after the start.
  QByteArray rawRoute(const Request& r) const {
    if (!r.path.startsWith("/api/v1/audit/reports/") || r.authorization != "Bearer tok-42") return {};
    const QByteArray head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: "
        "close\r\n\r\n";
    const auto chunk = [](const QByteArray& data) {
      return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
    };
    if (r.path.startsWith("/api/v1/audit/reports/alarms?"))
      return head + chunk("site_seq,received_at\r\n1,x\r\n");
    if (r.path.contains("decision=")) return {};  // answered as a 400 by route()
    if (r.path.startsWith("/api/v1/audit/reports/access?")) return head + chunk(accessCsv()) + "0\r\n\r\n";
    const auto csv = reportCsv();
    // Pieces that cut a quoted cell and a CRLF in two.
    const auto cut1 = csv.indexOf("pin,") + 2;
    const auto cut2 = csv.indexOf("line") - 1;
    return head + chunk(csv.left(cut1)) + chunk(csv.mid(cut1, cut2 - cut1)) + chunk(csv.mid(cut2)) +
           "0\r\n\r\n";
  }
  std::pair<int, QJsonObject> route(const Request& r) {
    if (r.path == "/api/v1/auth/login") {
      if (r.body.value(QLatin1String("password")).toString() == QLatin1String("right") &&
          r.body.value(QLatin1String("totp")).toString() == QLatin1String("123456"))
        return {200,
                {{"token", "tok-42"},
                 {"expires_at", "2026-11-27T20:00:00Z"},
                 {"operator", QJsonObject{{"id", "op1"}, {"name", "Kim Guard"}, {"role", "guard"}}}}};
      return {401, error("credentials", "invalid username, password or code")};
    }
    if (r.authorization != "Bearer tok-42") return {401, error("authorization", "no session")};
    if (r.path == "/api/v1/site")
      return {200,
              {{"site_id", "s"},
               {"name", "Site"},
               {"version", "1"},
               {"zones", QJsonArray{QJsonObject{
                             {"id", "z"}, {"name", "Zone"}, {"parent", QJsonValue()}, {"tier", 1}}}},
               {"portals", QJsonArray{}},
               {"racks", QJsonArray{}},
               {"people", QJsonArray{}}}};
    if (r.path == "/api/v1/alarms?state=open")
      return {200,
              {{"alarms", QJsonArray{QJsonObject{{"id", "a1"}, {"severity", "high"}, {"state", "raised"}}}}}};
    if (r.path == "/api/v1/alarms/a1/acknowledge")
      return {200,
              {{"id", "a1"},
               {"severity", "high"},
               {"state", "acknowledged"},
               {"acknowledged_by", "Kim Guard"},
               {"comment", r.body.value(QLatin1String("comment"))}}};
    if (r.path == "/api/v1/commands") {
      const auto cmd = r.body.value(QLatin1String("command")).toString();
      if (cmd == QLatin1String("lock_open")) return {202, {{"id", "c7"}, {"status", "pending_approval"}}};
      if (cmd == QLatin1String("momentary_unlock")) return {202, {{"id", "c8"}, {"status", "sent"}}};
      if (cmd == QLatin1String("lockdown"))
        return {400, error("command", "expected momentary_unlock, lock, unlock or lock_open")};
      return {403, error("command", "not allowed for this role")};
    }
    if (r.path == "/api/v1/audit/reports")
      return {200,
              {{"reports",
                QJsonArray{QJsonObject{{"name", "denied"},
                                       {"columns", QJsonArray{"site_seq", "received_at", "verdict", "hash"}},
                                       {"filters", QJsonArray{"person", "portal", "zone", "rack", "group",
                                                              "decision", "from", "to"}}},
                           QJsonObject{{"name", "presence"},
                                       {"columns",
                                        QJsonArray{"zone", "person", "since", "portal", "site_seq", "hash"}},
                                       {"filters", QJsonArray{"person", "zone", "group", "to"}}},
                           QJsonObject{{"name", "access"},
                                       {"columns", QJsonArray{"site_seq", "received_at", "verdict", "hash"}},
                                       {"filters", QJsonArray{"from", "to"}}},
                           QJsonObject{{"name", "alarms"},
                                       {"columns", QJsonArray{"site_seq", "received_at"}},
                                       {"filters", QJsonArray{"from", "to"}}}}},
               {"formats", QJsonArray{"csv", "jsonl", "pdf"}}}};
    if (r.path.startsWith("/api/v1/audit/reports/"))
      return {400, error("decision", "expected grant or deny")};
    if (r.path == "/api/v1/lockdown" || r.path == "/api/v1/lockdown/release")
      return {200, {{"outcome", QJsonObject{{"applied", true}}}}};
    return {404, error("path", "no such route")};
  }
  QSslServer server_;
  QList<QTcpSocket*> sockets_;
};

}  // namespace

class ApiClientTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void loginThenBearerRequests();
  void wrongCredentialsShowServerMessage();
  void commentAndReasonRequired();
  void commandsReportPendingApproval();
  void refusesServerFromAnotherCa();
  void consoleAsksReasonAndShowsPendingApproval();
  void csvReaderHandlesQuotesAndPieces();
  void reportsViewRunsReportAndShowsRows();
  void reportsOnlyForAuditorsAndAdmins();
  void reportsWindowChartsTheRowsOfItsTable();

 private:
  ApiClient* client(FakeApi& api, const QString& ca = {});
  test::TestPki pki_;
  std::vector<std::unique_ptr<ApiClient>> clients_;
};

void ApiClientTest::initTestCase() {
  QString error;
  QVERIFY2(pki_.make(&error), qPrintable(error));
}

ApiClient* ApiClientTest::client(FakeApi& api, const QString& ca) {
  QString error;
  const auto ssl = pinnedSslConfiguration(ca.isEmpty() ? pki_.caFile() : ca, &error);
  if (!ssl) qFatal("%s", qPrintable(error));
  clients_.push_back(std::make_unique<ApiClient>());
  auto* c = clients_.back().get();
  c->setBaseUrl(api.url());
  c->setSslConfiguration(*ssl);
  c->setTimeoutMs(10000);
  return c;
}

void ApiClientTest::loginThenBearerRequests() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  std::optional<ApiResult> login;
  c->login(QStringLiteral("kim"), QStringLiteral("right"), QStringLiteral("123456"),
           [&](const ApiResult& r) { login = r; });
  QTRY_VERIFY_WITH_TIMEOUT(login.has_value(), 10000);
  QVERIFY2(login->ok, qPrintable(login->error));
  QCOMPARE(c->token(), QByteArray("tok-42"));
  QCOMPARE(c->operatorName(), QStringLiteral("Kim Guard"));
  QCOMPARE(c->username(), QStringLiteral("kim"));
  QCOMPARE(c->streamUrl().toString(),
           api.url().toString().replace(QStringLiteral("https"), QStringLiteral("wss")) +
               QStringLiteral("/api/v1/stream"));

  std::optional<Site> site;
  c->fetchSite([&](std::optional<Site> s, const QString&) { site = s.value_or(Site{}); });
  QTRY_VERIFY_WITH_TIMEOUT(site.has_value(), 10000);
  QCOMPARE(site->zones.size(), 1);
  QVector<Alarm> alarms;
  bool got = false;
  c->fetchOpenAlarms([&](QVector<Alarm> a, const QString&) {
    alarms = a;
    got = true;
  });
  QTRY_VERIFY_WITH_TIMEOUT(got, 10000);
  QCOMPARE(alarms.size(), 1);
  QCOMPARE(api.requests.last().path, QByteArray("/api/v1/alarms?state=open"));

  std::optional<ApiResult> ack;
  c->acknowledgeAlarm(QStringLiteral("a1"), QStringLiteral("  checked on camera  "),
                      [&](const ApiResult& r) { ack = r; });
  QTRY_VERIFY_WITH_TIMEOUT(ack.has_value(), 10000);
  QVERIFY(ack->ok);
  QCOMPARE(parseAlarm(ack->body).state, QStringLiteral("acknowledged"));
  QCOMPARE(api.requests.last().body.value(QLatin1String("comment")).toString(),
           QStringLiteral("checked on camera"));
  for (qsizetype i = 1; i < api.requests.size(); ++i)
    QCOMPARE(api.requests[i].authorization, QByteArray("Bearer tok-42"));
  QVERIFY(api.requests[0].authorization.isEmpty());  // no token before login
}

void ApiClientTest::wrongCredentialsShowServerMessage() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  std::optional<ApiResult> login;
  c->login(QStringLiteral("kim"), QStringLiteral("wrong"), QStringLiteral("000000"),
           [&](const ApiResult& r) { login = r; });
  QTRY_VERIFY_WITH_TIMEOUT(login.has_value(), 10000);
  QVERIFY(!login->ok);
  QCOMPARE(login->status, 401);
  QCOMPARE(login->error, QStringLiteral("invalid username, password or code"));
  QVERIFY(c->token().isEmpty());
}

void ApiClientTest::commentAndReasonRequired() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  c->setToken("tok-42");
  std::optional<ApiResult> r1;
  c->resolveAlarm(QStringLiteral("a1"), QStringLiteral("   "), [&](const ApiResult& r) { r1 = r; });
  QVERIFY(r1.has_value());  // refused at once, without a request
  QVERIFY(!r1->ok);
  QVERIFY(r1->error.contains(QStringLiteral("comment")));
  bool called = false;
  c->sendCommand(QStringLiteral("cage-door"), QStringLiteral("momentary_unlock"), QString(),
                 [&](std::optional<CommandOutcome> o, const QString& e) {
                   called = true;
                   QVERIFY(!o);
                   QVERIFY(e.contains(QStringLiteral("reason")));
                 });
  QVERIFY(called);
  QTest::qWait(100);
  QVERIFY(api.requests.isEmpty());
}

void ApiClientTest::commandsReportPendingApproval() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  c->setToken("tok-42");
  std::optional<CommandOutcome> holdOpen;
  c->sendCommand(
      QStringLiteral("cage-door"), QStringLiteral("lock_open"), QStringLiteral("equipment delivery"),
      [&](std::optional<CommandOutcome> o, const QString&) { holdOpen = o.value_or(CommandOutcome{}); });
  QTRY_VERIFY_WITH_TIMEOUT(holdOpen.has_value(), 10000);
  QVERIFY(holdOpen->pendingApproval());
  QCOMPARE(holdOpen->id, QStringLiteral("c7"));
  QCOMPARE(api.requests.last().body.value(QLatin1String("reason")).toString(),
           QStringLiteral("equipment delivery"));
  QCOMPARE(api.requests.last().body.value(QLatin1String("target")).toString(), QStringLiteral("cage-door"));

  // Zone lockdown and release go to portcullisd's policy-action routes.
  std::optional<CommandOutcome> lockdown;
  c->sendCommand(
      QStringLiteral("weights-cage"), QStringLiteral("lockdown"), QStringLiteral("forced door"),
      [&](std::optional<CommandOutcome> o, const QString&) { lockdown = o.value_or(CommandOutcome{}); });
  QTRY_VERIFY_WITH_TIMEOUT(lockdown.has_value(), 10000);
  QCOMPARE(lockdown->status, QStringLiteral("sent"));
  QCOMPARE(api.requests.last().path, QByteArray("/api/v1/lockdown"));
  QCOMPARE(api.requests.last().body.value(QLatin1String("zone")).toString(), QStringLiteral("weights-cage"));
  std::optional<CommandOutcome> release;
  c->sendCommand(
      QStringLiteral("weights-cage"), QStringLiteral("release"), QStringLiteral("all clear"),
      [&](std::optional<CommandOutcome> o, const QString&) { release = o.value_or(CommandOutcome{}); });
  QTRY_VERIFY_WITH_TIMEOUT(release.has_value(), 10000);
  QCOMPARE(api.requests.last().path, QByteArray("/api/v1/lockdown/release"));

  std::optional<CommandOutcome> unlock;
  c->sendCommand(
      QStringLiteral("office-door"), QStringLiteral("momentary_unlock"), QStringLiteral("visitor"),
      [&](std::optional<CommandOutcome> o, const QString&) { unlock = o.value_or(CommandOutcome{}); });
  QTRY_VERIFY_WITH_TIMEOUT(unlock.has_value(), 10000);
  QVERIFY(!unlock->pendingApproval());
  QCOMPARE(unlock->status, QStringLiteral("sent"));

  QString refused;
  bool done = false;
  c->sendCommand(QStringLiteral("office-door"), QStringLiteral("unlock"), QStringLiteral("x"),
                 [&](std::optional<CommandOutcome> o, const QString& e) {
                   done = !o.has_value();
                   refused = e;
                 });
  QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
  QCOMPARE(refused, QStringLiteral("not allowed for this role"));
}

void ApiClientTest::refusesServerFromAnotherCa() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api, pki_.otherCaFile());
  std::optional<ApiResult> login;
  c->login(QStringLiteral("kim"), QStringLiteral("right"), QStringLiteral("123456"),
           [&](const ApiResult& r) { login = r; });
  QTRY_VERIFY_WITH_TIMEOUT(login.has_value(), 10000);
  QVERIFY(!login->ok);
  QCOMPARE(login->status, 0);
  QVERIFY(api.requests.isEmpty());  // the password never left the client
  QVERIFY(c->token().isEmpty());
}

void ApiClientTest::consoleAsksReasonAndShowsPendingApproval() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  c->setToken("tok-42");
  QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/examples/datacenter.site.json"));
  QVERIFY(f.open(QIODevice::ReadOnly));
  ConsoleState state;
  state.setSite(*parseSite(f.readAll(), nullptr));
  MainWindow window(&state, c);
  window.show();

  // Play the guard: type a reason into the dialog, then acknowledge the "pending approval" message.
  int reasonDialogs = 0;
  int messageBoxes = 0;
  QString message;
  QTimer guard;
  connect(&guard, &QTimer::timeout, this, [&] {
    auto* modal = QApplication::activeModalWidget();
    if (auto* dialog = qobject_cast<ReasonDialog*>(modal)) {
      ++reasonDialogs;
      dialog->findChild<QPlainTextEdit*>()->setPlainText(QStringLiteral("equipment delivery"));
      dialog->accept();
    } else if (auto* box = qobject_cast<QMessageBox*>(modal)) {
      ++messageBoxes;
      message = box->text();
      QCOMPARE(box->textFormat(), Qt::PlainText);
      box->accept();
    }
  });
  guard.start(50);
  window.requestCommand(QStringLiteral("cage-door"), QStringLiteral("lock_open"));
  QTRY_COMPARE_WITH_TIMEOUT(messageBoxes, 1, 10000);
  QCOMPARE(reasonDialogs, 1);
  QVERIFY(message.contains(QStringLiteral("PENDING APPROVAL")));
  QVERIFY(message.contains(QStringLiteral("Model-weights cage door")));
  QCOMPARE(api.requests.last().body.value(QLatin1String("reason")).toString(),
           QStringLiteral("equipment delivery"));
  bool pendingShown = false;
  for (auto* label : window.findChildren<QLabel*>())
    pendingShown = pendingShown || label->text().contains(QStringLiteral("pending second approval"));
  QVERIFY(pendingShown);
}

void ApiClientTest::csvReaderHandlesQuotesAndPieces() {
  const auto csv = FakeApi::reportCsv();
  CsvReader whole;
  whole.feed(csv);
  whole.finish();
  const auto rows = whole.takeRows();
  QVERIFY(!whole.malformed());
  QCOMPARE(rows.size(), 4);
  QCOMPARE(rows[0].size(), 13);
  QCOMPARE(rows[2][6], QStringLiteral("pin, wrong"));
  QCOMPARE(rows[3][6], QStringLiteral("'=cmd|' /C calc'!A0"));  // neutralized by the server, shown as text
  QCOMPARE(rows[3][8], QStringLiteral("p-\"x\"\r\nline"));
  QCOMPARE(rows[3][12], QStringLiteral("ef56"));
  // Byte by byte, as a slow stream would bring it: the same rows.
  CsvReader pieces;
  QVector<QStringList> got;
  for (const char c : csv) {
    pieces.feed(QByteArray(1, c));
    got += pieces.takeRows();
  }
  pieces.finish();
  got += pieces.takeRows();
  QCOMPARE(got, rows);
  // LF line ends, a last line without one, and a body cut inside quotes.
  CsvReader lf;
  lf.feed("a,b\n1,\"x\"\n2,y");
  lf.finish();
  QCOMPARE(lf.takeRows(), (QVector<QStringList>{{"a", "b"}, {"1", "x"}, {"2", "y"}}));
  CsvReader cut;
  cut.feed("a,b\r\n1,\"unfinished");
  cut.finish();
  QVERIFY(cut.malformed());
}

void ApiClientTest::reportsViewRunsReportAndShowsRows() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  c->setToken("tok-42");
  ReportsDialog dialog(c);
  QSignalSpy loaded(&dialog, &ReportsDialog::reportsLoaded);
  dialog.loadReports();
  QVERIFY(loaded.wait(10000));
  QCOMPARE(dialog.reports().size(), 4);
  QCOMPARE(api.requests.last().path, QByteArray("/api/v1/audit/reports"));
  QCOMPARE(api.requests.last().authorization, QByteArray("Bearer tok-42"));

  // denied, 08:00-09:00 UTC, group "contractors": the query in the server's names, percent-encoded.
  dialog.selectReport(QStringLiteral("denied"));
  dialog.setPeriod(QDateTime(QDate(2026, 11, 27), QTime(8, 0), Qt::UTC),
                   QDateTime(QDate(2026, 11, 27), QTime(9, 0), Qt::UTC));
  dialog.setGroup(QStringLiteral("contractors & co"));
  QVERIFY(dialog.findChild<QLineEdit*>(QStringLiteral("group"))->isEnabled());
  QSignalSpy finished(&dialog, &ReportsDialog::finished);
  dialog.run();
  QVERIFY(dialog.running());
  QVERIFY(finished.wait(10000));
  QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog.statusText()));
  QCOMPARE(api.requests.last().path,
           QByteArray("/api/v1/audit/reports/denied?format=csv&from=2026-11-27T08:00:00Z"
                      "&to=2026-11-27T09:00:00Z&group=contractors%20%26%20co"));
  QCOMPARE(api.requests.last().authorization, QByteArray("Bearer tok-42"));
  auto* rows = dialog.rows();
  QCOMPARE(rows->columnCount(), 13);
  QCOMPARE(rows->headerData(12, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("hash"));
  QCOMPARE(rows->rowCount(), 3);
  QCOMPARE(rows->index(0, 8).data().toString(), QStringLiteral("p-ann"));
  QCOMPARE(rows->index(1, 6).data().toString(), QStringLiteral("pin, wrong"));
  QCOMPARE(rows->index(2, 6).data().toString(), QStringLiteral("'=cmd|' /C calc'!A0"));
  QVERIFY(dialog.statusText().contains(QStringLiteral("3 rows, complete")));
  QVERIFY(dialog.findChild<QPushButton*>(QStringLiteral("save"))->isEnabled());
  // PORTCULLIS_SHOT_DIR=DIR: a picture of the window with the rows, to look at (docs/console.md).
  if (const auto shots = qEnvironmentVariable("PORTCULLIS_SHOT_DIR"); !shots.isEmpty()) {
    dialog.resize(1400, 420);
    dialog.grab().save(shots + QStringLiteral("/console-reports.png"));
  }
  // Saved as the server sent it, byte for byte.
  QTemporaryDir dir;
  const auto path = dir.filePath(QStringLiteral("denied.csv"));
  QString error;
  QVERIFY2(dialog.saveCsv(path, &error), qPrintable(error));
  QFile saved(path);
  QVERIFY(saved.open(QIODevice::ReadOnly));
  QCOMPARE(saved.readAll(), FakeApi::reportCsv());

  // presence takes "to" but no "from" and the dialog sends none; no group given, none sent.
  dialog.selectReport(QStringLiteral("presence"));
  QVERIFY(!dialog.findChild<QDateTimeEdit*>(QStringLiteral("from"))->isEnabled());
  dialog.setGroup(QString());
  dialog.run();
  QVERIFY(finished.wait(10000));
  QCOMPARE(api.requests.last().path,
           QByteArray("/api/v1/audit/reports/presence?format=csv&to=2026-11-27T09:00:00Z"));

  // A report cut short by the server is an error, not a short report, and cannot be saved.
  dialog.selectReport(QStringLiteral("alarms"));
  QVERIFY(!dialog.findChild<QLineEdit*>(QStringLiteral("group"))->isEnabled());
  dialog.run();
  QVERIFY(finished.wait(10000));
  QVERIFY(!finished.last().at(0).toBool());
  QVERIFY2(dialog.statusText().contains(QStringLiteral("cut short")), qPrintable(dialog.statusText()));
  QVERIFY(!dialog.findChild<QPushButton*>(QStringLiteral("save"))->isEnabled());
  QVERIFY(!dialog.saveCsv(dir.filePath(QStringLiteral("alarms.csv")), &error));
}

void ApiClientTest::reportsOnlyForAuditorsAndAdmins() {
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  c->setToken("tok-42");
  ConsoleState state;
  MainWindow window(&state, c);
  window.show();
  window.setOperator(QStringLiteral("Kim Guard"), QStringLiteral("guard"));
  QVERIFY(!window.reportsButton()->isVisible());
  window.openReports();  // Ctrl+R for a guard: nothing
  QVERIFY(window.reportsDialog() == nullptr);
  window.setOperator(QStringLiteral("Sam Supervisor"), QStringLiteral("supervisor"));
  QVERIFY(!window.reportsButton()->isVisible());
  QVERIFY(!mayReadReports(QStringLiteral("guard (demo)")));
  for (const auto* role : {"auditor", "admin"}) {
    window.setOperator(QStringLiteral("Ann"), QLatin1String(role));
    QVERIFY(window.reportsButton()->isVisible());
  }
  QTest::mouseClick(window.reportsButton(), Qt::LeftButton);
  QVERIFY(window.reportsDialog() != nullptr);
  QVERIFY(window.reportsDialog()->isVisible());
  QTRY_COMPARE_WITH_TIMEOUT(window.reportsDialog()->reports().size(), 4, 10000);
  // Signed in again as a guard: the window goes.
  window.setOperator(QStringLiteral("Kim Guard"), QStringLiteral("guard"));
  QVERIFY(window.reportsDialog() == nullptr);
  QVERIFY(!window.reportsButton()->isVisible());
}

void ApiClientTest::reportsWindowChartsTheRowsOfItsTable() {
  const auto shots = qEnvironmentVariable("PORTCULLIS_SHOT_DIR");
  // The picture in the console's look (the last test: nothing after it sees the theme).
  if (!shots.isEmpty()) applyWallTheme(*qApp);
  FakeApi api(pki_.serverConfiguration());
  auto* c = client(api);
  c->setToken("tok-42");
  ReportsDialog dialog(c);
  QSignalSpy loaded(&dialog, &ReportsDialog::reportsLoaded);
  dialog.loadReports();
  QVERIFY(loaded.wait(10000));
  dialog.selectReport(QStringLiteral("access"));
  dialog.setPeriod(QDateTime(QDate(2026, 11, 23), QTime(0, 0), Qt::UTC),
                   QDateTime(QDate(2026, 11, 30), QTime(0, 0), Qt::UTC));
  QSignalSpy finished(&dialog, &ReportsDialog::finished);
  dialog.run();
  QVERIFY(finished.wait(10000));
  QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog.statusText()));
  const auto* rows = dialog.rows();
  QVERIFY(rows->rowCount() > 100);
  qint64 grants = 0;
  qint64 denials = 0;
  for (int r = 0; r < rows->rowCount(); ++r) {
    const auto verdict = rows->index(r, 5).data().toString();
    grants += verdict == QLatin1String("grant") ? 1 : 0;
    denials += verdict == QLatin1String("deny") ? 1 : 0;
  }
  // The model counted exactly the table's rows; the heat map and the bars draw those counts.
  QCOMPARE(dialog.chartModel().skipped(), 0);
  const auto charts = dialog.chartModel().charts();
  QCOMPARE(charts.rows, rows->rowCount());
  QCOMPARE(charts.over_time.at(0).total, grants);
  QCOMPARE(charts.over_time.at(1).total, denials);
  auto* view = dialog.chartsView();
  QVERIFY(!view->isHidden());
  qint64 cells = 0;
  for (auto n : view->heatMap()->grid()->cells()) cells += n;
  QCOMPARE(cells, rows->rowCount());
  QCOMPARE(view->chartViews().size(), 1);
  auto* daily = qobject_cast<QAbstractBarSeries*>(view->chartViews()[0]->chart()->series().at(0));
  QVERIFY(daily != nullptr);
  QCOMPARE(daily->barSets().size(), 2);
  const auto sum = [](const QBarSet* set) {
    double total = 0;
    for (int i = 0; i < set->count(); ++i) total += set->at(i);
    return total;
  };
  QCOMPARE(sum(daily->barSets()[0]), static_cast<double>(grants));
  QCOMPARE(sum(daily->barSets()[1]), static_cast<double>(denials));
  QCOMPARE(daily->barSets()[0]->count(), 7);  // one bar a day of the week
  if (!shots.isEmpty()) {
    dialog.resize(1400, 800);
    dialog.grab().save(shots + QStringLiteral("/console-reports-charts.png"));
  }
  // A report without charts hides them again.
  dialog.selectReport(QStringLiteral("presence"));
  QSignalSpy again(&dialog, &ReportsDialog::finished);
  dialog.run();
  QVERIFY(again.wait(10000));
  QVERIFY(view->isHidden());
}

QTEST_MAIN(ApiClientTest)
#include "api_client_test.moc"
