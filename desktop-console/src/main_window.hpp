#pragma once
// The guard's screen: a connection banner across the top, the facility map as the main view, the alarm
// queue always visible beside it, and tabs for details, doors, racks, the access log and people.
#include <QDateTime>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <optional>

#include "console_state.hpp"
#include "stream_client.hpp"

class QLabel;
class QFrame;
class QTableView;
class QTabWidget;
class QPushButton;
class QLineEdit;
class QComboBox;
class QHBoxLayout;
class QSortFilterProxyModel;
class QSplitter;

namespace portcullis::console {

class ApiClient;
class FacilityMap;
class ReportsDialog;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  MainWindow(ConsoleState* state, ApiClient* api, QWidget* parent = nullptr);

  void setStreamHealth(StreamHealth health);
  void noteMessage(qint64 seq);  // a stream message arrived
  void setOfflineView(const QString& why);
  // Session state for the banner (see session_keeper.hpp). Expired: the server ended the session, the live
  // view has stopped and the banner says so with a "Sign in" button. remainingMs >= 0 with `ending`: nobody
  // has used the console and the server will end the session in that time.
  void setSessionExpired(bool expired);
  void setSessionEnding(bool ending, qint64 remainingMs);
  [[nodiscard]] bool sessionExpired() const { return sessionExpired_; }
  [[nodiscard]] QPushButton* signInButton() const { return signIn_; }
  void setOperator(const QString& name, const QString& role);
  void showDetails(const QString& kind, const QString& id);
  void requestCommand(const QString& target, const QString& command);

  [[nodiscard]] QString bannerText() const;
  [[nodiscard]] QLabel* alarmHeader() const { return alarmHeader_; }
  [[nodiscard]] bool alarmFlashing() const { return flash_.isActive(); }
  // Critical alarms that nobody has acknowledged: a visible banner, a beep and a window alert, repeated until
  // each is acknowledged (acknowledging silences that alarm only).
  [[nodiscard]] QLabel* criticalBanner() const { return criticalBanner_; }
  [[nodiscard]] bool criticalAlerting() const { return alert_.isActive(); }
  [[nodiscard]] int alertCount() const { return alertCount_; }
  [[nodiscard]] QTableView* alarmView() const { return alarmView_; }
  // Selects an alarm in the table, shows it on the map and in Details (what the map's markers call).
  void selectAlarm(const QString& alarmId);
  [[nodiscard]] QString selectedAlarm() const;
  void showStatus(const QString& message) { status(message); }
  [[nodiscard]] FacilityMap* map() const { return map_; }
  [[nodiscard]] QLabel* detailTitle() const { return detailTitle_; }
  [[nodiscard]] QLabel* detailBody() const { return detailBody_; }
  // Audit reports: the banner's "Reports" button and Ctrl+R, for the roles the server lets read them
  // (auditor, admin) only. Opens (or raises) the non-modal reports window.
  [[nodiscard]] QPushButton* reportsButton() const { return reportsButton_; }
  [[nodiscard]] ReportsDialog* reportsDialog() const { return reports_; }
  void openReports();

 signals:
  void signInRequested();

 protected:
  void showEvent(QShowEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  QWidget* buildBanner();
  QWidget* buildAlarmPanel();
  QWidget* buildDetailsTab();
  QWidget* buildLogTab();
  QWidget* buildPeopleTab();
  QTableView* makeTable(QAbstractItemModel* model);
  void fitSplit();
  void updateBanner();
  void updateAlarmHeader();
  void flashAlarms(const QString& alarmId);
  void updateCriticalAlert();
  void soundCriticalAlert();
  void fitAlarmColumns();
  void alarmAction(bool resolve);
  void refreshDetails();
  void status(const QString& message);

  ConsoleState* state_;
  ApiClient* api_;
  FacilityMap* map_ = nullptr;
  QSplitter* split_ = nullptr;
  std::optional<bool> splitNarrow_;  // the split last set: for a narrow (laptop) window or a wide one
  QFrame* banner_ = nullptr;
  QLabel* bannerState_ = nullptr;
  QLabel* bannerDetail_ = nullptr;
  QLabel* bannerSite_ = nullptr;
  QLabel* bannerOperator_ = nullptr;
  QLabel* bannerClock_ = nullptr;
  QPushButton* signIn_ = nullptr;
  QPushButton* reportsButton_ = nullptr;
  ReportsDialog* reports_ = nullptr;
  bool reportsAllowed_ = false;
  bool sessionExpired_ = false;
  QDateTime expiredAt_;
  bool sessionEnding_ = false;
  qint64 sessionRemainingMs_ = -1;
  QLabel* alarmHeader_ = nullptr;
  QTableView* alarmView_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QLabel* detailTitle_ = nullptr;
  QLabel* detailBody_ = nullptr;
  QHBoxLayout* detailCommands_ = nullptr;
  AccessLogFilter* detailFilter_ = nullptr;
  AccessLogFilter* logFilter_ = nullptr;
  QSortFilterProxyModel* peopleFilter_ = nullptr;
  QLineEdit* personSearch_ = nullptr;
  QLabel* pendingLabel_ = nullptr;
  QTimer tick_;
  QTimer flash_;
  int flashCount_ = 0;
  QLabel* criticalBanner_ = nullptr;
  QTimer alert_;
  int alertCount_ = 0;
  bool alertPhase_ = false;
  QElapsedTimer sinceMessage_;
  QElapsedTimer bannerUpdated_;
  StreamHealth health_ = StreamHealth::Disconnected;
  QString offlineWhy_;
  qint64 lastSeq_ = -1;
  QString selectedKind_, selectedId_;
  int pendingApprovals_ = 0;
};

}  // namespace portcullis::console
