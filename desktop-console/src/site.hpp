#pragma once
// The facility as the console draws it: zones, portals, mantraps, racks and people. Read from
// `GET /api/v1/site` or, offline, from a portcullis site file (same ids, more fields; secrets ignored).
#include <QHash>
#include <QString>
#include <QVector>
#include <optional>

namespace portcullis::console {

struct SiteZone {
  QString id;
  QString name;
  QString parent;  // empty for a root
  int tier = 0;
};

struct SitePortal {
  QString id;
  QString name;
  QString from;
  QString to;
  QString kind;
  QString mantrap;  // mantrap id when the portal belongs to one
};

struct SiteRack {
  QString id;
  QString name;
  QString zone;
  int tier = 0;
  bool twoPerson = false;
};

struct SitePerson {
  QString id;
  QString name;
};

struct SiteMantrap {
  QString id;
  QString vestibule;
  QVector<QString> portals;
};

// Where a reader sits; only the site file says so. Used to tell entry from exit for presence.
struct SiteReader {
  QString portal;
  bool exit = false;
};

struct Site {
  QString siteId;
  QString name;
  QString version;
  QVector<SiteZone> zones;
  QVector<SitePortal> portals;
  QVector<SiteRack> racks;
  QVector<SitePerson> people;
  QVector<SiteMantrap> mantraps;
  QHash<QString, SiteReader> readers;

  [[nodiscard]] const SiteZone* zone(const QString& id) const;
  [[nodiscard]] const SitePortal* portal(const QString& id) const;
  [[nodiscard]] const SiteRack* rack(const QString& id) const;
  [[nodiscard]] QString personName(const QString& id) const;
  [[nodiscard]] QVector<QString> childrenOf(const QString& zoneId) const;
  [[nodiscard]] bool isMantrapVestibule(const QString& zoneId) const;
};

// Parses either document shape. On failure returns nullopt and sets *error to a message naming the field.
std::optional<Site> parseSite(const QByteArray& json, QString* error);

}  // namespace portcullis::console
