#include "reports.hpp"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QNetworkReply>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include "api_client.hpp"
#include "report_charts_view.hpp"

namespace portcullis::console {

QVector<ReportInfo> parseReportList(const QJsonObject& body) {
  QVector<ReportInfo> out;
  for (const auto& v : body.value(QLatin1String("reports")).toArray()) {
    const auto o = v.toObject();
    ReportInfo r;
    r.name = o.value(QLatin1String("name")).toString();
    if (r.name.isEmpty()) continue;
    for (const auto& c : o.value(QLatin1String("columns")).toArray()) r.columns << c.toString();
    for (const auto& f : o.value(QLatin1String("filters")).toArray()) r.filters << f.toString();
    out.push_back(r);
  }
  return out;
}

bool mayReadReports(const QString& role) {
  return role == QLatin1String("auditor") || role == QLatin1String("admin");
}

QString reportQuery(const ReportInfo& report, const QDateTime& from, const QDateTime& to,
                    const QString& group) {
  QStringList parts{QStringLiteral("format=csv")};
  const auto add = [&parts](const char* key, const QString& value) {
    // ':' may stay as it is in a query; everything else outside the unreserved set is encoded ('+' too,
    // which the server reads as a plus sign).
    parts << QLatin1String(key) + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(value, ":"));
  };
  // RFC 3339 in UTC ("Z"), so no '+' has to survive the query.
  if (report.takes("from") && from.isValid()) add("from", from.toUTC().toString(Qt::ISODate));
  if (report.takes("to") && to.isValid()) add("to", to.toUTC().toString(Qt::ISODate));
  if (report.takes("group") && !group.trimmed().isEmpty()) add("group", group.trimmed());
  return parts.join(QLatin1Char('&'));
}

// ---- CSV ------------------------------------------------------------------------------------------------

void CsvReader::endCell() {
  row_ << QString::fromUtf8(cell_);
  cell_.clear();
  cellStarted_ = false;
}

void CsvReader::endRow() {
  if (row_.isEmpty() && cell_.isEmpty() && !cellStarted_) return;  // a blank line
  endCell();
  rows_.push_back(row_);
  row_.clear();
}

void CsvReader::feed(const QByteArray& bytes) {
  for (const char c : bytes) {
    if (pendingCr_) {
      pendingCr_ = false;
      if (c == '\n') continue;  // the LF of a CRLF whose CR ended the record
    }
    if (quoted_) {
      if (!quoteSeen_) {
        if (c == '"')
          quoteSeen_ = true;
        else
          cell_ += c;
        continue;
      }
      quoteSeen_ = false;
      if (c == '"') {  // a doubled quote: one quote in the cell
        cell_ += '"';
        continue;
      }
      quoted_ = false;  // the closing quote; c is read as outside quotes below
    }
    if (c == ',') {
      endCell();
    } else if (c == '\r') {
      endRow();
      pendingCr_ = true;
    } else if (c == '\n') {
      endRow();
    } else if (c == '"' && !cellStarted_) {
      quoted_ = true;
      cellStarted_ = true;
    } else {
      if (c == '"') malformed_ = true;  // a quote inside an unquoted cell: kept as it is
      cell_ += c;
      cellStarted_ = true;
    }
  }
}

void CsvReader::finish() {
  if (quoted_ && !quoteSeen_) malformed_ = true;  // the body ended inside a quoted cell
  quoted_ = quoteSeen_ = false;
  endRow();
}

QVector<QStringList> CsvReader::takeRows() {
  QVector<QStringList> out;
  out.swap(rows_);
  return out;
}

// ---- table ----------------------------------------------------------------------------------------------

void ReportTableModel::reset(const QStringList& columns) {
  beginResetModel();
  columns_ = columns;
  rows_.clear();
  endResetModel();
}

void ReportTableModel::append(const QVector<QStringList>& rows) {
  if (rows.isEmpty()) return;
  const auto first = static_cast<int>(rows_.size());
  beginInsertRows({}, first, first + static_cast<int>(rows.size()) - 1);
  rows_ += rows;
  endInsertRows();
}

int ReportTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ReportTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(columns_.size());
}

QVariant ReportTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  if (role != Qt::DisplayRole) return {};
  return rows_[index.row()].value(index.column());  // plain text in a table cell, never markup
}

QVariant ReportTableModel::headerData(int section, Qt::Orientation o, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (o == Qt::Vertical) return section + 1;
  return columns_.value(section);
}

// ---- dialog ---------------------------------------------------------------------------------------------

namespace {

QLabel* plain(const QString& text, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  l->setTextFormat(Qt::PlainText);
  return l;
}

QDateTimeEdit* utcEdit(QWidget* parent) {
  auto* e = new QDateTimeEdit(parent);
  e->setTimeSpec(Qt::UTC);
  e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
  e->setCalendarPopup(true);
  return e;
}

}  // namespace

ReportsDialog::ReportsDialog(ApiClient* api, QWidget* parent) : QDialog(parent), api_(api) {
  setWindowTitle(tr("Audit reports"));
  setObjectName(QStringLiteral("reportsDialog"));
  auto* outer = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout;
  report_ = new QComboBox(this);
  report_->setObjectName(QStringLiteral("report"));
  report_->setMinimumContentsLength(14);
  period_ = new QComboBox(this);
  period_->setObjectName(QStringLiteral("period"));
  period_->addItem(tr("Last 24 hours"), 1);
  period_->addItem(tr("Last 7 days"), 7);
  period_->addItem(tr("Last 30 days"), 30);
  period_->addItem(tr("Custom"), 0);
  from_ = utcEdit(this);
  from_->setObjectName(QStringLiteral("from"));
  to_ = utcEdit(this);
  to_->setObjectName(QStringLiteral("to"));
  group_ = new QLineEdit(this);
  group_->setObjectName(QStringLiteral("group"));
  group_->setPlaceholderText(tr("group id (optional)"));
  group_->setMaxLength(200);
  run_ = new QPushButton(tr("Run"), this);
  run_->setObjectName(QStringLiteral("run"));
  run_->setDefault(true);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName(QStringLiteral("cancel"));
  save_ = new QPushButton(tr("Save CSV…"), this);
  save_->setObjectName(QStringLiteral("save"));
  controls->addWidget(plain(tr("Report"), this));
  controls->addWidget(report_);
  controls->addSpacing(12);
  controls->addWidget(plain(tr("Period"), this));
  controls->addWidget(period_);
  controls->addWidget(plain(tr("from"), this));
  controls->addWidget(from_);
  controls->addWidget(plain(tr("to"), this));
  controls->addWidget(to_);
  controls->addSpacing(12);
  controls->addWidget(plain(tr("Group"), this));
  controls->addWidget(group_, 1);
  controls->addWidget(run_);
  controls->addWidget(cancel_);
  controls->addWidget(save_);
  outer->addLayout(controls);
  status_ = plain(QString(), this);
  status_->setObjectName(QStringLiteral("reportStatus"));
  outer->addWidget(status_);
  model_ = new ReportTableModel(this);
  // Charts above the table, from the same rows; the splitter lets the table have the room when needed.
  split_ = new QSplitter(Qt::Vertical, this);
  charts_ = new ReportChartsView(split_);
  charts_->hide();
  table_ = new QTableView(split_);
  table_->setModel(model_);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setWordWrap(false);
  table_->horizontalHeader()->setDefaultSectionSize(150);
  table_->verticalHeader()->setDefaultSectionSize(24);
  split_->addWidget(charts_);
  split_->addWidget(table_);
  split_->setStretchFactor(0, 2);
  split_->setStretchFactor(1, 3);
  split_->setChildrenCollapsible(false);
  outer->addWidget(split_, 1);
  resize(1400, 800);

  const auto applyPeriod = [this] {
    const int days = period_->currentData().toInt();
    if (days <= 0) return;
    const auto now = QDateTime::currentDateTimeUtc();
    const QDateTime end(now.date(), QTime(now.time().hour(), now.time().minute()), Qt::UTC);
    QSignalBlocker a(from_), b(to_);
    to_->setDateTime(end.addSecs(60));  // to is exclusive: include the current minute
    from_->setDateTime(end.addSecs(60).addDays(-days));
  };
  connect(period_, &QComboBox::currentIndexChanged, this, applyPeriod);
  // Editing a date by hand makes the period custom.
  for (auto* edit : {from_, to_})
    connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this] {
      QSignalBlocker block(period_);
      period_->setCurrentIndex(period_->count() - 1);
    });
  applyPeriod();
  connect(report_, &QComboBox::currentIndexChanged, this, &ReportsDialog::reportChanged);
  connect(run_, &QPushButton::clicked, this, &ReportsDialog::run);
  connect(cancel_, &QPushButton::clicked, this, &ReportsDialog::cancel);
  connect(save_, &QPushButton::clicked, this, &ReportsDialog::saveAs);
  updateButtons();
  setStatus(tr("Loading the report list…"));
}

ReportsDialog::~ReportsDialog() {
  if (auto* reply = reply_.data()) {
    reply_.clear();
    reply->disconnect();  // its handlers would call back into this dialog
    reply->abort();
    reply->deleteLater();
  }
}

void ReportsDialog::loadReports() {
  QPointer<ReportsDialog> self(this);
  api_->getJson(QStringLiteral("/api/v1/audit/reports"), [self](const ApiResult& r) {
    if (!self) return;
    if (!r.ok) {
      self->setStatus(tr("The server did not list its reports: %1").arg(r.error), true);
      return;
    }
    const auto previous = self->report_->currentData().toString();
    self->reports_ = parseReportList(r.body);
    {
      QSignalBlocker block(self->report_);
      self->report_->clear();
      for (const auto& info : self->reports_) self->report_->addItem(info.name, info.name);
      const int again = self->report_->findData(previous);
      if (again >= 0) self->report_->setCurrentIndex(again);
    }
    self->reportChanged();
    self->setStatus(
        tr("%n reports. Pick one and a period, then Run.", nullptr, static_cast<int>(self->reports_.size())));
    emit self->reportsLoaded();
  });
}

void ReportsDialog::setPeriod(const QDateTime& from, const QDateTime& to) {
  from_->setDateTime(from.toUTC());
  to_->setDateTime(to.toUTC());
}

void ReportsDialog::selectReport(const QString& name) {
  const int i = report_->findData(name);
  if (i >= 0) report_->setCurrentIndex(i);
}

void ReportsDialog::setGroup(const QString& group) {
  group_->setText(group);
}

void ReportsDialog::reportChanged() {
  const int i = report_->currentIndex();
  const ReportInfo* info = i >= 0 && i < reports_.size() ? &reports_[i] : nullptr;
  // Only the filters the report takes are offered: the server refuses any other (HTTP 400).
  from_->setEnabled(info != nullptr && info->takes("from"));
  to_->setEnabled(info != nullptr && info->takes("to"));
  period_->setEnabled(info != nullptr && info->takes("from"));
  group_->setEnabled(info != nullptr && info->takes("group"));
  updateButtons();
}

void ReportsDialog::updateButtons() {
  const bool busy = running();
  run_->setEnabled(!busy && report_->currentIndex() >= 0);
  cancel_->setEnabled(busy);
  save_->setEnabled(!busy && complete_ && !csv_.isEmpty());
}

void ReportsDialog::setStatus(const QString& text, bool bad) {
  status_->setText(text);
  status_->setStyleSheet(bad ? QStringLiteral("color: #ff6b5e; font-weight: bold;") : QString());
}

QString ReportsDialog::statusText() const {
  return status_->text();
}

void ReportsDialog::run() {
  const int i = report_->currentIndex();
  if (running() || i < 0 || i >= reports_.size()) return;
  const auto& info = reports_[i];
  if (from_->isEnabled() && to_->isEnabled() && from_->dateTime() >= to_->dateTime()) {
    setStatus(tr("The period is empty: 'from' must be before 'to'."), true);
    return;
  }
  const auto path = QStringLiteral("/api/v1/audit/reports/%1?%2")
                        .arg(QString::fromLatin1(QUrl::toPercentEncoding(info.name)),
                             reportQuery(info, from_->dateTime(), to_->dateTime(), group_->text()));
  reader_ = CsvReader{};
  headerSeen_ = false;
  csv_.clear();
  complete_ = false;
  model_->reset(info.columns);
  runReport_ = info.name;
  chartModel_.reset(info.name, info.columns);
  charts_->clear();
  charts_->hide();
  csvReport_ = info.name;
  if (info.takes("from"))
    csvReport_ += QStringLiteral("-") + from_->dateTime().toString(QStringLiteral("yyyyMMdd-HHmm"));
  if (info.takes("to"))
    csvReport_ += QStringLiteral("-") + to_->dateTime().toString(QStringLiteral("yyyyMMdd-HHmm"));
  setStatus(tr("Running %1… (the server records this request in the audit log)").arg(info.name));
  QPointer<ReportsDialog> self(this);
  reply_ = api_->getStream(
      path, "text/csv",
      [self](const QByteArray& bytes) {
        if (!self) return;
        self->csv_ += bytes;
        self->reader_.feed(bytes);
        self->addRows(self->reader_.takeRows());
        self->setStatus(tr("Receiving… %Ln rows", nullptr, self->model_->rowCount()));
      },
      [self](const ApiResult& r) {
        if (!self) return;
        self->reply_.clear();
        if (r.ok) {
          self->reader_.finish();
          self->addRows(self->reader_.takeRows());
          if (self->reader_.malformed()) {
            self->done(false, tr("The report's CSV is malformed; not offered for saving."));
            return;
          }
          self->complete_ = true;
          const int n = self->model_->rowCount();
          self->done(true,
                     n == 1 ? tr("%Ln row, complete.", nullptr, n) : tr("%Ln rows, complete.", nullptr, n));
        } else {
          self->done(false, tr("Report stopped: %1 (%Ln rows received; not offered for saving)", nullptr,
                               self->model_->rowCount())
                                .arg(r.error));
        }
      },
      120000, kMaxReportBytes);
  updateButtons();
}

void ReportsDialog::addRows(QVector<QStringList> rows) {
  if (!headerSeen_ && !rows.isEmpty()) {  // the CSV's header names the columns
    headerSeen_ = true;
    model_->reset(rows.takeFirst());
    chartModel_.reset(runReport_, model_->columns());
  }
  chartModel_.add(rows);
  const bool first = model_->rowCount() == 0 && !rows.isEmpty();
  model_->append(rows);
  if (first) table_->resizeColumnsToContents();  // once, from the first rows
}

void ReportsDialog::done(bool ok, const QString& message) {
  if (!ok) complete_ = false;
  // Charts only of a complete report: a part of the rows would draw a picture the report does not say.
  if (ok && chartModel_.hasCharts() && model_->rowCount() > 0) {
    charts_->setCharts(chartModel_.kind(), chartModel_.charts());
    charts_->show();
  }
  setStatus(message, !ok);
  updateButtons();
  emit finished(ok);
}

void ReportsDialog::cancel() {
  if (auto* reply = reply_.data()) reply->abort();  // done() follows with "cancelled"
}

bool ReportsDialog::saveCsv(const QString& path, QString* error) const {
  if (!complete_) {
    if (error != nullptr) *error = tr("no complete report to save");
    return false;
  }
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(csv_) != csv_.size() || !f.commit()) {
    if (error != nullptr) *error = f.errorString();
    return false;
  }
  return true;
}

void ReportsDialog::saveAs() {
  const auto path = QFileDialog::getSaveFileName(this, tr("Save report as CSV"),
                                                 csvReport_ + QStringLiteral(".csv"), tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  QString error;
  if (saveCsv(path, &error))
    setStatus(tr("Saved %1").arg(path));
  else
    setStatus(tr("Could not save: %1").arg(error), true);
}

}  // namespace portcullis::console
