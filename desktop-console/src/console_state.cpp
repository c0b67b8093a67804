#include "console_state.hpp"

#include <QJsonArray>

#include "alarm_subjects.hpp"

namespace portcullis::console {

ConsoleState::ConsoleState(QObject* parent, int logCapacity) : QObject(parent), log_(nullptr, logCapacity) {
  timer_.setInterval(100);
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &ConsoleState::flush);
  racks_.setAssets(&assets_);
  alarms_.setSubjectNames([this](const Alarm& a) { return alarmSubjectShortName(a, site_, &assets_); },
                          [this](const Alarm& a) { return alarmSubjectName(a, site_, &assets_); });
}

void ConsoleState::setSite(const Site& site) {
  site_ = site;
  doors_.setSite(site);
  zones_.setSite(site);
  racks_.setSite(site);
  assets_.setSite(site);
  log_.setSite(site);
  presence_.setSite(site);
  emit siteChanged();
}

int ConsoleState::pendingCount() const {
  return static_cast<int>(pendingDoors_.size() + pendingZones_.size() + pendingRacks_.size() +
                          pendingAssets_.size() + pendingAlarms_.size() + pendingAccess_.size());
}

void ConsoleState::applySnapshot(const QJsonObject& snapshot) {
  pendingDoors_.clear();
  pendingZones_.clear();
  pendingRacks_.clear();
  pendingAssets_.clear();
  pendingAlarms_.clear();
  // Access events are history, not state: the snapshot does not contain them, so queued ones stay.
  QVector<DoorState> doors;
  for (const auto& v : snapshot.value(QLatin1String("doors")).toArray())
    doors.push_back(parseDoor(v.toObject()));
  QVector<ZoneState> zones;
  for (const auto& v : snapshot.value(QLatin1String("zones")).toArray())
    zones.push_back(parseZone(v.toObject()));
  QVector<RackState> racks;
  for (const auto& v : snapshot.value(QLatin1String("racks")).toArray())
    racks.push_back(parseRack(v.toObject()));
  QVector<AssetState> assets;
  for (const auto& v : snapshot.value(QLatin1String("assets")).toArray())
    assets.push_back(parseAsset(v.toObject()));
  QVector<Alarm> alarms;
  for (const auto& v : snapshot.value(QLatin1String("alarms")).toArray())
    alarms.push_back(parseAlarm(v.toObject()));
  // portcullisd adds "presence": {person id: zone id} to the snapshot.
  const auto presence = snapshot.value(QLatin1String("presence"));
  if (presence.isObject()) {
    QHash<QString, QString> where;
    const auto o = presence.toObject();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) where.insert(it.key(), it.value().toString());
    presence_.resetPresence(where);
  }
  doors_.resetDoors(doors);
  zones_.resetZones(zones);
  assets_.resetAssets(assets);  // before the racks: their rows count the missing assets
  racks_.resetRacks(racks);
  alarms_.resetAlarms(alarms);
  emit snapshotApplied();
}

void ConsoleState::queueDelta(const QString& topic, const QJsonObject& data) {
  if (topic == QLatin1String("access")) {
    if (pendingAccess_.size() >= kMaxPendingAccess) pendingAccess_.removeFirst();
    pendingAccess_.push_back(parseAccess(data));
  } else if (topic == QLatin1String("doors")) {
    auto d = parseDoor(data);
    pendingDoors_.insert(d.id, d);
  } else if (topic == QLatin1String("zones")) {
    auto z = parseZone(data);
    pendingZones_.insert(z.id, z);
  } else if (topic == QLatin1String("assets") && looksLikeAsset(data)) {
    // portcullisd's "assets" topic carries assets; it follows each move with a "racks" delta for the racks
    // whose contents changed, so rack counts come from the server, not from counting here.
    auto a = parseAsset(data);
    if (!a.id.isEmpty()) pendingAssets_.insert(a.id, a);
  } else if (topic == QLatin1String("assets") || topic == QLatin1String("racks")) {
    // "racks" (portcullisd), or the contract's "assets" topic carrying Rack records.
    auto r = parseRack(data);
    if (!r.id.isEmpty()) pendingRacks_.insert(r.id, r);
  } else if (topic == QLatin1String("alarms")) {
    pendingAlarms_.push_back(parseAlarm(data));
  } else {
    return;  // unknown topics are ignored: a newer server may send more than this console knows
  }
  if (!timer_.isActive()) timer_.start();
}

void ConsoleState::flush() {
  timer_.stop();
  const auto doorIds = doors_.applyDoors(QVector<DoorState>(pendingDoors_.cbegin(), pendingDoors_.cend()));
  const auto zoneIds = zones_.applyZones(QVector<ZoneState>(pendingZones_.cbegin(), pendingZones_.cend()));
  auto rackIds = racks_.applyRacks(QVector<RackState>(pendingRacks_.cbegin(), pendingRacks_.cend()));
  const auto assetRacks =
      assets_.applyAssets(QVector<AssetState>(pendingAssets_.cbegin(), pendingAssets_.cend()));
  // A drive gone missing changes its rack's row without a rack delta: those rows are signalled here, once.
  QVector<QString> racksByAssets;
  for (const auto& id : assetRacks)
    if (!rackIds.contains(id)) racksByAssets.push_back(id);
  racks_.assetsChanged(racksByAssets);
  rackIds += racksByAssets;
  alarms_.applyAlarms(pendingAlarms_);
  const auto access = std::move(pendingAccess_);
  pendingDoors_.clear();
  pendingZones_.clear();
  pendingRacks_.clear();
  pendingAssets_.clear();
  pendingAlarms_.clear();
  pendingAccess_ = {};
  log_.appendEvents(access);
  presence_.applyEvents(access);
  if (!doorIds.isEmpty() || !zoneIds.isEmpty() || !rackIds.isEmpty() || !access.isEmpty())
    emit batchApplied(doorIds, zoneIds, rackIds, access);
}

}  // namespace portcullis::console
