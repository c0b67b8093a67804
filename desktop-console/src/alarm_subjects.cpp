#include "alarm_subjects.hpp"

#include <QCoreApplication>

#include "models.hpp"

namespace portcullis::console {

namespace {

void addUnique(QVector<MapTarget>& out, const QString& kind, const QString& id) {
  if (id.isEmpty()) return;
  const MapTarget t{kind, id};
  if (!out.contains(t)) out.push_back(t);
}

// An asset is shown where it belongs (its home rack: that is where it is missing from), else where it is.
void addAsset(QVector<MapTarget>& out, const QString& assetId, const Site& site, const AssetModel* assets) {
  const auto* a = assets != nullptr ? assets->asset(assetId) : nullptr;
  if (a == nullptr) return;
  if (site.rack(a->homeRack) != nullptr)
    addUnique(out, QStringLiteral("rack"), a->homeRack);
  else if (site.rack(a->rack) != nullptr)
    addUnique(out, QStringLiteral("rack"), a->rack);
  else if (site.zone(a->zone) != nullptr)
    addUnique(out, QStringLiteral("zone"), a->zone);
}

void addReader(QVector<MapTarget>& out, const QString& readerId, const Site& site) {
  const auto r = site.readers.constFind(readerId);
  if (r != site.readers.cend()) {
    if (site.portal(r->portal) != nullptr) addUnique(out, QStringLiteral("door"), r->portal);
    if (site.rack(r->portal) != nullptr) addUnique(out, QStringLiteral("rack"), r->portal);
    return;
  }
  const auto zone = site.areaReaderZones.value(readerId);
  if (site.zone(zone) != nullptr) addUnique(out, QStringLiteral("zone"), zone);
}

}  // namespace

QVector<MapTarget> alarmTargets(const Alarm& alarm, const Site& site, const AssetModel* assets,
                                const PresenceModel* presence) {
  QVector<MapTarget> out;
  const auto& s = alarm.subject;
  if (site.portal(s) != nullptr) {
    addUnique(out, QStringLiteral("door"), s);
  } else if (site.rack(s) != nullptr) {
    addUnique(out, QStringLiteral("rack"), s);
  } else if (site.zone(s) != nullptr) {
    addUnique(out, QStringLiteral("zone"), s);
  } else if (const auto* m = site.mantrap(s)) {
    addUnique(out, QStringLiteral("zone"), m->vestibule);
    for (const auto& p : m->portals) addUnique(out, QStringLiteral("door"), p);
  } else if (const auto* seal = site.seal(s)) {
    if (site.rack(seal->rack) != nullptr) addUnique(out, QStringLiteral("rack"), seal->rack);
    if (!seal->asset.isEmpty()) addAsset(out, seal->asset, site, assets);
  } else if (const auto* d = site.device(s)) {
    for (const auto& p : d->portals)
      if (site.portal(p) != nullptr) addUnique(out, QStringLiteral("door"), p);
    for (const auto& r : d->racks)
      if (site.rack(r) != nullptr) addUnique(out, QStringLiteral("rack"), r);
    for (const auto& r : d->readers) addReader(out, r, site);
    // A rack controller the site file lists only on its racks (lock_device / contact_device): none here.
  } else if (assets != nullptr && assets->asset(s) != nullptr) {
    addAsset(out, s, site, assets);
  } else if (site.readers.contains(s) || site.areaReaderZones.contains(s)) {
    addReader(out, s, site);
  } else if (presence != nullptr && !presence->zoneOf(s).isEmpty()) {
    addUnique(out, QStringLiteral("zone"), presence->zoneOf(s));
  } else if (s == QLatin1String("site")) {
    addUnique(out, QStringLiteral("zone"), site.rootZone());
  }
  return out;
}

QString alarmSubjectName(const Alarm& alarm, const Site& site, const AssetModel* assets) {
  const auto& s = alarm.subject;
  if (site.portal(s) != nullptr) return site.portalName(s);
  if (site.rack(s) != nullptr) return site.rackName(s);
  if (site.zone(s) != nullptr) return site.zoneName(s);
  if (const auto* m = site.mantrap(s)) {
    if (!m->label.isEmpty()) return m->label;
    return QCoreApplication::translate("Alarm", "mantrap %1").arg(site.zoneName(m->vestibule));
  }
  if (const auto* seal = site.seal(s)) {
    const auto where = !seal->rack.isEmpty() ? site.rackName(seal->rack) : seal->asset;
    return QCoreApplication::translate("Alarm", "seal %1 on %2").arg(s, where);
  }
  if (const auto* d = site.device(s)) return d->name.isEmpty() ? d->id : d->name;
  if (const auto* a = assets != nullptr ? assets->asset(s) : nullptr) {
    const auto tag = a->tag.isEmpty() ? a->id : a->tag;
    if (site.rack(a->homeRack) == nullptr) return tag;
    return QCoreApplication::translate("Alarm", "%1 (%2)").arg(tag, site.rackName(a->homeRack));
  }
  const auto person = site.personName(s);
  if (!person.isEmpty()) return person;
  if (s == QLatin1String("site")) return QCoreApplication::translate("Alarm", "whole site");
  return s;
}

QString alarmSubjectShortName(const Alarm& alarm, const Site& site, const AssetModel* assets) {
  const auto& s = alarm.subject;
  if (const auto* p = site.portal(s); p != nullptr && !p->label.isEmpty()) return p->label;
  if (const auto* r = site.rack(s); r != nullptr && !r->label.isEmpty()) return r->label;
  if (const auto* z = site.zone(s); z != nullptr && !z->label.isEmpty()) return z->label;
  if (const auto* seal = site.seal(s); seal != nullptr) {
    const auto* r = site.rack(seal->rack);
    if (r != nullptr && !r->label.isEmpty())
      return QCoreApplication::translate("Alarm", "seal %1 on %2").arg(s, r->label);
  }
  if (const auto* a = assets != nullptr ? assets->asset(s) : nullptr) {
    const auto tag = a->tag.isEmpty() ? a->id : a->tag;
    const auto* r = site.rack(a->homeRack);
    if (r == nullptr) return tag;
    return QCoreApplication::translate("Alarm", "%1 in %2").arg(tag, r->label.isEmpty() ? r->name : r->label);
  }
  return alarmSubjectName(alarm, site, assets);
}

}  // namespace portcullis::console
