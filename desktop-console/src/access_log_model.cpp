#include "access_log_model.hpp"

#include <QBrush>

#include "models.hpp"

namespace portcullis::console {

AccessLogModel::AccessLogModel(QObject* parent, int capacity)
    : QAbstractTableModel(parent), capacity_(capacity > 0 ? capacity : 1) {}

void AccessLogModel::setSite(const Site& site) {
  beginResetModel();
  site_ = site;
  endResetModel();
}

void AccessLogModel::clear() {
  beginResetModel();
  rows_.clear();
  endResetModel();
}

void AccessLogModel::appendEvents(const QVector<AccessEvent>& events) {
  if (events.isEmpty()) return;
  const qsizetype keep = std::min<qsizetype>(events.size(), capacity_);
  const qsizetype skip = events.size() - keep;
  const auto size = static_cast<qsizetype>(rows_.size());
  const qsizetype overflow = size + keep - capacity_;
  if (overflow > 0) {
    beginRemoveRows({}, static_cast<int>(size - overflow), static_cast<int>(size - 1));
    rows_.erase(rows_.end() - static_cast<std::ptrdiff_t>(overflow), rows_.end());
    endRemoveRows();
  }
  beginInsertRows({}, 0, static_cast<int>(keep - 1));
  for (qsizetype i = skip; i < events.size(); ++i) rows_.push_front(events[i]);
  endInsertRows();
}

int AccessLogModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int AccessLogModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccessLogModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& e = at(index.row());
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case ColTime:
        return e.time.isValid() ? e.time.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QString();
      case ColDecision: return e.granted() ? tr("GRANT") : tr("DENY");
      case ColPerson: return e.personName.isEmpty() ? e.person : e.personName;
      case ColDoor: {
        if (const auto* p = site_.portal(e.portal)) return p->name;
        if (const auto* r = site_.rack(e.portal)) return r->name;
        return e.portal;
      }
      case ColReason: return e.reason;
      default: return {};
    }
  }
  if (role == Qt::ForegroundRole && index.column() == ColDecision)
    return QBrush(e.granted() ? QColor(0x34, 0xc7, 0x59) : QColor(0xff, 0x3b, 0x30));
  if (role == IdRole) return e.portal;
  return {};
}

QVariant AccessLogModel::headerData(int section, Qt::Orientation o, int role) const {
  static const char* const names[] = {QT_TR_NOOP("Time"), QT_TR_NOOP("Decision"), QT_TR_NOOP("Person"),
                                      QT_TR_NOOP("Door"), QT_TR_NOOP("Reason")};
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount) return {};
  return tr(names[section]);
}

void AccessLogFilter::setPerson(const QString& text) {
  person_ = text.trimmed();
  invalidateFilter();
}
void AccessLogFilter::setZone(const QString& zoneId) {
  zone_ = zoneId;
  invalidateFilter();
}
void AccessLogFilter::setDoor(const QString& doorId) {
  door_ = doorId;
  invalidateFilter();
}
void AccessLogFilter::setDecision(const QString& decision) {
  decision_ = decision;
  invalidateFilter();
}

bool AccessLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (sourceParent.isValid()) return false;
  const auto* log = qobject_cast<const AccessLogModel*>(sourceModel());
  if (log == nullptr) return true;
  const auto& e = log->at(sourceRow);
  if (!door_.isEmpty() && e.portal != door_) return false;
  if (!decision_.isEmpty() && (decision_ == QLatin1String("grant")) != e.granted()) return false;
  if (!person_.isEmpty() && !e.person.contains(person_, Qt::CaseInsensitive) &&
      !e.personName.contains(person_, Qt::CaseInsensitive))
    return false;
  if (!zone_.isEmpty()) {
    const auto& site = log->site();
    if (const auto* p = site.portal(e.portal)) {
      if (p->from != zone_ && p->to != zone_) return false;
    } else if (const auto* r = site.rack(e.portal)) {
      if (r->zone != zone_) return false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace portcullis::console
