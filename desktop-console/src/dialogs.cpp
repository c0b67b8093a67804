#include "dialogs.hpp"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

#include "api_client.hpp"

namespace portcullis::console {

namespace {
QLabel* plainLabel(const QString& text, QWidget* parent) {
  auto* l = new QLabel(parent);
  l->setTextFormat(Qt::PlainText);
  l->setText(text);
  l->setWordWrap(true);
  return l;
}
}  // namespace

LoginDialog::LoginDialog(ApiClient* api, const QString& serverLabel, QWidget* parent)
    : QDialog(parent), api_(api) {
  setWindowTitle(tr("Portcullis — guard sign-in"));
  setMinimumWidth(520);
  auto* layout = new QVBoxLayout(this);
  auto* title = plainLabel(tr("PORTCULLIS GUARD CONSOLE"), this);
  QFont f = title->font();
  f.setPixelSize(26);
  f.setBold(true);
  title->setFont(f);
  layout->addWidget(title);
  layout->addWidget(plainLabel(tr("Server: %1").arg(serverLabel), this));
  auto* form = new QFormLayout;
  user_ = new QLineEdit(this);
  user_->setMaxLength(128);
  password_ = new QLineEdit(this);
  password_->setEchoMode(QLineEdit::Password);
  password_->setMaxLength(256);
  totp_ = new QLineEdit(this);
  totp_->setMaxLength(8);
  totp_->setValidator(
      new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{0,8}")), totp_));
  totp_->setPlaceholderText(tr("6-digit code"));
  form->addRow(plainLabel(tr("Username"), this), user_);
  form->addRow(plainLabel(tr("Password"), this), password_);
  form->addRow(plainLabel(tr("Authenticator code"), this), totp_);
  layout->addLayout(form);
  error_ = plainLabel({}, this);
  error_->setStyleSheet(QStringLiteral("color: #ff6b60; font-weight: bold;"));
  layout->addWidget(error_);
  auto* buttons = new QDialogButtonBox(this);
  signIn_ = buttons->addButton(tr("Sign in"), QDialogButtonBox::AcceptRole);
  buttons->addButton(QDialogButtonBox::Cancel);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(signIn_, &QPushButton::clicked, this, &LoginDialog::submit);
  connect(totp_, &QLineEdit::returnPressed, this, &LoginDialog::submit);
}

void LoginDialog::setUsername(const QString& user) {
  user_->setText(user);
  password_->setFocus();
}

void LoginDialog::submit() {
  if (user_->text().isEmpty() || password_->text().isEmpty() || totp_->text().size() < 6) {
    error_->setText(tr("Enter username, password and the 6-digit code."));
    return;
  }
  signIn_->setEnabled(false);
  error_->setText(tr("Signing in…"));
  api_->login(user_->text(), password_->text(), totp_->text(), [this](const ApiResult& r) {
    signIn_->setEnabled(true);
    password_->clear();
    totp_->clear();
    if (r.ok) {
      accept();
      return;
    }
    error_->setText(r.error.isEmpty() ? tr("Sign-in failed.") : r.error);
  });
}

ReasonDialog::ReasonDialog(const QString& title, const QString& question, QWidget* parent) : QDialog(parent) {
  setWindowTitle(title);
  setMinimumWidth(560);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(plainLabel(question, this));
  edit_ = new QPlainTextEdit(this);
  edit_->setPlaceholderText(tr("Required"));
  edit_->setTabChangesFocus(true);
  layout->addWidget(edit_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  ok_ = buttons->button(QDialogButtonBox::Ok);
  ok_->setEnabled(false);
  layout->addWidget(buttons);
  connect(edit_, &QPlainTextEdit::textChanged, this, [this] {
    if (edit_->toPlainText().size() > kMaxLength) {
      edit_->setPlainText(edit_->toPlainText().left(kMaxLength));
      edit_->moveCursor(QTextCursor::End);
    }
    ok_->setEnabled(!edit_->toPlainText().trimmed().isEmpty());
  });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString ReasonDialog::text() const {
  return edit_->toPlainText().trimmed();
}

}  // namespace portcullis::console
