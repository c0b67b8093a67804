#pragma once
// Where an alarm belongs on the map, and its subject in words. An alarm's `subject` is an id of whatever the
// alarm is about: a portal (door_forced), a rack (rack_door_forced), a zone (lockdown, fire_alarm), a mantrap
// (tailgating), an asset (asset_missing: shown on its home rack), a seal (on its rack, or its asset's rack),
// a device (device_silent, tamper: shown on the doors and racks it serves), a reader (on its portal or rack),
// a person (duress: in the zone they are in), or "site" (the whole site: the root zone).
#include <QString>
#include <QVector>

#include "live_types.hpp"
#include "site.hpp"

namespace portcullis::console {

class AssetModel;
class PresenceModel;

struct MapTarget {
  QString kind;  // "door" | "rack" | "zone"
  QString id;
  bool operator==(const MapTarget&) const = default;
};

// The map items an alarm is drawn on; empty when the subject is not on the map (an unknown id).
QVector<MapTarget> alarmTargets(const Alarm& alarm, const Site& site, const AssetModel* assets,
                                const PresenceModel* presence);

// The subject as a guard reads it: the full name of the door, rack, zone, the asset's tag, the person's
// name, the device's name; the id when nothing better is known.
QString alarmSubjectName(const Alarm& alarm, const Site& site, const AssetModel* assets);
// The same, short, for the alarm table: the site's labels where it has them ("Cage door", "PC-00343 in W01").
QString alarmSubjectShortName(const Alarm& alarm, const Site& site, const AssetModel* assets);

}  // namespace portcullis::console
