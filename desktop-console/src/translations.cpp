#include "translations.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QTranslator>
#include <memory>

namespace portcullis::console {

QStringList consoleTranslationDirectories() {
  const QDir binary(QCoreApplication::applicationDirPath());
  return {binary.filePath(QStringLiteral("translations")),
          binary.filePath(QStringLiteral("../share/portcullis-console/translations"))};
}

namespace {

// The file QTranslator chose for the locale's languages (e.g. de_CH, then de), or empty.
QString loadFirst(QCoreApplication& app, const QLocale& locale, const QString& name,
                  const QStringList& directories) {
  for (const auto& directory : directories) {
    auto translator = std::make_unique<QTranslator>(&app);
    if (translator->load(locale, name, QStringLiteral("_"), directory)) {
      const auto file = translator->filePath();
      QCoreApplication::installTranslator(translator.release());
      return file;
    }
  }
  return {};
}

}  // namespace

LoadedTranslations installTranslations(QCoreApplication& app, const QLocale& locale,
                                       const QStringList& directories) {
  LoadedTranslations loaded;
  loaded.qt =
      loadFirst(app, locale, QStringLiteral("qtbase"), {QLibraryInfo::path(QLibraryInfo::TranslationsPath)});
  loaded.console = loadFirst(app, locale, QStringLiteral("portcullis-console"), directories);
  return loaded;
}

}  // namespace portcullis::console
