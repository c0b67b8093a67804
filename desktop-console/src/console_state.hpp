#pragma once
// Owns the site and every live model, and coalesces stream deltas: deltas are queued (the latest record per
// door/zone/rack/asset/alarm id wins, access events are appended, bounded) and applied to the models in one
// batch per timer tick (100 ms by default), so 2,000 events/s cost ten model updates a second, not 2,000.
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include "access_log_model.hpp"
#include "models.hpp"
#include "site.hpp"

namespace portcullis::console {

class ConsoleState : public QObject {
  Q_OBJECT
 public:
  explicit ConsoleState(QObject* parent = nullptr, int logCapacity = AccessLogModel::kDefaultCapacity);

  void setSite(const Site& site);
  [[nodiscard]] const Site& site() const { return site_; }

  // A snapshot replaces all state at once (pending deltas are older than it and are dropped).
  void applySnapshot(const QJsonObject& snapshot);
  void queueDelta(const QString& topic, const QJsonObject& data);
  void flush();
  void setFlushInterval(int ms) { timer_.setInterval(ms); }
  [[nodiscard]] int pendingCount() const;

  DoorTableModel* doors() { return &doors_; }
  ZoneStateModel* zones() { return &zones_; }
  RackGridModel* racks() { return &racks_; }
  AssetModel* assets() { return &assets_; }
  AlarmQueueModel* alarms() { return &alarms_; }
  AccessLogModel* accessLog() { return &log_; }
  PresenceModel* presence() { return &presence_; }

  static constexpr int kMaxPendingAccess = 20000;

 signals:
  void siteChanged();
  void snapshotApplied();
  // After each batch: which items changed, for the map.
  void batchApplied(const QVector<QString>& doorIds, const QVector<QString>& zoneIds,
                    const QVector<QString>& rackIds, const QVector<AccessEvent>& access);

 private:
  Site site_;
  DoorTableModel doors_;
  ZoneStateModel zones_;
  RackGridModel racks_;
  AssetModel assets_;
  AlarmQueueModel alarms_;
  AccessLogModel log_;
  PresenceModel presence_;
  QTimer timer_;

  QHash<QString, DoorState> pendingDoors_;
  QHash<QString, ZoneState> pendingZones_;
  QHash<QString, RackState> pendingRacks_;
  QHash<QString, AssetState> pendingAssets_;
  QVector<Alarm> pendingAlarms_;  // in arrival order; the model handles repeats of one id
  QVector<AccessEvent> pendingAccess_;
};

}  // namespace portcullis::console
