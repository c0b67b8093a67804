#include "main_window.hpp"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "api_client.hpp"
#include "dialogs.hpp"
#include "facility_map.hpp"
#include "reports.hpp"
#include "theme.hpp"

namespace portcullis::console {

namespace {

QLabel* plainLabel(QWidget* parent, int px = 0, bool bold = false) {
  auto* l = new QLabel(parent);
  l->setTextFormat(Qt::PlainText);  // server and database text is data, never markup
  if (px > 0 || bold) {
    QFont f = l->font();
    if (px > 0) f.setPixelSize(px);
    f.setBold(bold);
    l->setFont(f);
  }
  return l;
}

QString commandLabel(const QString& command) {
  if (command == QLatin1String("momentary_unlock"))
    return QCoreApplication::translate("MainWindow", "Momentary unlock");
  if (command == QLatin1String("lock")) return QCoreApplication::translate("MainWindow", "Lock");
  if (command == QLatin1String("unlock")) return QCoreApplication::translate("MainWindow", "Unlock");
  if (command == QLatin1String("lock_open")) return QCoreApplication::translate("MainWindow", "Hold open");
  if (command == QLatin1String("lockdown")) return QCoreApplication::translate("MainWindow", "Lockdown");
  if (command == QLatin1String("release"))
    return QCoreApplication::translate("MainWindow", "Release lockdown");
  return command;
}

}  // namespace

MainWindow::MainWindow(ConsoleState* state, ApiClient* api, QWidget* parent)
    : QMainWindow(parent), state_(state), api_(api) {
  setWindowTitle(tr("Portcullis guard console"));
  auto* central = new QWidget(this);
  auto* outer = new QVBoxLayout(central);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->setSpacing(0);
  outer->addWidget(buildBanner());
  criticalBanner_ = plainLabel(central, 22, true);
  criticalBanner_->setObjectName(QStringLiteral("criticalBanner"));
  criticalBanner_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  criticalBanner_->hide();
  outer->addWidget(criticalBanner_);

  auto* split = new QSplitter(Qt::Horizontal, central);
  split_ = split;
  map_ = new FacilityMap(state_, split);
  split->addWidget(map_);
  auto* side = new QSplitter(Qt::Vertical, split);
  side->addWidget(buildAlarmPanel());
  tabs_ = new QTabWidget(side);
  tabs_->addTab(buildDetailsTab(), tr("Details"));
  auto* doorSort = new QSortFilterProxyModel(this);
  doorSort->setSourceModel(state_->doors());
  doorSort->setSortRole(SortRole);
  auto* doorView = makeTable(doorSort);
  doorView->setSortingEnabled(true);
  doorView->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(doorView, &QTableView::doubleClicked, this,
          [this](const QModelIndex& i) { showDetails(QStringLiteral("door"), i.data(IdRole).toString()); });
  connect(doorView, &QTableView::customContextMenuRequested, this, [this, doorView](const QPoint& pos) {
    const auto idx = doorView->indexAt(pos);
    if (!idx.isValid()) return;
    const auto id = idx.data(IdRole).toString();
    QMenu menu(this);
    for (const auto* c : {"momentary_unlock", "lock", "unlock", "lock_open"}) {
      auto* a = menu.addAction(commandLabel(QString::fromLatin1(c)));
      a->setData(QString::fromLatin1(c));
    }
    if (auto* chosen = menu.exec(doorView->viewport()->mapToGlobal(pos)))
      requestCommand(id, chosen->data().toString());
  });
  tabs_->addTab(doorView, tr("Doors"));
  auto* rackSort = new QSortFilterProxyModel(this);
  rackSort->setSourceModel(state_->racks());
  rackSort->setSortRole(SortRole);
  auto* rackView = makeTable(rackSort);
  rackView->setSortingEnabled(true);
  rackView->sortByColumn(-1, Qt::AscendingOrder);  // site order until the guard sorts
  connect(rackView, &QTableView::doubleClicked, this,
          [this](const QModelIndex& i) { showDetails(QStringLiteral("rack"), i.data(IdRole).toString()); });
  tabs_->addTab(rackView, tr("Racks"));
  tabs_->addTab(buildLogTab(), tr("Access log"));
  tabs_->addTab(buildPeopleTab(), tr("People"));
  side->addWidget(tabs_);
  side->setStretchFactor(0, 5);  // the alarm queue gets the larger share: it is what a guard acts on
  side->setStretchFactor(1, 4);
  split->addWidget(side);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 1);
  split->setSizes({1240, 680});
  outer->addWidget(split, 1);
  setCentralWidget(central);

  pendingLabel_ = plainLabel(this, 16, true);
  statusBar()->addPermanentWidget(pendingLabel_);

  connect(map_, &FacilityMap::itemSelected, this, &MainWindow::showDetails);
  connect(map_, &FacilityMap::commandRequested, this, &MainWindow::requestCommand);
  connect(map_, &FacilityMap::alarmSelected, this, &MainWindow::selectAlarm);
  connect(state_->alarms(), &AlarmQueueModel::severeAlarmRaised, this, &MainWindow::flashAlarms);
  for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
    connect(state_->alarms(), signal, this, &MainWindow::updateAlarmHeader);
  connect(state_->alarms(), &QAbstractItemModel::modelReset, this, &MainWindow::updateAlarmHeader);
  connect(state_->alarms(), &QAbstractItemModel::dataChanged, this, &MainWindow::updateAlarmHeader);
  for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
    connect(state_->alarms(), signal, this, [this] {
      updateCriticalAlert();
      fitAlarmColumns();
    });
  connect(state_->alarms(), &QAbstractItemModel::modelReset, this, [this] {
    updateCriticalAlert();
    fitAlarmColumns();
  });
  connect(state_->alarms(), &QAbstractItemModel::dataChanged, this, [this] {
    updateCriticalAlert();
    fitAlarmColumns();
  });
  alert_.setInterval(4000);
  connect(&alert_, &QTimer::timeout, this, &MainWindow::soundCriticalAlert);
  connect(state_, &ConsoleState::batchApplied, this, [this] { refreshDetails(); });
  connect(state_, &ConsoleState::snapshotApplied, this, [this] { refreshDetails(); });
  connect(state_, &ConsoleState::siteChanged, this, [this] { updateBanner(); });

  // Keyboard: tabs on Ctrl+1..5, F6/F7 acknowledge/resolve the selected alarm, Ctrl+F find a person,
  // F11 full screen.
  for (int i = 0; i < 5; ++i)
    connect(new QShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)), this),
            &QShortcut::activated, this, [this, i] { tabs_->setCurrentIndex(i); });
  connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_R), this), &QShortcut::activated, this,
          &MainWindow::openReports);
  connect(new QShortcut(QKeySequence(Qt::Key_F6), this), &QShortcut::activated, this,
          [this] { alarmAction(false); });
  connect(new QShortcut(QKeySequence(Qt::Key_F7), this), &QShortcut::activated, this,
          [this] { alarmAction(true); });
  connect(new QShortcut(QKeySequence::Find, this), &QShortcut::activated, this, [this] {
    tabs_->setCurrentIndex(4);
    personSearch_->setFocus();
  });
  connect(new QShortcut(QKeySequence(Qt::Key_F11), this), &QShortcut::activated, this,
          [this] { isFullScreen() ? showNormal() : showFullScreen(); });

  tick_.setInterval(1000);
  connect(&tick_, &QTimer::timeout, this, &MainWindow::updateBanner);
  tick_.start();
  flash_.setInterval(400);
  connect(&flash_, &QTimer::timeout, this, [this] {
    ++flashCount_;
    const bool on = flashCount_ % 2 == 1;
    alarmHeader_->setStyleSheet(on ? QStringLiteral("background: #ff3b30; color: white; padding: 8px;")
                                   : QStringLiteral("background: #3a1414; color: #ffb3ad; padding: 8px;"));
    if (flashCount_ >= 24) {
      flash_.stop();
      updateAlarmHeader();
    }
  });
  updateBanner();
  updateAlarmHeader();
  showDetails(QStringLiteral("zone"), {});
}

QWidget* MainWindow::buildBanner() {
  banner_ = new QFrame(this);
  banner_->setObjectName(QStringLiteral("banner"));
  auto* layout = new QHBoxLayout(banner_);
  layout->setContentsMargins(18, 8, 18, 8);
  bannerState_ = plainLabel(banner_, 28, true);
  bannerDetail_ = plainLabel(banner_, 18);
  bannerSite_ = plainLabel(banner_, 20, true);
  bannerOperator_ = plainLabel(banner_, 18);
  bannerClock_ = plainLabel(banner_, 28, true);
  // Long texts are cut, never allowed to widen the window past a small screen.
  bannerDetail_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  layout->addWidget(bannerState_);
  layout->addSpacing(16);
  layout->addWidget(bannerDetail_, 1);
  signIn_ = new QPushButton(tr("Sign in"), banner_);
  signIn_->setObjectName(QStringLiteral("signIn"));
  signIn_->setStyleSheet(
      QStringLiteral("QPushButton { background: white; color: #5b0f7a; font-size: 20px; font-weight: bold; "
                     "padding: 6px 18px; }"));
  signIn_->hide();
  connect(signIn_, &QPushButton::clicked, this, &MainWindow::signInRequested);
  layout->addWidget(signIn_);
  reportsButton_ = new QPushButton(tr("Reports"), banner_);
  reportsButton_->setObjectName(QStringLiteral("reports"));
  reportsButton_->setToolTip(tr("Audit reports (Ctrl+R)"));
  reportsButton_->setStyleSheet(QStringLiteral("QPushButton { font-size: 18px; padding: 4px 14px; }"));
  reportsButton_->hide();  // only for roles that may read reports (setOperator)
  connect(reportsButton_, &QPushButton::clicked, this, &MainWindow::openReports);
  layout->addWidget(reportsButton_);
  layout->addSpacing(16);
  layout->addWidget(bannerSite_);
  layout->addSpacing(24);
  layout->addWidget(bannerOperator_);
  layout->addSpacing(24);
  layout->addWidget(bannerClock_);
  return banner_;
}

QTableView* MainWindow::makeTable(QAbstractItemModel* model) {
  auto* view = new QTableView(this);
  view->setModel(model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setAlternatingRowColors(true);
  view->verticalHeader()->hide();
  view->verticalHeader()->setDefaultSectionSize(30);
  view->horizontalHeader()->setStretchLastSection(true);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  view->horizontalHeader()->setDefaultSectionSize(150);
  view->setWordWrap(false);
  view->setTextElideMode(Qt::ElideRight);
  return view;
}

QWidget* MainWindow::buildAlarmPanel() {
  auto* panel = new QWidget(this);
  auto* layout = new QVBoxLayout(panel);
  layout->setContentsMargins(8, 8, 8, 4);
  alarmHeader_ = plainLabel(panel, 22, true);
  layout->addWidget(alarmHeader_);
  alarmView_ = makeTable(state_->alarms());
  // Middle elision: should a column ever be too narrow, both ends of a name stay readable. fitAlarmColumns()
  // sizes the alarm and subject columns to their texts, so two different subjects never read alike.
  alarmView_->setTextElideMode(Qt::ElideMiddle);
  alarmView_->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
  alarmView_->setColumnHidden(AlarmQueueModel::ColCount, true);  // in Details: "raised N times"
  // What is wrong where comes first: on a laptop's screen the panel is narrow, and severity, alarm and
  // subject must be readable without scrolling; its state and the time follow.
  auto* columns = alarmView_->horizontalHeader();
  columns->moveSection(columns->visualIndex(AlarmQueueModel::ColKind), 1);
  columns->moveSection(columns->visualIndex(AlarmQueueModel::ColSubject), 2);
  columns->moveSection(columns->visualIndex(AlarmQueueModel::ColState), 3);
  layout->addWidget(alarmView_, 1);
  auto* buttons = new QHBoxLayout;
  auto* ack = new QPushButton(tr("Acknowledge (F6)"), panel);
  auto* resolve = new QPushButton(tr("Resolve (F7)"), panel);
  buttons->addWidget(ack);
  buttons->addWidget(resolve);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  connect(ack, &QPushButton::clicked, this, [this] { alarmAction(false); });
  connect(resolve, &QPushButton::clicked, this, [this] { alarmAction(true); });
  connect(alarmView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (!current.isValid()) return;
            const auto id = current.data(IdRole).toString();
            map_->selectAlarm(id);
            selectedKind_ = QStringLiteral("alarm");
            selectedId_ = id;
            while (auto* item = detailCommands_->takeAt(0)) {
              delete item->widget();
              delete item;
            }
            refreshDetails();
            tabs_->setCurrentIndex(0);
          });
  connect(alarmView_, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
    const auto* a = state_->alarms()->alarm(i.data(IdRole).toString());
    if (a == nullptr) return;
    if (state_->site().portal(a->subject) != nullptr)
      showDetails(QStringLiteral("door"), a->subject);
    else if (state_->site().rack(a->subject) != nullptr)
      showDetails(QStringLiteral("rack"), a->subject);
    else if (state_->site().zone(a->subject) != nullptr)
      showDetails(QStringLiteral("zone"), a->subject);
  });
  return panel;
}

QWidget* MainWindow::buildDetailsTab() {
  auto* panel = new QWidget(this);
  auto* layout = new QVBoxLayout(panel);
  detailTitle_ = plainLabel(panel, 24, true);
  detailBody_ = plainLabel(panel, 18);
  detailBody_->setWordWrap(true);
  detailBody_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  detailBody_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  layout->addWidget(detailTitle_);
  // The body scrolls when the pane is short (a laptop's screen), rather than cutting off what to do.
  auto* bodyScroll = new QScrollArea(panel);
  bodyScroll->setWidget(detailBody_);
  bodyScroll->setWidgetResizable(true);
  bodyScroll->setFrameShape(QFrame::NoFrame);
  bodyScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  layout->addWidget(bodyScroll, 2);
  detailCommands_ = new QHBoxLayout;
  layout->addLayout(detailCommands_);
  auto* recent = plainLabel(panel, 16, true);
  recent->setText(tr("Recent access events"));
  layout->addWidget(recent);
  detailFilter_ = new AccessLogFilter(this);
  detailFilter_->setSourceModel(state_->accessLog());
  layout->addWidget(makeTable(detailFilter_), 1);
  return panel;
}

QWidget* MainWindow::buildLogTab() {
  auto* panel = new QWidget(this);
  auto* layout = new QVBoxLayout(panel);
  auto* filters = new QHBoxLayout;
  auto* person = new QLineEdit(panel);
  person->setPlaceholderText(tr("Person"));
  person->setClearButtonEnabled(true);
  auto* zone = new QComboBox(panel);
  auto* door = new QComboBox(panel);
  auto* decision = new QComboBox(panel);
  decision->addItem(tr("Any decision"), QString());
  decision->addItem(tr("Granted"), QStringLiteral("grant"));
  decision->addItem(tr("Denied"), QStringLiteral("deny"));
  for (auto* combo : {zone, door, decision}) {
    // Long zone names must not widen the side panel: the map is the main view.
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(8);
  }
  filters->addWidget(person, 2);
  filters->addWidget(zone, 2);
  filters->addWidget(door, 2);
  filters->addWidget(decision, 1);
  layout->addLayout(filters);
  logFilter_ = new AccessLogFilter(this);
  logFilter_->setSourceModel(state_->accessLog());
  layout->addWidget(makeTable(logFilter_), 1);
  auto fill = [this, zone, door] {
    zone->clear();
    door->clear();
    zone->addItem(tr("Any zone"), QString());
    door->addItem(tr("Any door or rack"), QString());
    for (const auto& z : state_->site().zones) zone->addItem(z.name, z.id);  // QComboBox items are plain text
    for (const auto& p : state_->site().portals) door->addItem(p.name, p.id);
    for (const auto& r : state_->site().racks) door->addItem(r.name, r.id);
  };
  fill();
  connect(state_, &ConsoleState::siteChanged, this, fill);
  connect(person, &QLineEdit::textChanged, logFilter_, &AccessLogFilter::setPerson);
  connect(zone, &QComboBox::currentIndexChanged, this,
          [this, zone] { logFilter_->setZone(zone->currentData().toString()); });
  connect(door, &QComboBox::currentIndexChanged, this,
          [this, door] { logFilter_->setDoor(door->currentData().toString()); });
  connect(decision, &QComboBox::currentIndexChanged, this,
          [this, decision] { logFilter_->setDecision(decision->currentData().toString()); });
  return panel;
}

QWidget* MainWindow::buildPeopleTab() {
  auto* panel = new QWidget(this);
  auto* layout = new QVBoxLayout(panel);
  personSearch_ = new QLineEdit(panel);
  personSearch_->setPlaceholderText(tr("Where is… (name)   Ctrl+F"));
  personSearch_->setClearButtonEnabled(true);
  layout->addWidget(personSearch_);
  peopleFilter_ = new QSortFilterProxyModel(this);
  peopleFilter_->setSourceModel(state_->presence());
  peopleFilter_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  peopleFilter_->setFilterKeyColumn(PresenceModel::ColPerson);
  peopleFilter_->setSortRole(SortRole);
  auto* view = makeTable(peopleFilter_);
  view->setSortingEnabled(true);
  layout->addWidget(view, 1);
  connect(personSearch_, &QLineEdit::textChanged, peopleFilter_,
          &QSortFilterProxyModel::setFilterFixedString);
  return panel;
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  fitSplit();
}

void MainWindow::resizeEvent(QResizeEvent* event) {
  QMainWindow::resizeEvent(event);
  if (isVisible()) fitSplit();
}

void MainWindow::fitSplit() {
  // The map is the main view: about two thirds of the width, whatever the side panels would like. On a
  // laptop's screen a little more goes to the side, so that the alarm queue shows severity, alarm and subject
  // without scrolling. Set again only when the window changes between the two (a guard's own drag of the
  // splitter stays); deferred until the layout has given the splitter its real width.
  QTimer::singleShot(0, this, [this] {
    const int w = split_->width();
    const bool narrow = w < 1600;
    if (splitNarrow_ == narrow) return;
    splitNarrow_ = narrow;
    const int mapShare = narrow ? 53 : 61;
    split_->setSizes({w * mapShare / 100, w - w * mapShare / 100});
  });
}

void MainWindow::setStreamHealth(StreamHealth health) {
  health_ = health;
  offlineWhy_.clear();
  updateBanner();
}

void MainWindow::noteMessage(qint64 seq) {
  sinceMessage_.restart();
  lastSeq_ = seq;
  if (!bannerUpdated_.isValid() || bannerUpdated_.elapsed() > 500) updateBanner();  // at most twice a second
}

void MainWindow::setSessionExpired(bool expired) {
  if (expired && !sessionExpired_) expiredAt_ = QDateTime::currentDateTime();
  sessionExpired_ = expired;
  if (expired) sessionEnding_ = false;
  updateBanner();
}

void MainWindow::setSessionEnding(bool ending, qint64 remainingMs) {
  if (ending == sessionEnding_ && (!ending || remainingMs / 1000 == sessionRemainingMs_ / 1000)) return;
  sessionEnding_ = ending;
  sessionRemainingMs_ = remainingMs;
  updateBanner();
}

void MainWindow::setOfflineView(const QString& why) {
  offlineWhy_ = why;
  updateBanner();
}

void MainWindow::setOperator(const QString& name, const QString& role) {
  bannerOperator_->setText(role.isEmpty() ? name : name + QStringLiteral(" · ") + role);
  // The server answers 403 to the other roles; they are not offered what they may not run.
  reportsAllowed_ = api_ != nullptr && mayReadReports(role);
  reportsButton_->setVisible(reportsAllowed_);
  if (!reportsAllowed_ && reports_ != nullptr) {
    reports_->hide();
    reports_->deleteLater();
    reports_ = nullptr;
  }
}

void MainWindow::openReports() {
  if (!reportsAllowed_) return;
  if (reports_ == nullptr) {
    reports_ = new ReportsDialog(api_, this);
    reports_->setModal(false);
    reports_->loadReports();
  }
  reports_->show();
  reports_->raise();
  reports_->activateWindow();
}

QString MainWindow::bannerText() const {
  return bannerState_->text() + QLatin1Char(' ') + bannerDetail_->text();
}

void MainWindow::updateBanner() {
  bannerUpdated_.restart();
  bannerClock_->setText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss")));
  bannerSite_->setText(state_->site().name);
  QString stateText;
  QString detail;
  QString bg;
  if (sessionExpired_) {
    // The server ended the session (idle limit, logout elsewhere, operator disabled): the stream is closed
    // and will not come back by itself. Say it plainly, keep the last picture, and offer the way back.
    stateText = tr("⛔ SESSION EXPIRED — SIGN IN");
    detail = tr("live view stopped at %1 — what you see is NOT LIVE")
                 .arg(expiredAt_.toString(QStringLiteral("HH:mm:ss")));
    bg = QStringLiteral("#6a1b9a");
  } else if (!offlineWhy_.isEmpty()) {
    stateText = tr("● OFFLINE VIEW");
    detail = offlineWhy_;
    bg = QStringLiteral("#3a4452");
  } else {
    const qint64 quiet = sinceMessage_.isValid() ? sinceMessage_.elapsed() / 1000 : -1;
    switch (health_) {
      case StreamHealth::Connected:
        stateText = tr("● LIVE");
        detail = lastSeq_ >= 0 ? tr("stream seq %1").arg(lastSeq_) : QString();
        bg = colors::live.name();
        break;
      case StreamHealth::Stale:
        stateText = tr("▲ STALE");
        detail = tr("no data for %1 s — what you see may be out of date").arg(quiet);
        bg = colors::stale.name();
        break;
      case StreamHealth::Connecting:
        stateText = tr("◌ CONNECTING");
        detail = tr("reconnecting to the server…");
        bg = colors::stale.name();
        break;
      case StreamHealth::Disconnected:
        stateText = tr("✖ DISCONNECTED");
        detail = quiet >= 0 ? tr("last data %1 s ago — NOT LIVE, retrying").arg(quiet)
                            : tr("not connected — retrying");
        bg = colors::down.name();
        break;
    }
  }
  if (!sessionExpired_ && sessionEnding_ && offlineWhy_.isEmpty()) {
    const qint64 s = std::max<qint64>(0, sessionRemainingMs_ / 1000);
    detail = tr("idle: session ends in %1:%2 — touch the console to stay signed in")
                 .arg(s / 60)
                 .arg(s % 60, 2, 10, QLatin1Char('0'));
    if (health_ == StreamHealth::Connected) bg = colors::stale.name();
  }
  signIn_->setVisible(sessionExpired_);
  bannerState_->setText(stateText);
  bannerDetail_->setText(detail);
  banner_->setStyleSheet(
      QStringLiteral("QFrame#banner { background: %1; } QLabel { color: white; }").arg(bg));
}

void MainWindow::updateAlarmHeader() {
  int raised = 0;
  int severe = 0;
  for (int i = 0; i < state_->alarms()->rowCount(); ++i) {
    const auto& a = state_->alarms()->at(i);
    if (a.state == QLatin1String("raised")) ++raised;
    if (a.severity >= Severity::High) ++severe;
  }
  const int open = state_->alarms()->rowCount();
  alarmHeader_->setText(open == 0 ? tr("ALARMS · none open")
                                  : tr("ALARMS · %1 open · %2 unacknowledged").arg(open).arg(raised));
  if (flash_.isActive()) return;
  alarmHeader_->setStyleSheet(severe > 0 && raised > 0
                                  ? QStringLiteral("background: #5a1a1a; color: #ffd0cc; padding: 8px;")
                                  : QStringLiteral("background: #1b222c; color: #e8ecf1; padding: 8px;"));
}

void MainWindow::fitAlarmColumns() {
  if (alarmView_ == nullptr) return;
  for (const int c : {AlarmQueueModel::ColSeverity, AlarmQueueModel::ColRaised, AlarmQueueModel::ColKind,
                      AlarmQueueModel::ColSubject, AlarmQueueModel::ColState})
    alarmView_->resizeColumnToContents(c);
}

void MainWindow::selectAlarm(const QString& alarmId) {
  const auto* model = state_->alarms();
  for (int row = 0; row < model->rowCount(); ++row) {
    if (model->at(row).id != alarmId) continue;
    alarmView_->selectRow(row);
    alarmView_->setCurrentIndex(model->index(row, AlarmQueueModel::ColKind));
    alarmView_->scrollTo(model->index(row, AlarmQueueModel::ColKind));
    return;
  }
}

QString MainWindow::selectedAlarm() const {
  const auto rows = alarmView_->selectionModel()->selectedRows();
  return rows.isEmpty() ? QString() : rows.first().data(IdRole).toString();
}

void MainWindow::updateCriticalAlert() {
  QStringList unacknowledged;
  for (int i = 0; i < state_->alarms()->rowCount(); ++i) {
    const auto& a = state_->alarms()->at(i);
    if (a.severity == Severity::Critical && a.state == QLatin1String("raised"))
      unacknowledged << tr("%1: %2").arg(alarmKindText(a.kind), state_->alarms()->subjectText(a));
  }
  if (unacknowledged.isEmpty()) {
    alert_.stop();
    criticalBanner_->hide();
    return;
  }
  criticalBanner_->setText(
      unacknowledged.size() == 1
          ? tr("⚠ CRITICAL — acknowledge (F6) to silence — %1").arg(unacknowledged.front())
          : tr("⚠ %1 CRITICAL — acknowledge each (F6) to silence — %2")
                .arg(unacknowledged.size())
                .arg(unacknowledged.join(QStringLiteral(" · "))));
  criticalBanner_->show();
  if (!alert_.isActive()) {
    alert_.start();
    soundCriticalAlert();  // at once, then every few seconds until acknowledged
  }
}

void MainWindow::soundCriticalAlert() {
  ++alertCount_;
  alertPhase_ = !alertPhase_;
  QApplication::beep();
  QApplication::alert(this);  // the taskbar / window manager flashes the window when it is not in front
  criticalBanner_->setStyleSheet(
      alertPhase_ ? QStringLiteral("background: #ff3b30; color: white; padding: 8px 18px;")
                  : QStringLiteral("background: #7a0f0a; color: white; padding: 8px 18px;"));
}

void MainWindow::flashAlarms(const QString& alarmId) {
  flashCount_ = 0;
  flash_.start();
  QApplication::beep();
  if (const auto* a = state_->alarms()->alarm(alarmId))
    status(tr("NEW %1 ALARM: %2 — %3")
               .arg(severityText(a->severity), alarmKindText(a->kind), state_->alarms()->subjectText(*a)));
}

void MainWindow::alarmAction(bool resolve) {
  const auto sel = alarmView_->selectionModel()->selectedRows();
  if (sel.isEmpty()) {
    status(tr("Select an alarm first."));
    return;
  }
  const auto id = sel.first().data(IdRole).toString();
  const auto* a = state_->alarms()->alarm(id);
  if (a == nullptr) return;
  if (api_ == nullptr) {
    status(tr("Offline view: no server to send to."));
    return;
  }
  ReasonDialog dialog(resolve ? tr("Resolve alarm") : tr("Acknowledge alarm"),
                      tr("%1 alarm %2 on %3.\nComment (required):")
                          .arg(severityName(a->severity).toUpper(), a->kind, a->subject),
                      this);
  if (dialog.exec() != QDialog::Accepted) return;
  auto done = [this, resolve](const ApiResult& r) {
    if (!r.ok) {
      status(tr("Alarm not updated: %1").arg(r.error));
      return;
    }
    state_->alarms()->applyAlarms({parseAlarm(r.body)});
    status(resolve ? tr("Alarm resolved.") : tr("Alarm acknowledged."));
  };
  if (resolve)
    api_->resolveAlarm(id, dialog.text(), done);
  else
    api_->acknowledgeAlarm(id, dialog.text(), done);
}

void MainWindow::requestCommand(const QString& target, const QString& command) {
  QString targetName = target;
  if (const auto* p = state_->site().portal(target)) targetName = p->name;
  if (const auto* z = state_->site().zone(target)) targetName = z->name;
  if (api_ == nullptr) {
    status(tr("Offline view: commands need a server."));
    return;
  }
  ReasonDialog dialog(
      commandLabel(command),
      tr("%1: %2\nReason (required, recorded in the audit log):").arg(commandLabel(command), targetName),
      this);
  if (dialog.exec() != QDialog::Accepted) return;
  api_->sendCommand(target, command, dialog.text(),
                    [this, command, targetName](std::optional<CommandOutcome> outcome, const QString& error) {
                      if (!outcome) {
                        status(tr("%1 refused: %2").arg(commandLabel(command), error));
                        return;
                      }
                      if (outcome->pendingApproval()) {
                        ++pendingApprovals_;
                        pendingLabel_->setText(
                            pendingApprovals_ == 1
                                ? tr("⏳ %n command pending second approval", nullptr, pendingApprovals_)
                                : tr("⏳ %n commands pending second approval", nullptr, pendingApprovals_));
                        QMessageBox box(QMessageBox::Information, tr("Pending approval"),
                                        tr("%1 of %2 is PENDING APPROVAL by a second operator (command %3).")
                                            .arg(commandLabel(command), targetName, outcome->id),
                                        QMessageBox::Ok, this);
                        box.setTextFormat(Qt::PlainText);
                        box.exec();
                        status(tr("%1 of %2: pending approval").arg(commandLabel(command), targetName));
                      } else {
                        status(tr("%1 of %2: sent").arg(commandLabel(command), targetName));
                      }
                    });
}

void MainWindow::showDetails(const QString& kind, const QString& id) {
  selectedKind_ = kind;
  selectedId_ = id;
  map_->select(kind, id);
  detailFilter_->setZone({});
  detailFilter_->setDoor({});
  if (kind == QLatin1String("door"))
    detailFilter_->setDoor(id);
  else if (kind == QLatin1String("rack"))
    detailFilter_->setDoor(id);
  else if (!id.isEmpty())
    detailFilter_->setZone(id);
  while (auto* item = detailCommands_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  QStringList commands;
  if (kind == QLatin1String("door")) commands = {"momentary_unlock", "lock", "unlock"};
  if (kind == QLatin1String("zone") && !id.isEmpty()) commands = {"lockdown", "release"};
  for (const auto& c : commands) {
    auto* b = new QPushButton(commandLabel(c), this);
    if (c == QLatin1String("lockdown")) b->setObjectName(QStringLiteral("danger"));
    connect(b, &QPushButton::clicked, this, [this, c] { requestCommand(selectedId_, c); });
    detailCommands_->addWidget(b);
  }
  detailCommands_->addStretch(1);
  refreshDetails();
  if (!id.isEmpty()) tabs_->setCurrentIndex(0);
}

void MainWindow::refreshDetails() {
  const auto& site = state_->site();
  const auto zoneName = [&site](const QString& z) {
    const auto* sz = site.zone(z);
    return sz != nullptr ? sz->name : z;
  };
  QString title;
  QStringList lines;
  if (selectedKind_ == QLatin1String("alarm")) {
    const auto* a = state_->alarms()->alarm(selectedId_);
    if (a == nullptr) {
      title = tr("Alarm closed");
      lines << tr("This alarm has been resolved and left the queue.");
    } else {
      // In words, with what to do next from the site's response instructions.
      title = tr("%1 — %2").arg(alarmKindText(a->kind), state_->alarms()->subjectText(*a));
      lines << tr("%1 · raised %2 · %3")
                   .arg(severityText(a->severity),
                        a->raisedAt.isValid() ? a->raisedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss"))
                                              : tr("at an unknown time"),
                        a->acknowledgedBy.isEmpty()
                            ? alarmStateText(a->state)
                            : tr("%1 by %2").arg(alarmStateText(a->state), a->acknowledgedBy));
      lines << tr("Where: %1").arg(state_->alarms()->subjectFullText(*a));
      if (!a->detail.isEmpty()) lines << a->detail;
      if (a->count > 1) lines << tr("Raised %n times", nullptr, a->count);
      if (!a->comment.isEmpty()) lines << tr("Comment: %1").arg(a->comment);
      lines << QString();
      const auto response = site.alarmResponses.value(a->kind);
      lines << tr("What to do:");
      lines << (response.isEmpty() ? tr("No instructions for this kind of alarm in the site file: follow the "
                                        "post orders and call the security lead.")
                                   : response);
      if (a->state == QLatin1String("raised")) lines << tr("Acknowledge (F6) once someone is on it.");
    }
  } else if (selectedKind_ == QLatin1String("door")) {
    const auto* p = site.portal(selectedId_);
    const auto* d = state_->doors()->door(selectedId_);
    title = p != nullptr ? p->name : selectedId_;
    if (p != nullptr) {
      lines << tr("%1 from %2 to %3").arg(p->kind, zoneName(p->from), zoneName(p->to));
      if (!p->mantrap.isEmpty()) lines << tr("Part of mantrap %1").arg(p->mantrap);
    }
    if (d != nullptr) {
      lines << tr("State: %1").arg(doorLookName(doorLook(*d)));
      lines << tr("Mode: %1 · %2 · %3 · %4")
                   .arg(d->mode, d->open ? tr("open") : tr("closed"),
                        d->locked ? tr("locked") : tr("unlocked"), d->online ? tr("online") : tr("OFFLINE"));
    }
  } else if (selectedKind_ == QLatin1String("rack")) {
    const auto* r = site.rack(selectedId_);
    const auto* s = state_->racks()->rack(selectedId_);
    title = r != nullptr ? r->name : selectedId_;
    QStringList where;
    if (r != nullptr) where << tr("In %1").arg(zoneName(r->zone)) << tr("tier %1").arg(r->tier);
    if ((r != nullptr && r->twoPerson) || (s != nullptr && s->twoPerson)) where << tr("two-person rule");
    if (!where.isEmpty()) lines << where.join(QStringLiteral(" · "));
    if (s != nullptr && s->known) {
      QString state = s->sealBroken() ? tr("SEAL BROKEN") : sealText(s->seal);
      if (s->lockKnown)
        state =
            tr("%1 · %2 · door %3")
                .arg(state, s->locked ? tr("locked") : tr("UNLOCKED"), s->open ? tr("OPEN") : tr("closed"));
      lines << state;
      if (s->expectedKnown() && s->expected > 0) {
        // Present / expected from the registry (home rack, in service), so a rack whose tags were not read
        // yet does not look empty; strangers (located here, home elsewhere) are counted apart.
        const auto missing = state_->assets()->missingFrom(selectedId_);
        QStringList contents{rackContentsText(*s, missing.locatedHere)};
        if (s->away > 0) contents << rackAwayText(*s);
        if (missing.missing > 0) contents << tr("%n MISSING", nullptr, missing.missing);
        // English reads right with no translation loaded; each text is a plural form of its own for the
        // languages that have more of them.
        const int others = std::max(0, s->assets - s->present);
        if (others > 0)
          contents << (others == 1 ? tr("%n other here", nullptr, others)
                                   : tr("%n others here", nullptr, others));
        lines << contents.join(QStringLiteral(" · "));
      } else {
        lines << rackContentsText(*s);
      }
    } else {
      lines << tr("No live state yet");
    }
    // The assets in the rack (the server's list first, then any the asset records place there), then those
    // that belong here but are elsewhere.
    const auto* assets = state_->assets();
    QVector<QString> ids = s != nullptr ? s->assetIds : QVector<QString>{};
    for (const auto* a : assets->inRack(selectedId_))
      if (!ids.contains(a->id)) ids.push_back(a->id);
    // One asset per line, indented under its heading; its facts apart, joined by " · ".
    const auto assetFacts = [&site](const QString& id, const AssetState* a) {
      if (a == nullptr) return QStringList{id};
      QStringList facts{tr("%1  %2  %3").arg(a->tag.isEmpty() ? a->id : a->tag, a->kind, a->lifecycle)};
      if (a->holdsModelWeights) facts << tr("MODEL WEIGHTS");
      if (a->missing) facts << tr("MISSING");
      if (!a->rack.isEmpty() && a->rack != a->homeRack) {
        const auto* now = site.rack(a->rack);
        facts << tr("in %1").arg(now != nullptr ? now->name : a->rack);
      }
      return facts;
    };
    const auto assetLine = [](const QStringList& facts) {
      return QStringLiteral("  ") + facts.join(QStringLiteral("  · "));
    };
    if (!ids.isEmpty()) lines << tr("Assets here:");
    for (const auto& id : ids) lines << assetLine(assetFacts(id, assets->asset(id)));
    const auto away = assets->awayFrom(selectedId_);
    if (!away.isEmpty()) {
      lines << tr("Belong here, elsewhere:");
      for (const auto* a : away) {
        QStringList facts = assetFacts(a->id, a);
        if (a->rack.isEmpty()) {
          const auto* z = site.zone(a->zone);
          facts << (a->zone.isEmpty() ? tr("location unknown")
                                      : tr("last in %1").arg(z != nullptr ? z->name : a->zone));
        }
        lines << assetLine(facts);
      }
    }
  } else if (!selectedId_.isEmpty()) {
    const auto* z = site.zone(selectedId_);
    const auto* s = state_->zones()->zone(selectedId_);
    title = z != nullptr ? z->name : selectedId_;
    if (z != nullptr) {
      lines << (z->parent.isEmpty() ? tr("Tier %1").arg(z->tier)
                                    : tr("Tier %1 · inside %2").arg(z->tier).arg(zoneName(z->parent)));
      if (site.isMantrapVestibule(z->id)) lines << tr("Mantrap vestibule");
    }
    if (s != nullptr) {
      lines << tr("%n inside", nullptr, s->occupancy);
      if (s->lockdown) lines << tr("LOCKDOWN IN FORCE");
    }
  } else {
    title = tr("Select a zone, door or rack on the map");
    lines << tr("Right-click a door or zone for commands.");
  }
  detailTitle_->setText(title);
  detailBody_->setText(lines.join(QLatin1Char('\n')));
}

void MainWindow::status(const QString& message) {
  statusBar()->showMessage(message, 15000);
}

}  // namespace portcullis::console
