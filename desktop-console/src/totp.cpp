#include "totp.hpp"

#include <QMessageAuthenticationCode>

namespace portcullis::console {

std::optional<QByteArray> base32Decode(const QString& text) {
  static const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
  QByteArray out;
  quint32 buffer = 0;
  int bits = 0;
  for (const QChar c : text) {
    if (c == QLatin1Char('=') || c == QLatin1Char(' ') || c == QLatin1Char('-')) continue;
    const auto value = alphabet.indexOf(c.toUpper());
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<quint32>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.append(static_cast<char>((buffer >> bits) & 0xffu));
    }
  }
  return out;
}

QString totpCode(const QByteArray& secret, qint64 unixSeconds, int digits, int stepSeconds) {
  const auto counter = static_cast<quint64>(unixSeconds / stepSeconds);
  QByteArray message(8, '\0');
  for (int i = 0; i < 8; ++i) message[7 - i] = static_cast<char>((counter >> (8 * i)) & 0xffu);
  const auto mac = QMessageAuthenticationCode::hash(message, secret, QCryptographicHash::Sha1);
  const int offset = static_cast<unsigned char>(mac[mac.size() - 1]) & 0x0f;
  const quint32 binary = (static_cast<quint32>(static_cast<unsigned char>(mac[offset]) & 0x7fu) << 24) |
                         (static_cast<quint32>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
                         (static_cast<quint32>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
                         static_cast<quint32>(static_cast<unsigned char>(mac[offset + 3]));
  quint32 modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return QStringLiteral("%1").arg(binary % modulus, digits, 10, QLatin1Char('0'));
}

}  // namespace portcullis::console
