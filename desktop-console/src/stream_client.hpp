#pragma once
// Client of the live stream (wss://HOST/api/v1/stream, docs/operator-api.md).
// - Authenticates with `Authorization: Bearer <token>` on the handshake request, never in the URL.
// - Trusts only the CA given in the QSslConfiguration (the site's CA); TLS errors are never ignored.
// - Tracks `seq`: a delta must be last+1; an older one is a duplicate (dropped); a newer one is a gap,
// answered
//   by a subscribe with `resume_from` = last processed seq (the server replays, or sends a snapshot).
// - Accepts single messages and batch frames ({"type":"batch","messages":[...]}), whose messages are handled
//   one by one, in order, exactly like single ones.
// - Reconnects by itself with exponential backoff (and jitter), resuming from the last processed seq.
// - A refused session (HTTP 401 at the handshake, or a close with "session ended") stops the retries and
//   emits sessionRejected(): the console asks the guard to sign in again, then resumes from the last seq.
// - Health: Connected while messages arrive, Stale after the stale timeout (15 s) without any message
//   (heartbeats come every 5 s), Disconnected when the socket is closed. After twice the stale timeout the
//   connection is presumed dead and replaced.
#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <optional>

namespace portcullis::console {

enum class StreamHealth { Disconnected, Connecting, Connected, Stale };
QString streamHealthName(StreamHealth h);

class StreamClient : public QObject {
  Q_OBJECT
 public:
  explicit StreamClient(QObject* parent = nullptr);
  ~StreamClient() override;

  void setSslConfiguration(const QSslConfiguration& config) { ssl_ = config; }
  void setToken(const QByteArray& token) { token_ = token; }
  void setStaleTimeout(int ms) {
    staleTimer_.setInterval(ms);
    deadTimer_.setInterval(2 * ms);
  }
  void setBackoff(int initialMs, int maxMs);

  void start(const QUrl& url);
  void stop();

  [[nodiscard]] StreamHealth health() const { return health_; }
  [[nodiscard]] std::optional<qint64> lastSeq() const { return lastSeq_; }
  [[nodiscard]] int reconnects() const { return reconnects_; }
  [[nodiscard]] int nextBackoffMs() const { return backoffMs_; }
  static constexpr qint64 kMaxMessageBytes = 32 * 1024 * 1024;

 signals:
  void healthChanged(portcullis::console::StreamHealth health);
  void snapshotReceived(const QJsonObject& snapshot, qint64 seq);
  void deltaReceived(const QString& topic, const QJsonObject& data, qint64 seq);
  void gapDetected(qint64 expected, qint64 received);
  void errorText(const QString& message);
  // The server no longer accepts the session token (expired, ended, or never valid). Reconnecting has
  // stopped; sign in again, setToken() and start() to resume (lastSeq() is kept, so nothing is lost).
  void sessionRejected();

 private:
  void openSocket();
  void onConnected();
  void onDisconnected();
  void onMessage(const QString& text);
  void handleMessage(const QJsonObject& msg);
  void resync(qint64 expected, qint64 received);
  void setHealth(StreamHealth h);
  void scheduleReconnect();
  void retireSocket();

  QWebSocket* socket_ = nullptr;
  QSslConfiguration ssl_;
  QByteArray token_;
  QUrl url_;
  bool running_ = false;
  bool resyncing_ = false;  // a gap was seen: ignore deltas until the replay or snapshot arrives
  std::optional<qint64> lastSeq_;
  StreamHealth health_ = StreamHealth::Disconnected;
  QTimer staleTimer_;
  QTimer deadTimer_;
  QTimer reconnectTimer_;
  int initialBackoffMs_ = 1000;
  int maxBackoffMs_ = 30000;
  int backoffMs_ = 1000;
  int reconnects_ = 0;
};

}  // namespace portcullis::console
