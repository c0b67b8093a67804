#include "stream_client.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>

namespace portcullis::console {

QString streamHealthName(StreamHealth h) {
  switch (h) {
    case StreamHealth::Disconnected: return QStringLiteral("DISCONNECTED");
    case StreamHealth::Connecting: return QStringLiteral("CONNECTING");
    case StreamHealth::Connected: return QStringLiteral("LIVE");
    case StreamHealth::Stale: return QStringLiteral("STALE");
  }
  return {};
}

StreamClient::StreamClient(QObject* parent) : QObject(parent) {
  staleTimer_.setSingleShot(true);
  deadTimer_.setSingleShot(true);
  setStaleTimeout(15000);
  connect(&staleTimer_, &QTimer::timeout, this, [this] {
    if (health_ == StreamHealth::Connected) setHealth(StreamHealth::Stale);
  });
  connect(&deadTimer_, &QTimer::timeout, this, [this] {
    // Nothing for twice the stale time, heartbeats included: replace the connection.
    if (socket_ != nullptr) socket_->abort();
  });
  reconnectTimer_.setSingleShot(true);
  connect(&reconnectTimer_, &QTimer::timeout, this, &StreamClient::openSocket);
  resyncTimer_.setSingleShot(true);
  resyncTimer_.setInterval(3000);
  connect(&resyncTimer_, &QTimer::timeout, this, [this] { resyncing_ = false; });
}

StreamClient::~StreamClient() {
  running_ = false;
  if (socket_ != nullptr) {
    socket_->disconnect(this);
    socket_->abort();
  }
}

void StreamClient::setBackoff(int initialMs, int maxMs) {
  initialBackoffMs_ = initialMs;
  maxBackoffMs_ = maxMs;
  backoffMs_ = initialMs;
}

void StreamClient::start(const QUrl& url) {
  url_ = url;
  running_ = true;
  openSocket();
}

void StreamClient::stop() {
  running_ = false;
  reconnectTimer_.stop();
  staleTimer_.stop();
  deadTimer_.stop();
  if (socket_ != nullptr) {
    socket_->disconnect(this);
    socket_->abort();
    socket_->deleteLater();
    socket_ = nullptr;
  }
  setHealth(StreamHealth::Disconnected);
}

void StreamClient::setHealth(StreamHealth h) {
  if (health_ == h) return;
  health_ = h;
  emit healthChanged(h);
}

void StreamClient::openSocket() {
  if (!running_) return;
  if (socket_ != nullptr) {
    socket_->disconnect(this);
    socket_->abort();
    socket_->deleteLater();
  }
  socket_ = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
  socket_->setMaxAllowedIncomingMessageSize(static_cast<quint64>(kMaxMessageBytes));
  socket_->setMaxAllowedIncomingFrameSize(static_cast<quint64>(kMaxMessageBytes));
  socket_->setSslConfiguration(ssl_);
  connect(socket_, &QWebSocket::connected, this, &StreamClient::onConnected);
  connect(socket_, &QWebSocket::disconnected, this, &StreamClient::onDisconnected);
  connect(socket_, &QWebSocket::textMessageReceived, this, &StreamClient::onMessage);
  connect(socket_, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
          [this](QAbstractSocket::SocketError) {
            if (socket_ != nullptr) emit errorText(socket_->errorString());
          });
  connect(socket_, &QWebSocket::sslErrors, this, [this](const QList<QSslError>& errors) {
    // Never ignored: the handshake fails and we retry later (the CA may be fixed meanwhile).
    QStringList parts;
    for (const auto& e : errors) parts << e.errorString();
    emit errorText(QStringLiteral("TLS: ") + parts.join(QStringLiteral("; ")));
  });
  QNetworkRequest request(url_);
  request.setRawHeader("Authorization", QByteArray("Bearer ") + token_);
  setHealth(StreamHealth::Connecting);
  socket_->open(request);
}

void StreamClient::onConnected() {
  resyncing_ = false;
  staleTimer_.start();
  deadTimer_.start();
  if (lastSeq_) resubscribe();  // resume where we left off instead of taking a fresh snapshot
  setHealth(StreamHealth::Connected);
}

void StreamClient::onDisconnected() {
  staleTimer_.stop();
  deadTimer_.stop();
  setHealth(StreamHealth::Disconnected);
  if (socket_ != nullptr) {
    socket_->deleteLater();
    socket_ = nullptr;
  }
  scheduleReconnect();
}

void StreamClient::scheduleReconnect() {
  if (!running_) return;
  ++reconnects_;
  const int jitter = static_cast<int>(QRandomGenerator::global()->bounded(backoffMs_ / 4 + 1));
  reconnectTimer_.start(backoffMs_ + jitter);
  backoffMs_ = std::min(backoffMs_ * 2, maxBackoffMs_);
}

void StreamClient::resubscribe() {
  if (socket_ == nullptr) return;
  QJsonObject msg{{"type", "subscribe"},
                  {"topics", QJsonArray{"doors", "access", "alarms", "zones", "assets"}}};
  if (lastSeq_) msg.insert(QStringLiteral("resume_from"), *lastSeq_);
  socket_->sendTextMessage(QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
  resyncing_ = true;
  resyncTimer_.start();
}

void StreamClient::onMessage(const QString& text) {
  staleTimer_.start();
  deadTimer_.start();
  backoffMs_ = initialBackoffMs_;  // the connection works: start the next backoff from scratch
  setHealth(StreamHealth::Connected);

  const auto doc = QJsonDocument::fromJson(text.toUtf8());
  if (!doc.isObject()) {
    emit errorText(QStringLiteral("stream: a message that is not a JSON object"));
    return;
  }
  const auto msg = doc.object();
  const auto type = msg.value(QLatin1String("type")).toString();
  const auto seqValue = msg.value(QLatin1String("seq"));
  if (!seqValue.isDouble()) {
    emit errorText(QStringLiteral("stream: message without seq"));
    return;
  }
  const qint64 seq = seqValue.toInteger();

  if (type == QLatin1String("snapshot")) {
    lastSeq_ = seq;
    resyncing_ = false;
    resyncTimer_.stop();
    emit snapshotReceived(msg, seq);
    return;
  }
  if (type == QLatin1String("heartbeat")) {
    // A heartbeat carries the latest seq (or the next one); anything beyond means we missed messages.
    if (lastSeq_ && seq > *lastSeq_ + 1 && !resyncing_) {
      emit gapDetected(*lastSeq_ + 1, seq);
      resubscribe();
    } else if (lastSeq_ && seq == *lastSeq_ + 1) {
      lastSeq_ = seq;
    }
    return;
  }
  if (type != QLatin1String("delta")) return;
  if (!lastSeq_) {
    // No snapshot yet: we cannot apply a delta to unknown state. Ask for the full state.
    if (!resyncing_) resubscribe();
    return;
  }
  if (seq <= *lastSeq_) return;  // already processed (replay overlap)
  if (seq > *lastSeq_ + 1) {
    if (!resyncing_) {
      emit gapDetected(*lastSeq_ + 1, seq);
      resubscribe();
    }
    return;  // dropped: the replay brings it again in order
  }
  lastSeq_ = seq;
  resyncing_ = false;
  resyncTimer_.stop();
  emit deltaReceived(msg.value(QLatin1String("topic")).toString(),
                     msg.value(QLatin1String("data")).toObject(), seq);
}

}  // namespace portcullis::console
