#include "api_client.hpp"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>

namespace portcullis::console {

std::optional<QSslConfiguration> pinnedSslConfiguration(const QString& caPemFile, QString* error) {
  QFile f(caPemFile);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error != nullptr)
      *error = QCoreApplication::translate("ApiClient", "cannot read CA file %1: %2")
                   .arg(caPemFile, f.errorString());
    return std::nullopt;
  }
  const auto certs = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
  if (certs.isEmpty()) {
    if (error != nullptr)
      *error = QCoreApplication::translate("ApiClient", "no PEM certificate in %1").arg(caPemFile);
    return std::nullopt;
  }
  auto config = QSslConfiguration::defaultConfiguration();
  config.setCaCertificates(certs);  // only the site's CA: the system store is not consulted
  config.setPeerVerifyMode(QSslSocket::VerifyPeer);
  config.setProtocol(QSsl::TlsV1_2OrLater);
  return config;
}

ApiClient::ApiClient(QObject* parent) : QObject(parent) {
  nam_.setStrictTransportSecurityEnabled(true);
}

QUrl ApiClient::streamUrl() const {
  QUrl u = base_;
  u.setScheme(base_.scheme() == QLatin1String("http") ? QStringLiteral("ws") : QStringLiteral("wss"));
  u.setPath(QStringLiteral("/api/v1/stream"));
  return u;
}

void ApiClient::request(const QByteArray& verb, const QString& path, const QJsonObject* body, Done done) {
  QUrl url = base_;
  const auto query = path.indexOf(QLatin1Char('?'));
  url.setPath(query < 0 ? path : path.left(query));
  if (query >= 0) url.setQuery(path.mid(query + 1));
  QNetworkRequest req(url);
  if (url.scheme() == QLatin1String("https")) req.setSslConfiguration(ssl_);
  req.setTransferTimeout(timeoutMs_);
  req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
  req.setRawHeader("Accept", "application/json");
  // Login carries no bearer token (an old one would mean nothing), and its 401 is about the password.
  const bool authenticated = !token_.isEmpty() && path != QLatin1String("/api/v1/auth/login");
  if (authenticated) req.setRawHeader("Authorization", QByteArray("Bearer ") + token_);
  QByteArray payload;
  if (body != nullptr) {
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    payload = QJsonDocument(*body).toJson(QJsonDocument::Compact);
  }
  QNetworkReply* reply = nam_.sendCustomRequest(req, verb, payload);
  connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
    if (received > kMaxResponseBytes) reply->abort();
  });
  connect(reply, &QNetworkReply::finished, this, [this, reply, authenticated, done = std::move(done)] {
    reply->deleteLater();
    ApiResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const auto bytes = reply->readAll();
    const auto doc = QJsonDocument::fromJson(bytes);
    if (doc.isObject()) r.body = doc.object();
    if (r.status == 0) {
      r.error = reply->errorString();
    } else if (r.status >= 200 && r.status < 300) {
      r.ok = true;
    } else {
      const auto err = r.body.value(QLatin1String("error")).toObject();
      r.error = err.value(QLatin1String("message")).toString();
      if (r.error.isEmpty()) r.error = tr("HTTP %1").arg(r.status);
    }
    // Each authenticated request the server accepts counts as session activity there; a 401 to one means
    // the session is gone. The console's SessionKeeper follows both.
    if (authenticated && r.ok) emit sessionTouched();
    if (authenticated && r.status == 401) emit sessionRefused();
    done(r);
  });
}

void ApiClient::login(const QString& username, const QString& password, const QString& totp, Done done) {
  const QJsonObject body{{"username", username}, {"password", password}, {"totp", totp}};
  request("POST", QStringLiteral("/api/v1/auth/login"), &body,
          [this, username, done = std::move(done)](const ApiResult& r) {
            ApiResult out = r;
            if (r.ok) {
              username_ = username;
              token_ = r.body.value(QLatin1String("token")).toString().toUtf8();
              const auto op = r.body.value(QLatin1String("operator")).toObject();
              operatorName_ = op.value(QLatin1String("name")).toString();
              operatorRole_ = op.value(QLatin1String("role")).toString();
              if (token_.isEmpty()) {
                out.ok = false;
                out.error = tr("the server answered without a token");
              }
            }
            done(out);
          });
}

void ApiClient::logout() {
  if (token_.isEmpty()) return;
  const QJsonObject body;
  request("POST", QStringLiteral("/api/v1/auth/logout"), &body, [](const ApiResult&) {});
  token_.clear();
}

void ApiClient::touchSession(Done done) {
  request("GET", QStringLiteral("/api/v1/alarms?state=open"), nullptr, std::move(done));
}

void ApiClient::getJson(const QString& pathAndQuery, Done done) {
  request("GET", pathAndQuery, nullptr, std::move(done));
}

QNetworkReply* ApiClient::getStream(const QString& pathAndQuery, const QByteArray& accept,
                                    std::function<void(const QByteArray&)> onData, Done done, int timeoutMs,
                                    qint64 maxBytes) {
  QUrl url = base_;
  const auto query = pathAndQuery.indexOf(QLatin1Char('?'));
  url.setPath(query < 0 ? pathAndQuery : pathAndQuery.left(query));
  if (query >= 0) url.setQuery(pathAndQuery.mid(query + 1));
  QNetworkRequest req(url);
  if (url.scheme() == QLatin1String("https")) req.setSslConfiguration(ssl_);
  req.setTransferTimeout(timeoutMs);  // time without any byte, not the whole transfer
  req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
  req.setRawHeader("Accept", accept);
  const bool authenticated = !token_.isEmpty();
  if (authenticated) req.setRawHeader("Authorization", QByteArray("Bearer ") + token_);
  QNetworkReply* reply = nam_.get(req);
  // The body of an error answer is kept (it is small JSON); a 2xx body goes to onData as it comes.
  auto errorBody = std::make_shared<QByteArray>();
  auto received = std::make_shared<qint64>(0);
  auto tooLarge = std::make_shared<bool>(false);
  connect(reply, &QNetworkReply::readyRead, this,
          [reply, onData = std::move(onData), errorBody, received, tooLarge, maxBytes] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const auto bytes = reply->readAll();
            *received += bytes.size();
            if (*received > maxBytes) {
              *tooLarge = true;
              reply->abort();
              return;
            }
            if (status >= 200 && status < 300)
              onData(bytes);
            else if (errorBody->size() < 65536)
              errorBody->append(bytes);
          });
  connect(reply, &QNetworkReply::finished, this,
          [this, reply, authenticated, done = std::move(done), errorBody, tooLarge, maxBytes] {
            reply->deleteLater();
            ApiResult r;
            r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (*tooLarge) {
              r.error =
                  tr("more than %1 MiB: narrow the period or the filters").arg(maxBytes / (1024 * 1024));
            } else if (r.status >= 200 && r.status < 300) {
              // The status came, but the body may have been cut short (no final chunk) or cancelled.
              if (reply->error() == QNetworkReply::NoError)
                r.ok = true;
              else if (reply->error() == QNetworkReply::OperationCanceledError)
                r.error = tr("cancelled");
              else
                r.error = tr("the answer was cut short (%1)").arg(reply->errorString());
            } else if (r.status == 0) {
              r.error = reply->error() == QNetworkReply::OperationCanceledError ? tr("cancelled")
                                                                                : reply->errorString();
            } else {
              errorBody->append(reply->readAll());
              const auto doc = QJsonDocument::fromJson(*errorBody);
              if (doc.isObject()) r.body = doc.object();
              r.error =
                  r.body.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
              if (r.error.isEmpty()) r.error = tr("HTTP %1").arg(r.status);
            }
            if (authenticated && r.status >= 200 && r.status < 300) emit sessionTouched();
            if (authenticated && r.status == 401) emit sessionRefused();
            done(r);
          });
  return reply;
}

void ApiClient::fetchSite(std::function<void(std::optional<Site>, QString)> done) {
  request("GET", QStringLiteral("/api/v1/site"), nullptr, [done = std::move(done)](const ApiResult& r) {
    if (!r.ok) return done(std::nullopt, r.error);
    QString error;
    auto site = parseSite(QJsonDocument(r.body).toJson(QJsonDocument::Compact), &error);
    done(std::move(site), error);
  });
}

void ApiClient::fetchOpenAlarms(std::function<void(QVector<Alarm>, QString)> done) {
  request("GET", QStringLiteral("/api/v1/alarms?state=open"), nullptr,
          [done = std::move(done)](const ApiResult& r) {
            QVector<Alarm> alarms;
            for (const auto& v : r.body.value(QLatin1String("alarms")).toArray())
              alarms.push_back(parseAlarm(v.toObject()));
            done(alarms, r.ok ? QString() : r.error);
          });
}

void ApiClient::alarmAction(const QString& alarmId, const char* action, const QString& comment, Done done) {
  if (comment.trimmed().isEmpty()) {
    ApiResult r;
    r.error = tr("a comment is required");
    done(r);
    return;
  }
  const QJsonObject body{{"comment", comment.trimmed()}};
  const auto path = QStringLiteral("/api/v1/alarms/%1/%2")
                        .arg(QString::fromLatin1(QUrl::toPercentEncoding(alarmId)), QLatin1String(action));
  request("POST", path, &body, std::move(done));
}

void ApiClient::acknowledgeAlarm(const QString& alarmId, const QString& comment, Done done) {
  alarmAction(alarmId, "acknowledge", comment, std::move(done));
}

void ApiClient::resolveAlarm(const QString& alarmId, const QString& comment, Done done) {
  alarmAction(alarmId, "resolve", comment, std::move(done));
}

void ApiClient::sendCommand(const QString& target, const QString& command, const QString& reason,
                            std::function<void(std::optional<CommandOutcome>, QString)> done) {
  if (reason.trimmed().isEmpty()) return done(std::nullopt, tr("a reason is required"));
  // Door commands go to /api/v1/commands. Zone lockdown and release: the contract lists them there too, but
  // portcullisd serves them as policy actions at /api/v1/lockdown and /api/v1/lockdown/release with
  // {"zone", "reason"} (server/api/src/operator_api.cpp), so that is where they go.
  const bool zoneAction = command == QLatin1String("lockdown") || command == QLatin1String("release");
  const QJsonObject body =
      zoneAction ? QJsonObject{{"zone", target}, {"reason", reason.trimmed()}}
                 : QJsonObject{{"target", target}, {"command", command}, {"reason", reason.trimmed()}};
  const QString path = !zoneAction                            ? QStringLiteral("/api/v1/commands")
                       : command == QLatin1String("lockdown") ? QStringLiteral("/api/v1/lockdown")
                                                              : QStringLiteral("/api/v1/lockdown/release");
  request("POST", path, &body, [done = std::move(done)](const ApiResult& r) {
    if (!r.ok) return done(std::nullopt, r.error);
    CommandOutcome c;
    QJsonObject answer = r.body;
    if (!answer.contains(QLatin1String("status")) && answer.value(QLatin1String("outcome")).isObject())
      answer = answer.value(QLatin1String("outcome")).toObject();
    const auto id = answer.value(QLatin1String("id"));
    c.id = id.isDouble() ? QString::number(id.toInteger()) : id.toString();
    c.status = answer.value(QLatin1String("status")).toString(QStringLiteral("sent"));
    done(c, QString());
  });
}

}  // namespace portcullis::console
