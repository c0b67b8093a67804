#pragma once
// The live access event log: newest first, bounded (the oldest rows are removed, with beginRemoveRows, when
// a batch would pass the cap), so memory stays flat at any event rate.
#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <deque>

#include "live_types.hpp"
#include "site.hpp"

namespace portcullis::console {

class AccessLogModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { ColTime, ColDecision, ColPerson, ColDoor, ColReason, ColumnCount };
  static constexpr int kDefaultCapacity = 5000;

  explicit AccessLogModel(QObject* parent = nullptr, int capacity = kDefaultCapacity);
  void setSite(const Site& site);
  void appendEvents(const QVector<AccessEvent>& events);  // oldest first
  void clear();
  [[nodiscard]] int capacity() const { return capacity_; }
  [[nodiscard]] const AccessEvent& at(int row) const { return rows_[static_cast<std::size_t>(row)]; }
  [[nodiscard]] const Site& site() const { return site_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  Site site_;
  int capacity_;
  std::deque<AccessEvent> rows_;  // row 0 = newest
};

// Filters by person (id or name, substring, case-insensitive), zone (either side of the door, or the rack's
// zone), door (portal or rack id) and decision ("grant" or "deny"). Empty filters match everything.
class AccessLogFilter : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setPerson(const QString& text);
  void setZone(const QString& zoneId);
  void setDoor(const QString& doorId);
  void setDecision(const QString& decision);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString person_, zone_, door_, decision_;
};

}  // namespace portcullis::console
