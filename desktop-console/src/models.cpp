#include "models.hpp"

#include <QBrush>
#include <QFont>
#include <algorithm>

namespace portcullis::console {

void emitRowRuns(QAbstractItemModel* model, QVector<int> rows, int lastColumn) {
  if (rows.isEmpty()) return;
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  int first = rows.front();
  int prev = first;
  for (qsizetype i = 1; i <= rows.size(); ++i) {
    if (i < rows.size() && rows[i] == prev + 1) {
      prev = rows[i];
      continue;
    }
    emit model->dataChanged(model->index(first, 0), model->index(prev, lastColumn));
    if (i < rows.size()) first = prev = rows[i];
  }
}

namespace {
QString zoneName(const Site& site, const QString& id) {
  const auto* z = site.zone(id);
  return z != nullptr ? z->name : id;
}
// The untranslated name of a horizontal header section, or null; each model translates it in its own
// context (the names are marked with QT_TR_NOOP where they are listed).
const char* headerName(const char* const* names, int count, int section, Qt::Orientation o, int role) {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= count) return nullptr;
  return names[section];
}
QBrush tint(const QColor& c) {
  QColor t = c;
  t.setAlpha(60);
  return QBrush(t);
}
QString timeText(const QDateTime& t) {
  return t.isValid() ? t.toLocalTime().toString(QStringLiteral("HH:mm:ss")) : QString();
}
}  // namespace

QString plainToolTip(const QString& text) {
  if (text.isEmpty()) return {};
  return QStringLiteral("<p style='white-space:pre'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

// ---- doors ---------------------------------------------------------------------------------------------

DoorTableModel::Row DoorTableModel::makeRow(const DoorState& d) const {
  Row r{d, {}};
  if (const auto* p = site_.portal(d.id)) {
    if (r.state.name.isEmpty()) r.state.name = p->name;
    r.between = zoneName(site_, p->from) + QStringLiteral(" → ") + zoneName(site_, p->to);
  }
  if (r.state.name.isEmpty()) r.state.name = d.id;
  return r;
}

void DoorTableModel::setSite(const Site& site) {
  site_ = site;
  QVector<DoorState> doors;
  for (const auto& p : site.portals) {
    DoorState d;
    d.id = p.id;
    d.name = p.name;
    doors.push_back(d);  // unknown until the stream says otherwise: shown offline
  }
  resetDoors(doors);
}

void DoorTableModel::resetDoors(const QVector<DoorState>& doors) {
  beginResetModel();
  rows_.clear();
  index_.clear();
  // Keep every site portal listed even when the snapshot omits it.
  QHash<QString, DoorState> given;
  for (const auto& d : doors) given.insert(d.id, d);
  for (const auto& p : site_.portals) {
    DoorState d = given.take(p.id);
    if (d.id.isEmpty()) {
      d.id = p.id;
      d.name = p.name;
    }
    index_.insert(d.id, static_cast<int>(rows_.size()));
    rows_.push_back(makeRow(d));
  }
  for (const auto& d : doors) {
    if (!given.contains(d.id) || index_.contains(d.id)) continue;
    index_.insert(d.id, static_cast<int>(rows_.size()));
    rows_.push_back(makeRow(d));
  }
  endResetModel();
}

QVector<QString> DoorTableModel::applyDoors(const QVector<DoorState>& doors) {
  QVector<int> changed;
  QVector<QString> ids;
  QVector<Row> added;
  for (const auto& d : doors) {
    if (d.id.isEmpty()) continue;
    Row r = makeRow(d);
    const int row = index_.value(d.id, -1);
    if (row < 0) {
      bool dup = false;
      for (auto& a : added)
        if (a.state.id == d.id) {
          a = r;
          dup = true;
        }
      if (!dup) added.push_back(r);
      ids.push_back(d.id);
      continue;
    }
    if (rows_[row].state == r.state) continue;
    rows_[row] = r;
    changed.push_back(row);
    ids.push_back(d.id);
  }
  emitRowRuns(this, changed, ColumnCount - 1);
  if (!added.isEmpty()) {
    const int first = static_cast<int>(rows_.size());
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    for (const auto& r : added) {
      index_.insert(r.state.id, static_cast<int>(rows_.size()));
      rows_.push_back(r);
    }
    endInsertRows();
  }
  return ids;
}

const DoorState* DoorTableModel::door(const QString& id) const {
  const int row = index_.value(id, -1);
  return row < 0 ? nullptr : &rows_[row].state;
}

int DoorTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int DoorTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant DoorTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& r = rows_[index.row()];
  const auto look = doorLook(r.state);
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case ColName: return r.state.name;
        case ColState: return doorLookName(look);
        case ColMode: return r.state.mode;
        case ColBetween: return r.between;
        default: return {};
      }
    case IdRole: return r.state.id;
    case SortRole:
      return index.column() == ColState ? QVariant(static_cast<int>(look)) : data(index, Qt::DisplayRole);
    case Qt::ForegroundRole:
      if (index.column() == ColState) return QBrush(doorLookColor(look));
      return {};
    case Qt::BackgroundRole:
      if (look == DoorLook::Forced || look == DoorLook::Held) return tint(doorLookColor(look));
      return {};
    default: return {};
  }
}

QVariant DoorTableModel::headerData(int section, Qt::Orientation o, int role) const {
  static const char* const names[] = {QT_TR_NOOP("Door"), QT_TR_NOOP("State"), QT_TR_NOOP("Mode"),
                                      QT_TR_NOOP("Between")};
  const char* name = headerName(names, ColumnCount, section, o, role);
  return name != nullptr ? QVariant(tr(name)) : QVariant();
}

// ---- zones ---------------------------------------------------------------------------------------------

void ZoneStateModel::setSite(const Site& site) {
  site_ = site;
  resetZones({});
}

void ZoneStateModel::resetZones(const QVector<ZoneState>& zones) {
  beginResetModel();
  rows_.clear();
  index_.clear();
  QHash<QString, ZoneState> given;
  for (const auto& z : zones) given.insert(z.id, z);
  for (const auto& sz : site_.zones) {
    ZoneState z = given.take(sz.id);
    z.id = sz.id;
    index_.insert(z.id, static_cast<int>(rows_.size()));
    rows_.push_back(z);
  }
  for (const auto& z : zones)
    if (given.contains(z.id) && !index_.contains(z.id)) {
      index_.insert(z.id, static_cast<int>(rows_.size()));
      rows_.push_back(z);
    }
  endResetModel();
}

QVector<QString> ZoneStateModel::applyZones(const QVector<ZoneState>& zones) {
  QVector<int> changed;
  QVector<QString> ids;
  for (const auto& z : zones) {
    if (z.id.isEmpty()) continue;
    int row = index_.value(z.id, -1);
    if (row < 0) {
      row = static_cast<int>(rows_.size());
      beginInsertRows({}, row, row);
      index_.insert(z.id, row);
      rows_.push_back(z);
      endInsertRows();
      ids.push_back(z.id);
      continue;
    }
    if (rows_[row] == z) continue;
    rows_[row] = z;
    changed.push_back(row);
    ids.push_back(z.id);
  }
  emitRowRuns(this, changed, ColumnCount - 1);
  return ids;
}

const ZoneState* ZoneStateModel::zone(const QString& id) const {
  const int row = index_.value(id, -1);
  return row < 0 ? nullptr : &rows_[row];
}

int ZoneStateModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int ZoneStateModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ZoneStateModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& z = rows_[index.row()];
  const auto* sz = site_.zone(z.id);
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case ColName: return sz != nullptr ? sz->name : z.id;
      case ColTier: return sz != nullptr ? sz->tier : 0;
      case ColOccupancy: return z.occupancy;
      case ColLockdown: return z.lockdown ? tr("LOCKDOWN") : QString();
      default: return {};
    }
  }
  if (role == IdRole) return z.id;
  if (role == SortRole) return data(index, Qt::DisplayRole);
  return {};
}

QVariant ZoneStateModel::headerData(int section, Qt::Orientation o, int role) const {
  static const char* const names[] = {QT_TR_NOOP("Zone"), QT_TR_NOOP("Tier"), QT_TR_NOOP("Inside"),
                                      QT_TR_NOOP("Lockdown")};
  const char* name = headerName(names, ColumnCount, section, o, role);
  return name != nullptr ? QVariant(tr(name)) : QVariant();
}

// ---- racks ---------------------------------------------------------------------------------------------

void RackGridModel::setSite(const Site& site) {
  site_ = site;
  resetRacks({});
}

void RackGridModel::resetRacks(const QVector<RackState>& racks) {
  beginResetModel();
  rows_.clear();
  index_.clear();
  QHash<QString, RackState> given;
  for (const auto& r : racks) given.insert(r.id, r);
  for (const auto& sr : site_.racks) {
    RackState r = given.take(sr.id);
    r.id = sr.id;
    index_.insert(r.id, static_cast<int>(rows_.size()));
    rows_.push_back(r);
  }
  for (const auto& r : racks)
    if (given.contains(r.id) && !index_.contains(r.id)) {
      index_.insert(r.id, static_cast<int>(rows_.size()));
      rows_.push_back(r);
    }
  endResetModel();
}

QVector<QString> RackGridModel::applyRacks(const QVector<RackState>& racks) {
  QVector<int> changed;
  QVector<QString> ids;
  for (const auto& r : racks) {
    if (r.id.isEmpty()) continue;
    int row = index_.value(r.id, -1);
    if (row < 0) {
      row = static_cast<int>(rows_.size());
      beginInsertRows({}, row, row);
      index_.insert(r.id, row);
      rows_.push_back(r);
      endInsertRows();
      ids.push_back(r.id);
      continue;
    }
    if (rows_[row] == r) continue;
    rows_[row] = r;
    changed.push_back(row);
    ids.push_back(r.id);
  }
  emitRowRuns(this, changed, ColumnCount - 1);
  return ids;
}

void RackGridModel::assetsChanged(const QVector<QString>& rackIds) {
  QVector<int> rows;
  for (const auto& id : rackIds)
    if (const int row = index_.value(id, -1); row >= 0) rows.push_back(row);
  emitRowRuns(this, rows, ColumnCount - 1);
}

RackMissing RackGridModel::missingOf(const QString& rackId) const {
  return assets_ != nullptr ? assets_->missingFrom(rackId) : RackMissing{};
}

const RackState* RackGridModel::rack(const QString& id) const {
  const int row = index_.value(id, -1);
  return row < 0 ? nullptr : &rows_[row];
}

int RackGridModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int RackGridModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

bool RackGridModel::twoPerson(const RackState& r) const {
  if (r.twoPerson) return true;
  const auto* sr = site_.rack(r.id);
  return sr != nullptr && sr->twoPerson;
}

QVariant RackGridModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& r = rows_[index.row()];
  const auto* sr = site_.rack(r.id);
  if (role == Qt::DisplayRole) {
    if (index.column() == ColName) return sr != nullptr ? sr->name : (r.name.isEmpty() ? r.id : r.name);
    if (index.column() == ColZone) return zoneName(site_, sr != nullptr ? sr->zone : r.zone);
    if (index.column() == ColTwoPerson) return twoPerson(r) ? tr("Two-person") : QStringLiteral("—");
    if (!r.known) return QStringLiteral("—");
    switch (index.column()) {
      case ColSeal:
        if (r.sealBroken()) return tr("BROKEN");
        if (r.seal == QLatin1String("none")) return tr("no seal");
        return r.seal;
      case ColAssets: {
        // "12 / 14 present" when the server says what belongs here; the bare RFID count otherwise. A missing
        // asset the server still locates here is not present, and every missing one is named.
        const auto missing = missingOf(r.id);
        if (r.expectedKnown() && r.expected > 0) {
          QString text = rackContentsText(r, missing.locatedHere);
          if (r.away > 0) text += QStringLiteral(" · ") + rackAwayText(r);
          if (missing.missing > 0) text += QStringLiteral(" · ") + tr("%n MISSING", nullptr, missing.missing);
          return text;
        }
        if (missing.missing > 0)
          return rackContentsText(r) + QStringLiteral(" · ") + tr("%n MISSING", nullptr, missing.missing);
        return r.assets;
      }
      case ColLock:
        if (!r.lockKnown) return QStringLiteral("—");
        if (r.open) return tr("DOOR OPEN");
        return r.locked ? tr("Locked") : tr("UNLOCKED");
      default: return {};
    }
  }
  if (role == Qt::ForegroundRole) {
    if (index.column() == ColSeal && r.sealBroken()) return QBrush(QColor(0xff, 0x3b, 0x30));
    if (index.column() == ColAssets && missingOf(r.id).missing > 0) return QBrush(QColor(0xff, 0x3b, 0x30));
    if (index.column() == ColAssets && r.known && r.awayElsewhere() > 0)
      return QBrush(QColor(0xff, 0x95, 0x00));
    if (index.column() == ColLock && r.lockKnown && r.open) return QBrush(QColor(0xff, 0x95, 0x00));
    if (index.column() == ColLock && r.lockKnown && !r.locked) return QBrush(QColor(0xff, 0xd6, 0x0a));
    return {};
  }
  if (role == Qt::BackgroundRole && r.sealBroken()) return tint(QColor(0xff, 0x3b, 0x30));
  if (role == Qt::FontRole &&
      (r.sealBroken() || (index.column() == ColAssets && missingOf(r.id).missing > 0))) {
    QFont f;
    f.setBold(true);
    return f;
  }
  if (role == IdRole) return r.id;
  if (role == SortRole) {
    // Assets sort by how many are missing, then away, then by how many are here (not by the text).
    if (index.column() == ColAssets)
      return (static_cast<qint64>(missingOf(r.id).missing) * 100000 + r.away) * 100000 + r.assets;
    return data(index, Qt::DisplayRole);
  }
  return {};
}

QVariant RackGridModel::headerData(int section, Qt::Orientation o, int role) const {
  static const char* const names[] = {QT_TR_NOOP("Rack"),   QT_TR_NOOP("Zone"),       QT_TR_NOOP("Seal"),
                                      QT_TR_NOOP("Assets"), QT_TR_NOOP("Two-person"), QT_TR_NOOP("Lock")};
  const char* name = headerName(names, ColumnCount, section, o, role);
  return name != nullptr ? QVariant(tr(name)) : QVariant();
}

// ---- assets --------------------------------------------------------------------------------------------

void AssetModel::setSite(const Site& site) {
  beginResetModel();
  site_ = site;
  endResetModel();
}

void AssetModel::resetAssets(const QVector<AssetState>& assets) {
  beginResetModel();
  rows_.clear();
  index_.clear();
  for (const auto& a : assets) {
    if (a.id.isEmpty()) continue;
    const int row = index_.value(a.id, -1);
    if (row >= 0) {
      rows_[row] = a;
      continue;
    }
    index_.insert(a.id, static_cast<int>(rows_.size()));
    rows_.push_back(a);
  }
  endResetModel();
}

QVector<QString> AssetModel::applyAssets(const QVector<AssetState>& assets) {
  QVector<int> changed;
  QVector<QString> racks;
  const auto touch = [&racks](const QString& rack) {
    if (!rack.isEmpty() && !racks.contains(rack)) racks.push_back(rack);
  };
  for (const auto& a : assets) {
    if (a.id.isEmpty()) continue;
    int row = index_.value(a.id, -1);
    if (row < 0) {
      row = static_cast<int>(rows_.size());
      beginInsertRows({}, row, row);
      index_.insert(a.id, row);
      rows_.push_back(a);
      endInsertRows();
      touch(a.rack);
      touch(a.homeRack);
      continue;
    }
    if (rows_[row] == a) continue;
    touch(rows_[row].rack);
    touch(rows_[row].homeRack);
    touch(a.rack);
    touch(a.homeRack);
    rows_[row] = a;
    changed.push_back(row);
  }
  emitRowRuns(this, changed, ColumnCount - 1);
  return racks;
}

const AssetState* AssetModel::asset(const QString& id) const {
  const int row = index_.value(id, -1);
  return row < 0 ? nullptr : &rows_[row];
}

QVector<const AssetState*> AssetModel::inRack(const QString& rackId) const {
  QVector<const AssetState*> out;
  for (const auto& a : rows_)
    if (a.rack == rackId) out.push_back(&a);
  return out;
}

QVector<const AssetState*> AssetModel::awayFrom(const QString& rackId) const {
  QVector<const AssetState*> out;
  for (const auto& a : rows_)
    if (a.homeRack == rackId && a.rack != rackId) out.push_back(&a);
  return out;
}

RackMissing AssetModel::missingFrom(const QString& rackId) const {
  RackMissing m;
  for (const auto& a : rows_) {
    if (!a.missing || a.homeRack != rackId) continue;
    ++m.missing;
    if (a.rack == rackId) ++m.locatedHere;
  }
  return m;
}

int AssetModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int AssetModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant AssetModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& a = rows_[index.row()];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case ColTag: return a.tag.isEmpty() ? a.id : a.tag;
      case ColKind: return a.kind;
      case ColWhere: {
        if (!a.rack.isEmpty()) {
          const auto* r = site_.rack(a.rack);
          return r != nullptr ? r->name : a.rack;
        }
        return a.zone.isEmpty() ? tr("unknown") : zoneName(site_, a.zone);
      }
      case ColLifecycle: return a.lifecycle;
      case ColWeights: return a.holdsModelWeights ? tr("MODEL WEIGHTS") : QString();
      case ColMissing: return a.missing ? tr("MISSING") : QString();
      default: return {};
    }
  }
  if (role == Qt::ForegroundRole) {
    if (index.column() == ColMissing && a.missing) return QBrush(QColor(0xff, 0x3b, 0x30));
    if (index.column() == ColWeights && a.holdsModelWeights) return QBrush(QColor(0xff, 0x95, 0x00));
    return {};
  }
  if (role == IdRole) return a.id;
  if (role == SortRole) return data(index, Qt::DisplayRole);
  return {};
}

QVariant AssetModel::headerData(int section, Qt::Orientation o, int role) const {
  static const char* const names[] = {QT_TR_NOOP("Tag"),       QT_TR_NOOP("Kind"),    QT_TR_NOOP("Where"),
                                      QT_TR_NOOP("Lifecycle"), QT_TR_NOOP("Weights"), QT_TR_NOOP("Missing")};
  const char* name = headerName(names, ColumnCount, section, o, role);
  return name != nullptr ? QVariant(tr(name)) : QVariant();
}

// ---- alarms --------------------------------------------------------------------------------------------

bool AlarmQueueModel::before(const Alarm& a, const Alarm& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  if (a.raisedAt != b.raisedAt) {
    if (!a.raisedAt.isValid()) return false;
    if (!b.raisedAt.isValid()) return true;
    return a.raisedAt < b.raisedAt;
  }
  return a.id < b.id;
}

void AlarmQueueModel::reindex() {
  index_.clear();
  for (qsizetype i = 0; i < rows_.size(); ++i) index_.insert(rows_[i].id, static_cast<int>(i));
}

void AlarmQueueModel::resetAlarms(const QVector<Alarm>& alarms) {
  beginResetModel();
  rows_.clear();
  for (const auto& a : alarms)
    if (a.state != QLatin1String("resolved") && !a.id.isEmpty()) rows_.push_back(a);
  std::sort(rows_.begin(), rows_.end(), before);
  rows_.erase(
      std::unique(rows_.begin(), rows_.end(), [](const Alarm& x, const Alarm& y) { return x.id == y.id; }),
      rows_.end());
  reindex();
  endResetModel();
}

void AlarmQueueModel::removeAt(int row) {
  beginRemoveRows({}, row, row);
  rows_.remove(row);
  reindex();
  endRemoveRows();
}

void AlarmQueueModel::insertSorted(const Alarm& a) {
  const auto it = std::lower_bound(rows_.begin(), rows_.end(), a, before);
  const int row = static_cast<int>(it - rows_.begin());
  beginInsertRows({}, row, row);
  rows_.insert(row, a);
  reindex();
  endInsertRows();
}

void AlarmQueueModel::applyAlarms(const QVector<Alarm>& alarms) {
  for (const auto& a : alarms) {
    if (a.id.isEmpty()) continue;
    const int row = index_.value(a.id, -1);
    const bool open = a.state != QLatin1String("resolved");
    const bool severe = a.severity >= Severity::High && a.state == QLatin1String("raised");
    if (row < 0) {
      if (!open) continue;
      insertSorted(a);
      if (severe) emit severeAlarmRaised(a.id);
      continue;
    }
    if (!open) {
      removeAt(row);
      continue;
    }
    if (rows_[row] == a) continue;
    const bool reraised =
        severe && (rows_[row].state != QLatin1String("raised") || a.count > rows_[row].count);
    const bool stays =
        (row == 0 || before(rows_[row - 1], a)) && (row + 1 == rows_.size() || before(a, rows_[row + 1]));
    if (stays) {
      rows_[row] = a;
      emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
      removeAt(row);
      insertSorted(a);
    }
    if (reraised) emit severeAlarmRaised(a.id);
  }
}

const Alarm* AlarmQueueModel::alarm(const QString& id) const {
  const int row = index_.value(id, -1);
  return row < 0 ? nullptr : &rows_[row];
}

int AlarmQueueModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int AlarmQueueModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

void AlarmQueueModel::setSubjectNames(std::function<QString(const Alarm&)> shortName,
                                      std::function<QString(const Alarm&)> fullName) {
  shortName_ = std::move(shortName);
  fullName_ = std::move(fullName);
  if (!rows_.isEmpty())
    emit dataChanged(index(0, 0), index(static_cast<int>(rows_.size()) - 1, ColumnCount - 1));
}

QString AlarmQueueModel::subjectText(const Alarm& a) const {
  return shortName_ ? shortName_(a) : a.subject;
}

QString AlarmQueueModel::subjectFullText(const Alarm& a) const {
  return fullName_ ? fullName_(a) : a.subject;
}

QVariant AlarmQueueModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& a = rows_[index.row()];
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case ColSeverity: return severityText(a.severity);
        case ColKind: return alarmKindText(a.kind);
        case ColSubject: return subjectText(a);
        case ColDetail: return a.detail;
        case ColCount: return a.count;
        case ColRaised: return timeText(a.raisedAt);
        case ColState:
          return a.acknowledgedBy.isEmpty() ? alarmStateText(a.state)
                                            : tr("%1 by %2").arg(alarmStateText(a.state), a.acknowledgedBy);
        default: return {};
      }
    case Qt::ToolTipRole:
      // Escaped: a tooltip would otherwise render a name that looks like markup.
      if (index.column() == ColSubject) return plainToolTip(subjectFullText(a));
      if (index.column() == ColKind) return plainToolTip(a.kind);
      if (index.column() == ColDetail) return plainToolTip(a.detail);
      return {};
    case Qt::ForegroundRole:
      if (index.column() == ColSeverity) return QBrush(severityColor(a.severity));
      return {};
    case Qt::BackgroundRole:
      if (a.state == QLatin1String("raised") && a.severity >= Severity::High)
        return tint(severityColor(a.severity));
      return {};
    case Qt::FontRole:
      if (a.state == QLatin1String("raised")) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case IdRole: return a.id;
    case SeverityRole: return static_cast<int>(a.severity);
    default: return {};
  }
}

QVariant AlarmQueueModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case ColSeverity: return tr("Severity");
    case ColRaised: return tr("Raised");
    case ColKind: return tr("Alarm");
    case ColSubject: return tr("Where");
    case ColState: return tr("State");
    case ColCount: return tr("#");
    case ColDetail: return tr("Detail");
    default: return {};
  }
}

// ---- presence ------------------------------------------------------------------------------------------

void PresenceModel::setSite(const Site& site) {
  beginResetModel();
  site_ = site;
  rows_.clear();
  index_.clear();
  for (const auto& p : site.people) {
    index_.insert(p.id, static_cast<int>(rows_.size()));
    rows_.push_back(Row{p.id, p.name, {}, {}, {}});
  }
  endResetModel();
}

void PresenceModel::applyEvents(const QVector<AccessEvent>& events) {
  QVector<int> changed;
  for (const auto& e : events) {
    if (!e.granted() || e.person.isEmpty()) continue;
    QString zone = e.destination;
    if (!zone.isEmpty()) {
      // the server told us where the person ended up
    } else if (const auto* p = site_.portal(e.portal)) {
      const auto reader = site_.readers.constFind(e.reader);
      const bool exit = reader != site_.readers.cend() && reader->exit;
      zone = exit ? p->from : p->to;
    } else if (const auto* r = site_.rack(e.portal)) {
      zone = r->zone;  // a rack access keeps the person in the rack's zone
    } else {
      continue;
    }
    int row = index_.value(e.person, -1);
    if (row < 0) {
      row = static_cast<int>(rows_.size());
      beginInsertRows({}, row, row);
      index_.insert(e.person, row);
      rows_.push_back(Row{e.person, e.personName.isEmpty() ? e.person : e.personName, {}, {}, {}});
      endInsertRows();
    }
    auto& r = rows_[row];
    if (r.since.isValid() && e.time.isValid() && e.time < r.since) continue;  // late, older event
    r.zone = zone;
    r.since = e.time;
    r.via = e.portal;
    changed.push_back(row);
  }
  emitRowRuns(this, changed, ColumnCount - 1);
}

void PresenceModel::resetPresence(const QHash<QString, QString>& zoneByPerson) {
  beginResetModel();
  for (auto& r : rows_) {
    r.zone = zoneByPerson.value(r.person);
    r.since = {};
    r.via.clear();
  }
  for (auto it = zoneByPerson.cbegin(); it != zoneByPerson.cend(); ++it) {
    if (index_.contains(it.key())) continue;
    index_.insert(it.key(), static_cast<int>(rows_.size()));
    rows_.push_back(Row{it.key(), it.key(), it.value(), {}, {}});
  }
  endResetModel();
}

QString PresenceModel::zoneOf(const QString& person) const {
  const int row = index_.value(person, -1);
  return row < 0 ? QString() : rows_[row].zone;
}

int PresenceModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int PresenceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant PresenceModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& r = rows_[index.row()];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case ColPerson: return r.name;
      case ColZone: return r.zone.isEmpty() ? tr("not seen") : zoneName(site_, r.zone);
      case ColSince: return timeText(r.since);
      case ColVia: {
        const auto* p = site_.portal(r.via);
        return p != nullptr ? p->name : r.via;
      }
      default: return {};
    }
  }
  if (role == IdRole) return r.person;
  if (role == SortRole) return data(index, Qt::DisplayRole);
  return {};
}

QVariant PresenceModel::headerData(int section, Qt::Orientation o, int role) const {
  static const char* const names[] = {QT_TR_NOOP("Person"), QT_TR_NOOP("Where"), QT_TR_NOOP("Since"),
                                      QT_TR_NOOP("Via")};
  const char* name = headerName(names, ColumnCount, section, o, role);
  return name != nullptr ? QVariant(tr(name)) : QVariant();
}

}  // namespace portcullis::console
