// The stream client against a fake operator stream: a QWebSocketServer over TLS with a certificate from a
// throwaway CA, speaking docs/operator-api.md (snapshot on connect unless the client resumes, deltas with a
// strictly increasing seq, heartbeats, replay from resume_from).
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>
#include <optional>

#include "api_client.hpp"
#include "stream_client.hpp"
#include "test_tls.hpp"

using namespace portcullis::console;

namespace {

class FakeStream : public QObject {
 public:
  explicit FakeStream(const QSslConfiguration& tls)
      : server_(QStringLiteral("fake-portcullisd"), QWebSocketServer::SecureMode) {
    server_.setSslConfiguration(tls);
    QObject::connect(&server_, &QWebSocketServer::newConnection, this, [this] { accept(); });
    // Each connection gets a short window to send its subscribe; without one it gets a fresh snapshot.
    if (!server_.listen(QHostAddress::LocalHost, 0)) qFatal("fake stream: listen failed");
  }
  ~FakeStream() override {
    // Sockets first, while the members their handlers touch still exist.
    for (auto* c : std::as_const(clients_)) {
      c->disconnect(this);
      delete c;
    }
    clients_.clear();
    server_.close();
  }

  QUrl url() const {
    return QUrl(QStringLiteral("wss://127.0.0.1:%1/api/v1/stream").arg(server_.serverPort()));
  }

  // Records a delta in the history; sends it to connected clients unless `withhold` (to simulate loss).
  qint64 publish(const QString& topic, const QJsonObject& data, bool withhold = false) {
    ++seq_;
    const QJsonObject msg{{"type", "delta"}, {"seq", seq_}, {"topic", topic}, {"data", data}};
    history_.push_back(msg);
    if (!withhold)
      for (auto* c : connected()) send(c, msg);
    return seq_;
  }
  // Several deltas in one frame, like the stream hub's batch frames: {"type":"batch","messages":[...]}.
  // Each is recorded in the history on its own (a replay sends them singly). `drop` leaves one out of the
  // frame (lost on the way); `repeat` adds an already sent delta again at the front (a replay overlap).
  QList<qint64> publishBatch(const QString& topic, const QList<QJsonObject>& data, int drop = -1,
                             std::optional<qint64> repeat = std::nullopt) {
    QJsonArray messages;
    if (repeat)
      for (const auto& h : history_)
        if (h.value(QLatin1String("seq")).toInteger() == *repeat) messages.append(h);
    QList<qint64> seqs;
    for (qsizetype i = 0; i < data.size(); ++i) {
      ++seq_;
      const QJsonObject msg{{"type", "delta"}, {"seq", seq_}, {"topic", topic}, {"data", data[i]}};
      history_.push_back(msg);
      seqs << seq_;
      if (i != drop) messages.append(msg);
    }
    for (auto* c : connected()) send(c, QJsonObject{{"type", "batch"}, {"messages", messages}});
    return seqs;
  }
  void heartbeat() {
    for (auto* c : connected()) send(c, QJsonObject{{"type", "heartbeat"}, {"seq", seq_}});
  }
  void dropClients() {
    for (auto* c : connected()) c->close(QWebSocketProtocol::CloseCodeGoingAway);
  }
  void sendRaw(const QString& text) {
    for (auto* c : connected()) c->sendTextMessage(text);
  }
  void setSilent(bool silent) { silent_ = silent; }
  void endSessions() {
    validToken = "session-token-2";
    for (auto* c : connected())
      c->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("session ended"));
  }
  QByteArray validToken = "session-token-1";
  // The replay window moved past everything published so far.
  void forgetHistory() {
    history_.clear();
    firstKept_ = seq_ + 1;
  }

  QList<QByteArray> authHeaders;
  QList<QJsonObject> subscribes;
  QList<qint64> resumeFroms;
  QList<QUrl> urls;
  int snapshotsSent = 0;
  int connections = 0;

 private:
  // A copy of the client list to loop over. QWebSocket::close() ends with QAbstractSocket::close(), which
  // emits disconnected() synchronously when the write buffer is already flushed (usual on an idle machine,
  // not always under load); the handler below then removes the socket from clients_. Looping over clients_
  // itself while that happens invalidates the loop's iterators: with two sockets in the list (an old one not
  // yet reaped plus the new one) the loop reads past the shrunk list. That is the timing-dependent memory
  // error behind the heap-corruption abort seen once under parallel load. The sockets stay valid while the
  // copy is used: they are only deleteLater()'d.
  [[nodiscard]] QList<QWebSocket*> connected() const { return clients_; }

  void accept() {
    while (auto* ws = server_.nextPendingConnection()) {
      ++connections;
      authHeaders << ws->request().rawHeader("Authorization");
      if (ws->request().rawHeader("Authorization") != "Bearer " + validToken) {
        ws->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("unauthorized"));
        ws->deleteLater();
        continue;
      }
      ws->setParent(this);
      clients_ << ws;
      QObject::connect(ws, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        subscribes << QJsonDocument::fromJson(text.toUtf8()).object();
      });
      QObject::connect(ws, &QWebSocket::disconnected, this, [this, ws] {
        clients_.removeAll(ws);
        ws->disconnect(this);
        ws->deleteLater();
      });
      // Like portcullisd's stream hub: resume_from in the upgrade URL replays the history after it when
      // the history still reaches back that far; otherwise (or without it) a snapshot.
      const QUrlQuery query(ws->request().url());
      urls << ws->request().url();
      if (query.hasQueryItem(QStringLiteral("resume_from"))) {
        const auto from = query.queryItemValue(QStringLiteral("resume_from")).toLongLong();
        resumeFroms << from;
        if (from >= firstKept_ - 1 && from <= seq_) {
          for (const auto& h : history_)
            if (h.value(QLatin1String("seq")).toInteger() > from) send(ws, h);
          continue;
        }
      }
      if (!silent_) sendSnapshot(ws);
    }
  }
  void sendSnapshot(QWebSocket* ws) {
    ++snapshotsSent;
    send(ws, QJsonObject{{"type", "snapshot"},
                         {"seq", seq_},
                         {"doors", QJsonArray{toJson(DoorState{QStringLiteral("d1"), QStringLiteral("Door 1"),
                                                               false, true, QStringLiteral("normal"),
                                                               QStringLiteral("none"), true})}},
                         {"zones", QJsonArray{}},
                         {"racks", QJsonArray{}},
                         {"alarms", QJsonArray{}},
                         {"assets", QJsonArray{}}});
  }
  static void send(QWebSocket* ws, const QJsonObject& o) {
    ws->sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
  }

  QWebSocketServer server_;
  QList<QWebSocket*> clients_;
  QVector<QJsonObject> history_;
  qint64 seq_ = 100;
  qint64 firstKept_ = 101;
  bool silent_ = false;
};

QJsonObject accessData(int n) {
  return QJsonObject{{"time", "2026-11-27T10:00:00Z"},
                     {"portal", "d1"},
                     {"person", QStringLiteral("p%1").arg(n)},
                     {"verdict", "grant"},
                     {"reason", "granted"},
                     {"site_seq", n}};
}

// Collects what the client delivers.
struct Received {
  explicit Received(StreamClient* c) {
    QObject::connect(c, &StreamClient::snapshotReceived, c,
                     [this](const QJsonObject&, qint64 seq) { snapshots << seq; });
    QObject::connect(c, &StreamClient::deltaReceived, c,
                     [this](const QString&, const QJsonObject&, qint64 seq) { deltas << seq; });
  }
  QList<qint64> snapshots;
  QList<qint64> deltas;
};

}  // namespace

class StreamClientTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void connectsOverPinnedTlsWithBearerHeader();
  void refusesServerFromAnotherCa();
  void deltasInOrderDuplicatesDropped();
  void gapTriggersResubscribeAndReplay();
  void reconnectsAndResumesWithoutGap();
  void resumeTooOldGetsSnapshot();
  void endedSessionStopsRetriesUntilNewToken();
  void staleThenDisconnected();
  void heartbeatsKeepItLive();
  void batchFramesAreHandledInOrder();
  void dropsSeveralClientsAtOnce();
  void gapInsideABatchResumesAndReplays();

 private:
  std::unique_ptr<StreamClient> client(const QString& ca = {});
  test::TestPki pki_;
};

void StreamClientTest::initTestCase() {
  QString error;
  QVERIFY2(pki_.make(&error), qPrintable(error));
}

std::unique_ptr<StreamClient> StreamClientTest::client(const QString& ca) {
  QString error;
  auto config = pinnedSslConfiguration(ca.isEmpty() ? pki_.caFile() : ca, &error);
  if (!config) qFatal("%s", qPrintable(error));
  auto c = std::make_unique<StreamClient>();
  c->setSslConfiguration(*config);
  c->setToken("session-token-1");
  c->setBackoff(50, 200);
  return c;
}

void StreamClientTest::connectsOverPinnedTlsWithBearerHeader() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  QCOMPARE(c->health(), StreamHealth::Connected);
  QCOMPARE(server.authHeaders.value(0), QByteArray("Bearer session-token-1"));
  QVERIFY(!server.url().toString().contains(QStringLiteral("token")));
  QCOMPARE(*c->lastSeq(), 100);
}

void StreamClientTest::refusesServerFromAnotherCa() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client(pki_.otherCaFile());
  Received got(c.get());
  QSignalSpy errors(c.get(), &StreamClient::errorText);
  c->start(server.url());
  QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 10000);
  QTest::qWait(300);
  QCOMPARE(got.snapshots.size(), 0);
  QVERIFY(c->health() != StreamHealth::Connected);
  bool sawTls = false;
  for (const auto& e : errors) sawTls = sawTls || e[0].toString().contains(QStringLiteral("TLS"));
  QVERIFY(sawTls);
  QVERIFY(c->reconnects() >= 1);  // keeps trying (the CA may be fixed), never ignores the error
}

void StreamClientTest::deltasInOrderDuplicatesDropped() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  for (int i = 0; i < 20; ++i) server.publish(QStringLiteral("access"), accessData(i));
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 20, 5000);
  for (int i = 0; i < 20; ++i) QCOMPARE(got.deltas[i], 101 + i);
  QCOMPARE(server.connections, 1);  // no gap, no reconnect
}

void StreamClientTest::gapTriggersResubscribeAndReplay() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  QSignalSpy gaps(c.get(), &StreamClient::gapDetected);
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  server.publish(QStringLiteral("doors"), accessData(1));                     // 101
  server.publish(QStringLiteral("doors"), accessData(2), /*withhold=*/true);  // 102 lost on the way
  server.publish(QStringLiteral("doors"), accessData(3));                     // 103 arrives: a gap
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 3, 5000);
  QCOMPARE(got.deltas, (QList<qint64>{101, 102, 103}));
  QCOMPARE(gaps.size(), 1);
  QCOMPARE(server.connections, 2);  // reconnected at once, resuming after the last delta it processed
  QCOMPARE(server.resumeFroms, (QList<qint64>{101}));
  QCOMPARE(got.snapshots.size(), 1);
}

void StreamClientTest::reconnectsAndResumesWithoutGap() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  QList<StreamHealth> healths;
  connect(c.get(), &StreamClient::healthChanged, this, [&healths](StreamHealth h) { healths << h; });
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  for (int i = 0; i < 5; ++i) server.publish(QStringLiteral("access"), accessData(i));  // 101..105
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 5, 5000);

  server.dropClients();
  QTRY_VERIFY_WITH_TIMEOUT(healths.contains(StreamHealth::Disconnected), 5000);
  for (int i = 5; i < 8; ++i)
    server.publish(QStringLiteral("access"), accessData(i));  // 106..108, while away

  QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2, 10000);
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 8, 10000);
  server.publish(QStringLiteral("access"), accessData(8));  // 109, live again
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 9, 5000);

  QList<qint64> expected;
  for (qint64 s = 101; s <= 109; ++s) expected << s;
  QCOMPARE(got.deltas, expected);     // every event once, in order: nothing lost across the reconnect
  QCOMPARE(got.snapshots.size(), 1);  // resumed, not resnapshotted
  QCOMPARE(server.resumeFroms, (QList<qint64>{105}));
  QVERIFY(!server.urls.value(1).toString().contains(
      QStringLiteral("session-token")));  // token only in the header
  QCOMPARE(server.authHeaders.value(1), QByteArray("Bearer session-token-1"));
  QCOMPARE(c->health(), StreamHealth::Connected);
}

void StreamClientTest::resumeTooOldGetsSnapshot() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  server.publish(QStringLiteral("doors"), accessData(1));  // 101
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 1, 5000);
  server.dropClients();
  for (int i = 0; i < 5; ++i) server.publish(QStringLiteral("doors"), accessData(i));  // 102..106
  server.forgetHistory();
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 2, 10000);
  QCOMPARE(got.snapshots.last(), 106);
  QCOMPARE(*c->lastSeq(), 106);
  server.publish(QStringLiteral("doors"), accessData(7));  // 107 follows the new snapshot
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 2, 5000);
  QCOMPARE(got.deltas.last(), 107);
}

void StreamClientTest::endedSessionStopsRetriesUntilNewToken() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  QSignalSpy rejected(c.get(), &StreamClient::sessionRejected);
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  server.publish(QStringLiteral("access"), accessData(1));  // 101
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 1, 5000);
  server.endSessions();
  QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, 5000);
  QTest::qWait(500);  // backoff is 50 ms: a retrying client would have reconnected several times by now
  QCOMPARE(server.connections, 1);
  QCOMPARE(c->health(), StreamHealth::Disconnected);
  server.publish(QStringLiteral("access"), accessData(2));  // 102, while signed out
  // Signed in again: resumes where it stopped, nothing lost.
  c->setToken(server.validToken);
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 2, 10000);
  QCOMPARE(got.deltas, (QList<qint64>{101, 102}));
  QCOMPARE(server.resumeFroms, (QList<qint64>{101}));
  QCOMPARE(got.snapshots.size(), 1);
}

void StreamClientTest::staleThenDisconnected() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  c->setStaleTimeout(400);
  c->setBackoff(60000, 60000);  // stay disconnected long enough to observe it
  Received got(c.get());
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  QCOMPARE(c->health(), StreamHealth::Connected);
  QTRY_COMPARE_WITH_TIMEOUT(c->health(), StreamHealth::Stale, 3000);
  server.publish(QStringLiteral("access"), accessData(1));
  QTRY_COMPARE_WITH_TIMEOUT(c->health(), StreamHealth::Connected, 3000);
  server.dropClients();
  QTRY_COMPARE_WITH_TIMEOUT(c->health(), StreamHealth::Disconnected, 3000);
}

void StreamClientTest::heartbeatsKeepItLive() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  c->setStaleTimeout(400);
  Received got(c.get());
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  QList<StreamHealth> healths;
  connect(c.get(), &StreamClient::healthChanged, this, [&healths](StreamHealth h) { healths << h; });
  QTimer beat;
  connect(&beat, &QTimer::timeout, &server, [&server] { server.heartbeat(); });
  beat.start(100);
  QTest::qWait(1500);
  QVERIFY2(healths.isEmpty(), "heartbeats must keep the view live");
  QCOMPARE(c->health(), StreamHealth::Connected);
}

void StreamClientTest::batchFramesAreHandledInOrder() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  QList<QString> topics;
  connect(c.get(), &StreamClient::deltaReceived, this,
          [&topics](const QString& topic, const QJsonObject&, qint64) { topics << topic; });
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  server.publish(QStringLiteral("access"), accessData(0));  // 101, a single message
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 1, 5000);
  // 102..104 in one frame, with 101 repeated in front (overlap): dropped as a duplicate.
  server.publishBatch(QStringLiteral("assets"), {accessData(1), accessData(2), accessData(3)}, -1, 101);
  server.publish(QStringLiteral("racks"), accessData(4));  // 105, single again
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 5, 5000);
  QCOMPARE(got.deltas, (QList<qint64>{101, 102, 103, 104, 105}));
  QCOMPARE(topics, (QStringList{"access", "assets", "assets", "assets", "racks"}));
  QCOMPARE(server.connections, 1);  // no gap, no reconnect
  QCOMPARE(c->health(), StreamHealth::Connected);
}

void StreamClientTest::dropsSeveralClientsAtOnce() {
  // Regression for the heap corruption: the fake server closes several sockets in one loop while their
  // disconnected handlers remove them from its list. Both clients come back and resume without a gap.
  FakeStream server(pki_.serverConfiguration());
  auto a = client();
  auto b = client();
  Received gotA(a.get());
  Received gotB(b.get());
  a->start(server.url());
  b->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(gotA.snapshots.size(), 1, 10000);
  QTRY_COMPARE_WITH_TIMEOUT(gotB.snapshots.size(), 1, 10000);
  for (int round = 0; round < 3; ++round) {
    server.publish(QStringLiteral("access"), accessData(round));
    server.dropClients();
    server.dropClients();  // a second loop over the same list while the first closes are in flight
    QTRY_COMPARE_WITH_TIMEOUT(server.connections, 2 * (round + 2), 10000);
  }
  QTRY_COMPARE_WITH_TIMEOUT(gotA.deltas.size(), 3, 10000);
  QTRY_COMPARE_WITH_TIMEOUT(gotB.deltas.size(), 3, 10000);
  QCOMPARE(gotA.deltas, (QList<qint64>{101, 102, 103}));
  QCOMPARE(gotB.deltas, (QList<qint64>{101, 102, 103}));
}

void StreamClientTest::gapInsideABatchResumesAndReplays() {
  FakeStream server(pki_.serverConfiguration());
  auto c = client();
  Received got(c.get());
  QSignalSpy gaps(c.get(), &StreamClient::gapDetected);
  c->start(server.url());
  QTRY_COMPARE_WITH_TIMEOUT(got.snapshots.size(), 1, 10000);
  // 101..104 in one frame but 102 lost: 101 is applied, the rest of the frame is dropped, and the client
  // reconnects with resume_from=101; the replay brings 102..104 in order.
  server.publishBatch(QStringLiteral("access"), {accessData(1), accessData(2), accessData(3), accessData(4)},
                      /*drop=*/1);
  QTRY_COMPARE_WITH_TIMEOUT(got.deltas.size(), 4, 10000);
  QCOMPARE(got.deltas, (QList<qint64>{101, 102, 103, 104}));
  QCOMPARE(gaps.size(), 1);
  QCOMPARE(server.resumeFroms, (QList<qint64>{101}));
  QCOMPARE(got.snapshots.size(), 1);
  // Malformed batches are reported, not applied.
  QSignalSpy errors(c.get(), &StreamClient::errorText);
  server.sendRaw(QStringLiteral(R"({"type":"batch","messages":{"not":"an array"}})"));
  server.sendRaw(QStringLiteral(R"({"type":"batch","messages":[7,{"type":"batch","messages":[]}]})"));
  QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 3, 5000);
  QCOMPARE(got.deltas.size(), 4);
}

QTEST_MAIN(StreamClientTest)
#include "stream_client_test.moc"
