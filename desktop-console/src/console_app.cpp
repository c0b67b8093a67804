#include "console_app.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "api_client.hpp"
#include "demo_state.hpp"
#include "dialogs.hpp"
#include "live_wiring.hpp"
#include "main_window.hpp"
#include "session_keeper.hpp"
#include "theme.hpp"
#include "totp.hpp"
#include "translations.hpp"

namespace portcullis::console {

namespace {

// The context of the console's own texts outside any window (command-line help, start-up errors, status).
class Console {
  Q_DECLARE_TR_FUNCTIONS(Console)
};

void settle(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

// Counts a person's input anywhere in the console (keys, clicks, wheel) as activity for the SessionKeeper.
// Mouse movement alone does not count: a bumped or drifting mouse must not keep a session open forever.
class ActivityFilter : public QObject {
 public:
  ActivityFilter(SessionKeeper* keeper, QObject* parent) : QObject(parent), keeper_(keeper) {}
  bool eventFilter(QObject* watched, QEvent* event) override {
    switch (event->type()) {
      case QEvent::KeyPress:
      case QEvent::MouseButtonPress:
      case QEvent::Wheel:
      case QEvent::TouchBegin: keeper_->operatorActive(); break;
      default: break;
    }
    return QObject::eventFilter(watched, event);
  }

 private:
  SessionKeeper* keeper_;
};

int fail(const QString& message) {
  std::fprintf(stderr, "portcullis-console: %s\n", qPrintable(message));
  return 2;
}

}  // namespace

QImage renderWindow(MainWindow& window, QSize size) {
  window.resize(size);
  window.show();
  settle(300);  // layouts, the map's fitInView and the first paint
  return window.grab().toImage();
}

int runConsole(int argc, char** argv) {
  // A screenshot needs no display: default to the offscreen platform unless the caller chose one.
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--screenshot") == 0 && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
      qputenv("QT_QPA_PLATFORM", "offscreen");

  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("portcullis-console"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
  applyWallTheme(app);
  // Before the first text is made: the command-line help below is translated too.
  const auto translations = installTranslations(app, QLocale(), consoleTranslationDirectories());
  if (!translations.console.isEmpty())
    std::fprintf(stderr, "portcullis-console: translation %s\n", qPrintable(translations.console));

  QCommandLineParser parser;
  parser.setApplicationDescription(Console::tr("Portcullis guard console"));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption serverOpt(QStringLiteral("server"),
                                     Console::tr("Server base URL, e.g. https://localhost:8443"),
                                     QStringLiteral("url"));
  const QCommandLineOption caOpt(QStringLiteral("ca"),
                                 Console::tr("PEM file with the site's CA (the only CA trusted)"),
                                 QStringLiteral("file"));
  const QCommandLineOption userOpt(QStringLiteral("user"), Console::tr("Prefill the sign-in username"),
                                   QStringLiteral("name"));
  const QCommandLineOption siteOpt(
      QStringLiteral("site-file"),
      Console::tr("Read zones, portals and racks from a site file (offline view, or "
                  "instead of GET /api/v1/site)"),
      QStringLiteral("file"));
  const QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                                   Console::tr("Render the main window to a PNG and exit"),
                                   QStringLiteral("file"));
  const QCommandLineOption sizeOpt(QStringLiteral("size"), Console::tr("Screenshot size (default 1920x1080)"),
                                   QStringLiteral("WxH"), QStringLiteral("1920x1080"));
  const QCommandLineOption demoOpt(QStringLiteral("demo-state"),
                                   Console::tr("Show a plausible live state (offline)"));
  const QCommandLineOption loginFileOpt(
      QStringLiteral("login-file"),
      Console::tr("Unattended demo sign-in: JSON {\"username\", \"password\", \"totp_secret\" (base32)}. "
                  "For demos and screenshots only: a real console never holds a TOTP secret"),
      QStringLiteral("file"));
  const QCommandLineOption waitOpt(
      QStringLiteral("wait"),
      Console::tr("With --server and --screenshot: seconds to wait for live data (default 20)"),
      QStringLiteral("seconds"), QStringLiteral("20"));
  parser.addOptions({serverOpt, caOpt, userOpt, siteOpt, shotOpt, sizeOpt, demoOpt, loginFileOpt, waitOpt});
  parser.process(app);

  ConsoleState state;
  if (parser.isSet(siteOpt)) {
    QFile f(parser.value(siteOpt));
    if (!f.open(QIODevice::ReadOnly)) return fail(Console::tr("cannot read %1").arg(f.fileName()));
    QString error;
    auto site = parseSite(f.read(64 * 1024 * 1024), &error);
    if (!site) return fail(QStringLiteral("%1: %2").arg(f.fileName(), error));
    state.setSite(*site);
  }

  QSize shotSize(1920, 1080);
  if (parser.isSet(shotOpt)) {
    const auto parts = parser.value(sizeOpt).split(QLatin1Char('x'));
    if (parts.size() == 2) shotSize = QSize(parts[0].toInt(), parts[1].toInt());
    if (shotSize.width() < 640 || shotSize.height() < 400 || shotSize.width() > 8192 ||
        shotSize.height() > 8192)
      return fail(Console::tr("--size must be between 640x400 and 8192x8192"));
  }

  if (!parser.isSet(serverOpt)) {
    if (!parser.isSet(siteOpt)) {
      parser.showHelp(2);
    }
    MainWindow window(&state, nullptr);
    if (parser.isSet(demoOpt)) {
      const auto seq = applyDemoState(state, QDateTime::currentDateTime());
      window.setStreamHealth(StreamHealth::Connected);
      window.noteMessage(seq);
      window.setOperator(QStringLiteral("guard.kim"), QStringLiteral("guard (demo)"));
      window.showDetails(QStringLiteral("rack"), QStringLiteral("rack-w01"));
    } else {
      window.setOfflineView(Console::tr("site file only — no server, no live state"));
    }
    if (parser.isSet(shotOpt)) {
      const auto image = renderWindow(window, shotSize);
      if (!image.save(parser.value(shotOpt), "PNG"))
        return fail(Console::tr("cannot write %1").arg(parser.value(shotOpt)));
      std::printf("wrote %s (%dx%d)\n", qPrintable(parser.value(shotOpt)), image.width(), image.height());
      return 0;
    }
    window.showMaximized();
    return QApplication::exec();
  }

  // Live: sign in, load the site, follow the stream.
  const QUrl base(parser.value(serverOpt));
  if (!base.isValid() || (base.scheme() != QLatin1String("https") && base.scheme() != QLatin1String("http")))
    return fail(Console::tr("--server must be an https:// URL"));
  ApiClient api;
  api.setBaseUrl(base);
  if (base.scheme() == QLatin1String("https")) {
    if (!parser.isSet(caOpt))
      return fail(Console::tr("--ca is required with an https server (the site's CA)"));
    QString error;
    const auto ssl = pinnedSslConfiguration(parser.value(caOpt), &error);
    if (!ssl) return fail(error);
    api.setSslConfiguration(*ssl);
  } else {
    std::fprintf(stderr, "portcullis-console: WARNING: plaintext http, for development only\n");
  }

  if (parser.isSet(loginFileOpt)) {
    QFile f(parser.value(loginFileOpt));
    if (!f.open(QIODevice::ReadOnly)) return fail(Console::tr("cannot read %1").arg(f.fileName()));
    const auto creds = QJsonDocument::fromJson(f.read(64 * 1024)).object();
    const auto secret = base32Decode(creds.value(QLatin1String("totp_secret")).toString());
    if (!secret || secret->isEmpty())
      return fail(Console::tr("%1: totp_secret must be base32").arg(f.fileName()));
    std::optional<ApiResult> result;
    api.login(
        creds.value(QLatin1String("username")).toString(), creds.value(QLatin1String("password")).toString(),
        totpCode(*secret, QDateTime::currentSecsSinceEpoch()), [&result](const ApiResult& r) { result = r; });
    QEventLoop wait;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &wait, [&] {
      if (result) wait.quit();
    });
    poll.start(50);
    wait.exec();
    if (!result->ok) return fail(Console::tr("sign-in failed: %1").arg(result->error));
  } else {
    LoginDialog login(&api, base.toString());
    if (parser.isSet(userOpt)) login.setUsername(parser.value(userOpt));
    if (login.exec() != QDialog::Accepted) return 1;
  }

  MainWindow window(&state, &api);
  window.setOperator(api.operatorName(), api.operatorRole());
  StreamClient stream;
  stream.setSslConfiguration(api.sslConfiguration());
  stream.setToken(api.token());
  followStream(stream, state, window);
  auto startStream = [&] { stream.start(api.streamUrl()); };

  // The server's idle limit (docs/console.md, "Session and idle"): refresh the session only for a person who
  // uses the console, warn before it ends, and when it has ended say so and offer to sign in again.
  QElapsedTimer monotonic;
  monotonic.start();
  SessionKeeper keeper([&monotonic] { return monotonic.elapsed(); });
  ActivityFilter activity(&keeper, &app);
  app.installEventFilter(&activity);
  QObject::connect(&api, &ApiClient::sessionTouched, &window, [&keeper] { keeper.serverTouched(); });
  bool signingIn = false;
  auto sessionGone = [&] {
    keeper.expired();
    stream.stop();
    window.setSessionExpired(true);
    window.showStatus(Console::tr("Session ended or expired: sign in again to resume the live view."));
  };
  auto signInAgain = [&] {
    if (parser.isSet(shotOpt) || signingIn) return;  // unattended: no one to ask
    signingIn = true;
    LoginDialog again(&api, base.toString(), &window);
    again.setUsername(api.username());
    const bool ok = again.exec() == QDialog::Accepted;
    signingIn = false;
    if (!ok) return;  // the banner keeps saying SESSION EXPIRED, with its Sign in button
    keeper.signedIn();
    window.setSessionExpired(false);
    window.setOperator(api.operatorName(), api.operatorRole());
    stream.setToken(api.token());
    startStream();  // resumes from the last processed seq: nothing is lost
  };
  QObject::connect(&stream, &StreamClient::sessionRejected, &window, [&] {
    sessionGone();
    signInAgain();
  });
  QObject::connect(&api, &ApiClient::sessionRefused, &window, [&] {
    if (keeper.isExpired()) return;
    sessionGone();
    signInAgain();
  });
  QObject::connect(&window, &MainWindow::signInRequested, &window, [&] { signInAgain(); });
  QTimer sessionTimer;
  sessionTimer.setInterval(5000);
  QObject::connect(&sessionTimer, &QTimer::timeout, &window, [&] {
    if (keeper.shouldRefresh()) api.touchSession([](const ApiResult&) {});
    window.setSessionEnding(keeper.warning(), keeper.remainingMs());
  });
  sessionTimer.start();
  if (parser.isSet(siteOpt)) {
    startStream();
  } else {
    api.fetchSite([&](std::optional<Site> site, const QString& error) {
      if (!site) {
        window.setOfflineView(Console::tr("cannot load the site: %1").arg(error));
        return;
      }
      state.setSite(*site);
      startStream();
    });
  }
  if (parser.isSet(shotOpt)) {
    // Live screenshot (e.g. scripts/demo under Xvfb): wait for the first snapshot, let a few batches land.
    bool live = false;
    QObject::connect(&stream, &StreamClient::snapshotReceived, &window, [&live] { live = true; });
    window.resize(shotSize);
    window.show();
    QElapsedTimer waited;
    waited.start();
    const qint64 limit = 1000LL * std::clamp(parser.value(waitOpt).toInt(), 1, 600);
    while (!live && waited.elapsed() < limit) settle(100);
    settle(1500);
    const auto image = window.grab().toImage();
    stream.stop();
    api.logout();
    settle(300);
    if (!image.save(parser.value(shotOpt), "PNG"))
      return fail(Console::tr("cannot write %1").arg(parser.value(shotOpt)));
    std::printf("wrote %s (%dx%d)%s\n", qPrintable(parser.value(shotOpt)), image.width(), image.height(),
                live ? "" : " WITHOUT live data");
    return live ? 0 : 3;
  }
  QObject::connect(&app, &QApplication::aboutToQuit, &api, [&] {
    stream.stop();
    api.logout();
  });
  window.showMaximized();
  return QApplication::exec();
}

}  // namespace portcullis::console
