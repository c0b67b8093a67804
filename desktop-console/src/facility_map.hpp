#pragma once
// The facility map, drawn from the site alone: zones as nested rectangles laid out from the zone tree
// (shaded by tier, with occupancy, a lockdown or fire hatch), doors as markers on the edge a zone shares with
// its parent (a glyph and a colour per state), mantrap vestibules outlined, racks with seal, contents, lock.
// Every open alarm is marked on its subject in its severity colour, flashing until acknowledged.
// Texts are placed once per layout so that none overlaps another or a zone header (labelRects() for tests).
// All text is drawn with QPainter::drawText from plain strings: nothing is interpreted as rich text.
#include <QGraphicsView>
#include <QHash>
#include <QTimer>

#include "alarm_subjects.hpp"
#include "console_state.hpp"

namespace portcullis::console {

class ZoneItem;
class DoorItem;
class RackItem;

// The alarm marker on one map item: the worst open alarm about it.
struct AlarmMark {
  Severity severity = Severity::Low;
  bool unacknowledged = false;  // any of its alarms still raised: the marker flashes
  QString alarmId;              // the worst one (selected when the marker is clicked)
  int alarms = 0;               // how many open alarms are about this item
  bool operator==(const AlarmMark&) const = default;
};

class FacilityMap : public QGraphicsView {
  Q_OBJECT
 public:
  explicit FacilityMap(ConsoleState* state, QWidget* parent = nullptr);

  void rebuild();
  void refresh(const QVector<QString>& doorIds, const QVector<QString>& zoneIds,
               const QVector<QString>& rackIds);
  void refreshAll();
  void select(const QString& kind, const QString& id);
  // Shows an alarm's subject selected (the alarm table's selection).
  void selectAlarm(const QString& alarmId);
  // For tests and the screenshot: where an item sits, in view coordinates.
  [[nodiscard]] QPoint viewPosOf(const QString& kind, const QString& id) const;
  // Where an item's alarm marker is, in view coordinates ({-1,-1} without one).
  [[nodiscard]] QPoint alarmMarkPosOf(const QString& kind, const QString& id) const;
  // For tests: the text lines a rack's tile shows (seal, contents, weights or tier, last line), as painted.
  [[nodiscard]] QStringList rackTileLines(const QString& id) const;
  // For tests: the alarm markers drawn, by "kind:id".
  [[nodiscard]] const QHash<QString, AlarmMark>& alarmMarks() const { return marks_; }
  // For tests: the state a door is drawn in, and the short name drawn on the map.
  [[nodiscard]] std::optional<DoorLook> drawnDoorLook(const QString& id) const;
  // For tests: the lockdown, fire and occupancy a zone is drawn with.
  [[nodiscard]] std::optional<ZoneState> drawnZoneState(const QString& id) const;
  [[nodiscard]] QString drawnName(const QString& kind, const QString& id) const;
  // For tests: every text or marker rectangle in scene coordinates, named ("door-label:cage-door", ...).
  // Placement guarantees that none intersects another.
  [[nodiscard]] QVector<std::pair<QString, QRectF>> labelRects() const;
  [[nodiscard]] bool flashPhase() const { return flashOn_; }

  // The scene is always kSceneHeight tall; its width follows the view's aspect ratio so the map fills it.
  static constexpr qreal kSceneHeight = 1000;

 signals:
  void itemSelected(const QString& kind, const QString& id);
  void alarmSelected(const QString& alarmId);
  void commandRequested(const QString& target, const QString& command);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void layoutZone(const QString& id, const QRectF& rect, int depth);
  void placeDoors();
  void placeLabels();
  std::pair<QString, QString> hit(const QPoint& viewPos) const;
  QString alarmAt(const QPoint& viewPos) const;
  void addLegend(const QRectF& area);
  void updateAlarmMarks();

  ConsoleState* state_;
  QGraphicsScene scene_;
  QHash<QString, ZoneItem*> zones_;
  QHash<QString, DoorItem*> doors_;
  QHash<QString, RackItem*> racks_;
  QHash<QString, QString> doorNames_;  // short names drawn on the map
  QHash<QString, QString> rackNames_;
  QVector<std::pair<QString, QRectF>> legendRects_;
  QHash<QString, AlarmMark> marks_;
  QTimer flash_;
  bool flashOn_ = true;
  qreal sceneWidth_ = 1600;
};

}  // namespace portcullis::console
