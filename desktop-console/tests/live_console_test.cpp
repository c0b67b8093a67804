// The whole console against one fake portcullisd (HTTPS API and the WebSocket stream on the same TLS port,
// certificate from a throwaway CA): the executable signs in unattended, loads the site, follows the stream
// and writes a live screenshot.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include "live_types.hpp"
#include "test_tls.hpp"
#include "totp.hpp"

using namespace portcullis::console;

namespace {

constexpr auto kSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

class FakePortcullisd : public QObject {
 public:
  explicit FakePortcullisd(const QSslConfiguration& tls)
      : ws_(QStringLiteral("fake"), QWebSocketServer::NonSecureMode) {
    server_.setSslConfiguration(tls);
    connect(&server_, &QSslServer::pendingConnectionAvailable, this, [this] {
      while (auto* s = server_.nextPendingConnection()) {
        connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
      }
    });
    connect(&ws_, &QWebSocketServer::newConnection, this, [this] {
      while (auto* ws = ws_.nextPendingConnection()) {
        streamAuth << ws->request().rawHeader("Authorization");
        ws->setParent(this);
        sockets_ << ws;
        DoorState forced{QStringLiteral("cage-door"), {},  true, true, QStringLiteral("normal"),
                         QStringLiteral("forced"),    true};
        DoorState locked{QStringLiteral("main-entrance"), {},  false, true, QStringLiteral("normal"),
                         QStringLiteral("none"),          true};
        Alarm a;
        a.id = QStringLiteral("a1");
        a.kind = QStringLiteral("door_forced");
        a.severity = Severity::Critical;
        a.subject = QStringLiteral("cage-door");
        a.raisedAt = QDateTime::currentDateTimeUtc();
        send(ws,
             QJsonObject{{"type", "snapshot"},
                         {"seq", 10},
                         {"doors", QJsonArray{toJson(forced), toJson(locked)}},
                         {"zones", QJsonArray{toJson(ZoneState{QStringLiteral("compute-hall"), 3, false})}},
                         {"alarms", QJsonArray{toJson(a)}},
                         {"racks", QJsonArray{}},
                         {"assets", QJsonArray{}},
                         {"presence", QJsonObject{{"alice-nguyen", "compute-hall"}}}});
        send(ws, QJsonObject{{"type", "delta"},
                             {"seq", 11},
                             {"topic", "zones"},
                             {"data", toJson(ZoneState{QStringLiteral("weights-cage"), 1, true})}});
      }
    });
    if (!server_.listen(QHostAddress::LocalHost, 0)) qFatal("listen failed");
  }
  ~FakePortcullisd() override {
    for (auto* ws : std::as_const(sockets_)) {
      ws->disconnect(this);
      delete ws;
    }
  }
  QString url() const { return QStringLiteral("https://127.0.0.1:%1").arg(server_.serverPort()); }

  QList<QByteArray> paths;
  QList<QByteArray> streamAuth;
  QString loginTotp;

 private:
  static void send(QWebSocket* ws, const QJsonObject& o) {
    ws->sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
  }
  void onData(QTcpSocket* s) {
    const auto head = s->peek(64 * 1024);
    const auto end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    if (head.startsWith("GET /api/v1/stream")) {
      // Hand the (already TLS) connection, handshake bytes unread, to the WebSocket server.
      s->disconnect(this);
      paths << head.left(head.indexOf(' ', 4)).mid(4);
      ws_.handleConnection(s);
      return;
    }
    qsizetype length = 0;
    QByteArray auth;
    const auto lines = head.left(end).split('\n');
    for (const auto& raw : lines.mid(1)) {
      const auto line = raw.trimmed();
      const auto colon = line.indexOf(':');
      const auto name = line.left(colon).trimmed().toLower();
      if (name == "content-length") length = line.mid(colon + 1).trimmed().toLongLong();
      if (name == "authorization") auth = line.mid(colon + 1).trimmed();
    }
    if (head.size() < end + 4 + length) return;
    const auto request = s->read(end + 4 + length);
    const auto path = lines[0].split(' ').value(1);
    paths << path;
    const auto body = QJsonDocument::fromJson(request.mid(end + 4)).object();
    int status = 200;
    QByteArray payload;
    if (path == "/api/v1/auth/login") {
      loginTotp = body.value(QLatin1String("totp")).toString();
      const auto secret = *base32Decode(QString::fromLatin1(kSecret));
      const auto now = QDateTime::currentSecsSinceEpoch();
      const bool codeOk = loginTotp == totpCode(secret, now) || loginTotp == totpCode(secret, now - 30);
      if (body.value(QLatin1String("password")).toString() == QLatin1String("right") && codeOk) {
        payload =
            R"({"token":"tok-live","expires_at":"2026-11-27T20:00:00Z","operator":{"id":"kim","name":"Kim","role":"guard"}})";
      } else {
        status = 401;
        payload = R"({"error":{"field":"credentials","message":"invalid username, password or code"}})";
      }
    } else if (auth != "Bearer tok-live") {
      status = 401;
      payload = R"({"error":{"field":"authorization","message":"no session"}})";
    } else if (path == "/api/v1/site") {
      QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/examples/datacenter.site.json"));
      f.open(QIODevice::ReadOnly);
      payload = f.readAll();
    } else {
      payload = R"({"status":"ok"})";
    }
    s->write("HTTP/1.1 " + QByteArray::number(status) +
             " X\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(payload.size()) +
             "\r\nConnection: close\r\n\r\n" + payload);
    s->disconnectFromHost();
  }

  QSslServer server_;
  QWebSocketServer ws_;
  QList<QWebSocket*> sockets_;
};

}  // namespace

class LiveConsoleTest : public QObject {
  Q_OBJECT
 private slots:
  void signsInFollowsStreamAndScreenshots();
};

void LiveConsoleTest::signsInFollowsStreamAndScreenshots() {
  test::TestPki pki;
  QString error;
  QVERIFY2(pki.make(&error), qPrintable(error));
  FakePortcullisd server(pki.serverConfiguration());
  QFile login(pki.path(QStringLiteral("login.json")));
  QVERIFY(login.open(QIODevice::WriteOnly));
  login.write(QByteArray(R"({"username":"kim","password":"right","totp_secret":")") + kSecret + "\"}");
  login.close();
  const auto png = pki.path(QStringLiteral("live.png"));

  QProcess console;
  QSignalSpy finished(&console, &QProcess::finished);
  console.start(
      QStringLiteral(PORTCULLIS_CONSOLE_EXE),
      {QStringLiteral("--server"), server.url(), QStringLiteral("--ca"), pki.caFile(),
       QStringLiteral("--login-file"), login.fileName(), QStringLiteral("--screenshot"), png,
       QStringLiteral("--size"), QStringLiteral("1600x900"), QStringLiteral("--wait"), QStringLiteral("20")});
  QVERIFY(finished.wait(90000));
  const auto stderrText = console.readAllStandardError();
  QVERIFY2(console.exitCode() == 0, stderrText.constData());
  QCOMPARE(server.loginTotp.size(), 6);
  QVERIFY(server.paths.contains("/api/v1/auth/login"));
  QVERIFY(server.paths.contains("/api/v1/site"));
  QVERIFY(server.paths.contains("/api/v1/stream"));
  QCOMPARE(server.streamAuth.value(0), QByteArray("Bearer tok-live"));
  QTRY_VERIFY_WITH_TIMEOUT(server.paths.contains("/api/v1/auth/logout"), 5000);
  QImage image(png);
  QCOMPARE(image.size(), QSize(1600, 900));
  const QColor banner = image.pixelColor(image.width() / 2, 8);
  QVERIFY2(banner.green() > banner.red() + 40, "the banner is green: live");
}

QTEST_MAIN(LiveConsoleTest)
#include "live_console_test.moc"
