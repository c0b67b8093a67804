#pragma once
// The console's words in the person's language: Qt translation files (.qm) looked up at start-up.
#include <QLocale>
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace portcullis::console {

// Where the console looks for portcullis-console_<language>.qm, first match wins: "translations" next to the
// binary, then the share folder of an installed tree (<prefix>/share/portcullis-console/translations).
QStringList consoleTranslationDirectories();

struct LoadedTranslations {
  QString console;  // the file of the console's own texts, empty if none was found for the language
  QString qt;       // Qt's own (standard buttons, the command-line help), empty if none
};

// Installs the console's and Qt's translations for `locale` into `app` (the translators live as long as it).
// A missing or unreadable file is not an error: the console then shows its English source texts.
LoadedTranslations installTranslations(QCoreApplication& app, const QLocale& locale,
                                       const QStringList& directories);

}  // namespace portcullis::console
