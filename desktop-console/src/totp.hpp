#pragma once
// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), for the unattended demo sign-in only (`--login-file`): a guard
// types the code from their authenticator; the console never stores a TOTP secret.
#include <QByteArray>
#include <QString>
#include <optional>

namespace portcullis::console {

std::optional<QByteArray> base32Decode(const QString& text);
QString totpCode(const QByteArray& secret, qint64 unixSeconds, int digits = 6, int stepSeconds = 30);

}  // namespace portcullis::console
