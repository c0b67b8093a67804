#include "live_wiring.hpp"

#include <QCoreApplication>
#include <cstdio>

#include "console_state.hpp"
#include "main_window.hpp"
#include "stream_client.hpp"

namespace portcullis::console {

void followStream(StreamClient& stream, ConsoleState& state, MainWindow& window) {
  QObject::connect(&stream, &StreamClient::healthChanged, &window, &MainWindow::setStreamHealth);
  QObject::connect(&stream, &StreamClient::snapshotReceived, &window,
                   [&window, &state, hadSnapshot = false](const QJsonObject& snapshot, qint64 seq) mutable {
                     window.noteMessage(seq);
                     state.applySnapshot(snapshot);
                     // A second snapshot means the server could not replay what we missed: state is right
                     // again, but access events from the gap are not in the log. Say so rather than let the
                     // log look complete.
                     if (hadSnapshot)
                       window.showStatus(QCoreApplication::translate(
                           "Console",
                           "Resynchronized from a snapshot: access events during the interruption may be "
                           "missing from the log."));
                     hadSnapshot = true;
                   });
  QObject::connect(&stream, &StreamClient::deltaReceived, &window,
                   [&window, &state](const QString& topic, const QJsonObject& data, qint64 seq) {
                     window.noteMessage(seq);
                     state.queueDelta(topic, data);
                   });
  QObject::connect(&stream, &StreamClient::errorText, &window, [&window](const QString& message) {
    std::fprintf(stderr, "stream: %s\n", qPrintable(message));
    window.showStatus(QCoreApplication::translate("Console", "Stream: %1").arg(message));
  });
}

}  // namespace portcullis::console
