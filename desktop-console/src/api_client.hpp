#pragma once
// REST client for the operator API (docs/operator-api.md): login, site, alarms, acknowledge/resolve and
// commands. TLS trusts only the site's CA (QSslConfiguration::setCaCertificates); errors are never ignored.
// Every request has a transfer timeout and every answer a size cap.
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSslConfiguration>
#include <QUrl>
#include <functional>

#include "live_types.hpp"
#include "site.hpp"

class QNetworkReply;

namespace portcullis::console {

struct ApiResult {
  bool ok = false;
  int status = 0;
  QJsonObject body;
  QString error;  // a message for the guard: the server's error.message, or the transport error
};

struct CommandOutcome {
  QString id;
  QString status;  // "sent" | "pending_approval"
  [[nodiscard]] bool pendingApproval() const { return status == QLatin1String("pending_approval"); }
};

// Builds an SSL configuration that trusts exactly the CA certificates in `caPemFile`.
std::optional<QSslConfiguration> pinnedSslConfiguration(const QString& caPemFile, QString* error);

class ApiClient : public QObject {
  Q_OBJECT
 public:
  explicit ApiClient(QObject* parent = nullptr);

  void setBaseUrl(const QUrl& url) { base_ = url; }
  [[nodiscard]] QUrl baseUrl() const { return base_; }
  [[nodiscard]] QUrl streamUrl() const;
  void setSslConfiguration(const QSslConfiguration& config) { ssl_ = config; }
  [[nodiscard]] const QSslConfiguration& sslConfiguration() const { return ssl_; }
  void setToken(const QByteArray& token) { token_ = token; }
  [[nodiscard]] QByteArray token() const { return token_; }
  [[nodiscard]] QString operatorName() const { return operatorName_; }
  [[nodiscard]] QString username() const { return username_; }
  [[nodiscard]] QString operatorRole() const { return operatorRole_; }
  void setTimeoutMs(int ms) { timeoutMs_ = ms; }

  using Done = std::function<void(const ApiResult&)>;
  void login(const QString& username, const QString& password, const QString& totp, Done done);
  void logout();
  void fetchSite(std::function<void(std::optional<Site>, QString error)> done);
  void fetchOpenAlarms(std::function<void(QVector<Alarm>, QString error)> done);
  // comment is required: an empty one is refused here without a request.
  void acknowledgeAlarm(const QString& alarmId, const QString& comment, Done done);
  void resolveAlarm(const QString& alarmId, const QString& comment, Done done);
  void sendCommand(const QString& target, const QString& command, const QString& reason,
                   std::function<void(std::optional<CommandOutcome>, QString error)> done);

  // One cheap authenticated request (GET /api/v1/alarms): the server counts it as activity.
  void touchSession(Done done);

  // An authenticated GET answered with a JSON object (e.g. GET /api/v1/audit/reports).
  void getJson(const QString& pathAndQuery, Done done);
  // An authenticated GET whose body is not JSON and may be long and streamed (an auditor report as CSV):
  // onData gets the body of a 2xx answer piece by piece as it arrives; done gets the outcome once (a 4xx or
  // 5xx with the server's error message; a body cut short, as when the server closes without the last chunk
  // because a report failed midway, is an error, never a short answer that looks whole; more than maxBytes
  // is an error too). The reply is returned so the caller can abort it (done then says so).
  QNetworkReply* getStream(const QString& pathAndQuery, const QByteArray& accept,
                           std::function<void(const QByteArray&)> onData, Done done, int timeoutMs,
                           qint64 maxBytes);

  static constexpr qint64 kMaxResponseBytes = 16 * 1024 * 1024;

 signals:
  // An authenticated request was accepted (the server counted it as activity) / refused with 401.
  void sessionTouched();
  void sessionRefused();

 private:
  void request(const QByteArray& verb, const QString& path, const QJsonObject* body, Done done);
  void alarmAction(const QString& alarmId, const char* action, const QString& comment, Done done);
  QNetworkAccessManager nam_;
  QUrl base_;
  QSslConfiguration ssl_;
  QByteArray token_;
  QString operatorName_;
  QString username_;
  QString operatorRole_;
  int timeoutMs_ = 15000;
};

}  // namespace portcullis::console
