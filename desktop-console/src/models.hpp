#pragma once
// Table models for the live state. Each keeps rows in a vector plus an id → row index, applies batches
// (the console coalesces stream deltas, see console_state.hpp) and signals the narrowest ranges it can:
// one dataChanged per run of consecutive changed rows, bracketed inserts and removals.
#include <QAbstractTableModel>
#include <QHash>
#include <QVector>
#include <functional>

#include "live_types.hpp"
#include "site.hpp"

namespace portcullis::console {

enum ModelRole { IdRole = Qt::UserRole + 1, SortRole, SeverityRole };

// A tooltip that shows `text` literally: escaped inside explicit rich text, since Qt would otherwise guess
// and render a site name like "<b>x</b>" as markup.
QString plainToolTip(const QString& text);

// Emits dataChanged for each run of consecutive rows in `rows` (any order, duplicates allowed).
void emitRowRuns(QAbstractItemModel* model, QVector<int> rows, int lastColumn);

class DoorTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ColName, ColState, ColMode, ColBetween, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setSite(const Site& site);
  void resetDoors(const QVector<DoorState>& doors);
  // Returns the ids whose state changed.
  QVector<QString> applyDoors(const QVector<DoorState>& doors);
  [[nodiscard]] const DoorState* door(const QString& id) const;
  [[nodiscard]] int rowOf(const QString& id) const { return index_.value(id, -1); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  struct Row {
    DoorState state;
    QString between;
  };
  Row makeRow(const DoorState& d) const;
  Site site_;
  QVector<Row> rows_;
  QHash<QString, int> index_;
};

class ZoneStateModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ColName, ColTier, ColOccupancy, ColLockdown, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setSite(const Site& site);
  void resetZones(const QVector<ZoneState>& zones);
  QVector<QString> applyZones(const QVector<ZoneState>& zones);
  [[nodiscard]] const ZoneState* zone(const QString& id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  Site site_;
  QVector<ZoneState> rows_;
  QHash<QString, int> index_;
};

class AssetModel;

// Of the assets whose home is a rack, those the server reports missing: how many in all, and how many of them
// it still locates in the rack (the rack entry counts those as present; the console does not).
struct RackMissing {
  int missing = 0;
  int locatedHere = 0;
};

// One row per rack: name, zone, seal (a broken seal is red and shouted), assets (present of expected, away,
// missing: a rack with a missing asset never reads "n / n present"), two-person rule, lock.
class RackGridModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ColName, ColZone, ColSeal, ColAssets, ColTwoPerson, ColLock, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setSite(const Site& site);
  // The assets the missing counts come from (ConsoleState's; may be null: nothing reported missing).
  void setAssets(const AssetModel* assets) { assets_ = assets; }
  void resetRacks(const QVector<RackState>& racks);
  QVector<QString> applyRacks(const QVector<RackState>& racks);
  // Assets of these racks changed (moved, went missing, were found): their contents are shown anew.
  void assetsChanged(const QVector<QString>& rackIds);
  [[nodiscard]] const RackState* rack(const QString& id) const;
  [[nodiscard]] int rowOf(const QString& id) const { return index_.value(id, -1); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  [[nodiscard]] bool twoPerson(const RackState& r) const;
  [[nodiscard]] RackMissing missingOf(const QString& rackId) const;
  Site site_;
  const AssetModel* assets_ = nullptr;
  QVector<RackState> rows_;
  QHash<QString, int> index_;
};

// Every asset the server reports (snapshot "assets", topic "assets"): tag, kind, where it is, lifecycle and
// whether it holds model weights. Rows keep arrival order; the rack details list a rack's rows.
class AssetModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ColTag, ColKind, ColWhere, ColLifecycle, ColWeights, ColMissing, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setSite(const Site& site);
  void resetAssets(const QVector<AssetState>& assets);
  // Returns the racks whose contents changed (old and new location, home rack).
  QVector<QString> applyAssets(const QVector<AssetState>& assets);
  [[nodiscard]] const AssetState* asset(const QString& id) const;
  // Assets located in the rack, then assets whose home is the rack but are elsewhere (away).
  [[nodiscard]] QVector<const AssetState*> inRack(const QString& rackId) const;
  [[nodiscard]] QVector<const AssetState*> awayFrom(const QString& rackId) const;
  [[nodiscard]] RackMissing missingFrom(const QString& rackId) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  Site site_;
  QVector<AssetState> rows_;
  QHash<QString, int> index_;
};

// Open alarms, most severe first, then oldest first. Resolved alarms leave the queue.
class AlarmQueueModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ColSeverity, ColRaised, ColKind, ColSubject, ColState, ColCount, ColDetail, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void resetAlarms(const QVector<Alarm>& alarms);
  void applyAlarms(const QVector<Alarm>& alarms);
  // How a subject is named in the table (short) and in its tooltip (full); the id when not set.
  void setSubjectNames(std::function<QString(const Alarm&)> shortName,
                       std::function<QString(const Alarm&)> fullName);
  [[nodiscard]] QString subjectText(const Alarm& a) const;
  [[nodiscard]] QString subjectFullText(const Alarm& a) const;
  [[nodiscard]] const Alarm* alarm(const QString& id) const;
  [[nodiscard]] const Alarm& at(int row) const { return rows_[row]; }
  [[nodiscard]] static bool before(const Alarm& a, const Alarm& b);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 signals:
  // A high or critical alarm that was not in the queue before (or came back raised).
  void severeAlarmRaised(const QString& id);

 private:
  void removeAt(int row);
  void insertSorted(const Alarm& a);
  void reindex();
  std::function<QString(const Alarm&)> shortName_;
  std::function<QString(const Alarm&)> fullName_;
  QVector<Alarm> rows_;
  QHash<QString, int> index_;
};

// "Where is this person": the zone each person last entered, from granted access events.
class PresenceModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ColPerson, ColZone, ColSince, ColVia, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setSite(const Site& site);
  void applyEvents(const QVector<AccessEvent>& events);  // oldest first
  // From a snapshot's "presence" object (person id → zone id); people not listed are "not seen".
  void resetPresence(const QHash<QString, QString>& zoneByPerson);
  // The zone the person was last seen entering; empty when not seen.
  [[nodiscard]] QString zoneOf(const QString& person) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  struct Row {
    QString person;
    QString name;
    QString zone;
    QDateTime since;
    QString via;
  };
  Site site_;
  QVector<Row> rows_;
  QHash<QString, int> index_;
};

}  // namespace portcullis::console
