#include "facility_map.hpp"

#include <QContextMenuEvent>
#include <QGraphicsItem>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <algorithm>
#include <cmath>
#include <functional>

#include "theme.hpp"

namespace portcullis::console {

namespace {

constexpr int kKindRole = 0;
constexpr int kIdRole = 1;
constexpr qreal kHeader = 56;
constexpr qreal kPad = 20;
constexpr qreal kRackW = 192;
constexpr qreal kRackH = 146;
constexpr qreal kRackGap = 14;
constexpr qreal kDoor = 34;

QFont mapFont(int px, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(px);
  f.setBold(bold);
  return f;
}

QString elided(const QString& text, const QFont& font, qreal width) {
  return QFontMetricsF(font).elidedText(text, Qt::ElideRight, width);
}

}  // namespace

class ZoneItem : public QGraphicsItem {
 public:
  ZoneItem(SiteZone zone, QRectF rect, bool vestibule)
      : zone_(std::move(zone)), rect_(rect), vestibule_(vestibule) {
    setData(kKindRole, QStringLiteral("zone"));
    setData(kIdRole, zone_.id);
  }
  QRectF boundingRect() const override { return rect_.adjusted(-3, -3, 3, 3); }
  void setState(const ZoneState& s) {
    state_ = s;
    update();
  }
  void setSelectedLook(bool on) {
    selected_ = on;
    update();
  }
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->setRenderHint(QPainter::Antialiasing);
    const auto edge = tierEdge(zone_.tier);
    p->setPen(Qt::NoPen);
    p->setBrush(tierFill(zone_.tier));
    p->drawRoundedRect(rect_, 8, 8);
    // Header band: name, tier, occupancy.
    QRectF header(rect_.left(), rect_.top(), rect_.width(), kHeader - 8);
    QColor band = edge;
    band.setAlpha(40);
    p->setBrush(band);
    QPainterPath hp;
    hp.addRoundedRect(header, 8, 8);
    p->drawPath(hp);
    if (state_.lockdown) {
      QColor red(0xff, 0x3b, 0x30, 110);
      p->setBrush(QBrush(red, Qt::BDiagPattern));
      p->drawRoundedRect(rect_, 8, 8);
    }
    QPen pen(state_.lockdown ? QColor(0xff, 0x3b, 0x30) : edge, state_.lockdown ? 4 : 2);
    if (vestibule_) pen.setStyle(Qt::DashLine);
    if (selected_) pen = QPen(Qt::white, 4);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(rect_, 8, 8);

    const auto occ = state_.occupancy == 1 ? QStringLiteral("1 person")
                                           : QStringLiteral("%1 people").arg(state_.occupancy);
    const auto occFont = mapFont(17, true);
    const qreal occW = QFontMetricsF(occFont).horizontalAdvance(occ) + 16;
    // Tier badge.
    const auto tierText = QStringLiteral("T%1").arg(zone_.tier);
    const auto badgeFont = mapFont(14, true);
    QRectF badge(rect_.left() + 10, rect_.top() + 9, 34, 24);
    p->setPen(Qt::NoPen);
    p->setBrush(edge);
    p->drawRoundedRect(badge, 4, 4);
    p->setFont(badgeFont);
    p->setPen(QColor(0x10, 0x14, 0x1a));
    p->drawText(badge, Qt::AlignCenter, tierText);

    const auto titleFont = mapFont(19, true);
    p->setFont(titleFont);
    p->setPen(colors::text);
    QString title = zone_.name;
    if (vestibule_) title = QStringLiteral("MANTRAP · ") + title;
    const qreal titleW = std::min(rect_.width() - 60 - doorSpace_, rect_.width() - 60 - occW);
    p->drawText(QRectF(badge.right() + 8, rect_.top() + 6, std::max<qreal>(titleW, 20), 30),
                Qt::AlignLeft | Qt::AlignVCenter, elided(title, titleFont, std::max<qreal>(titleW, 20)));
    if (state_.lockdown) {
      const auto f = mapFont(15, true);
      p->setFont(f);
      QRectF tag(rect_.left() + 10, rect_.bottom() - 34, 120, 26);
      p->setPen(Qt::NoPen);
      p->setBrush(QColor(0xff, 0x3b, 0x30));
      p->drawRoundedRect(tag, 4, 4);
      p->setPen(Qt::white);
      p->drawText(tag, Qt::AlignCenter, QStringLiteral("LOCKDOWN"));
    }
    p->setFont(occFont);
    p->setPen(state_.occupancy > 0 ? colors::text : colors::dimText);
    p->drawText(QRectF(rect_.right() - occW - 10, rect_.top() + 6, occW, 30),
                Qt::AlignRight | Qt::AlignVCenter, occ);
  }
  [[nodiscard]] const QRectF& rect() const { return rect_; }
  void reserveDoorSpace(qreal w) { doorSpace_ = w; }

 private:
  SiteZone zone_;
  QRectF rect_;
  bool vestibule_;
  bool selected_ = false;
  qreal doorSpace_ = 0;
  ZoneState state_;
};

class DoorItem : public QGraphicsItem {
 public:
  DoorItem(SitePortal portal, QPointF center, bool labelLeft)
      : portal_(std::move(portal)), labelLeft_(labelLeft) {
    setPos(center);
    setData(kKindRole, QStringLiteral("door"));
    setData(kIdRole, portal_.id);
    setZValue(10);
    setToolTip({});  // never a rich-text tooltip from server data
  }
  QRectF boundingRect() const override {
    return QRectF(-kDoor - 200, -kDoor / 2 - 14, 2 * kDoor + 400, kDoor + 30);
  }
  void setState(const DoorState* s) {
    look_ = s != nullptr ? doorLook(*s) : DoorLook::Offline;
    update();
  }
  void setSelectedLook(bool on) {
    selected_ = on;
    update();
  }
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->setRenderHint(QPainter::Antialiasing);
    const auto c = doorLookColor(look_);
    const bool alarm = look_ == DoorLook::Forced || look_ == DoorLook::Held;
    QRectF box(-kDoor / 2, -kDoor / 2, kDoor, kDoor);
    if (alarm) {
      QColor glow = c;
      glow.setAlpha(90);
      p->setPen(Qt::NoPen);
      p->setBrush(glow);
      p->drawEllipse(box.adjusted(-12, -12, 12, 12));
    }
    p->setPen(QPen(selected_ ? Qt::white : QColor(0x0b, 0x0e, 0x12), selected_ ? 3 : 2));
    p->setBrush(c);
    if (!portal_.mantrap.isEmpty()) {
      QPolygonF diamond{{0, -kDoor / 2 - 3}, {kDoor / 2 + 3, 0}, {0, kDoor / 2 + 3}, {-kDoor / 2 - 3, 0}};
      p->drawPolygon(diamond);
    } else if (portal_.kind == QLatin1String("turnstile")) {
      p->drawEllipse(box);
    } else {
      p->drawRoundedRect(box, 5, 5);
    }
    // A glyph that survives colour blindness: a bar for locked, a gap for open, a cross for offline.
    p->setPen(QPen(QColor(0x10, 0x14, 0x1a), 3, Qt::SolidLine, Qt::RoundCap));
    switch (look_) {
      case DoorLook::Locked:
      case DoorLook::LockedDown: p->drawLine(QPointF(-8, 0), QPointF(8, 0)); break;
      case DoorLook::Open:
      case DoorLook::Held: p->drawLine(QPointF(-8, -6), QPointF(6, 6)); break;
      case DoorLook::Unlocked: p->drawEllipse(QPointF(0, 0), 5, 5); break;
      case DoorLook::Forced:
        p->drawLine(QPointF(0, -9), QPointF(0, 3));
        p->drawPoint(QPointF(0, 8));
        break;
      case DoorLook::Offline:
        p->drawLine(QPointF(-7, -7), QPointF(7, 7));
        p->drawLine(QPointF(-7, 7), QPointF(7, -7));
        break;
    }
    const auto nameFont = mapFont(14, true);
    const auto stateFont = mapFont(13, true);
    const qreal labelW = 190;
    const qreal lx = labelLeft_ ? -kDoor / 2 - 8 - labelW : kDoor / 2 + 8;
    const auto align = (labelLeft_ ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
    p->setFont(nameFont);
    p->setPen(colors::text);
    p->drawText(QRectF(lx, -kDoor / 2 - 6, labelW, 20), align, elided(portal_.name, nameFont, labelW));
    p->setFont(stateFont);
    p->setPen(c);
    p->drawText(QRectF(lx, -2, labelW, 18), align, doorLookName(look_));
  }

 private:
  SitePortal portal_;
  bool labelLeft_;
  DoorLook look_ = DoorLook::Offline;
  bool selected_ = false;
};

// What the map needs to say about a rack's contents, from the asset model.
struct RackContents {
  int weights = 0;  // assets in the rack that hold model weights
  int missing = 0;  // assets whose home is the rack and that the server reports missing
};

class RackItem : public QGraphicsItem {
 public:
  RackItem(SiteRack rack, QPointF topLeft) : rack_(std::move(rack)) {
    setPos(topLeft);
    setData(kKindRole, QStringLiteral("rack"));
    setData(kIdRole, rack_.id);
    setZValue(5);
  }
  QRectF boundingRect() const override { return QRectF(-3, -3, kRackW + 6, kRackH + 6); }
  void setState(const RackState* s, RackContents contents) {
    state_ = s != nullptr ? *s : RackState{};
    known_ = s != nullptr && s->known;
    contents_ = contents;
    update();
  }
  void setSelectedLook(bool on) {
    selected_ = on;
    update();
  }
  [[nodiscard]] QString sealLine() const {
    if (!known_) return QStringLiteral("no data");
    return state_.sealBroken() ? QStringLiteral("⚠ SEAL BROKEN") : sealText(state_.seal);
  }
  [[nodiscard]] QString thirdLine() const {
    if (contents_.weights > 0) return QStringLiteral("%1 hold weights").arg(contents_.weights);
    return QStringLiteral("tier %1").arg(state_.tier >= 0 ? state_.tier : rack_.tier);
  }
  // Missing assets (alarmed) beat assets away from home, which beat the lock state (only when reported).
  [[nodiscard]] QString lastLine() const {
    if (contents_.missing > 0) return QStringLiteral("%1 MISSING").arg(contents_.missing);
    if (state_.away > 0) return rackAwayText(state_);
    if (state_.lockKnown)
      return state_.open ? QStringLiteral("DOOR OPEN")
                         : (state_.locked ? QStringLiteral("LOCKED") : QStringLiteral("UNLOCKED"));
    return {};
  }
  [[nodiscard]] QStringList lines() const {
    if (!known_) return {sealLine()};
    return {sealLine(), rackContentsText(state_), thirdLine(), lastLine()};
  }
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->setRenderHint(QPainter::Antialiasing);
    const QColor red(0xff, 0x3b, 0x30);
    const bool broken = known_ && state_.sealBroken();
    QColor edge(0x34, 0xc7, 0x59);
    if (!known_)
      edge = QColor(0x8a, 0x8f, 0x98);
    else if (state_.lockKnown && state_.open)
      edge = QColor(0xff, 0xd6, 0x0a);
    else if (state_.lockKnown && !state_.locked)
      edge = QColor(0x40, 0xc8, 0xff);
    if (contents_.missing > 0 || state_.awayElsewhere() > 0) edge = QColor(0xff, 0x95, 0x00);
    if (broken) edge = red;
    const QRectF r(0, 0, kRackW, kRackH);
    // A broken seal fills the whole rack red, so it reads from across the room, not only its text.
    p->setBrush(broken ? QColor(0x5a, 0x10, 0x10) : QColor(0x0e, 0x12, 0x17));
    p->setPen(QPen(selected_ ? Qt::white : edge, selected_ ? 4 : (broken ? 5 : 3)));
    p->drawRoundedRect(r, 6, 6);
    const auto nameFont = mapFont(24, true);
    p->setFont(nameFont);
    p->setPen(colors::text);
    QString shortName = rack_.id;
    if (shortName.startsWith(QLatin1String("rack-"))) shortName = shortName.mid(5).toUpper();
    p->drawText(QRectF(10, 4, kRackW - 20, 30), Qt::AlignLeft | Qt::AlignVCenter,
                elided(shortName, nameFont, kRackW - 70));
    // Two-person racks carry a "2P" badge top right: a guard must not expect one person at that rack.
    const bool twoPerson = rack_.twoPerson || state_.twoPerson;
    if (twoPerson) {
      const QRectF badge(kRackW - 50, 8, 40, 24);
      p->setPen(Qt::NoPen);
      p->setBrush(QColor(0xd0, 0x4d, 0xff));
      p->drawRoundedRect(badge, 4, 4);
      p->setPen(Qt::white);
      p->setFont(mapFont(16, true));
      p->drawText(badge, Qt::AlignCenter, QStringLiteral("2P"));
    }
    const auto f = mapFont(18, true);
    p->setFont(f);
    if (!known_) {
      p->setPen(colors::dimText);
      p->drawText(QRectF(10, 40, kRackW - 16, 26), Qt::AlignLeft, sealLine());
      return;
    }
    // Seal: the loudest line.
    p->setPen(broken ? QColor(0xff, 0xd0, 0xcc)
                     : (state_.seal == QLatin1String("intact") ? QColor(0x34, 0xc7, 0x59) : colors::dimText));
    p->drawText(QRectF(10, 37, kRackW - 16, 26), Qt::AlignLeft | Qt::AlignVCenter,
                elided(sealLine(), f, kRackW - 16));
    // Contents: "present / expected" when the server says what belongs here (orange while some are away),
    // else the asset count; then how many hold model weights (or the tier when none do).
    p->setPen(state_.awayElsewhere() > 0 ? QColor(0xff, 0x95, 0x00) : colors::text);
    p->drawText(QRectF(10, 64, kRackW - 16, 26), Qt::AlignLeft | Qt::AlignVCenter,
                elided(rackContentsText(state_), f, kRackW - 16));
    p->setPen(contents_.weights > 0 ? QColor(0xff, 0xc8, 0x6b) : colors::dimText);
    p->drawText(QRectF(10, 90, kRackW - 16, 26), Qt::AlignLeft | Qt::AlignVCenter,
                elided(thirdLine(), f, kRackW - 16));
    // Last line: missing assets, then assets away from home, then the lock (only when the server reports it).
    const QString last = lastLine();
    if (contents_.missing > 0 || state_.awayElsewhere() > 0)
      p->setPen(QColor(0xff, 0x95, 0x00));
    else if (state_.unseen > 0)
      p->setPen(colors::dimText);  // registered, not read yet: nothing to worry about
    else if (state_.lockKnown)
      p->setPen(state_.open ? QColor(0xff, 0xd6, 0x0a)
                            : (state_.locked ? QColor(0x34, 0xc7, 0x59) : QColor(0x40, 0xc8, 0xff)));
    if (!last.isEmpty())
      p->drawText(QRectF(10, 116, kRackW - 16, 26), Qt::AlignLeft | Qt::AlignVCenter, last);
  }

 private:
  SiteRack rack_;
  RackState state_;
  RackContents contents_;
  bool known_ = false;
  bool selected_ = false;
};

FacilityMap::FacilityMap(ConsoleState* state, QWidget* parent) : QGraphicsView(parent), state_(state) {
  setScene(&scene_);
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setBackgroundBrush(colors::background);
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
  connect(state_, &ConsoleState::siteChanged, this, &FacilityMap::rebuild);
  connect(state_, &ConsoleState::snapshotApplied, this, &FacilityMap::refreshAll);
  connect(state_, &ConsoleState::batchApplied, this,
          [this](const QVector<QString>& d, const QVector<QString>& z, const QVector<QString>& r,
                 const QVector<AccessEvent>&) { refresh(d, z, r); });
  rebuild();
}

void FacilityMap::rebuild() {
  scene_.clear();
  zones_.clear();
  doors_.clear();
  racks_.clear();
  doorsOnEdge_.clear();
  const auto& site = state_->site();
  QVector<QString> roots;
  for (const auto& z : site.zones)
    if (z.parent.isEmpty()) roots.push_back(z.id);
  const qreal legendH = 56;
  QRectF area(0, 0, sceneWidth_, kSceneHeight - legendH);
  if (!roots.isEmpty()) {
    const qreal w = area.width() / static_cast<qreal>(roots.size());
    for (qsizetype i = 0; i < roots.size(); ++i)
      layoutZone(roots[i],
                 QRectF(area.left() + static_cast<qreal>(i) * w, area.top(),
                        w - (i + 1 < roots.size() ? kPad : 0), area.height()),
                 0);
  }
  // Doors sit on the top edge of the inner zone of the two they join, at its right end, one after another.
  for (const auto& portal : site.portals) {
    const auto* from = site.zone(portal.from);
    const auto* to = site.zone(portal.to);
    QString inner = portal.to;
    if (from != nullptr && to != nullptr && to->id == from->parent) inner = portal.from;
    auto* zone = zones_.value(inner);
    if (zone == nullptr) continue;
    const int slot = doorsOnEdge_[inner]++;
    const QRectF& r = zone->rect();
    // Centre of the edge: nested zones share their left side, so their centres step down and to the
    // left and the markers of a deep chain do not pile up in one corner.
    const qreal x = std::clamp(std::max<qreal>(r.width() * 0.42, 300) + slot * 250,
                               std::min<qreal>(230, r.width() - 40), r.width() - 40);
    const QPointF center(r.left() + x, r.top());
    zone->reserveDoorSpace(r.width() - x + 30);
    auto* item = new DoorItem(portal, center, center.x() + 200 > sceneWidth_);
    scene_.addItem(item);
    doors_.insert(portal.id, item);
  }
  addLegend(QRectF(0, kSceneHeight - legendH + 14, sceneWidth_, legendH - 14));
  scene_.setSceneRect(QRectF(-10, -24, sceneWidth_ + 20, kSceneHeight + 30));
  refreshAll();
  fitInView(scene_.sceneRect(), Qt::KeepAspectRatio);
}

void FacilityMap::layoutZone(const QString& id, const QRectF& rect, int depth) {
  const auto& site = state_->site();
  const auto* zone = site.zone(id);
  if (zone == nullptr || depth > 32) return;
  auto* item = new ZoneItem(*zone, rect, site.isMantrapVestibule(id));
  item->setZValue(depth);
  scene_.addItem(item);
  zones_.insert(id, item);

  QRectF inner = rect.adjusted(kPad, kHeader, -kPad, -kPad);
  QVector<const SiteRack*> racks;
  for (const auto& r : site.racks)
    if (r.zone == id) racks.push_back(&r);
  const auto children = site.childrenOf(id);
  if (!racks.isEmpty()) {
    // Own racks in a column on the left when there are children, else a grid filling the zone.
    const int perColumn = std::max(1, static_cast<int>((inner.height() + kRackGap) / (kRackH + kRackGap)));
    const int columns = children.isEmpty()
                            ? std::max(1, static_cast<int>((inner.width() + kRackGap) / (kRackW + kRackGap)))
                            : (static_cast<int>(racks.size()) + perColumn - 1) / perColumn;
    for (qsizetype i = 0; i < racks.size(); ++i) {
      const int col = children.isEmpty() ? static_cast<int>(i) % columns : static_cast<int>(i) / perColumn;
      const int row = children.isEmpty() ? static_cast<int>(i) / columns : static_cast<int>(i) % perColumn;
      auto* rackItem = new RackItem(*racks[i], QPointF(inner.left() + col * (kRackW + kRackGap),
                                                       inner.top() + 8 + row * (kRackH + kRackGap)));
      rackItem->setZValue(depth + 0.5);
      scene_.addItem(rackItem);
      racks_.insert(racks[i]->id, rackItem);
    }
    if (!children.isEmpty()) inner.setLeft(inner.left() + columns * (kRackW + kRackGap) + kPad / 2);
  }
  if (children.isEmpty()) return;
  // Weight a child by the size of its subtree so deep branches get room.
  std::function<int(const QString&)> weight = [&](const QString& z) {
    int w = 1;
    for (const auto& c : site.childrenOf(z)) w += weight(c);
    for (const auto& r : site.racks)
      if (r.zone == z) ++w;
    return w;
  };
  int total = 0;
  QVector<int> weights;
  for (const auto& c : children) {
    // Square-root weights: a deep branch gets more room, a leaf still enough for its name and doors.
    weights.push_back(static_cast<int>(std::lround(100 * std::sqrt(weight(c)))));
    total += weights.back();
  }
  const bool horizontal = inner.width() >= inner.height() * 0.9;
  const qreal gap = kPad;
  const qreal span =
      (horizontal ? inner.width() : inner.height()) - gap * static_cast<qreal>(children.size() - 1);
  qreal offset = 0;
  for (qsizetype i = 0; i < children.size(); ++i) {
    const qreal len = span * static_cast<qreal>(weights[i]) / static_cast<qreal>(total);
    const QRectF childRect = horizontal ? QRectF(inner.left() + offset, inner.top(), len, inner.height())
                                        : QRectF(inner.left(), inner.top() + offset, inner.width(), len);
    layoutZone(children[i], childRect, depth + 1);
    offset += len + gap;
  }
}

void FacilityMap::addLegend(const QRectF& area) {
  const QList<DoorLook> looks{DoorLook::Locked, DoorLook::Open,       DoorLook::Unlocked, DoorLook::Held,
                              DoorLook::Forced, DoorLook::LockedDown, DoorLook::Offline};
  qreal x = area.left();
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(15);
  f.setBold(true);
  for (const auto look : looks) {
    auto* dot = scene_.addRect(QRectF(x, area.top() + 6, 20, 20), QPen(Qt::NoPen), doorLookColor(look));
    dot->setZValue(1);
    auto* label = scene_.addSimpleText(doorLookName(look), f);  // QGraphicsSimpleTextItem: plain text only
    label->setBrush(colors::dimText);
    label->setPos(x + 28, area.top() + 5);
    x += 28 + label->boundingRect().width() + 22;
  }
  auto* note = scene_.addSimpleText(QStringLiteral("◆ mantrap door  ● turnstile  2P: two-person rack"), f);
  note->setBrush(colors::dimText);
  note->setPos(x + 10, area.top() + 5);
  if (x + 10 + note->boundingRect().width() > area.right())
    note->hide();  // no room: the shapes speak for themselves
}

void FacilityMap::refresh(const QVector<QString>& doorIds, const QVector<QString>& zoneIds,
                          const QVector<QString>& rackIds) {
  for (const auto& id : doorIds)
    if (auto* d = doors_.value(id)) d->setState(state_->doors()->door(id));
  for (const auto& id : zoneIds)
    if (auto* z = zones_.value(id)) {
      const auto* s = state_->zones()->zone(id);
      z->setState(s != nullptr ? *s : ZoneState{id, 0, false});
    }
  for (const auto& id : rackIds)
    if (auto* r = racks_.value(id)) {
      RackContents contents;
      for (const auto* a : state_->assets()->inRack(id)) {
        if (a->holdsModelWeights) ++contents.weights;
        if (a->missing) ++contents.missing;
      }
      for (const auto* a : state_->assets()->awayFrom(id))
        if (a->missing) ++contents.missing;
      r->setState(state_->racks()->rack(id), contents);
    }
}

void FacilityMap::refreshAll() {
  refresh(QVector<QString>(doors_.keyBegin(), doors_.keyEnd()),
          QVector<QString>(zones_.keyBegin(), zones_.keyEnd()),
          QVector<QString>(racks_.keyBegin(), racks_.keyEnd()));
}

void FacilityMap::select(const QString& kind, const QString& id) {
  for (auto it = zones_.begin(); it != zones_.end(); ++it)
    it.value()->setSelectedLook(kind == QLatin1String("zone") && it.key() == id);
  for (auto it = doors_.begin(); it != doors_.end(); ++it)
    it.value()->setSelectedLook(kind == QLatin1String("door") && it.key() == id);
  for (auto it = racks_.begin(); it != racks_.end(); ++it)
    it.value()->setSelectedLook(kind == QLatin1String("rack") && it.key() == id);
}

QPoint FacilityMap::viewPosOf(const QString& kind, const QString& id) const {
  const QGraphicsItem* item = nullptr;
  if (kind == QLatin1String("door")) item = doors_.value(id);
  if (kind == QLatin1String("zone")) item = zones_.value(id);
  if (kind == QLatin1String("rack")) item = racks_.value(id);
  if (item == nullptr) return {-1, -1};
  QPointF p = item->pos();
  if (kind == QLatin1String("zone"))
    p = static_cast<const ZoneItem*>(item)->rect().topLeft() + QPointF(30, 20);
  if (kind == QLatin1String("rack")) p += QPointF(kRackW / 2, kRackH / 2);
  return mapFromScene(p);
}

QStringList FacilityMap::rackTileLines(const QString& id) const {
  const auto* r = racks_.value(id);
  return r != nullptr ? r->lines() : QStringList{};
}

void FacilityMap::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  const auto size = viewport()->size();
  if (size.height() > 0) {
    const qreal wanted = std::clamp(kSceneHeight * size.width() / size.height(), 900.0, 3200.0);
    if (std::abs(wanted - sceneWidth_) > 30) {
      sceneWidth_ = wanted;
      rebuild();
      for (auto it = zones_.begin(); it != zones_.end(); ++it) it.value()->setSelectedLook(false);
    }
  }
  fitInView(scene_.sceneRect(), Qt::KeepAspectRatio);
}

std::pair<QString, QString> FacilityMap::hit(const QPoint& viewPos) const {
  // Topmost item that carries a kind: doors and racks above the zone that holds them.
  for (auto* item : items(viewPos)) {
    for (auto* i = item; i != nullptr; i = i->parentItem()) {
      const auto kind = i->data(kKindRole).toString();
      if (kind.isEmpty()) continue;
      if (kind == QLatin1String("door")) {
        // Only the marker itself is clickable, not its label area.
        const auto local = i->mapFromScene(mapToScene(viewPos));
        if (std::abs(local.x()) > kDoor / 2 + 4 || std::abs(local.y()) > kDoor / 2 + 4) continue;
      }
      return {kind, i->data(kIdRole).toString()};
    }
  }
  return {};
}

void FacilityMap::mousePressEvent(QMouseEvent* event) {
  const auto [kind, id] = hit(event->position().toPoint());
  if (!kind.isEmpty()) {
    select(kind, id);
    emit itemSelected(kind, id);
  }
  QGraphicsView::mousePressEvent(event);
}

void FacilityMap::contextMenuEvent(QContextMenuEvent* event) {
  const auto [kind, id] = hit(event->pos());
  if (kind.isEmpty() || kind == QLatin1String("rack")) return;
  select(kind, id);
  emit itemSelected(kind, id);
  QMenu menu(this);
  QList<std::pair<QString, QString>> actions;
  if (kind == QLatin1String("door"))
    actions = {{QStringLiteral("Momentary unlock"), QStringLiteral("momentary_unlock")},
               {QStringLiteral("Lock"), QStringLiteral("lock")},
               {QStringLiteral("Unlock"), QStringLiteral("unlock")},
               {QStringLiteral("Hold open (lock_open)"), QStringLiteral("lock_open")}};
  else
    actions = {{QStringLiteral("Lockdown zone"), QStringLiteral("lockdown")},
               {QStringLiteral("Release lockdown"), QStringLiteral("release")}};
  for (const auto& [label, command] : actions) {
    auto* a = menu.addAction(label);
    a->setData(command);
  }
  if (auto* chosen = menu.exec(event->globalPos())) emit commandRequested(id, chosen->data().toString());
}

}  // namespace portcullis::console
