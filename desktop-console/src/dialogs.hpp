#pragma once
// Sign-in and the "why?" prompt. Every label that may show server or database text uses Qt::PlainText.
#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace portcullis::console {

class ApiClient;

// Username, password and TOTP; logs in through the ApiClient and stays open with the server's answer on
// failure (the server gives one answer for every refusal).
class LoginDialog : public QDialog {
  Q_OBJECT
 public:
  LoginDialog(ApiClient* api, const QString& serverLabel, QWidget* parent = nullptr);
  void setUsername(const QString& user);

 private:
  void submit();
  ApiClient* api_;
  QLineEdit* user_;
  QLineEdit* password_;
  QLineEdit* totp_;
  QLabel* error_;
  QPushButton* signIn_;
};

// Asks for a required free-text reason or comment. OK stays disabled while the text is blank.
class ReasonDialog : public QDialog {
  Q_OBJECT
 public:
  ReasonDialog(const QString& title, const QString& question, QWidget* parent = nullptr);
  [[nodiscard]] QString text() const;
  static constexpr int kMaxLength = 1000;

 private:
  QPlainTextEdit* edit_;
  QPushButton* ok_;
};

}  // namespace portcullis::console
