#include "site.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace portcullis::console {

const SiteZone* Site::zone(const QString& id) const {
  for (const auto& z : zones)
    if (z.id == id) return &z;
  return nullptr;
}

const SitePortal* Site::portal(const QString& id) const {
  for (const auto& p : portals)
    if (p.id == id) return &p;
  return nullptr;
}

const SiteRack* Site::rack(const QString& id) const {
  for (const auto& r : racks)
    if (r.id == id) return &r;
  return nullptr;
}

QString Site::personName(const QString& id) const {
  for (const auto& p : people)
    if (p.id == id) return p.name;
  return {};
}

QVector<QString> Site::childrenOf(const QString& zoneId) const {
  QVector<QString> out;
  for (const auto& z : zones)
    if (z.parent == zoneId) out.push_back(z.id);
  return out;
}

bool Site::isMantrapVestibule(const QString& zoneId) const {
  for (const auto& m : mantraps)
    if (m.vestibule == zoneId) return true;
  return false;
}

namespace {

bool fail(QString* error, const QString& message) {
  if (error != nullptr) *error = message;
  return false;
}

bool requireString(const QJsonObject& o, const char* key, const QString& path, QString* out, QString* error) {
  const auto v = o.value(QLatin1String(key));
  if (!v.isString() || v.toString().isEmpty())
    return fail(error, QStringLiteral("%1.%2: expected a non-empty string").arg(path, QLatin1String(key)));
  *out = v.toString();
  return true;
}

}  // namespace

std::optional<Site> parseSite(const QByteArray& json, QString* error) {
  QJsonParseError pe{};
  const auto doc = QJsonDocument::fromJson(json, &pe);
  if (pe.error != QJsonParseError::NoError) {
    fail(error, QStringLiteral("$: not JSON (%1 at offset %2)").arg(pe.errorString()).arg(pe.offset));
    return std::nullopt;
  }
  if (!doc.isObject()) {
    fail(error, QStringLiteral("$: expected an object"));
    return std::nullopt;
  }
  const auto root = doc.object();
  Site site;
  site.siteId = root.value(QLatin1String("site_id")).toString();
  site.name = root.value(QLatin1String("name")).toString();
  site.version = root.value(QLatin1String("version")).toString();

  const auto zones = root.value(QLatin1String("zones")).toArray();
  if (zones.isEmpty()) {
    fail(error, QStringLiteral("$.zones: expected a non-empty array"));
    return std::nullopt;
  }
  for (qsizetype i = 0; i < zones.size(); ++i) {
    const auto o = zones[i].toObject();
    const auto path = QStringLiteral("$.zones[%1]").arg(i);
    SiteZone z;
    if (!requireString(o, "id", path, &z.id, error)) return std::nullopt;
    z.name = o.value(QLatin1String("name")).toString(z.id);
    z.parent = o.value(QLatin1String("parent")).toString();
    z.tier = o.value(QLatin1String("tier")).toInt(0);
    site.zones.push_back(z);
  }
  QSet<QString> zoneIds;
  for (const auto& z : site.zones) zoneIds.insert(z.id);
  for (qsizetype i = 0; i < site.zones.size(); ++i) {
    const auto& z = site.zones[i];
    if (!z.parent.isEmpty() && !zoneIds.contains(z.parent)) {
      fail(error, QStringLiteral("$.zones[%1].parent: unknown zone '%2'").arg(i).arg(z.parent));
      return std::nullopt;
    }
  }
  // A parent cycle would make the map layout recurse forever: reject it here.
  for (const auto& z : site.zones) {
    QString cur = z.parent;
    int steps = 0;
    while (!cur.isEmpty()) {
      if (++steps > site.zones.size()) {
        fail(error, QStringLiteral("$.zones: parent cycle through '%1'").arg(z.id));
        return std::nullopt;
      }
      cur = site.zone(cur)->parent;
    }
  }

  const auto portals = root.value(QLatin1String("portals")).toArray();
  for (qsizetype i = 0; i < portals.size(); ++i) {
    const auto o = portals[i].toObject();
    const auto path = QStringLiteral("$.portals[%1]").arg(i);
    SitePortal p;
    if (!requireString(o, "id", path, &p.id, error)) return std::nullopt;
    p.name = o.value(QLatin1String("name")).toString(p.id);
    p.from = o.value(QLatin1String("from")).toString();
    p.to = o.value(QLatin1String("to")).toString();
    p.kind = o.value(QLatin1String("kind")).toString(QStringLiteral("door"));
    // The API gives "mantrap" on the portal (a string id, or true); the site file lists mantraps apart.
    const auto m = o.value(QLatin1String("mantrap"));
    if (m.isString()) p.mantrap = m.toString();
    if (m.isBool() && m.toBool()) p.mantrap = QStringLiteral("mantrap");
    for (const auto& r : o.value(QLatin1String("readers")).toArray()) {
      const auto ro = r.toObject();
      const auto rid = ro.value(QLatin1String("id")).toString();
      if (!rid.isEmpty())
        site.readers.insert(
            rid, SiteReader{p.id, ro.value(QLatin1String("side")).toString() == QLatin1String("exit")});
    }
    site.portals.push_back(p);
  }

  for (const auto& mv : root.value(QLatin1String("mantraps")).toArray()) {
    const auto o = mv.toObject();
    SiteMantrap m;
    m.id = o.value(QLatin1String("id")).toString();
    m.vestibule = o.value(QLatin1String("vestibule")).toString();
    for (const auto& pv : o.value(QLatin1String("portals")).toArray()) m.portals.push_back(pv.toString());
    for (auto& p : site.portals)
      if (m.portals.contains(p.id)) p.mantrap = m.id;
    site.mantraps.push_back(m);
  }
  // From the API shape: infer the vestibule as the zone shared by a mantrap's portals.
  if (site.mantraps.isEmpty()) {
    QHash<QString, QVector<const SitePortal*>> byMantrap;
    for (const auto& p : site.portals)
      if (!p.mantrap.isEmpty()) byMantrap[p.mantrap].push_back(&p);
    for (auto it = byMantrap.cbegin(); it != byMantrap.cend(); ++it) {
      SiteMantrap m;
      m.id = it.key();
      QHash<QString, int> seen;
      for (const auto* p : it.value()) {
        m.portals.push_back(p->id);
        seen[p->from]++;
        seen[p->to]++;
      }
      for (auto s = seen.cbegin(); s != seen.cend(); ++s)
        if (s.value() >= 2) m.vestibule = s.key();
      site.mantraps.push_back(m);
    }
  }

  const auto racks = root.value(QLatin1String("racks")).toArray();
  for (qsizetype i = 0; i < racks.size(); ++i) {
    const auto o = racks[i].toObject();
    const auto path = QStringLiteral("$.racks[%1]").arg(i);
    SiteRack r;
    if (!requireString(o, "id", path, &r.id, error)) return std::nullopt;
    r.name = o.value(QLatin1String("name")).toString(r.id);
    r.zone = o.value(QLatin1String("zone")).toString();
    r.tier = o.value(QLatin1String("tier")).toInt(0);
    r.twoPerson = o.value(QLatin1String("two_person")).toBool(false) ||
                  o.value(QLatin1String("two_person_rule")).isObject();
    for (const auto& rv : o.value(QLatin1String("readers")).toArray()) {
      const auto rid = rv.toObject().value(QLatin1String("id")).toString();
      if (!rid.isEmpty()) site.readers.insert(rid, SiteReader{r.id, false});
    }
    site.racks.push_back(r);
  }

  for (const auto& pv : root.value(QLatin1String("people")).toArray()) {
    const auto o = pv.toObject();
    SitePerson p;
    p.id = o.value(QLatin1String("id")).toString();
    p.name = o.value(QLatin1String("name")).toString(p.id);
    if (!p.id.isEmpty()) site.people.push_back(p);
  }
  return site;
}

}  // namespace portcullis::console
