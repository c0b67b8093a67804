#include "facility_map.hpp"

#include <QContextMenuEvent>
#include <QCoreApplication>
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
constexpr qreal kPad = 22;
constexpr qreal kRackW = 192;
constexpr qreal kRackH = 146;
constexpr qreal kRackGap = 14;
constexpr qreal kDoor = 34;
constexpr qreal kDoorReach = kDoor / 2 + 12;  // marker plus its alarm halo
constexpr qreal kMark = 26;                   // alarm marker triangle
constexpr qreal kLegendH = 104;
constexpr qreal kOccupancyW = 112;
constexpr qreal kChipH = 18;

QFont mapFont(int px, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setPixelSize(px);
  f.setBold(bold);
  return f;
}

QFont titleFont() {
  return mapFont(19, true);
}
QFont doorNameFont() {
  return mapFont(14, true);
}
QFont doorStateFont() {
  return mapFont(13, true);
}

qreal textWidth(const QFont& f, const QString& text) {
  return QFontMetricsF(f).horizontalAdvance(text);
}

// The alarm marker: a triangle with "!" in the severity colour; critical gets a second outline. Hollow in the
// "off" phase of a flash, so an unacknowledged alarm blinks and an acknowledged one stays steady.
void paintAlarmMark(QPainter* p, const QRectF& r, Severity severity, bool filled) {
  const auto c = severityColor(severity);
  QPolygonF tri{{r.center().x(), r.top()}, {r.right(), r.bottom()}, {r.left(), r.bottom()}};
  p->setPen(QPen(filled ? QColor(0x10, 0x14, 0x1a) : c, filled ? 2 : 3));
  p->setBrush(filled ? QBrush(c) : QBrush(QColor(0x10, 0x14, 0x1a)));
  p->drawPolygon(tri);
  if (severity == Severity::Critical) {
    p->setPen(QPen(c, 2));
    p->setBrush(Qt::NoBrush);
    const QRectF outer = r.adjusted(-4, -5, 4, 3);
    p->drawPolygon(QPolygonF{
        {outer.center().x(), outer.top()}, {outer.right(), outer.bottom()}, {outer.left(), outer.bottom()}});
  }
  p->setPen(filled ? QColor(0x10, 0x14, 0x1a) : c);
  p->setFont(mapFont(static_cast<int>(r.height() * 0.62), true));
  p->drawText(r.adjusted(0, r.height() * 0.25, 0, 0), Qt::AlignCenter, QStringLiteral("!"));
}

// A door marker: shape by kind (square door, circle turnstile, diamond mantrap door), colour and glyph by
// state. Used by the map and by the legend so both always agree.
void paintDoorMarker(QPainter* p, QPointF c, qreal size, DoorLook look, const QString& kind, bool mantrap,
                     bool selected) {
  const auto fill = doorLookColor(look);
  const QRectF box(c.x() - size / 2, c.y() - size / 2, size, size);
  QPen pen(selected ? Qt::white : QColor(0x0b, 0x0e, 0x12), selected ? 3 : 2);
  if (look == DoorLook::Offline) pen = QPen(selected ? Qt::white : QColor(0xd0, 0xd4, 0xda), 2, Qt::DashLine);
  p->setPen(pen);
  p->setBrush(look == DoorLook::Offline ? QColor(0x3a, 0x40, 0x48) : fill);
  if (mantrap) {
    const qreal h = size / 2 + 3;
    p->drawPolygon(QPolygonF{{c.x(), c.y() - h}, {c.x() + h, c.y()}, {c.x(), c.y() + h}, {c.x() - h, c.y()}});
  } else if (kind == QLatin1String("turnstile")) {
    p->drawEllipse(box);
  } else {
    p->drawRoundedRect(box, 5, 5);
  }
  p->setPen(look == DoorLook::Offline ? QColor(0xe8, 0xec, 0xf1) : QColor(0x10, 0x14, 0x1a));
  p->setFont(mapFont(static_cast<int>(size * 0.6), true));
  p->drawText(box, Qt::AlignCenter, doorLookGlyph(look));
}

}  // namespace

class ZoneItem : public QGraphicsItem {
 public:
  ZoneItem(SiteZone zone, QString title, QRectF rect, bool vestibule)
      : zone_(std::move(zone)), title_(std::move(title)), rect_(rect), vestibule_(vestibule) {
    setData(kKindRole, QStringLiteral("zone"));
    setData(kIdRole, zone_.id);
    // Header: tier badge, alarm marker slot, title; the door markers of this zone's edge follow the title.
    // The bottom padding strip holds the state chip (left) and the occupancy (right).
    badge_ = QRectF(rect_.left() + 10, rect_.top() + 9, 34, 24);
    mark_ = QRectF(badge_.right() + 6, rect_.top() + 8, kMark, kMark - 2);
    setTitleEnd(rect_.right() - 10);
    chip_ = QRectF(rect_.left() + 10, rect_.bottom() - kChipH - 1,
                   std::min<qreal>(150, rect_.width() / 2 - 14), kChipH);
    occupancy_ = QRectF(rect_.right() - kOccupancyW - 10, rect_.bottom() - kChipH - 1, kOccupancyW, kChipH);
    setToolTip(plainToolTip(zone_.name));  // escaped: a name is never markup
  }
  QRectF boundingRect() const override { return rect_.adjusted(-3, -3, 3, 3); }
  void setState(const ZoneState& s) {
    state_ = s;
    update();
  }
  [[nodiscard]] const ZoneState& state() const { return state_; }
  void setSelectedLook(bool on) {
    selected_ = on;
    update();
  }
  void setMark(std::optional<AlarmMark> mark) {
    if (mark == mark_state_) return;  // repaint only what changed: batches arrive ten times a second
    mark_state_ = std::move(mark);
    update(mark_);
  }
  void flashChanged() {
    if (mark_state_ && mark_state_->unacknowledged) update(mark_);
  }
  void setFlashPhase(const bool* on) { flashOn_ = on; }
  // The title ends before the first door marker on this zone's edge (set once doors are placed).
  void setTitleEnd(qreal right) {
    const auto font = titleFont();
    const qreal left = mark_.right() + 6;
    const qreal room = std::max<qreal>(20, right - left);
    shownTitle_ = QFontMetricsF(font).elidedText(title_, Qt::ElideMiddle, room);
    title_rect_ = QRectF(left, rect_.top() + 6, std::min(room, textWidth(font, shownTitle_) + 2), 30);
  }
  [[nodiscard]] qreal titleNaturalRight() const {
    return mark_.right() + 6 + textWidth(titleFont(), title_) + 2;
  }
  [[nodiscard]] QVector<std::pair<QString, QRectF>> textRects() const {
    const auto id = zone_.id;
    return {{QStringLiteral("zone-badge:") + id, badge_},
            {QStringLiteral("zone-title:") + id, title_rect_},
            {QStringLiteral("zone-mark:") + id, mark_},
            {QStringLiteral("zone-occupancy:") + id, occupancy_},
            {QStringLiteral("zone-state:") + id, chip_}};
  }
  [[nodiscard]] const QRectF& markRect() const { return mark_; }
  [[nodiscard]] QString shownTitle() const { return shownTitle_; }
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->setRenderHint(QPainter::Antialiasing);
    const auto edge = tierEdge(zone_.tier);
    p->setPen(Qt::NoPen);
    p->setBrush(tierFill(zone_.tier));
    p->drawRoundedRect(rect_, 8, 8);
    QRectF header(rect_.left(), rect_.top(), rect_.width(), kHeader - 8);
    QColor band = edge;
    band.setAlpha(40);
    p->setBrush(band);
    QPainterPath hp;
    hp.addRoundedRect(header, 8, 8);
    p->drawPath(hp);
    // Lockdown and fire: a hatch over the zone, each its own pattern and edge (not colour alone).
    const QColor lockColor(0xd0, 0x4d, 0xff);
    const QColor fireColor(0xff, 0x6a, 0x3d);
    if (state_.lockdown) {
      QColor c = lockColor;
      c.setAlpha(120);
      p->setBrush(QBrush(c, Qt::BDiagPattern));
      p->drawRoundedRect(rect_, 8, 8);
    }
    if (state_.fire) {
      QColor c = fireColor;
      c.setAlpha(130);
      p->setBrush(QBrush(c, Qt::DiagCrossPattern));
      p->drawRoundedRect(rect_, 8, 8);
    }
    QPen pen(edge, 2);
    if (state_.lockdown) pen = QPen(lockColor, 5);
    if (state_.fire) pen = QPen(fireColor, 5, Qt::DashDotLine);
    if (vestibule_ && !state_.lockdown && !state_.fire) pen.setStyle(Qt::DashLine);
    if (selected_) pen = QPen(Qt::white, 4);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(rect_, 8, 8);

    p->setPen(Qt::NoPen);
    p->setBrush(edge);
    p->drawRoundedRect(badge_, 4, 4);
    p->setFont(mapFont(14, true));
    p->setPen(QColor(0x10, 0x14, 0x1a));
    p->drawText(badge_, Qt::AlignCenter, QCoreApplication::translate("FacilityMap", "T%1").arg(zone_.tier));

    p->setFont(titleFont());
    p->setPen(colors::text);
    p->drawText(title_rect_, Qt::AlignLeft | Qt::AlignVCenter, shownTitle_);

    // State chips in the bottom padding strip, which nothing else uses.
    QStringList chips;
    if (state_.lockdown)
      chips << QStringLiteral("≡ ") + QCoreApplication::translate("FacilityMap", "LOCKDOWN");
    if (state_.fire) chips << QStringLiteral("▲ ") + QCoreApplication::translate("FacilityMap", "FIRE");
    if (!chips.isEmpty()) {
      const auto f = mapFont(13, true);
      p->setFont(f);
      const auto text =
          QFontMetricsF(f).elidedText(chips.join(QStringLiteral("  ")), Qt::ElideRight, chip_.width() - 8);
      p->setPen(Qt::NoPen);
      p->setBrush(state_.fire ? fireColor : lockColor);
      p->drawRoundedRect(chip_, 4, 4);
      p->setPen(Qt::white);
      p->drawText(chip_, Qt::AlignCenter, text);
    }
    if (mark_state_)
      paintAlarmMark(p, mark_, mark_state_->severity, !mark_state_->unacknowledged || *flashOn_);

    const auto occ = state_.occupancy == 1
                         ? QCoreApplication::translate("FacilityMap", "%n person", nullptr, state_.occupancy)
                         : QCoreApplication::translate("FacilityMap", "%n people", nullptr, state_.occupancy);
    const auto occFont = mapFont(14, true);
    p->setFont(occFont);
    p->setPen(state_.occupancy > 0 ? colors::text : colors::dimText);
    p->drawText(occupancy_, Qt::AlignRight | Qt::AlignVCenter,
                QFontMetricsF(occFont).elidedText(occ, Qt::ElideRight, occupancy_.width()));
  }
  [[nodiscard]] const QRectF& rect() const { return rect_; }

 private:
  SiteZone zone_;
  QString title_;
  QString shownTitle_;
  QRectF rect_;
  QRectF badge_, title_rect_, mark_, occupancy_, chip_;
  bool vestibule_;
  bool selected_ = false;
  ZoneState state_;
  std::optional<AlarmMark> mark_state_;
  const bool* flashOn_ = nullptr;
};

class DoorItem : public QGraphicsItem {
 public:
  DoorItem(SitePortal portal, QString name, QPointF center)
      : portal_(std::move(portal)), name_(std::move(name)) {
    setPos(center);
    setData(kKindRole, QStringLiteral("door"));
    setData(kIdRole, portal_.id);
    setZValue(100);
    setToolTip(plainToolTip(portal_.name));
    // Wide enough for the name and for the widest state, so a change of state never moves the label.
    qreal stateW = 0;
    for (const auto look : allDoorLooks())
      stateW = std::max(stateW, textWidth(doorStateFont(), doorLookName(look)));
    labelSize_ = QSizeF(std::max(textWidth(doorNameFont(), name_), stateW) + 10, 38);
    label_ = QRectF(QPointF(kDoorReach + 4, -19), labelSize_);
  }
  QRectF boundingRect() const override {
    return QRectF(-kDoorReach - kMark, -kDoorReach - kMark, 2 * (kDoorReach + kMark),
                  2 * (kDoorReach + kMark))
        .united(label_)
        .adjusted(-2, -2, 2, 2);
  }
  void setState(const DoorState* s) {
    look_ = s != nullptr ? doorLook(*s) : DoorLook::Offline;
    update();
  }
  [[nodiscard]] DoorLook look() const { return look_; }
  void setSelectedLook(bool on) {
    selected_ = on;
    update();
  }
  void setMark(std::optional<AlarmMark> mark) {
    if (mark == mark_state_) return;  // repaint only what changed: batches arrive ten times a second
    mark_state_ = std::move(mark);
    update();
  }
  void flashChanged() {
    if (mark_state_ && mark_state_->unacknowledged) update(markRect());
  }
  void setFlashPhase(const bool* on) { flashOn_ = on; }
  [[nodiscard]] QSizeF labelSize() const { return labelSize_; }
  void setLabel(const QRectF& local, const QString& shownName) {
    prepareGeometryChange();
    label_ = local;
    shownName_ = shownName;
  }
  [[nodiscard]] QRectF labelRect() const { return label_; }
  // The marker and its alarm halo / alarm marker: the area nothing else may cover.
  static QRectF markerRect() { return {-kDoorReach, -kDoorReach, 2 * kDoorReach, 2 * kDoorReach}; }
  static QRectF markRect() { return {-kDoorReach, -kDoorReach, kMark - 4, kMark - 6}; }
  [[nodiscard]] const QString& name() const { return name_; }
  [[nodiscard]] QString shownName() const { return shownName_.isEmpty() ? name_ : shownName_; }
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->setRenderHint(QPainter::Antialiasing);
    const auto c = doorLookColor(look_);
    if (look_ == DoorLook::Forced || look_ == DoorLook::Held || look_ == DoorLook::FireRelease) {
      QColor glow = c;
      glow.setAlpha(90);
      p->setPen(Qt::NoPen);
      p->setBrush(glow);
      p->drawEllipse(QPointF(0, 0), kDoorReach, kDoorReach);
    }
    paintDoorMarker(p, {0, 0}, kDoor, look_, portal_.kind, !portal_.mantrap.isEmpty(), selected_);
    if (mark_state_)
      paintAlarmMark(p, markRect(), mark_state_->severity, !mark_state_->unacknowledged || *flashOn_);
    // The label on a dark backdrop so it reads over hatches and zone edges.
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(0x10, 0x14, 0x1a, 200));
    p->drawRoundedRect(label_, 4, 4);
    const QRectF text = label_.adjusted(5, 1, -5, -1);
    p->setFont(doorNameFont());
    p->setPen(colors::text);
    p->drawText(QRectF(text.left(), text.top(), text.width(), 19), Qt::AlignLeft | Qt::AlignVCenter,
                shownName());
    p->setFont(doorStateFont());
    p->setPen(look_ == DoorLook::Offline ? QColor(0xd0, 0xd4, 0xda) : c);
    p->drawText(QRectF(text.left(), text.top() + 18, text.width(), 18), Qt::AlignLeft | Qt::AlignVCenter,
                doorLookName(look_));
  }

 private:
  SitePortal portal_;
  QString name_;
  QString shownName_;
  QSizeF labelSize_;
  QRectF label_;
  DoorLook look_ = DoorLook::Offline;
  bool selected_ = false;
  std::optional<AlarmMark> mark_state_;
  const bool* flashOn_ = nullptr;
};

// What the map needs to say about a rack's contents, from the asset model.
struct RackContents {
  int weights = 0;         // assets in the rack that hold model weights
  int missing = 0;         // assets whose home is the rack and that the server reports missing
  int missingCounted = 0;  // of those, the ones the rack entry still counts as present (located here)
};

class RackItem : public QGraphicsItem {
 public:
  RackItem(SiteRack rack, QString name, QPointF topLeft) : rack_(std::move(rack)), name_(std::move(name)) {
    setPos(topLeft);
    setData(kKindRole, QStringLiteral("rack"));
    setData(kIdRole, rack_.id);
    setZValue(50);
    setToolTip(plainToolTip(rack_.name));
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
  void setMark(std::optional<AlarmMark> mark) {
    if (mark == mark_state_) return;  // repaint only what changed: batches arrive ten times a second
    mark_state_ = std::move(mark);
    update();
  }
  void flashChanged() {
    if (mark_state_ && mark_state_->unacknowledged) update(markRect());
  }
  void setFlashPhase(const bool* on) { flashOn_ = on; }
  static QRectF markRect() { return {kRackW - 50 - kMark - 8, 7, kMark, kMark - 2}; }
  [[nodiscard]] QString sealLine() const {
    if (!known_) return QCoreApplication::translate("FacilityMap", "no data");
    return state_.sealBroken() ? QStringLiteral("⚠ ") + sealText(state_.seal) : sealText(state_.seal);
  }
  [[nodiscard]] QString thirdLine() const {
    if (contents_.weights > 0)
      return QCoreApplication::translate("FacilityMap", "%n hold weights", nullptr, contents_.weights);
    return QCoreApplication::translate("FacilityMap", "tier %1")
        .arg(state_.tier >= 0 ? state_.tier : rack_.tier);
  }
  // Missing assets (alarmed) beat assets away from home, which beat the lock state (only when reported).
  [[nodiscard]] QString lastLine() const {
    if (contents_.missing > 0)
      return QCoreApplication::translate("FacilityMap", "%n MISSING", nullptr, contents_.missing);
    if (state_.away > 0) return rackAwayText(state_);
    return lockLine();
  }
  [[nodiscard]] QString lockLine() const {
    if (!state_.lockKnown) return {};
    if (state_.open) return QStringLiteral("/ ") + QCoreApplication::translate("FacilityMap", "DOOR OPEN");
    return state_.locked ? QStringLiteral("— ") + QCoreApplication::translate("FacilityMap", "LOCKED")
                         : QStringLiteral("○ ") + QCoreApplication::translate("FacilityMap", "UNLOCKED");
  }
  [[nodiscard]] QStringList lines() const {
    if (!known_) return {sealLine()};
    return {sealLine(), rackContentsText(state_, contents_.missingCounted), thirdLine(), lastLine()};
  }
  [[nodiscard]] const QString& name() const { return name_; }
  void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
    p->setRenderHint(QPainter::Antialiasing);
    const QColor red(0xff, 0x3b, 0x30);
    const QColor orange(0xff, 0x95, 0x00);
    const bool broken = known_ && state_.sealBroken();
    QColor edge(0x34, 0xc7, 0x59);
    Qt::PenStyle edgeStyle = Qt::SolidLine;
    if (!known_) {
      edge = QColor(0x8a, 0x8f, 0x98);
      edgeStyle = Qt::DashLine;
    } else if (state_.lockKnown && state_.open) {
      edge = QColor(0xff, 0xd6, 0x0a);
      edgeStyle = Qt::DashDotLine;
    } else if (state_.lockKnown && !state_.locked) {
      edge = QColor(0x40, 0xc8, 0xff);
      edgeStyle = Qt::DotLine;
    }
    if (state_.awayElsewhere() > 0) edge = orange;
    if (contents_.missing > 0) edge = red;
    if (broken) edge = red;
    const QRectF r(0, 0, kRackW, kRackH);
    // A broken seal or a missing asset fills the whole rack red, so it reads from across the room.
    const bool alarmed = broken || contents_.missing > 0;
    p->setBrush(alarmed ? QColor(0x5a, 0x10, 0x10) : QColor(0x0e, 0x12, 0x17));
    p->setPen(QPen(selected_ ? Qt::white : edge, selected_ ? 4 : (alarmed ? 5 : 3),
                   selected_ ? Qt::SolidLine : edgeStyle));
    p->drawRoundedRect(r, 6, 6);
    const auto nameFont = mapFont(24, true);
    p->setFont(nameFont);
    p->setPen(colors::text);
    const qreal nameW = markRect().left() - 14;
    p->drawText(QRectF(10, 4, nameW, 30), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(nameFont).elidedText(name_, Qt::ElideMiddle, nameW));
    // Two-person racks carry a "2P" badge top right: a guard must not expect one person at that rack.
    if (rack_.twoPerson || state_.twoPerson) {
      const QRectF badge(kRackW - 50, 8, 40, 24);
      p->setPen(Qt::NoPen);
      p->setBrush(QColor(0xd0, 0x4d, 0xff));
      p->drawRoundedRect(badge, 4, 4);
      p->setPen(Qt::white);
      p->setFont(mapFont(16, true));
      // The abbreviation the legend explains ("2P two-person"): translated with it.
      p->drawText(badge, Qt::AlignCenter, QCoreApplication::translate("FacilityMap", "2P"));
    }
    if (mark_state_)
      paintAlarmMark(p, markRect(), mark_state_->severity, !mark_state_->unacknowledged || *flashOn_);
    const auto f = mapFont(18, true);
    p->setFont(f);
    if (!known_) {
      p->setPen(colors::dimText);
      p->drawText(QRectF(10, 40, kRackW - 16, 26), Qt::AlignLeft, sealLine());
      return;
    }
    const auto line = [&](qreal y, const QString& text) {
      p->drawText(QRectF(10, y, kRackW - 16, 26), Qt::AlignLeft | Qt::AlignVCenter,
                  QFontMetricsF(f).elidedText(text, Qt::ElideRight, kRackW - 16));
    };
    p->setPen(broken ? QColor(0xff, 0xd0, 0xcc)
                     : (state_.seal == QLatin1String("intact") ? QColor(0x34, 0xc7, 0x59) : colors::dimText));
    line(37, sealLine());
    p->setPen(contents_.missing > 0 ? red : (state_.awayElsewhere() > 0 ? orange : colors::text));
    line(64, rackContentsText(state_, contents_.missingCounted));
    p->setPen(contents_.weights > 0 ? QColor(0xff, 0xc8, 0x6b) : colors::dimText);
    line(90, thirdLine());
    const QString last = lastLine();
    if (contents_.missing > 0)
      p->setPen(QColor(0xff, 0xb3, 0xad));
    else if (state_.awayElsewhere() > 0)
      p->setPen(orange);
    else if (state_.unseen > 0)
      p->setPen(colors::dimText);  // registered, not read yet: nothing to worry about
    else if (state_.lockKnown)
      p->setPen(state_.open ? QColor(0xff, 0xd6, 0x0a)
                            : (state_.locked ? QColor(0x34, 0xc7, 0x59) : QColor(0x40, 0xc8, 0xff)));
    if (!last.isEmpty()) line(116, last);
  }

 private:
  SiteRack rack_;
  QString name_;
  RackState state_;
  RackContents contents_;
  bool known_ = false;
  bool selected_ = false;
  std::optional<AlarmMark> mark_state_;
  const bool* flashOn_ = nullptr;
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
  auto* alarms = state_->alarms();
  connect(alarms, &QAbstractItemModel::rowsInserted, this, &FacilityMap::updateAlarmMarks);
  connect(alarms, &QAbstractItemModel::rowsRemoved, this, &FacilityMap::updateAlarmMarks);
  connect(alarms, &QAbstractItemModel::modelReset, this, &FacilityMap::updateAlarmMarks);
  connect(alarms, &QAbstractItemModel::dataChanged, this, &FacilityMap::updateAlarmMarks);
  flash_.setInterval(500);
  connect(&flash_, &QTimer::timeout, this, [this] {
    flashOn_ = !flashOn_;
    for (auto* z : std::as_const(zones_)) z->flashChanged();
    for (auto* d : std::as_const(doors_)) d->flashChanged();
    for (auto* r : std::as_const(racks_)) r->flashChanged();
  });
  rebuild();
}

void FacilityMap::rebuild() {
  scene_.clear();
  zones_.clear();
  doors_.clear();
  racks_.clear();
  legendRects_.clear();
  const auto& site = state_->site();
  // Short names: the site's labels, else the name without what it shares with its neighbours.
  QVector<std::pair<QString, QString>> portals;
  QHash<QString, QString> portalLabels;
  for (const auto& p : site.portals) {
    portals.push_back({p.id, p.name.isEmpty() ? p.id : p.name});
    if (!p.label.isEmpty()) portalLabels.insert(p.id, p.label);
  }
  doorNames_ = shortNames(portals, portalLabels);
  QVector<std::pair<QString, QString>> racks;
  QHash<QString, QString> rackLabels;
  for (const auto& r : site.racks) {
    racks.push_back({r.id, r.name.isEmpty() ? r.id : r.name});
    if (!r.label.isEmpty()) rackLabels.insert(r.id, r.label);
  }
  rackNames_ = shortNames(racks, rackLabels);

  QVector<QString> roots;
  for (const auto& z : site.zones)
    if (z.parent.isEmpty()) roots.push_back(z.id);
  QRectF area(0, 0, sceneWidth_, kSceneHeight - kLegendH);
  if (!roots.isEmpty()) {
    const qreal w = area.width() / static_cast<qreal>(roots.size());
    for (qsizetype i = 0; i < roots.size(); ++i)
      layoutZone(roots[i],
                 QRectF(area.left() + static_cast<qreal>(i) * w, area.top(),
                        w - (i + 1 < roots.size() ? kPad : 0), area.height()),
                 0);
  }
  placeDoors();
  addLegend(QRectF(0, kSceneHeight - kLegendH + 10, sceneWidth_, kLegendH - 10));
  placeLabels();
  // The legend wraps onto more rows on a narrow map: the scene grows to hold it, so the view shows it whole.
  qreal bottom = kSceneHeight;
  for (const auto& [name, r] : legendRects_) bottom = std::max(bottom, r.bottom());
  scene_.setSceneRect(QRectF(-10, -14, sceneWidth_ + 20, bottom + 20));
  for (auto* z : std::as_const(zones_)) z->setFlashPhase(&flashOn_);
  for (auto* d : std::as_const(doors_)) d->setFlashPhase(&flashOn_);
  for (auto* r : std::as_const(racks_)) r->setFlashPhase(&flashOn_);
  refreshAll();
  fitInView(scene_.sceneRect(), Qt::KeepAspectRatio);
}

void FacilityMap::layoutZone(const QString& id, const QRectF& rect, int depth) {
  const auto& site = state_->site();
  const auto* zone = site.zone(id);
  if (zone == nullptr || depth > 32) return;
  const bool vestibule = site.isMantrapVestibule(id);
  QString title = zone->label.isEmpty() ? zone->name : zone->label;
  if (title.isEmpty()) title = id;
  if (vestibule && zone->label.isEmpty())
    title = QCoreApplication::translate("FacilityMap", "MANTRAP · %1").arg(title);
  auto* item = new ZoneItem(*zone, title, rect, vestibule);
  item->setZValue(depth);
  scene_.addItem(item);
  zones_.insert(id, item);

  // The bottom strip (kPad) stays free for the zone's state chip.
  QRectF inner = rect.adjusted(kPad, kHeader, -kPad, -kPad);
  QVector<const SiteRack*> racks;
  for (const auto& r : site.racks)
    if (r.zone == id) racks.push_back(&r);
  const auto children = site.childrenOf(id);
  if (!racks.isEmpty()) {
    // Own racks in a column on the left when there are children, else a grid filling the zone.
    const qreal top = inner.top() + 8;
    const int perColumn =
        std::max(1, static_cast<int>((inner.bottom() - top + kRackGap) / (kRackH + kRackGap)));
    const int columns = children.isEmpty()
                            ? std::max(1, static_cast<int>((inner.width() + kRackGap) / (kRackW + kRackGap)))
                            : (static_cast<int>(racks.size()) + perColumn - 1) / perColumn;
    for (qsizetype i = 0; i < racks.size(); ++i) {
      const int col = children.isEmpty() ? static_cast<int>(i) % columns : static_cast<int>(i) / perColumn;
      const int row = children.isEmpty() ? static_cast<int>(i) / columns : static_cast<int>(i) % perColumn;
      auto* rackItem =
          new RackItem(*racks[i], rackNames_.value(racks[i]->id, racks[i]->id),
                       QPointF(inner.left() + col * (kRackW + kRackGap), top + row * (kRackH + kRackGap)));
      rackItem->setZValue(50 + depth);
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
  // Vertical stacking leaves room above each child for the labels of the doors on its edge.
  const qreal gap = horizontal ? kPad : kPad + 40;
  if (!horizontal) inner.setTop(inner.top() + 40);
  const qreal span =
      (horizontal ? inner.width() : inner.height()) - gap * static_cast<qreal>(children.size() - 1);
  QVector<qreal> lens;
  for (qsizetype i = 0; i < children.size(); ++i)
    lens.push_back(span * static_cast<qreal>(weights[i]) / static_cast<qreal>(total));
  if (horizontal) {
    // Side by side, a zone keeps room for its title and a door marker after it; the widest gives way.
    for (qsizetype i = 0; i < children.size(); ++i) {
      const auto* child = site.zone(children[i]);
      QString t = child->label.isEmpty() ? child->name : child->label;
      const qreal need = 10 + 34 + 6 + kMark + 6 + textWidth(titleFont(), t) + 2 * kDoorReach + 24;
      const auto widest = std::max_element(lens.begin(), lens.end()) - lens.begin();
      if (lens[i] < need && widest != i) {
        const qreal take = std::min(need - lens[i], lens[widest] - need);
        if (take > 0) {
          lens[i] += take;
          lens[widest] -= take;
        }
      }
    }
  }
  qreal offset = 0;
  for (qsizetype i = 0; i < children.size(); ++i) {
    const qreal len = lens[i];
    const QRectF childRect = horizontal ? QRectF(inner.left() + offset, inner.top(), len, inner.height())
                                        : QRectF(inner.left(), inner.top() + offset, inner.width(), len);
    layoutZone(children[i], childRect, depth + 1);
    offset += len + gap;
  }
}

void FacilityMap::placeDoors() {
  // Doors sit on the top edge of the inner zone of the two they join, after its title, one after another.
  const auto& site = state_->site();
  QHash<QString, int> onEdge;
  QHash<QString, qreal> firstMarker;
  for (const auto& portal : site.portals) {
    const auto* from = site.zone(portal.from);
    const auto* to = site.zone(portal.to);
    QString inner = portal.to;
    if (from != nullptr && to != nullptr && to->id == from->parent) inner = portal.from;
    auto* zone = zones_.value(inner);
    if (zone == nullptr) continue;
    const int slot = onEdge[inner]++;
    const QRectF& r = zone->rect();
    qreal titleEnd = zone->titleNaturalRight();
    // A marker reaches up into the parent's header row too: keep clear of the parent's title as well.
    if (const auto* z = site.zone(inner); z != nullptr && zones_.contains(z->parent))
      titleEnd = std::max(titleEnd, zones_[z->parent]->titleNaturalRight());
    const qreal start = std::max<qreal>(titleEnd - r.left() + kDoorReach + 8, 60);
    const qreal x = std::min(start + slot * (2 * kDoorReach + 10), r.width() - kDoorReach - 4);
    QPointF center(r.left() + std::max<qreal>(x, 60), r.top());
    // Never on top of another marker (a parent's door sits on the edge just above).
    for (int tries = 0; tries < 20; ++tries) {
      const auto here = DoorItem::markerRect().translated(center);
      const bool clash = std::any_of(doors_.cbegin(), doors_.cend(), [&](const DoorItem* other) {
        return DoorItem::markerRect().translated(other->pos()).adjusted(-4, -4, 4, 4).intersects(here);
      });
      if (!clash) break;
      center.rx() += 2 * kDoorReach + 10;
    }
    auto* item = new DoorItem(portal, doorNames_.value(portal.id, portal.id), center);
    scene_.addItem(item);
    doors_.insert(portal.id, item);
    const qreal left = center.x() - kDoorReach - 6;
    firstMarker[inner] = firstMarker.contains(inner) ? std::min(firstMarker[inner], left) : left;
  }
  // A title never runs under a door marker of its own edge, nor under one of a child's edge.
  for (auto it = zones_.begin(); it != zones_.end(); ++it) {
    qreal end = it.value()->rect().right() - 10;
    if (firstMarker.contains(it.key())) end = std::min(end, firstMarker[it.key()]);
    const auto title = QRectF(it.value()->textRects()[1].second.left(), it.value()->rect().top() + 6, 1, 30);
    for (auto* d : std::as_const(doors_)) {
      const auto marker = DoorItem::markerRect().translated(d->pos());
      if (marker.top() < title.bottom() && marker.bottom() > title.top() && marker.left() > title.left())
        end = std::min(end, marker.left() - 6);
    }
    it.value()->setTitleEnd(end);
  }
}

void FacilityMap::placeLabels() {
  // Obstacles: every zone header text, every state chip, every rack tile, every door marker, the legend.
  QVector<QRectF> taken;
  for (auto* z : std::as_const(zones_))
    for (const auto& [name, r] : z->textRects()) taken.push_back(r);
  for (auto* r : std::as_const(racks_)) taken.push_back(QRectF(r->pos(), QSizeF(kRackW, kRackH)));
  for (auto* d : std::as_const(doors_)) taken.push_back(DoorItem::markerRect().translated(d->pos()));
  for (const auto& [name, r] : legendRects_) taken.push_back(r);
  const QRectF bounds(0, -10, sceneWidth_, kSceneHeight - kLegendH + 8);
  const auto fits = [&](const QRectF& r) {
    if (!bounds.contains(r)) return false;
    return std::none_of(taken.cbegin(), taken.cend(), [&](const QRectF& t) { return t.intersects(r); });
  };
  // Doors in site order, each label at the first free place around its marker: above (in the parent's room),
  // beside, below, then further out; if none is free, a narrower label (the name elided in the middle).
  const auto& site = state_->site();
  for (const auto& portal : site.portals) {
    auto* d = doors_.value(portal.id);
    if (d == nullptr) continue;
    const QPointF c = d->pos();
    bool placed = false;
    for (const qreal shrink : {1.0, 0.8, 0.65, 0.5}) {
      const QSizeF size(std::max<qreal>(70, d->labelSize().width() * shrink), d->labelSize().height());
      const qreal w = size.width();
      const qreal h = size.height();
      const qreal r = kDoorReach + 4;
      QVector<QPointF> candidates{{c.x() - kDoorReach, c.y() - r - h},
                                  {c.x() + kDoorReach - w, c.y() - r - h},
                                  {c.x() + r, c.y() - h / 2},
                                  {c.x() - r - w, c.y() - h / 2},
                                  {c.x() + r, c.y() - r - h},
                                  {c.x() - r - w, c.y() - r - h},
                                  {c.x() + r, c.y() + 4},
                                  {c.x() - r - w, c.y() + 4},
                                  {c.x() - w / 2, c.y() + r}};
      for (int step = 1; step <= 8; ++step) {
        candidates.push_back({c.x() + r + step * 30, c.y() - r - h});
        candidates.push_back({c.x() - r - w - step * 30, c.y() - r - h});
        candidates.push_back({c.x() + r + step * 30, c.y() - h / 2});
        candidates.push_back({c.x() - r - w - step * 30, c.y() - h / 2});
      }
      for (const auto& topLeft : candidates) {
        const QRectF scene(topLeft, size);
        if (!fits(scene)) continue;
        const auto shown = QFontMetricsF(doorNameFont()).elidedText(d->name(), Qt::ElideMiddle, w - 10);
        d->setLabel(scene.translated(-c), shown);
        taken.push_back(scene);
        placed = true;
        break;
      }
      if (placed) break;
    }
    if (!placed) {
      // Nowhere free (a tiny window): right of the marker, and the overlap test will say so.
      const QRectF scene(QPointF(c.x() + kDoorReach + 4, c.y() - 19), d->labelSize());
      d->setLabel(scene.translated(-c), d->name());
      taken.push_back(scene);
    }
  }
}

void FacilityMap::addLegend(const QRectF& area) {
  // Rows that wrap: door states (marker and glyph exactly as on the map), zone states, alarm markers.
  const auto f = mapFont(14, true);
  qreal x = area.left();
  qreal y = area.top();
  constexpr qreal kRow = 30;
  const auto place = [&](qreal w) {
    if (x + w > area.right() && x > area.left()) {
      x = area.left();
      y += kRow;
    }
    const QPointF at(x, y);
    x += w + 18;
    return at;
  };
  const auto text = [&](const QString& s, QPointF at, const QString& key) {
    auto* label = scene_.addSimpleText(s, f);  // QGraphicsSimpleTextItem: plain text only
    label->setBrush(colors::dimText);
    label->setPos(at);
    legendRects_.push_back({key, label->mapRectToScene(label->boundingRect())});
    return label->boundingRect().width();
  };
  struct Swatch : QGraphicsItem {
    std::function<void(QPainter*)> draw;
    QRectF box;
    QRectF boundingRect() const override { return box; }
    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
      p->setRenderHint(QPainter::Antialiasing);
      draw(p);
    }
  };
  const auto swatch = [&](const QString& label, const QString& key,
                          std::function<void(QPainter*, QRectF)> draw) {
    const qreal w = 26 + textWidth(f, label);
    const auto at = place(w);
    auto* s = new Swatch;
    s->box = QRectF(at.x(), at.y() + 1, 22, 22);
    s->draw = [draw, box = s->box](QPainter* p) { draw(p, box); };
    scene_.addItem(s);
    legendRects_.push_back({key + QStringLiteral("-swatch"), s->box});
    text(label, QPointF(at.x() + 26, at.y() + 3), key);
  };
  for (const auto look : allDoorLooks())
    swatch(doorLookName(look), QStringLiteral("legend-door:") + doorLookName(look),
           [look](QPainter* p, QRectF b) {
             paintDoorMarker(p, b.center(), b.width(), look, QStringLiteral("door"), false, false);
           });
  swatch(tr("door"), QStringLiteral("legend-shape:door"), [](QPainter* p, QRectF b) {
    p->setPen(QPen(colors::dimText, 2));
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(b.adjusted(3, 3, -3, -3), 3, 3);
  });
  swatch(tr("turnstile"), QStringLiteral("legend-shape:turnstile"), [](QPainter* p, QRectF b) {
    p->setPen(QPen(colors::dimText, 2));
    p->setBrush(Qt::NoBrush);
    p->drawEllipse(b.adjusted(3, 3, -3, -3));
  });
  swatch(tr("mantrap door"), QStringLiteral("legend-shape:mantrap"), [](QPainter* p, QRectF b) {
    p->setPen(QPen(colors::dimText, 2));
    p->setBrush(Qt::NoBrush);
    const auto c = b.center();
    p->drawPolygon(QPolygonF{{c.x(), b.top()}, {b.right(), c.y()}, {c.x(), b.bottom()}, {b.left(), c.y()}});
  });
  swatch(tr("zone in lockdown"), QStringLiteral("legend-zone:lockdown"), [](QPainter* p, QRectF b) {
    p->setPen(QPen(QColor(0xd0, 0x4d, 0xff), 3));
    p->setBrush(QBrush(QColor(0xd0, 0x4d, 0xff), Qt::BDiagPattern));
    p->drawRect(b.adjusted(2, 2, -2, -2));
  });
  swatch(tr("zone on fire alarm"), QStringLiteral("legend-zone:fire"), [](QPainter* p, QRectF b) {
    p->setPen(QPen(QColor(0xff, 0x6a, 0x3d), 3, Qt::DashDotLine));
    p->setBrush(QBrush(QColor(0xff, 0x6a, 0x3d), Qt::DiagCrossPattern));
    p->drawRect(b.adjusted(2, 2, -2, -2));
  });
  for (const auto sev : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low})
    swatch(tr("%1 alarm").arg(severityText(sev)), QStringLiteral("legend-alarm:") + severityName(sev),
           [sev](QPainter* p, QRectF b) { paintAlarmMark(p, b.adjusted(1, 2, -1, -1), sev, true); });
  swatch(tr("hollow: blinking, not acknowledged"), QStringLiteral("legend-alarm:blink"),
         [](QPainter* p, QRectF b) { paintAlarmMark(p, b.adjusted(1, 2, -1, -1), Severity::High, false); });
  swatch(tr("rack: — locked  ○ unlocked  / door open · 2P two-person"), QStringLiteral("legend-rack"),
         [](QPainter* p, QRectF b) {
           p->setPen(QPen(QColor(0x34, 0xc7, 0x59), 2));
           p->setBrush(QColor(0x0e, 0x12, 0x17));
           p->drawRoundedRect(b.adjusted(3, 1, -3, -1), 3, 3);
         });
}

void FacilityMap::updateAlarmMarks() {
  QHash<QString, AlarmMark> marks;
  const auto* alarms = state_->alarms();
  for (int row = 0; row < alarms->rowCount(); ++row) {
    const auto& a = alarms->at(row);
    for (const auto& t : alarmTargets(a, state_->site(), state_->assets(), state_->presence())) {
      auto& m = marks[t.kind + QLatin1Char(':') + t.id];
      // Rows are most severe first, then oldest: the first alarm seen is the worst.
      if (m.alarms == 0) {
        m.severity = a.severity;
        m.alarmId = a.id;
      }
      ++m.alarms;
      if (a.state == QLatin1String("raised")) m.unacknowledged = true;
    }
  }
  marks_ = marks;
  bool blinking = false;
  const auto markOf = [this, &blinking](const QString& key) -> std::optional<AlarmMark> {
    const auto it = marks_.constFind(key);
    if (it == marks_.cend()) return std::nullopt;
    blinking = blinking || it->unacknowledged;
    return *it;
  };
  for (auto it = zones_.begin(); it != zones_.end(); ++it)
    it.value()->setMark(markOf(QStringLiteral("zone:") + it.key()));
  for (auto it = doors_.begin(); it != doors_.end(); ++it)
    it.value()->setMark(markOf(QStringLiteral("door:") + it.key()));
  for (auto it = racks_.begin(); it != racks_.end(); ++it)
    it.value()->setMark(markOf(QStringLiteral("rack:") + it.key()));
  if (blinking && !flash_.isActive()) flash_.start();
  if (!blinking) {
    flash_.stop();
    flashOn_ = true;
  }
}

void FacilityMap::refresh(const QVector<QString>& doorIds, const QVector<QString>& zoneIds,
                          const QVector<QString>& rackIds) {
  for (const auto& id : doorIds)
    if (auto* d = doors_.value(id)) d->setState(state_->doors()->door(id));
  for (const auto& id : zoneIds)
    if (auto* z = zones_.value(id)) {
      const auto* s = state_->zones()->zone(id);
      z->setState(s != nullptr ? *s : ZoneState{id, 0, false, false});
    }
  for (const auto& id : rackIds)
    if (auto* r = racks_.value(id)) {
      RackContents contents;
      for (const auto* a : state_->assets()->inRack(id))
        if (a->holdsModelWeights) ++contents.weights;
      const auto missing = state_->assets()->missingFrom(id);
      contents.missing = missing.missing;
      contents.missingCounted = missing.locatedHere;
      r->setState(state_->racks()->rack(id), contents);
    }
  // An asset's home rack or a person's zone may have changed what an alarm is drawn on.
  if (!rackIds.isEmpty() || !zoneIds.isEmpty()) updateAlarmMarks();
}

void FacilityMap::refreshAll() {
  refresh(QVector<QString>(doors_.keyBegin(), doors_.keyEnd()),
          QVector<QString>(zones_.keyBegin(), zones_.keyEnd()),
          QVector<QString>(racks_.keyBegin(), racks_.keyEnd()));
  updateAlarmMarks();
}

void FacilityMap::select(const QString& kind, const QString& id) {
  for (auto it = zones_.begin(); it != zones_.end(); ++it)
    it.value()->setSelectedLook(kind == QLatin1String("zone") && it.key() == id);
  for (auto it = doors_.begin(); it != doors_.end(); ++it)
    it.value()->setSelectedLook(kind == QLatin1String("door") && it.key() == id);
  for (auto it = racks_.begin(); it != racks_.end(); ++it)
    it.value()->setSelectedLook(kind == QLatin1String("rack") && it.key() == id);
}

void FacilityMap::selectAlarm(const QString& alarmId) {
  const auto* a = state_->alarms()->alarm(alarmId);
  if (a == nullptr) return;
  const auto targets = alarmTargets(*a, state_->site(), state_->assets(), state_->presence());
  if (targets.isEmpty()) {
    select({}, {});
    return;
  }
  select(targets.front().kind, targets.front().id);
}

std::optional<DoorLook> FacilityMap::drawnDoorLook(const QString& id) const {
  const auto* d = doors_.value(id);
  if (d == nullptr) return std::nullopt;
  return d->look();
}

std::optional<ZoneState> FacilityMap::drawnZoneState(const QString& id) const {
  const auto* z = zones_.value(id);
  if (z == nullptr) return std::nullopt;
  return z->state();
}

QString FacilityMap::drawnName(const QString& kind, const QString& id) const {
  if (kind == QLatin1String("door")) {
    const auto* d = doors_.value(id);
    return d != nullptr ? d->shownName() : QString();
  }
  if (kind == QLatin1String("rack")) {
    const auto* r = racks_.value(id);
    return r != nullptr ? r->name() : QString();
  }
  const auto* z = zones_.value(id);
  return z != nullptr ? z->shownTitle() : QString();
}

QVector<std::pair<QString, QRectF>> FacilityMap::labelRects() const {
  QVector<std::pair<QString, QRectF>> out;
  for (auto* z : zones_) out += z->textRects();
  for (auto it = racks_.cbegin(); it != racks_.cend(); ++it)
    out.push_back({QStringLiteral("rack:") + it.key(), QRectF(it.value()->pos(), QSizeF(kRackW, kRackH))});
  for (auto it = doors_.cbegin(); it != doors_.cend(); ++it) {
    out.push_back(
        {QStringLiteral("door-marker:") + it.key(), DoorItem::markerRect().translated(it.value()->pos())});
    out.push_back(
        {QStringLiteral("door-label:") + it.key(), it.value()->labelRect().translated(it.value()->pos())});
  }
  out += legendRects_;
  return out;
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

QPoint FacilityMap::alarmMarkPosOf(const QString& kind, const QString& id) const {
  if (!marks_.contains(kind + QLatin1Char(':') + id)) return {-1, -1};
  if (const auto* d = kind == QLatin1String("door") ? doors_.value(id) : nullptr)
    return mapFromScene(DoorItem::markRect().center() + d->pos());
  if (const auto* r = kind == QLatin1String("rack") ? racks_.value(id) : nullptr)
    return mapFromScene(RackItem::markRect().center() + r->pos());
  if (const auto* z = kind == QLatin1String("zone") ? zones_.value(id) : nullptr)
    return mapFromScene(z->markRect().center());
  return {-1, -1};
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
    }
  }
  fitInView(scene_.sceneRect(), Qt::KeepAspectRatio);
}

QString FacilityMap::alarmAt(const QPoint& viewPos) const {
  const auto scenePos = mapToScene(viewPos);
  for (auto it = marks_.cbegin(); it != marks_.cend(); ++it) {
    const auto kind = it.key().section(QLatin1Char(':'), 0, 0);
    const auto id = it.key().section(QLatin1Char(':'), 1);
    QRectF r;
    if (kind == QLatin1String("door") && doors_.contains(id))
      r = DoorItem::markRect().translated(doors_[id]->pos());
    if (kind == QLatin1String("rack") && racks_.contains(id))
      r = RackItem::markRect().translated(racks_[id]->pos());
    if (kind == QLatin1String("zone") && zones_.contains(id)) r = zones_[id]->markRect();
    if (r.adjusted(-4, -4, 4, 4).contains(scenePos)) return it->alarmId;
  }
  return {};
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
  const auto alarm = alarmAt(event->position().toPoint());
  if (!alarm.isEmpty()) {
    selectAlarm(alarm);
    emit alarmSelected(alarm);
    QGraphicsView::mousePressEvent(event);
    return;
  }
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
    actions = {{tr("Momentary unlock"), QStringLiteral("momentary_unlock")},
               {tr("Lock"), QStringLiteral("lock")},
               {tr("Unlock"), QStringLiteral("unlock")},
               {tr("Hold open (lock_open)"), QStringLiteral("lock_open")}};
  else
    actions = {{tr("Lockdown zone"), QStringLiteral("lockdown")},
               {tr("Release lockdown"), QStringLiteral("release")}};
  for (const auto& [label, command] : actions) {
    auto* a = menu.addAction(label);
    a->setData(command);
  }
  if (auto* chosen = menu.exec(event->globalPos())) emit commandRequested(id, chosen->data().toString());
}

}  // namespace portcullis::console
