#include "stream_client.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QUrlQuery>

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
  backoffMs_ = initialBackoffMs_;
  running_ = true;
  openSocket();
}

void StreamClient::retireSocket() {
  if (socket_ == nullptr) return;
  // Often called from inside one of the socket's own signals (a gap found in textMessageReceived, a session
  // refused in a handler of deltaReceived): abort() there would tear down the socket while QWebSocket is
  // still reading its frame. Cut it off from this client now and abort it from the event loop.
  QWebSocket* old = socket_;
  socket_ = nullptr;
  old->disconnect(this);
  QMetaObject::invokeMethod(
      old,
      [old] {
        old->abort();
        old->deleteLater();
      },
      Qt::QueuedConnection);
}

void StreamClient::stop() {
  running_ = false;
  reconnectTimer_.stop();
  staleTimer_.stop();
  deadTimer_.stop();
  retireSocket();
  setHealth(StreamHealth::Disconnected);
}

void StreamClient::setHealth(StreamHealth h) {
  if (health_ == h) return;
  health_ = h;
  emit healthChanged(h);
}

void StreamClient::openSocket() {
  if (!running_) return;
  retireSocket();
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
    emit errorText(tr("TLS: %1").arg(parts.join(QStringLiteral("; "))));
  });
  QUrl url = url_;
  if (lastSeq_) {
    QUrlQuery query(url);
    query.removeAllQueryItems(QStringLiteral("resume_from"));
    query.addQueryItem(QStringLiteral("resume_from"), QString::number(*lastSeq_));
    url.setQuery(query);
  }
  resyncing_ = false;
  QNetworkRequest request(url);
  request.setRawHeader("Authorization", QByteArray("Bearer ") + token_);
  setHealth(StreamHealth::Connecting);
  socket_->open(request);
}

void StreamClient::onConnected() {
  staleTimer_.start();
  deadTimer_.start();
  setHealth(StreamHealth::Connected);
}

void StreamClient::onDisconnected() {
  staleTimer_.stop();
  deadTimer_.stop();
  setHealth(StreamHealth::Disconnected);
  bool sessionGone = false;
  if (socket_ != nullptr) {
    // The server refuses the handshake with 401 when the session expired or ended, or closes a live stream
    // with "session ended". Retrying with the same token cannot help: stop and ask for a new sign-in.
    const auto reason = socket_->closeReason();
    const auto error = socket_->errorString();
    sessionGone = reason.contains(QLatin1String("session"), Qt::CaseInsensitive) ||
                  reason.contains(QLatin1String("unauthorized"), Qt::CaseInsensitive) ||
                  error.contains(QLatin1String("401"));
    socket_->deleteLater();
    socket_ = nullptr;
  }
  if (sessionGone && running_) {
    running_ = false;
    emit sessionRejected();
    return;
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

void StreamClient::resync(qint64 expected, qint64 received) {
  if (resyncing_) return;
  resyncing_ = true;
  emit gapDetected(expected, received);
  // Reconnect at once with resume_from = the last seq we processed: the server replays what we missed, or
  // sends a snapshot when that is older than its replay window.
  retireSocket();
  staleTimer_.stop();
  deadTimer_.stop();
  setHealth(StreamHealth::Connecting);
  ++reconnects_;
  reconnectTimer_.start(0);
}

void StreamClient::onMessage(const QString& text) {
  staleTimer_.start();
  deadTimer_.start();
  backoffMs_ = initialBackoffMs_;  // the connection works: start the next backoff from scratch
  setHealth(StreamHealth::Connected);

  const auto doc = QJsonDocument::fromJson(text.toUtf8());
  if (!doc.isObject()) {
    emit errorText(tr("stream: a message that is not a JSON object"));
    return;
  }
  const auto msg = doc.object();
  if (msg.value(QLatin1String("type")).toString() != QLatin1String("batch")) {
    handleMessage(msg);
    return;
  }
  // {"type":"batch","messages":[...]}: several messages in one frame, handled one by one in order, exactly
  // as if each had come in its own frame. A gap inside a batch drops the rest of it (the connection is
  // replaced and the replay brings them again, in order).
  const auto inner = msg.value(QLatin1String("messages"));
  if (!inner.isArray()) {
    emit errorText(tr("stream: batch without a messages array"));
    return;
  }
  const auto messages = inner.toArray();
  for (const auto& v : messages) {
    if (!v.isObject()) {
      emit errorText(tr("stream: a batch message that is not a JSON object"));
      continue;
    }
    const auto one = v.toObject();
    if (one.value(QLatin1String("type")).toString() == QLatin1String("batch")) {
      emit errorText(tr("stream: nested batch ignored"));
      continue;
    }
    handleMessage(one);
    if (resyncing_ || !running_) break;
  }
}

void StreamClient::handleMessage(const QJsonObject& msg) {
  const auto type = msg.value(QLatin1String("type")).toString();
  const auto seqValue = msg.value(QLatin1String("seq"));
  if (!seqValue.isDouble()) {
    emit errorText(tr("stream: message without seq"));
    return;
  }
  const qint64 seq = seqValue.toInteger();

  if (type == QLatin1String("snapshot")) {
    lastSeq_ = seq;
    resyncing_ = false;
    emit snapshotReceived(msg, seq);
    return;
  }
  if (type == QLatin1String("heartbeat")) {
    // A heartbeat carries the latest seq (or the next one); anything beyond means we missed messages.
    if (lastSeq_ && seq > *lastSeq_ + 1) {
      resync(*lastSeq_ + 1, seq);
    } else if (lastSeq_ && seq == *lastSeq_ + 1) {
      lastSeq_ = seq;
    }
    return;
  }
  if (type != QLatin1String("delta")) return;
  if (resyncing_) return;  // waiting for the replay or snapshot on the new connection
  if (!lastSeq_) {
    // No snapshot yet: a delta cannot be applied to unknown state. Reconnect without resume: a snapshot.
    resync(0, seq);
    return;
  }
  if (seq <= *lastSeq_) return;  // already processed (replay overlap)
  if (seq > *lastSeq_ + 1) {
    resync(*lastSeq_ + 1, seq);
    return;  // dropped: the replay brings it again, in order
  }
  lastSeq_ = seq;
  emit deltaReceived(msg.value(QLatin1String("topic")).toString(),
                     msg.value(QLatin1String("data")).toObject(), seq);
}

}  // namespace portcullis::console
