#include "site.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <algorithm>

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

const SiteMantrap* Site::mantrap(const QString& id) const {
  for (const auto& m : mantraps)
    if (m.id == id) return &m;
  return nullptr;
}

const SiteDevice* Site::device(const QString& id) const {
  for (const auto& d : devices)
    if (d.id == id) return &d;
  return nullptr;
}

const SiteSeal* Site::seal(const QString& id) const {
  for (const auto& x : seals)
    if (x.id == id) return &x;
  return nullptr;
}

QString Site::rootZone() const {
  for (const auto& z : zones)
    if (z.parent.isEmpty()) return z.id;
  return {};
}

QString Site::zoneName(const QString& id) const {
  const auto* z = zone(id);
  return z != nullptr && !z->name.isEmpty() ? z->name : id;
}

QString Site::portalName(const QString& id) const {
  const auto* p = portal(id);
  return p != nullptr && !p->name.isEmpty() ? p->name : id;
}

QString Site::rackName(const QString& id) const {
  const auto* r = rack(id);
  return r != nullptr && !r->name.isEmpty() ? r->name : id;
}

namespace {

// Words of a name with the separators that follow them, so a prefix can be cut at a word boundary.
QStringList wordsOf(const QString& name) {
  QStringList out;
  QString cur;
  for (const auto c : name) {
    cur += c;
    if (c == QLatin1Char(' ')) {
      out << cur;
      cur.clear();
    }
  }
  if (!cur.isEmpty()) out << cur;
  return out;
}

}  // namespace

QHash<QString, QString> shortNames(const QVector<std::pair<QString, QString>>& idAndName,
                                   const QHash<QString, QString>& labels) {
  QHash<QString, QString> out;
  QVector<QStringList> words;
  words.reserve(idAndName.size());
  for (const auto& [id, name] : idAndName) words.push_back(wordsOf(name));
  for (qsizetype i = 0; i < idAndName.size(); ++i) {
    const auto& [id, name] = idAndName[i];
    const auto label = labels.value(id);
    if (!label.isEmpty()) {
      out.insert(id, label);
      continue;
    }
    // The longest run of leading words shared with any other name, leaving at least one word.
    qsizetype shared = 0;
    for (qsizetype j = 0; j < idAndName.size(); ++j) {
      if (j == i) continue;
      qsizetype k = 0;
      while (k < words[i].size() - 1 && k < words[j].size() &&
             words[i][k].trimmed().compare(words[j][k].trimmed(), Qt::CaseInsensitive) == 0)
        ++k;
      shared = std::max(shared, k);
    }
    if (shared == 0) {
      out.insert(id, name);
      continue;
    }
    QString rest;
    for (qsizetype k = shared; k < words[i].size(); ++k) rest += words[i][k];
    out.insert(id, QStringLiteral("…") + rest.trimmed());
  }
  return out;
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
    z.label = o.value(QLatin1String("label")).toString();
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
    p.label = o.value(QLatin1String("label")).toString();
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
    m.label = o.value(QLatin1String("label")).toString();
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
    r.label = o.value(QLatin1String("label")).toString();
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

  const auto strings = [](const QJsonValue& v) {
    QVector<QString> out;
    for (const auto& x : v.toArray())
      if (x.isString()) out.push_back(x.toString());
    return out;
  };
  for (const auto& dv : root.value(QLatin1String("devices")).toArray()) {
    const auto o = dv.toObject();
    SiteDevice d;
    d.id = o.value(QLatin1String("id")).toString();
    d.name = o.value(QLatin1String("name")).toString();
    d.portals = strings(o.value(QLatin1String("portals")));
    d.racks = strings(o.value(QLatin1String("racks")));
    d.readers = strings(o.value(QLatin1String("readers")));
    if (!d.id.isEmpty()) site.devices.push_back(d);
  }
  for (const auto& sv : root.value(QLatin1String("seals")).toArray()) {
    const auto o = sv.toObject();
    SiteSeal x{o.value(QLatin1String("id")).toString(), o.value(QLatin1String("rack")).toString(),
               o.value(QLatin1String("asset")).toString()};
    if (!x.id.isEmpty()) site.seals.push_back(x);
  }
  for (const auto& rv : root.value(QLatin1String("area_readers")).toArray()) {
    const auto o = rv.toObject();
    const auto id = o.value(QLatin1String("id")).toString();
    if (!id.isEmpty()) site.areaReaderZones.insert(id, o.value(QLatin1String("zone")).toString());
  }
  for (const auto& av : root.value(QLatin1String("alarm_responses")).toArray()) {
    const auto o = av.toObject();
    const auto kind = o.value(QLatin1String("kind")).toString();
    const auto response = o.value(QLatin1String("response")).toString();
    if (!kind.isEmpty() && !response.isEmpty()) site.alarmResponses.insert(kind, response);
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
