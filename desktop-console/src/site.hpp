#pragma once
// The facility as the console draws it: zones, portals, mantraps, racks and people. Read from
// `GET /api/v1/site` or, offline, from a portcullis site file (same ids, more fields; secrets ignored).
#include <QHash>
#include <QString>
#include <QVector>
#include <optional>

namespace portcullis::console {

// `label`: the site file's optional short name for the map (empty: the map shortens `name` itself).
struct SiteZone {
  QString id;
  QString name;
  QString label;
  QString parent;  // empty for a root
  int tier = 0;
};

struct SitePortal {
  QString id;
  QString name;
  QString label;
  QString from;
  QString to;
  QString kind;
  QString mantrap;  // mantrap id when the portal belongs to one
};

struct SiteRack {
  QString id;
  QString name;
  QString label;
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
  QString label;
  QString vestibule;
  QVector<QString> portals;
};

// Where a reader sits; only the site file says so. Used to tell entry from exit for presence.
struct SiteReader {
  QString portal;
  bool exit = false;
};

// A controller or reader device: what it serves (an alarm about the device is shown on those).
struct SiteDevice {
  QString id;
  QString name;
  QVector<QString> portals;
  QVector<QString> racks;
  QVector<QString> readers;
};

// A tamper seal, on a rack or on an asset.
struct SiteSeal {
  QString id;
  QString rack;
  QString asset;
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
  QVector<SiteDevice> devices;
  QVector<SiteSeal> seals;
  QHash<QString, QString> areaReaderZones;  // RFID readers placed in a zone, not on a portal or rack
  QHash<QString, QString> alarmResponses;   // alarm kind -> what the guard should do (site file)

  [[nodiscard]] const SiteZone* zone(const QString& id) const;
  [[nodiscard]] const SitePortal* portal(const QString& id) const;
  [[nodiscard]] const SiteRack* rack(const QString& id) const;
  [[nodiscard]] QString personName(const QString& id) const;
  [[nodiscard]] QVector<QString> childrenOf(const QString& zoneId) const;
  [[nodiscard]] bool isMantrapVestibule(const QString& zoneId) const;
  [[nodiscard]] const SiteMantrap* mantrap(const QString& id) const;
  [[nodiscard]] const SiteDevice* device(const QString& id) const;
  [[nodiscard]] const SiteSeal* seal(const QString& id) const;
  [[nodiscard]] QString rootZone() const;
  // Full names (tooltips, details, tables): the site's name, else the id.
  [[nodiscard]] QString zoneName(const QString& id) const;
  [[nodiscard]] QString portalName(const QString& id) const;
  [[nodiscard]] QString rackName(const QString& id) const;
};

// Short names for the map, one per entry of a group (portals, racks, zones): the site's label when there is
// one; else the name without the words it shares with another name of the group ("Compute hall mantrap, outer
// door" and "..., inner door" -> "…outer door", "…inner door"). The part that tells entries apart is kept.
QHash<QString, QString> shortNames(const QVector<std::pair<QString, QString>>& idAndName,
                                   const QHash<QString, QString>& labels);

// Parses either document shape. On failure returns nullopt and sets *error to a message naming the field.
std::optional<Site> parseSite(const QByteArray& json, QString* error);

}  // namespace portcullis::console
