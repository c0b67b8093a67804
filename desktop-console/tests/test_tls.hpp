#pragma once
// A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI in a temporary
// directory, so the tests run the console's real TLS path (CA pinning, no ignored errors).
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTemporaryDir>

namespace portcullis::console::test {

class TestPki {
 public:
  // Returns false with a message when openssl is missing or fails.
  bool make(QString* error) {
    if (!dir_.isValid()) return fail(error, QStringLiteral("no temporary directory"));
    QFile ext(path(QStringLiteral("ext.cnf")));
    if (!ext.open(QIODevice::WriteOnly)) return fail(error, QStringLiteral("cannot write ext.cnf"));
    ext.write(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage="
        "serverAuth\n");
    ext.close();
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    for (const auto* ca : {"ca", "otherca"}) {
      const auto name = QString::fromLatin1(ca);
      if (!run(QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec +
                   QStringList{QStringLiteral("-keyout"), path(name + QStringLiteral(".key")),
                               QStringLiteral("-out"), path(name + QStringLiteral(".crt")),
                               QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                               QStringLiteral("/CN=Portcullis test ") + name},
               error))
        return false;
    }
    if (!run(QStringList{QStringLiteral("req")} + ec +
                 QStringList{QStringLiteral("-keyout"), path(QStringLiteral("server.key")),
                             QStringLiteral("-out"), path(QStringLiteral("server.csr")),
                             QStringLiteral("-subj"), QStringLiteral("/CN=localhost")},
             error))
      return false;
    return run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                path(QStringLiteral("server.csr")), QStringLiteral("-CA"), path(QStringLiteral("ca.crt")),
                QStringLiteral("-CAkey"), path(QStringLiteral("ca.key")), QStringLiteral("-CAcreateserial"),
                QStringLiteral("-out"), path(QStringLiteral("server.crt")), QStringLiteral("-days"),
                QStringLiteral("2"), QStringLiteral("-extfile"), path(QStringLiteral("ext.cnf"))},
               error);
  }

  [[nodiscard]] QString path(const QString& name) const { return dir_.filePath(name); }
  [[nodiscard]] QString caFile() const { return path(QStringLiteral("ca.crt")); }
  [[nodiscard]] QString otherCaFile() const { return path(QStringLiteral("otherca.crt")); }

  [[nodiscard]] QSslConfiguration serverConfiguration() const {
    auto config = QSslConfiguration::defaultConfiguration();
    QFile certFile(path(QStringLiteral("server.crt")));
    QFile keyFile(path(QStringLiteral("server.key")));
    certFile.open(QIODevice::ReadOnly);
    keyFile.open(QIODevice::ReadOnly);
    config.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
    config.setPrivateKey(QSslKey(&keyFile, QSsl::Ec, QSsl::Pem));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);  // the server does not ask for a client certificate
    return config;
  }

 private:
  static bool fail(QString* error, const QString& message) {
    if (error != nullptr) *error = message;
    return false;
  }
  static bool run(const QStringList& args, QString* error) {
    QProcess p;
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
      return fail(error,
                  QStringLiteral("openssl %1 failed: %2")
                      .arg(args.join(QLatin1Char(' ')), QString::fromLocal8Bit(p.readAllStandardError())));
    return true;
  }
  QTemporaryDir dir_;
};

}  // namespace portcullis::console::test
