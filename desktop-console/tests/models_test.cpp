// Model tests: every model runs under QAbstractItemModelTester (fatal on any contract violation) while it
// is fed snapshots and deltas the way the stream does.
#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScopeGuard>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include "api_client.hpp"
#include "console_state.hpp"
#include "dialogs.hpp"
#include "reports.hpp"
#include "session_keeper.hpp"
#include "totp.hpp"
#include "translations.hpp"

using namespace portcullis::console;

namespace {

Site loadExampleSite() {
  QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/examples/datacenter.site.json"));
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open the example site");
  QString error;
  auto site = parseSite(f.readAll(), &error);
  if (!site) qFatal("example site: %s", qPrintable(error));
  return *site;
}

QJsonObject door(const QString& id, bool open, bool locked, const QString& alarm = QStringLiteral("none"),
                 bool online = true) {
  return toJson(DoorState{id, {}, open, locked, QStringLiteral("normal"), alarm, online});
}

Alarm alarm(const QString& id, Severity s, int minute, const QString& state = QStringLiteral("raised")) {
  Alarm a;
  a.id = id;
  a.kind = QStringLiteral("door_forced");
  a.severity = s;
  a.subject = QStringLiteral("cage-door");
  a.state = state;
  a.raisedAt = QDateTime(QDate(2026, 11, 27), QTime(10, minute), Qt::UTC);
  return a;
}

AccessEvent access(const QString& person, const QString& portal, const QString& reader, bool grant,
                   int second) {
  AccessEvent e;
  e.time = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC).addSecs(second);
  e.portal = portal;
  e.reader = reader;
  e.person = person;
  e.personName = person;
  e.verdict = grant ? QStringLiteral("grant") : QStringLiteral("deny");
  e.reason = grant ? QStringLiteral("granted") : QStringLiteral("no_grant");
  return e;
}

// A translator that marks every text it is asked for: a text shown without the mark did not go through tr().
class MarkingTranslator : public QTranslator {
 public:
  QString translate(const char* context, const char* source, const char* disambiguation,
                    int n) const override {
    Q_UNUSED(context);
    Q_UNUSED(disambiguation);
    Q_UNUSED(n);
    if (source == nullptr || *source == '\0') return {};
    return QStringLiteral("\u27e6") + QString::fromUtf8(source) + QStringLiteral("\u27e7");
  }
  bool isEmpty() const override { return false; }
};

bool marked(const QString& text) {
  return text.contains(QChar(0x27e6));
}

// Every text a dialog shows on its own (labels, buttons, placeholders, list entries, title) that is not
// marked.
QStringList unmarkedTexts(QWidget& dialog) {
  QStringList out;
  if (!marked(dialog.windowTitle())) out << QStringLiteral("title: ") + dialog.windowTitle();
  for (auto* l : dialog.findChildren<QLabel*>())
    if (!l->text().isEmpty() && !marked(l->text())) out << QStringLiteral("label: ") + l->text();
  for (auto* b : dialog.findChildren<QAbstractButton*>())
    if (!b->text().isEmpty() && !marked(b->text())) out << QStringLiteral("button: ") + b->text();
  for (auto* e : dialog.findChildren<QLineEdit*>())
    if (!e->placeholderText().isEmpty() && !marked(e->placeholderText()))
      out << QStringLiteral("placeholder: ") + e->placeholderText();
  for (auto* e : dialog.findChildren<QPlainTextEdit*>())
    if (!e->placeholderText().isEmpty() && !marked(e->placeholderText()))
      out << QStringLiteral("placeholder: ") + e->placeholderText();
  for (auto* c : dialog.findChildren<QComboBox*>())
    for (int i = 0; i < c->count(); ++i)
      if (!marked(c->itemText(i))) out << QStringLiteral("list entry: ") + c->itemText(i);
  return out;
}

}  // namespace

class ModelsTest : public QObject {
  Q_OBJECT
 private slots:
  void siteParsesBothShapes();
  void everyDoorModeIsDrawnDistinctly();
  void alarmsReadInWords();
  void shortNamesKeepWhatTellsThemApart();
  void siteLabelsAndResponsesAreRead();
  void siteRejectsUnknownParentAndCycles();
  void doorsUnderTester();
  void alarmQueueOrderUnderTester();
  void accessLogIsBoundedUnderTester();
  void accessLogFilters();
  void presenceFollowsGrantedEvents();
  void racksAndZonesUnderTester();
  void racksAndAssetsInPortcullisdShapeUnderTester();
  void racksShowPresentOverExpected();
  void racksTabNeverCountsAMissingAssetPresent();
  void headersDialogsAndReportsGoThroughTranslation();
  void missingOrBrokenTranslationLeavesEnglish();
  void coalescesTwoThousandEventsPerSecond();
  void namesStayPlainText();
  void totpMatchesRfc6238();
  void sessionKeeperRefreshesOnlyForAPerson();
};

void ModelsTest::siteParsesBothShapes() {
  const auto site = loadExampleSite();
  QCOMPARE(site.zones.size(), 7);
  QCOMPARE(site.portals.size(), 6);
  QCOMPARE(site.racks.size(), 4);
  QCOMPARE(site.portal(QStringLiteral("mantrap-inner"))->mantrap, QStringLiteral("mt-hall"));
  QVERIFY(site.isMantrapVestibule(QStringLiteral("hall-vestibule")));
  QVERIFY(site.readers.value(QStringLiteral("rdr-lobby-out")).exit);

  // The API shape: mantrap flagged on the portals, vestibule inferred.
  const QByteArray api = R"({"site_id":"s","name":"S","version":"1",
    "zones":[{"id":"a","name":"A","parent":null,"tier":0},{"id":"v","name":"V","parent":"a","tier":2},
             {"id":"b","name":"B","parent":"v","tier":3}],
    "portals":[{"id":"p1","name":"P1","from":"a","to":"v","kind":"door","mantrap":"m1"},
               {"id":"p2","name":"P2","from":"v","to":"b","kind":"door","mantrap":"m1"}],
    "racks":[{"id":"r","name":"R","zone":"b"}],"people":[{"id":"x","name":"X"}]})";
  QString error;
  const auto s2 = parseSite(api, &error);
  QVERIFY2(s2.has_value(), qPrintable(error));
  QVERIFY(s2->isMantrapVestibule(QStringLiteral("v")));
  QCOMPARE(s2->personName(QStringLiteral("x")), QStringLiteral("X"));
}

void ModelsTest::siteRejectsUnknownParentAndCycles() {
  QString error;
  QVERIFY(!parseSite(R"({"zones":[{"id":"a","parent":"nope"}]})", &error));
  QVERIFY(error.contains(QStringLiteral("$.zones[0].parent")));
  QVERIFY(!parseSite(R"({"zones":[{"id":"a","parent":"b"},{"id":"b","parent":"a"}]})", &error));
  QVERIFY(error.contains(QStringLiteral("cycle")));
  QVERIFY(!parseSite("[1]", &error));
  QVERIFY(!parseSite(R"({"zones":[{"name":"no id"}]})", &error));
  QVERIFY(error.contains(QStringLiteral("$.zones[0].id")));
}

void ModelsTest::doorsUnderTester() {
  DoorTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setSite(loadExampleSite());
  QCOMPARE(model.rowCount(), 6);
  QCOMPARE(doorLook(*model.door(QStringLiteral("cage-door"))), DoorLook::Offline);  // unknown = offline

  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  // Rows 0 and 1 are adjacent, row 5 is not: two narrow ranges, not one covering everything.
  const auto ids =
      model.applyDoors({parseDoor(door(QStringLiteral("main-entrance"), false, true)),
                        parseDoor(door(QStringLiteral("office-door"), true, false)),
                        parseDoor(door(QStringLiteral("cage-door"), true, false, QStringLiteral("forced")))});
  QCOMPARE(ids.size(), 3);
  QCOMPARE(changed.size(), 2);
  QCOMPARE(changed[0][0].value<QModelIndex>().row(), 0);
  QCOMPARE(changed[0][1].value<QModelIndex>().row(), 1);
  QCOMPARE(changed[1][0].value<QModelIndex>().row(), 5);
  QCOMPARE(model.data(model.index(5, DoorTableModel::ColState), Qt::DisplayRole).toString(),
           QStringLiteral("FORCED"));

  // Same state again: no signal.
  changed.clear();
  model.applyDoors({parseDoor(door(QStringLiteral("main-entrance"), false, true))});
  QCOMPARE(changed.size(), 0);

  // A door the site does not know is appended.
  model.applyDoors({parseDoor(door(QStringLiteral("new-door"), false, true))});
  QCOMPARE(model.rowCount(), 7);
  model.resetDoors({parseDoor(door(QStringLiteral("office-door"), false, true))});
  QCOMPARE(model.rowCount(), 6);
  QCOMPARE(doorLook(*model.door(QStringLiteral("office-door"))), DoorLook::Locked);
}

void ModelsTest::alarmQueueOrderUnderTester() {
  AlarmQueueModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  QSignalSpy severe(&model, &AlarmQueueModel::severeAlarmRaised);
  model.resetAlarms(
      {alarm(QStringLiteral("a1"), Severity::Low, 1), alarm(QStringLiteral("a2"), Severity::High, 5)});
  QCOMPARE(model.at(0).id, QStringLiteral("a2"));
  model.applyAlarms({alarm(QStringLiteral("a3"), Severity::Critical, 9),
                     alarm(QStringLiteral("a4"), Severity::High, 2),
                     alarm(QStringLiteral("a5"), Severity::Medium, 0)});
  QStringList order;
  for (int i = 0; i < model.rowCount(); ++i) order << model.at(i).id;
  // Most severe first; within a severity, the oldest first.
  QCOMPARE(order, (QStringList{"a3", "a4", "a2", "a5", "a1"}));
  QCOMPARE(severe.size(), 2);  // a3 critical and a4 high

  // Acknowledged stays in place; escalated moves; resolved leaves.
  auto a4 = alarm(QStringLiteral("a4"), Severity::High, 2, QStringLiteral("acknowledged"));
  a4.acknowledgedBy = QStringLiteral("guard1");
  auto a1 = alarm(QStringLiteral("a1"), Severity::Critical, 1);
  model.applyAlarms({a4, a1, alarm(QStringLiteral("a2"), Severity::High, 5, QStringLiteral("resolved"))});
  order.clear();
  for (int i = 0; i < model.rowCount(); ++i) order << model.at(i).id;
  QCOMPARE(order, (QStringList{"a1", "a3", "a4", "a5"}));
  QCOMPARE(model.alarm(QStringLiteral("a4"))->acknowledgedBy, QStringLiteral("guard1"));
  QVERIFY(model.alarm(QStringLiteral("a2")) == nullptr);
  // A resolved alarm we never saw is not added.
  model.applyAlarms({alarm(QStringLiteral("zz"), Severity::Low, 3, QStringLiteral("resolved"))});
  QCOMPARE(model.rowCount(), 4);
}

void ModelsTest::accessLogIsBoundedUnderTester() {
  AccessLogModel model(nullptr, 50);
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setSite(loadExampleSite());
  QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
  int second = 0;
  for (int batch = 0; batch < 10; ++batch) {
    QVector<AccessEvent> events;
    for (int i = 0; i < 17; ++i)
      events.push_back(
          access(QStringLiteral("p%1").arg(second), QStringLiteral("office-door"), {}, true, second)),
          ++second;
    model.appendEvents(events);
    QVERIFY(model.rowCount() <= 50);
  }
  QCOMPARE(model.rowCount(), 50);
  QVERIFY(removed.size() > 0);
  QCOMPARE(model.at(0).person, QStringLiteral("p169"));   // newest first
  QCOMPARE(model.at(49).person, QStringLiteral("p120"));  // the oldest kept
  // A batch larger than the capacity keeps its newest events only.
  QVector<AccessEvent> big;
  for (int i = 0; i < 120; ++i)
    big.push_back(access(QStringLiteral("b%1").arg(i), QStringLiteral("office-door"), {}, false, i));
  model.appendEvents(big);
  QCOMPARE(model.rowCount(), 50);
  QCOMPARE(model.at(0).person, QStringLiteral("b119"));
  QCOMPARE(model.at(49).person, QStringLiteral("b70"));
}

void ModelsTest::accessLogFilters() {
  AccessLogModel model;
  model.setSite(loadExampleSite());
  AccessLogFilter filter;
  filter.setSourceModel(&model);
  QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.appendEvents({access(QStringLiteral("alice-nguyen"), QStringLiteral("office-door"), {}, true, 1),
                      access(QStringLiteral("bernard-okafor"), QStringLiteral("cage-door"), {}, false, 2),
                      access(QStringLiteral("alice-nguyen"), QStringLiteral("cage-door"), {}, true, 3),
                      access(QStringLiteral("chen-li"), QStringLiteral("rack-c01"), {}, true, 4)});
  QCOMPARE(filter.rowCount(), 4);
  filter.setPerson(QStringLiteral("ALICE"));
  QCOMPARE(filter.rowCount(), 2);
  filter.setDoor(QStringLiteral("cage-door"));
  QCOMPARE(filter.rowCount(), 1);
  filter.setPerson({});
  filter.setDecision(QStringLiteral("deny"));
  QCOMPARE(filter.rowCount(), 1);
  QCOMPARE(filter.data(filter.index(0, AccessLogModel::ColPerson), Qt::DisplayRole).toString(),
           QStringLiteral("bernard-okafor"));
  filter.setDoor({});
  filter.setDecision({});
  filter.setZone(QStringLiteral("compute-hall"));  // cage door (compute-hall → cage) and rack C01
  QCOMPARE(filter.rowCount(), 3);
  filter.setZone(QStringLiteral("reception"));
  QCOMPARE(filter.rowCount(), 1);
  // Live rows arriving while filtered.
  model.appendEvents({access(QStringLiteral("dana-kowalski"), QStringLiteral("main-entrance"), {}, true, 5)});
  QCOMPARE(filter.rowCount(), 2);
}

void ModelsTest::presenceFollowsGrantedEvents() {
  PresenceModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setSite(loadExampleSite());
  QCOMPARE(model.rowCount(), 12);
  model.applyEvents({access(QStringLiteral("alice-nguyen"), QStringLiteral("main-entrance"),
                            QStringLiteral("rdr-lobby-in"), true, 1),
                     access(QStringLiteral("alice-nguyen"), QStringLiteral("office-door"),
                            QStringLiteral("rdr-office-in"), true, 2),
                     access(QStringLiteral("bernard-okafor"), QStringLiteral("office-door"), {}, false, 3),
                     access(QStringLiteral("visitor-9"), QStringLiteral("main-entrance"),
                            QStringLiteral("rdr-lobby-in"), true, 4)});
  QCOMPARE(model.rowCount(), 13);
  QCOMPARE(model.data(model.index(0, PresenceModel::ColZone), Qt::DisplayRole).toString(),
           QStringLiteral("Office floor"));
  QCOMPARE(model.data(model.index(1, PresenceModel::ColZone), Qt::DisplayRole).toString(),
           QStringLiteral("not seen"));
  // An exit reader puts the person on the "from" side.
  model.applyEvents({access(QStringLiteral("alice-nguyen"), QStringLiteral("main-entrance"),
                            QStringLiteral("rdr-lobby-out"), true, 9)});
  QCOMPARE(model.data(model.index(0, PresenceModel::ColZone), Qt::DisplayRole).toString(),
           QStringLiteral("Public area and car park"));
  // The server's destination wins over the reader-side guess.
  auto e = access(QStringLiteral("chen-li"), QStringLiteral("office-door"), QStringLiteral("rdr-office-in"),
                  true, 10);
  e.destination = QStringLiteral("security-office");
  model.applyEvents({e});
  QCOMPARE(model.data(model.index(2, PresenceModel::ColZone), Qt::DisplayRole).toString(),
           QStringLiteral("Security operations room"));
  // A snapshot's presence map replaces everything.
  model.resetPresence({{QStringLiteral("bernard-okafor"), QStringLiteral("compute-hall")}});
  QCOMPARE(model.data(model.index(0, PresenceModel::ColZone), Qt::DisplayRole).toString(),
           QStringLiteral("not seen"));
  QCOMPARE(model.data(model.index(1, PresenceModel::ColZone), Qt::DisplayRole).toString(),
           QStringLiteral("Compute hall"));
}

void ModelsTest::racksAndZonesUnderTester() {
  ConsoleState state;
  QAbstractItemModelTester t1(state.racks(), QAbstractItemModelTester::FailureReportingMode::Fatal);
  QAbstractItemModelTester t2(state.zones(), QAbstractItemModelTester::FailureReportingMode::Fatal);
  state.setSite(loadExampleSite());
  QCOMPARE(state.racks()->rowCount(), 4);
  QCOMPARE(state.zones()->rowCount(), 7);
  // The contract's "assets" topic with a Rack record (lock, seal, count as a number) is still understood.
  state.queueDelta(
      QStringLiteral("assets"),
      QJsonObject{{"id", "rack-w01"}, {"locked", true}, {"open", false}, {"seal", "broken"}, {"assets", 8}});
  state.queueDelta(QStringLiteral("zones"), toJson(ZoneState{QStringLiteral("weights-cage"), 2, true}));
  state.queueDelta(QStringLiteral("zones"),
                   toJson(ZoneState{QStringLiteral("weights-cage"), 3, true}));  // latest wins
  QSignalSpy batch(&state, &ConsoleState::batchApplied);
  QVERIFY(batch.wait(2000));
  QCOMPARE(state.racks()->rack(QStringLiteral("rack-w01"))->seal, QStringLiteral("broken"));
  QCOMPARE(state.racks()->rack(QStringLiteral("rack-w01"))->assets, 8);
  QVERIFY(state.racks()->rack(QStringLiteral("rack-w01"))->lockKnown);
  QCOMPARE(state.zones()->zone(QStringLiteral("weights-cage"))->occupancy, 3);
  QVERIFY(state.zones()->zone(QStringLiteral("weights-cage"))->lockdown);
  // A snapshot replaces everything and drops older queued deltas.
  state.queueDelta(QStringLiteral("zones"), toJson(ZoneState{QStringLiteral("office"), 99, false}));
  state.applySnapshot(
      QJsonObject{{"zones", QJsonArray{toJson(ZoneState{QStringLiteral("office"), 4, false})}}});
  state.flush();
  QCOMPARE(state.zones()->zone(QStringLiteral("office"))->occupancy, 4);
  QCOMPARE(state.zones()->zone(QStringLiteral("weights-cage"))->occupancy, 0);
}

void ModelsTest::racksAndAssetsInPortcullisdShapeUnderTester() {
  // Exactly what server/json writes: rack_json (stream_json.cpp) and asset_state_to_json (asset_json.cpp).
  const auto rackJson = [](const char* id, const char* zone, int tier, bool twoPerson, QJsonArray ids,
                           const char* seal) {
    return QJsonDocument::fromJson(
               QJsonDocument(QJsonObject{{"id", id},
                                         {"name", QStringLiteral("Rack ") + QString::fromLatin1(id)},
                                         {"zone", zone},
                                         {"tier", tier},
                                         {"two_person", twoPerson},
                                         {"asset_count", ids.size()},
                                         {"assets", ids},
                                         {"seal", seal}})
                   .toJson())
        .object();
  };
  const auto assetJson = [](const char* id, const char* tag, const char* home, QJsonObject location,
                            bool weights, bool missing, const char* lifecycle = "in_service") {
    return QJsonObject{{"id", id},
                       {"tag", tag},
                       {"serial", "SN1"},
                       {"kind", "storage_drive"},
                       {"epc", QStringLiteral("urn:epc:id:giai:4012345.") + QString::fromLatin1(id)},
                       {"home_rack", home},
                       {"unit", 10},
                       {"lifecycle", lifecycle},
                       {"holds_model_weights", weights},
                       {"location", location},
                       {"located_at", "2026-11-27T10:00:00Z"},
                       {"missing", missing}};
  };
  ConsoleState state;
  QAbstractItemModelTester t1(state.racks(), QAbstractItemModelTester::FailureReportingMode::Fatal);
  QAbstractItemModelTester t2(state.assets(), QAbstractItemModelTester::FailureReportingMode::Fatal);
  state.setSite(loadExampleSite());
  state.applySnapshot(QJsonObject{
      {"type", "snapshot"},
      {"seq", 7},
      {"racks", QJsonArray{rackJson("rack-w01", "weights-cage", 4, true, {"drv-1", "drv-2"}, "intact"),
                           rackJson("rack-c01", "compute-hall", 3, false, {}, "none")}},
      {"assets",
       QJsonArray{assetJson("drv-1", "PC-1", "rack-w01", {{"zone", "weights-cage"}, {"rack", "rack-w01"}},
                            true, false),
                  assetJson("drv-2", "PC-2", "rack-w01", {{"zone", "weights-cage"}, {"rack", "rack-w01"}},
                            false, false, "wiped")}}});
  const auto* w01 = state.racks()->rack(QStringLiteral("rack-w01"));
  QVERIFY(w01 != nullptr);
  QCOMPARE(w01->assets, 2);
  QCOMPARE(w01->assetIds, (QVector<QString>{QStringLiteral("drv-1"), QStringLiteral("drv-2")}));
  QVERIFY(w01->twoPerson);
  QVERIFY(!w01->lockKnown);  // portcullisd says nothing about rack locks: none is made up
  QCOMPARE(state.assets()->rowCount(), 2);
  QCOMPARE(state.assets()->inRack(QStringLiteral("rack-w01")).size(), 2);
  const auto* racks = state.racks();
  const int row = racks->rowOf(QStringLiteral("rack-w01"));
  const auto cell = [&](int column) { return racks->index(row, column).data(Qt::DisplayRole).toString(); };
  QCOMPARE(cell(RackGridModel::ColName), QStringLiteral("Model-weights storage W01"));
  QCOMPARE(cell(RackGridModel::ColZone), QStringLiteral("Model-weights cage"));
  QCOMPARE(cell(RackGridModel::ColSeal), QStringLiteral("intact"));
  QCOMPARE(cell(RackGridModel::ColAssets), QStringLiteral("2"));
  QCOMPARE(cell(RackGridModel::ColTwoPerson), QStringLiteral("Two-person"));
  QCOMPARE(cell(RackGridModel::ColLock), QStringLiteral("—"));
  QCOMPARE(racks->index(racks->rowOf(QStringLiteral("rack-c01")), RackGridModel::ColSeal).data().toString(),
           QStringLiteral("no seal"));

  // A drive leaves the rack and goes missing: an "assets" delta, then the "racks" delta the server sends for
  // the rack whose contents changed, and a broken seal.
  QSignalSpy batch(&state, &ConsoleState::batchApplied);
  QSignalSpy changed(state.racks(), &QAbstractItemModel::dataChanged);
  state.queueDelta(QStringLiteral("assets"),
                   assetJson("drv-1", "PC-1", "rack-w01", {{"zone", "weights-cage"}}, true, true));
  state.queueDelta(QStringLiteral("racks"),
                   rackJson("rack-w01", "weights-cage", 4, true, {"drv-2"}, "broken"));
  QVERIFY(batch.wait(2000));
  QCOMPARE(batch.first().at(2).value<QVector<QString>>(), (QVector<QString>{QStringLiteral("rack-w01")}));
  QCOMPARE(changed.size(), 1);  // one narrow dataChanged for the one rack
  QCOMPARE(changed.first().at(0).toModelIndex().row(), row);
  QCOMPARE(changed.first().at(1).toModelIndex().row(), row);
  w01 = state.racks()->rack(QStringLiteral("rack-w01"));
  QVERIFY(w01->sealBroken());
  QCOMPARE(w01->assets, 1);
  QCOMPARE(cell(RackGridModel::ColSeal), QStringLiteral("BROKEN"));
  QVERIFY(racks->index(row, RackGridModel::ColSeal).data(Qt::BackgroundRole).isValid());
  QCOMPARE(state.assets()->inRack(QStringLiteral("rack-w01")).size(), 1);
  const auto away = state.assets()->awayFrom(QStringLiteral("rack-w01"));
  QCOMPARE(away.size(), 1);
  QVERIFY(away.first()->missing);
  QVERIFY(away.first()->holdsModelWeights);
  const auto* assets = state.assets();
  QCOMPARE(assets->index(0, AssetModel::ColWhere).data().toString(), QStringLiteral("Model-weights cage"));
  QCOMPARE(assets->index(0, AssetModel::ColWeights).data().toString(), QStringLiteral("MODEL WEIGHTS"));
  QCOMPARE(assets->index(0, AssetModel::ColMissing).data().toString(), QStringLiteral("MISSING"));
  QCOMPARE(assets->index(1, AssetModel::ColLifecycle).data().toString(), QStringLiteral("wiped"));
  // A new asset is a bracketed insert.
  state.queueDelta(
      QStringLiteral("assets"),
      assetJson("drv-3", "PC-3", "rack-c01", {{"zone", "compute-hall"}, {"rack", "rack-c01"}}, false, false));
  state.flush();
  QCOMPARE(state.assets()->rowCount(), 3);
}

void ModelsTest::racksShowPresentOverExpected() {
  // portcullisd's rack entry with the registry's expectation (stream_json.cpp rack_json): before any tag is
  // read a rack is "0 / 3 present", not "0 assets"; strangers located here are not "present".
  const auto rackJson = [](const char* id, QJsonArray located, int expected, int present, QJsonArray away,
                           int unseen = 0) {
    return QJsonDocument::fromJson(
               QJsonDocument(QJsonObject{{"id", id},
                                         {"unseen_count", unseen},
                                         {"name", QStringLiteral("Rack ") + QLatin1String(id)},
                                         {"zone", "compute-hall"},
                                         {"tier", 3},
                                         {"two_person", false},
                                         {"asset_count", located.size()},
                                         {"assets", located},
                                         {"expected_count", expected},
                                         {"present_count", present},
                                         {"away_count", away.size()},
                                         {"away", away},
                                         {"seal", "none"}})
                   .toJson())
        .object();
  };
  ConsoleState state;
  QAbstractItemModelTester tester(state.racks(), QAbstractItemModelTester::FailureReportingMode::Fatal);
  state.setSite(loadExampleSite());
  state.applySnapshot(QJsonObject{
      {"type", "snapshot"},
      {"seq", 3},
      {"racks", QJsonArray{rackJson("rack-c01", {}, 3, 0, {"gpu-1", "gpu-2", "tor-1"}),
                           rackJson("rack-c02", {"gpu-9"}, 1, 1, {}), rackJson("rack-w01", {}, 0, 0, {})}}});
  const auto* c01 = state.racks()->rack(QStringLiteral("rack-c01"));
  QVERIFY(c01 != nullptr);
  QVERIFY(c01->expectedKnown());
  QCOMPARE(c01->expected, 3);
  QCOMPARE(c01->present, 0);
  QCOMPARE(c01->away, 3);
  QCOMPARE(c01->awayIds.size(), 3);
  QCOMPARE(rackContentsText(*c01), QStringLiteral("0 / 3 present"));
  // Round trip through the console's own JSON (the demo state uses it).
  QCOMPARE(parseRack(toJson(*c01)), *c01);
  const auto* racks = state.racks();
  const auto cell = [&](const char* id, int column, int role = Qt::DisplayRole) {
    return racks->index(racks->rowOf(QLatin1String(id)), column).data(role);
  };
  QCOMPARE(cell("rack-c01", RackGridModel::ColAssets).toString(), QStringLiteral("0 / 3 present · 3 AWAY"));
  QVERIFY(cell("rack-c01", RackGridModel::ColAssets, Qt::ForegroundRole).isValid());  // highlighted
  QCOMPARE(cell("rack-c02", RackGridModel::ColAssets).toString(), QStringLiteral("1 / 1 present"));
  QVERIFY(!cell("rack-c02", RackGridModel::ColAssets, Qt::ForegroundRole).isValid());
  // Nothing expected: the RFID count as before.
  QCOMPARE(cell("rack-w01", RackGridModel::ColAssets).toString(), QStringLiteral("0"));
  // Sorting puts the rack with the most assets away last in ascending order.
  QVERIFY(cell("rack-c01", RackGridModel::ColAssets, SortRole).toInt() >
          cell("rack-c02", RackGridModel::ColAssets, SortRole).toInt());

  // Registered but never read anywhere (unseen_count): "not read yet", not highlighted as away.
  state.queueDelta(QStringLiteral("racks"), rackJson("rack-c01", {}, 3, 0, {"gpu-1", "gpu-2", "tor-1"}, 3));
  state.flush();
  QCOMPARE(cell("rack-c01", RackGridModel::ColAssets).toString(),
           QStringLiteral("0 / 3 present · 3 NOT READ YET"));
  QVERIFY(!cell("rack-c01", RackGridModel::ColAssets, Qt::ForegroundRole).isValid());
  state.queueDelta(QStringLiteral("racks"), rackJson("rack-c01", {}, 3, 0, {"gpu-1", "gpu-2", "tor-1"}, 2));
  state.flush();
  QCOMPARE(cell("rack-c01", RackGridModel::ColAssets).toString(),
           QStringLiteral("0 / 3 present · 1 AWAY · 2 NOT READ YET"));
  QVERIFY(cell("rack-c01", RackGridModel::ColAssets, Qt::ForegroundRole).isValid());

  // Tags read: a rack delta with two of three present and a stranger located there.
  QSignalSpy changed(state.racks(), &QAbstractItemModel::dataChanged);
  state.queueDelta(QStringLiteral("racks"), rackJson("rack-c01", {"gpu-1", "gpu-2", "x-9"}, 3, 2, {"tor-1"}));
  state.flush();
  QCOMPARE(changed.size(), 1);
  c01 = state.racks()->rack(QStringLiteral("rack-c01"));
  QCOMPARE(c01->assets, 3);
  QCOMPARE(c01->present, 2);
  QCOMPARE(c01->awayIds, QVector<QString>{QStringLiteral("tor-1")});
  QCOMPARE(cell("rack-c01", RackGridModel::ColAssets).toString(), QStringLiteral("2 / 3 present · 1 AWAY"));
  // All home: no highlight.
  state.queueDelta(QStringLiteral("racks"), rackJson("rack-c01", {"gpu-1", "gpu-2", "tor-1"}, 3, 3, {}));
  state.flush();
  QCOMPARE(cell("rack-c01", RackGridModel::ColAssets).toString(), QStringLiteral("3 / 3 present"));
  QVERIFY(!cell("rack-c01", RackGridModel::ColAssets, Qt::ForegroundRole).isValid());
  // A server without the fields (older portcullisd, the contract): no expectation is made up.
  const auto plain = parseRack(QJsonObject{{"id", "rack-c01"}, {"assets", 4}});
  QVERIFY(!plain.expectedKnown());
  QCOMPARE(rackContentsText(plain), QStringLiteral("4 assets"));
}

// The server keeps locating a drive in its rack after it stops being read there, so the rack entry still says
// 2 of 2 present when the drive is reported missing (an asset delta, no rack delta). The map counted that;
// the Racks tab read "2 / 2 present" in plain text.
void ModelsTest::racksTabNeverCountsAMissingAssetPresent() {
  const auto rackJson = [](const char* id, QJsonArray located, int expected, int present, QJsonArray away) {
    return QJsonObject{{"id", id},
                       {"unseen_count", 0},
                       {"zone", "weights-cage"},
                       {"tier", 4},
                       {"two_person", true},
                       {"asset_count", located.size()},
                       {"assets", located},
                       {"expected_count", expected},
                       {"present_count", present},
                       {"away_count", away.size()},
                       {"away", away},
                       {"seal", "intact"}};
  };
  const auto assetJson = [](const char* id, const char* home, const char* rack, bool missing) {
    return QJsonObject{{"id", id},
                       {"tag", QStringLiteral("PC-") + QLatin1String(id)},
                       {"kind", "storage_drive"},
                       {"home_rack", home},
                       {"lifecycle", "in_service"},
                       {"holds_model_weights", true},
                       {"location", QJsonObject{{"zone", "weights-cage"}, {"rack", rack}}},
                       {"missing", missing}};
  };
  ConsoleState state;
  QAbstractItemModelTester tester(state.racks(), QAbstractItemModelTester::FailureReportingMode::Fatal);
  state.setSite(loadExampleSite());
  state.applySnapshot(
      QJsonObject{{"type", "snapshot"},
                  {"seq", 1},
                  {"racks", QJsonArray{rackJson("rack-w02", {"gpu-w02-01", "drv-w02-0001"}, 2, 2, {}),
                                       rackJson("rack-w01", {"stor-w01"}, 2, 1, {"drv-w01-0042"})}},
                  {"assets", QJsonArray{assetJson("gpu-w02-01", "rack-w02", "rack-w02", false),
                                        assetJson("drv-w02-0001", "rack-w02", "rack-w02", false),
                                        assetJson("stor-w01", "rack-w01", "rack-w01", false),
                                        assetJson("drv-w01-0042", "rack-w01", "rack-c01", false)}}});
  const auto* racks = state.racks();
  const auto cell = [&](const char* id, int role = Qt::DisplayRole) {
    return racks->index(racks->rowOf(QLatin1String(id)), RackGridModel::ColAssets).data(role);
  };
  QCOMPARE(cell("rack-w02").toString(), QStringLiteral("2 / 2 present"));
  QVERIFY(!cell("rack-w02", Qt::ForegroundRole).isValid());

  // The drive goes missing where the server last located it: only an asset delta comes.
  QSignalSpy changed(state.racks(), &QAbstractItemModel::dataChanged);
  state.queueDelta(QStringLiteral("assets"), assetJson("drv-w02-0001", "rack-w02", "rack-w02", true));
  state.flush();
  QCOMPARE(changed.size(), 1);
  QCOMPARE(cell("rack-w02").toString(), QStringLiteral("1 / 2 present · 1 MISSING"));
  QVERIFY(cell("rack-w02", Qt::ForegroundRole).isValid());
  // Missing sorts before merely away.
  QVERIFY(cell("rack-w02", SortRole).toLongLong() > cell("rack-w01", SortRole).toLongLong());

  // An asset away from its rack that goes missing: away and missing, present unchanged.
  state.queueDelta(QStringLiteral("assets"), assetJson("drv-w01-0042", "rack-w01", "rack-c01", true));
  state.flush();
  QCOMPARE(cell("rack-w01").toString(), QStringLiteral("1 / 2 present · 1 AWAY · 1 MISSING"));

  // Found again in its rack: all present, nothing shouted.
  state.queueDelta(QStringLiteral("assets"), assetJson("drv-w02-0001", "rack-w02", "rack-w02", false));
  state.flush();
  QCOMPARE(cell("rack-w02").toString(), QStringLiteral("2 / 2 present"));
  QVERIFY(!cell("rack-w02", Qt::ForegroundRole).isValid());

  // A snapshot with the drive missing from the start reads the same.
  state.applySnapshot(
      QJsonObject{{"type", "snapshot"},
                  {"seq", 9},
                  {"racks", QJsonArray{rackJson("rack-w02", {"gpu-w02-01", "drv-w02-0001"}, 2, 2, {})}},
                  {"assets", QJsonArray{assetJson("gpu-w02-01", "rack-w02", "rack-w02", false),
                                        assetJson("drv-w02-0001", "rack-w02", "rack-w02", true)}}});
  QCOMPARE(cell("rack-w02").toString(), QStringLiteral("1 / 2 present · 1 MISSING"));
}

// Table headers, the sign-in and reason dialogs and the reports window were plain literals, out of reach of a
// translation. With a translator that marks what it is asked for, every such text must come out marked.
void ModelsTest::headersDialogsAndReportsGoThroughTranslation() {
  MarkingTranslator translator;
  QVERIFY(QCoreApplication::installTranslator(&translator));
  const auto cleanup = qScopeGuard([&translator] { QCoreApplication::removeTranslator(&translator); });
  ConsoleState state;
  state.setSite(loadExampleSite());
  const QList<QAbstractItemModel*> models{state.doors(),  state.zones(),     state.racks(),   state.assets(),
                                          state.alarms(), state.accessLog(), state.presence()};
  for (auto* model : models)
    for (int column = 0; column < model->columnCount(); ++column) {
      const auto header = model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
      QVERIFY2(marked(header), qPrintable(QStringLiteral("%1 header %2: %3")
                                              .arg(QString::fromLatin1(model->metaObject()->className()))
                                              .arg(column)
                                              .arg(header)));
    }
  // Words in the cells too: the two-person rule, a missing asset, a decision.
  QCOMPARE(state.racks()
               ->index(state.racks()->rowOf(QStringLiteral("rack-w01")), RackGridModel::ColTwoPerson)
               .data()
               .toString(),
           QStringLiteral("\u27e6Two-person\u27e7"));
  state.accessLog()->appendEvents({access(QStringLiteral("alice-nguyen"), QStringLiteral("main-entrance"),
                                          QStringLiteral("rdr-lobby-in"), true, 1)});
  QVERIFY(marked(state.accessLog()->index(0, AccessLogModel::ColDecision).data().toString()));

  ApiClient api;
  LoginDialog login(&api, QStringLiteral("https://localhost:8443"));
  QCOMPARE(unmarkedTexts(login), QStringList{});
  ReasonDialog reason(QStringLiteral("\u27e6Lock down\u27e7"), QStringLiteral("\u27e6Why?\u27e7"));
  QCOMPARE(unmarkedTexts(reason), QStringList{});
  ReportsDialog reports(&api);
  QCOMPARE(unmarkedTexts(reports), QStringList{});
}

// A site without a translation for its language, or with a broken file, still gets a console: the English
// source texts, and no translator of the console's installed.
void ModelsTest::missingOrBrokenTranslationLeavesEnglish() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QLocale german(QLocale::German, QLocale::Germany);
  auto& app = *QCoreApplication::instance();
  QCOMPARE(installTranslations(app, german, {dir.path(), dir.filePath(QStringLiteral("absent"))}).console,
           QString());
  QFile broken(dir.filePath(QStringLiteral("portcullis-console_de.qm")));
  QVERIFY(broken.open(QIODevice::WriteOnly));
  broken.write("not a Qt translation file");
  broken.close();
  QCOMPARE(installTranslations(app, german, {dir.path()}).console, QString());
  QCOMPARE(sealText(QStringLiteral("none")), QStringLiteral("no seal"));
  QVERIFY(!consoleTranslationDirectories().isEmpty());
  QVERIFY(consoleTranslationDirectories().front().startsWith(QCoreApplication::applicationDirPath()));
}

void ModelsTest::coalescesTwoThousandEventsPerSecond() {
  // Five seconds of 2,000 access events/s plus door churn, delivered as the stream would (one call per
  // message), flushed every 100 ms: the log stays bounded and the whole run takes well under real time.
  ConsoleState state;
  state.setSite(loadExampleSite());
  AccessLogFilter filter;
  filter.setSourceModel(state.accessLog());
  filter.setDecision(QStringLiteral("deny"));
  QSignalSpy inserted(state.accessLog(), &QAbstractItemModel::rowsInserted);
  const QStringList doors{"main-entrance", "office-door",   "secops-door",
                          "mantrap-outer", "mantrap-inner", "cage-door"};
  QElapsedTimer timer;
  timer.start();
  int n = 0;
  for (int tick = 0; tick < 50; ++tick) {
    for (int i = 0; i < 200; ++i, ++n) {
      const auto& d = doors[n % doors.size()];
      state.queueDelta(QStringLiteral("access"),
                       toJson(access(QStringLiteral("p%1").arg(n % 300), d, {}, n % 7 != 0, n)));
      if (i % 10 == 0) state.queueDelta(QStringLiteral("doors"), door(d, n % 20 == 0, true));
    }
    state.flush();
  }
  const auto elapsed = timer.elapsed();
  qInfo("10,000 events in %lld ms", static_cast<long long>(elapsed));
  QCOMPARE(state.accessLog()->rowCount(), AccessLogModel::kDefaultCapacity);
  QCOMPARE(inserted.size(), 50);  // one insert per batch, not one per event
  QVERIFY(filter.rowCount() > 0 && filter.rowCount() < AccessLogModel::kDefaultCapacity);
  QVERIFY2(elapsed < 5000, "coalesced updates must keep up with 2,000 events/s");
}

void ModelsTest::namesStayPlainText() {
  // Names are data: the model hands them back byte for byte, and views render DisplayRole as plain text.
  AccessLogModel model;
  auto e = access(QStringLiteral("x"), QStringLiteral("office-door"), {}, true, 1);
  e.personName = QStringLiteral("<img src=x onerror=alert(1)><b>Mallory</b>");
  model.appendEvents({e});
  QCOMPARE(model.data(model.index(0, AccessLogModel::ColPerson), Qt::DisplayRole).toString(), e.personName);
}

void ModelsTest::totpMatchesRfc6238() {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ).
  const auto secret = base32Decode(QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
  QVERIFY(secret.has_value());
  QCOMPARE(*secret, QByteArray("12345678901234567890"));
  QCOMPARE(totpCode(*secret, 59, 8), QStringLiteral("94287082"));
  QCOMPARE(totpCode(*secret, 1111111109, 8), QStringLiteral("07081804"));
  QCOMPARE(totpCode(*secret, 20000000000LL, 8), QStringLiteral("65353130"));
  QCOMPARE(totpCode(*secret, 59), QStringLiteral("287082"));
  QVERIFY(!base32Decode(QStringLiteral("not base32!")).has_value());
}

void ModelsTest::sessionKeeperRefreshesOnlyForAPerson() {
  constexpr qint64 minute = 60 * 1000;
  qint64 now = 0;
  SessionKeeper keeper([&now] { return now; });
  keeper.signedIn();
  // Nobody at the screen: never refreshed; the warning comes 3 minutes before the 15-minute limit.
  for (now = 0; now < 16 * minute; now += 5000) {
    QVERIFY(!keeper.shouldRefresh());
    QCOMPARE(keeper.warning(), now >= 12 * minute);
  }
  QCOMPARE(keeper.remainingMs(), 0);
  // A person uses it: one refresh once the last one is 4 minutes old, not on every click.
  keeper.signedIn();
  const qint64 start = now;
  now = start + minute;
  keeper.operatorActive();
  QVERIFY(!keeper.shouldRefresh());  // refreshed too recently (the sign-in)
  now = start + 4 * minute;
  QVERIFY(keeper.shouldRefresh());
  QVERIFY(!keeper.shouldRefresh());  // counted as sent
  now = start + 6 * minute;
  QVERIFY(!keeper.shouldRefresh());  // no input since: nothing
  QCOMPARE(keeper.remainingMs(), 13 * minute);
  // Input while the warning shows: the next check refreshes and the warning goes.
  now = start + 16 * minute;
  QVERIFY(keeper.warning());
  keeper.operatorActive();
  QVERIFY(keeper.shouldRefresh());
  QVERIFY(!keeper.warning());
  // The console's own requests count too.
  now += 10 * minute;
  keeper.serverTouched();
  QCOMPARE(keeper.remainingMs(), 15 * minute);
  // Past the limit a refresh is pointless (the server answers 401); expired stays until a new sign-in.
  now += 16 * minute;
  keeper.operatorActive();
  QVERIFY(!keeper.shouldRefresh());
  keeper.expired();
  QVERIFY(keeper.isExpired());
  QVERIFY(!keeper.warning());
  keeper.signedIn();
  QVERIFY(!keeper.isExpired());
}

// The stream's door modes (normal, locked, unlocked, lockdown, fire_release, held, forced, offline) each get
// their own look, name, colour and glyph; a mode this console does not know is drawn as "unknown", never as a
// normal door.
void ModelsTest::everyDoorModeIsDrawnDistinctly() {
  const auto look = [](const char* mode, bool open = false, bool locked = true, const char* alarm = "none",
                       bool online = true) {
    return doorLook(DoorState{QStringLiteral("d"),
                              {},
                              open,
                              locked,
                              QString::fromLatin1(mode),
                              QString::fromLatin1(alarm),
                              online});
  };
  QCOMPARE(look("normal"), DoorLook::Locked);
  QCOMPARE(look("normal", false, false), DoorLook::Unlocked);
  QCOMPARE(look("normal", true), DoorLook::Open);
  QCOMPARE(look("locked", false, false), DoorLook::Locked);
  QCOMPARE(look("unlocked"), DoorLook::Unlocked);
  QCOMPARE(look("lock_open"), DoorLook::Unlocked);
  QCOMPARE(look("lockdown"), DoorLook::LockedDown);
  QCOMPARE(look("locked_down"), DoorLook::LockedDown);
  QCOMPARE(look("fire_release", true, false), DoorLook::FireRelease);
  QCOMPARE(look("normal", true, true, "held"), DoorLook::Held);
  QCOMPARE(look("normal", true, true, "forced"), DoorLook::Forced);
  QCOMPARE(look("forced", true), DoorLook::Forced);
  QCOMPARE(look("normal", false, true, "none", false), DoorLook::Offline);
  QCOMPARE(look("maintenance"), DoorLook::Unknown);
  QSet<QString> names, glyphs, colours;
  for (const auto l : allDoorLooks()) {
    names.insert(doorLookName(l));
    glyphs.insert(doorLookGlyph(l));
    colours.insert(doorLookColor(l).name());
  }
  QCOMPARE(names.size(), allDoorLooks().size());
  QCOMPARE(glyphs.size(), allDoorLooks().size());
  QCOMPARE(colours.size(), allDoorLooks().size());
  // Zones carry lockdown and fire.
  const auto z = parseZone(QJsonObject{{"id", "hall"}, {"occupancy", 3}, {"lockdown", true}, {"fire", true}});
  QVERIFY(z.lockdown);
  QVERIFY(z.fire);
}

void ModelsTest::alarmsReadInWords() {
  QCOMPARE(alarmKindText(QStringLiteral("door_forced")), QStringLiteral("Door forced open"));
  QCOMPARE(alarmKindText(QStringLiteral("asset_missing")), QStringLiteral("Asset missing"));
  QCOMPARE(alarmKindText(QStringLiteral("device_silent")), QStringLiteral("Controller offline"));
  QCOMPARE(alarmKindText(QStringLiteral("something_new")), QStringLiteral("Something new"));
  QCOMPARE(alarmStateText(QStringLiteral("raised")), QStringLiteral("NEW"));
  QCOMPARE(severityText(Severity::Critical), QStringLiteral("CRITICAL"));
}

// Both mantrap doors once read "Compute hall mantra…": without labels the shared words go, the rest stays.
void ModelsTest::shortNamesKeepWhatTellsThemApart() {
  const auto names =
      shortNames({{QStringLiteral("outer"), QStringLiteral("Compute hall mantrap, outer door")},
                  {QStringLiteral("inner"), QStringLiteral("Compute hall mantrap, inner door")},
                  {QStringLiteral("office"), QStringLiteral("Office floor door")},
                  {QStringLiteral("cage"), QStringLiteral("Model-weights cage door")}},
                 {{QStringLiteral("cage"), QStringLiteral("Cage")}});
  QCOMPARE(names.value(QStringLiteral("outer")), QStringLiteral("…outer door"));
  QCOMPARE(names.value(QStringLiteral("inner")), QStringLiteral("…inner door"));
  QCOMPARE(names.value(QStringLiteral("office")), QStringLiteral("Office floor door"));
  QCOMPARE(names.value(QStringLiteral("cage")), QStringLiteral("Cage"));
  const auto racks = shortNames({{QStringLiteral("a"), QStringLiteral("Model-weights storage W01")},
                                 {QStringLiteral("b"), QStringLiteral("Model-weights storage W02")}},
                                {});
  QCOMPARE(racks.value(QStringLiteral("a")), QStringLiteral("…W01"));
  QCOMPARE(racks.value(QStringLiteral("b")), QStringLiteral("…W02"));
}

void ModelsTest::siteLabelsAndResponsesAreRead() {
  QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/examples/datacenter.site.json"));
  QVERIFY(f.open(QIODevice::ReadOnly));
  QString error;
  const auto site = parseSite(f.readAll(), &error);
  QVERIFY2(site, qPrintable(error));
  QCOMPARE(site->portal(QStringLiteral("mantrap-outer"))->label, QStringLiteral("Mantrap outer"));
  QCOMPARE(site->rack(QStringLiteral("rack-w01"))->label, QStringLiteral("W01"));
  QCOMPARE(site->zone(QStringLiteral("hall-vestibule"))->label, QStringLiteral("Hall mantrap"));
  QCOMPARE(site->mantrap(QStringLiteral("mt-hall"))->label, QStringLiteral("Hall mantrap"));
  QVERIFY(site->alarmResponses.value(QStringLiteral("door_forced"))
              .startsWith(QStringLiteral("Door forced open")));
  QCOMPARE(site->device(QStringLiteral("ctl-mantrap"))->portals,
           (QVector<QString>{QStringLiteral("mantrap-outer"), QStringLiteral("mantrap-inner")}));
  QCOMPARE(site->seal(QStringLiteral("seal-w01-door"))->rack, QStringLiteral("rack-w01"));
}

QTEST_MAIN(ModelsTest)
#include "models_test.moc"
