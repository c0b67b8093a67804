#pragma once
// The auditor reports (docs/audit.md, "REST API for auditors") in the console: the report list
// (GET /api/v1/audit/reports), one report streamed as CSV (GET /api/v1/audit/reports/{report}?format=csv&...)
// into a table with the report's charts above it (counted from the same rows: report_chart_model.hpp), and
// the server's CSV saved as it came (formula neutralization included). Only for the roles the server lets
// read them (auditor, admin); the main window shows the entry to no one else.
#include <QAbstractTableModel>
#include <QDateTime>
#include <QDialog>
#include <QJsonObject>
#include <QPointer>
#include <QStringList>
#include <QVector>

#include "report_chart_model.hpp"

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QNetworkReply;
class QPushButton;
class QSplitter;
class QTableView;

namespace portcullis::console {

class ApiClient;
class ReportChartsView;

struct ReportInfo {
  QString name;
  QStringList columns;
  QStringList filters;  // query parameters the report takes: from, to, group, person, ...
  [[nodiscard]] bool takes(const char* filter) const { return filters.contains(QLatin1String(filter)); }
};

// {"reports": [{"name", "columns", "filters"}], "formats": [...]} as the server lists them.
QVector<ReportInfo> parseReportList(const QJsonObject& body);

// Roles the server lets read reports (authorization matrix: GET /api/v1/audit/reports is kAuditAdmin).
bool mayReadReports(const QString& role);

// The query of one report run, in the server's parameter names, percent-encoded ('+' as %2B).
QString reportQuery(const ReportInfo& report, const QDateTime& from, const QDateTime& to,
                    const QString& group);

// RFC 4180 CSV, fed in pieces as the body streams in: quoted cells may hold commas, quotes, CR and LF; CRLF
// or LF ends a record. Rows come out as soon as they are complete.
class CsvReader {
 public:
  void feed(const QByteArray& bytes);
  // The last record when the body did not end with a line break.
  void finish();
  QVector<QStringList> takeRows();
  [[nodiscard]] bool malformed() const { return malformed_; }

 private:
  void endCell();
  void endRow();
  QVector<QStringList> rows_;
  QStringList row_;
  QByteArray cell_;
  bool quoted_ = false;     // inside a quoted cell
  bool quoteSeen_ = false;  // a quote inside a quoted cell: the end, or the first of a doubled quote
  bool cellStarted_ = false;
  bool pendingCr_ = false;
  bool malformed_ = false;
};

// The rows of a report: the CSV header as columns, every cell as text.
class ReportTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  using QAbstractTableModel::QAbstractTableModel;
  void reset(const QStringList& columns);
  void append(const QVector<QStringList>& rows);
  [[nodiscard]] const QStringList& columns() const { return columns_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 private:
  QStringList columns_;
  QVector<QStringList> rows_;
};

// Pick a report and a period (and a group where the report takes one), run it, read the rows, save the CSV.
// Non-blocking: the rows appear while the server streams them; Cancel stops the request.
class ReportsDialog : public QDialog {
  Q_OBJECT
 public:
  explicit ReportsDialog(ApiClient* api, QWidget* parent = nullptr);
  ~ReportsDialog() override;

  // Asks the server for its report list (again).
  void loadReports();
  void setPeriod(const QDateTime& from, const QDateTime& to);
  void selectReport(const QString& name);
  void setGroup(const QString& group);
  void run();
  void cancel();
  // Writes the CSV the server sent (exactly its bytes) to `path`.
  bool saveCsv(const QString& path, QString* error) const;

  [[nodiscard]] ReportTableModel* rows() const { return model_; }
  // The charts above the table, counted from the same rows (after a complete run of a report that has some).
  [[nodiscard]] const ReportChartModel& chartModel() const { return chartModel_; }
  [[nodiscard]] ReportChartsView* chartsView() const { return charts_; }
  [[nodiscard]] QString statusText() const;
  [[nodiscard]] bool running() const { return !reply_.isNull(); }
  [[nodiscard]] const QVector<ReportInfo>& reports() const { return reports_; }
  // The console keeps at most this much of one report (rows and CSV); past it the run stops and says so.
  static constexpr qint64 kMaxReportBytes = 64 * 1024 * 1024;

 signals:
  void reportsLoaded();
  void finished(bool ok);

 private:
  void reportChanged();
  void setStatus(const QString& text, bool bad = false);
  void updateButtons();
  void addRows(QVector<QStringList> rows);
  void done(bool ok, const QString& message);
  void saveAs();

  ApiClient* api_;
  QVector<ReportInfo> reports_;
  QComboBox* report_ = nullptr;
  QComboBox* period_ = nullptr;
  QDateTimeEdit* from_ = nullptr;
  QDateTimeEdit* to_ = nullptr;
  QLineEdit* group_ = nullptr;
  QPushButton* run_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QPushButton* save_ = nullptr;
  QLabel* status_ = nullptr;
  QSplitter* split_ = nullptr;
  ReportChartsView* charts_ = nullptr;
  QTableView* table_ = nullptr;
  ReportTableModel* model_ = nullptr;
  ReportChartModel chartModel_;
  QString runReport_;  // the report of the current run
  QPointer<QNetworkReply> reply_;
  CsvReader reader_;
  bool headerSeen_ = false;
  QByteArray csv_;     // the body as received, for saving
  QString csvReport_;  // which report and period csv_ holds (for the file name)
  bool complete_ = false;
};

}  // namespace portcullis::console
