#pragma once
// The facility map, drawn from the site alone: zones as nested rectangles laid out from the zone tree
// (shaded by tier, with occupancy and a lockdown hatch), doors as markers on the edge a zone shares with its
// parent (coloured by state), mantrap vestibules outlined, racks with lock, seal and asset count.
// All text is drawn with QPainter::drawText from plain strings: nothing is interpreted as rich text.
#include <QGraphicsView>
#include <QHash>

#include "console_state.hpp"

namespace portcullis::console {

class ZoneItem;
class DoorItem;
class RackItem;

class FacilityMap : public QGraphicsView {
  Q_OBJECT
 public:
  explicit FacilityMap(ConsoleState* state, QWidget* parent = nullptr);

  void rebuild();
  void refresh(const QVector<QString>& doorIds, const QVector<QString>& zoneIds,
               const QVector<QString>& rackIds);
  void refreshAll();
  void select(const QString& kind, const QString& id);
  // For tests and the screenshot: where an item sits, in view coordinates.
  [[nodiscard]] QPoint viewPosOf(const QString& kind, const QString& id) const;
  // For tests: the text lines a rack's tile shows (seal, contents, weights or tier, last line), as painted.
  [[nodiscard]] QStringList rackTileLines(const QString& id) const;

  // The scene is always kSceneHeight tall; its width follows the view's aspect ratio so the map fills it.
  static constexpr qreal kSceneHeight = 1000;

 signals:
  void itemSelected(const QString& kind, const QString& id);
  void commandRequested(const QString& target, const QString& command);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  void layoutZone(const QString& id, const QRectF& rect, int depth);
  std::pair<QString, QString> hit(const QPoint& viewPos) const;
  void addLegend(const QRectF& area);

  ConsoleState* state_;
  QGraphicsScene scene_;
  QHash<QString, ZoneItem*> zones_;
  QHash<QString, DoorItem*> doors_;
  QHash<QString, RackItem*> racks_;
  QHash<QString, int> doorsOnEdge_;
  qreal sceneWidth_ = 1600;
};

}  // namespace portcullis::console
