#pragma once
// Everything `portcullis-console` does, so main() stays a one-liner and the tests can reach the same code.
#include <QImage>
#include <QSize>

namespace portcullis::console {

class MainWindow;

int runConsole(int argc, char** argv);

// Lays out, shows (offscreen is fine) and grabs the window at `size`.
QImage renderWindow(MainWindow& window, QSize size);

}  // namespace portcullis::console
